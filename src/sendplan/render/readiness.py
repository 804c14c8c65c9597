"""``sendplan ready`` in the terminal: a heat strip of the weeks, a table of each
week's call, deadlines and risks, the weeks ranked, the stale evidence by
owner and the national estimate.

The strip's marks grow with a week's score as well as redden, so it reads
without colour (``NO_COLOR``, a pipe, colour-blindness); every mark is named
in the table below it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sendplan.dates import date_text, short_date
from sendplan.events import NOTIFICATION, ON_SITE_END, ON_SITE_START
from sendplan.words import plural

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

    from sendplan.readiness import Readiness, Week

#: The strip's marks, from the easiest week shown to the hardest.
BLOCKS = "▁▂▃▄▅▆▇█"
#: Each level's colour (``Readiness.level``); the mark's height says it without colour.
STYLES = {"hard": "bold red", "middling": "yellow", "easier": "green"}


def mark(report: Readiness, week: Week) -> str:
    """The strip's mark for ``week``: taller the nearer its score is to the hardest's."""
    scores = [w.score for w in report.weeks]
    low, top = min(scores), max(scores)
    share = (week.score - low) / (top - low) if top > low else 0.0
    return BLOCKS[round(share * (len(BLOCKS) - 1))]


def heat_strip(report: Readiness) -> Text:
    """One mark per week in date order, with the first and last call days under it."""
    from rich.text import Text

    weeks = report.weeks
    strip = Text("  ")
    for week in weeks:
        strip.append(mark(report, week), style=STYLES[report.level(week)])
    if weeks:
        first, last = short_date(weeks[0].notification), short_date(weeks[-1].notification)
        room = len(weeks) - len(first) - len(last)
        label = f"{first}{' ' * room}{last}" if room >= 1 else f"{first} to {last}"
        label = first if len(weeks) == 1 else label
        strip.append("\n  " + label)
    return strip


def _deadlines(week: Week) -> str:
    """The call's deadlines, one a line: ``Tue 3 Jun 11:00 Person-level data ...``."""
    lines = []
    for deadline in week.deadlines:
        if deadline.id in (NOTIFICATION, ON_SITE_START, ON_SITE_END):
            continue
        at = f" {deadline.time:%H:%M}" if deadline.time else ""
        lines.append(f"{short_date(deadline.date)}{at}: {deadline.title} ({deadline.source})")
    return "\n".join(lines)


def _risks(week: Week) -> str:
    if not week.risks:
        return "nothing found"
    return "\n".join(
        f"[{r.score}] {r.text[:1].upper()}{r.text[1:]} ({r.source})" for r in week.risks
    )


def readiness_renderable(report: Readiness, detail: bool = False) -> RenderableType:
    """Everything ``sendplan ready`` prints for a person."""
    from rich.console import Group
    from rich.text import Text

    parts: list[RenderableType] = [
        Text(
            f"Before the call: {report.local_area}, as of {date_text(report.today, long=True)}",
            style="bold",
        ),
        Text(
            f"{plural(len(report.weeks), 'day')} the call may come "
            f"(usually a {report.data.weekday}; in the week before when a bank holiday falls "
            f"in week 1 or 2, {report.rule_source}), each with the deadlines it would set and "
            "what would hurt. Score: the weighted count of a week's risks, in [brackets]."
        ),
        Text(
            "\nWeeks by risk (one mark a week; taller and redder is harder than the others):",
            style="bold",
        ),
        heat_strip(report),
    ]
    if detail:
        parts += [week_block(report, week) for week in report.weeks]
    else:
        parts.append(weeks_table(report))
        if report.weeks:
            parts.append(
                Text(
                    "The deadlines each call sets: `sendplan ready --detail`, or "
                    "`sendplan schedule CASE --notification DATE` for the whole plan.",
                    style="dim",
                )
            )
    parts.append(Text("\nHardest to easiest:", style="bold"))
    parts.append(Text(ranking_text(report)))
    parts += stale_parts(report)
    if report.national is not None:
        parts.append(Text("\nWhere the area stands (an estimate):", style="bold"))
        parts += [Text(s) for s in report.national.sentences()]
    notes = [*report.notes, *report.assumptions]
    if notes:
        parts.append(Text(""))
        parts += [Text(n, style="dim") for n in notes]
    return Group(*parts)


def weeks_table(report: Readiness) -> RenderableType:
    """One row a week: the call, the on-site days, the score and every risk."""
    from rich.text import Text

    from sendplan.render.tables import Col, FitTable

    table = FitTable(
        [
            Col("Call", key=True, wrap=False),
            Col("On site", wrap=False, break_at=" - "),
            Col("Score", key=True, wrap=False, justify="right"),
            Col("Rank", wrap=False, drop=2, justify="right"),
            Col("Risks, each with its source", ratio=6, min_width=24),
        ]
    )
    for week in report.weeks:
        table.add_row(
            date_text(week.notification, weekday=True),
            f"{short_date(week.on_site_start)} - {short_date(week.on_site_end)}",
            Text(str(week.score), style=STYLES[report.level(week)]),
            str(week.rank),
            _risks(week),
        )
    return table


def week_block(report: Readiness, week: Week) -> RenderableType:
    """One week in full (``--detail``): every deadline the call sets, then every risk."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    title = Text(f"\nIf the call comes on {date_text(week.notification, long=True, weekday=True)}")
    title.stylize("bold")
    level = f", {report.level(week)}" if len(report.weeks) > 1 else ""
    title.append(
        f" (score {week.score}, rank {week.rank} of {len(report.weeks)}{level})",
        style=STYLES[report.level(week)],
    )
    on_site = next((d for d in week.deadlines if d.id == ON_SITE_START), None)
    site = f"On site {short_date(week.on_site_start)} - {short_date(week.on_site_end)}"
    site += f" ({on_site.source})" if on_site else ""
    return Group(
        title,
        Text("  Deadlines it sets:"),
        Padding(Text(_deadlines(week) + "\n" + site), (0, 0, 0, 4)),
        Text("  What would hurt:"),
        Padding(Text(_risks(week)), (0, 0, 0, 4)),
    )


def ranking_text(report: Readiness) -> str:
    """``1. Wed 24 Dec 2025 [36]; 2. ...``: the weeks, hardest first."""
    return "; ".join(
        f"{w.rank}. {date_text(w.notification, weekday=True)} [{w.score}]" for w in report.ranked()
    )


def stale_parts(report: Readiness) -> list[RenderableType]:
    """The stale evidence today, by owner."""
    from rich.text import Text

    from sendplan.readiness.report import stale_words

    groups = report.stale_by_owner()
    title = f"\nStale evidence today, by owner ({plural(len(report.stale), 'item')}):"
    parts: list[RenderableType] = [Text(title, style="bold")]
    if not groups:
        parts.append(Text("None: every open item's evidence is within its limit."))
    for owner, entries in groups:
        who = f"{owner or '(no owner)'} ({plural(len(entries), 'item')})"
        parts.append(Text(f"  {who}: {stale_words(entries)}"))
    return parts


def check_text(report: Readiness) -> str:
    """``ready --check``'s message: one line per failure (stderr)."""
    lines = [f"sendplan: not ready for the call ({plural(len(report.failures), 'problem')}):"]
    lines += [f"  {failure}" for failure in report.failures]
    return "\n".join(lines)

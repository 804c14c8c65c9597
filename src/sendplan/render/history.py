"""``sendplan history`` as Rich renderables (and the text pieces the schedule shows).

Rich is imported inside the functions, so ``--format json`` never pays for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sendplan.dates import date_text
from sendplan.history import OUTCOME_LABELS, PACKAGED, describe
from sendplan.rules import KIND_LABELS, kind_title
from sendplan.words import plural

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

    from sendplan.history import History, HistoryMention, NextStep, Observed, RecordedInspection

STATUS_TEXT: dict[str, str] = {
    "done": "done",
    "overdue": "OVERDUE",
    "due": "window open",
    "upcoming": "upcoming",
    "expected": "expected",
    "past": "date passed",
    # A planning assumption (the next engagement meeting, para 188): never due.
    "assumed_past": "assumed date, now past (not a deadline; the record does not list these)",
    "past_window": "past the usual window",
    # Para 24's window closed with no inspection in the record, which lists
    # published reports only.
    "not_in_record": "window closed; not yet in the record",
}


def how_long(days: int) -> str:
    """``3 days``, ``2 weeks``, ``about 4 months``: how far past a window, roughly."""
    if days < 14:
        return plural(days, "day")
    if days < 61:
        return f"{days // 7} weeks"
    months = round(days / 30.44)
    return f"about {months} months"


def observed_text(observed: Observed) -> str:
    """``Record: half of 7 2023-framework full inspections published within ...``."""
    timing = observed.timing
    return (
        f"Record: half of {timing.size} {KIND_LABELS[timing.kind].plural} published within "
        f"{timing.median} working days ({date_text(observed.median_date)}), 80% within "
        f"{timing.p80} ({date_text(observed.p80_date)}); {observed.within_plan} of "
        f"{timing.size} within the {observed.plan_working_days} planned here."
    )


def mention_text(mention: HistoryMention) -> str:
    """``Alphashire in the inspection record: last inspection Full inspection ...``."""
    area = mention.area
    if mention.previous is None:
        text = f"{area.name}: no earlier inspection in the record."
    else:
        text = (
            f"{area.name} in the inspection record: last inspection {describe(mention.previous)}."
        )
    if mention.same is not None:
        text += f" This inspection is in the record: {describe(mention.same)}."
    return text


def on_site_text(inspection: RecordedInspection) -> str:
    """``17 Jul 2023 to 21 Jul 2023``, ``from 25 Sep 2017``, or ``not recorded``."""
    first, last = inspection.first_on_site, inspection.last_on_site
    if first and last and first != last:
        return f"{date_text(first)} to {date_text(last)}"
    if first and last:
        return date_text(first)
    if first:
        return f"from {date_text(first)}"
    if inspection.notification:
        return f"notified {date_text(inspection.notification)}"
    return "not recorded"


def outcome_text(inspection: RecordedInspection) -> str:
    """The outcome as published, or the outcome id's label."""
    if inspection.outcome_text and inspection.outcome_text != "not parsed":
        return inspection.outcome_text
    if inspection.outcome:
        return OUTCOME_LABELS[inspection.outcome]
    return "not in the record"


def findings_text(inspection: RecordedInspection) -> str:
    """Weaknesses, progress on them, or areas for priority action."""
    parts = []
    weaknesses = inspection.significant_weaknesses
    if inspection.kind == "revisit" and inspection.sufficient is not None:
        total = (
            weaknesses
            if weaknesses is not None
            else inspection.sufficient + (inspection.insufficient or 0)
        )
        weakness = plural(total, "weakness", "weaknesses", number=False)
        parts.append(f"sufficient progress on {inspection.sufficient} of {total} {weakness}")
    elif weaknesses is not None:
        parts.append(plural(weaknesses, "significant weakness", "significant weaknesses"))
    if inspection.priority_actions is not None:
        n = inspection.priority_actions
        parts.append(f"{plural(n, 'area')} for priority action")
    return "; ".join(parts)


def window_text(step: NextStep) -> str:
    prefix = "about " if step.approximate else ""
    if step.start is None:
        return f"{prefix}{date_text(step.end)}"
    return f"{date_text(step.start)} to {prefix}{date_text(step.end)}"


def status_text(step: NextStep) -> str:
    text = STATUS_TEXT.get(step.status, step.status)
    if step.status == "past_window":
        # Paras 20, 37 say "usually" and "approximately": no deadline was broken.
        return f"{how_long(step.days_past)} {text} (not yet in the record)"
    if step.done_by is not None:
        return f"{text}: {step.done_by.kind_label.lower()}, {on_site_text(step.done_by)}"
    return text


def note_text(step: NextStep) -> str:
    """The rule's note, and where the date is counted from when the record moved it."""
    parts = [step.note] if step.note else []
    anchor, implied = step.anchor, step.implied_from
    if anchor is not None and implied is not None:
        parts.append(
            f"Counted from {anchor.title[:1].lower()}{anchor.title[1:]} on about "
            f"{date_text(anchor.date)}, as the recorded publication on "
            f"{date_text(implied.date)} implies ({anchor.source}; {implied.source})."
        )
    return " ".join(parts)


def sources(history: History) -> list[str]:
    """Each distinct source once, in order of first use (numbered in the table)."""
    seen: list[str] = []
    for inspection in history.area.inspections:
        if inspection.source and inspection.source not in seen:
            seen.append(inspection.source)
    return seen


def history_renderable(history: History) -> RenderableType:
    """The area's inspections, then what comes next, then the sources."""
    from rich.console import Group
    from rich.text import Text

    area = history.area
    codes = f" ({', '.join(area.codes)})" if area.codes else ""
    count = plural(len(area.inspections), "inspection")
    refs = sources(history)
    from sendplan.history.reorganisations import lineage_sentences

    own = history.lineage.own_code(area.name)
    if own is not None and own not in area.codes:
        codes = f" ({own})"
    parts: list[RenderableType] = [
        Text(f"{area.name}{codes}: {count} in the record", style="bold"),
        *(Text(sentence) for sentence in lineage_sentences(area.name, area.codes)),
        _inspections_table(history, refs),
    ]
    if history.steps:
        parts.append(_steps_table(history))
    else:
        parts.append(Text("What comes next: the record does not say (no outcome recorded)."))
    for step in history.steps:
        note = note_text(step)
        if note:
            parts.append(Text(f"{step.title}: {note}", style="dim"))
    parts.append(Text("Sources:"))
    # Wrapped at spaces only: a path or link longer than the line runs past it
    # whole (the terminal wraps it), so it can be copied (issue 25).
    for number, source in enumerate(refs, start=1):
        parts.append(Unbroken(f"[{number}] {source}", style="dim"))
    data = (
        "the packaged record (Open Government Licence v3.0)"
        if history.source == PACKAGED
        else history.source
    )
    parts.append(Unbroken(f"Data: {data}.", style="dim"))
    return Group(*parts)


class Unbroken:
    """Text wrapped at spaces only, never inside a word: a path or link longer than
    the line runs past it whole (printed uncropped; the terminal wraps it)."""

    def __init__(self, text: str, style: str = "") -> None:
        self.text = text
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        import textwrap

        from rich.segment import Segment
        from rich.style import Style

        style = Style.parse(self.style) if self.style else None
        for line in textwrap.wrap(
            self.text, options.max_width, break_long_words=False, break_on_hyphens=False
        ) or [""]:
            yield Segment(line, style)
            yield Segment.line()


def _inspections_table(history: History, refs: list[str]) -> RenderableType:
    from sendplan.render.tables import Col, FitTable

    table = FitTable(
        [
            Col("Kind", ratio=2),
            Col("On site", wrap=False, break_at=" to "),
            Col("Published", wrap=False),
            Col("Outcome", ratio=3, min_width=16),
            Col("Findings", ratio=2, drop=1),
            Col("Src", key=True, wrap=False, justify="right"),
        ],
        title="Inspections",
    )
    for inspection in history.area.inspections:
        outcome = outcome_text(inspection)
        if inspection.notes:
            outcome += "\nNote: " + "; ".join(inspection.notes)
        table.add_row(
            kind_title(inspection.kind),
            on_site_text(inspection),
            date_text(inspection.publication) if inspection.publication else "not recorded",
            outcome,
            findings_text(inspection),
            f"[{refs.index(inspection.source) + 1}]" if inspection.source in refs else "",
        )
    return table


def _steps_table(history: History) -> RenderableType:
    from sendplan.render.tables import Col, FitTable

    steps = FitTable(
        [
            Col("What", ratio=3, min_width=16),
            Col("When", wrap=False, break_at=" to "),
            Col("Status", ratio=2),
            Col("Source", key=True, ratio=1),
        ],
        title=f"What comes next (as of {date_text(history.today)})",
    )
    for step in history.steps:
        steps.add_row(
            step.title,
            window_text(step),
            status_text(step),
            step.source,
            style="bold" if step.status == "overdue" else None,
        )
    return steps

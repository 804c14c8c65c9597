"""Views of a timetable: a Rich day-by-day grid, Markdown for leaders, JSON for scripts,
and a workbook (or CSV) for the partners who live in Excel."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from typing import TYPE_CHECKING, Any

from sendplan.dates import date_text
from sendplan.render.spreadsheets import Column, Sheet, about_rows, csv_text, workbook
from sendplan.timetable.model import Problem, hhmm
from sendplan.timetable.preferences import PREFERENCES
from sendplan.timetable.results import Booked, Move, Placement, Timetable
from sendplan.words import plural

if TYPE_CHECKING:
    from rich.console import RenderableType

# Rich is imported inside the functions that draw: --format json and markdown never load it.


def _day(d: date) -> str:
    return date_text(d, weekday=True)


def _mode(pl: Placement) -> str:
    s = pl.session
    return s.venue if s.in_person else s.mode.replace("_", " ")


def _names(problem: Problem, people: Sequence[str]) -> str:
    return ", ".join(_who(problem, p) for p in people)


def _who(problem: Problem, person: str) -> str:
    """A person's name; a provider gone from the case (a dropped visit) by its name too."""
    return problem.name(person) if person in problem.names else person.removeprefix("provider:")


def _with(problem: Problem, pl: Placement) -> str:
    """Who attends besides the inspectors: people of the case, then others."""
    parts = [", ".join(_short(problem, x) for x in pl.session.people), pl.session.others or ""]
    return "; ".join(x for x in parts if x)


def _short(problem: Problem, person: str) -> str:
    """An inspector's short name: the first name given, else the role."""
    full = problem.name(person)
    if person.startswith("provider:"):
        return full
    return full.split(" (")[0].split(", ")[0]


def _booked_json(b: Booked) -> dict[str, Any]:
    return _slot_json(b.date, b.start, b.end, b.people, b.venue, b.mode)


def _slot_json(
    day: date, start: int, end: int, people: Sequence[str], venue: str, mode: str
) -> dict[str, Any]:
    return {
        "date": day.isoformat(),
        "start": hhmm(start),
        "end": hhmm(end),
        "people": list(people),
        "venue": venue,
        "mode": mode,
    }


def placement_json(pl: Placement) -> dict[str, Any]:
    s = pl.session
    return {
        "id": s.id,
        "title": s.title,
        "kind": s.kind,
        **_slot_json(pl.date, pl.start, pl.end, pl.people, s.venue, s.mode),
        "inspectors": list(pl.inspectors),
        "others": s.others,
        "source": s.source,
        "about": s.about,
    }


def tell_json(timetable: Timetable) -> list[dict[str, Any]]:
    """The tell list: one entry per (attendee, changed session), the LANO's first."""
    from sendplan.timetable.replan import tell_list

    p = timetable.problem
    return [
        {
            "attendee": t.attendee,
            "name": t.attendee if t.free_text else _who(p, t.attendee),
            "session": t.session,
            "title": t.title,
            "change": t.change,
            "free_text": t.free_text,
            "via": t.via,
        }
        for t in tell_list(timetable.moves)
    ]


def tell_lines(timetable: Timetable) -> list[tuple[str, str]]:
    """The tell list in words, one (who, what) a line: each person of the case with
    their changed sessions; under the LANO, the attendees the LANO tells."""
    from sendplan.timetable.replan import LANO, tell_list

    p = timetable.problem
    people: dict[str, list[str]] = {}
    relayed: dict[str, list[str]] = {}
    for t in tell_list(timetable.moves):
        what = f"{t.title} ({t.change})"
        (relayed if t.free_text else people).setdefault(t.attendee, []).append(what)
    out = []
    for person, items in people.items():
        out.append((_who(p, person), "; ".join(items)))
        if person == LANO:
            out += [(f"  tells {who}", "; ".join(what)) for who, what in relayed.items()]
    return out


def to_json(timetable: Timetable) -> dict[str, Any]:
    p = timetable.problem
    return {
        "local_area": p.local_area,
        "kind": p.kind,
        "title": p.title,
        "complete": timetable.complete,
        "days": [d.isoformat() for d in p.days],
        "settings": {
            "day_start": hhmm(p.day_start),
            "day_end": hhmm(p.day_end),
            "review_minutes": p.review,
            "slack_minutes": p.slack,
            "travel_minutes": p.travel_default,
            "travel": [
                {"between": sorted(k), "minutes": v} for k, v in sorted(p.travel.items(), key=str)
            ],
        },
        "inspectors": list(p.inspectors),
        "people": {
            person: p.name(person)
            for person in sorted({x for s in p.sessions for x in s.inspectors + s.people + s.pool})
        },
        "sessions": [placement_json(pl) for pl in timetable.placements],
        "blocks": [
            {
                "who": b.who,
                "date": b.date.isoformat(),
                "start": hhmm(b.start),
                "end": hhmm(b.end),
                "kind": b.kind,
            }
            for b in timetable.blocks
        ],
        "unplaced": [
            {
                "id": s.id,
                "title": s.title,
                "source": s.source,
                "window": s.window_text,
                "reason": timetable.reasons.get(s.id, ""),
            }
            for s in timetable.unplaced
        ],
        "capacity": list(timetable.capacity),
        "conflict": list(timetable.conflict),
        "moved": [
            {
                "id": m.id,
                "title": m.title,
                "before": _booked_json(m.before) if m.before else None,
                "after": placement_json(m.after) if m.after else None,
                "tell": list(m.tell),
                "others": list(m.others),
            }
            for m in timetable.moves
        ],
        "agreed": timetable.agreed.isoformat() if timetable.agreed else None,
        "draft": timetable.agreed is None,
        "audience": timetable.audience,
        "not_planned": list(timetable.not_planned),
        "tell": tell_json(timetable),
        "cancelled": [
            {
                "id": c.id,
                "title": c.booked.title,
                "reason": c.reason,
                "replaced_by": c.replaced_by,
                "since": c.since.isoformat() if c.since else None,
                **_booked_json(c.booked),
            }
            for c in timetable.cancelled
        ],
        "today": timetable.today.isoformat() if timetable.today else None,
        "warnings": list(timetable.warnings),
        "preferences": [{"preference": what, "source": why} for what, why in PREFERENCES],
    }


# ------------------------------------------------------------------ Rich
def renderable(timetable: Timetable) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    p = timetable.problem
    sessions = plural(len(timetable.placements), "session")
    parts: list[RenderableType] = [
        Text(
            f"{_heading(timetable)} ({sessions}, "
            f"{plural(len(p.inspectors), 'inspector')}; "
            f"working day {hhmm(p.day_start)}-{hhmm(p.day_end)}, "
            f"{p.review} min review and {p.slack} min kept free per inspector per day, "
            f"{p.travel_default} min travel between venues: handbook para 96)",
            style="bold",
        ),
        Text(_agreement(timetable), style="bold" if timetable.agreed is None else "dim"),
    ]
    parts += [Text(line) for line in _preamble(timetable)]
    for day in _days(timetable):
        parts.append(Text(""))
        parts.append(Text(_day(day), style="bold underline"))
        parts.append(_DayTable([pl for pl in timetable.placements if pl.date == day], p))
        review = [
            f"{_short(p, b.who)} {hhmm(b.start)}-{hhmm(b.end)}"
            for b in timetable.blocks
            if b.date == day and b.kind == "review"
        ]
        if review:
            parts.append(Text("  Review and analysis: " + "; ".join(review), style="dim"))
    parts += _moves_renderables(timetable)
    return Group(*parts)


def _heading(timetable: Timetable) -> str:
    p = timetable.problem
    whose = f" ({timetable.audience})" if timetable.audience else ""
    return f"Timetable: {p.title}, {p.local_area}{whose}"


def _agreement(timetable: Timetable) -> str:
    """The draft mark until the lead inspector has agreed the timetable (para 98)."""
    from sendplan.timetable.views import DRAFT

    if timetable.agreed is None:
        return DRAFT
    return f"Agreed with the lead inspector on {_day(timetable.agreed)} (handbook para 98)"


def _days(timetable: Timetable) -> list[date]:
    """The days with a session: a day with none gets no heading (see :func:`_preamble`)."""
    return sorted({pl.date for pl in timetable.placements})


def _preamble(timetable: Timetable) -> list[str]:
    """What the guidance has that this week does not, and the days without a session."""
    lines = list(timetable.not_planned)
    empty = [d for d in timetable.problem.days if d not in set(_days(timetable))]
    if empty and timetable.audience is None:
        lines.append(
            "No sessions on "
            + ", ".join(_day(d) for d in empty)
            + ": off-site analysis and review."
        )
    return lines


#: The columns of a day's grid, and the compact form when they do not fit.
_WIDE = ("Time", "Session", "Inspectors", "With", "Where", "Source")
#: Narrower than this, six columns wrap every cell to a word a line: three read better.
WIDE_FROM = 100


class _DayTable:
    """One day's sessions: six columns where they fit; else three, the session's
    people, place and paragraph under its title, so no time is cut and no word split."""

    def __init__(self, placements: Sequence[Placement], problem: Problem) -> None:
        self.placements = placements
        self.problem = problem

    def wide(self) -> Any:
        from sendplan.render.tables import Col, FitTable

        p = self.problem
        table = FitTable(
            [
                Col("Time", wrap=False),
                Col("Session", ratio=3, min_width=16),
                Col("Inspectors", key=True, ratio=2),
                Col("With", ratio=2),
                Col("Where", ratio=1),
                Col("Source", key=True, ratio=1),
            ]
        )
        for pl in self.placements:
            table.add_row(
                _times(pl),
                pl.session.title,
                ", ".join(_short(p, i) for i in pl.inspectors),
                _with(p, pl),
                _mode(pl),
                pl.session.source,
            )
        return table

    def compact(self) -> Any:
        from sendplan.render.tables import Col, FitTable

        p = self.problem
        table = FitTable(
            [
                Col("Time", wrap=False),
                Col("Session", ratio=3),
                Col("Inspectors", key=True, ratio=1),
            ]
        )
        for pl in self.placements:
            details = [f"with {_with(p, pl)}" if _with(p, pl) else "", _mode(pl), pl.session.source]
            table.add_row(
                _times(pl),
                pl.session.title + "\n" + "; ".join(x for x in details if x),
                ", ".join(_short(p, i) for i in pl.inspectors),
            )
        return table

    def __rich_console__(self, console: Any, options: Any) -> Any:
        wide = self.wide()
        columns = range(len(_WIDE))
        fits = sum(wide.narrowest(i) for i in columns) + wide.overhead(len(_WIDE))
        roomy = options.max_width >= WIDE_FROM
        yield wide if roomy and fits <= options.max_width else self.compact()


def _times(pl: Placement) -> str:
    return f"{hhmm(pl.start)}-{hhmm(pl.end)}"


def _moves_renderables(timetable: Timetable) -> list[RenderableType]:
    from rich.text import Text

    from sendplan.render.tables import Col, FitTable

    if not timetable.replanned:
        return []
    p = timetable.problem
    if not timetable.moves:
        return [Text(""), Text("Re-planned: nothing moved; nobody needs telling.", style="bold")]
    out: list[RenderableType] = [
        Text(""),
        Text(f"Re-planned: {plural(len(timetable.moves), 'session')} changed", style="bold"),
    ]
    table = FitTable(
        [
            Col("Session", ratio=3, min_width=16),
            # When a session was and is: kept on one line while the title can wrap.
            Col("Was", key=True, ratio=1),
            Col("Now", key=True, ratio=1),
            Col("Tell", key=True, ratio=2),
        ]
    )
    for move in timetable.moves:
        was, now = _was_now(move)
        table.add_row(move.title, was, now, _names(p, move.tell))
    out.append(table)  # its bottom edge is the blank line before what follows
    out.append(Text(TELL_HEADING, style="bold"))
    for who, what in tell_lines(timetable):
        out.append(Text(f"  {who}: {what}"))
    return out


#: Heading of the tell list (handbook paras 96, 114: the LANO hears of every change).
TELL_HEADING = (
    "Who must be told (the LANO hears of every change and tells the attendees the case "
    "names only in words: paras 96, 114)"
)


def _was_now(move: Move) -> tuple[str, str]:
    """When a re-planned session was and is: ``Wed 14 May 2025 08:30-10:30``, new, dropped."""
    was = (
        move.before
        and f"{_day(move.before.date)} {hhmm(move.before.start)}-{hhmm(move.before.end)}"
    )
    now = move.after and f"{_day(move.after.date)} {hhmm(move.after.start)}-{hhmm(move.after.end)}"
    return was or "(new)", now or "(dropped)"


def conflict_text(timetable: Timetable) -> str:
    """Why the timetable is not complete: each session not placed and its reason."""
    p = timetable.problem
    lines = [
        f"sendplan: cannot place every session ({p.title}, {p.local_area}): "
        f"{plural(len(timetable.placements), 'session')} placed (shown above), "
        f"{len(timetable.unplaced)} not placed:"
    ]
    lines += [
        f"  - not placed: {s.title} ({s.source}): {timetable.reasons.get(s.id, '')}"
        for s in timetable.unplaced
    ]
    if timetable.capacity:
        lines.append("Not enough inspector time (checked before placing anything):")
        lines += [f"  - {line}" for line in timetable.capacity]
    if timetable.conflict:
        lines.append("These cannot all hold (changing any one of them would let the rest fit):")
        lines += [f"  - {line}" for line in timetable.conflict]
    return "\n".join(lines)


def check_text(problems: Sequence[str], source: str) -> str:
    if not problems:
        return f"{source}: the timetable still fits the case\n"
    count = plural(len(problems), "problem")
    lines = [f"{source}: the timetable no longer fits the case ({count}):"]
    lines += [f"  - {x}" for x in problems]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ Markdown
def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(timetable: Timetable) -> str:
    p = timetable.problem
    mark = _agreement(timetable)
    out = [
        f"# {_heading(timetable)}",
        "",
        f"> **{mark}**" if timetable.agreed is None else mark + ".",
        "",
        f"Working day {hhmm(p.day_start)} to {hhmm(p.day_end)}. Each inspector keeps "
        f"{p.review} minutes a day to review evidence and {p.slack} minutes free for changes; "
        f"in-person sessions at different venues are at least {p.travel_default} minutes apart "
        "(handbook para 96). The timetable may change in response to emerging findings: the "
        "LANO will tell everyone affected.",
    ]
    preamble = _preamble(timetable)
    if preamble:
        out += ["", *(f"- {_cell(line)}" for line in preamble)]
    for day in _days(timetable):
        out += ["", f"## {_day(day)}", ""]
        out.append("| Time | Session | Inspectors | With | Where | Source |")
        out.append("|---|---|---|---|---|---|")
        for pl in (pl for pl in timetable.placements if pl.date == day):
            cells = [
                f"{hhmm(pl.start)}-{hhmm(pl.end)}",
                pl.session.title,
                ", ".join(_short(p, i) for i in pl.inspectors),
                _with(p, pl),
                _mode(pl),
                pl.session.source,
            ]
            out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    if timetable.unplaced:
        out += ["", "## Not placed", ""]
        for s in timetable.unplaced:
            out.append(f"- {_cell(s.title)} ({s.source}): {_cell(timetable.reasons.get(s.id, ''))}")
    if timetable.replanned:
        out += ["", "## What moved, and who must be told", ""]
        if not timetable.moves:
            out.append("Nothing moved.")
        for move in timetable.moves:
            was, now = _was_now(move)
            out.append(f"- {_cell(move.title)}: {was} → {now}")
        if timetable.moves:
            out += ["", f"### {TELL_HEADING}", ""]
            for who, what in tell_lines(timetable):
                indent = "  " if who.startswith("  ") else ""
                out.append(f"{indent}- {_cell(who.strip())}: {_cell(what)}")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ spreadsheets
def _clock(value: int) -> time:
    """Minutes after midnight as a time: an Excel time in a workbook."""
    return time(*divmod(value, 60))


def holds_tracked_children(timetable: Timetable) -> bool:
    """Whether any session (placed, unplaced or moved) is about a tracked child.

    Such sessions carry the child's pseudonymous Unique ID in their id and
    title: personal data, so files holding them are written owner-only.
    """
    from sendplan.timetable.activities import load_activities

    per_child = {
        a.id for a in load_activities(timetable.problem.kind).activities if a.each == "child"
    }
    sessions = [pl.session for pl in timetable.placements] + list(timetable.unplaced)
    return any(s.activity in per_child for s in sessions) or any(
        m.id.partition(":")[0] in per_child for m in timetable.moves
    )


_SESSION_COLUMNS = (
    Column("id", "Session id", "code", max_width=40),
    Column("title", "Session", max_width=60),
    Column("kind", "Kind", "code", max_width=30),
    Column("date", "Date", "date"),
    Column("start", "Start", "time"),
    Column("end", "End", "time"),
    Column("inspectors", "Inspectors", max_width=50),
    Column("with", "With", max_width=60),
    Column("venue", "Venue", max_width=30),
    Column("mode", "Mode", "code"),
    Column("source", "Source", max_width=30),
)


def _listed(problem: Problem, people: Sequence[str]) -> str:
    """Full names for a cell, split by semicolons: a name may hold a comma."""
    return "; ".join(problem.name(p) for p in people)


def _attendees(problem: Problem, pl: Placement) -> str:
    """Everyone besides the inspectors: people of the case, then others."""
    return "; ".join(x for x in (_listed(problem, pl.session.people), pl.session.others) if x)


def timetable_sheets(timetable: Timetable) -> list[Sheet]:
    """The sessions (one row each), those not placed, and after a re-plan what moved."""
    p = timetable.problem
    sessions = [
        [
            pl.session.id,
            pl.session.title,
            pl.session.kind,
            pl.date,
            _clock(pl.start),
            _clock(pl.end),
            _listed(p, pl.inspectors),
            _attendees(p, pl),
            pl.session.venue,
            pl.session.mode.replace("_", " "),
            pl.session.source,
        ]
        for pl in timetable.placements
    ]
    unplaced_columns = (
        Column("id", "Session id", "code", max_width=40),
        Column("title", "Session", max_width=60),
        Column("window", "When it may go", max_width=60),
        Column("source", "Source", max_width=30),
        Column("reason", "Why not placed", max_width=80),
    )
    unplaced = [
        [s.id, s.title, s.window_text, s.source, timetable.reasons.get(s.id, "")]
        for s in timetable.unplaced
    ]
    sheets = [
        Sheet("Sessions", _SESSION_COLUMNS, sessions),
        Sheet("Unplaced", unplaced_columns, unplaced),
    ]
    if timetable.replanned:
        from sendplan.timetable.replan import move_change

        moved_columns = (
            Column("id", "Session id", "code", max_width=40),
            Column("title", "Session", max_width=60),
            Column("was_date", "Was: date", "date"),
            Column("was_start", "Was: start", "time"),
            Column("was_end", "Was: end", "time"),
            Column("date", "Now: date", "date"),
            Column("start", "Now: start", "time"),
            Column("end", "Now: end", "time"),
            Column("change", "Change", "code"),
            Column("tell", "Tell", max_width=80),
        )
        moved = [
            [
                m.id,
                m.title,
                *_when(m.before),
                *_when(m.after),
                move_change(m),
                "; ".join([*(_who(p, x) for x in m.tell), *m.others]),
            ]
            for m in timetable.moves
        ]
        sheets.append(Sheet("Moved", moved_columns, moved))
    return sheets


def _when(slot: Booked | Placement | None) -> tuple[date | time | None, ...]:
    """A slot's date, start and end for a sheet (blank when there is none)."""
    if slot is None:
        return (None, None, None)
    return (slot.date, _clock(slot.start), _clock(slot.end))


def timetable_csv(timetable: Timetable) -> str:
    """One row per placed session (dates and times ISO, for Excel and scripts)."""
    return csv_text(timetable_sheets(timetable)[0])


def timetable_workbook(timetable: Timetable, previous: str | None = None) -> bytes:
    """The timetable as a workbook: sessions, unplaced, what moved, and how it was made."""
    p = timetable.problem
    if not timetable.replanned:
        replanned = None
    elif timetable.moves:
        changed = plural(len(timetable.moves), "session")
        replanned = f"from {previous}: {changed} changed (sheet Moved)"
    else:
        replanned = f"from {previous}: nothing moved; nobody needs telling"
    about = about_rows(
        _heading(timetable),
        None,
        ("Sessions", f"{len(timetable.placements)} placed, {len(timetable.unplaced)} not placed"),
        ("Working day", f"{hhmm(p.day_start)} to {hhmm(p.day_end)}"),
        (
            "Kept free",
            f"Each inspector keeps {p.review} minutes a day to review evidence and "
            f"{p.slack} minutes free for changes; in-person sessions at different venues "
            f"are at least {p.travel_default} minutes apart (handbook para 96).",
        ),
        ("Agreed", _agreement(timetable)),
        ("For", timetable.audience),
        ("Re-planned", replanned),
        *(("Not planned", line) for line in timetable.not_planned),
        *(("Conflict", line) for line in timetable.conflict),
        *(("Warning", w) for w in timetable.warnings),
        (
            "Children's data",
            "Tracked children by pseudonymous Unique ID only; keep this file owner-only."
            if holds_tracked_children(timetable)
            else None,
        ),
    )
    return workbook(timetable_sheets(timetable), about)

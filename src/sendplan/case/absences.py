"""``[[absences]]``: whole days someone is away (leave, training, illness), declared once.

Each entry names a person (a ``[people]`` role, a name in ``[people]`` or
``[[people.other]]``, or a provider) and the first and last day away, both
inclusive.  The timetable reads them as unavailability on every day they
cover, together with ``[[timetable.unavailable]]`` (issue 19); the readiness
work builds on them.  The same person and day in both is an error: one of the
two entries is stale, and the case file should say which.
"""

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from sendplan.errors import suggestion_text
from sendplan.namedtuples import NamedTuple
from sendplan.schema import Annotated, Issue, Key, TableList, record_table


class Absence(NamedTuple):
    """One ``[[absences]]`` entry."""

    who: Annotated[
        str,
        Key(
            "Who is away: a [people] role (dcs, lano, lead_inspector...), the name of a "
            "person in [people] or [[people.other]], or the name of a provider in "
            "[[providers]].",
            required=True,
            example="dcs",
        ),
    ]
    first_day: Annotated[date, Key("The first day away.", required=True)]
    last_day: Annotated[date, Key("The last day away (inclusive).", required=True)]
    note: Annotated[
        str | None, Key("Why, for the record (never a child's name or a health detail).")
    ] = None


ABSENCES_SCHEMA = TableList(
    record_table(Absence, "Whole days someone is away."),
    doc="Whole days someone is away (leave, training): the timetable treats them as "
    "unavailable on each day (first_day to last_day, inclusive).",
)


def build_absences(given: Any, path: Path | None) -> tuple[Absence, ...]:
    """The validated ``[[absences]]`` entries as records."""
    return tuple(
        Absence(a["who"], a["first_day"], a["last_day"], a.get("note")) for a in given or ()
    )


def absence_issues(clean: Mapping[str, Any]) -> list[Issue]:
    """Unknown people, a last day before the first, and a day also in
    ``[[timetable.unavailable]]`` for the same person."""
    from sendplan.case.timetable import person_ids, resolve_who

    entries = clean.get("absences") or ()
    if not entries:
        return []
    ids = person_ids(clean)
    names = sorted(k for k in ids if k == k.casefold())
    issues: list[Issue] = []
    spans: dict[str, list[tuple[date, date, int]]] = {}
    for i, entry in enumerate(entries):
        who, first, last = entry.get("who"), entry.get("first_day"), entry.get("last_day")
        resolved = resolve_who(who, ids) if isinstance(who, str) else None
        if isinstance(who, str) and resolved is None:
            issues.append(
                Issue(
                    ("absences", i, "who"),
                    f"{who!r} is not a [people] role, a person's name or a provider",
                    suggestion_text(who.casefold(), names),
                )
            )
        if isinstance(first, date) and isinstance(last, date):
            if last < first:
                issues.append(
                    Issue(
                        ("absences", i, "last_day"),
                        f"{last} is before first_day ({first})",
                        "`last_day` is the last day away (inclusive)",
                    )
                )
            elif resolved is not None:
                spans.setdefault(resolved, []).append((first, last, i))
    unavailable = (clean.get("timetable") or {}).get("unavailable") or ()
    for j, entry in enumerate(unavailable):
        who, day = entry.get("who"), entry.get("date")
        resolved = resolve_who(who, ids) if isinstance(who, str) else None
        if resolved is None or not isinstance(day, date):
            continue
        for first, last, i in spans.get(resolved, ()):
            if first <= day <= last:
                issues.append(
                    Issue(
                        ("timetable", "unavailable", j, "date"),
                        f"{who} is already away on {day} ([[absences]] entry {i + 1}, "
                        f"{first} to {last})",
                        "keep one of the two entries: remove this one, or shorten the absence",
                    )
                )
                break
    return issues

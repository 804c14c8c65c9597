"""What comes next after an area's last inspection, by the rules (handbook paras 18, 20, 23, 37)."""

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sendplan.calendar import WorkingCalendar, move
from sendplan.dates import date_text

# Imported for the records' annotations, evaluated when the module loads (no
# `from __future__ import annotations`: typing.NamedTuple would compile each as a
# ForwardRef, start-up time); both are low in the house and loaded already.
from sendplan.events import ON_SITE_END, PUBLICATION, Event
from sendplan.history.names import normalise
from sendplan.history.record import (
    Area,
    Record,
    RecordedInspection,
    _iso,
)
from sendplan.history.reorganisations import (
    Reorganisation,
    and_list,
    lineage,
    predecessors_of,
    successors_of,
)
from sendplan.namedtuples import NamedTuple
from sendplan.rules import RuleSet


# ------------------------------------------------------------------ what comes next
class NextStep(NamedTuple):
    """One thing the rules say follows an area's last inspection, with its window.

    ``status``: ``done`` (the record shows it: ``done_by``), ``overdue`` (a
    firm window closed before ``today``), ``past_window`` (an approximate one,
    "usually within 3 years", closed ``days_past`` days ago), ``due`` (the
    window is open), ``upcoming``; steps the record cannot confirm (engagement
    meetings, plans) are ``expected`` or, once their date is before ``today``,
    ``past``.  ``anchor`` is the event the date is counted from when that was
    taken back from a later recorded one (``implied_from``: the publication).
    """

    id: str
    title: str
    source: str
    start: date | None
    end: date
    status: str
    approximate: bool = True
    note: str = ""
    done_by: RecordedInspection | None = None
    anchor: Event | None = None
    implied_from: Event | None = None
    days_past: int = 0

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "window_start": _iso(self.start),
            "window_end": self.end.isoformat(),
            "status": self.status,
            "approximate": self.approximate,
            "source": self.source,
            "note": self.note,
            "done_by": None if self.done_by is None else self.done_by.to_json(),
        }
        if self.status == "past_window":
            out["days_past"] = self.days_past
        if self.anchor is not None and self.implied_from is not None:
            out["counted_from"] = {
                "event": self.anchor.id,
                "date": self.anchor.date.isoformat(),
                "implied_by": self.implied_from.id,
                "implied_by_date": self.implied_from.date.isoformat(),
            }
        return out


_FROM_PUBLICATION = "The on-site dates are not in the record: counted from publication."
#: The full inspection's outcomes, each with its follow-up (handbook paras 20, 37).
FULL_OUTCOMES = ("positive", "inconsistent", "widespread")

#: Follow-up rules that are inspections the record can show happening, by record kind.
_INSPECTION_RULES = {"monitoring_inspection": "monitoring", "next_full_inspection": "full"}


def next_steps(
    area: Area,
    today: date,
    calendar: WorkingCalendar,
    rules: RuleSet | None = None,
    record: Record | None = None,
) -> list[NextStep]:
    """What the rules say comes next after ``area``'s inspections, as of ``today``.

    After a 2023-framework full inspection: the follow-up rules of its outcome
    (``rules``: the packaged full-inspection rules), dated from its recorded
    last on-site day and publication.  With only 2016-framework activity: a
    WSoA not re-visited means a full inspection within the first years of the
    new cycle (para 23); otherwise one within the cycle (para 18).

    An area a reorganisation ended (``data/reorganisations.toml``) has nothing
    more of its own: each successor has a full inspection within 3 years of
    coming into existence (para 24), found in ``record``.  A new area has
    that step too, and what follows its own inspections.
    """
    if rules is None:
        from sendplan.rules import load_rules

        rules = load_rules("full")
    line = lineage(area.name)
    if line.abolished and line.ended is not None:
        return [
            _new_area_step(place.name, line.ended, _rows(record, place.name), today, area.name)
            for place in successors_of(line.ended, area.name)
        ]
    began = line.began
    own = [i for i in area.inspections if began is None or i.when >= began.date]
    fulls = [i for i in own if i.kind == "full"]
    steps = []
    if began is not None:
        steps.append(_new_area_step(area.name, began, own, today))
    if fulls:
        return steps + _after_full(area, fulls[-1], today, calendar, rules)
    if began is not None:
        return steps  # the predecessor's 2016 inspection is not this area's (para 24)
    return _after_2016(area, today, rules)


def _rows(record: Record | None, name: str) -> tuple[RecordedInspection, ...]:
    """The record's inspections of the area called ``name`` (none without a record)."""
    if record is None:
        return ()
    found = record.areas.get(normalise(name))
    return found.inspections if found is not None else ()


#: The kinds of inspection that count as a new area's first (para 24): a
#: 2023-framework full inspection, or a 2016-framework inspection of the new
#: area (Buckinghamshire, 2022), read as one.
_FIRST_INSPECTIONS = ("full", "inspection_2016")


def _new_area_step(
    name: str,
    change: Reorganisation,
    inspections: Sequence[RecordedInspection],
    today: date,
    predecessor: str | None = None,
) -> NextStep:
    """Para 24: a new local area's full inspection within 3 years of coming into existence."""
    place = next(p for p in change.successors if normalise(p.name) == normalise(name))
    start = change.date
    end = move(start, 3, "years", None) - timedelta(days=1)
    done = next((i for i in inspections if i.kind in _FIRST_INSPECTIONS and i.when >= start), None)
    before = and_list([p.name for p in predecessors_of(change, name)])
    note = (
        f"{place.name} ({place.code}) came into existence on {date_text(start, long=True)}, "
        f"replacing {before} ({change.order}); monitoring inspections planned for the "
        "predecessor areas will not be carried out (para 24)."
    )
    if done is not None and done.kind == "inspection_2016":
        note += (
            " Reading taken: its 2016-framework inspection, after it came into existence, "
            "counts as the new area's first."
        )
    if done is not None and done.when > end:
        note += " It was inspected after the window had closed."
    if done is None and today > end:
        note += (
            " The window has closed and the record shows no inspection: the record lists "
            "published reports only, so one may be under way or not yet published."
        )
    if done is not None:
        status = "done"
    elif today > end:
        status = "not_in_record"
    else:
        status = "due" if today >= start else "upcoming"
    title = "Full inspection of a new local area, within 3 years of coming into existence"
    if predecessor is not None:
        title = (
            f"{place.name} ({place.code}), a successor of {predecessor}: "
            + title[:1].lower()
            + title[1:]
        )
    return NextStep(
        id="new_area_full_inspection",
        title=title,
        source="handbook para 24",
        start=start,
        end=end,
        status=status,
        approximate=False,
        note=note,
        done_by=done,
        days_past=(today - end).days if today > end else 0,
    )


def _after_full(
    area: Area,
    last: RecordedInspection,
    today: date,
    calendar: WorkingCalendar,
    rules: RuleSet,
) -> list[NextStep]:
    """The follow-up events of the schedule the record implies for ``last``.

    The dates come from ``build_schedule`` (the one rule resolver): the case is
    the recorded inspection, with its last on-site day and its publication
    date recorded, so everything anchored on them follows, and the final
    report is taken back from the real publication date (``implied_by``,
    paras 138, 144, 148).
    """
    from sendplan.case import Case, Inspection
    from sendplan.schedule import build_schedule

    outcome = last.outcome
    end = last.last_on_site or last.publication
    if outcome not in FULL_OUTCOMES or end is None:
        return []
    day_last = rules.day_last or ON_SITE_END
    dates: dict[str, date | datetime] = {day_last: end}
    if last.publication is not None:
        dates[PUBLICATION] = last.publication
    inspection = Inspection(
        "full", area.name, on_site_start=last.first_on_site or end, outcome=outcome
    )
    schedule = build_schedule(Case(inspection, dates=dates), calendar, rules)
    from_publication = last.last_on_site is None
    later = [i for i in area.inspections if i.when > last.when]
    steps = []
    for event in schedule.events:
        if event.stage != "follow_up":
            continue
        rule = rules.rule(event.id)
        anchor = schedule.get(rule.anchor or "")
        kind = _INSPECTION_RULES.get(rule.id)
        done = next((i for i in later if i.kind == kind), None) if kind else None
        lead = _FROM_PUBLICATION if kind and from_publication else ""
        steps.append(
            NextStep(
                id=rule.id,
                title=rule.title,
                source=rule.source,
                start=anchor.date if kind and anchor else None,
                end=event.date,
                status=_status(event.date, anchor, kind, done, today, event.approximate),
                # A date reached through the handbook's own deadlines is an estimate.
                approximate=event.approximate or anchor is None or not anchor.recorded,
                note=" ".join(n for n in (lead, rule.note) if n),
                done_by=done,
                anchor=anchor if anchor is not None and anchor.implied_by else None,
                implied_from=schedule.get(anchor.implied_by or "") if anchor else None,
                days_past=(today - event.date).days if today > event.date else 0,
            )
        )
    return steps


def _status(
    when: date,
    anchor: Event | None,
    kind: str | None,
    done: RecordedInspection | None,
    today: date,
    approximate: bool,
) -> str:
    if done is not None:
        return "done"
    if kind is None:
        if when < today:
            # A planning assumption (the next engagement meeting) was never due.
            return "assumed_past" if approximate else "past"
        return "expected"
    if today > when:
        # "Usually within 3 years" (paras 20, 37) sets no deadline to break.
        return "past_window" if approximate else "overdue"
    if anchor is not None and today >= anchor.date:
        return "due"
    return "upcoming"


def _after_2016(area: Area, today: date, rules: RuleSet) -> list[NextStep]:
    old = [i for i in area.inspections if i.kind == "inspection_2016"]
    if not old:
        return []
    last = old[-1]
    cycle_start = rules.params.get("cycle_start")
    cycle_years = rules.params.get("cycle_years")
    wsoa_years = rules.params.get("wsoa_not_revisited_years")
    if not isinstance(cycle_start, date) or not isinstance(cycle_years, int):
        return []
    revisited = any(i.kind == "revisit" and i.when > last.when for i in area.inspections)
    if last.outcome == "wsoa" and not revisited and isinstance(wsoa_years, int):
        years, source = wsoa_years, "handbook para 23"
        title = "Full inspection: a WSoA not re-visited under the previous framework"
        note = (
            f"Within the first {years} years of the new inspection cycle, taken to begin "
            f"{date_text(cycle_start, long=True)} (the framework is for use from 2023, para 1)."
        )
    else:
        years, source = cycle_years, "handbook para 18"
        title = "First full inspection under the 2023 framework"
        note = (
            f"Every local area has a full inspection at least once in a {years}-year period, "
            f"taken from {date_text(cycle_start, long=True)} (para 1: for use from 2023)."
        )
    end = move(cycle_start, years, "years", None) - timedelta(days=1)
    status = "overdue" if today > end else ("due" if today >= cycle_start else "upcoming")
    return [
        NextStep(
            id="first_full_inspection",
            title=title,
            source=source,
            start=cycle_start,
            end=end,
            status=status,
            note=note,
        )
    ]


# ------------------------------------------------------------------ the history report
class History(NamedTuple):
    """``sendplan history AREA``: the area's inspections and what comes next."""

    area: Area
    today: date
    steps: tuple[NextStep, ...]
    source: str

    @property
    def lineage(self) -> Any:
        """What the reorganisations say of this area (``history.reorganisations``)."""
        return lineage(self.area.name)

    def to_json(self) -> dict[str, Any]:
        line = self.lineage
        return {
            "local_area": self.area.name,
            "la_codes": list(self.area.codes),
            "own_code": line.own_code(self.area.name),
            "ended": None if line.ended is None else line.ended.to_json(),
            "began": None if line.began is None else line.began.to_json(),
            "today": self.today.isoformat(),
            "data": self.source,
            "inspections": [i.to_json() for i in self.area.inspections],
            "next": [s.to_json() for s in self.steps],
        }


def area_history(record: Record, query: str, today: date, calendar: WorkingCalendar) -> History:
    """The history of the area ``query`` names, and what comes next as of ``today``."""
    area = record.find_area(query)
    steps = next_steps(area, today, calendar, record=record)
    return History(area, today, tuple(steps), record.source)

"""What comes next after an area's last inspection, by the rules (handbook paras 18, 20, 23, 37)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from sendplan.calendar import WorkingCalendar, move
from sendplan.dates import date_text
from sendplan.history.record import (
    Area,
    Record,
    RecordedInspection,
    _iso,
)

if TYPE_CHECKING:
    from sendplan.rules import RuleSet


# ------------------------------------------------------------------ what comes next
class NextStep(NamedTuple):
    """One thing the rules say follows an area's last inspection, with its window.

    ``status``: ``done`` (the record shows it: ``done_by``), ``overdue`` (the
    window closed before ``today``), ``due`` (the window is open), ``upcoming``;
    steps the record cannot confirm (engagement meetings, plans) are
    ``expected`` or, once their date is before ``today``, ``past``.
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

    def to_json(self) -> dict[str, Any]:
        return {
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


#: Follow-up rules that are inspections the record can show happening, by record kind.
_INSPECTION_RULES = {"monitoring_inspection": "monitoring", "next_full_inspection": "full"}


def next_steps(
    area: Area, today: date, calendar: WorkingCalendar, rules: RuleSet | None = None
) -> list[NextStep]:
    """What the rules say comes next after ``area``'s inspections, as of ``today``.

    After a 2023-framework full inspection: the follow-up rules of its outcome
    (``rules``: the packaged full-inspection rules), dated from its recorded
    last on-site day and publication.  With only 2016-framework activity: a
    WSoA not re-visited means a full inspection within the first years of the
    new cycle (para 23); otherwise one within the cycle (para 18).
    """
    if rules is None:
        from sendplan.rules import load_rules

        rules = load_rules("full")
    fulls = [i for i in area.inspections if i.kind == "full"]
    if fulls:
        return _after_full(area, fulls[-1], today, calendar, rules)
    return _after_2016(area, today, rules)


def _after_full(
    area: Area,
    last: RecordedInspection,
    today: date,
    calendar: WorkingCalendar,
    rules: RuleSet,
) -> list[NextStep]:
    outcome = last.outcome
    if outcome not in ("positive", "inconsistent", "widespread"):
        return []
    known: dict[str, date] = {}
    note = ""
    if last.last_on_site is not None:
        known[rules.day_last or "on_site_end"] = last.last_on_site
    elif last.publication is not None:
        known[rules.day_last or "on_site_end"] = last.publication
        note = "The on-site dates are not in the record: counted from publication."
    if last.publication is not None:
        known["publication_due"] = last.publication
    by_id = {r.id: r for r in rules.rules}
    steps = []
    later = [i for i in area.inspections if i.when > last.when]
    for rule in rules.rules:
        if rule.stage != "follow_up":
            continue
        if rule.when_outcome and outcome not in rule.when_outcome:
            continue
        offsets = dict(rule.offset_by_outcome)
        if offsets and outcome not in offsets:
            continue
        when = _resolve(rule.id, by_id, known, outcome, calendar)
        if when is None:
            continue
        anchor = known.get(rule.anchor or "")
        kind = _INSPECTION_RULES.get(rule.id)
        done = next((i for i in later if i.kind == kind), None) if kind else None
        if done is not None:
            status = "done"
        elif kind is None:
            status = "past" if when < today else "expected"
        elif today > when:
            status = "overdue"
        elif anchor is not None and today >= anchor:
            status = "due"
        else:
            status = "upcoming"
        steps.append(
            NextStep(
                id=rule.id,
                title=rule.title,
                source=rule.source,
                start=anchor if kind else None,
                end=when,
                status=status,
                # A date reached through the handbook's own deadlines is an estimate.
                approximate=rule.approximate or rule.anchor not in known,
                note=" ".join(n for n in (note if kind else "", rule.note) if n),
                done_by=done,
            )
        )
    return steps


def _resolve(
    rule_id: str,
    by_id: Mapping[str, Any],
    known: Mapping[str, date],
    outcome: str,
    calendar: WorkingCalendar,
    depth: int = 0,
) -> date | None:
    """A follow-up rule's date from the recorded dates, walking its anchors."""
    if rule_id in known:
        return known[rule_id]
    rule = by_id.get(rule_id)
    if rule is None or rule.anchor is None or depth > len(by_id):
        return None
    anchor = _resolve(rule.anchor, by_id, known, outcome, calendar, depth + 1)
    if anchor is None:
        return None
    offset = dict(rule.offset_by_outcome).get(outcome, rule.offset)
    return move(anchor, offset, rule.unit, calendar)


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

    def to_json(self) -> dict[str, Any]:
        return {
            "local_area": self.area.name,
            "la_codes": list(self.area.codes),
            "today": self.today.isoformat(),
            "data": self.source,
            "inspections": [i.to_json() for i in self.area.inspections],
            "next": [s.to_json() for s in self.steps],
        }


def area_history(record: Record, query: str, today: date, calendar: WorkingCalendar) -> History:
    """The history of the area ``query`` names, and what comes next as of ``today``."""
    area = record.find_area(query)
    return History(area, today, tuple(next_steps(area, today, calendar)), record.source)

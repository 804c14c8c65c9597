"""The published record of area SEND inspections, and what it says about timing.

:func:`load_record` reads the packaged ``data/area-send-inspections.csv`` (or
a newer file of the same columns) with the standard library's ``csv``, checks
its columns and values, and copes with the record's known oddities: missing
end or publication dates, an end date on a Saturday, single-day printed spans
and 2023 spans that start with the off-site fieldwork on the Thursday of week 2.

On top of it, all pure (``today`` and the working calendar are arguments):

* :meth:`Record.find_area` matches a local area forgivingly (case, "&" or
  "and", "City of", a unique prefix, the ONS code) and suggests the nearest;
* :func:`next_steps` says what the rules say comes next after an area's last
  inspection (handbook paras 18, 20, 23, 37) with windows as dates, taking the
  offsets from the packaged rules (``load_rules("full")``);
* :func:`observed_timing` gives the median and 80th percentile working days
  from the last on-site day to publication, for 2023-framework full
  inspections and for WSoA re-visits;
* :func:`annotate_schedule` adds those observed timings, the area's last
  inspection and any disagreement with the case file to a schedule.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zlib
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sendplan.calendar import WorkingCalendar, move
from sendplan.errors import SendplanError

if TYPE_CHECKING:
    from sendplan.case import Case
    from sendplan.rules import RuleSet
    from sendplan.schedule import Event, Schedule

#: The record's columns, in the published order.  A file must have all of them.
COLUMNS: tuple[str, ...] = (
    "local_area",
    "la_code",
    "inspection_type",
    "onsite_start",
    "onsite_end",
    "dates_as_printed",
    "publication_date",
    "outcome",
    "n_significant_weaknesses",
    "n_sufficient",
    "n_insufficient",
    "n_priority_actions",
    "notification_date",
    "source",
)

#: Kinds of inspection activity in the record, with the labels shown.
KIND_LABELS: dict[str, str] = {
    "inspection_2016": "Local area SEND inspection (2016 framework)",
    "revisit": "WSoA re-visit (2018 methodology)",
    "full": "Full inspection (2023 framework)",
    "monitoring": "Monitoring inspection (2023 framework)",
}

#: Which record kind the observed timings of a case's kind come from.
TIMED_KINDS: dict[str, str] = {"full": "full", "revisit": "revisit"}

#: Outcome ids: the full inspection's three (handbook paras 20, 37) and the 2016 framework's two.
OUTCOME_LABELS: dict[str, str] = {
    "positive": "typically positive experiences and outcomes",
    "inconsistent": "inconsistent experiences and outcomes",
    "widespread": "widespread and/or systemic failings",
    "wsoa": "written statement of action (WSoA) required",
    "no_wsoa": "no WSoA required",
}

#: Names the record spells two ways for one local area (normalised -> normalised).
ALIASES: dict[str, str] = {"london corporation": "london"}

PACKAGED = "packaged record (Ofsted statistics and published reports, OGL v3.0)"

_CODE = re.compile(r"[EWSN]\d{8}", re.IGNORECASE)


class HistoryError(SendplanError):
    """The inspection record cannot be read, or a local area is not in it."""


# ------------------------------------------------------------------ the record
class RecordedInspection(NamedTuple):
    """One published inspection or re-visit, as the record gives it (immutable).

    ``onsite_start``/``onsite_end`` are as published; ``first_on_site`` and
    ``last_on_site`` are the on-site days sendplan takes from them, and
    ``notes`` say why they differ (or what is missing).  A named tuple, not a
    dataclass: ``sendplan schedule`` builds ~300 of these on every run.
    """

    line: int
    local_area: str
    la_code: str | None
    kind: str
    inspection_type: str
    onsite_start: date | None
    onsite_end: date | None
    dates_as_printed: str
    publication: date | None
    outcome_text: str
    outcome: str | None
    significant_weaknesses: int | None
    sufficient: int | None
    insufficient: int | None
    priority_actions: int | None
    notification: date | None
    source: str
    first_on_site: date | None = None
    last_on_site: date | None = None
    notes: tuple[str, ...] = ()

    @property
    def when(self) -> date:
        """The date the inspection is ordered by: on site, else notified, else published."""
        return self.first_on_site or self.notification or self.publication or date.min

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    def to_json(self) -> dict[str, Any]:
        return {
            "local_area": self.local_area,
            "la_code": self.la_code,
            "kind": self.kind,
            "kind_label": self.kind_label,
            "inspection_type": self.inspection_type,
            "on_site_start": _iso(self.first_on_site),
            "on_site_end": _iso(self.last_on_site),
            "dates_as_printed": self.dates_as_printed or None,
            "publication_date": _iso(self.publication),
            "notification_date": _iso(self.notification),
            "outcome": self.outcome,
            "outcome_text": self.outcome_text or None,
            "significant_weaknesses": self.significant_weaknesses,
            "sufficient_progress": self.sufficient,
            "insufficient_progress": self.insufficient,
            "priority_actions": self.priority_actions,
            "notes": list(self.notes),
            "source": self.source,
        }


class Area(NamedTuple):
    """One local area's inspections, oldest first."""

    key: str
    name: str
    codes: tuple[str, ...]
    inspections: tuple[RecordedInspection, ...]

    @property
    def last(self) -> RecordedInspection:
        return self.inspections[-1]

    def before(self, day: date) -> list[RecordedInspection]:
        return [i for i in self.inspections if i.when < day]


class Record(NamedTuple):
    """The whole record: every inspection, and where it was read from."""

    inspections: tuple[RecordedInspection, ...]
    areas: Mapping[str, Area]
    source: str = PACKAGED

    def find_area(self, query: str) -> Area:
        """The area ``query`` names: its ONS code, its name in any case, with "&" or
        "and", with or without "City of", or a unique prefix of it.

        Raises :class:`HistoryError` naming the nearest areas when none or several match.
        """
        text = query.strip()
        if _CODE.fullmatch(text):
            code = text.upper()
            found = [a for a in self.areas.values() if code in a.codes]
            if len(found) == 1:
                return found[0]
            if not found:
                raise HistoryError(f"no local area with ONS code {code} in the {self._what()}")
            names = ", ".join(a.name for a in found)
            raise HistoryError(
                f"ONS code {code} belongs to several local areas in the {self._what()} "
                f"({names}); give the name instead"
            )
        key = normalise(text)
        if key in self.areas:
            return self.areas[key]
        starting = [a for k, a in self.areas.items() if key and k.startswith(key)]
        if len(starting) == 1:
            return starting[0]
        if len(starting) > 1:
            names = ", ".join(a.name for a in starting[:8]) + (", ..." if len(starting) > 8 else "")
            raise HistoryError(
                f"`{text}` matches several local areas in the {self._what()}: {names}; "
                "give more of the name"
            )
        from difflib import get_close_matches

        close = get_close_matches(key, list(self.areas), n=3, cutoff=0.6)
        hint = (
            " (did you mean " + " or ".join(f"`{self.areas[k].name}`" for k in close) + "?)"
            if close
            else "; check the spelling or give the ONS code, e.g. E10000015"
        )
        raise HistoryError(f"no local area `{text}` in the {self._what()}{hint}")

    def match_area(self, name: str, code: str | None = None) -> Area | None:
        """The area a case names, by exact (normalised) name, else its ONS code; or None."""
        key = normalise(name)
        if key in self.areas:
            return self.areas[key]
        if code:
            found = [a for a in self.areas.values() if code.upper() in a.codes]
            if len(found) == 1:
                return found[0]
        return None

    def _what(self) -> str:
        return "inspection record" if self.source == PACKAGED else f"record {self.source}"


@cache
def normalise(name: str) -> str:
    """A local area's name reduced for matching: lower case, "&" as "and", no
    "City of"/"County of", no punctuation (``Kingston upon Hull, City of`` and
    ``kingston-upon-hull`` are the same)."""
    text = name.lower().replace("&", " and ")
    text = re.sub(r",\s*(city|county) of\s*$", "", text)
    text = re.sub(r"^\s*(the )?(city|county) of\s+", "", text)
    text = re.sub(r"^\s*county\s+", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return ALIASES.get(text, text)


def load_record(path: str | Path | None = None) -> Record:
    """The record from ``path``, or the packaged one; checked column by column.

    Raises :class:`HistoryError` (exit 2) for a missing file, a missing column
    (named), a date that is not a date or an unknown inspection type (with the line).
    """
    if path is None:
        # A plain path, not importlib.resources: this runs on every `sendplan schedule`.
        path, source = Path(__file__).parent / "data" / "area-send-inspections.csv", PACKAGED
    else:
        path, source = Path(path), str(path)
    try:
        stat = path.stat()
        where = zlib.crc32(str(path.resolve()).encode())
        cache_name = f"record-{where:08x}-{stat.st_size}-{stat.st_mtime_ns}.json"
        cached = _from_cache(cache_name, source)
        if cached is not None:
            return cached
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise HistoryError(f"{path}: no such inspection record file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise HistoryError(f"{path}: cannot read the inspection record: {error}") from None
    record = parse_record(text, source)
    _to_cache(cache_name, record)
    return record


# The parsed record is cached as JSON (sendplan.cache): parsing the CSV costs
# ~7 ms on every `sendplan schedule`, rebuilding from JSON about a fifth of that.
_DATES = tuple(
    RecordedInspection._fields.index(name)
    for name in (
        "onsite_start",
        "onsite_end",
        "publication",
        "notification",
        "first_on_site",
        "last_on_site",
    )
)


def _to_cache(name: str, record: Record) -> None:
    from sendplan.cache import write_json

    rows = [[v.isoformat() if isinstance(v, date) else v for v in i] for i in record.inspections]
    codes = {key: list(area.codes) for key, area in record.areas.items()}
    write_json(name, {"rows": rows, "codes": codes}, family=name.rsplit("-", 2)[0] + "-")


def _from_cache(name: str, source: str) -> Record | None:
    from sendplan.cache import read_json

    cached = read_json(name)
    if not isinstance(cached, dict):
        return None
    try:
        inspections = []
        for row in cached["rows"]:
            for index in _DATES:
                row[index] = date.fromisoformat(row[index]) if row[index] else None
            row[-1] = tuple(row[-1])
            inspections.append(RecordedInspection(*row))
        codes = {key: set(found) for key, found in cached["codes"].items()}
    except (KeyError, TypeError, ValueError):
        return None
    return _record(inspections, source, codes)


def parse_record(text: str, source: str = PACKAGED) -> Record:
    """Parse CSV ``text`` (``source`` names it in messages) into a :class:`Record`."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        from difflib import get_close_matches

        found = ", ".join(header) if header else "none"
        hints = []
        unknown = [h for h in header if h not in COLUMNS]
        for column in missing:
            close = get_close_matches(column, unknown, n=1, cutoff=0.6)
            hints.append(f"`{column}`" + (f" (is `{close[0]}` it?)" if close else ""))
        raise HistoryError(
            f"{source}: not an inspection record: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(hints)}. Columns found: {found}. Expected: {', '.join(COLUMNS)}."
        )
    reader.fieldnames = header
    rows = [
        (number, row)
        for number, row in enumerate(reader, start=2)
        if any((v or "").strip() for v in row.values() if isinstance(v, str))
    ]
    # A row without an ONS code takes its area's code from the area's other rows.
    codes: dict[str, set[str]] = {}
    for _, row in rows:
        code = (row.get("la_code") or "").strip().upper()
        if code:
            codes.setdefault(normalise(row.get("local_area") or ""), set()).add(code)
    inspections = [_inspection(row, number, source, codes) for number, row in rows]
    return _record(inspections, source, codes)


def _record(
    inspections: Sequence[RecordedInspection], source: str, codes: Mapping[str, set[str]]
) -> Record:
    grouped: dict[str, list[RecordedInspection]] = {}
    for inspection in inspections:
        grouped.setdefault(normalise(inspection.local_area), []).append(inspection)
    areas = {}
    for key, found in grouped.items():
        found.sort(key=lambda i: (i.when, i.line))
        # The official statistics' spelling (rows with a code), else the latest.
        coded = [i.local_area for i in found if i.la_code]
        name = coded[0] if coded else found[-1].local_area
        areas[key] = Area(key, name, tuple(sorted(codes.get(key, ()))), tuple(found))
    return Record(tuple(inspections), dict(sorted(areas.items())), source)


def _inspection(
    row: Mapping[str, str | None], line: int, source: str, codes: Mapping[str, set[str]]
) -> RecordedInspection:
    def cell(column: str) -> str:
        return (row.get(column) or "").strip()

    def day(column: str) -> date | None:
        value = cell(column)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise HistoryError(
                f"{source}:{line}: {column}: {value!r} is not a date like 2025-05-12"
            ) from None

    def number(column: str) -> int | None:
        value = cell(column)
        if not value:
            return None
        if not value.isdigit():
            raise HistoryError(f"{source}:{line}: {column}: {value!r} is not a whole number")
        return int(value)

    if not cell("local_area"):
        raise HistoryError(f"{source}:{line}: local_area: empty")
    kind = _kind(cell("inspection_type"))
    if kind is None:
        raise HistoryError(
            f"{source}:{line}: inspection_type: {cell('inspection_type')!r} is not a kind "
            f"sendplan knows (expected one like: {'; '.join(KIND_LABELS.values())})"
        )
    start, end = day("onsite_start"), day("onsite_end")
    if start and end and end < start:
        raise HistoryError(f"{source}:{line}: onsite_end: {end} is before onsite_start {start}")
    first, last, notes = _on_site_days(kind, start, end, cell("dates_as_printed"))
    publication = day("publication_date")
    if publication is None:
        notes.append("publication date not in the record")
    code = cell("la_code").upper() or None
    if code and not _CODE.fullmatch(code):
        raise HistoryError(f"{source}:{line}: la_code: {code!r} is not an ONS code like E10000017")
    if code is None:
        known = sorted(codes.get(normalise(cell("local_area")), ()))
        code = known[0] if len(known) == 1 else None
    return RecordedInspection(
        line=line,
        local_area=cell("local_area"),
        la_code=code,
        kind=kind,
        inspection_type=cell("inspection_type"),
        onsite_start=start,
        onsite_end=end,
        dates_as_printed=cell("dates_as_printed"),
        publication=publication,
        outcome_text=cell("outcome"),
        outcome=_outcome(cell("outcome")),
        significant_weaknesses=number("n_significant_weaknesses"),
        sufficient=number("n_sufficient"),
        insufficient=number("n_insufficient"),
        priority_actions=number("n_priority_actions"),
        notification=day("notification_date"),
        source=cell("source"),
        first_on_site=first,
        last_on_site=last,
        notes=tuple(notes),
    )


def _kind(text: str) -> str | None:
    low = text.lower()
    if "re-visit" in low or "revisit" in low:
        return "revisit"
    if "monitoring" in low:
        return "monitoring"
    if "2023" in low:
        return "full"
    if "2016" in low:
        return "inspection_2016"
    return None


def _outcome(text: str) -> str | None:
    low = text.lower()
    if "positive" in low:
        return "positive"
    if "inconsistent" in low:
        return "inconsistent"
    if "widespread" in low or "systemic" in low:
        return "widespread"
    if low.startswith("no wsoa"):
        return "no_wsoa"
    if "wsoa required" in low:
        return "wsoa"
    return None


def _on_site_days(
    kind: str, start: date | None, end: date | None, printed: str
) -> tuple[date | None, date | None, list[str]]:
    """The first and last on-site day the published dates imply, with notes."""
    notes: list[str] = []
    first, last = start, end
    if end is not None and end.weekday() >= 5:
        last = end - timedelta(days=end.weekday() - 4)
        notes.append(
            f"printed end {_long(end)} is a {end:%A}; last on-site day taken as {_long(last)}"
        )
    if (
        kind == "full"
        and start is not None
        and last is not None
        and start.weekday() == 3
        and (last - start).days > 4
    ):
        first = last - timedelta(days=last.weekday())
        notes.append(
            f"printed span starts with the off-site fieldwork on {start:%A} {_long(start)}; "
            f"on site from {_long(first)}"
        )
    if end is None and printed and " to " not in printed:
        notes.append(f"printed as a single day ({printed}); last on-site day not known")
    elif end is None and start is not None:
        notes.append("last on-site day not in the record")
    if start is None and end is None:
        notes.append("on-site dates not in the record")
    return first, last, notes


# ------------------------------------------------------------------ timings
class Timing(NamedTuple):
    """Working days from the last on-site day to publication, across the record.

    ``median`` and ``p80`` are nearest-rank statistics, so each is a real
    inspection's figure: at least half (80%) of the ``size`` inspections
    published within it.
    """

    kind: str
    size: int
    median: int
    p80: int
    fastest: int
    slowest: int
    first_published: date
    last_published: date
    days: tuple[int, ...]

    def within(self, limit: int) -> int:
        """How many of the inspections were published within ``limit`` working days."""
        return sum(1 for d in self.days if d <= limit)


def nearest_rank(values: Sequence[int], fraction: float) -> int:
    """The smallest value with at least ``fraction`` of ``values`` at or below it."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered) - 1e-9))
    return ordered[rank - 1]


def observed_timing(record: Record, kind: str, calendar: WorkingCalendar) -> Timing | None:
    """The record's timing for ``kind`` (``full``: 2023-framework full inspections,
    ``revisit``: WSoA re-visits), from inspections with both a last on-site day
    and a publication date; None when there are none."""
    pairs = [
        (i.last_on_site, i.publication)
        for i in record.inspections
        if i.kind == kind and i.last_on_site is not None and i.publication is not None
    ]
    count = _counter(calendar)
    days = tuple(count(end, published) for end, published in pairs if end and published)
    if not days:
        return None
    published = [p for _, p in pairs if p is not None]
    return Timing(
        kind=kind,
        size=len(days),
        median=nearest_rank(days, 0.5),
        p80=nearest_rank(days, 0.8),
        fastest=min(days),
        slowest=max(days),
        first_published=min(published),
        last_published=max(published),
        days=days,
    )


def _counter(calendar: WorkingCalendar) -> Callable[[date, date], int]:
    """``calendar.count`` without walking day by day (it runs ~100 times per schedule)."""
    closed = sorted(d for d in {*calendar.holidays, *calendar.closures} if d.weekday() < 5)

    def count(start: date, end: date) -> int:
        if end < start:
            return -count(end, start)
        weeks, rest = divmod((end - start).days, 7)
        weekday = start.weekday()
        days = weeks * 5 + sum(1 for i in range(1, rest + 1) if (weekday + i) % 7 < 5)
        return days - (bisect_right(closed, end) - bisect_right(closed, start))

    return count


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
            f"{_long(cycle_start)} (the framework is for use from 2023, para 1)."
        )
    else:
        years, source = cycle_years, "handbook para 18"
        title = "First full inspection under the 2023 framework"
        note = (
            f"Every local area has a full inspection at least once in a {years}-year period, "
            f"taken from {_long(cycle_start)} (para 1: for use from 2023)."
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


# ------------------------------------------------------------------ the schedule
def annotate_schedule(schedule: Schedule, record: Record) -> Schedule:
    """``schedule`` with the record's view added (pure; the record is passed in).

    * ``publication_due`` gets ``extra["observed"]``: the median and 80th
      percentile working days from the last on-site day to publication in the
      record for this kind, as dates for this case, and how many inspections;
    * ``extra["history"]`` on the schedule names the area's last inspection
      before this one, when the area is in the record;
    * warnings when the case file disagrees with the record.
    """
    case = schedule.case
    events = list(schedule.events)
    kind = TIMED_KINDS.get(case.kind)
    day_last = schedule.rules.day_last
    end_event = schedule.get(day_last) if day_last else None
    # Other areas' inspections count bank holidays only, never this case's local closures.
    england = WorkingCalendar(holidays=schedule.calendar.holidays)
    timing = observed_timing(record, kind, england) if kind else None
    if timing is not None and end_event is not None:
        for index, event in enumerate(events):
            if event.id != "publication_due":
                continue
            observed = observed_json(timing, end_event, event.date, schedule.calendar)
            observed["data"] = record.source
            events[index] = replace(event, extra={**event.extra, "observed": observed})
    area = record.match_area(case.local_area, case.inspection.la_code)
    warnings = list(schedule.warnings)
    extra: dict[str, Any] = dict(schedule.extra)
    if area is not None:
        start = _case_start(schedule)
        same = _same_inspection(area, case, start)
        earlier = area.before(start) if start else list(area.inspections)
        previous = [i for i in earlier if i is not same]
        extra["history"] = history_mention(area, previous[-1] if previous else None, same)
        warnings += disagreements(case, area, previous, same)
    return replace(schedule, events=tuple(events), warnings=tuple(warnings), extra=extra)


def observed_json(
    timing: Timing, last_day: Event, planned: date, calendar: WorkingCalendar
) -> dict[str, Any]:
    """The ``observed`` object of a publication event (see :func:`annotate_schedule`):
    the record's figures counted from this case's ``last_day`` (its last on-site day)."""
    last_on_site = last_day.date
    plan_days = calendar.count(last_on_site, planned)
    median_date = calendar.add(last_on_site, timing.median)
    p80_date = calendar.add(last_on_site, timing.p80)
    label = "2023-framework full inspections" if timing.kind == "full" else "WSoA re-visits"
    return {
        "from_event": last_day.id,
        "kind": timing.kind,
        "median_working_days": timing.median,
        "median_date": median_date.isoformat(),
        "p80_working_days": timing.p80,
        "p80_date": p80_date.isoformat(),
        "inspections": timing.size,
        "published_from": timing.first_published.isoformat(),
        "published_to": timing.last_published.isoformat(),
        "plan_working_days": plan_days,
        "within_plan": timing.within(plan_days),
        "text": (
            f"Record: half of {timing.size} {label} published within {timing.median} "
            f"working days ({short(median_date)}), 80% within {timing.p80} "
            f"({short(p80_date)}); {timing.within(plan_days)} of {timing.size} within "
            f"the {plan_days} planned here."
        ),
    }


def history_mention(
    area: Area, previous: RecordedInspection | None, same: RecordedInspection | None
) -> dict[str, Any]:
    """The schedule's ``history`` object: the area's last inspection in the record."""
    if previous is None:
        text = f"{area.name}: no earlier inspection in the record."
    else:
        text = f"{area.name} in the inspection record: last inspection {describe(previous)}."
    if same is not None:
        text += f" This inspection is in the record: {describe(same)}."
    return {
        "local_area": area.name,
        "la_codes": list(area.codes),
        "last_inspection": None if previous is None else previous.to_json(),
        "this_inspection": None if same is None else same.to_json(),
        "text": text,
    }


def describe(inspection: RecordedInspection) -> str:
    """``Full inspection (2023 framework), on site from 10 Jul 2023, published ...``."""
    parts = [inspection.kind_label]
    if inspection.first_on_site:
        parts.append(f"on site from {short(inspection.first_on_site)}")
    if inspection.publication:
        parts.append(f"published {short(inspection.publication)}")
    if inspection.outcome_text:
        parts.append(f"outcome: {inspection.outcome_text}")
    return ", ".join(parts)


def disagreements(
    case: Case,
    area: Area,
    previous: Sequence[RecordedInspection],
    same: RecordedInspection | None,
) -> list[str]:
    """Where the case file and the record disagree, as warnings."""
    out = []
    where = f"the inspection record ({area.name})"
    code = case.inspection.la_code
    if code and area.codes and code.upper() not in area.codes:
        out.append(f"la_code {code} differs from {where}: {', '.join(area.codes)}.")
    history = getattr(case, "history", None)
    said = getattr(history, "previous_outcome", None)
    if said and previous:
        last = previous[-1]
        if last.outcome is not None and last.outcome != said:
            out.append(
                f"history.previous_outcome is {said!r} but {where} has the last inspection "
                f"before this one as {last.outcome!r} ({describe(last)})."
            )
    fulls = [i for i in previous if i.kind == "full"]
    engagement = getattr(case, "engagement", None)
    said = getattr(engagement, "previous_inspection_outcome", None)
    if said and fulls and fulls[-1].outcome and fulls[-1].outcome != said:
        out.append(
            f"engagement.previous_inspection_outcome is {said!r} but {where} has "
            f"{fulls[-1].outcome!r} ({describe(fulls[-1])})."
        )
    monitoring = getattr(case, "monitoring", None)
    said = getattr(monitoring, "full_report_published", None)
    if said and fulls and fulls[-1].publication and fulls[-1].publication != said:
        out.append(
            f"monitoring.full_report_published is {said} but {where} has the full "
            f"inspection report published {fulls[-1].publication}."
        )
    revisit = getattr(case, "revisit", None)
    said = getattr(revisit, "initial_inspection_start", None)
    olds = [i for i in previous if i.kind == "inspection_2016" and i.first_on_site]
    if said and olds and olds[-1].first_on_site != said:
        out.append(
            f"revisit.initial_inspection_start is {said} but {where} has the 2016-framework "
            f"inspection on site from {olds[-1].first_on_site}."
        )
    if same is not None:
        outcome = case.inspection.outcome
        if outcome and same.outcome and outcome != same.outcome:
            out.append(
                f"inspection.outcome is {outcome!r} but {where} has {same.outcome!r} for this "
                f"inspection ({describe(same)})."
            )
        start = case.inspection.on_site_start
        if start and same.first_on_site and start != same.first_on_site:
            out.append(
                f"inspection.on_site_start is {start} but {where} has this inspection on site "
                f"from {same.first_on_site}."
            )
    return out


def _case_start(schedule: Schedule) -> date | None:
    for event_id in ("on_site_start", schedule.rules.day_one or ""):
        event = schedule.get(event_id)
        if event is not None:
            return event.date
    return schedule.case.inspection.on_site_start or schedule.case.inspection.notification


def _same_inspection(area: Area, case: Case, start: date | None) -> RecordedInspection | None:
    """The record's row for the case's own inspection: same kind, on site within 14 days."""
    kind = {"full": "full", "revisit": "revisit", "monitoring": "monitoring"}.get(case.kind)
    if kind is None or start is None:
        return None
    for inspection in area.inspections:
        on_site = inspection.first_on_site
        if inspection.kind == kind and on_site is not None and abs((on_site - start).days) <= 14:
            return inspection
    return None


# ------------------------------------------------------------------ small helpers
def short(day: date) -> str:
    """``25 Apr 2025``."""
    return f"{day.day} {day:%b %Y}"


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()

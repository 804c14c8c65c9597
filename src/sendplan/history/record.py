"""The published record of area SEND inspections: reading, checking and finding an area."""

import json
import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sendplan.cache import scope
from sendplan.dates import date_text
from sendplan.errors import HistoryError
from sendplan.history.names import normalise
from sendplan.namedtuples import NamedTuple
from sendplan.rules import KIND_LABELS
from sendplan.words import plural

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

#: The record's kinds of inspection activity (labels: sendplan.rules.KIND_LABELS).
RECORD_KINDS = ("inspection_2016", "revisit", "full", "monitoring")
_RECORD_LABELS = tuple(KIND_LABELS[k].record for k in RECORD_KINDS)

#: Case kinds the record times (working days from the last on-site day to publication).
TIMED_KINDS = ("full", "revisit")

#: Outcome ids: the full inspection's three (handbook paras 20, 37) and the 2016 framework's two.
OUTCOME_LABELS: dict[str, str] = {
    "positive": "typically positive experiences and outcomes",
    "inconsistent": "inconsistent experiences and outcomes",
    "widespread": "widespread and/or systemic failings",
    "wsoa": "written statement of action (WSoA) required",
    "no_wsoa": "no WSoA required",
}


PACKAGED = "packaged record (Ofsted statistics and published reports, OGL v3.0)"

_CODE = re.compile(r"[EWSN]\d{8}", re.IGNORECASE)


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
        return KIND_LABELS[self.kind].record

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
        from sendplan.history.reorganisations import known_name, place_of_code

        text = query.strip()
        if _CODE.fullmatch(text):
            code = text.upper()
            # A code the reorganisations give (data/reorganisations.toml) is that
            # area's, even where the record files a successor under it.
            place = place_of_code(code)
            if place is not None:
                return self.areas.get(normalise(place.name)) or Area(
                    normalise(place.name), place.name, (code,), ()
                )
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
        name = known_name(key)  # an area that ended before it was inspected (Northamptonshire)
        if name is not None:
            return Area(key, name, (), ())
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
        key = _match_key({k: a.codes for k, a in self.areas.items()}, name, code)
        return None if key is None else self.areas[key]

    def timed(self, kind: str) -> list[tuple[date, date]]:
        """(last on-site day, publication) of each inspection of ``kind`` with both."""
        return [
            (i.last_on_site, i.publication)
            for i in self.inspections
            if i.kind == kind and i.last_on_site is not None and i.publication is not None
        ]

    def _what(self) -> str:
        return "inspection record" if self.source == PACKAGED else f"record {self.source}"


class RecordView(NamedTuple):
    """The record as ``sendplan schedule`` needs it, from the cached index.

    Annotating a schedule needs the timings of one kind and one area's rows,
    not 154 areas' worth of records: each area's rows stay JSON text until
    :meth:`match_area` asks for that area.  Same answers as :class:`Record`.
    """

    source: str
    #: Normalised name -> [name, ONS codes, the area's rows as JSON text].
    entries: Mapping[str, list[Any]]
    #: Kind -> [[last on-site day, publication], ...] as ISO dates.
    pairs: Mapping[str, list[list[str]]]

    def timed(self, kind: str) -> list[tuple[date, date]]:
        """(last on-site day, publication) of each inspection of ``kind`` with both."""
        iso = date.fromisoformat
        return [(iso(end), iso(published)) for end, published in self.pairs.get(kind, ())]

    def match_area(self, name: str, code: str | None = None) -> Area | None:
        """The area a case names, by exact (normalised) name, else its ONS code; or None."""
        key = _match_key({k: e[1] for k, e in self.entries.items()}, name, code)
        if key is None:
            return None
        area_name, codes, rows = self.entries[key]
        found = [_from_row(row) for row in json.loads(rows)]
        return Area(key, area_name, tuple(codes), tuple(found))


def _match_key(codes: Mapping[str, Sequence[str]], name: str, code: str | None) -> str | None:
    key = normalise(name)
    if key in codes:
        return key
    if code:
        found = [k for k, known in codes.items() if code.upper() in known]
        if len(found) == 1:
            return found[0]
    return None


def load_record(path: str | Path | None = None) -> Record:
    """The record from ``path``, or the packaged one; checked column by column.

    Raises :class:`HistoryError` (exit 2) for a missing file, a missing column
    (named), a date that is not a date or an unknown inspection type (with the line).
    """
    path, source, cache_name = _where(path)
    cached = _read_index(cache_name)
    if cached is not None:
        record = _from_index(cached, source)
        if record is not None:
            return record
    return _parse_and_cache(path, source, cache_name)


def load_record_view(path: str | Path | None = None) -> Record | RecordView:
    """What ``schedule`` needs of the record at ``path`` (see :class:`RecordView`):
    from the cached index when there is one, else the whole record, parsed and cached."""
    path, source, cache_name = _where(path)
    cached = _read_index(cache_name)
    if cached is not None:
        return RecordView(source, cached["areas"], cached["timed"])
    return _parse_and_cache(path, source, cache_name)


def _where(path: str | Path | None) -> tuple[Path, str, str]:
    """The record's file, how messages name it, and its cache entry's name."""
    if path is None:
        # A plain path, not importlib.resources: this runs on every `sendplan schedule`.
        found, source = (
            Path(__file__).parent.parent / "data" / "area-send-inspections.csv",
            PACKAGED,
        )
    else:
        found, source = Path(path), str(path)
    try:
        stat = found.stat()
    except OSError as error:
        raise _unreadable(found, error) from None
    return found, source, f"record-{scope(found.resolve())}-{stat.st_size}-{stat.st_mtime_ns}.json"


def _parse_and_cache(path: Path, source: str, cache_name: str) -> Record:
    from sendplan.errors import InputError
    from sendplan.files import read_text_input

    try:
        # A regular file of at most 16 MB (the packaged record is 80 KB): a FIFO
        # or /dev/zero given as --data is refused, not read for ever.
        text = read_text_input(path, "inspection record file", MAX_RECORD_BYTES)
    except InputError as error:
        raise HistoryError(str(error)) from None
    record = parse_record(text, source)
    _to_cache(cache_name, record)
    return record


#: The largest inspection record read (the packaged one is 80 KB).
MAX_RECORD_BYTES = 16 << 20


def _unreadable(path: Path, error: OSError | UnicodeDecodeError) -> HistoryError:
    if isinstance(error, FileNotFoundError):
        return HistoryError(f"{path}: no such inspection record file")
    return HistoryError(f"{path}: cannot read the inspection record: {error}")


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
    """The record as an index: each area's rows as JSON text, and the timed pairs."""
    from sendplan.cache import write_json

    def row(i: RecordedInspection) -> list[Any]:
        return [v.isoformat() if isinstance(v, date) else v for v in i]

    areas = {
        key: [area.name, list(area.codes), json.dumps([row(i) for i in area.inspections])]
        for key, area in record.areas.items()
    }
    timed = {
        kind: [[end.isoformat(), published.isoformat()] for end, published in record.timed(kind)]
        for kind in TIMED_KINDS
    }
    index = {"areas": areas, "timed": timed}
    write_json(name, index, family=name.rsplit("-", 2)[0] + "-")


def _read_index(name: str) -> dict[str, Any] | None:
    from sendplan.cache import read_json

    cached = read_json(name)
    if isinstance(cached, dict) and isinstance(cached.get("areas"), dict) and "timed" in cached:
        return cached
    return None


def _from_row(row: list[Any]) -> RecordedInspection:
    for index in _DATES:
        row[index] = date.fromisoformat(row[index]) if row[index] else None
    row[-1] = tuple(row[-1])
    return RecordedInspection(*row)


def _from_index(index: Mapping[str, Any], source: str) -> Record | None:
    try:
        inspections: list[RecordedInspection] = []
        codes: dict[str, set[str]] = {}
        for key, (_, area_codes, rows) in index["areas"].items():
            inspections += (_from_row(row) for row in json.loads(rows))
            codes[key] = set(area_codes)
    except (KeyError, TypeError, ValueError):
        return None
    inspections.sort(key=lambda i: i.line)  # the file's order
    return _record(inspections, source, codes)


def parse_record(text: str, source: str = PACKAGED) -> Record:
    """Parse CSV ``text`` (``source`` names it in messages) into a :class:`Record`."""
    import csv  # only when the record is parsed, not read from its cache (start-up)
    import io

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
            f"{source}: not an inspection record: missing "
            f"{plural(len(missing), 'column', number=False)} "
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


class _Cells:
    """One CSV row's cells, read as text, dates and whole numbers; a bad one names its line."""

    def __init__(self, row: Mapping[str, str | None], line: int, source: str) -> None:
        self.row, self.where = row, f"{source}:{line}"

    def text(self, column: str) -> str:
        return (self.row.get(column) or "").strip()

    def day(self, column: str) -> date | None:
        value = self.text(column)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise HistoryError(
                f"{self.where}: {column}: {value!r} is not a date like 2025-05-12"
            ) from None

    def number(self, column: str) -> int | None:
        value = self.text(column)
        if not value:
            return None
        if not value.isdigit():
            raise HistoryError(f"{self.where}: {column}: {value!r} is not a whole number")
        return int(value)


def _inspection(
    row: Mapping[str, str | None], line: int, source: str, codes: Mapping[str, set[str]]
) -> RecordedInspection:
    cells = _Cells(row, line, source)
    cell, day, number = cells.text, cells.day, cells.number
    if not cell("local_area"):
        raise HistoryError(f"{source}:{line}: local_area: empty")
    kind = _kind(cell("inspection_type"))
    if kind is None:
        raise HistoryError(
            f"{source}:{line}: inspection_type: {cell('inspection_type')!r} is not a kind "
            f"sendplan knows (expected one like: {'; '.join(_RECORD_LABELS)})"
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
            f"printed end {date_text(end, long=True)} is a {end:%A}; "
            f"last on-site day taken as {date_text(last, long=True)}"
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
            "printed span starts with the off-site fieldwork on "
            f"{date_text(start, long=True, weekday=True)}; "
            f"on site from {date_text(first, long=True)}"
        )
    if end is None and printed and " to " not in printed:
        notes.append(f"printed as a single day ({printed}); last on-site day not known")
    elif end is None and start is not None:
        notes.append("last on-site day not in the record")
    if start is None and end is None:
        notes.append("on-site dates not in the record")
    return first, last, notes


# ------------------------------------------------------------------ small helpers
def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()

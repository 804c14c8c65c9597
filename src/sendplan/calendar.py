"""Working days in England: Monday to Friday, less bank holidays and closures.

The bank holidays come from the ``holidays`` package (United Kingdom,
England subdivision), which is the source of truth.  Loading that package
costs about 160 ms because it builds every country on first use, so the dates
it gives are cached on disk keyed by the package's version: a new ``holidays``
release refreshes the cache, an old cache is never trusted.

:class:`WorkingCalendar` itself is pure: it takes its non-working days as an
argument, so tests build one from a literal list.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from sendplan.cache import read_json, scope, write_json

#: The first year of the 2016 framework; the calendar always covers it onwards.
FIRST_YEAR = 2016
#: Years cached in one go; a case outside them computes its years on demand.
CACHED_YEARS = range(FIRST_YEAR, 2046)

_SATURDAY = 5


class WorkingCalendar:
    """Working-day arithmetic over a fixed set of non-working weekdays.

    ``holidays`` maps each bank holiday to its name; ``closures`` maps extra
    local non-working days (from the case file) to a description.  Immutable.

    A slotted class, not a frozen dataclass: defining one compiles its methods
    at import, about 1.4 ms of every command's start-up (issue 24).
    """

    __slots__ = ("holidays", "closures", "_closed")

    holidays: Mapping[date, str]
    closures: Mapping[date, str]
    _closed: list[date] | None

    def __init__(
        self, holidays: Mapping[date, str] | None = None, closures: Mapping[date, str] | None = None
    ) -> None:
        object.__setattr__(self, "holidays", {} if holidays is None else holidays)
        object.__setattr__(self, "closures", {} if closures is None else closures)
        object.__setattr__(self, "_closed", None)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a WorkingCalendar is immutable: cannot set {name!r}")

    def __repr__(self) -> str:
        return f"WorkingCalendar(holidays={self.holidays!r}, closures={self.closures!r})"

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < _SATURDAY and day not in self.holidays and day not in self.closures

    def why_not_working(self, day: date) -> str | None:
        """The bank holiday or closure that makes a weekday non-working, if any."""
        if day in self.holidays:
            return self.holidays[day]
        if day in self.closures:
            return self.closures[day]
        return None

    def add(self, day: date, n: int) -> date:
        """The date ``n`` working days after ``day`` (before it when ``n`` < 0).

        ``add(d, 0)`` is ``d`` itself when it is a working day, else the next
        working day.  From a working day, ``add(add(d, n), -n) == d``.
        """
        if n == 0:
            return day if self.is_working_day(day) else self.next_working_day(day)
        step = timedelta(days=1 if n > 0 else -1)
        remaining = abs(n)
        current = day
        while remaining:
            current += step
            if self.is_working_day(current):
                remaining -= 1
        return current

    def roll(self, day: date, way: str) -> date:
        """``day``, or when it is not a working day the next (``way`` =
        ``next_working_day``) or previous (``previous_working_day``) one; ``keep``
        keeps it (``sendplan.rules.ROLLS``)."""
        if way == "keep" or self.is_working_day(day):
            return day
        return self.add(day, 1 if way == "next_working_day" else -1)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        return self.add(day, 1)

    def count(self, start: date, end: date) -> int:
        """Working days in ``(start, end]``; negative when ``end`` is before ``start``.

        So ``count(d, add(d, n)) == n`` for a working day ``d``.
        """
        if end < start:
            return -self.count(end, start)
        # Arithmetic, not a walk day by day: the record's timings count ~300 spans per run.
        weeks, rest = divmod((end - start).days, 7)
        weekday = start.weekday()
        weekdays = weeks * 5 + sum(1 for i in range(1, rest + 1) if (weekday + i) % 7 < _SATURDAY)
        closed = self._closed_weekdays
        return weekdays - (bisect_right(closed, end) - bisect_right(closed, start))

    @property
    def _closed_weekdays(self) -> list[date]:
        """Bank holidays and closures that fall on weekdays, in order (worked out once)."""
        closed = self._closed
        if closed is None:
            closed = sorted(d for d in {*self.holidays, *self.closures} if d.weekday() < _SATURDAY)
            object.__setattr__(self, "_closed", closed)
        return closed

    def day_number(self, day_one: date, day: date) -> int | None:
        """The guidance's day number of ``day``: day 1 is ``day_one``, day -1 the
        working day before it (there is no day 0, re-visit guidance table); a
        non-working day has none."""
        if not self.is_working_day(day):
            return None
        count = self.count(day_one, day)
        return count + 1 if day >= day_one else count

    def non_working_weekdays(self, start: date, end: date) -> list[tuple[date, str]]:
        """Bank holidays and closures on weekdays from ``start`` to ``end`` inclusive."""
        found = []
        for i in range((end - start).days + 1):
            day = start + timedelta(i)
            reason = self.why_not_working(day)
            if reason is not None and day.weekday() < _SATURDAY:
                found.append((day, reason))
        return found


def move(start: date, offset: int, unit: str, calendar: WorkingCalendar | None = None) -> date:
    """``start`` moved by ``offset`` in a rule's ``unit`` (``sendplan.rules.UNITS``).

    Working days need a ``calendar``; calendar months and years keep the day of
    the month, or take the month's last day ("18 months after 31 August").
    """
    if unit == "working_days":
        if calendar is None:
            raise ValueError("working days need a calendar")
        return calendar.add(start, offset)
    if unit == "calendar_days":
        return start + timedelta(days=offset)
    months = offset * 12 if unit == "years" else offset
    total = start.month - 1 + months
    year, month = start.year + total // 12, total % 12 + 1
    return date(year, month, min(start.day, _days_in_month(year, month)))


def _days_in_month(year: int, month: int) -> int:
    """28 to 31 (the standard library's ``calendar`` module costs start-up for this)."""
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def england_bank_holidays(years: Iterable[int] = CACHED_YEARS) -> dict[date, str]:
    """England and Wales bank holidays for ``years``, from the ``holidays`` package.

    Served from a cache keyed by the package's version when it covers the years.
    """
    wanted = sorted(set(years))
    version = _holidays_version()
    if set(wanted) <= set(CACHED_YEARS):
        cached = _read_cache(version)
        if cached is None:
            cached = _compute(CACHED_YEARS)
            _write_cache(version, cached)
        return {d: name for d, name in cached.items() if d.year in wanted}
    return _compute(wanted)


def build_calendar(
    closures: Mapping[date, str] | None = None, years: Iterable[int] = CACHED_YEARS
) -> WorkingCalendar:
    """The England working calendar plus a case's extra closures."""
    return WorkingCalendar(holidays=england_bank_holidays(years), closures=dict(closures or {}))


def _compute(years: Iterable[int]) -> dict[date, str]:
    # Import the one country, not the package root, to skip loading every country.
    from holidays.countries.united_kingdom import UnitedKingdom

    found = UnitedKingdom(subdiv="ENG", years=list(years))  # type: ignore[no-untyped-call]
    return {day: str(name) for day, name in found.items()}


def _holidays_version() -> str:
    """The installed ``holidays`` version, found without importing anything heavy.

    ``importlib.metadata`` costs ~15 ms of start-up; the version is also in the
    name of the package's ``.dist-info`` folder beside it.
    """
    from importlib.util import find_spec

    spec = find_spec("holidays")
    if spec is not None and spec.origin:
        site = Path(spec.origin).parent.parent
        for info in site.glob("holidays-*.dist-info"):
            return info.name.removeprefix("holidays-").removesuffix(".dist-info")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("holidays")
    except PackageNotFoundError:  # pragma: no cover - holidays is a dependency
        return "unknown"


@cache
def _family() -> str:
    """Bank holidays cached by one ``holidays`` install (see :func:`sendplan.cache.scope`)."""
    from importlib.util import find_spec

    spec = find_spec("holidays")
    return f"bank-holidays-england-{scope((spec and spec.origin) or '')}-"


def _cache_name(version: str) -> str:
    return f"{_family()}{version}.json"


def _read_cache(version: str) -> dict[date, str] | None:
    raw = read_json(_cache_name(version))
    if not isinstance(raw, dict):
        return None
    try:
        return {date.fromisoformat(k): str(v) for k, v in raw.items()}
    except (ValueError, AttributeError, TypeError):
        return None


def _write_cache(version: str, days: Mapping[date, str]) -> None:
    days_json = {d.isoformat(): name for d, name in sorted(days.items())}
    write_json(_cache_name(version), days_json, family=_family())

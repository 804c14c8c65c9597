"""The working-day calendar: pinned real calendars and hypothesis properties."""

from __future__ import annotations

import csv
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sendplan.calendar import WorkingCalendar, build_calendar, england_bank_holidays

FIXTURE = Path(__file__).parent / "fixtures" / "england-wales-bank-holidays.csv"
ENGLAND = build_calendar()


def gov_uk_bank_holidays() -> dict[date, str]:
    with FIXTURE.open(encoding="utf-8") as handle:
        return {date.fromisoformat(row["date"]): row["title"] for row in csv.DictReader(handle)}


# ------------------------------------------------------------------ pinned
@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2026, 4, 3), "Good Friday 2026"),
        (date(2026, 4, 6), "Easter Monday 2026"),
        (date(2026, 12, 25), "Christmas Day 2026"),
        (date(2026, 12, 28), "Boxing Day 2026, observed on Monday 28 December"),
        (date(2020, 5, 8), "VE Day: early May bank holiday moved to Friday 8 May 2020"),
        (date(2022, 6, 2), "Spring bank holiday moved to Thursday 2 June 2022"),
        (date(2022, 6, 3), "Platinum Jubilee bank holiday"),
        (date(2022, 9, 19), "State funeral of Queen Elizabeth II"),
        (date(2023, 5, 8), "Coronation of King Charles III"),
    ],
)
def test_real_bank_holidays_are_not_working_days(day: date, why: str) -> None:
    assert day.weekday() < 5, why
    assert not ENGLAND.is_working_day(day), why


@pytest.mark.parametrize(
    "day",
    [
        date(2020, 5, 4),  # the usual early May Monday, moved in 2020
        date(2022, 5, 30),  # the usual spring Monday, moved in 2022
        date(2026, 4, 2),  # Maundy Thursday
        date(2026, 12, 24),  # Christmas Eve is a working day
        date(2026, 12, 29),
    ],
)
def test_days_around_bank_holidays_are_working_days(day: date) -> None:
    assert ENGLAND.is_working_day(day)


def test_agrees_with_gov_uk_feed_on_every_weekday_2016_to_2027() -> None:
    published = gov_uk_bank_holidays()
    package = england_bank_holidays(range(2016, 2028))
    published_weekdays = {d for d in published if d.weekday() < 5}
    # The package also lists a weekend holiday's actual day beside its
    # substitute; only weekdays matter to a working-day calendar.
    package_weekdays = {d for d in package if d.weekday() < 5}
    assert published_weekdays == package_weekdays


def test_easter_2026_week() -> None:
    # Thursday 2 April to Tuesday 7 April 2026: one working day between.
    assert ENGLAND.add(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert ENGLAND.add(date(2026, 4, 7), -1) == date(2026, 4, 2)
    assert ENGLAND.count(date(2026, 4, 2), date(2026, 4, 7)) == 1


def test_christmas_2026_week() -> None:
    # Thursday 24 December 2026 -> next working day Tuesday 29 December.
    assert ENGLAND.next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)
    # New Year's Day 2027 is a Friday.
    assert ENGLAND.add(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_extra_closures_are_skipped() -> None:
    with_closures = build_calendar({date(2026, 12, 29): "Council closure"})
    assert with_closures.next_working_day(date(2026, 12, 24)) == date(2026, 12, 30)
    assert with_closures.why_not_working(date(2026, 12, 29)) == "Council closure"


def test_add_zero_rolls_a_non_working_day_forward() -> None:
    assert ENGLAND.add(date(2026, 4, 3), 0) == date(2026, 4, 7)
    assert ENGLAND.add(date(2026, 4, 7), 0) == date(2026, 4, 7)


def test_count_is_negative_backwards() -> None:
    assert ENGLAND.count(date(2026, 4, 7), date(2026, 4, 2)) == -1


def test_literal_holiday_list_calendar() -> None:
    # The calendar takes its holidays as data, so a test can build one.
    calendar = WorkingCalendar(holidays={date(2030, 1, 2): "Made-up holiday"})
    assert calendar.add(date(2030, 1, 1), 1) == date(2030, 1, 3)


def test_non_working_weekdays_lists_holidays_and_closures() -> None:
    calendar = build_calendar({date(2025, 5, 6): "Training day"})
    found = calendar.non_working_weekdays(date(2025, 5, 1), date(2025, 5, 31))
    assert [d for d, _ in found] == [date(2025, 5, 5), date(2025, 5, 6), date(2025, 5, 26)]


def test_cache_is_reused_and_keyed_by_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SENDPLAN_CACHE_DIR", str(tmp_path))
    first = england_bank_holidays()
    files = list(tmp_path.glob("bank-holidays-england-*.json"))
    assert len(files) == 1
    from importlib.metadata import version

    assert version("holidays") in files[0].name
    assert england_bank_holidays() == first


def test_corrupt_cache_is_recomputed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENDPLAN_CACHE_DIR", str(tmp_path))
    england_bank_holidays()
    cache = next(tmp_path.glob("bank-holidays-england-*.json"))
    cache.write_text("{not json", encoding="utf-8")
    assert date(2023, 5, 8) in england_bank_holidays()


def test_years_outside_the_cache_are_computed() -> None:
    assert date(2050, 12, 26) in england_bank_holidays([2050])


# ------------------------------------------------------------------ properties
working_days = st.dates(min_value=date(2016, 1, 1), max_value=date(2040, 12, 31)).filter(
    ENGLAND.is_working_day
)
closures = st.sets(st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)), max_size=20)


@settings(max_examples=300)
@given(working_days, st.integers(min_value=-400, max_value=400))
def test_add_then_subtract_returns(day: date, n: int) -> None:
    assert ENGLAND.add(ENGLAND.add(day, n), -n) == day


@settings(max_examples=300)
@given(working_days, st.integers(min_value=-400, max_value=400))
def test_count_between_day_and_add_is_n(day: date, n: int) -> None:
    assert ENGLAND.count(day, ENGLAND.add(day, n)) == n


@settings(max_examples=300)
@given(st.dates(min_value=date(2016, 1, 1), max_value=date(2040, 12, 31)), st.integers(-60, 60))
def test_results_are_working_days(day: date, n: int) -> None:
    result = ENGLAND.add(day, n)
    assert result.weekday() < 5
    assert result not in ENGLAND.holidays


@settings(max_examples=200)
@given(
    closures, st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)), st.integers(1, 40)
)
def test_closures_are_never_landed_on(shut: set[date], day: date, n: int) -> None:
    calendar = build_calendar({d: "closed" for d in shut})
    result = calendar.add(day, n)
    assert result not in shut
    assert calendar.is_working_day(result)
    # Exactly n working days were stepped over, none skipped or double counted.
    steps = [day + timedelta(i) for i in range(1, (result - day).days + 1)]
    assert sum(calendar.is_working_day(d) for d in steps) == n


def test_cache_keeps_one_entry_per_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sendplan.cache import load_toml

    monkeypatch.setenv("SENDPLAN_CACHE_DIR", str(tmp_path))
    data = tmp_path / "data"
    data.mkdir()
    rules = data / "rules.toml"
    rules.write_text('a = "one"\n', encoding="utf-8")
    assert load_toml(rules) == {"a": "one"}
    rules.write_text('a = "two, edited"\n', encoding="utf-8")  # new size: a new key
    assert load_toml(rules) == {"a": "two, edited"}
    assert len(list(tmp_path.glob("data-rules-*.json"))) == 1


def test_cached_toml_keeps_dates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import datetime, time

    from sendplan.cache import load_toml

    monkeypatch.setenv("SENDPLAN_CACHE_DIR", str(tmp_path))
    data = tmp_path / "data"
    data.mkdir()
    source = data / "params.toml"
    source.write_text(
        "start = 2023-01-01\nwhen = 2023-01-02T09:30:00\nat = 11:00:00\nplain = { a = 1 }\n",
        encoding="utf-8",
    )
    fresh = load_toml(source)
    assert list(tmp_path.glob("data-params-*.json"))  # cached despite the dates
    assert (
        load_toml(source)
        == fresh
        == {
            "start": date(2023, 1, 1),
            "when": datetime(2023, 1, 2, 9, 30),
            "at": time(11, 0),
            "plain": {"a": 1},
        }
    )


def test_a_failed_cache_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sendplan.cache import write_json

    monkeypatch.setenv("SENDPLAN_CACHE_DIR", str(tmp_path))
    write_json("fine.json", {"a": 1})
    write_json("broken.json", {"a": object()})  # fails half-way through the dump
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fine.json"]


def test_installs_sharing_a_cache_keep_each_others_entries(tmp_path: Path) -> None:
    """Two installs of sendplan (say two virtual environments) share ~/.cache/sendplan.

    Each has its own copy of the rules with its own modification time; each
    run must find its own entry still there, not rebuild it after the other
    removed it.
    """
    import shutil
    import subprocess
    import sys

    import sendplan

    installs = []
    for name in ("one", "two"):
        site = tmp_path / name
        shutil.copytree(Path(sendplan.__file__).parent, site / "sendplan")
        installs.append(site)
    rules = installs[1] / "sendplan" / "data" / "rules" / "full.toml"
    os.utime(rules, ns=(rules.stat().st_atime_ns, rules.stat().st_mtime_ns + 10**9))
    cache = tmp_path / "cache"
    load = "from sendplan.rules import load_rules; load_rules('full')"
    runs = []
    for site in (*installs, installs[0]):
        env = {**os.environ, "PYTHONPATH": str(site), "SENDPLAN_CACHE_DIR": str(cache)}
        subprocess.run([sys.executable, "-c", load], check=True, env=env, timeout=60)
        runs.append({p.name: p.stat().st_mtime_ns for p in cache.glob("rules-full-*.json")})
    assert len(runs[-1]) == 2, runs
    # The first install's second run read its entry: nothing was removed or rewritten.
    assert runs[-1].items() >= runs[0].items()

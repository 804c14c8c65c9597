"""Issue 20: areas that no longer exist, and what follows them (handbook para 24).

The packaged record (data/area-send-inspections.csv) and the reorganisations
(data/reorganisations.toml): every English reorganisation since 2016, each
successor with its own ONS code and the order that made it.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from cli_harness import run_cli
from sendplan.calendar import build_calendar
from sendplan.history import area_history, load_record
from sendplan.history.reorganisations import lineage, reorganisations

TODAY = "2026-12-06"

SUCCESSORS = [
    (change.date, before.name, place.name, place.code)
    for change in reorganisations()
    for place in change.successors
    for before in change.predecessors
    if not place.replaces or before.name in place.replaces
]


def history(area: str, *args: str) -> str:
    result = run_cli("history", area, "--today", TODAY, *args)
    assert result.code == 0, result.output
    return result.stdout


def test_every_reorganisation_since_2016_is_in_the_packaged_data() -> None:
    ended = {p.name: (c.date, p.code) for c in reorganisations() for p in c.predecessors}
    assert ended["Cumbria"] == (date(2023, 4, 1), "E10000006")
    assert ended["Somerset"] == (date(2023, 4, 1), "E10000027")
    assert ended["North Yorkshire"] == (date(2023, 4, 1), "E10000023")
    assert ended["Northamptonshire"] == (date(2021, 4, 1), "E10000021")
    assert ended["Buckinghamshire"] == (date(2020, 4, 1), "E10000002")
    assert {"Dorset", "Bournemouth", "Poole"} <= set(ended)
    codes = [p.code for c in reorganisations() for p in c.successors]
    assert len(codes) == len(set(codes)) == 9  # E06000058 to E06000066
    assert all("Structural Changes" in c.order for c in reorganisations())


def test_history_cumbria_names_its_successors_and_never_says_overdue() -> None:
    out = history("Cumbria")
    assert "OVERDUE" not in out and "overdue" not in out.lower()
    assert "ended on 1 April 2023" in out
    assert "Cumberland (E06000063)" in out and "Westmorland and Furness (E06000064)" in out
    assert "Cumbria (Structural Changes) Order 2022" in out


def test_history_somerset_is_the_new_area_and_never_overdue() -> None:
    out = history("Somerset")
    assert "OVERDUE" not in out
    assert "Somerset (E06000066) came into existence on 1 April 2023" in out
    assert "handbook para 24" in out


@pytest.mark.parametrize(
    ("created", "predecessor", "name", "code"),
    SUCCESSORS,
    ids=[f"{s[1]}->{s[2]}" for s in SUCCESSORS],
)
def test_each_successor_has_para_24_and_its_own_code(
    created: date, predecessor: str, name: str, code: str
) -> None:
    record = load_record()
    found = area_history(record, name, date(2026, 12, 6), build_calendar())
    data = found.to_json()
    assert data["own_code"] == code
    assert data["began"]["date"] == created.isoformat()
    step = next(s for s in data["next"] if s["id"] == "new_area_full_inspection")
    assert step["source"] == "handbook para 24"
    assert step["window_start"] == created.isoformat()
    assert step["window_end"] == date(created.year + 3, 3, 31).isoformat()
    assert step["status"] != "overdue"
    # Looked up by its own code, the successor is found even where the record files
    # it under its predecessor's code.
    assert (
        area_history(record, code, date(2026, 12, 6), build_calendar()).area.name.lower()
        == name.lower()
    )
    # And the predecessor's history names it, unless the new area kept the old name.
    if predecessor != name:
        assert f"{name} ({code})" in history(predecessor)
    assert lineage(name).began is not None


def test_cumbrias_old_code_finds_cumbria_not_a_successor() -> None:
    data = json.loads(history("E10000006", "-f", "json"))
    assert data["local_area"] == "Cumbria"
    assert [s["title"].split(" (")[0] for s in data["next"]] == [
        "Cumberland",
        "Westmorland and Furness",
    ]


def test_assumed_engagement_meeting_dates_are_not_said_to_have_passed_as_if_due() -> None:
    out = history("Cumberland")
    row = next(line for line in out.splitlines() if "Next engagement meeting" in line)
    assert "date passed" not in row and "assumed date" in row

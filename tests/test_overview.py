"""`sendplan overview`: the page's data, its HTML and the command (issue 14).

The browser checks (console, network, screenshot, PDF) are in
tests/test_overview_browser.py.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import html5lib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from cli_harness import run_cli
from overview_browser import page_html
from sendplan.case import load_case
from sendplan.checklist import build_checklist, build_status
from sendplan.lists import Child
from sendplan.overview import (
    LANES,
    SUMMARY_NEXT,
    TimetableDay,
    TrackingMix,
    band_events,
    build_overview,
    lanes_of,
    saved_timetable,
    timetable_days,
    tracking_json,
    tracking_mix,
)
from sendplan.render.overview import LEFT, RAG, render_overview, timeline_svg
from sendplan.schedule import as_series, build_schedule, series_text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
FULL = ROOT / "examples" / "full-inspection.toml"
TODAY = datetime(2025, 5, 1, 12, 0)
SVG = "{http://www.w3.org/2000/svg}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def overview_data(
    case_path: Path = FULL,
    today: datetime = TODAY,
    timetable: Sequence[TimetableDay] | None = None,
) -> dict[str, Any]:
    case = load_case(case_path)
    plan = build_schedule(case)
    checklist = build_checklist(case, plan)
    return build_overview(plan, checklist, today, timetable=timetable).to_json()


def marks(html: str) -> list[dict[str, str]]:
    """Every mark of the timeline: event id, date, lane and x."""
    return [
        {"event": m[0], "date": m[1], "lane": m[2], "x": m[3]}
        for m in re.findall(
            r'data-event="([^"]+)" data-date="([^"]+)" data-lane="([^"]+)" data-x="([^"]+)"',
            html,
        )
    ]


# ------------------------------------------------------------------ data
def test_the_pages_dates_are_the_schedules() -> None:
    case = load_case(FULL)
    plan = build_schedule(case)
    data = overview_data()
    shown = {e["id"]: e for e in data["timeline"]["events"]}
    inner = [e for e in plan.events if e.stage not in ("follow_up",)]
    assert set(shown) == {e.id for e in inner}
    for event in inner:
        assert shown[event.id]["date"] == event.date.isoformat()
        assert shown[event.id]["time"] == (event.time.strftime("%H:%M") if event.time else None)
        assert shown[event.id]["source"] == event.source
    # And the plans due are the follow-up's.
    follow = [e for e in plan.events if e.stage == "follow_up"]
    assert [p["date"] for p in data["after"]["plans"]] == [e.date.isoformat() for e in follow]


def test_every_event_is_in_a_lane_and_every_lane_is_known() -> None:
    data = overview_data()
    lane_ids = {lane for lane, _, _ in LANES}
    for event in data["timeline"]["events"]:
        assert event["lanes"], event["id"]
        assert set(event["lanes"]) <= lane_ids
    assert lanes_of(["icb", "inspectors"]) == ["inspectors", "icb"]
    assert lanes_of(["parents"]) == ["pcf"]


def test_closures_survey_window_and_report_period() -> None:
    line = overview_data()["timeline"]
    assert [c["date"] for c in line["closures"]] == ["2025-05-05", "2025-05-26"]
    assert line["survey"]["start"] == "2025-04-25"
    assert line["survey"]["end"] == "2025-05-02"
    assert line["split"] == "2025-05-19"  # the day after the last on-site day's week
    assert [s["short"] for s in line["stages"]] == [
        "Week 1",
        "Week 2",
        "Week 3",
        "After the inspection",
    ]
    numbers = {d["date"]: d["day"] for d in line["days"]}
    assert numbers["2025-04-25"] == 1 and numbers["2025-05-16"] == 15
    assert numbers["2025-05-05"] is None  # May Day has no day number


def test_board_counts_and_names_overdue_items_with_owners() -> None:
    board = overview_data()["checklist"]
    assert board["total"] == sum(g["total"] for g in board["groups"])
    assert board["total"] == sum(o["total"] for o in board["owners"])
    assert board["rag"]["red"] == sum(i["items"] for i in board["overdue"])
    overdue = {i["id"]: i["owner"] for i in board["overdue"]}
    # Due 11am on day 2 (Mon 28 Apr, para 196); the case names its owner.
    assert overdue["list-1"] == "SEND data team"
    assert "1.1" in overdue and overdue["1.1"] is None
    # Before anything is due, nothing is overdue.
    early = overview_data(today=datetime(2025, 4, 25, 9, 0))["checklist"]
    assert early["overdue"] == [] and early["rag"]["red"] == 0


def test_tracking_is_counts_only() -> None:
    data = overview_data()
    assert data["tracking"]["selected"] == 0
    assert data["tracking"]["mix"] == {
        "checked": False,
        "holds": None,
        "rules": [],
        "not_in_lists": 0,
    }


def _child(uid: str, list_: int, area: str, phase: str = "c") -> Child:
    return Child(
        id=uid,
        list=list_,
        row=1,
        age=9,
        age_group="5-10",
        primary_need="SEMH",
        area=area,
        phase=phase,
        alternative_provision=phase == "h",
        setting="",
        social_care="not known",
        social_care_team="",
        gender="",
        ethnicity="",
        disability="",
        resident=True,
    )


def test_tracking_mix_counts_the_rules_of_para_92() -> None:
    children = [
        _child("A", 2, "communication_interaction", "h"),
        _child("B", 2, "cognition_learning"),
        _child("C", 1, "semh"),
        _child("D", 1, "sensory_physical"),
        _child("E", 1, "semh"),
    ]
    holds = tracking_mix(["A", "B", "C", "D"], children)
    assert holds.holds is True
    short = tracking_mix(["A", "C", "D", "E", "Z"], children)
    assert short.holds is False
    assert short.not_in_lists == 1
    met = {title: have >= need for title, have, need in short.rules}
    assert met["At least 2 receiving SEN support"] is False
    assert met["At least 1 studying in alternative provision"] is True


def test_no_child_id_reaches_the_page() -> None:
    children = [
        _child("SYN000123", 2, "communication_interaction", "h"),
        _child("SYN000456", 1, "semh"),
    ]
    case = load_case(FULL)
    case = case._replace(tracking=case.tracking._replace(selected=("SYN000123", "SYN000456")))
    plan = build_schedule(case)
    view = build_overview(plan, build_checklist(case, plan), TODAY, children=children)
    data = view.to_json()
    html = render_overview(data)
    assert data["tracking"]["selected"] == 2
    assert data["tracking"]["mix"]["rules"][0]["selected"] == 1  # alternative provision
    # The tracked children's Annex A items (7.1-7.7, para 206) are counted, not named.
    lines = {i["id"]: i for i in data["checklist"]["overdue"] + data["checklist"]["due_soon"]}
    assert lines["7.1:tracked"]["items"] == 2
    due_soon = data["checklist"]["due_soon"]
    assert sum(i["items"] for i in due_soon) == data["checklist"]["rag"]["amber"]
    for text in (json.dumps(data), html):
        assert "SYN000123" not in text and "SYN000456" not in text


def test_timetable_days_are_shown_when_given() -> None:
    nine, noon, five = time(9, 0), time(12, 0), time(17, 0)
    days = timetable_days(
        [
            (date(2025, 5, 13), nine, noon, True),
            (date(2025, 5, 12), noon, five, False),
            (date(2025, 5, 12), nine, noon, True),
        ]
    )
    assert [(d.date.day, d.sessions, d.in_person) for d in days] == [(12, 2, 1), (13, 1, 1)]
    assert (days[0].first_start, days[0].last_end) == (nine, five)
    data = overview_data(timetable=days)
    assert [d["sessions"] for d in data["timetable"]] == [2, 1]
    html = render_overview(data)
    parse_strict(html)
    assert "On-site days in the saved timetable" in html and ">Mon 12 May<" in html
    assert "09:00 to 17:00" in html
    assert overview_data()["timetable"] is None
    assert "saved timetable" not in render_overview(overview_data())
    # Week 2's off-site days are left to `sendplan timetable`.
    week2 = timetable_days([(date(2025, 5, 2), nine, noon, False)])
    assert overview_data(timetable=week2)["timetable"] == []


def test_the_saved_timetable_of_the_example() -> None:
    import tomllib
    from collections import Counter

    case_file = ROOT / "examples" / "full-inspection-timetable.toml"
    case = load_case(case_file)
    assert case.timetable.saved is not None
    sessions = tomllib.loads(case.timetable.saved.read_text(encoding="utf-8"))["session"]
    per_day = Counter(s["date"].isoformat() for s in sessions)
    days = saved_timetable(case)
    assert days is not None
    plan = build_schedule(case)
    on_site = [d for d in days if d.date >= plan.event("on_site_start").date]
    assert {d.date.isoformat(): d.sessions for d in on_site} == {
        day: n for day, n in per_day.items() if day >= "2025-05-12"
    }
    html = page_html(case_file, "2025-05-12T10:00")
    assert "On-site days in the saved timetable" in html
    assert "SYN0" not in html  # the sessions' titles name tracked children: never shown


# ------------------------------------------------------------------ the SVG
def test_a_mark_per_event_in_date_order_left_to_right() -> None:
    data = overview_data()
    found = marks(timeline_svg(data))
    ids = {m["event"] for m in found}
    assert ids == {e["id"] for e in data["timeline"]["events"]}
    ordered = sorted(found, key=lambda m: float(m["x"]))
    dates = [m["date"] for m in ordered]
    assert dates == sorted(dates)


def test_moving_a_date_in_the_case_moves_its_mark(tmp_path: Path) -> None:
    text = FULL.read_text(encoding="utf-8")
    moved = tmp_path / "case.toml"
    moved.write_text(
        text.replace("# draft_report_due = 2025-06-05", "draft_report_due = 2025-06-12"),
        encoding="utf-8",
    )

    def x_of(path: Path, event: str) -> float:
        (mark,) = {
            float(m["x"]) for m in marks(timeline_svg(overview_data(path))) if m["event"] == event
        }
        return mark

    assert x_of(moved, "draft_report_due") > x_of(FULL, "draft_report_due")
    # Its followers move too (para 137: 10 working days for comments).
    assert x_of(moved, "factual_accuracy_due") > x_of(FULL, "factual_accuracy_due")
    # Nothing before it does.
    assert x_of(moved, "on_site_start") == x_of(FULL, "on_site_start")
    shown = {e["id"]: e for e in overview_data(moved)["timeline"]["events"]}
    assert shown["draft_report_due"]["date"] == "2025-06-12"
    assert shown["draft_report_due"]["recorded"] is True


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2025, 4, 1, 9, 0),
        datetime(2025, 5, 2, 12, 0),  # tracking meetings under way
        datetime(2025, 5, 13, 18, 0),  # on site, day 2 evening
        datetime(2025, 5, 16, 8, 0),
    ],
)
def test_coming_up_is_what_status_calls_next(moment: datetime) -> None:
    """Issue 13: the page's "Coming up" is ``status``'s "Next" (after today, a repeated
    meeting one row, windows under way left to "today"), both in the JSON and on the page."""
    case = load_case(FULL)
    plan = build_schedule(case)
    checklist = build_checklist(case, plan)
    board = build_status(plan, checklist, moment)
    data = build_overview(plan, checklist, moment).to_json()
    assert [e["id"] for e in data["next_events"]] == [e.id for e in board.next_events]
    rows = as_series(board.next_events)
    assert [e["id"] for e in data["coming_up"]] == [e.id for e in rows]
    assert all(e["date"] > moment.date().isoformat() for e in data["next_events"])
    # The summary's "What happens next" names what is still to come today (not yet
    # in status's "next", which starts tomorrow), then the first of those rows.
    page = render_overview(data)
    section = page.split("<h3>What happens next</h3>", 1)[1].split("</div>", 1)[0]
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    day, clock = moment.date(), moment.time()
    later_today = [
        e.title for e in band_events(plan) if e.date == day and (e.time is None or e.time > clock)
    ]
    shown = [*later_today, *(row.title for row in rows)][:SUMMARY_NEXT]
    assert len(items) == len(shown)
    for item, title in zip(items, shown, strict=True):
        assert item.count(str(escape(title))) == 1
    for row in rows[: SUMMARY_NEXT - len(later_today)]:
        if row.series_dates:
            assert series_text(row) in page


def test_today_line_follows_today() -> None:
    def today_x(moment: datetime) -> float:
        svg = timeline_svg(overview_data(today=moment))
        match = re.search(r'<g class="today"[^>]*>.*?<line x1="([0-9.]+)"', svg, re.S)
        assert match, "no today line"
        return float(match.group(1))

    assert today_x(datetime(2025, 5, 2, 9, 0)) > today_x(datetime(2025, 5, 1, 12, 0))
    before = timeline_svg(overview_data(today=datetime(2025, 1, 6)))
    assert 'class="today"' not in before and "before the first date shown" in before


def test_approximate_dates_are_drawn_as_such() -> None:
    svg = timeline_svg(overview_data())
    approx = re.findall(r'class="mark [^"]* approx" data-event="([^"]+)"', svg)
    assert "set_up_discussion" in approx
    assert "on_site_start" not in approx
    group = re.search(r'data-event="set_up_discussion".*?</g>', svg, re.S)
    assert group and "stroke-dasharray" in group.group(0)


# ------------------------------------------------------------------ the HTML
def parse_strict(html: str) -> ET.Element:
    tree: ET.Element = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(html)
    return tree


@pytest.mark.parametrize("case_path", EXAMPLES, ids=lambda p: p.stem)
def test_each_example_makes_a_valid_self_contained_page(case_path: Path) -> None:
    html = page_html(case_path, "2025-05-01T12:00")
    parse_strict(html)  # raises on any parse error
    # Self-contained: nothing to fetch, no script.
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and "url(http" not in html
    assert "Content-Security-Policy" in html


def test_accessibility_basics() -> None:
    html = page_html(FULL, "2025-05-01T12:00")
    tree = parse_strict(html)
    root = tree
    assert root.get("lang") == "en-GB"
    levels = [
        int(el.tag[-1])
        for el in root.iter()
        if re.fullmatch(rf"{re.escape(XHTML)}h[1-6]", str(el.tag))
    ]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    svg = next(root.iter(f"{SVG}svg"))
    assert svg.get("role") == "img"
    labelled = (svg.get("aria-labelledby") or "").split()
    ids = {el.get("id"): el for el in svg.iter()}
    assert ids[labelled[0]].tag == f"{SVG}title" and ids[labelled[0]].text
    assert ids[labelled[1]].tag == f"{SVG}desc" and len(ids[labelled[1]].text or "") > 40
    # Every mark has its own title naming its date and paragraph.
    for mark in svg.iter(f"{SVG}g"):
        if "mark" in (mark.get("class") or "").split():
            title = mark.find(f"{SVG}title")
            assert title is not None
            assert re.search(r"\((handbook|re-visit)[^)]*\)", title.text or "")
    element_ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(element_ids) == len(set(element_ids)), "an id is used twice"
    # Colour is never the only signal: each RAG state has its symbol and word.
    for symbol, word in RAG.values():
        assert symbol in html and word in html
    # Every date in the list of dates shows its paragraph on the page, not in a
    # hover title (issue 21: paper and phones have no hover).
    dates = [el for el in root.iter(f"{XHTML}ol") if "dates" in (el.get("class") or "")]
    items = [li for ol in dates for li in ol.iter(f"{XHTML}li")]
    screen = html.split('class="print-only')[0]
    assert len(items) == len(set(re.findall(r'<g class="mark [^>]*data-event="([^"]+)"', screen)))
    for li in items:
        text = "".join(li.itertext())
        assert re.search(r"Source: [^.]*(para|guidance|case file|record)", text), text


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_text_colours_have_enough_contrast() -> None:
    html = page_html(FULL, "2025-05-01T12:00")
    # Text colours: the CSS custom properties and the SVG's text fills (WCAG AA: 4.5:1).
    colours = set(re.findall(r"--(?:ink|muted|red|amber|green): (#[0-9a-f]{6})", html))
    colours |= set(re.findall(r'class="lane" fill="(#[0-9a-f]{6})"', html))
    colours |= set(re.findall(r"fill: (#[0-9a-f]{6})", html))
    assert len(colours) >= 8
    for colour in colours:
        assert contrast(colour, "#ffffff") >= 4.5, colour
        # Lane labels sit on a pale band too.
        assert contrast(colour, "#f7f9fc") >= 4.5, colour


def test_the_page_is_deterministic() -> None:
    assert page_html(FULL, "2025-05-01T12:00") == page_html(FULL, "2025-05-01T12:00")
    assert page_html(FULL, "2025-05-01T12:00") != page_html(FULL, "2025-05-02T12:00")


def test_case_text_is_escaped(tmp_path: Path) -> None:
    text = FULL.read_text(encoding="utf-8").replace(
        'local_area = "Exampleshire"', 'local_area = "<b>Example & shire</b>"'
    )
    case = tmp_path / "case.toml"
    case.write_text(text, encoding="utf-8")
    html = page_html(case, "2025-05-01T12:00")
    parse_strict(html)
    assert "<b>Example" not in html and "&lt;b&gt;Example &amp; shire&lt;/b&gt;" in html


# ------------------------------------------------------------------ the command
def test_command_writes_the_page_and_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "overview.html"
    args = ["overview", str(FULL), "-o", str(out), "--today", "2025-05-01T12:00"]
    result = run_cli(*args)
    assert result.code == 0, result.output
    first = out.read_text(encoding="utf-8")
    assert first == page_html(FULL, "2025-05-01T12:00")
    again = run_cli(*args[:-1], "2025-05-02T12:00")
    assert again.code == 2 and "--force" in again.output
    assert out.read_text(encoding="utf-8") == first  # untouched
    forced = run_cli(*args[:-1], "2025-05-02T12:00", "--force")
    assert forced.code == 0
    assert out.read_text(encoding="utf-8") != first
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


def test_json_is_the_data_the_page_is_made_from() -> None:
    result = run_cli("overview", str(FULL), "--format", "json", today="2025-05-01T12:00")
    assert result.code == 0, result.output
    data = json.loads(result.stdout)
    assert data["today"] == "2025-05-01T12:00"
    assert data["day"] == 5
    page = run_cli("overview", str(FULL), today="2025-05-01T12:00").stdout
    assert page == render_overview(data)
    publication = next(s for s in data["after"]["steps"] if s["id"] == "publication_due")
    assert publication["observed"]["median_working_days"] > 0  # the record, side by side


def test_command_bad_input_exits_2(tmp_path: Path) -> None:
    missing = run_cli("overview", str(tmp_path / "none.toml"))
    assert missing.code == 2
    bad_today = run_cli("overview", str(FULL), "--today", "soon")
    assert bad_today.code == 2
    no_folder = run_cli("overview", str(FULL), "-o", str(tmp_path / "x" / "o.html"))
    assert no_folder.code == 2 and "Traceback" not in no_folder.output


def test_lists_check_the_mix_without_showing_anyone() -> None:
    lists = ROOT / "examples" / "lists"
    result = run_cli(
        "overview",
        str(FULL),
        "--format",
        "json",
        "--today",
        "2025-05-01",
        "--list1",
        str(lists / "list1.csv"),
        "--list2",
        str(lists / "list2.csv"),
    )
    assert result.code == 0, result.output
    mix = json.loads(result.stdout)["tracking"]["mix"]
    assert mix["checked"] is True
    assert mix["holds"] is False  # nobody is selected in the example case
    assert "SYN0" not in result.stdout


# ------------------------------------------------------------------ any inspection date
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.dates(date(2023, 1, 2), date(2027, 12, 27)).map(
        lambda d: d - timedelta(days=d.weekday())  # a Monday, as para 80 has it
    ),
    kind=st.sampled_from(EXAMPLES[:]),
    hours=st.integers(-200, 2500),
)
def test_any_inspection_date_draws_marks_in_order(start: date, kind: Path, hours: int) -> None:
    case = load_case(kind)
    if case.kind != "engagement":
        case = case.with_dates(on_site_start=start)
    plan = build_schedule(case)
    today = datetime.combine(plan.span[0], time(0)) + timedelta(hours=hours)
    data = build_overview(plan, build_checklist(case, plan), today).to_json()
    svg = timeline_svg(data)
    found = marks(svg)
    assert {m["event"] for m in found} == {e["id"] for e in data["timeline"]["events"]}
    dates = [m["date"] for m in sorted(found, key=lambda m: float(m["x"]))]
    assert dates == sorted(dates)
    # Every mark lies inside the drawing.
    width = float(re.search(r'viewBox="0 0 ([0-9.]+)', svg).group(1))  # type: ignore[union-attr]
    assert all(LEFT <= float(m["x"]) <= width - LEFT for m in found)
    parse_strict(render_overview(data))


def test_lists_for_a_kind_without_notification_is_refused() -> None:
    lists = ROOT / "examples" / "lists"
    engagement = ROOT / "examples" / "engagement-meeting.toml"
    result = run_cli("overview", str(engagement), "--lists", str(lists / "lists.xlsx"))
    assert result.code == 2
    assert "no notification" in result.stderr and "Traceback" not in result.output


def test_readme_shows_the_page() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/overview.png)" in readme
    png = (ROOT / "docs" / "overview.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 50_000
    # `python docs/make_overview_screenshot.py` makes it and docs/overview.html, the
    # page it shows: a reviewed snapshot, so a change to the page asks for a new picture.
    snapshot = (ROOT / "docs" / "overview.html").read_text(encoding="utf-8")
    assert page_html(FULL, "2025-05-01T12:00") == snapshot, (
        "the page changed: run `python docs/make_overview_screenshot.py`, look at "
        "docs/overview.png, and commit both files"
    )


def test_timetable_option(tmp_path: Path) -> None:
    saved = ROOT / "examples" / "timetables" / "full-inspection-timetable.toml"
    case = ROOT / "examples" / "full-inspection-timetable.toml"
    args = ["overview", str(case), "-f", "json", "--today", "2025-05-12"]
    shown = run_cli(*args, "--timetable", str(saved))
    assert shown.code == 0, shown.output
    assert [d["date"] for d in json.loads(shown.stdout)["timetable"]][0] == "2025-05-12"
    missing = run_cli(*args, "--timetable", str(tmp_path / "none.toml"))
    assert missing.code == 2 and "no such saved timetable" in missing.stderr
    # Another case's timetable is refused, naming whose it is.
    monitoring = ROOT / "examples" / "monitoring-inspection.toml"
    other = run_cli("overview", str(monitoring), "--timetable", str(saved))
    assert other.code == 2 and "not of this case" in other.stderr


def test_counts_on_the_page_agree_with_their_words() -> None:
    # The engagement meeting's checklist has 1 item: "1 item", never "1 items".
    one = render_overview(overview_data(ROOT / "examples" / "engagement-meeting.toml"))
    assert "<p>1 item: " in one and "1 items" not in one
    many = render_overview(overview_data())
    assert "<p>36 items: " in many
    assert "children and young people selected" in many  # 0 selected


def test_tracking_numbers_and_their_paragraphs_come_from_the_data() -> None:
    # Para 90's usual count and para 92's mix are data with their paragraphs
    # (data/lists.toml), not literals in the page's code.
    from sendplan.lists.codes import NUMBERS

    shown = tracking_json(["A1", "A2"], ["A3"], TrackingMix(False))
    assert (shown["selected"], shown["reserves"]) == (2, 1)
    assert shown["usual"] == NUMBERS["choice"]["count"] == 6
    assert shown["usual_source"] == NUMBERS["choice"]["count_source"] == "handbook para 90"
    assert shown["mix_source"] == NUMBERS["tracking"]["source"] == "handbook para 92"

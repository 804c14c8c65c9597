"""The overview page in a real browser: headless Chromium (Debian's package),
driven by Playwright for Python.  `.ci/run` installs Chromium where it is
missing; on a machine without it these tests are skipped, saying so.
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path
from typing import Any

import pytest

from example_cases import DATED
from overview_browser import chromium_path, open_browser, page_html

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
FULL = ROOT / "examples" / "full-inspection.toml"
TODAY = "2025-05-01T12:00"

# Skipped on a machine without Chromium, except where a browser is required
# (.ci/run sets SENDPLAN_REQUIRE_BROWSER): there a missing browser fails.
if chromium_path() is None and os.environ.get("SENDPLAN_REQUIRE_BROWSER"):
    raise RuntimeError("SENDPLAN_REQUIRE_BROWSER is set but chromium is not installed")
pytestmark = pytest.mark.skipif(
    chromium_path() is None, reason="chromium not installed (.ci/run installs it)"
)


@pytest.fixture(scope="module")
def browser() -> Any:
    with open_browser() as context:
        yield context


def visit(browser: Any, html: str, tmp_path: Path) -> tuple[Any, list[str], list[str]]:
    """Open the page from a file; return it, console errors and every request made."""
    page_file = tmp_path / "overview.html"
    page_file.write_text(html, encoding="utf-8")
    page = browser.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(page_file.as_uri(), wait_until="load")
    return page, errors, requests


@pytest.mark.parametrize("case_path", EXAMPLES, ids=lambda p: p.stem)
def test_page_loads_with_no_errors_and_no_requests(
    browser: Any, case_path: Path, tmp_path: Path
) -> None:
    page, errors, requests = visit(browser, page_html(case_path, TODAY), tmp_path)
    try:
        assert errors == []
        # The only request is the page itself: no font, image, style or script.
        assert requests == [(tmp_path / "overview.html").as_uri()]
        # A case without dates has no timeline: its readiness instead (issue 23).
        dated = case_path in DATED
        assert page.locator("svg.timeline").count() == (1 if dated else 0)
        assert page.locator("#h-ready").count() == (0 if dated else 1)
        assert page.locator("h1").inner_text().endswith(load_area(case_path))
    finally:
        page.close()


def load_area(case_path: Path) -> str:
    match = re.search(r'^local_area = "([^"]+)"', case_path.read_text(encoding="utf-8"), re.M)
    assert match
    return match.group(1)


def test_screenshot_is_not_blank(browser: Any, tmp_path: Path) -> None:
    page, _, _ = visit(browser, page_html(FULL, TODAY), tmp_path)
    try:
        shot = page.screenshot(full_page=True)
        # Count distinct colours in the timeline's box from the browser's own pixels.
        box = page.locator("svg.timeline").bounding_box()
        assert box is not None and box["width"] > 800 and box["height"] > 200
        # Decode the PNG in a blank page: the overview's own policy forbids data: images.
        blank = browser.new_page()
        colours = blank.evaluate(
            """async (src) => {
                const img = new Image();
                img.src = src;
                await img.decode();
                const c = document.createElement('canvas');
                c.width = img.width; c.height = img.height;
                const g = c.getContext('2d');
                g.drawImage(img, 0, 0);
                const d = g.getImageData(0, 0, c.width, c.height).data;
                const seen = new Set();
                let ink = 0;
                for (let i = 0; i < d.length; i += 4 * 7) {
                    seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
                    if (d[i] + d[i + 1] + d[i + 2] < 300) ink++;
                }
                return [seen.size, ink];
            }""",
            "data:image/png;base64," + base64.b64encode(shot).decode(),
        )
        blank.close()
        distinct, dark = colours
        assert distinct > 50, "the screenshot is (nearly) one colour"
        assert dark > 1000, "hardly any text or marks drawn"
    finally:
        page.close()


def test_timeline_marks_in_date_order_left_to_right(browser: Any, tmp_path: Path) -> None:
    from sendplan.case import load_case
    from sendplan.schedule import build_schedule

    page, _, _ = visit(browser, page_html(FULL, TODAY), tmp_path)
    try:
        drawn = page.evaluate(
            """() => [...document.querySelectorAll('svg.timeline g.mark')].map(g => {
                const b = g.firstElementChild.nextElementSibling.getBoundingClientRect();
                return [g.dataset.event, g.dataset.date, b.left, b.right, b.width];
            })"""
        )
    finally:
        page.close()
    plan = build_schedule(load_case(FULL))
    expected = {e.id: e.date.isoformat() for e in plan.events if e.stage != "follow_up"}
    assert {event for event, *_ in drawn} == set(expected)
    for event, day, _, _, width in drawn:
        assert day == expected[event]  # the page's dates are the schedule's
        assert width > 0, f"{event} is not drawn"
    # Left edges, as the browser laid them out, follow the dates.
    by_left = sorted(drawn, key=lambda m: m[2])
    days = [d for _, d, *_ in by_left]
    assert days == sorted(days)


def test_hover_titles_give_the_paragraph(browser: Any, tmp_path: Path) -> None:
    page, _, _ = visit(browser, page_html(FULL, TODAY), tmp_path)
    try:
        title = page.locator('g.mark[data-event="person_level_data_due"] > title').first
        assert "handbook para 196" in title.text_content()
        assert "11:00" in title.text_content()
    finally:
        page.close()


@pytest.mark.parametrize("case_path", EXAMPLES, ids=lambda p: p.stem)
def test_prints_on_one_a4_landscape_page(browser: Any, case_path: Path, tmp_path: Path) -> None:
    # Also late on, when every Annex A item is overdue and the list is longest.
    for today in (TODAY, "2030-01-01T09:00"):
        page, _, _ = visit(browser, page_html(case_path, today), tmp_path)
        try:
            pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        finally:
            page.close()
        pages = re.findall(rb"/Type\s*/Page\b(?!s)", pdf)
        boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", pdf)
        assert len(pages) == 1, f"{len(pages)} pages for {today}"
        width, height = (float(v) for v in boxes[0])
        # A4 landscape: 297 x 210 mm = 842 x 595 points.
        assert abs(width - 842) < 2 and abs(height - 595) < 2


def test_moving_a_date_moves_its_mark_on_screen(browser: Any, tmp_path: Path) -> None:
    moved = tmp_path / "case.toml"
    moved.write_text(
        FULL.read_text(encoding="utf-8").replace(
            "# draft_report_due = 2025-06-05", "draft_report_due = 2025-06-12"
        ),
        encoding="utf-8",
    )

    def left_of(case: Path, event: str) -> float:
        page, _, _ = visit(browser, page_html(case, TODAY), tmp_path)
        try:
            box = page.locator(f'g.mark[data-event="{event}"] > :not(title)').first.bounding_box()
        finally:
            page.close()
        assert box is not None
        return float(box["x"])

    assert left_of(moved, "draft_report_due") > left_of(FULL, "draft_report_due") + 5
    # Anchored on the draft (para 137), the comments move with it.
    assert left_of(moved, "factual_accuracy_due") > left_of(FULL, "factual_accuracy_due")
    assert left_of(moved, "on_site_start") == left_of(FULL, "on_site_start")


def test_a_fuller_case_still_prints_on_one_page(browser: Any, tmp_path: Path) -> None:
    """An outcome with its plans, six tracked children (their Annex A items all
    overdue) and the para 92 mix checked from the lists."""
    from sendplan.case import load_case
    from sendplan.tracking import ListsSource, notification_date, read_lists

    text = FULL.read_text(encoding="utf-8").replace(
        '# outcome = "inconsistent"',
        'outcome = "widespread"\nareas_for_priority_action = ["Joint commissioning"]',
    )
    chosen = '", "'.join(["SYN000099", "SYN000004", "SYN000095", "SYN000069", "SYN000002"])
    text += f'\n[tracking]\nselected = ["{chosen}", "SYN000005"]\n'
    case_file = tmp_path / "fuller.toml"
    case_file.write_text(text, encoding="utf-8")
    case = load_case(case_file)
    lists = ListsSource(workbook=ROOT / "examples" / "lists" / "lists.xlsx")
    children = read_lists(case, lists, notification_date(case)).children
    html = page_html(case_file, "2025-06-10T09:00", children=children)
    assert "The mix of handbook para 92 holds." in html and "SYN0" not in html
    page, errors, _ = visit(browser, html, tmp_path)
    try:
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        page.close()
    assert errors == []
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1

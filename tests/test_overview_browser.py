"""The overview page in a real browser: headless Chromium (Debian's package),
driven by Playwright for Python.  `.ci/run` installs Chromium where it is
missing; on a machine without it these tests are skipped, saying so.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from cli_harness import run_cli
from example_cases import DATED
from overview_browser import chromium_path, fuller_case, open_browser, page_html

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


def visit(
    browser: Any, html: str, tmp_path: Path, width: int | None = None
) -> tuple[Any, list[str], list[str]]:
    """Open the page from a file (``width``: in a viewport that wide, a phone's 390 px);
    return it, console errors and every request made."""
    page_file = tmp_path / "overview.html"
    page_file.write_text(html, encoding="utf-8")
    page = browser.new_page()
    if width is not None:
        page.set_viewport_size({"width": width, "height": 844})
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
        # One drawing on screen, and one a stage for print; a case without dates
        # has no timeline: its readiness instead (issue 23).
        dated = case_path in DATED
        assert page.locator(".timeline-box svg.timeline").count() == (1 if dated else 0)
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
        box = page.locator(".timeline-box svg.timeline").bounding_box()
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
            """() => [...document.querySelectorAll('.timeline-box svg.timeline g.mark')].map(g => {
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
        title = page.locator(
            '.timeline-box g.mark[data-event="person_level_data_due"] > title'
        ).first
        assert "handbook para 196" in title.text_content()
        assert "11:00" in title.text_content()
    finally:
        page.close()


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
            mark = page.locator(f'.timeline-box g.mark[data-event="{event}"] > :not(title)')
            box = mark.first.bounding_box()
        finally:
            page.close()
        assert box is not None
        return float(box["x"])

    assert left_of(moved, "draft_report_due") > left_of(FULL, "draft_report_due") + 5
    # Anchored on the draft (para 137), the comments move with it.
    assert left_of(moved, "factual_accuracy_due") > left_of(FULL, "factual_accuracy_due")
    assert left_of(moved, "on_site_start") == left_of(FULL, "on_site_start")


# ------------------------------------------------------------------ reading it (issue 21)
def _overflow(page: Any) -> list[str]:
    """Elements reaching past the viewport's right edge, outside the timeline's box."""
    found: list[str] = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const out = [];
            for (const el of document.body.querySelectorAll('*')) {
                if (el.closest('.timeline-box') || el.closest('.print-only')) continue;
                const box = el.getBoundingClientRect();
                if (box.width === 0 && box.height === 0) continue;
                if (box.right > width + 0.5 || box.left < -0.5) {
                    out.push(el.tagName + '.' + el.className + ' ' + box.left + '-' + box.right);
                }
            }
            if (document.documentElement.scrollWidth > width) out.push('page scrolls sideways');
            return out;
        }"""
    )
    return found


def _small_text(page: Any, least: float) -> list[str]:
    """Visible text (outside the timeline drawing) set smaller than ``least`` px."""
    found: list[str] = page.evaluate(
        """(least) => {
            const out = [];
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode;
                if (!node.textContent.trim()) continue;
                const el = node.parentElement;
                if (el.closest('svg')) continue;
                const box = el.getBoundingClientRect();
                if (box.width === 0 || box.height === 0) continue;  // not shown here
                const size = parseFloat(getComputedStyle(el).fontSize);
                if (size < least) out.push(size + 'px: ' + node.textContent.trim().slice(0, 40));
            }
            return out;
        }""",
        least,
    )
    return found


CASES = [*EXAMPLES, "fuller"]


def _case(which: Path | str, folder: Path) -> Path:
    return fuller_case(folder) if which == "fuller" else Path(which)


def _dated(which: Path | str) -> bool:
    """Whether the case dates its inspection (the fuller variant of the full example does)."""
    return which == "fuller" or which in DATED


@pytest.mark.parametrize("which", CASES, ids=lambda p: getattr(p, "stem", str(p)))
def test_on_screen_text_is_16px_and_every_mark_is_labelled(
    browser: Any, which: Path | str, tmp_path: Path
) -> None:
    page, _, _ = visit(browser, page_html(_case(which, tmp_path), TODAY), tmp_path)
    try:
        assert _small_text(page, 16) == []
        # Nothing a reader needs is cut short, in the text or the drawing (a case
        # without dates has none: its readiness instead, issue 23).
        drawing = page.locator(".timeline-box svg")
        shown = page.inner_text("body") + (drawing.text_content() or "" if _dated(which) else "")
        assert "\u2026" not in shown and "..." not in shown
        labels = page.evaluate(
            """() => [...document.querySelectorAll('.timeline-box g.mark')].map(g => {
                const text = g.querySelector('text');
                const svg = g.ownerSVGElement.getBoundingClientRect();
                if (!text) return [g.dataset.number, '', null, null];
                const b = text.getBoundingClientRect();
                const style = getComputedStyle(text);
                const shown = style.visibility !== 'hidden' && style.display !== 'none'
                    && b.width > 0 && b.left >= svg.left - 0.5 && b.right <= svg.right + 0.5
                    && b.top >= svg.top && b.bottom <= svg.bottom;
                return [g.dataset.number, text.textContent, shown, [b.left, b.top, b.right, b.bottom]];
            })"""
        )
    finally:
        page.close()
    assert bool(labels) == _dated(which)
    for number, text, shown, _ in labels:
        # Its number, on the page, inside the drawing (never only a hover title).
        assert text.split(" ")[0] == number and shown, (number, text)
    boxes = [box for *_, box in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not _intersect(a, b, 0.5), (a, b)


def _intersect(a: Sequence[float], b: Sequence[float], tolerance: float) -> bool:
    return (
        a[0] < b[2] - tolerance
        and b[0] < a[2] - tolerance
        and a[1] < b[3] - tolerance
        and b[1] < a[3] - tolerance
    )


@pytest.mark.parametrize("which", CASES, ids=lambda p: getattr(p, "stem", str(p)))
def test_on_a_phone_nothing_overflows_and_the_timeline_scrolls_in_its_box(
    browser: Any, which: Path | str, tmp_path: Path
) -> None:
    html = page_html(_case(which, tmp_path), TODAY)
    page, errors, _ = visit(browser, html, tmp_path, width=390)
    try:
        assert errors == []
        assert page.evaluate("window.innerWidth") == 390
        assert _overflow(page) == []
        assert _small_text(page, 16) == []
        if not _dated(which):
            return  # no timeline: the readiness strip wraps (issue 23)
        box = page.evaluate(
            """() => { const b = document.querySelector('.timeline-box');
                       return [b.clientWidth, b.scrollWidth, getComputedStyle(b).overflowX]; }"""
        )
    finally:
        page.close()
    client, scroll, overflow = box
    assert client <= 390 and scroll > client and overflow == "auto"


@pytest.mark.parametrize("which", CASES, ids=lambda p: getattr(p, "stem", str(p)))
def test_no_serious_accessibility_violations(
    browser: Any, which: Path | str, tmp_path: Path
) -> None:
    from overview_browser import AXE_VERSION, axe_source

    source = axe_source()
    if source is None:
        if os.environ.get("SENDPLAN_REQUIRE_BROWSER"):
            raise RuntimeError("axe-core is not installed (.ci/run installs it from npm)")
        pytest.skip("axe-core not installed: npm install --prefix .cache/axe axe-core")
    page, _, _ = visit(browser, page_html(_case(which, tmp_path), TODAY), tmp_path)
    try:
        # Evaluated through the DevTools protocol: the page's own policy forbids scripts.
        page.evaluate(source + "\n;0")
        assert page.evaluate("axe.version") == AXE_VERSION
        result = page.evaluate(
            """async () => {
                const r = await axe.run(document, {resultTypes: ['violations']});
                return r.violations.map(v => [v.id, v.impact, v.help,
                    v.nodes.slice(0, 3).map(n => n.target.join(' '))]);
            }"""
        )
    finally:
        page.close()
    serious = [v for v in result if v[1] in ("serious", "critical")]
    assert serious == [], serious


# ------------------------------------------------------------------ print (issue 21)
def printed(case: Path, today: str, folder: Path, *more: str) -> bytes:
    """`sendplan overview CASE --format pdf`: the real command, the system's browser."""
    out = folder / "board.pdf"
    out.unlink(missing_ok=True)
    args = ["overview", str(case), "--today", today, "--format", "pdf", "-o", str(out), *more]
    result = run_cli(*args)
    assert result.code == 0, result.output
    return out.read_bytes()


#: Letters and digits of the page: text smaller than 11 pt is a failure, whatever it is.
LEAST_POINTS = 11.0
A4_PORTRAIT = (595.3, 841.9)


@pytest.mark.parametrize("which", CASES, ids=lambda p: getattr(p, "stem", str(p)))
def test_prints_on_a4_portrait_at_11_pt_nothing_overlapping_nothing_cut(
    which: Path | str, tmp_path: Path
) -> None:
    import io

    import pdfplumber

    case = _case(which, tmp_path)
    more = ["--lists", str(ROOT / "examples" / "lists" / "lists.xlsx")] if which == "fuller" else []
    # Also late on, when every item is overdue and the lists are longest.
    for today in (TODAY, "2030-01-01T09:00") if which == "fuller" else (TODAY,):
        pdf = printed(case, today, tmp_path, *more)
        with pdfplumber.open(io.BytesIO(pdf)) as document:
            pages = document.pages
            assert len(pages) >= 2
            for number, page in enumerate(pages, start=1):
                assert abs(page.width - A4_PORTRAIT[0]) < 1.5, page.width
                assert abs(page.height - A4_PORTRAIT[1]) < 1.5, page.height
                small = {(round(c["size"], 1), c["text"]) for c in page.chars if c["text"].strip()}
                assert not [c for c in small if c[0] < LEAST_POINTS], (number, sorted(small)[:5])
                text = page.extract_text()
                assert "..." not in text and "\u2026" not in text, number
                # No instruction to run a command on paper.
                assert "--list" not in text and "run with" not in text.lower()
                words = page.extract_words(use_text_flow=True)
                assert _overlapping(words) == [], number
                footer = text.strip().splitlines()[-1]
                assert footer.endswith(f"Page {number} of {len(pages)}"), footer
                assert load_area(Path(case)) in footer and "As of" in footer


def _overlapping(words: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """Pairs of words whose boxes intersect (a sweep down the page: only words whose
    lines share height are compared)."""
    ordered = sorted(words, key=lambda w: w["top"])
    found = []
    for i, a in enumerate(ordered):
        box_a = (a["x0"], a["top"], a["x1"], a["bottom"])
        for b in ordered[i + 1 :]:
            if b["top"] >= a["bottom"]:
                break
            if _intersect(box_a, (b["x0"], b["top"], b["x1"], b["bottom"]), 0.6):
                found.append((a["text"], b["text"]))
    return found


def test_overlapping_finds_words_on_words() -> None:
    def word(text: str, x0: float, top: float) -> dict[str, Any]:
        return {"text": text, "x0": x0, "x1": x0 + 40, "top": top, "bottom": top + 12}

    assert _overlapping([word("Overdue", 10, 100), word("Due", 30, 104)]) == [("Overdue", "Due")]
    assert _overlapping([word("a", 10, 100), word("b", 60, 100), word("c", 10, 113)]) == []


def test_no_browser_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sendplan import pdf

    monkeypatch.setattr(pdf, "BROWSER_PATHS", ())
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("SENDPLAN_BROWSER", raising=False)
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    out = tmp_path / "board.pdf"
    result = run_cli("overview", str(FULL), "--format", "pdf", "-o", str(out))
    assert result.code == 2 and not out.exists()
    message = result.stderr
    assert "no browser to print the PDF with" in message
    assert "chromium" in message and "msedge" in message and "SENDPLAN_BROWSER" in message
    assert "Traceback" not in result.output

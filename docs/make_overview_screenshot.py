"""Regenerate docs/overview.png, the README's picture of `sendplan overview`, and
docs/overview.html, the page it is a picture of.

Renders the example case's page for a fixed moment and photographs it with
headless Chromium (Debian's `chromium`, driven by Playwright for Python):

    python docs/make_overview_screenshot.py

tests/test_overview.py fails when the page no longer matches docs/overview.html:
then run this script and look at both before committing them.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from overview_browser import open_browser, page_html  # noqa: E402

CASE = ROOT / "examples" / "full-inspection.toml"
TODAY = "2025-05-01T12:00"
PAGE = ROOT / "docs" / "overview.html"
PICTURE = ROOT / "docs" / "overview.png"


def main() -> None:
    PAGE.write_text(page_html(CASE, TODAY), encoding="utf-8")
    with open_browser() as browser:
        page = browser.new_page()
        page.goto(PAGE.as_uri())
        page.screenshot(path=str(PICTURE), full_page=True)
    print(f"wrote {PAGE.relative_to(ROOT)} and {PICTURE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

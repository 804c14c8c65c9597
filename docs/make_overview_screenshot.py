"""Regenerate docs/overview.png, the README's picture of `sendplan overview`.

Renders the example case's page for a fixed moment and photographs it with
headless Chromium (Debian's `chromium`, driven by Playwright for Python):

    python docs/make_overview_screenshot.py            # writes docs/overview.png
    python docs/make_overview_screenshot.py out.png    # elsewhere
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from overview_browser import open_browser, page_html  # noqa: E402

CASE = ROOT / "examples" / "full-inspection.toml"
TODAY = "2025-05-01T12:00"


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "overview.png"
    html = page_html(CASE, TODAY)
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "overview.html"
        page_file.write_text(html, encoding="utf-8")
        with open_browser() as browser:
            page = browser.new_page()
            page.goto(page_file.as_uri())
            page.screenshot(path=str(target), full_page=True)
    print(f"wrote {target}")


if __name__ == "__main__":
    main()

"""Regenerate the README's pictures of `sendplan overview` and docs/overview.html,
the page they are pictures of.

Renders the example case's page for a fixed moment and photographs it with
headless Chromium (Debian's `chromium`, driven by Playwright for Python):

* docs/overview.png: on screen, 1240 px wide, the whole page;
* docs/overview-phone.png: on a phone, 390 px wide, its first screens;
* docs/overview-print-1.png, docs/overview-print-2.png: the first two A4
  pages of `sendplan overview --format pdf` (the real command's print, footer
  and all), drawn by pypdfium2 (installed with pdfplumber, a test extra).

    python docs/make_overview_screenshot.py

tests/test_overview.py fails when the page no longer matches docs/overview.html:
then run this script and look at the pictures before committing them.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from overview_browser import open_browser, page_data  # noqa: E402

CASE = ROOT / "examples" / "full-inspection.toml"
TODAY = "2025-05-01T12:00"
DOCS = ROOT / "docs"
PAGE = DOCS / "overview.html"
PICTURE = DOCS / "overview.png"
PHONE = DOCS / "overview-phone.png"
PRINTED = [DOCS / "overview-print-1.png", DOCS / "overview-print-2.png"]
#: How much of the phone's page to show: its first screens (390 x 844 each).
PHONE_HEIGHT = 2 * 844


def main() -> None:
    from sendplan.render.overview import print_footer, render_overview

    data = page_data(CASE, TODAY)
    html = render_overview(data)
    PAGE.write_text(html, encoding="utf-8")
    with open_browser() as browser:
        page = browser.new_page()
        page.goto(PAGE.as_uri())
        page.screenshot(path=str(PICTURE), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(
            path=str(PHONE),
            full_page=True,
            clip={"x": 0, "y": 0, "width": 390, "height": PHONE_HEIGHT},
        )
    print_pages(html, print_footer(data))
    made = [PAGE, PICTURE, PHONE, *PRINTED]
    print("wrote " + ", ".join(str(p.relative_to(ROOT)) for p in made))


def print_pages(html: str, footer: tuple[str, str]) -> None:
    """The first pages of the page printed as `sendplan overview --format pdf` prints it."""
    import pypdfium2

    from sendplan.pdf import print_pdf

    data = print_pdf(html, footer=footer)
    with tempfile.TemporaryDirectory() as folder:
        pdf_file = Path(folder) / "board.pdf"
        pdf_file.write_bytes(data)
        document = pypdfium2.PdfDocument(str(pdf_file))
        for index, target in enumerate(PRINTED):
            document[index].render(scale=1.25).to_pil().save(target)
        document.close()


if __name__ == "__main__":
    main()

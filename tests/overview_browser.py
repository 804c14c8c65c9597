"""Headless Chromium for the overview page's tests and the README screenshot.

Debian's `chromium` package (`.ci/run` installs it) driven by Playwright for
Python; Playwright's own browser download is never used (no internet for it).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"

#: Flags that keep Chromium from reaching out (updates, sync, field trials).
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    found = shutil.which("chromium")
    return found or (CHROMIUM if Path(CHROMIUM).exists() else None)


@contextmanager
def open_browser(width: int = 1240, height: int = 900) -> Iterator[Any]:
    """A Playwright browser context on the system Chromium, with a fresh profile."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise RuntimeError("chromium is not installed (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            headless=True,
            args=FLAGS,
            viewport={"width": width, "height": height},
        )
        try:
            yield context
        finally:
            context.close()


def page_data(case: Path, today: str, **changes: Any) -> dict[str, Any]:
    """The overview's data for ``case`` at ``today``, built as the CLI builds it."""
    from sendplan.case import load_case
    from sendplan.history import load_record
    from sendplan.overview import case_overview

    loaded = load_case(case)
    view = case_overview(
        loaded,
        datetime.fromisoformat(today),
        load_record(loaded.history.data),
        source_name=case.name,
        **changes,
    )
    return view.to_json()


def page_html(case: Path, today: str, **changes: Any) -> str:
    """The overview page of ``case`` at ``today``, built as the CLI builds it."""
    from sendplan.render.overview import render_overview

    return render_overview(page_data(case, today, **changes))


#: axe-core (Deque's accessibility engine, MPL-2.0), installed from npm by .ci/run
#: (`npm install --prefix .cache/axe axe-core@4.11.0`); never committed.
AXE = Path(__file__).resolve().parents[1] / ".cache" / "axe" / "node_modules" / "axe-core"
AXE_VERSION = "4.11.0"


def axe_source() -> str | None:
    """axe-core's script, or None where it is not installed."""
    script = AXE / "axe.min.js"
    return script.read_text(encoding="utf-8") if script.exists() else None


#: Six tracked children: real rows of examples/lists (para 92's mix holds).
TRACKED = ["SYN000099", "SYN000004", "SYN000095", "SYN000069", "SYN000002", "SYN000005"]


def fuller_case(folder: Path) -> Path:
    """The example with an outcome and its plans and six tracked children (their
    Annex A items 7.1-7.7): the longest page a full inspection makes."""
    example = Path(__file__).resolve().parents[1] / "examples" / "full-inspection.toml"
    text = example.read_text(encoding="utf-8").replace(
        '# outcome = "inconsistent"',
        'outcome = "widespread"\nareas_for_priority_action = ["Joint commissioning"]',
    )
    chosen = '", "'.join(TRACKED)
    text += f'\n[tracking]\nselected = ["{chosen}"]\n'
    case = folder / "fuller.toml"
    case.write_text(text, encoding="utf-8")
    return case

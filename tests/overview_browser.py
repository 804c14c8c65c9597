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


def page_html(case: Path, today: str, **changes: Any) -> str:
    """The overview page of ``case`` at ``today``, built as the CLI builds it."""
    from sendplan.case import load_case
    from sendplan.history import load_record
    from sendplan.overview import case_overview
    from sendplan.render.overview import render_overview

    loaded = load_case(case)
    view = case_overview(
        loaded,
        datetime.fromisoformat(today),
        load_record(loaded.history.data),
        source_name=case.name,
        **changes,
    )
    return render_overview(view.to_json())

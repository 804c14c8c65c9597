"""The board page as a PDF (issue 21): ``sendplan overview CASE --format pdf -o board.pdf``.

Printed by a browser the user already has (Chromium, Google Chrome or
Microsoft Edge, :func:`find_browser`), run headless with a fresh profile that
is deleted afterwards; nothing is downloaded, and no Playwright at run time.

The page's own ``@media print`` layout does the work (A4 portrait, 11 pt and
more, page breaks between sections).  The footer on each page (the case, the
date, "Page N of M") is the browser's footer template: CSS margin boxes
(``@page { @bottom-right { content: counter(page) } }``) are not printed by
every browser.  The template is given through the DevTools protocol's
``Page.printToPDF`` (``displayHeaderFooter``, ``footerTemplate``), spoken over
``--remote-debugging-pipe``: JSON messages ending in a NUL byte on the
browser's file descriptors 3 (to it) and 4 (from it), so no network port is
opened.  Windows has no such descriptors for a Python child: there the
browser's own ``--print-to-pdf`` writes the file, with its standard header
and footer (the date, the page's title naming the case, page N/M).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from sendplan.errors import BrowserError

#: Names looked up on PATH, in order: Debian's and Fedora's Chromium, Chrome, Edge.
BROWSER_NAMES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "microsoft-edge",
    "microsoft-edge-stable",
    "msedge",
)
#: Usual install places not always on PATH (macOS application bundles, Windows, snaps).
BROWSER_PATHS = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/snap/bin/chromium",
    "/opt/google/chrome/chrome",
    "/opt/microsoft/msedge/msedge",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    r"C:\Program Files\Microsoft\Edge\Application\msedge.exe",
)
#: An environment variable naming the browser to use (a path), looked at first.
BROWSER_VARIABLE = "SENDPLAN_BROWSER"
#: A4 in inches (Page.printToPDF's unit) and the page margins in inches.
A4_INCHES = (8.27, 11.69)
MARGINS_MM = {"top": 15, "bottom": 18, "left": 15, "right": 15}
#: Seconds a print may take before the browser is stopped.
TIMEOUT = 60.0


def browser_candidates() -> list[str]:
    """Where :func:`find_browser` looks, in order (also the no-browser message)."""
    local = os.environ.get("LOCALAPPDATA")
    paths = list(BROWSER_PATHS)
    if local:
        paths.append(str(Path(local) / "Google" / "Chrome" / "Application" / "chrome.exe"))
    return paths


def find_browser() -> Path | None:
    """The browser to print with: ``$SENDPLAN_BROWSER``, a name on PATH, a usual path."""
    named = os.environ.get(BROWSER_VARIABLE)
    if named:
        return Path(named) if Path(named).is_file() else None
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    for path in browser_candidates():
        if Path(path).is_file():
            return Path(path)
    return None


def no_browser_message() -> str:
    named = os.environ.get(BROWSER_VARIABLE)
    if named:
        return f"{BROWSER_VARIABLE}={named} is not a file: name the browser's program"
    return (
        "no browser to print the PDF with: looked on PATH for "
        + ", ".join(BROWSER_NAMES)
        + " and at "
        + "; ".join(browser_candidates())
        + f". Install Chromium, Google Chrome or Microsoft Edge, or set {BROWSER_VARIABLE} "
        "to the browser's program; or write the page (--format html) and print it "
        "from a browser"
    )


def footer_template(left: str, middle: str) -> str:
    """The browser's footer: ``left`` (the case), ``middle`` (the date), Page N of M.

    The browser fills ``pageNumber`` and ``totalPages``; the template is
    drawn in the page's bottom margin at its own size (11 pt here, as the body).
    """
    style = (
        "font-family: Arial, Helvetica, sans-serif; font-size: 11pt; color: #1b1b1b; "
        f"width: 100%; margin: 0 {MARGINS_MM['left']}mm; display: flex; "
        "justify-content: space-between; gap: 12pt;"
    )
    return (
        f'<div style="{style}"><span>{escape(left)}</span><span>{escape(middle)}</span>'
        '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span>'
        "</span></div>"
    )


def print_pdf(html: str, *, footer: tuple[str, str], browser: Path | None = None) -> bytes:
    """``html`` printed to PDF by the browser (A4, the page's print layout, the footer)."""
    program = browser or find_browser()
    if program is None:
        raise BrowserError(no_browser_message())
    with tempfile.TemporaryDirectory(prefix="sendplan-print-") as folder:
        work = Path(folder)
        page = work / "page.html"
        page.write_text(html, encoding="utf-8")
        profile = work / "profile"
        if os.name == "nt":
            return _print_plain(program, page, profile)
        return _print_devtools(program, page, profile, footer_template(*footer))


def _flags(profile: Path) -> list[str]:
    flags = [
        "--headless",
        f"--user-data-dir={profile}",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-gpu",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--mute-audio",
    ]
    # Chromium refuses to start as root with its sandbox on (containers, CI).
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags.append("--no-sandbox")
    return flags


def _print_plain(program: Path, page: Path, profile: Path) -> bytes:
    out = profile.parent / "page.pdf"
    command = [str(program), *_flags(profile), f"--print-to-pdf={out}", page.as_uri()]
    try:
        subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BrowserError(f"{program} could not print the page: {error}") from None
    if not out.is_file():
        raise BrowserError(f"{program} printed no PDF")
    return out.read_bytes()


class _Pipe:
    """The DevTools protocol over the browser's descriptors 3 and 4."""

    def __init__(self, program: Path, flags: Sequence[str]) -> None:
        import fcntl

        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def descriptors() -> None:  # in the child, before exec
            # Out of the way first (either may be 3 or 4 already), then to 3 and 4.
            high_r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        try:
            self.process = subprocess.Popen(
                [str(program), *flags, "--remote-debugging-pipe", "about:blank"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                close_fds=False,
                preexec_fn=descriptors,
            )
        except OSError as error:
            for fd in (to_browser_r, from_browser_w, self.to_browser, self.from_browser):
                os.close(fd)
            raise BrowserError(f"cannot run {program}: {error.strerror or error}") from None
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.program = program
        self.buffer = b""
        self.next_id = 0
        self.deadline = time.monotonic() + TIMEOUT

    def send(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> int:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self.to_browser, data) :]
        except OSError:
            raise self._failed("stopped taking commands") from None
        return self.next_id

    def _message(self) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise BrowserError(f"{self.program} took over {TIMEOUT:.0f} s to print the page")
            ready, _, _ = select.select([self.from_browser], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.from_browser, 1 << 16)
            if not chunk:
                raise self._failed("closed the connection")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def call(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> Any:
        wanted = self.send(method, params, session)
        while True:
            message = self._message()
            if message.get("id") == wanted:
                if "error" in message:
                    error = message["error"].get("message", message["error"])
                    raise BrowserError(f"{self.program}: {method} failed: {error}")
                return message.get("result", {})

    def wait_for(self, event: str, session: str) -> None:
        while True:
            message = self._message()
            if message.get("method") == event and message.get("sessionId") == session:
                return

    def _failed(self, what: str) -> BrowserError:
        return BrowserError(f"{self.program} {what} while printing the page")

    def close(self) -> None:
        with contextlib.suppress(BrowserError):  # it may have gone already
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self.to_browser, self.from_browser):
            os.close(fd)


def _print_devtools(program: Path, page: Path, profile: Path, footer: str) -> bytes:
    pipe = _Pipe(program, _flags(profile))
    try:
        target = pipe.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        pipe.call("Page.enable", session=session)
        pipe.send("Page.navigate", {"url": page.as_uri()}, session)
        pipe.wait_for("Page.loadEventFired", session)
        mm = 1 / 25.4
        printed = pipe.call(
            "Page.printToPDF",
            {
                "paperWidth": A4_INCHES[0],
                "paperHeight": A4_INCHES[1],
                "marginTop": MARGINS_MM["top"] * mm,
                "marginBottom": MARGINS_MM["bottom"] * mm,
                "marginLeft": MARGINS_MM["left"] * mm,
                "marginRight": MARGINS_MM["right"] * mm,
                "printBackground": True,
                "preferCSSPageSize": True,
                "displayHeaderFooter": True,
                "headerTemplate": "<span></span>",
                "footerTemplate": footer,
            },
            session,
        )
        return base64.b64decode(printed["data"])
    finally:
        pipe.close()

"""The README's samples, made by running sendplan (``cog -I docs -r README.md``).

Every output shown in the README is the program's real output: a cog block
calls :func:`sample` (a command's output, or an excerpt of it) or
:func:`workbook_sample` (the sheets of an ``--format xlsx`` export, read back),
and CI runs ``cog -I docs --check README.md``, so a sample cannot drift from what the
program prints.  Commands run in a fresh process, from the README's folder,
with a fixed width (``COLUMNS``), no colour and a fixed ``SENDPLAN_TODAY``
where given; trailing spaces are dropped.  Not used by the program itself.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from datetime import datetime, time
from pathlib import Path

from sendplan.words import plural

#: The width samples are printed at: what a README's code block shows unscrolled.
WIDTH = 120


def _folder() -> Path:
    """The README's folder (cog's input file), where its commands' paths start."""
    try:
        import cog  # type: ignore[import-not-found]  # present while cog runs

        return Path(cog.inFile).resolve().parent
    except (ImportError, AttributeError):
        return Path.cwd()


def run(
    command: str, *, width: int = WIDTH, cwd: Path | None = None, errors_only: bool = False
) -> str:
    """Run ``sendplan ...`` (``command`` as typed) and return what the terminal shows
    (``errors_only``: only what goes to stderr)."""
    args = shlex.split(command)
    if args[0] != "sendplan":
        raise ValueError(f"not a sendplan command: {command}")
    env = {k: v for k, v in os.environ.items() if k not in ("SENDPLAN_TODAY", "FORCE_COLOR")}
    env.update(COLUMNS=str(width), NO_COLOR="1", TERM="dumb", PYTHONIOENCODING="utf-8")
    # The README's timetables are the deterministic ones: the solver's wall-clock
    # safety stop must not fire because the machine building the docs is busy.
    env.setdefault("SENDPLAN_TIMETABLE_WALL_SECONDS", "120")
    done = subprocess.run(
        [sys.executable, "-m", "sendplan", *args[1:]],
        cwd=cwd or _folder(),
        env=env,
        stdout=subprocess.DEVNULL if errors_only else subprocess.PIPE,
        # Warnings where a terminal shows them.
        stderr=subprocess.PIPE if errors_only else subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    shown = done.stderr if errors_only else done.stdout
    return "\n".join(line.rstrip() for line in shown.splitlines()) + "\n"


def excerpt(text: str, *parts: tuple[str, int]) -> str:
    """``text`` cut to ``parts``: each the first line containing a string, and how
    many lines from there; ``...`` marks what is left out."""
    lines = text.splitlines()
    out: list[str] = []
    end = 0
    for start_text, count in parts:
        start = next(i for i, line in enumerate(lines) if i >= end and start_text in line)
        if start > end:
            out.append("...")
        out += lines[start : start + count]
        end = start + count
    if end < len(lines):
        out.append("...")
    return "\n".join(out) + "\n"


def sample(command: str, *parts: tuple[str, int], prompt: bool = False, width: int = WIDTH) -> str:
    """A fenced ``text`` block of ``command``'s output (or of ``parts`` of it)."""
    text = run(command, width=width)
    if parts:
        text = excerpt(text, *parts)
    shown = f"$ {command}\n{text}" if prompt else text
    return f"```text\n{shown}```\n"


def error_sample(case_text: str, command: str, name: str = "case.toml") -> str:
    """``command``'s output on a case file holding ``case_text`` (for error messages)."""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / name).write_text(case_text, encoding="utf-8")
        done = run(command, cwd=Path(folder))
    return f"```text\n{done}```\n"


def folder_sample(
    command: str,
    *parts: tuple[str, int],
    files: dict[str, str] | None = None,
    errors_only: bool = False,
) -> str:
    """``command``'s output in a fresh folder holding ``files`` (name: text); a text
    starting ``@`` is the file of that path beside the README, ``@path+text`` that file
    with ``text`` added (``sendplan timetable``'s re-planning story)."""
    with tempfile.TemporaryDirectory() as folder:
        for name, text in (files or {}).items():
            if text.startswith("@"):
                source, _, extra = text[1:].partition("+")
                text = (_folder() / source).read_text(encoding="utf-8") + extra
            target = Path(folder) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        done = run(command, cwd=Path(folder), errors_only=errors_only)
    if parts:
        done = excerpt(done, *parts)
    return f"```text\n{done}```\n"


def workbook_sample(command: str, rows: int = 4, max_cell: int = 40) -> str:
    """The sheets of the workbook ``command`` writes (``-o FILE.xlsx``), read back:
    each sheet's name, its columns and first ``rows`` rows, as Markdown."""
    from python_calamine import CalamineWorkbook

    with tempfile.TemporaryDirectory() as folder:
        book_path = Path(folder) / "out.xlsx"
        said = run(f"{command} -o {shlex.quote(str(book_path))}")
        if not book_path.exists():
            raise RuntimeError(f"{command} wrote no workbook: {said}")
        book = CalamineWorkbook.from_path(str(book_path))
        out: list[str] = []
        for name in book.sheet_names:
            table = book.get_sheet_by_name(name).to_python()
            header, body = table[0], table[1:]
            out += [f"Sheet **{name}** ({plural(len(body), 'row')}):", ""]
            out.append("| " + " | ".join(_cell(h, max_cell) for h in header) + " |")
            out.append("|" + "---|" * len(header))
            for row in body[:rows]:
                out.append("| " + " | ".join(_cell(v, max_cell) for v in row) + " |")
            if len(body) > rows:
                out.append("| " + " | ".join("..." for _ in header) + " |")
            out.append("")
    return "\n".join(out)


def _cell(value: object, limit: int) -> str:
    """A cell as Markdown, showing its type: dates ISO, times HH:MM, numbers bare."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, time):
        value = value.strftime("%H:%M")
    elif isinstance(value, datetime):
        value = value.isoformat(sep=" ", timespec="minutes")
    text = str(value).replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"

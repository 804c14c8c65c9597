"""Neutral text helpers that the core and the renderers share: JSON, Markdown.

Nothing here knows the terminal; the letters (``sendplan.letters``) escape
case text with :func:`md_escape` as the Markdown views do.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any


def to_json(data: Any) -> str:
    """Stable, pretty JSON (dates as ISO strings)."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n"


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A GitHub-flavoured Markdown table with cells escaped."""
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for row in rows:
        cells = (md_escape(c).replace("|", "\\|").replace("\n", "<br>") for c in row)
        out.append("| " + " | ".join(cells) + " |")
    return out


_MD_SPECIAL = set("\\`*_[]<>#")


def md_escape(text: str) -> str:
    """Escape characters Markdown would reinterpret in running text."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text)

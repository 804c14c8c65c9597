"""Local areas' names reduced for matching (a leaf: the record and the reorganisations use it)."""

from __future__ import annotations

import re
from functools import cache

#: Names the record spells two ways for one local area (normalised -> normalised).
ALIASES: dict[str, str] = {"london corporation": "london"}


@cache
def normalise(name: str) -> str:
    """A local area's name reduced for matching: lower case, "&" as "and", no
    "City of"/"County of", no punctuation (``Kingston upon Hull, City of`` and
    ``kingston-upon-hull`` are the same)."""
    text = name.lower().replace("&", " and ")
    text = re.sub(r",\s*(city|county) of\s*$", "", text)
    text = re.sub(r"^\s*(the )?(city|county) of\s+", "", text)
    text = re.sub(r"^\s*county\s+", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return ALIASES.get(text, text)

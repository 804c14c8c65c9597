"""The words of the day: CCG or ICB, Her or His Majesty's Inspector (``data/eras.toml``).

The 2018 re-visit guidance stayed in force across two changes of vocabulary:
integrated care boards took over from clinical commissioning groups on 1 July
2022, and "Her Majesty's Inspector" became "His Majesty's Inspector" after 8
September 2022.  :func:`words` gives the words for a day; :func:`restate`
rewrites a rule's text and roles in them.  Pure: the day is passed in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from sendplan.namedtuples import NamedTuple


class Change(NamedTuple):
    id: str
    start: date
    source: str
    before: Mapping[str, str]
    after: Mapping[str, str]
    roles: Mapping[str, str]


@cache
def changes() -> dict[str, Change]:
    """The changes of ``data/eras.toml`` by id."""
    from sendplan.cache import load_toml

    data = load_toml(Path(__file__).parent / "data" / "eras.toml")
    return {
        str(c["id"]): Change(
            str(c["id"]),
            c["from"],
            str(c["source"]),
            dict(c["before"]),
            dict(c["after"]),
            dict(c.get("roles", {})),
        )
        for c in data["change"]
    }


def words(day: date) -> dict[str, str]:
    """Every word of ``data/eras.toml`` as it was on ``day`` (``hmi``, ``short``...)."""
    out: dict[str, str] = {}
    for change in changes().values():
        out.update(change.after if day >= change.start else change.before)
    return out


def restate(text: str, change_id: str, day: date) -> str:
    """``text`` in the words of ``day`` for one change (``CCGs`` -> ``ICBs`` from July 2022)."""
    change = changes()[change_id]
    if day < change.start:
        return text
    pairs = sorted(
        ((change.before[k], change.after[k]) for k in change.before if k in change.after),
        key=lambda pair: -len(pair[0]),
    )
    for old, new in pairs:
        text = re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, text)
    return text


def restate_roles(roles: Sequence[str], change_id: str, day: date) -> tuple[str, ...]:
    """The roles of a rule in the terms of ``day`` (``ccg`` -> ``icb`` from July 2022)."""
    change = changes()[change_id]
    if day < change.start:
        return tuple(roles)
    return tuple(dict.fromkeys(change.roles.get(r, r) for r in roles))


def describe(change_id: str) -> Mapping[str, Any]:
    """A change's date and source, for a warning or a note."""
    change = changes()[change_id]
    return {"from": change.start, "source": change.source}

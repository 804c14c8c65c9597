"""Local areas that ended or began in a reorganisation (``data/reorganisations.toml``).

A local area is the footprint of a local authority (handbook para 12); when
England's local government is reorganised, areas end and new ones begin, and
"new local areas will have a full inspection within 3 years of coming into
existence" (para 24).  The published record knows only names and codes as
published (it files Cumberland under Cumbria's old code), so this data says
which areas replaced which, from when, each with its own ONS code and the
order that made the change.  Pure: data in, answers out.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from sendplan.namedtuples import NamedTuple


class Place(NamedTuple):
    """A local area as a reorganisation names it, with its own ONS code."""

    name: str
    code: str
    note: str = ""
    #: The predecessors whose area a successor took (empty: all of them).
    replaces: tuple[str, ...] = ()


class Reorganisation(NamedTuple):
    """One structural change: the areas it ended and the areas it created."""

    date: date
    order: str
    predecessors: tuple[Place, ...]
    successors: tuple[Place, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "source": self.order,
            "predecessors": [p._asdict() for p in self.predecessors],
            "successors": [p._asdict() for p in self.successors],
        }


class Lineage(NamedTuple):
    """What the reorganisations say of one local area's name.

    ``ended``: the change that ended an area of this name (its successors
    carry on); ``began``: the change that created the area of this name that
    exists now (Somerset Council, 1 April 2023).  Both are set when a new area
    kept its predecessor's name.
    """

    ended: Reorganisation | None = None
    began: Reorganisation | None = None

    @property
    def abolished(self) -> bool:
        """The name no longer belongs to any local area."""
        return self.ended is not None and self.began is None

    def own_code(self, name: str) -> str | None:
        """The ONS code of the area of this name that exists now, if it is a new one."""
        if self.began is None:
            return None
        return next((p.code for p in self.began.successors if _same(p.name, name)), None)

    def old_code(self, name: str) -> str | None:
        if self.ended is None:
            return None
        return next((p.code for p in self.ended.predecessors if _same(p.name, name)), None)


@cache
def reorganisations() -> tuple[Reorganisation, ...]:
    """Every reorganisation of the packaged data, oldest first."""
    from sendplan.cache import load_toml

    data = load_toml(Path(__file__).resolve().parents[1] / "data" / "reorganisations.toml")
    out = [
        Reorganisation(
            entry["date"],
            str(entry["order"]),
            tuple(_place(p) for p in entry["predecessors"]),
            tuple(_place(p) for p in entry["successors"]),
        )
        for entry in data["reorganisation"]
    ]
    return tuple(sorted(out, key=lambda r: r.date))


def _place(raw: dict[str, Any]) -> Place:
    values = dict(raw)
    values["replaces"] = tuple(values.get("replaces", ()))
    return Place(**values)


def successors_of(change: Reorganisation, name: str) -> tuple[Place, ...]:
    """The successors that took (part of) the area of predecessor ``name``."""
    return tuple(
        p for p in change.successors if not p.replaces or any(_same(r, name) for r in p.replaces)
    )


def predecessors_of(change: Reorganisation, name: str) -> tuple[Place, ...]:
    """The predecessors whose area successor ``name`` took."""
    place = next(p for p in change.successors if _same(p.name, name))
    return tuple(
        p
        for p in change.predecessors
        if not place.replaces or any(_same(r, p.name) for r in place.replaces)
    )


def and_list(words: list[str]) -> str:
    """``a, b and c``."""
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def _same(one: str, other: str) -> bool:
    from sendplan.history.names import normalise

    return normalise(one) == normalise(other)


def lineage(name: str) -> Lineage:
    """What the reorganisations say of the local area called ``name``."""
    ended = began = None
    for change in reorganisations():
        if any(_same(p.name, name) for p in change.predecessors):
            ended = change
        if any(_same(p.name, name) for p in change.successors):
            began = change
    if began is not None and ended is not None and ended.date > began.date:
        began = None  # created, then ended again
    return Lineage(ended, began)


def place_of_code(code: str) -> Place | None:
    """The local area an ONS code belongs to, by the reorganisations' data."""
    for change in reorganisations():
        for place in change.successors + change.predecessors:
            if place.code == code.upper():
                return place
    return None


def known_name(key: str) -> str | None:
    """The name of a reorganised area whose normalised name is ``key``, if any."""
    from sendplan.history.names import normalise

    for change in reorganisations():
        for place in change.predecessors + change.successors:
            if normalise(place.name) == key:
                return place.name
    return None


def lineage_sentences(name: str, record_codes: tuple[str, ...] = ()) -> list[str]:
    """What a person reads about ``name``'s reorganisation: when it ended and who
    replaced it, or when it began and whom it replaced; each with its source."""
    from sendplan.dates import date_text

    line = lineage(name)
    out = []
    if line.ended is not None:
        change = line.ended
        place = next(p for p in change.predecessors if _same(p.name, name))
        after = and_list([f"{p.name} ({p.code})" for p in successors_of(change, name)])
        what = "ended" if line.abolished else "was reorganised"
        out.append(
            f"{place.name} ({place.code}) {what} on {date_text(change.date, long=True)}: "
            f"replaced by {after} ({change.order})."
            + (f" {place.note[:1].upper()}{place.note[1:]}." if place.note else "")
        )
    if line.began is not None:
        change = line.began
        code = line.own_code(name)
        before = and_list([f"{p.name} ({p.code})" for p in predecessors_of(change, name)])
        text = (
            f"{name} ({code}) came into existence on {date_text(change.date, long=True)}, "
            f"replacing {before} ({change.order})."
        )
        others = [c for c in record_codes if c != code]
        if others:
            text += (
                f" The record files its rows under {', '.join(others)}, a predecessor's "
                "code; its own code is " + str(code) + "."
            )
        out.append(text)
    return out

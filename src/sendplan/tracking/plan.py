"""Tracking from the case: reading the lists, planning the choice, saving it to the case file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sendplan.errors import Advice, SelectionError, suggestion_text
from sendplan.lists import NEVER_SHOWN, Lists, heading_key
from sendplan.lists.sources import ListsSource, notification_date, read_lists
from sendplan.person_fields import FIELDS
from sendplan.progress import Progress, quiet
from sendplan.tracking.search import (
    DEFAULT_COUNT,
    DEFAULT_RESERVES,
    Selection,
    select_for_tracking,
)
from sendplan.words import plural

if TYPE_CHECKING:
    from sendplan.case import Case


# ------------------------------------------------------------------ from the case
@dataclass(frozen=True)
class TrackingReport:
    """A selection with what the CLI shows around it."""

    selection: Selection
    lists: Lists
    notification: date
    local_area: str
    show: tuple[str, ...]
    warnings: tuple[str, ...]


def show_fields(names: Sequence[str]) -> tuple[str, ...]:
    """Field names for ``--show`` (field names or template headings; UPN and ULN refused)."""
    out: list[str] = []
    for name in names:
        for part in (p.strip() for p in name.split(",")):
            if not part:
                continue
            key = heading_key(part)
            field_name = next(
                (
                    f.name
                    for f in FIELDS
                    if key in (heading_key(f.name), heading_key(f.heading))
                    or key in {heading_key(a) for a in f.aliases}
                ),
                None,
            )
            if field_name in NEVER_SHOWN:
                raise SelectionError(
                    f"{{show}} {part}: UPN and ULN identify a child and are never shown",
                    parameters=("show",),
                )
            if field_name is None:
                raise SelectionError(
                    f"{{show}} {part}: not a column of the lists"
                    + (f" ({hint})" if (hint := suggestion_text(part, SHOWABLE)) else ""),
                    parameters=("show",),
                )
            if field_name not in out:
                out.append(field_name)
    return tuple(out)


SHOWABLE = tuple(f.name for f in FIELDS if f.name not in NEVER_SHOWN)


def lists_warnings(lists: Lists) -> list[str]:
    """What the reader of a selection must know about the lists themselves."""
    out: list[str] = []
    numbers = {data.number for data in lists.lists}
    for missing in {1, 2} - numbers:
        out.append(f"List {missing} was not given, so no one from it can be chosen")
    for data in lists.lists:
        if data.number == 2 and not data.has_residence:
            out.append(
                "List 2 has no residence column ('Lives in area' or 'Home local authority'): "
                "children who live in other areas but attend settings here are out of scope "
                "(paras 13, 91) and could not be left out; check where the chosen children live"
            )
        if data.non_residents:
            out.append(
                f"{data.non_residents} on List {data.number} live outside the area and were "
                "left out (paras 13, 91)"
            )
    left_out = [f for f in lists.findings if f.excluded]
    if left_out:
        rows = lists.excluded_rows()
        shown = "; ".join(str(f) for f in left_out[:3])
        more = f"; and {len(left_out) - 3} more" if len(left_out) > 3 else ""
        out.append(
            f"{plural(rows, 'row')} left out of the choice because of problems: {shown}{more} "
            "(`sendplan lists check` lists them all)"
        )
    return out


def plan_tracking(
    case: Case,
    source: ListsSource,
    count: int | None = None,
    seed: int = 0,
    reserves: int | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    show: Sequence[str] = (),
    notification: date | None = None,
    progress: Progress = quiet,
) -> TrackingReport:
    """Read the lists and choose: the whole of ``sendplan select`` short of printing.

    ``count`` defaults to para 90's number (:data:`DEFAULT_COUNT`) and ``reserves`` to
    :data:`DEFAULT_RESERVES`, both from ``data/lists.toml``.
    """
    fields = show_fields(show)
    day = notification or notification_date(case)
    lists = read_lists(case, source, day, show=fields, progress=progress)
    for name in fields:  # a list without the column shows it blank
        if not any(name in data.columns for data in lists.lists):
            raise SelectionError(
                f"{{show}} {name}: no such column in the lists", parameters=("show",)
            )
    selection = select_for_tracking(
        lists.children,
        count=DEFAULT_COUNT if count is None else count,
        seed=seed,
        reserves=DEFAULT_RESERVES if reserves is None else reserves,
        include=_split(include),
        exclude=_split(exclude),
        progress=progress,
    )
    warnings = lists_warnings(lists) + list(selection.warnings)
    for rule in selection.rules:
        if not rule.met:
            prefix = f"rule not met: {rule.rule.title} (para 92): "
            reason = rule.reason
            warnings.append(reason.after(prefix) if isinstance(reason, Advice) else prefix + reason)
    return TrackingReport(selection, lists, day, case.local_area, fields, tuple(warnings))


def _split(ids: Sequence[str]) -> list[str]:
    """``--exclude A,B --exclude C`` -> [A, B, C]."""
    return [part.strip() for value in ids for part in value.split(",") if part.strip()]


def save_selection(path: Path, selection: Selection) -> Case:
    """Record the chosen Unique IDs and reserves in the case file's ``[tracking]``.

    Only ids: the lists themselves never go into the case file.  The file is
    left owner-only, since the ids are (pseudonymous) person-level data.
    """
    from sendplan.case.editing import section, update_case

    selected = [c.child.id for c in selection.selected]
    reserve_ids = [r.child.id for r in selection.reserves]

    def change(document: Any) -> None:
        table = section(document, "tracking")
        table["selected"] = selected
        table["reserves"] = reserve_ids

    return update_case(path, change, private=True)

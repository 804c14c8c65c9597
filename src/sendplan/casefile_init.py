"""``sendplan init``: a commented case file to start from, generated from ``CASE_SCHEMA``.

The file is the template ``data/case.toml.j2`` filled from a walk of
:data:`sendplan.case.CASE_SCHEMA`, so every key a case file may hold appears
with its documentation, and a key added to the schema appears here without
anyone editing the template, which holds only the layout.  The few values a
case needs are filled in (kind, local area, a placeholder date); every other
key is a comment to uncomment.  The ``[dates]`` section lists the kind's event
ids with the dates the placeholder gives, so a user can see what to record.
Values are written by :func:`toml_value` (tomlkit is for editing files in
place, tomli-w for writing data files: neither writes a commented template).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sendplan.case import CASE_SCHEMA, KIND_SECTIONS, Case, parse_case
from sendplan.errors import SendplanError, UsageError, suggestion_text
from sendplan.rules import KINDS, load_rules
from sendplan.schema import Node, Table, TableList, Value

if TYPE_CHECKING:
    from jinja2 import Template

#: Keys a kind must not carry (an engagement meeting is not an inspection, para 180).
_NOT_FOR_KIND: dict[str, frozenset[str]] = {
    "engagement": frozenset(
        {
            "inspection.notification",
            "inspection.on_site_start",
            "inspection.on_site_days",
            "inspection.outcome",
        }
    ),
}
_WIDTH = 78
_TEMPLATE = Path(__file__).parent / "data" / "case.toml.j2"
PLACEHOLDER_AREA = "Exampleshire"
#: The comment ``init`` puts after each value the user must change; ``validate``
#: warns while one is there (:func:`placeholders`).
PLACEHOLDER = "placeholder"
#: The people ``init`` names with a placeholder: the letters need their names.
PLACEHOLDER_PEOPLE = {"lano": "LANO's name", "dcs": "DCS's name"}
#: A view of the schema for the template: a dict with its ``kind`` (value, table,
#: commented) and what the template shows of it.
Entry = dict[str, Any]


def check_kind(kind: str) -> str:
    """``kind`` when it is one, else :class:`UsageError` with a hint."""
    if kind in KINDS:
        return kind
    hint = suggestion_text(kind, KINDS)
    raise UsageError(
        f"is not a kind of inspection; kinds are: {', '.join(KINDS)}"
        + (f" ({hint})" if hint else ""),
        option="kind",
        value=kind,
    )


def placeholder_start(today: date) -> date:
    """A Monday at least four weeks after ``today``: a plausible on-site start to edit."""
    day = today + timedelta(days=28)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def case_template(
    kind: str = "full",
    local_area: str | None = None,
    *,
    today: date,
    notification: date | None = None,
    on_site_start: date | None = None,
) -> str:
    """The text of a new case file for ``kind``; it validates as it stands.

    Without ``notification`` or ``on_site_start`` the on-site start (or an
    engagement meeting's date) is :func:`placeholder_start`, marked as such.
    """
    check_kind(kind)
    if kind == "engagement" and (notification is not None or on_site_start is not None):
        raise UsageError(
            "an engagement meeting is not an inspection (para 180): it has no notification "
            "or on-site start; set [engagement] meeting_date in the new file instead"
        )
    filled = _filled(kind, local_area, today, notification, on_site_start)
    skip = _NOT_FOR_KIND.get(kind, frozenset())
    sections: list[Entry] = []
    for key, node in CASE_SCHEMA.fields.items():
        if key in KIND_SECTIONS.values() and key != KIND_SECTIONS.get(kind):
            continue  # another kind's section would not validate here
        if isinstance(node, Table):
            # A table of free keys (``[dates]``) shows only its documentation.
            entries = [] if node.extra is not None else _entries(node, key, filled, skip)
            sections.append({"kind": "table", "path": key, "doc": node.doc, "entries": entries})
        else:
            sections.append(_commented(key, node, key))
    fill = {"title": load_rules(kind).title, "sections": sections, "placeholder": PLACEHOLDER}
    text = _template().render(fill, events=())
    # The template must be a valid case file; a schema change that breaks that
    # should fail loudly in the tests rather than hand users a broken file.
    events = _events(parse_case(text))
    return _template().render(fill, events=events) if events else text


def _filled(
    kind: str,
    local_area: str | None,
    today: date,
    notification: date | None,
    on_site_start: date | None,
) -> dict[str, tuple[Any, str]]:
    """The keys the new file sets, by dotted key: (value, comment; empty for none).

    Without a date given, the on-site start (or the meeting) is
    :func:`placeholder_start`, marked as one; the on-site days are the rules' own.
    """
    placeholder = notification is None and on_site_start is None
    start = placeholder_start(today) if placeholder else on_site_start
    filled: dict[str, tuple[Any, str]] = {
        "inspection.kind": (kind, ""),
        "inspection.local_area": (
            local_area or PLACEHOLDER_AREA,
            "" if local_area else "your local area's name",
        ),
    }
    for role, name in PLACEHOLDER_PEOPLE.items():
        filled[f"people.{role}.name"] = (name, "the real name")
    note = "the real date" if placeholder else ""
    params: Mapping[str, Any] = load_rules(kind).params
    if kind == "engagement":
        filled["engagement.meeting_date"] = (start, note)
        return filled
    if notification is not None:
        filled["inspection.notification"] = (notification, "")
    if start is not None:
        filled["inspection.on_site_start"] = (start, note)
    if "on_site_days" in params:
        filled["inspection.on_site_days"] = (params["on_site_days"], "")
    elif "on_site_days_max" in params:
        # A re-visit's length is told at notification; plan for the longest.
        filled["inspection.on_site_days"] = (
            params["on_site_days_max"],
            "the inspectors say how many days at notification",
        )
    return filled


def _entries(
    node: Table, path: str, filled: dict[str, tuple[Any, str]], skip: frozenset[str]
) -> list[Entry]:
    """The keys of the table at ``path``: filled, a sub-table with a filled key, or commented."""
    entries: list[Entry] = []
    for key, sub in node.fields.items():
        full = f"{path}.{key}"
        if full in skip:
            continue
        if isinstance(sub, Value) and (full in filled or sub.required):
            value, note = filled.get(full, (_example(sub), ""))
            entries.append(
                {"kind": "value", "key": key, "doc": sub.doc, "value": value, "note": note}
            )
        elif isinstance(sub, Table) and any(k.startswith(full + ".") for k in filled):
            sub_entries = _entries(sub, full, filled, skip)
            entries.append({"kind": "table", "path": full, "doc": sub.doc, "entries": sub_entries})
        else:
            entries.append(_commented(key, sub, full))
    return entries


def _commented(key: str, node: Node, full: str) -> Entry:
    """``node`` at ``key`` (``full`` is its dotted path) as comments: a key with an example,
    or a table's header with an example for each of its keys."""
    if isinstance(node, Value):
        header, examples = None, [(key, _example(node))]
    else:
        table = node.item if isinstance(node, TableList) else node
        header = f"[[{full}]]" if isinstance(node, TableList) else f"[{full}]"
        examples = [(k, _example(v)) for k, v in table.fields.items() if isinstance(v, Value)]
    choices = node.choices if isinstance(node, Value) else ()
    return {
        "kind": "commented",
        "doc": node.doc,
        "choices": choices,
        "header": header,
        "examples": examples,
    }


@functools.cache
def _template() -> Template:
    """``data/case.toml.j2``, compiled; jinja2 is imported only here (``init`` alone needs it)."""
    import textwrap

    from jinja2 import Environment, StrictUndefined

    env = Environment(
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    env.filters.update(toml=toml_value, wrap=lambda text: textwrap.wrap(text, _WIDTH))
    return env.from_string(_TEMPLATE.read_text(encoding="utf-8"))


#: TOML 1.0's short escapes in a basic string; other control characters as \uXXXX.
_SHORT = {"\b": "b", "\t": "t", "\n": "n", "\f": "f", "\r": "r", '"': '"', "\\": "\\"}
_ESCAPES = {c: f"\\u{c:04x}" for c in [*range(0x20), 0x7F]} | {
    ord(c): f"\\{e}" for c, e in _SHORT.items()
}


def toml_value(value: Any) -> str:
    """``value`` as TOML on one line: the strings, integers, booleans, dates, local
    date-times and lists of them that a case file's keys hold."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return f'"{value.translate(_ESCAPES)}"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML form for {type(value).__name__} {value!r}")


def placeholders(text: str) -> list[tuple[int, str, str]]:
    """The values ``init`` marked ``# placeholder`` still marked in a case file's
    ``text``: (line, dotted key, what to put there)."""
    import re

    from sendplan.schema import dotted, key_lines

    keys = {line: path for path, line in key_lines(text).items()}
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        marked = re.search(rf"=.*#\s*{PLACEHOLDER}\b:?\s*(.*)$", line)
        if marked and number in keys:
            found.append((number, dotted(keys[number]), marked.group(1).strip()))
    return found


def placeholder_warnings(text: str, name: str) -> list[str]:
    """A warning for each value ``init`` marked that is still marked (:func:`placeholders`)."""
    return [
        f"{name}:{line}: {key} is still the placeholder `sendplan init` wrote"
        + (f" (put {what} there)" if what else "")
        + f"; change it, then delete its `# {PLACEHOLDER}` comment"
        for line, key, what in placeholders(text)
    ]


def _events(case: Case) -> list[tuple[str, date]]:
    """Each event id of the case's kind with the date it has now (none without a schedule)."""
    from sendplan.schedule import build_schedule

    try:
        schedule = build_schedule(case)
    except SendplanError:
        return []
    events: dict[str, date] = {}
    for rule in schedule.rules.rules:
        event = schedule.get(rule.id)
        if event is not None:
            events.setdefault(rule.id, event.date)
    return list(events.items())


def _example(node: Value) -> Any:
    """A value of the right type to show (or fill) at a key."""
    if node.example is not None:
        return node.example
    if node.default is not None:
        return node.default
    if node.choices:
        return node.choices[0]
    if node.type in ("date", "date_or_datetime"):
        return date(2025, 5, 12)
    return {
        "string": "",
        "integer": node.minimum if node.minimum is not None else 1,
        "boolean": False,
        "string_list": [],
        "date_list": [date(2025, 5, 12)],
    }.get(node.type, "")

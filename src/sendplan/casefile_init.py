"""``sendplan init``: a commented case file to start from, generated from ``CASE_SCHEMA``.

The template is built by walking :data:`sendplan.case.CASE_SCHEMA`, so every
key a case file may hold appears with its documentation, and a key added to
the schema appears here without anyone editing a template.  The few values a
case needs are filled in (kind, local area, a placeholder date); every other
key is a comment to uncomment.  The ``[dates]`` section lists the kind's event
ids with the dates the placeholder gives, so a user can see what to record.
The document is built with tomlkit, which writes the TOML syntax for us.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sendplan.case import CASE_SCHEMA, KIND_SECTIONS, Case, parse_case
from sendplan.errors import SendplanError, UsageError, suggestion_text
from sendplan.rules import KINDS, load_rules
from sendplan.schema import Node, Table, TableList, Value

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
PLACEHOLDER_AREA = "Exampleshire"
#: The comment ``init`` puts after each value the user must change; ``validate``
#: warns while one is there (:func:`placeholders`).
PLACEHOLDER = "placeholder"
#: The people ``init`` names with a placeholder: the letters need their names.
PLACEHOLDER_PEOPLE = {"lano": "LANO's name", "dcs": "DCS's name"}


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
    import tomlkit

    check_kind(kind)
    if kind == "engagement" and (notification is not None or on_site_start is not None):
        raise UsageError(
            "an engagement meeting is not an inspection (para 180): it has no notification "
            "or on-site start; set [engagement] meeting_date in the new file instead"
        )
    filled = _filled(kind, local_area, today, notification, on_site_start)
    document = tomlkit.document()
    for line in _header(kind):
        document.add(tomlkit.comment(line) if line else tomlkit.nl())
    skip = _NOT_FOR_KIND.get(kind, frozenset())
    open_tables: dict[str, Any] = {}
    for key, node in CASE_SCHEMA.fields.items():
        if key in KIND_SECTIONS.values() and key != KIND_SECTIONS.get(kind):
            continue  # another kind's section would not validate here
        document.add(tomlkit.nl())
        if isinstance(node, Table) and node.extra is not None:
            open_tables[key] = _open_table(node)
            document.add(key, open_tables[key])
        elif isinstance(node, Table):
            document.add(key, _table(node, key, filled, skip))
        else:
            # The blank line above already separates a top-level section.
            for line in _commented(key, node, key)[1:]:
                document.add(tomlkit.comment(line))
    # The template must be a valid case file; a schema change that breaks that
    # should fail loudly in the tests rather than hand users a broken file.
    case = parse_case(tomlkit.dumps(document))
    if "dates" in open_tables:
        _list_events(open_tables["dates"], case)
    return tomlkit.dumps(document)


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


def _header(kind: str) -> list[str]:
    title = load_rules(kind).title
    return [
        f"A sendplan case file: {title}.",
        "Written by `sendplan init`.  Check it with `sendplan validate FILE`, see",
        "every date with `sendplan schedule FILE`.  Dates are TOML dates (no quotes).",
        "Lines starting with # are comments: remove the # to use a key.",
        "Editors with TOML schema support: `sendplan schema > case.schema.json` and",
        "make the first line of this file `#:schema ./case.schema.json`.",
    ]


def _doc_lines(doc: str) -> list[str]:
    return textwrap.wrap(doc, _WIDTH) if doc else []


def _table(node: Table, path: str, filled: dict[str, tuple[Any, str]], skip: frozenset[str]) -> Any:
    import tomlkit

    table = tomlkit.table()
    for line in _doc_lines(node.doc):
        table.add(tomlkit.comment(line))
    for key, sub in node.fields.items():
        full = f"{path}.{key}"
        if full in skip:
            continue
        if isinstance(sub, Value) and (full in filled or sub.required):
            value, note = filled.get(full, (_example(sub), ""))
            for line in _doc_lines(sub.doc):
                table.add(tomlkit.comment(line))
            item = tomlkit.item(value)
            if note:  # a value to change: marked, and warned of by `validate`
                item.comment(f"{PLACEHOLDER}: {note}")
            table.add(key, item)
        elif isinstance(sub, Table) and any(k.startswith(full + ".") for k in filled):
            for line in _doc_lines(sub.doc):
                table.add(tomlkit.comment(line))
            table.add(key, _table(sub.__class__(sub.fields), full, filled, skip))
        else:
            lines = _commented(key, sub, full)
            # Values sit under their doc; only sub-tables get a spacer line.
            for line in lines[1:] if isinstance(sub, Value) else lines:
                table.add(tomlkit.comment(line))
    return table


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


def _commented(key: str, node: Node, full: str) -> list[str]:
    """Comment lines showing ``node`` at ``key`` (``full`` is its dotted path)."""
    import tomlkit

    if isinstance(node, Value):
        lines = [""] + _doc_lines(node.doc)
        if node.choices:
            lines.append("One of: " + ", ".join(node.choices) + ".")
        return lines + [f"{key} = {tomlkit.item(_example(node)).as_string()}"]
    if isinstance(node, TableList):
        lines = _doc_lines(node.doc) + [f"[[{full}]]"]
        for sub_key, sub in node.item.fields.items():
            if isinstance(sub, Value):
                lines.append(f"{sub_key} = {tomlkit.item(_example(sub)).as_string()}")
        return [""] + lines
    lines = [""] + _doc_lines(node.doc) + [f"[{full}]"]
    for sub_key, sub in node.fields.items():
        if isinstance(sub, Value):
            lines.append(f"{sub_key} = {tomlkit.item(_example(sub)).as_string()}")
    return lines


def _open_table(node: Table) -> Any:
    """A table of free keys (``[dates]``), its documentation as comments."""
    import tomlkit

    table = tomlkit.table()
    for line in _doc_lines(node.doc):
        table.add(tomlkit.comment(line))
    return table


def _list_events(table: Any, case: Case) -> None:
    """Each event id of the case's kind with the date it has now, as comments."""
    import tomlkit

    from sendplan.schedule import build_schedule

    try:
        schedule = build_schedule(case)
    except SendplanError:
        return
    table.add(tomlkit.comment("The events, with the dates they have now (uncomment to record):"))
    seen: set[str] = set()
    for rule in schedule.rules.rules:
        event = schedule.get(rule.id)
        if event is None or rule.id in seen:
            continue
        seen.add(rule.id)
        table.add(tomlkit.comment(f"{rule.id} = {event.date.isoformat()}"))


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


# ------------------------------------------------------------------ JSON Schema
#: ``$id`` of the case-file schema: a name, not a download address (sendplan
#: has no web home); editors are pointed at the file ``sendplan schema`` writes.
SCHEMA_ID = "urn:sendplan:case-file"


def case_json_schema() -> dict[str, Any]:
    """The case file's JSON Schema, for editors and ``sendplan schema``.

    Generated from :data:`sendplan.case.CASE_SCHEMA`, the declaration that
    validates case files, so the two cannot drift.  Checks that need more than
    one key (a kind's own section, an event id in ``[dates]``) are only in
    ``sendplan validate``.  It declares draft-07: the keywords used mean the
    same from draft 4 to 2020-12, and Taplo (Even Better TOML) does not read
    the newer drafts.
    """
    from sendplan import __version__
    from sendplan.schema import to_json_schema

    body = to_json_schema(CASE_SCHEMA)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "sendplan case file",
        "$comment": f"Written by sendplan {__version__} (`sendplan schema`).",
        **body,
    }


# ------------------------------------------------------------------ README key tables
def key_table(*sections: str, summarised: tuple[str, ...] = ()) -> str:
    """A Markdown table of the keys of ``sections`` of :data:`CASE_SCHEMA`.

    The README's key tables are this function's output (``cog -I docs -r README.md``;
    CI runs ``cog --check``), so a key declared in the schema is documented
    there without anyone editing the README.  ``summarised`` sections get one
    row with their documentation.
    """
    rows = ["| key | meaning |", "|---|---|"]
    for name in sections:
        rows += _key_rows(name, CASE_SCHEMA.fields[name], top=True)
    for name in summarised:
        node = CASE_SCHEMA.fields[name]
        rows.append(_row(_header_name(name, node), node.doc))
    return "\n".join(rows) + "\n"


def _key_rows(path: str, node: Node, top: bool = False) -> list[str]:
    if isinstance(node, Value):
        return [_row(path, _value_doc(node))]
    if isinstance(node, TableList):
        keys = _field_list(node.item)
        return [_row(f"[[{path}]]", f"{node.doc} Each with {keys}.")]
    if node.extra is not None:
        key = f"[{path}.<key>]" if isinstance(node.extra, Value) else f'[{path}."<id>"]'
        text = f"{node.doc} Keys: {node.extra_key_doc}." if node.extra_key_doc else node.doc
        if isinstance(node.extra, Table):
            text += f" Each with {_field_list(node.extra)}."
        return [_row(key.replace(".<key>", "") if isinstance(node.extra, Value) else key, text)]
    tables = [sub for sub in node.fields.values() if isinstance(sub, Table)]
    shared = {tuple(t.fields) for t in tables}
    if len(tables) > 1 and len(shared) == 1 and shared != {()}:
        # A table of like tables (people by role): one row naming them.
        names = ", ".join(f"`{k}`" for k, sub in node.fields.items() if isinstance(sub, Table))
        text = f"{node.doc} Roles: {names}; each with {_field_list(tables[0])}."
        rows = [_row(f"[{path}.<role>]", text)]
        others = {k: sub for k, sub in node.fields.items() if not isinstance(sub, Table)}
        return rows + [r for k, sub in others.items() for r in _key_rows(f"{path}.{k}", sub)]
    if not top:
        return [_row(f"[{path}]", f"{node.doc} Keys: {_field_list(node)}.")]
    return [r for k, sub in node.fields.items() for r in _key_rows(f"{path}.{k}", sub)]


def _header_name(name: str, node: Node) -> str:
    return f"[[{name}]]" if isinstance(node, TableList) else f"[{name}]"


def _value_doc(node: Value) -> str:
    text = node.doc
    if node.choices and not all(c in text for c in node.choices):
        text += " One of: " + ", ".join(f"`{c}`" for c in node.choices) + "."
    if node.required:
        text = "Required. " + text
    return text


def _field_list(table: Table) -> str:
    return ", ".join(f"`{k}`" for k in table.fields)


def _row(key: str, text: str) -> str:
    escaped = text.replace("|", "\\|")
    return f"| `{key}` | {escaped} |"

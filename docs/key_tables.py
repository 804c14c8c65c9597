"""The README's tables of case-file keys, generated from the schema (doc tooling:
not shipped in the package; ``cog -I docs -r README.md`` imports it)."""

from __future__ import annotations

from sendplan.case import CASE_SCHEMA
from sendplan.schema import Node, Table, TableList, Value


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

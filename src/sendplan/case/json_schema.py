"""The case file's JSON Schema, for editors (``sendplan schema``).

Generated from :data:`sendplan.case.CASE_SCHEMA`, the declaration that
validates case files, so the two cannot drift.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sendplan.case.records import CASE_SCHEMA
from sendplan.schema import Node, Table, TableList, Value

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

    body = to_json_schema(CASE_SCHEMA)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "sendplan case file",
        "$comment": f"Written by sendplan {__version__} (`sendplan schema`).",
        **body,
    }


#: A TOML date-time as editors see it (a string): JSON Schema's ``format:
#: date-time`` is RFC 3339 *with* an offset, so Taplo (Even Better TOML) flagged
#: every local ``updated`` that ``sendplan mark`` writes.  The offset is
#: optional: the loader converts an offset date-time to England's local time
#: (issue 13), so the schema takes what the loader takes.  TOML allows a space
#: for the ``T`` and fractions of a second.
LOCAL_DATE_TIME = r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$"
_JSON_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "date_or_datetime": {
        "type": "string",
        "anyOf": [{"format": "date"}, {"pattern": LOCAL_DATE_TIME}],
    },
}


def to_json_schema(node: Node) -> dict[str, Any]:
    """The JSON Schema (draft-07) equivalent of a schema node.

    TOML dates appear to editors as strings: a local date with ``format:
    date``, a local date-time matching :data:`LOCAL_DATE_TIME`.
    """
    if isinstance(node, TableList):
        array = {"type": "array", "description": node.doc, "items": to_json_schema(node.item)}
        return array | ({"maxItems": node.max_items} if node.max_items is not None else {})
    if isinstance(node, Table):
        out: dict[str, Any] = {"type": "object", "properties": {}}
        if node.doc:
            out["description"] = node.doc
        for key, sub in node.fields.items():
            out["properties"][key] = to_json_schema(sub)
        required = [k for k, sub in node.fields.items() if sub.required]
        if required:
            out["required"] = required
        if node.extra is not None:
            extra = to_json_schema(node.extra)
            if node.extra_key_pattern:
                out["patternProperties"] = {f"^{node.extra_key_pattern}$": extra}
                out["additionalProperties"] = False
            else:
                out["additionalProperties"] = extra
        else:
            out["additionalProperties"] = False
        return out
    if node.type.endswith("_list"):
        item = to_json_schema(Value(node.type.removesuffix("_list"), choices=node.choices))
        out = {"type": "array", "items": item}
        if node.max_items is not None:
            out["maxItems"] = node.max_items
    else:
        out = {**_JSON_TYPES[node.type]}
        if node.choices:
            out["enum"] = list(node.choices)
        if node.minimum is not None:
            out["minimum"] = node.minimum
        if node.maximum is not None:
            out["maximum"] = node.maximum
        if node.pattern:
            out["pattern"] = f"^{node.pattern}$"
    if node.doc:
        out["description"] = node.doc
    if node.default is not None and not isinstance(node.default, date):
        out["default"] = node.default
    return out

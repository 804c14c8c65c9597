"""The case file's JSON Schema, for editors (``sendplan schema``).

Generated from :data:`sendplan.case.CASE_SCHEMA`, the declaration that
validates case files, so the two cannot drift.
"""

from __future__ import annotations

from typing import Any

from sendplan.case.records import CASE_SCHEMA

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

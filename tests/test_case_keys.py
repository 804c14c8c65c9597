"""Each case-file key is declared once (issue 15): the record field with its
:class:`~sendplan.schema.Key` drives validation, the loaded case, ``sendplan
schema``, ``sendplan init`` and the README's key tables."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, NamedTuple

import pytest
from key_tables import key_table

from sendplan import case as case_module
from sendplan.case import CASE_SCHEMA, parse_case
from sendplan.case.json_schema import case_json_schema
from sendplan.casefile_init import case_template
from sendplan.schema import (
    Key,
    Table,
    TableList,
    Value,
    build_record,
    key_value,
    record_table,
    validate,
)

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


_COG_BLOCK = re.compile(
    r"<!-- \[\[\[cog\n(?P<code>.*?)\]\]\] -->\n(?P<out>.*?)<!-- \[\[\[end\]\]\] -->", re.S
)


def stale_key_tables(readme: str) -> list[str]:
    """The README's key-table blocks whose text is not what the schema generates.

    A fast, in-process stand-in for ``cog --check`` on the key tables alone (CI
    runs the full ``cog -I docs --check README.md``, samples included)."""
    stale = []
    for block in _COG_BLOCK.finditer(readme):
        code = block["code"]
        if "key_table" not in code:
            continue
        written: list[str] = []
        exec(code, {"cog": SimpleNamespace(out=written.append)})
        if "".join(written) != block["out"]:
            stale.append(code.strip().splitlines()[-1])
    return stale


def test_the_readme_key_tables_are_what_the_schema_generates() -> None:
    """Fails when a table was edited by hand or a key was added without
    regenerating (`cog -I docs -r README.md`)."""
    text = README.read_text(encoding="utf-8")
    assert text.count("key_table") >= 5, "the README lost its key tables"
    assert stale_key_tables(text) == [], (
        "README key tables are stale: run `cog -I docs -r README.md`"
    )


def test_a_stale_table_fails_the_check() -> None:
    stale = README.read_text(encoding="utf-8").replace("| `inspection.la_code` |", "| `la_code` |")
    assert len(stale_key_tables(stale)) == 1


def test_every_key_is_in_a_readme_table() -> None:
    text = README.read_text(encoding="utf-8")
    for section, node in CASE_SCHEMA.fields.items():
        assert isinstance(node, Table | TableList)
        table = node.item if isinstance(node, TableList) else node
        shown = f"`{section}." in text or f"`[{section}" in text or f"`[[{section}" in text
        assert shown, section
        if table.extra is None and section != "people":
            for key in table.fields:
                pattern = rf"`\[{{0,2}}{section}\.{key}\]{{0,2}}`|`{key}`"
                assert re.search(pattern, text), f"{section}.{key}"


#: Sections declared by a record: the record's fields are the section's keys.
RECORDS = {
    "inspection": case_module.Inspection,
    "calendar": case_module.CalendarSettings,
    "tracking": case_module.Tracking,
    "letters": case_module.LetterSettings,
    "monitoring": case_module.Monitoring,
    "revisit": case_module.Revisit,
    "engagement": case_module.Engagement,
    "history": case_module.HistorySettings,
}


@pytest.mark.parametrize("section", list(RECORDS))
def test_a_section_has_its_records_fields_as_keys(section: str) -> None:
    node = CASE_SCHEMA.fields[section]
    assert isinstance(node, Table)
    assert tuple(node.fields) == RECORDS[section]._fields  # type: ignore[attr-defined]


class _Widgets(NamedTuple):
    """A section as a developer would add one: a record, nothing else."""

    number: Annotated[int | None, Key("How many widgets (para 1).", minimum=1)] = None
    launch: Annotated[date | None, Key("Launch day.")] = None
    colours: Annotated[tuple[str, ...], Key("Colours.", choices=("red", "blue"))] = ()
    folder: Annotated[Path | None, Key("A folder, relative to the file.")] = None
    urgent: Annotated[bool, Key("Urgent?")] = False


def test_adding_a_key_is_one_declaration() -> None:
    table = record_table(_Widgets, "Widgets.")
    assert table.fields["number"] == Value("integer", "How many widgets (para 1).", minimum=1)
    assert table.fields["urgent"].default is False  # type: ignore[union-attr]
    data = {"number": 2, "launch": "2025-05-12", "colours": ["red"], "folder": "w"}
    clean, issues = validate(data, table)
    assert issues == []
    widgets = build_record(_Widgets, clean, Path("/cases"))
    assert widgets == _Widgets(2, date(2025, 5, 12), ("red",), Path("/cases/w"), False)
    _, issues = validate({"number": 0, "colours": ["green"], "colour": 1}, table)
    assert [i.key for i in issues] == ["number", "colours[0]", "colour"]
    assert issues[2].suggestion == "did you mean `colours`?"


def test_a_field_without_its_key_is_refused() -> None:
    class Bare(NamedTuple):
        number: int = 0

    with pytest.raises(TypeError, match=r"Bare\.number needs one Key"):
        record_table(Bare)


def test_the_declared_docs_reach_schema_template_and_readme() -> None:
    revisit = CASE_SCHEMA.fields["revisit"]
    assert isinstance(revisit, Table)
    text = revisit.fields["wsoa_fit_for_purpose"].doc
    schema = case_json_schema()["properties"]["revisit"]["properties"]
    assert schema["wsoa_fit_for_purpose"]["description"] == text
    template = " ".join(
        line.lstrip("# ") for line in case_template("revisit", today=date(2025, 3, 3)).splitlines()
    )
    assert text in template
    assert text in key_table("revisit")
    assert text in README.read_text(encoding="utf-8")


def test_paths_resolve_against_the_case_files_folder(tmp_path: Path) -> None:
    text = case_template("full", "Northshire", today=date(2025, 3, 3))
    text = text.replace("\n[letters]\n", '\n[letters]\ntemplates = "mine"\n')
    text = text.replace("\n[history]\n", '\n[history]\ndata = "record.csv"\n')
    loaded = parse_case(text, tmp_path / "case.toml")
    assert loaded.letters.templates == tmp_path / "mine"
    assert loaded.history.data == tmp_path / "record.csv"


def test_one_key_lookup_reads_a_case_and_its_raw_tables_alike() -> None:
    """The rules, the checklist, the annex and the letters name case keys by the
    same dotted path, read by one function (issue 15)."""
    text = (ROOT / "examples" / "full-inspection.toml").read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    case = parse_case(text)
    assert key_value(case, "inspection.local_area") == raw["inspection"]["local_area"]
    assert key_value(raw, "inspection.local_area") == raw["inspection"]["local_area"]
    assert key_value(case, "inspection.no_such_key") is None
    assert key_value(raw, "no_section.key") is None
    assert key_value(case, "kind") == raw["inspection"]["kind"]

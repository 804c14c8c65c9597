"""The README's limits table lists every bound, with its number, from the code (issue 22)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sendplan import limits
from sendplan.case import CASE_SCHEMA
from sendplan.schema import Node, Table, TableList, Value
from sendplan.timetable.saved import SAVED_SCHEMA

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "sendplan"
README = ROOT / "README.md"

_BLOCK = re.compile(
    r"<!-- \[\[\[cog\nfrom sendplan.limits import limits_table\ncog.out\(limits_table\(\)\)\n"
    r"\]\]\] -->\n(?P<out>.*?)<!-- \[\[\[end\]\]\] -->",
    re.S,
)


def readme_table() -> str:
    found = _BLOCK.search(README.read_text(encoding="utf-8"))
    assert found, "the README lost its limits table"
    return found["out"]


def module_constants() -> set[str]:
    """Every module-level ``MAX_*`` constant (and the date window) of the package."""
    names = set()
    for path in SRC.rglob("*.py"):
        module = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        for name in re.findall(r"^(MAX_[A-Z_]+|TIME_LIMIT)\s*[:=]", path.read_text(), re.M):
            names.add(f"{module}.{name}")
    return names


def test_the_readme_table_is_what_the_code_generates() -> None:
    assert readme_table() == limits.limits_table(), "run `cog -I docs -r README.md`"


def test_every_bound_constant_is_in_the_table() -> None:
    missing = module_constants() - limits.constant_names()
    assert not missing, f"bounds not in the README's limits table (sendplan.limits): {missing}"


def test_every_listed_constant_exists_and_is_a_row() -> None:
    table = readme_table()
    for limit in limits.limits():
        assert f"| {limits.text(limit)} |" in table
    for name in limits.constant_names():
        assert f"`{name}`" in table


def _list_caps(node: Node) -> list[int]:
    if isinstance(node, TableList):
        return ([node.max_items] if node.max_items is not None else []) + _list_caps(node.item)
    if isinstance(node, Table):
        caps = [c for sub in node.fields.values() for c in _list_caps(sub)]
        return caps + (_list_caps(node.extra) if node.extra is not None else [])
    if isinstance(node, Value) and node.max_items is not None:
        return [node.max_items]
    return []


@pytest.mark.parametrize("schema", [CASE_SCHEMA, SAVED_SCHEMA], ids=["case", "saved"])
def test_every_list_cap_of_a_schema_is_a_documented_constant(schema: Table) -> None:
    documented = {
        limit.value for limit in limits.limits() if limit.source in limits.constant_names()
    }
    caps = _list_caps(schema)
    assert caps, "the schema declares no list caps"
    assert set(caps) <= documented


def test_a_changed_constant_makes_the_table_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    from sendplan import files

    monkeypatch.setattr(files, "MAX_CASE_BYTES", 8 << 20)
    assert limits.limits_table() != readme_table()
    assert "| case file, saved timetable | size | 8 MB |" in limits.limits_table()


def test_the_enforced_case_size_is_the_documented_one(tmp_path: Path) -> None:
    from sendplan.case import load_case
    from sendplan.errors import CaseFileError

    size = limits.text(next(x for x in limits.limits() if x.source.endswith("MAX_CASE_BYTES")))
    path = tmp_path / "case.toml"
    path.write_bytes(b"#" * (int(size.split()[0]) << 20) + b"\n")
    with pytest.raises(CaseFileError, match=f"at most {size}"):
        load_case(path)

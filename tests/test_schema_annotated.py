"""Record fields declared with sendplan's light ``Annotated`` read as with
``typing.Annotated`` (issue 24): the schema a record declares must not depend
on which one built its annotations."""

from __future__ import annotations

import keyword
import typing
from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sendplan import schema
from sendplan.namedtuples import NamedTuple

TYPES = st.sampled_from([str, int, bool, date, tuple[str, ...], str | None, int | None])
KEYS = st.tuples(
    st.text(max_size=20),
    st.booleans(),
    st.lists(st.text(min_size=1, max_size=5), max_size=3).map(tuple),
    st.none() | st.integers(0, 9),
    st.none() | st.integers(),
).map(lambda t: schema.Key(t[0], required=t[1], choices=t[2], minimum=t[3], example=t[4]))
FIELDS = st.dictionaries(
    st.from_regex(r"[a-z]{1,8}", fullmatch=True).filter(lambda n: not keyword.iskeyword(n)),
    st.tuples(TYPES, KEYS),
    min_size=1,
    max_size=6,
)


def record(annotated: Any, fields: dict[str, tuple[Any, schema.Key]]) -> Any:
    namespace = {
        "__annotations__": {name: annotated[kind, key] for name, (kind, key) in fields.items()},
        "__module__": __name__,
    }
    record_type: Any = type(NamedTuple)
    return record_type("Rec", (NamedTuple,), namespace)


@given(FIELDS)
def test_a_record_declares_the_same_schema_with_either_annotated(
    fields: dict[str, tuple[Any, schema.Key]],
) -> None:
    light = schema.record_table(record(schema.Annotated, fields))
    typed = schema.record_table(record(typing.Annotated, fields))
    assert light == typed


@given(TYPES, KEYS)
def test_the_light_hint_holds_what_typing_gives(kind: Any, key: schema.Key) -> None:
    light: Any = schema.Annotated[kind, key]
    typed: Any = typing.Annotated[kind, key]
    assert light.__origin__ == typed.__origin__ and light.__metadata__ == typed.__metadata__
    assert repr(key) in repr(light)

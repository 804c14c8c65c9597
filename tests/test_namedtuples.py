"""sendplan's light NamedTuple behaves as ``typing.NamedTuple`` does (issue 24).

Each generated record is declared twice, once on ``typing.NamedTuple`` and once
on :class:`sendplan.namedtuples.NamedTuple`, and every way sendplan (or a
reader) uses a record is compared: construction by position, by keyword and by
default, the errors of a wrong call, the fields, ``_replace``, ``_asdict``,
``_make``, equality, hashing, ``repr``, copying, pickling and matching.
"""

from __future__ import annotations

import copy
import keyword
import pickle
import typing
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendplan.namedtuples import NamedTuple

#: Names a class statement can declare (a keyword such as ``or`` cannot be one).
FIELD_NAMES = st.lists(
    st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(
        lambda n: not keyword.iskeyword(n)
    ),
    min_size=0,
    max_size=6,
    unique=True,
)
VALUES = st.none() | st.integers() | st.text(max_size=5) | st.tuples(st.integers())


def declare(base: Any, names: list[str], defaults: dict[str, Any]) -> Any:
    """The class statement ``class Rec(base): name: int = default ...``, run."""
    namespace: dict[str, Any] = {
        "__annotations__": dict.fromkeys(names, Any),
        "__module__": __name__,
    }
    namespace.update(defaults)
    if base is typing.NamedTuple:
        return typing.NamedTupleMeta("Rec", (typing._NamedTuple,), namespace)  # type: ignore[attr-defined]
    record_type: Any = type(NamedTuple)
    return record_type("Rec", (NamedTuple,), namespace)


def outcome(call: Any) -> Any:
    """What a call gives: its value, or the type of what it raised."""
    try:
        return ("value", call())
    except Exception as error:  # noqa: BLE001 - the kind of error is the result
        return ("error", type(error))


@st.composite
def records(draw: st.DrawFn) -> tuple[list[str], dict[str, Any]]:
    """Field names, and defaults for a tail of them (as a class statement must)."""
    names = draw(FIELD_NAMES)
    first_default = draw(st.integers(0, len(names)))
    return names, {name: draw(VALUES) for name in names[first_default:]}


def keywords(names: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Keyword arguments: mostly the record's fields, sometimes a name it lacks."""
    return st.dictionaries(st.sampled_from([*names, "unknown"]), VALUES, max_size=3)


@given(records(), st.lists(VALUES, max_size=8), st.data())
def test_construction_matches_typing(
    record: tuple[list[str], dict[str, Any]], args: list[Any], data: st.DataObject
) -> None:
    names, defaults = record
    kwargs = data.draw(keywords(names))
    theirs, ours = declare(typing.NamedTuple, names, defaults), declare(NamedTuple, names, defaults)
    assert ours._fields == theirs._fields
    assert ours._field_defaults == theirs._field_defaults
    assert ours.__match_args__ == theirs.__match_args__
    got, expected = outcome(lambda: ours(*args, **kwargs)), outcome(lambda: theirs(*args, **kwargs))
    assert got[0] == expected[0]
    if got[0] == "error":
        assert got[1] is expected[1]
        return
    mine, typings = got[1], expected[1]
    assert tuple(mine) == tuple(typings)
    assert mine == typings and hash(mine) == hash(typings)
    assert repr(mine) == repr(typings)
    assert mine._asdict() == typings._asdict()
    for name in names:
        assert getattr(mine, name) == getattr(typings, name)
        with pytest.raises(AttributeError):
            setattr(mine, name, 1)
    assert copy.copy(mine) == mine and type(copy.deepcopy(mine)) is ours


@given(records(), st.data())
def test_replace_and_make_match_typing(
    record: tuple[list[str], dict[str, Any]], data: st.DataObject
) -> None:
    names, defaults = record
    changes = data.draw(keywords(names))
    theirs, ours = declare(typing.NamedTuple, names, defaults), declare(NamedTuple, names, defaults)
    mine, typings = ours(*range(len(names))), theirs(*range(len(names)))
    got = outcome(lambda: mine._replace(**changes))
    expected = outcome(lambda: typings._replace(**changes))
    assert got[0] == expected[0]
    if got[0] == "value":
        assert tuple(got[1]) == tuple(expected[1]) and type(got[1]) is ours
    else:
        assert got[1] is expected[1]
    for length in (len(names), len(names) + 1, max(len(names) - 1, 0)):
        made = outcome(lambda n=length: ours._make(range(n)))
        reference = outcome(lambda n=length: theirs._make(range(n)))
        assert made[0] == reference[0]
        if made[0] == "value":
            assert tuple(made[1]) == tuple(reference[1]) and type(made[1]) is ours


def test_declaration_errors_match_typing() -> None:
    for names, defaults in ((["a", "b"], {"a": 1}), (["_a"], {})):
        with pytest.raises((TypeError, ValueError, AttributeError)):
            declare(typing.NamedTuple, names, defaults)
        with pytest.raises((TypeError, ValueError, AttributeError)):
            declare(NamedTuple, names, defaults)


class Point(NamedTuple):
    """A record declared as sendplan declares its own."""

    x: int
    y: int = 0

    def norm(self) -> int:
        return abs(self.x) + abs(self.y)


def test_a_declared_record_pickles_matches_and_keeps_its_methods() -> None:
    point = Point(3, y=-4)
    assert pickle.loads(pickle.dumps(point)) == point
    assert point.norm() == 7 and Point.__doc__ == "A record declared as sendplan declares its own."
    match point:
        case Point(x, y):
            assert (x, y) == (3, -4)
    assert isinstance(point, tuple) and not hasattr(point, "__dict__")
    assert typing.get_type_hints(Point) == {"x": int, "y": int}

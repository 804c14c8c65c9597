"""A small declarative schema for TOML files: validate, locate, document.

The case file's shape is declared once as data (:class:`Value`, :class:`Table`,
:class:`TableList`), after khal's config spec.  A section whose keys map onto
a record is declared by the record itself: each field of a named tuple is a
key, its type says the value's type, its default the key's default, and a
:class:`Key` in ``Annotated`` its documentation and checks
(:func:`record_table`); :func:`build_record` fills the record from the
validated section.  The same declaration

* validates a parsed file, collecting *every* problem with its key path and a
  "did you mean" suggestion (:func:`validate`);
* finds the line of a key path in the file's text (:func:`locate_line`);
* is written as JSON Schema for editors (:mod:`sendplan.case.json_schema`).
"""

import re
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from sendplan.child_ids import find_child_number, number_message
from sendplan.errors import CaseFileError, Problem, suggestion_text
from sendplan.namedtuples import NamedTuple


class Value(NamedTuple):
    """A scalar (or list of scalars) at one key."""

    type: str
    doc: str = ""
    default: Any = None
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    pattern: str | None = None
    example: Any = None
    #: A list's longest length (``*_list`` types).
    max_items: int | None = None


class Table(NamedTuple):
    """A TOML table.  ``extra`` (when set) validates keys not named in ``fields``."""

    fields: "Mapping[str, Node]" = MappingProxyType({})
    doc: str = ""
    required: bool = False
    extra: "Node | None" = None
    extra_key_pattern: str | None = None
    extra_key_doc: str = ""
    #: Said of a key that is not one of ``fields`` (the roles of ``[people]``, say); a
    #: suggestion then also looks in the fields' documentation ("director": ``dcs``).
    unknown_key_doc: str = ""


class TableList(NamedTuple):
    """An array of tables (``[[name]]``)."""

    item: Table
    doc: str = ""
    required: bool = False
    #: The most tables the array may hold (README, "Hostile input").
    max_items: int | None = None


Node = Value | Table | TableList


if TYPE_CHECKING:
    from typing import Annotated as Annotated
else:

    class Annotated:
        """``typing.Annotated`` for the type checker; at run time, for a record
        field's ``Annotated[type, Key(...)]``, a plain holder of the two.

        ``typing.Annotated`` builds a generic alias for each field (about 0.1
        million instructions apiece, 7.6 million for the case file's 80 keys on
        every command's start-up; issue 24).  The schema reads only
        ``__origin__`` (the type) and ``__metadata__`` (the key), which this keeps;
        ``tests/test_schema_annotated.py`` checks a record reads the same either way.
        """

        __slots__ = ("__origin__", "__metadata__")

        def __class_getitem__(cls, params: tuple[Any, ...]) -> Any:
            hint = object.__new__(cls)
            hint.__origin__, *metadata = params
            hint.__metadata__ = tuple(metadata)
            return hint

        def __repr__(self) -> str:
            shown = ", ".join(map(repr, (self.__origin__, *self.__metadata__)))
            return f"Annotated[{shown}]"


class Key(NamedTuple):
    """The documentation and checks of one key, on a record field::

        la_code: Annotated[str | None, Key("ONS code ...", pattern=r"[EWSN]\\d{8}")] = None

    ``node`` declares a key whose value is a table (a mapping field) or an
    array of tables (a tuple of mappings); ``record`` an array of tables each
    declared by a record (a tuple of records, built as such), ``record_doc`` saying
    what one is.
    """

    doc: str
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    pattern: str | None = None
    example: Any = None
    node: Table | TableList | None = None
    record: type[Any] | None = None
    record_doc: str = ""
    #: A list's longest length.
    max_items: int | None = None


#: Field types (None removed) and the value types they declare.
_FIELD_TYPES: dict[Any, str] = {
    str: "string",
    int: "integer",
    bool: "boolean",
    date: "date",
    Path: "string",  # a path in the file, resolved against the file's folder
    tuple[str, ...]: "string_list",
    tuple[date, ...]: "date_list",
    date | datetime: "date_or_datetime",
}


class _Field(NamedTuple):
    node: Node
    path: bool  # a Path: relative to the case file's folder
    record: type[Any] | None = None  # each table of an array of tables builds one


_RECORD_FIELDS: dict[type[Any], dict[str, _Field]] = {}


def _record_fields(record: type[Any]) -> dict[str, _Field]:
    """Each field of the named tuple ``record`` as a schema node (cached per record)."""
    if record not in _RECORD_FIELDS:
        _RECORD_FIELDS[record] = _read_record(record)
    return _RECORD_FIELDS[record]


def _read_record(record: type[Any]) -> dict[str, _Field]:
    # A record module without `from __future__ import annotations` holds its
    # annotations as objects already: reading them is cheaper than get_type_hints.
    hints = dict(record.__annotations__)
    if any(isinstance(hint, str | typing.ForwardRef) for hint in hints.values()):
        hints = typing.get_type_hints(record, include_extras=True)
    defaults: dict[str, Any] = record._field_defaults
    out: dict[str, _Field] = {}
    for name in record._fields:
        hint = hints[name]
        keys = [m for m in getattr(hint, "__metadata__", ()) if isinstance(m, Key)]
        if len(keys) != 1:
            raise TypeError(f"{record.__name__}.{name} needs one Key(...) in Annotated[...]")
        key = keys[0]
        bare = _without_none(hint.__origin__)
        default = defaults.get(name)
        if key.node is not None:
            out[name] = _Field(key.node, False)
            continue
        if key.record is not None:
            node = TableList(
                record_table(key.record, key.record_doc), doc=key.doc, max_items=key.max_items
            )
            out[name] = _Field(node, False, key.record)
            continue
        if bare not in _FIELD_TYPES:
            raise TypeError(f"{record.__name__}.{name}: no value type for {bare}")
        value = Value(
            _FIELD_TYPES[bare],
            key.doc,
            default=default if default not in (None, ()) else None,
            required=key.required,
            choices=key.choices,
            minimum=key.minimum,
            maximum=key.maximum,
            pattern=key.pattern,
            example=key.example,
            max_items=key.max_items,
        )
        out[name] = _Field(value, bare is Path)
    return out


def _without_none(hint: Any) -> Any:
    """``X | None`` as ``X``; ``date | datetime | None`` as ``date | datetime``."""
    if typing.get_origin(hint) not in (typing.Union, types.UnionType):
        return hint
    rest = [a for a in typing.get_args(hint) if a is not type(None)]
    if len(rest) == 1:
        return rest[0]
    return rest[0] | rest[1] if len(rest) == 2 else hint


def record_table(record: type[Any], doc: str = "", required: bool = False) -> Table:
    """The table declared by the named tuple ``record`` (one key per field)."""
    fields = {name: f.node for name, f in _record_fields(record).items()}
    return Table(fields, doc=doc, required=required)


R = TypeVar("R")


def build_record(record: type[R], clean: Mapping[str, Any], folder: Path | None = None) -> R:
    """``record`` filled from a validated table: lists as tuples, tables as dicts,
    arrays of tables as their records, paths resolved against ``folder`` (the
    file's folder; default the working one)."""
    fields = _record_fields(record)
    values: dict[str, Any] = {}
    for name, value in clean.items():
        field = fields[name]
        if isinstance(value, list) and field.record is not None:
            value = tuple(build_record(field.record, v, folder) for v in value)
        elif isinstance(value, list):
            value = tuple(value)
        elif isinstance(value, Mapping):
            value = dict(value)
        elif field.path and value is not None:
            value = (folder or Path(".")) / value
        values[name] = value
    return record(**values)


class Issue(NamedTuple):
    """One schema problem: the key path, what is wrong, and a hint."""

    path: tuple[str | int, ...]
    message: str
    suggestion: str | None = None

    @property
    def key(self) -> str:
        return dotted(self.path)


def dotted(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else f'"{part}"'
            out += ("." if out else "") + text
    return out


def key_value(source: Any, key: str) -> Any:
    """The value at a dotted case-file key (``tracking.selected``), or None when absent.

    ``source`` is a :class:`sendplan.case.Case` (its sections are records) or
    the validated file as nested mappings; a part of the path is read as a
    mapping's key or a record's field, whichever the level is, so the rules,
    the checklist, the annex and the letters name case keys the same way.
    """
    value = source
    for part in key.split("."):
        if value is None:
            return None
        value = value.get(part) if isinstance(value, Mapping) else getattr(value, part, None)
    return value


def declares(schema: Table, key: str) -> bool:
    """Whether ``schema`` declares the dotted ``key`` (``monitoring.triggered_by_concern``)."""
    node: Node = schema
    for part in key.split("."):
        if not isinstance(node, Table) or part not in node.fields:
            return False
        node = node.fields[part]
    return True


# ------------------------------------------------------------------ read
#: How deep arrays and tables may nest in any TOML file sendplan reads (a case
#: file's deepest key, ``checklist.items."7.1:C014".status``, is 4 deep).
MAX_TOML_DEPTH = 16


def parse_toml(text: str, name: str) -> dict[str, Any]:
    """``text`` (a case file, a saved timetable, a template's front matter) as TOML;
    :class:`CaseFileError` naming ``name`` and the line when it is not, or when it
    nests deeper than :data:`MAX_TOML_DEPTH`.  The one TOML reader for user files."""
    import tomllib

    try:
        data = tomllib.loads(text.removeprefix("\ufeff"))  # Windows editors write a BOM
    except tomllib.TOMLDecodeError as error:
        # Python 3.11's TOMLDecodeError has no lineno; the message ends "(at line N, column M)".
        found = re.search(r"\s*\(at line (\d+), column \d+\)$", str(error))
        line = int(found.group(1)) if found else None
        message = str(error)[: found.start()] if found else str(error)
        hint = "check quotes, brackets and `=` on that line; dates are written 2025-05-12"
        raise CaseFileError([Problem(name, line, "", f"not valid TOML: {message}", hint)]) from None
    except RecursionError:
        raise CaseFileError([Problem(name, None, "", _too_deep())]) from None
    if _depth(data) > MAX_TOML_DEPTH:
        raise CaseFileError([Problem(name, None, "", _too_deep())])
    return data


def _too_deep() -> str:
    return f"arrays or tables nested too deeply to read (at most {MAX_TOML_DEPTH} levels)"


def _depth(data: Any) -> int:
    """How deep ``data`` nests (iterative: a deep file cannot exhaust the stack)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth + 1)
        if deepest > MAX_TOML_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


# ------------------------------------------------------------------ validate
def validate(data: Mapping[str, Any], schema: Table) -> tuple[dict[str, Any], list[Issue]]:
    """Check ``data`` against ``schema``; return cleaned data and every issue.

    Cleaning applies defaults and turns ISO date strings into dates, so the
    rest of sendplan sees one representation.
    """
    issues: list[Issue] = []
    clean = _table(data, schema, (), issues)
    return clean, issues


def _table(
    data: Any, schema: Table, path: tuple[str | int, ...], issues: list[Issue]
) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        issues.append(Issue(path, f"expected a table, got {_describe(data)}"))
        return {}
    clean: dict[str, Any] = {}
    for key, value in data.items():
        if kind := find_child_number(key):  # named by its table only: never echoed
            issues.append(Issue(path, "a key " + number_message(kind)))
            continue
        sub = schema.fields.get(key)
        if sub is None and schema.extra is not None:
            if schema.extra_key_pattern and not re.fullmatch(schema.extra_key_pattern, key):
                issues.append(Issue(path + (key,), f"is not a valid key: {schema.extra_key_doc}"))
                continue
            sub = schema.extra
        if sub is None:
            issues.append(_unknown_key(path + (key,), schema))
            continue
        clean[key] = _node(value, sub, path + (key,), issues)
    for key, sub in schema.fields.items():
        if key in clean:
            continue
        if sub.required:
            what = "table" if isinstance(sub, Table) else "value"
            issues.append(Issue(path + (key,), f"is required ({what} missing)"))
        elif isinstance(sub, Value) and sub.default is not None:
            clean[key] = sub.default
    return clean


def _unknown_key(path: tuple[str | int, ...], schema: Table) -> Issue:
    key = str(path[-1])
    if not schema.unknown_key_doc:
        return Issue(path, "unknown key", suggestion_text(key, schema.fields))
    docs = {name: node.doc for name, node in schema.fields.items()}
    return Issue(path, schema.unknown_key_doc, suggestion_text(key, schema.fields, docs))


def _node(value: Any, schema: Node, path: tuple[str | int, ...], issues: list[Issue]) -> Any:
    if isinstance(schema, Table):
        return _table(value, schema, path, issues)
    if isinstance(schema, TableList):
        if not isinstance(value, list):
            issues.append(Issue(path, f"expected an array of tables, got {_describe(value)}"))
            return []
        if schema.max_items is not None and len(value) > schema.max_items:
            issues.append(Issue(path, _too_many(len(value), schema.max_items, schema.doc)))
            return []
        return [_table(item, schema.item, path + (i,), issues) for i, item in enumerate(value)]
    return _value(value, schema, path, issues)


def _value(value: Any, schema: Value, path: tuple[str | int, ...], issues: list[Issue]) -> Any:
    if schema.type.endswith("_list"):
        if not isinstance(value, list):
            issues.append(Issue(path, f"expected a list, got {_describe(value)}"))
            return []
        if schema.max_items is not None and len(value) > schema.max_items:
            issues.append(Issue(path, _too_many(len(value), schema.max_items, schema.doc)))
            return []
        item_type = schema.type.removesuffix("_list")
        item_schema = Value(item_type, choices=schema.choices, pattern=schema.pattern)
        return [_value(v, item_schema, path + (i,), issues) for i, v in enumerate(value)]
    if isinstance(value, str) and (kind := find_child_number(value)):
        issues.append(Issue(path, number_message(kind)))  # checked first: never echoed
        return None
    checker = _CHECKERS[schema.type]
    converted, error = checker(value)
    if not error and isinstance(converted, str) and path[:1] not in [(s,) for s in FREE_TEXT]:
        error = text_problem(converted)
    if error:
        issues.append(Issue(path, error))
        return None
    if schema.choices and converted not in schema.choices:
        issues.append(
            Issue(
                path,
                f"expected one of {', '.join(repr(c) for c in schema.choices)}, got {value!r}",
                suggestion_text(str(value), schema.choices),
            )
        )
    if schema.minimum is not None and converted < schema.minimum:
        issues.append(Issue(path, f"must be at least {schema.minimum}, got {shown(converted)}"))
    if schema.maximum is not None and converted > schema.maximum:
        issues.append(Issue(path, f"must be at most {schema.maximum}, got {shown(converted)}"))
    if schema.pattern and not re.fullmatch(schema.pattern, str(converted)):
        issues.append(Issue(path, f"{converted!r} does not look right: {schema.doc}"))
    return converted


def _too_many(count: int, most: int, doc: str) -> str:
    reason = f" ({doc.rstrip('.')})" if doc else ""
    return f"holds {count:,} entries; at most {most:,} are allowed{reason}"


def _describe(value: Any) -> str:
    names = {
        str: "a string",
        bool: "true/false",
        int: "a whole number",
        float: "a number",
        list: "a list",
        dict: "a table",
        date: "a date",
        datetime: "a date and time",
        time: "a time",
    }
    return f"{names.get(type(value), type(value).__name__)} ({_short(value)})"


def shown(value: Any) -> str:
    """``value`` for a message, unless it may be a child's national number (a
    number where a count was expected, 9900000012, is never echoed)."""
    text = str(value)
    return "a number not shown (it looks like a child's)" if find_child_number(text) else text


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, dict) else "{...}"
    if find_child_number(text):  # a wrong-typed value is never echoed if it may be one
        return "not shown: it looks like a child's UPN, ULN or NHS number"
    return text if len(text) <= 40 else text[:37] + "..."


def _check_string(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str):
        problem = text_problem(value, controls=True)
        return (None, problem) if problem else (value, None)
    return None, f"expected a string, got {_describe(value)}"


#: Sections whose text is free (notes, owners): shown only in checklist views,
#: which print it as text and neutralise it in spreadsheets.  Everywhere else
#: a control character breaks a calendar, a table or a file name.
FREE_TEXT = ("checklist",)


def text_problem(value: str, controls: bool = False) -> str | None:
    """Why ``value`` cannot be a case file's text (a control character unless ``controls``,
    bytes that were not UTF-8), or None."""
    found = _BIDI.search(value)
    bidi = found.group() if found else None
    if bidi is not None:  # refused even in free text: it reorders what a reader sees
        return (
            f"contains a bidirectional control character (U+{ord(bidi):04X}); it makes a "
            "calendar or letter show text in another order than it is written, so "
            "sendplan refuses it: delete it (retype the text if it is not visible)"
        )
    control = None if controls else _CONTROL.search(value)
    bad = control.group() if control else None
    if bad is not None:
        what = {"\n": "a line break", "\r": "a carriage return"}.get(bad, "a control character")
        return (
            f"contains {what} ({ord(bad):#04x}); write it on one line, without control "
            "characters (they break calendars, tables and file names)"
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # bytes that were not UTF-8, kept as lone surrogates
        return "is not valid text (UTF-8)"
    return None


#: Unicode's bidirectional formatting characters (the "Trojan Source" set, CVE-2021-42574):
#: embeddings and overrides U+202A-202E, isolates U+2066-2069, the marks U+200E/U+200F
#: and the Arabic letter mark U+061C.
BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c"]
)


#: The same set as one pattern: case text is scanned by the regex engine, not
#: a character at a time in Python (every string of every case file passes here).
_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")
#: C0 and C1 control characters and DEL, but not the tab.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


#: The dates a case file may hold: an inspection is planned within this window,
#: and working days are counted across it (README, "The case file").
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
#: The dates sendplan prints from them: a schedule planned at either end of the
#: window reaches a few weeks before 2000 or a few months into 2101 (a re-visit's
#: WSoA is due 70 working days after its letter), never more than a year.
PRINTED_EARLIEST = date(EARLIEST.year - 1, 1, 1)
PRINTED_LATEST = date(LATEST.year + 1, 12, 31)


def _in_window(day: date) -> str | None:
    if EARLIEST <= day <= LATEST:
        return None
    return (
        f"{day.isoformat()} is outside the dates sendplan plans ({EARLIEST.year} to {LATEST.year})"
    )


#: Times in a case file are local times in England; one with a UTC offset is
#: converted to it (2025-06-05T10:00:00Z is 11:00 in June, British Summer Time).
LOCAL_ZONE = "Europe/London"


def local_time(moment: datetime) -> datetime:
    """``moment`` as a naive local time in England (it already is when it has no offset)."""
    if moment.tzinfo is None:
        return moment
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(LOCAL_ZONE)).replace(tzinfo=None)


def _check_integer(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, int) and not isinstance(value, bool):
        return value, None
    return None, f"expected a whole number, got {_describe(value)}"


def _check_boolean(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, bool):
        return value, None
    return None, f"expected true or false, got {_describe(value)}"


def _check_date(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, datetime):
        return None, f"expected a date like 2025-05-12, got a date and time ({value})"
    if isinstance(value, date):
        return (None, problem) if (problem := _in_window(value)) else (value, None)
    if isinstance(value, str):
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            return None, f"expected a date like 2025-05-12, got {value!r} (not a real date)"
        return (None, problem) if (problem := _in_window(parsed)) else (parsed, None)
    return None, f"expected a date like 2025-05-12, got {_describe(value)}"


def _check_date_or_datetime(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None, f"expected a date like 2025-05-12 or 2025-05-12T14:00, got {value!r}"
        only_date = len(value.strip()) == 10
        value = parsed.date() if only_date else parsed
    if isinstance(value, datetime):
        value = local_time(value)
        return (None, problem) if (problem := _in_window(value.date())) else (value, None)
    if isinstance(value, date):
        return (None, problem) if (problem := _in_window(value)) else (value, None)
    return None, f"expected a date like 2025-05-12 or 2025-05-12T14:00, got {_describe(value)}"


_CHECKERS: dict[str, Callable[[Any], tuple[Any, str | None]]] = {
    "string": _check_string,
    "integer": _check_integer,
    "boolean": _check_boolean,
    "date": _check_date,
    "date_or_datetime": _check_date_or_datetime,
}


# ------------------------------------------------------------------ locate
# Line locating scans each line once, by hand: a regular expression with
# nested repetition backtracks for minutes on a long key or header (issue 16).
_BARE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_PART = r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'"""


def _dotted_end(text: str, at: int) -> int:
    """Where a dotted key starting at ``at`` ends (-1 if none starts there); linear."""
    n = len(text)
    while True:
        if at < n and text[at] in "\"'":
            close = text.find(text[at], at + 1)
            if close < 0:
                return -1
            at = close + 1
        else:
            start = at
            while at < n and text[at] in _BARE_CHARS:
                at += 1
            if at == start:
                return -1
        after = at
        while after < n and text[after] in " \t":
            after += 1
        if after < n and text[after] == ".":
            at = after + 1
            while at < n and text[at] in " \t":
                at += 1
            continue
        return at


def _header(line: str) -> tuple[bool, str] | None:
    """``(is_array, dotted key)`` of a ``[table]`` or ``[[array]]`` header line."""
    text = line.strip()
    if not text.startswith("["):
        return None
    double = text.startswith("[[")
    start = 2 if double else 1
    while start < len(text) and text[start] in " \t":
        start += 1
    end = _dotted_end(text, start)
    if end < 0:
        return None
    close = end
    while close < len(text) and text[close] in " \t":
        close += 1
    closing = "]]" if double else "]"
    if not text.startswith(closing, close):
        return None
    rest = text[close + len(closing) :].lstrip()
    if rest and not rest.startswith("#"):
        return None
    return double, text[start:end]


def _key(line: str) -> str | None:
    """The dotted key of a ``key = value`` line."""
    start = len(line) - len(line.lstrip())
    end = _dotted_end(line, start)
    if end < 0:
        return None
    rest = line[end:].lstrip(" \t")
    return line[start:end] if rest.startswith("=") else None


def _split_key(text: str) -> tuple[str, ...]:
    return tuple(p.strip("\"'") for p in re.findall(_PART, text))


def key_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """Map each table header and key path in TOML ``text`` to its 1-based line.

    A light scan, not a parser: enough to point a user at the right line.
    Arrays of tables get their index in the path (``providers[1].name``).
    """
    lines: dict[tuple[str | int, ...], int] = {}
    current: tuple[str | int, ...] = ()
    array_counts: dict[tuple[str, ...], int] = {}
    in_multiline = False
    for number, line in enumerate(text.splitlines(), start=1):
        if in_multiline:
            if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
                in_multiline = False
            continue
        header = _header(line)
        if header and "=" not in line.split("#")[0]:
            parts = _split_key(header[1])
            if header[0]:
                index = array_counts.get(parts, -1) + 1
                array_counts[parts] = index
                current = parts + (index,)
            else:
                current = parts
            _mark(lines, current, number)
            continue
        key = _key(line)
        if key:
            _mark(lines, current + _split_key(key), number)
            if line.count('"""') == 1 or line.count("'''") == 1:
                in_multiline = True
    return lines


def _mark(lines: dict[tuple[str | int, ...], int], path: tuple[str | int, ...], line: int) -> None:
    """Record ``path`` and, where not seen yet, each parent (``[a.b]`` implies ``a``)."""
    for end in range(1, len(path) + 1):
        lines.setdefault(path[:end], line)


def locate_line(
    lines: Mapping[tuple[str | int, ...], int], path: tuple[str | int, ...]
) -> int | None:
    """The line of ``path``, or of its nearest located parent."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None

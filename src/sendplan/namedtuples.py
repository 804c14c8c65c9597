"""``typing.NamedTuple`` for the type checker, a lighter class of the same shape at run time.

sendplan's records (the case file's sections, the rules, events, schema
nodes) are named tuples, and ``typing.NamedTuple`` builds each class by
compiling a ``__new__`` from source (``collections.namedtuple``): about 0.8
million instructions a class, and the 53 classes on the way to ``sendplan
schedule --format json`` were a fifth of its start-up above a bare Typer app
(issue 24; ``python benchmarks/startup.py``).  This class statement builds the
same thing without compiling anything: a tuple subclass with one read-only
property per field, the field defaults, and the methods ``typing.NamedTuple``
gives (``_fields``, ``_field_defaults``, ``_make``, ``_replace``,
``_asdict``, the ``repr``, ``__match_args__``, pickling).  Its constructor is
shared by every record, so it takes keywords generically (one ``dict.pop`` a
field): cheap for records built dozens or thousands of times.  A record built
once per row of a 100,000-row list (``sendplan.lists``) stays a
``typing.NamedTuple``, whose compiled constructor is faster per call.

    from sendplan.namedtuples import NamedTuple

    class Person(NamedTuple):
        name: str
        role: str | None = None

The type checker sees ``typing.NamedTuple`` itself, so constructors, fields
and unpacking are checked exactly as before.  ``tests/test_namedtuples.py``
compares the two over generated records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["NamedTuple"]

if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    from _collections import _tuplegetter  # the C field accessor namedtuple uses

    #: A field given no value and having no default.
    _MISSING: Any = object()

    class _RecordType(type):
        """Turns a class statement's annotations into a named tuple's fields."""

        def __new__(mcls, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> type:
            if not any(isinstance(base, _RecordType) for base in bases):
                return super().__new__(mcls, name, bases, namespace)  # the root itself
            if any(isinstance(b, _RecordType) and b is not NamedTuple for b in bases):
                # A subclass of a record adds methods, not fields (as typing's does).
                return super().__new__(mcls, name, bases, namespace)
            fields = tuple(namespace.get("__annotations__", {}))
            defaults: dict[str, Any] = {}
            for field in fields:
                if field.startswith("_"):  # as typing's: _fields, _make... are the record's
                    raise AttributeError(
                        f"{name}: field names cannot start with an underscore: {field!r}"
                    )
                if field in namespace:
                    defaults[field] = namespace[field]
                elif defaults:
                    raise TypeError(
                        f"Non-default namedtuple field {field} cannot follow default field"
                        f"{'s' if len(defaults) > 1 else ''} {', '.join(defaults)}"
                    )
            for index, field in enumerate(fields):
                namespace[field] = _tuplegetter(index, f"Alias for field number {index}")
            namespace["__slots__"] = ()
            namespace["_fields"] = fields
            namespace["_field_defaults"] = defaults
            # For the constructor: each field with its default, or _MISSING.
            namespace["_field_plan"] = tuple((f, defaults.get(f, _MISSING)) for f in fields)
            namespace["__match_args__"] = fields
            namespace.setdefault("__doc__", f"{name}({', '.join(fields)})")
            return super().__new__(mcls, name, bases, namespace)

    class NamedTuple(tuple, metaclass=_RecordType):
        __slots__ = ()
        _fields = ()
        _field_defaults = {}  # type: ignore[var-annotated]

        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            if kwargs or len(args) != len(cls._fields):
                args = _arguments(cls, args, kwargs)
            return tuple.__new__(cls, args)

        @classmethod
        def _make(cls, iterable: Any) -> Any:
            result = tuple.__new__(cls, iterable)
            if len(result) != len(cls._fields):
                raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(result)}")
            return result

        def _replace(self, **changes: Any) -> Any:
            result = self._make(map(changes.pop, self._fields, self))
            if changes:
                raise ValueError(f"Got unexpected field names: {list(changes)!r}")
            return result

        def _asdict(self) -> dict[str, Any]:
            return dict(zip(self._fields, self, strict=True))

        def __repr__(self) -> str:
            shown = ", ".join(
                f"{name}={value!r}" for name, value in zip(self._fields, self, strict=True)
            )
            return f"{type(self).__name__}({shown})"

        def __getnewargs__(self) -> tuple[Any, ...]:
            return tuple(self)

    def _arguments(cls: type, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
        """The record's values from a call with keywords or defaults: one pass over
        the fields, each taken from the keywords (C's ``dict.pop``) or its default."""
        given = len(args)
        values = args + tuple([kwargs.pop(f, d) for f, d in cls._field_plan[given:]])  # type: ignore[attr-defined]
        if kwargs or given > len(cls._fields) or _MISSING in values:  # type: ignore[attr-defined]
            raise _call_error(cls, values, kwargs)
        return values

    def _call_error(cls: type, values: tuple[Any, ...], left: dict[str, Any]) -> TypeError:
        """What was wrong with a call (``values`` as far as they were filled, ``left``
        the keywords no field took), worded as Python words it for a function."""
        fields: tuple[str, ...] = cls._fields  # type: ignore[attr-defined]
        called = f"{cls.__name__}.__new__()"
        if len(values) > len(fields):
            return TypeError(
                f"{called} takes {len(fields) + 1} positional arguments "
                f"but {len(values) + 1} were given"
            )
        if left:
            name = next(iter(left))
            if name in fields:  # given by position too
                return TypeError(f"{called} got multiple values for argument {name!r}")
            return TypeError(f"{called} got an unexpected keyword argument {name!r}")
        missing = [repr(n) for n, v in zip(fields, values, strict=True) if v is _MISSING]
        names = " and ".join(missing)
        if len(missing) > 2:
            names = ", ".join(missing[:-1]) + ", and " + missing[-1]
        plural = "s" if len(missing) > 1 else ""
        return TypeError(
            f"{called} missing {len(missing)} required positional argument{plural}: {names}"
        )

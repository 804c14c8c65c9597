"""The command line's words for the core's parameters (for ``cli`` and the output modules).

The core names a parameter in a message as a ``{name}`` field (see
:class:`sendplan.errors.SendplanError` and :class:`sendplan.errors.Advice`);
what the command line calls it is said here, once.
"""

from __future__ import annotations

#: Core parameters whose command-line flag has another name.
_FLAGS = {"workbook": "--lists", "only": "--for", "extra_dirs": "--templates"}


def flag(parameter: str) -> str:
    """The command-line flag of a core parameter: ``count`` -> ``--count``."""
    return _FLAGS.get(parameter) or f"--{parameter.replace('_', '-')}"


def as_flags(text: str) -> str:
    """``text`` with the parameters it names written as flags (plain text as is)."""
    from sendplan.errors import worded

    return worded(text, flag)

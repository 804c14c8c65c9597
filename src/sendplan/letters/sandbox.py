"""User templates are hostile until rendered (issue 16): paths, size and time are bounded.

* :class:`FolderLoader` loads a template (or an ``{% include %}``) only from
  inside its folder: every path is resolved, so a symlink pointing elsewhere
  (``/etc/passwd``) is refused; only regular files of at most
  :data:`~sendplan.files.MAX_TEMPLATE_BYTES`.
* :func:`sandboxed` adds to Jinja's sandbox the limits it lacks, on memory as
  well as time: no string or sequence a template computes may be longer than
  :data:`MAX_OUTPUT_CHARS` (characters or items), checked *before* ``+``,
  ``*`` and ``%`` build it and after every call, filter and ``~``; no number
  may have more than :data:`MAX_DIGITS` digits, and no call or filter may take
  a number past the limit (``"x".ljust(10**9)``).  So a template doubling a
  list (``{% set x = x + x %}``) stops at the limit, not gigabytes later.
* :func:`render_limited` renders with a cap on the output
  (:data:`MAX_OUTPUT_CHARS`) and on the time (:data:`MAX_SECONDS`).
"""

from __future__ import annotations

import contextlib
import math
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sendplan.errors import LetterError

if TYPE_CHECKING:
    from jinja2 import Environment, Template

#: A letter is a few KB; a template making more than 1 MB is stopped.
MAX_OUTPUT_CHARS = 1 << 20
#: Rendering one letter takes milliseconds; one taking 10 s is stopped.
MAX_SECONDS = 10.0
#: Numbers a template may compute with ``**``.
MAX_DIGITS = 1000


class RenderLimit(LetterError):
    """A template made too much output or took too long."""


def folder_loader(dirs: Sequence[Path]) -> Any:
    """A Jinja loader reading only regular files inside ``dirs`` (first folder wins)."""
    from jinja2 import BaseLoader, TemplateNotFound

    from sendplan.errors import InputError
    from sendplan.files import MAX_TEMPLATE_BYTES, read_text_input

    folders = [Path(d).resolve() for d in dirs]

    class FolderLoader(BaseLoader):
        def get_source(
            self, environment: Environment, template: str
        ) -> tuple[str, str, Callable[[], bool]]:
            for folder in folders:
                candidate = folder / template
                if not candidate.exists() and not candidate.is_symlink():
                    continue
                real = inside(candidate, folder)
                try:
                    text = read_text_input(real, "template", MAX_TEMPLATE_BYTES)
                except InputError as error:
                    raise LetterError(str(error)) from None
                stamp = real.stat().st_mtime
                return text, str(candidate), _uptodate(real, stamp)
            raise TemplateNotFound(template)

    return FolderLoader()


def inside(path: Path, folder: Path) -> Path:
    """``path`` resolved, if it stays inside ``folder`` (resolved); else :class:`LetterError`."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise LetterError(f"template {path}: cannot be read (a broken or looping link)") from None
    if not real.is_relative_to(folder.resolve()):
        raise LetterError(
            f"template {path} leads outside its folder {folder} (a link to {real}); "
            "templates are read only from inside the --templates folder"
        )
    return real


def _uptodate(path: Path, stamp: float) -> Callable[[], bool]:
    def unchanged() -> bool:
        try:
            return path.stat().st_mtime == stamp
        except OSError:
            return False

    return unchanged


def sandboxed(**options: Any) -> Environment:
    """Jinja's sandbox, bounded in memory as well as time (it bounds ``range`` only)."""
    import functools

    from jinja2.compiler import CodeGenerator, Frame
    from jinja2.nodes import Concat
    from jinja2.sandbox import SandboxedEnvironment

    class BoundedCode(CodeGenerator):
        def visit_Concat(self, node: Concat, frame: Frame) -> None:
            # ``a ~ b`` joins strings outside the sandbox's operator hooks.
            self.write("environment.bounded(")
            super().visit_Concat(node, frame)
            self.write(")")

    class Bounded(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "+", "%"})
        code_generator_class = BoundedCode

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "*":
                _check_repeat(left, right)
                _check_repeat(right, left)
                return left * right
            if operator == "**":
                _check_power(left, right)
                return left**right
            if operator == "+":
                _check_sum(left, right)
            if operator == "%" and isinstance(left, str):
                _check_format(left)
            return self.bounded(super().call_binop(context, operator, left, right))

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
            _check_arguments(args, kwargs)
            method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
            owner = getattr(method, "__self__", None)
            if isinstance(owner, str) and getattr(method, "__name__", "") in _FORMATS:
                _check_format(owner)
            result = super().call(__context, __obj, *args, **kwargs)
            _check_size(owner)  # a list grown by append
            return __self.bounded(result)

        @staticmethod
        def bounded(value: Any) -> Any:
            _check_size(value)
            return value

    def guarded(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)  # keeps Jinja's pass_context marks
        def run(*args: Any, **kwargs: Any) -> Any:
            _check_arguments(args, kwargs)
            return Bounded.bounded(function(*args, **kwargs))

        return run

    env = Bounded(**options)
    env.filters = {name: guarded(f) for name, f in env.filters.items()}
    # lipsum(n) builds n paragraphs in one call, before any check could see them;
    # a letter has no use for placeholder Latin.
    env.globals.pop("lipsum", None)
    return env


#: ``str`` methods whose first argument is a format with widths in it.
_FORMATS = frozenset({"format", "format_map"})


def _too_large() -> RenderLimit:
    return RenderLimit(
        f"a value longer than {MAX_OUTPUT_CHARS:,} characters or items (the limit for a letter)"
    )


def _check_size(value: Any) -> None:
    """Refuse a string or collection longer than the limit."""
    if isinstance(value, str | bytes | list | tuple | dict | set) and len(value) > MAX_OUTPUT_CHARS:
        raise _too_large()


def _check_sum(left: Any, right: Any) -> None:
    """``left + right`` of strings or sequences, refused before it is built."""
    sized = (str, list, tuple)
    if (
        isinstance(left, sized)
        and isinstance(right, sized)
        and len(left) + len(right) > MAX_OUTPUT_CHARS
    ):
        raise _too_large()


def _check_arguments(args: Sequence[Any], kwargs: dict[str, Any]) -> None:
    """A number past the limit as an argument (``ljust(10**9)``, ``indent(10**9)``)."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and value > MAX_OUTPUT_CHARS:
            raise _too_large()


def _check_format(text: str) -> None:
    """A format whose width or precision passes the limit (``"%999999999d"``)."""
    import re

    if any(int(n) > MAX_OUTPUT_CHARS for n in re.findall(r"\d{7,}", text)):
        raise _too_large()


def _check_repeat(sequence: Any, times: Any) -> None:
    repeats = isinstance(sequence, str | list | tuple) and isinstance(times, int)
    if repeats and len(sequence) * max(times, 0) > MAX_OUTPUT_CHARS:
        raise RenderLimit(
            f"a value longer than {MAX_OUTPUT_CHARS:,} characters (the limit for a letter)"
        )


def _check_power(base: Any, exponent: Any) -> None:
    numbers = isinstance(base, int) and isinstance(exponent, int)
    if numbers and abs(base) > 1 and exponent > 0 and exponent * math.log10(abs(base)) > MAX_DIGITS:
        raise RenderLimit(f"a number with more than {MAX_DIGITS:,} digits")


def render_limited(template: Template, context: dict[str, Any]) -> str:
    """Render ``template``, stopping at :data:`MAX_OUTPUT_CHARS` or :data:`MAX_SECONDS`."""
    parts: list[str] = []
    size = 0
    deadline = time.monotonic() + MAX_SECONDS
    with _time_limit(MAX_SECONDS):
        for part in template.generate(context):
            size += len(part)
            if size > MAX_OUTPUT_CHARS:
                raise RenderLimit(
                    f"the letter grew past {MAX_OUTPUT_CHARS:,} characters (the limit for a "
                    "letter); a loop that never ends?"
                )
            if time.monotonic() > deadline:
                raise _too_slow()
            parts.append(part)
    return "".join(parts)


def _too_slow() -> RenderLimit:
    return RenderLimit(
        f"rendering took longer than {MAX_SECONDS:.0f} seconds (the limit for a letter); "
        "a loop that never ends?"
    )


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt a render that computes without output (a loop inside a loop).

    A timer signal, so only in the main thread; elsewhere the output checks
    of :func:`render_limited` still apply.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def ring(*_: object) -> None:
        raise _too_slow()

    previous = signal.signal(signal.SIGALRM, ring)
    # An alarm already set (a test's or the fuzzer's own time limit) is restored after.
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:
            left = outer - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))

"""User templates are hostile until rendered (issue 16): paths, size and time are bounded.

* :class:`FolderLoader` loads a template (or an ``{% include %}``) only from
  inside its folder: every path is resolved, so a symlink pointing elsewhere
  (``/etc/passwd``) is refused; only regular files of at most
  :data:`~sendplan.files.MAX_TEMPLATE_BYTES`.
* :func:`sandboxed` adds to Jinja's sandbox the limits it lacks: ``*`` and
  ``**`` may not build a value larger than :data:`MAX_OUTPUT_CHARS` (or a
  number with more than :data:`MAX_DIGITS` digits).
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
    """Jinja's sandbox, with ``*`` and ``**`` bounded (it bounds ``range`` only)."""
    from jinja2.sandbox import SandboxedEnvironment

    class Bounded(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "*":
                _check_repeat(left, right)
                _check_repeat(right, left)
                return left * right
            if operator == "**":
                _check_power(left, right)
                return left**right
            return super().call_binop(context, operator, left, right)

    return Bounded(**options)


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

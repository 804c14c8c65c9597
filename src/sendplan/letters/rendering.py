"""Rendering letters in a sandboxed Jinja environment, writing them, and their JSON."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sendplan.case import Case
from sendplan.child_ids import holds_child_id
from sendplan.errors import LetterError, MissingCaseData, suggestion_text
from sendplan.letters.context import (
    Child,
    Events,
    build_context,
)
from sendplan.letters.formatting import (
    _finalize,
    govuk_date,
    govuk_day,
    govuk_span,
    govuk_time,
    govuk_when,
    join_and,
)
from sendplan.letters.sandbox import render_limited
from sendplan.letters.templates import (
    SUFFIX,
    Letter,
    LetterTemplate,
    discover,
    find_template,
    template_dirs,
)
from sendplan.progress import Progress, quiet
from sendplan.rules import kind_label

if TYPE_CHECKING:
    from jinja2 import Environment
    from jinja2.bccache import Bucket, BytecodeCache

    from sendplan.schedule import Schedule


# ------------------------------------------------------------------ rendering
def _undefined_class() -> type:
    from jinja2 import StrictUndefined
    from jinja2.utils import missing

    class Undefined(StrictUndefined):
        """StrictUndefined whose message names the variable and suggests near misses."""

        __slots__ = ()

        @property
        def _undefined_message(self) -> str:
            name = self._undefined_name
            parent = self._undefined_obj
            if self._undefined_hint:
                return str(self._undefined_hint)
            if parent is missing:
                return f"`{name}` is not defined"
            if isinstance(parent, Events):
                hint = suggestion_text(str(name), parent)
                return f"the schedule of a {kind_label(parent.kind)} has no event `{name}`" + (
                    f" ({hint})" if hint else ""
                )
            known: list[str] = []
            if isinstance(parent, Mapping):
                known = [str(k) for k in parent]
            else:
                known = [k for k in dir(parent) if not k.startswith("_")]
            hint = suggestion_text(str(name), known)
            return f"{type(parent).__name__} has no `{name}`" + (f" ({hint})" if hint else "")

    return Undefined


#: How templates are compiled; part of the bytecode cache's name, so a change recompiles.
_OPTIONS: dict[str, Any] = {
    "autoescape": False,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}


def _environment(dirs: Sequence[Path]) -> Environment:
    from sendplan.letters.sandbox import folder_loader, sandboxed

    env = sandboxed(
        loader=folder_loader(dirs),
        undefined=_undefined_class(),
        finalize=_finalize,
        bytecode_cache=_bytecode_cache(),
        **_OPTIONS,
    )
    env.filters.update(
        govuk_date=govuk_date,
        govuk_day=govuk_day,
        govuk_time=govuk_time,
        govuk_when=govuk_when,
        govuk_span=govuk_span,
        join_and=join_and,
    )
    return env


def _bytecode_cache() -> BytecodeCache | None:
    """Compiled templates kept in the sendplan cache folder (``letter --all`` compiles
    a dozen templates: about half its time).  Jinja keys each by the template's
    name and path and checks the source's checksum, so an edited template is
    compiled afresh; a cache that cannot be written only makes letters slower."""
    import jinja2
    from jinja2 import FileSystemBytecodeCache

    from sendplan.cache import cache_dir, scope

    class BestEffort(FileSystemBytecodeCache):
        def dump_bytecode(self, bucket: Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    folder = cache_dir() / f"jinja-{jinja2.__version__}-{scope(repr(sorted(_OPTIONS.items())))}"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return BestEffort(str(folder))


def _where(error: BaseException, template: LetterTemplate) -> str:
    """``template FILE, line N`` from a Jinja error or its rewritten traceback."""
    from jinja2 import TemplateSyntaxError

    if isinstance(error, TemplateSyntaxError) and error.lineno:
        return f"template {error.filename or template.path}, line {error.lineno}"
    file, line = str(template.path), None
    tb: TracebackType | None = error.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(SUFFIX):
            file, line = name, tb.tb_lineno
        tb = tb.tb_next
    return f"template {file}" + (f", line {line}" if line else "")


def _render_one(env: Environment, template: LetterTemplate, context: dict[str, Any]) -> str:
    try:
        # Load by path relative to the folder it was found in: the loader's
        # search order already picked the same file.
        compiled = env.get_template(template.path.name)
        text = render_limited(compiled, context)
    except MissingCaseData as error:
        raise MissingCaseData(f"{_where(error, template)}: {error}") from None
    except Exception as e:
        # A template may come from anywhere and fail in any way: report it
        # with its file and line, never as a traceback.
        what = str(e) or type(e).__name__
        raise LetterError(f"{_where(e, template)}: {what}") from None
    # One blank line between blocks and exactly one newline at the end.
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
    return text


def render_letter(
    case: Case,
    schedule: Schedule,
    name: str,
    extra_dirs: Sequence[Path] = (),
    only: str | None = None,
) -> list[Letter]:
    """Render letter ``name``: one :class:`Letter`, or one per child or provider.

    ``only`` picks one child (Unique ID) or provider (name or number) of a
    fan-out letter.  Raises :class:`LetterError` naming the template and line.
    """
    dirs = template_dirs(case, extra_dirs)
    template = find_template(case, name, extra_dirs)
    env = _environment(dirs)
    return distinct_filenames(_render(env, template, case, build_context(case, schedule), only))


def render_all(
    case: Case, schedule: Schedule, extra_dirs: Sequence[Path] = (), progress: Progress = quiet
) -> tuple[list[Letter], list[str]]:
    """Every letter that applies to the case, and notes on any skipped.

    A per-child letter with no children selected yet, or a per-provider
    letter with no ``[[providers]]``, is skipped with a note; every other
    problem raises, listing all of them, so nothing is half-written.
    """
    dirs = template_dirs(case, extra_dirs)
    env = _environment(dirs)
    context = build_context(case, schedule)
    letters: list[Letter] = []
    skipped: list[str] = []
    errors: list[str] = []
    templates = [t for t in discover(dirs).values() if t.applies_to(case)]
    total = sum(len(_fan_out(t, case)) for t in templates)
    for template in templates:
        progress("Rendering letters", len(letters), total)
        if not _fan_out(template, case):
            skipped.append(_nothing_to_fan_out(template, case))
            continue
        try:
            letters.extend(_render(env, template, case, context, None))
        except LetterError as error:
            errors.append(str(error))
    if errors:
        raise LetterError("\n".join(errors))
    progress("Rendering letters", total, total)
    return distinct_filenames(letters), skipped


def _fan_out(template: LetterTemplate, case: Case) -> list[tuple[str, Any]]:
    if template.each == "child":
        return [
            (child_id, Child(child_id, n))
            for n, child_id in enumerate(case.tracking.selected, start=1)
        ]
    if template.each == "provider":
        return [(p.name, p) for p in case.providers]
    return [("", None)]


def _nothing_to_fan_out(template: LetterTemplate, case: Case) -> str:
    where = str(case.path) if case.path else "the case file"
    if template.each == "child":
        return (
            f"letter `{template.name}` is one per child selected for tracking, and "
            f"{where} has none yet: add `[tracking] selected = [...]` (Unique IDs)"
        )
    return (
        f"letter `{template.name}` is one per provider chosen for a sampling visit, and "
        f'{where} has none: add `[[providers]]` with `name = "..."`'
    )


def _render(
    env: Environment,
    template: LetterTemplate,
    case: Case,
    context: dict[str, Any],
    only: str | None,
) -> list[Letter]:
    items = _fan_out(template, case)
    if not items:
        raise LetterError(_nothing_to_fan_out(template, case))
    if only is not None:
        if template.each == "case":
            raise LetterError(
                f"letter `{template.name}` is one letter; {{only}} does not apply",
                parameters=("only",),
            )
        chosen = [
            (key, value)
            for n, (key, value) in enumerate(items, start=1)
            if only in (key, str(n), _slug(key))
        ]
        if not chosen:
            hint = suggestion_text(only, [k for k, _ in items])
            raise LetterError(
                f"{{only}} {only!r} is not one of this letter's "
                f"{'children' if template.each == 'child' else 'providers'}"
                + (f" ({hint})" if hint else ""),
                parameters=("only",),
            )
        items = chosen
    letters = []
    numbered = {key: n for n, (key, _) in enumerate(_fan_out(template, case), start=1)}
    tracked = case.tracked_ids
    for key, value in items:
        local = dict(context, letter={"name": template.name, "purpose": template.purpose})
        if template.each == "child":
            local["child"] = value
        elif template.each == "provider":
            local["provider"] = value
        text = _render_one(env, template, local)
        letters.append(
            Letter(
                template=template,
                text=text,
                filename=_filename(template, key, numbered.get(key, 1)),
                # About one child, or naming one (the information request): owner-only.
                private=template.each == "child" or holds_child_id(text, tracked),
                about=key or None,
            )
        )
    return letters


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _filename(template: LetterTemplate, key: str, number: int) -> str:
    """Predictable names: ``notification.md``, ``tracking-consent-<id>.md``,
    ``provider-sampling-notice-01-<name>.md`` (numbered: two names may slug alike)."""
    if template.each == "child":
        return f"{template.name}-{_short(re.sub(r'[^A-Za-z0-9_-]+', '-', key), key)}.md"
    if template.each == "provider":
        return f"{template.name}-{number:02d}-{_short(_slug(key), key)}.md"
    return f"{template.name}.md"


#: Characters of an id or name kept in a file name (file systems allow 255 bytes).
MAX_NAME_PART = 60


def _short(part: str, key: str) -> str:
    """``part`` cut to :data:`MAX_NAME_PART`, with a hash of ``key`` so cut names differ."""
    if len(part) <= MAX_NAME_PART:
        return part
    import hashlib

    return f"{part[: MAX_NAME_PART - 9]}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"


def distinct_filenames(letters: Sequence[Letter]) -> list[Letter]:
    """The letters with file names that differ (ignoring case, as on Windows and macOS).

    Two children whose ids sanitise alike (``C/1`` and ``C-1``), or an id
    listed twice, would otherwise write one file over the other: the later
    gets ``-2``, ``-3`` before ``.md``.
    """
    from dataclasses import replace

    taken = {letter.filename.casefold() for letter in letters}
    seen: set[str] = set()
    out: list[Letter] = []
    for letter in letters:
        name = letter.filename
        if name.casefold() in seen:
            stem = name.removesuffix(".md")
            n = 2
            while f"{stem}-{n}.md".casefold() in taken:
                n += 1
            name = f"{stem}-{n}.md"
            taken.add(name.casefold())
            letter = replace(letter, filename=name)
        seen.add(name.casefold())
        out.append(letter)
    return out


def combine(letters: Sequence[Letter]) -> str:
    """Several letters as one Markdown document, separated by thematic breaks."""
    return "\n---\n\n".join(letter.text for letter in letters)


def write_letters(
    letters: Sequence[Letter],
    out_dir: Path,
    *,
    force: bool = False,
    convert: tuple[str, Callable[[Letter], bytes]] | None = None,
) -> list[Path]:
    """Write each letter to ``out_dir/<filename>``; refuse before writing any if one exists.

    Letters about one child are written owner-only (``Letter.private``).
    ``convert``: (a suffix, a function) writing each letter as another format,
    e.g. (".docx", a Word document from :mod:`sendplan.render.docx`).
    """
    from sendplan.errors import WriteError
    from sendplan.files import check_outputs, write_output

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WriteError(f"cannot create {out_dir}: {error.strerror or error}") from None
    suffix = convert[0] if convert else ".md"
    targets = [
        (out_dir / (letter.filename.removesuffix(".md") + suffix), letter)
        for letter in distinct_filenames(letters)
    ]
    check_outputs([path for path, _ in targets], force)
    for path, letter in targets:
        content = convert[1](letter) if convert else letter.text
        write_output(path, content, force=force, private=letter.private)
    return [path for path, _ in targets]


def letter_json(letter: Letter) -> dict[str, object]:
    """A rendered letter for ``--format json``."""
    return {
        "name": letter.template.name,
        "about": letter.about,
        "filename": letter.filename,
        "private": letter.private,
        "markdown": letter.text,
    }


def template_json(template: LetterTemplate) -> dict[str, object]:
    """A template's front matter for ``letter --list --format json``."""
    return {
        "name": template.name,
        "purpose": template.purpose,
        "kinds": list(template.kinds),
        "each": template.each,
        "shipped": template.shipped,
        "sender": template.sender,
        "rehearsal": template.rehearsal,
    }

"""Letter templates: discovery, front matter and which apply to a case."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sendplan.case import OUTCOMES, Case
from sendplan.errors import CaseFileError, LetterError, suggestion_text
from sendplan.rules import KINDS, kind_label
from sendplan.schema import parse_toml

#: Template files are ``<name>.md.j2``; names are what users type.
SUFFIX = ".md.j2"
EACH = ("case", "child", "provider")
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
_FRONT_MATTER = re.compile(r"\A\{#-?[ \t]*\n(?P<toml>.*?)\n[ \t]*-?#\}", re.DOTALL)


#: What a template's front matter may say.
FRONT_MATTER_KEYS = ("kinds", "purpose", "each", "outcomes", "sender", "rehearsal")


@dataclass(frozen=True)
class LetterTemplate:
    """One letter template and its front matter."""

    name: str
    path: Path
    kinds: tuple[str, ...]
    purpose: str
    each: str = "case"
    #: For full inspections: only once one of these outcomes is recorded (para 146).
    outcomes: tuple[str, ...] = ()
    shipped: bool = True
    #: Who sends the real letter, in a few words ("Ofsted (lead inspector)").
    sender: str = ""
    #: Ofsted or the CQC sends the real letter: this one is a rehearsal copy
    #: and says so in one line at its top (issue 11).
    rehearsal: bool = False

    def applies_to(self, case: Case) -> bool:
        if case.kind not in self.kinds:
            return False
        return not self.outcomes or case.inspection.outcome in self.outcomes

    def why_not(self, case: Case) -> str:
        """Why this template does not apply to ``case`` (for error messages)."""
        if case.kind not in self.kinds:
            kinds = " and ".join(kind_label(k) + "s" for k in self.kinds)
            return f"letter `{self.name}` is for {kinds}; this case is a {kind_label(case.kind)}"
        wanted = " or ".join(f'"{o}"' for o in self.outcomes)
        return (
            f"letter `{self.name}` applies only once `inspection.outcome = {wanted}` is "
            f"recorded in the case file"
        )


@dataclass(frozen=True)
class Letter:
    """One rendered letter: its Markdown and the file name it gets in ``--out-dir``."""

    template: LetterTemplate
    text: str
    filename: str
    #: Written owner-only: a letter about one child (files.write_output).
    private: bool = False
    #: The child's Unique ID or provider's name for fan-out letters.
    about: str | None = None


# ------------------------------------------------------------------ discovery
def shipped_dir() -> Path:
    """The shipped templates: ``sendplan/templates`` in a wheel, ``templates/`` in a checkout."""
    # A plain path, not importlib.resources (its import costs start-up), as for the
    # packaged data (sendplan.rules): the wheel is installed unzipped.
    packaged = Path(__file__).resolve().parents[1] / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "templates"


def template_dirs(case: Case, extra: Sequence[Path] = ()) -> list[Path]:
    """Folders to search, first wins: ``--templates``, the case's setting, shipped."""
    dirs: list[Path] = []
    for folder, origin in [(Path(p), "{extra_dirs}") for p in extra] + (
        [(case.letters.templates, "[letters] templates in the case file")]
        if case.letters.templates is not None
        else []
    ):
        try:
            found = folder.is_dir()
        except OSError as error:  # a name too long, a folder not searchable
            raise LetterError(
                f"templates folder {folder} (from {origin}) cannot be used: "
                f"{error.strerror or error}",
                parameters=("extra_dirs",),
            ) from None
        if not found:
            raise LetterError(
                f"templates folder {folder} (from {origin}) does not exist",
                parameters=("extra_dirs",),
            )
        dirs.append(folder)
    dirs.append(shipped_dir())
    return dirs


def discover(dirs: Sequence[Path]) -> dict[str, LetterTemplate]:
    """Every letter template in ``dirs``, by name; an earlier folder wins.

    A user template without front matter that overrides a shipped one keeps
    the shipped one's kinds and purpose; a new one applies to every kind.
    """
    found: dict[str, list[tuple[Path, bool]]] = {}
    shipped = shipped_dir().resolve()
    for folder in dirs:
        for path in sorted(folder.glob(f"*{SUFFIX}")):
            name = path.name[: -len(SUFFIX)]
            if name.startswith("_"):
                continue
            if not _NAME.fullmatch(name):
                raise LetterError(
                    f"template {path}: name `{name}` must be lower-case letters, digits and hyphens"
                )
            found.setdefault(name, []).append((path, folder.resolve() == shipped))
    templates: dict[str, LetterTemplate] = {}
    for name, paths in sorted(found.items()):
        fallback = None
        for path, is_shipped in reversed(paths):  # shipped last in dirs: read it first
            fallback = _read_template(name, path, is_shipped, fallback)
        assert fallback is not None
        templates[name] = fallback
    return templates


def _read_template(
    name: str, path: Path, shipped: bool, fallback: LetterTemplate | None
) -> LetterTemplate:
    from sendplan.errors import InputError
    from sendplan.files import MAX_TEMPLATE_BYTES, read_text_input
    from sendplan.letters.sandbox import inside

    real = inside(path, path.parent)  # a link out of the folder is refused
    try:
        text = read_text_input(real, "template", MAX_TEMPLATE_BYTES)
    except InputError as error:
        raise LetterError(f"template {path}: {error}") from None
    match = _FRONT_MATTER.match(text)
    if match is None:
        if fallback is not None:
            return LetterTemplate(
                name,
                path,
                fallback.kinds,
                fallback.purpose,
                fallback.each,
                fallback.outcomes,
                shipped,
                fallback.sender,
                fallback.rehearsal,
            )
        return LetterTemplate(name, path, KINDS, "Your own template.", "case", (), shipped)
    try:  # the one TOML reader: the case file's depth limit too
        meta = parse_toml(match.group("toml"), f"template {path}, front matter")
    except CaseFileError as error:
        raise LetterError(str(error)) from None
    _check_front_matter(path, meta)
    unknown = set(meta) - set(FRONT_MATTER_KEYS)
    if unknown:
        raise LetterError(
            f"template {path}: unknown front-matter keys {', '.join(sorted(unknown))} "
            f"(known: {', '.join(FRONT_MATTER_KEYS)})"
        )
    kinds = tuple(meta.get("kinds", fallback.kinds if fallback else KINDS))
    bad = [k for k in kinds if k not in KINDS]
    each = meta.get("each", fallback.each if fallback else "case")
    if bad or each not in EACH:
        raise LetterError(
            f"template {path}: front matter `kinds` must be among {', '.join(KINDS)} and "
            f"`each` one of {', '.join(EACH)}"
        )
    outcomes = tuple(meta.get("outcomes", fallback.outcomes if fallback else ()))
    if set(outcomes) - set(OUTCOMES):
        raise LetterError(f"template {path}: `outcomes` must be among {', '.join(OUTCOMES)}")
    purpose = str(meta.get("purpose", fallback.purpose if fallback else "Your own template."))
    sender = str(meta.get("sender", fallback.sender if fallback else ""))
    rehearsal = meta.get("rehearsal", fallback.rehearsal if fallback else False)
    if not isinstance(rehearsal, bool):
        raise LetterError(f"template {path}: front matter `rehearsal` must be true or false")
    return LetterTemplate(name, path, kinds, purpose, each, outcomes, shipped, sender, rehearsal)


def _check_front_matter(path: Path, meta: dict[str, object]) -> None:
    """Types first: ``kinds = 5`` is a message, not a traceback."""
    for key in ("kinds", "outcomes"):
        value = meta.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise LetterError(
                f'template {path}: front matter `{key}` must be a list of names, e.g. ["full"]'
            )
    for key in ("purpose", "each", "sender"):
        if key in meta and not isinstance(meta[key], str):
            raise LetterError(f"template {path}: front matter `{key}` must be text")


def available(case: Case, extra_dirs: Sequence[Path] = ()) -> list[LetterTemplate]:
    """The letters that apply to this case (its kind and, for some, its outcome)."""
    return [t for t in discover(template_dirs(case, extra_dirs)).values() if t.applies_to(case)]


def find_template(case: Case, name: str, extra_dirs: Sequence[Path] = ()) -> LetterTemplate:
    templates = discover(template_dirs(case, extra_dirs))
    if name not in templates:
        hint = suggestion_text(name, templates)
        raise LetterError(
            f"no letter template `{name}`"
            + (f" ({hint})" if hint else "")
            + "; `sendplan letter CASE --list` shows the letters for this case"
        )
    template = templates[name]
    if not template.applies_to(case):
        raise LetterError(template.why_not(case))
    return template

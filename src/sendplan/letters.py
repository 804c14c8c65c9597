"""Letters and notices rendered from Markdown Jinja templates (issue 6).

Every letter of an inspection is a template in ``templates/`` (shipped in the
wheel as ``sendplan/templates``) filled from the case file and the computed
schedule, so a date can never be right in one letter and wrong in another.

* Each template starts with a Jinja comment holding TOML *front matter*: the
  inspection ``kinds`` it applies to, a one-line ``purpose``, and ``each``
  (``case``: one letter; ``child``: one per child selected for tracking,
  para 93; ``provider``: one per ``[[providers]]`` entry, para 114).  Being a
  comment, it never reaches the output and keeps template line numbers true.
* A user's folder (``--templates DIR`` or ``[letters] templates`` in the case
  file) is searched before the shipped one: the same name overrides, a new
  name adds.  Templates whose names start with ``_`` are shared pieces.
* Templates may come from anywhere, so Jinja runs sandboxed, and with
  undefined variables as errors: a letter must never go out with a blank
  where a date should be.  Every error names the template and its line.
* Every value printed with ``{{ }}`` is escaped for Markdown (case text could
  hold ``*``, ``_`` or ``|``); dates print the GOV.UK way.

Nothing here prints or reads the clock.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sendplan.case import OUTCOMES, PEOPLE_ROLES, Case, Person, Provider
from sendplan.errors import SendplanError, suggestion_text
from sendplan.output import md_escape
from sendplan.rules import KINDS, WEEKDAYS

if TYPE_CHECKING:
    from jinja2 import Environment

    from sendplan.schedule import Event, Schedule

#: Template files are ``<name>.md.j2``; names are what users type.
SUFFIX = ".md.j2"
EACH = ("case", "child", "provider")
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
_FRONT_MATTER = re.compile(r"\A\{#-?[ \t]*\n(?P<toml>.*?)\n[ \t]*-?#\}", re.DOTALL)

#: What a user calls each kind in messages.
KIND_LABELS = {
    "full": "full inspection",
    "monitoring": "monitoring inspection",
    "revisit": "WSoA re-visit",
    "engagement": "engagement meeting",
}


class LetterError(SendplanError):
    """A template is missing, unsafe, or needs something the case does not give."""


class MissingCaseData(LetterError):
    """A letter needs a value the case file does not give (a person's name, say)."""


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

    def applies_to(self, case: Case) -> bool:
        if case.kind not in self.kinds:
            return False
        return not self.outcomes or case.inspection.outcome in self.outcomes

    def why_not(self, case: Case) -> str:
        """Why this template does not apply to ``case`` (for error messages)."""
        if case.kind not in self.kinds:
            kinds = " and ".join(KIND_LABELS.get(k, k) + "s" for k in self.kinds)
            return (
                f"letter `{self.name}` is for {kinds}; this case is a "
                f"{KIND_LABELS.get(case.kind, case.kind)}"
            )
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
    packaged = Path(str(resources.files("sendplan").joinpath("templates")))
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


def template_dirs(case: Case, extra: Sequence[Path] = ()) -> list[Path]:
    """Folders to search, first wins: ``--templates``, the case's setting, shipped."""
    dirs: list[Path] = []
    for folder, origin in [(Path(p), "--templates") for p in extra] + (
        [(case.letters.templates, "[letters] templates in the case file")]
        if case.letters.templates is not None
        else []
    ):
        if not folder.is_dir():
            raise LetterError(f"templates folder {folder} (from {origin}) does not exist")
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
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LetterError(f"template {path}: cannot read: {error}") from None
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
            )
        return LetterTemplate(name, path, KINDS, "Your own template.", "case", (), shipped)
    try:
        meta = tomllib.loads(match.group("toml"))
    except tomllib.TOMLDecodeError as error:
        raise LetterError(f"template {path}: front matter is not valid TOML: {error}") from None
    unknown = set(meta) - {"kinds", "purpose", "each", "outcomes"}
    if unknown:
        raise LetterError(
            f"template {path}: unknown front-matter keys {', '.join(sorted(unknown))} "
            "(known: kinds, purpose, each, outcomes)"
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
    return LetterTemplate(name, path, kinds, purpose, each, outcomes, shipped)


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


# ------------------------------------------------------------------ GOV.UK style
def govuk_date(value: date | datetime | Event) -> str:
    """``Monday 20 April 2026`` (GOV.UK style: weekday, no comma, no 'th')."""
    day = _as_date(value)
    return f"{WEEKDAYS[day.weekday()]} {day.day} {day:%B %Y}"


def govuk_day(value: date | datetime | Event) -> str:
    """``20 April 2026``."""
    day = _as_date(value)
    return f"{day.day} {day:%B %Y}"


def govuk_time(value: time | datetime | Event) -> str:
    """``11am``, ``5pm``, ``5:30pm``, ``midday``, ``midnight`` (GOV.UK style guide)."""
    moment = _as_time(value)
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def govuk_when(event: Event) -> str:
    """An event's date the way a letter says it.

    ``11am on Tuesday 28 April 2025`` for a timed deadline, ``Friday 2 May 2025
    to Friday 16 May 2025`` for a window, else the date.
    """
    if event.end_date is not None:
        return f"{govuk_date(event.date)} to {govuk_date(event.end_date)}"
    if event.time is not None:
        return f"{govuk_time(event.time)} on {govuk_date(event.date)}"
    return govuk_date(event.date)


def govuk_span(event: Event, word: str = "to") -> str:
    """An event's day, or its window as ``Friday 2 May 2025 <word> Friday 9 May 2025``."""
    if event.end_date is None:
        return govuk_date(event.date)
    return f"{govuk_date(event.date)} {word} {govuk_date(event.end_date)}"


def join_and(items: Sequence[Any]) -> str:
    """``a, b and c`` (no Oxford comma, GOV.UK style)."""
    words = [str(i) for i in items]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    inner = getattr(value, "date", None)
    if isinstance(inner, date):
        return inner
    raise LetterError(f"expected a date or an event, got {type(value).__name__}")


def _as_time(value: Any) -> time:
    if isinstance(value, datetime):
        return value.time()
    if isinstance(value, time):
        return value
    inner = getattr(value, "time", None)
    if isinstance(inner, time):
        return inner
    raise LetterError(f"expected a time or a timed event, got {type(value).__name__}")


# ------------------------------------------------------------------ Markdown
class Markdown(str):
    """Text that is already Markdown: printed as is."""


# Only a marker followed by a space (or nothing) starts a list item.
_LINE_START = re.compile(r"(\d+)([.)])(?= |$)")


def md_text(text: str) -> str:
    """Case text made safe to drop anywhere in a Markdown line, table cell included.

    Builds on :func:`sendplan.output.md_escape`; also ``|`` (table cells), ``~``
    (strike-through), ``&`` before an entity name, and a list or heading
    marker at the start.  Line breaks become spaces: a newline inside a
    value would end a table row or start a new block.
    """
    text = " ".join(text.split())
    out = md_escape(text).replace("|", "\\|").replace("~", "\\~")
    out = re.sub(r"&(?=#?\w+;)", r"\\&", out)
    match = _LINE_START.match(out)
    if match:
        out = f"{match.group(1)}\\{match.group(2)}{out[match.end() :]}"
    elif out[:1] == ">" or re.match(r"[-+](?= |$)", out):
        out = "\\" + out
    return out


class _Unprintable(LetterError):
    pass


def _finalize(value: Any) -> Any:
    """Applied to every ``{{ }}``: escape text, write dates the GOV.UK way."""
    from jinja2 import Undefined

    if isinstance(value, Undefined):
        str(value)  # StrictUndefined: raises, naming the variable
    if isinstance(value, Markdown):
        return value
    if isinstance(value, str):
        return md_text(value)
    if isinstance(value, bool) or value is None:
        raise _Unprintable(f"prints {value!r}; test it with {{% if %}} instead of printing it")
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, date):  # datetime too
        return govuk_date(value)
    if isinstance(value, time):
        return govuk_time(value)
    raise _Unprintable(
        f"prints a whole {type(value).__name__}; print one of its fields, e.g. "
        "`.name`, or a date with `|govuk_date`"
    )


# ------------------------------------------------------------------ context
class PersonView:
    """A person of the case, by role.  ``name`` is required where a letter prints it."""

    def __init__(self, role: str, person: Person | None, case_file: str) -> None:
        self._role = role
        self._person = person or Person()
        self._case_file = case_file
        self.key = role
        self.label = PEOPLE_ROLES[role].split(" (")[0]
        self.named = self._person.name is not None
        self.title = self._person.role
        self.organisation = self._person.organisation
        self.email = self._person.email
        self.phone = self._person.phone

    @property
    def name(self) -> str:
        if self._person.name is None:
            raise MissingCaseData(
                f"this letter needs the name of the {self.label}: add "
                f'`[people.{self._role}] name = "..."` to {self._case_file}'
            )
        return self._person.name

    @property
    def name_or_blank(self) -> str:
        """The name, or a visible blank to fill in (for a signatory the case may not name)."""
        if self._person.name is None:
            return Markdown(f"*(name of the {_lower_first(self.label)})*")
        return self._person.name

    @property
    def full_or_role(self) -> str:
        """:attr:`full` when named, else the role: ``the director of children's services``."""
        if self._person.name is None:
            return f"the {_lower_first(self.label)}"
        return self.full

    @property
    def full(self) -> str:
        """``Name, Job title, Organisation``, with whichever of the last two are given."""
        parts = [self.name, self.title, self.organisation]
        return ", ".join(p for p in parts if p)


def _lower_first(label: str) -> str:
    """``Director of ...`` -> ``director of ...``; proper nouns (Ofsted, Parent...) stay."""
    if label.split()[0] in ("Ofsted", "CQC", "ICB", "Parent"):
        return label
    return label[0].lower() + label[1:]


class People(Mapping[str, PersonView]):
    """``people.lano`` etc.: every role of ``PEOPLE_ROLES``, named or not."""

    def __init__(self, case: Case, case_file: str) -> None:
        self._views = {
            role: PersonView(role, case.people.get(role), case_file) for role in PEOPLE_ROLES
        }
        self.other = tuple(case.other_people)

    def __getitem__(self, role: str) -> PersonView:
        return self._views[role]

    def __iter__(self) -> Iterator[str]:
        return iter(self._views)

    def __len__(self) -> int:
        return len(self._views)


class Events(Mapping[str, "Event"]):
    """The schedule by event id: ``schedule.notification.date``."""

    def __init__(self, schedule: Schedule) -> None:
        self._by_id = schedule.by_id
        self.kind = schedule.case.kind

    def __getitem__(self, event_id: str) -> Event:
        return self._by_id[event_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)


@dataclass(frozen=True)
class Child:
    """A child selected for tracking: pseudonymous Unique ID only (para 93)."""

    id: str
    number: int


@dataclass(frozen=True)
class CaseView:
    """The case as templates see it."""

    local_area: str
    kind: str
    kind_label: str
    title: str
    la_code: str | None
    on_site_days: int
    outcome: str | None
    outcome_text: str | None
    selected: tuple[str, ...]
    providers: tuple[Provider, ...]
    areas_for_priority_action: tuple[str, ...] = ()
    areas_of_significant_weakness: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)


def _section_list(case: Case, section: str, key: str) -> tuple[str, ...]:
    """A list from a kind's own case section (added by other modules), if present."""
    value = getattr(getattr(case, section, None), key, None)
    if value is None and isinstance(getattr(case, section, None), Mapping):
        value = getattr(case, section).get(key)
    return tuple(str(v) for v in value) if value else ()


def build_context(case: Case, schedule: Schedule) -> dict[str, Any]:
    """Everything a template sees: case, people, schedule, checklist, outcomes."""
    case_file = str(case.path) if case.path else "the case file"
    outcome = case.inspection.outcome
    view = CaseView(
        local_area=case.local_area,
        kind=case.kind,
        kind_label=KIND_LABELS.get(case.kind, case.kind),
        title=schedule.rules.title,
        la_code=case.inspection.la_code,
        on_site_days=int(
            case.inspection.on_site_days or schedule.rules.params.get("on_site_days", 1)
        ),
        outcome=outcome,
        outcome_text=OUTCOMES.get(outcome) if outcome else None,
        selected=tuple(case.tracking.selected),
        providers=tuple(case.providers),
        areas_for_priority_action=(
            _section_list(case, "monitoring", "areas_for_priority_action")
            or case.inspection.areas_for_priority_action
        ),
        areas_of_significant_weakness=_section_list(
            case, "revisit", "areas_of_significant_weakness"
        ),
    )
    return {
        "case": view,
        "people": People(case, case_file),
        "schedule": Events(schedule),
        "events": tuple(schedule.events),
        "closures": tuple(schedule.closures()),
        "checklist": _checklist(case, schedule),
        "outcomes": dict(OUTCOMES),
        "case_file": case_file,
        # Working-day arithmetic on the case's own calendar, e.g. the day
        # before on site: ``working_day(schedule.on_site_start.date, -1)``.
        "working_day": schedule.calendar.add,
        # Booked times and venues from the saved timetable, else None (issue 12).
        "timetable": _bookings(case),
    }


def _bookings(case: Case) -> Any:
    from sendplan.timetable.saved import bookings

    return bookings(case)


def _checklist(case: Case, schedule: Schedule) -> Any:
    """The Annex A checklist when ``sendplan.checklist`` exists (issue 3), else None."""
    import importlib

    try:
        checklist = importlib.import_module("sendplan.checklist")
    except ImportError:
        return None
    build = getattr(checklist, "build_checklist", None)
    return build(case, schedule) if build is not None else None


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
                return (
                    f"the schedule of a {KIND_LABELS.get(parent.kind, parent.kind)} has no "
                    f"event `{name}`" + (f" ({hint})" if hint else "")
                )
            known: list[str] = []
            if isinstance(parent, Mapping):
                known = [str(k) for k in parent]
            else:
                known = [k for k in dir(parent) if not k.startswith("_")]
            hint = suggestion_text(str(name), known)
            return f"{type(parent).__name__} has no `{name}`" + (f" ({hint})" if hint else "")

    return Undefined


def _environment(dirs: Sequence[Path]) -> Environment:
    from jinja2 import FileSystemLoader
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        loader=FileSystemLoader([str(d) for d in dirs]),
        undefined=_undefined_class(),
        autoescape=False,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
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
        text = compiled.render(context)
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
    return _render(env, template, case, build_context(case, schedule), only)


def render_all(
    case: Case, schedule: Schedule, extra_dirs: Sequence[Path] = ()
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
    for template in discover(dirs).values():
        if not template.applies_to(case):
            continue
        if not _fan_out(template, case):
            skipped.append(_nothing_to_fan_out(template, case))
            continue
        try:
            letters.extend(_render(env, template, case, context, None))
        except LetterError as error:
            errors.append(str(error))
    if errors:
        raise LetterError("\n".join(errors))
    return letters, skipped


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
            raise LetterError(f"letter `{template.name}` is one letter; --for does not apply")
        chosen = [
            (key, value)
            for n, (key, value) in enumerate(items, start=1)
            if only in (key, str(n), _slug(key))
        ]
        if not chosen:
            hint = suggestion_text(only, [k for k, _ in items])
            raise LetterError(
                f"--for {only!r} is not one of this letter's "
                f"{'children' if template.each == 'child' else 'providers'}"
                + (f" ({hint})" if hint else "")
            )
        items = chosen
    letters = []
    numbered = {key: n for n, (key, _) in enumerate(_fan_out(template, case), start=1)}
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
                private=template.each == "child",
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
        return f"{template.name}-{re.sub(r'[^A-Za-z0-9_-]+', '-', key)}.md"
    if template.each == "provider":
        return f"{template.name}-{number:02d}-{_slug(key)}.md"
    return f"{template.name}.md"


def combine(letters: Sequence[Letter]) -> str:
    """Several letters as one Markdown document, separated by thematic breaks."""
    return "\n---\n\n".join(letter.text for letter in letters)


def write_letters(letters: Sequence[Letter], out_dir: Path, *, force: bool = False) -> list[Path]:
    """Write each letter to ``out_dir/<filename>``; refuse before writing any if one exists.

    Letters about one child are written owner-only (``Letter.private``).
    """
    from sendplan.files import OutputExists, WriteError, write_output

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WriteError(f"cannot create {out_dir}: {error.strerror or error}") from None
    targets = [(out_dir / letter.filename, letter) for letter in letters]
    existing = [str(path) for path, _ in targets if path.exists()]
    if existing and not force:
        raise OutputExists(f"{', '.join(existing)} already exist; use --force to replace them")
    for path, letter in targets:
        write_output(path, letter.text, force=force, private=letter.private)
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
    }

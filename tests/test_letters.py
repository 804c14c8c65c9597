"""`sendplan letter`: templates, escaping, errors, overrides, snapshots (issue 6).

Snapshots live in tests/snapshots/<example>/<letter>.md.  They were read and
checked against `sendplan schedule` by hand; after a deliberate change, run
``SENDPLAN_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_letters.py`` and
review the diff before committing.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from cli_harness import run_cli
from example_cases import DATED
from sendplan import letters as lt
from sendplan.case import load_case, parse_case
from sendplan.schedule import build_schedule

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = DATED  # letters need dates (issue 23)
SNAPSHOTS = Path(__file__).parent / "snapshots"
TEMPLATES = ROOT / "templates"
GOVUK_DATE = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} "
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December) \d{4}\b"
)
SELECTED = '\n[tracking]\nselected = ["UID-0042", "UID-0107"]\n'


def render_example(path: Path, extra: str = "") -> list[lt.Letter]:
    text = path.read_text(encoding="utf-8") + extra
    case = parse_case(text, path)
    letters, _ = lt.render_all(case, build_schedule(case))
    return letters


def commonmark_tokens(text: str) -> list[str]:
    parser = MarkdownIt("commonmark").enable("table")
    types = []
    for token in parser.parse(text):
        types.append(token.type)
        types += [child.type for child in token.children or ()]
    return types


# ------------------------------------------------------------------ shipped set
def test_the_fifteen_templates_are_shipped_with_kinds_and_purpose() -> None:
    found = lt.discover([lt.shipped_dir()])
    assert set(found) == {
        "notification",
        "icb-notification",
        "information-request",
        "survey-invitation",
        "stakeholder-briefing",
        "tracking-consent",
        "provider-sampling-notice",
        "pcf-notification",
        "parents-open-meeting",
        "feedback-meeting",
        "report-outline",
        "revisit-letter-outline",
        "monitoring-letter-outline",
        "priority-action-plan",
        "engagement-meeting-note",
    }
    for template in found.values():
        assert template.purpose.endswith(")."), template.name  # cites its paragraphs
        assert template.kinds
    assert found["tracking-consent"].each == "child"
    assert found["provider-sampling-notice"].each == "provider"
    assert found["priority-action-plan"].outcomes == ("widespread",)


def test_every_kind_has_letters() -> None:
    kinds = {k for t in lt.discover([lt.shipped_dir()]).values() for k in t.kinds}
    assert kinds == {"full", "monitoring", "revisit", "engagement"}


def test_templates_hold_no_dates() -> None:
    # Every date comes from the schedule; a year in a template is last time's date.
    for path in TEMPLATES.glob("*.md.j2"):
        assert not re.search(r"\b(19|20)\d\d\b", path.read_text()), path.name


# ------------------------------------------------------------------ every example
#: Variants of the full example for letters that only apply once an outcome is
#: recorded (para 37): (snapshot folder, text to replace, replacement).
VARIANTS = [
    (f"full-inspection-{outcome}", '# outcome = "inconsistent"', f'outcome = "{outcome}"')
    for outcome in ("positive", "widespread")
]


def _example_letters() -> list[tuple[str, str, lt.Letter]]:
    out = []
    for path in EXAMPLES:
        case = load_case(path)
        extra = SELECTED if case.kind == "full" and not case.tracking.selected else ""
        for letter in render_example(path, extra):
            out.append((path.stem, letter.filename, letter))
    full = ROOT / "examples" / "full-inspection.toml"
    for stem, old, new in VARIANTS:
        text = full.read_text(encoding="utf-8")
        assert old in text
        case = parse_case(text.replace(old, new), full)
        for letter in lt.render_all(case, build_schedule(case))[0]:
            if letter.template.name in ("report-outline", "priority-action-plan"):
                out.append((stem, letter.filename, letter))
    return out


EXAMPLE_LETTERS = _example_letters()


def test_every_applicable_template_renders_for_every_example() -> None:
    rendered = {(stem, letter.template.name) for stem, _, letter in EXAMPLE_LETTERS}
    for path in EXAMPLES:
        case = load_case(path)
        for template in lt.available(case):
            if template.each == "provider" and not case.providers:
                continue
            assert (path.stem, template.name) in rendered


@pytest.mark.parametrize(
    ("stem", "filename", "letter"), EXAMPLE_LETTERS, ids=[f"{s}/{f}" for s, f, _ in EXAMPLE_LETTERS]
)
def test_letter_is_commonmark_with_nothing_left_unfilled(
    stem: str, filename: str, letter: lt.Letter
) -> None:
    text = letter.text
    assert "{{" not in text and "{%" not in text
    assert not re.search(r"\bNone\b(?! identified)", text)
    tokens = commonmark_tokens(text)
    assert tokens[0] == "heading_open"  # starts with its title
    if "\n|---" in text:
        assert "table_open" in tokens  # tables are real tables, not paragraphs of pipes
    assert text.endswith("\n") and not text.endswith("\n\n")
    # A line ending in a tag must not swallow the blank line after it (trim_blocks).
    assert not re.search(r"^\*\*[^\n]*\n\*\*", text, re.MULTILINE)


@pytest.mark.parametrize(
    ("stem", "filename", "letter"), EXAMPLE_LETTERS, ids=[f"{s}/{f}" for s, f, _ in EXAMPLE_LETTERS]
)
def test_snapshot(stem: str, filename: str, letter: lt.Letter) -> None:
    path = SNAPSHOTS / stem / filename
    if os.environ.get("SENDPLAN_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(letter.text, encoding="utf-8")
    assert path.exists(), f"no snapshot {path}; see this module's docstring"
    assert letter.text == path.read_text(encoding="utf-8")


def test_no_stale_snapshots() -> None:
    expected = {f"{stem}/{name}" for stem, name, _ in EXAMPLE_LETTERS}
    on_disk = {f"{p.parent.name}/{p.name}" for p in SNAPSHOTS.glob("*/*.md")}
    assert on_disk == expected


def test_dates_in_letters_are_the_schedules_dates() -> None:
    full = ROOT / "examples" / "full-inspection.toml"
    case = parse_case(full.read_text() + SELECTED, full)
    plan = build_schedule(case)
    known = {lt.govuk_date(e.date) for e in plan} | {
        lt.govuk_date(e.end_date) for e in plan if e.end_date
    }
    known |= {
        lt.govuk_date(plan.calendar.add(plan.event(e).date, -1))
        for e in ("week2_start", "on_site_start")
    }
    for letter in lt.render_all(case, plan)[0]:
        assert set(GOVUK_DATE.findall(letter.text)) <= known, letter.filename


# ------------------------------------------------------------------ dates follow the case
def test_a_changed_date_changes_every_letter_that_shows_it() -> None:
    full = ROOT / "examples" / "full-inspection.toml"
    case = parse_case(full.read_text() + SELECTED, full)
    moved = case.with_dates(on_site_start=date(2025, 6, 16))
    old_plan, new_plan = build_schedule(case), build_schedule(moved)

    def shown(plan_dates: set[date]) -> set[str]:
        return {lt.govuk_date(d) for d in plan_dates}

    def dates(plan: object) -> set[date]:
        return {e.date for e in plan} | {e.end_date for e in plan if e.end_date}  # type: ignore[attr-defined]

    gone = shown(dates(old_plan)) - shown(dates(new_plan))
    before = {x.filename: x.text for x in lt.render_all(case, old_plan)[0]}
    after = {x.filename: x.text for x in lt.render_all(moved, new_plan)[0]}
    assert before.keys() == after.keys()
    showing = [name for name, text in before.items() if GOVUK_DATE.search(text)]
    assert len(showing) >= 9
    for name in showing:
        assert after[name] != before[name], name
        stale = [d for d in GOVUK_DATE.findall(after[name]) if d in gone]
        assert not stale, f"{name} still shows {stale}"


def test_a_recorded_date_moves_what_follows_in_the_letters() -> None:
    full = ROOT / "examples" / "full-inspection.toml"
    text = full.read_text().replace(
        "# draft_report_due = 2025-06-05", "draft_report_due = 2025-06-09"
    )
    case = parse_case(text, full)
    outline = lt.render_letter(case, build_schedule(case), "report-outline")[0].text
    assert "| Monday 9 June 2025 | Draft report" in outline
    # 10 working days later (para 137).
    assert "| Monday 23 June 2025 | Comments on the draft due" in outline
    assert "Friday 6 June 2025" not in outline


def test_rehearsal_override_matches_editing_the_case(tmp_path: Path) -> None:
    full = ROOT / "examples" / "full-inspection.toml"
    result = run_cli("letter", str(full), "notification", "--on-site-start", "2025-06-16")
    assert result.code == 0
    edited = tmp_path / "case.toml"
    edited.write_text(
        full.read_text().replace("on_site_start = 2025-05-12", "on_site_start = 2025-06-16")
    )
    assert run_cli("letter", str(edited), "notification").stdout == result.stdout
    assert "Monday 16 June 2025 to Friday 20 June 2025" in result.stdout


# ------------------------------------------------------------------ GOV.UK style
@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (time(11, 0), "11am"),
        (time(17, 0), "5pm"),
        (time(12, 0), "midday"),
        (time(0, 0), "midnight"),
        (time(17, 30), "5:30pm"),
        (time(9, 5), "9:05am"),
        (time(12, 30), "12:30pm"),
    ],
)
def test_govuk_time(moment: time, text: str) -> None:
    assert lt.govuk_time(moment) == text


def test_govuk_date() -> None:
    assert lt.govuk_date(date(2026, 4, 20)) == "Monday 20 April 2026"
    assert lt.govuk_date(datetime(2026, 4, 20, 11)) == "Monday 20 April 2026"
    assert lt.govuk_day(date(2026, 4, 1)) == "1 April 2026"
    assert lt.join_and(["a", "b", "c"]) == "a, b and c"


def test_govuk_when_for_timed_and_window_events() -> None:
    plan = build_schedule(load_case(ROOT / "examples" / "full-inspection.toml"))
    assert lt.govuk_when(plan.event("person_level_data_due")) == "11am on Monday 28 April 2025"
    assert lt.govuk_when(plan.event("sampling_visits")) == (
        "Monday 12 May 2025 to Friday 16 May 2025"
    )


# ------------------------------------------------------------------ escaping
@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("St Mary's *C of E* Primary", "St Mary's \\*C of E\\* Primary"),
        ("Health | Care", "Health \\| Care"),
        ("snake_case [link](x)", "snake\\_case \\[link\\](x)"),
        ("1. First", "1\\. First"),
        ("1.1", "1.1"),
        ("- item", "\\- item"),
        ("> quote", "\\> quote"),
        ("a\nb", "a b"),
        ("Tom &amp; Jerry", "Tom \\&amp; Jerry"),
        ("Tom & Jerry", "Tom & Jerry"),
    ],
)
def test_md_text(raw: str, escaped: str) -> None:
    assert lt.md_text(raw) == escaped


def test_case_text_cannot_break_the_markdown(write_case: Callable[..., Path]) -> None:
    path = write_case(
        '[inspection]\nkind = "full"\nlocal_area = "*Bold* | _Shire_ <b>"\n'
        "on_site_start = 2025-06-16\n"
        '[people.dcs]\nname = "# Not a heading"\n'
        '[people.lano]\nname = "L"\n'
        '[[providers]]\nname = "A | B"\n'
    )
    result = run_cli("letter", str(path), "notification")
    assert result.code == 0, result.stderr
    assert "\\*Bold\\* \\| \\_Shire\\_ \\<b\\>" in result.stdout
    assert "Dear \\# Not a heading," in result.stdout
    assert "html_inline" not in commonmark_tokens(result.stdout)
    html = MarkdownIt("commonmark").render(result.stdout)
    assert "*Bold* | _Shire_ &lt;b&gt;" in html and "<h1># Not" not in html
    result = run_cli("letter", str(path), "provider-sampling-notice")
    assert "visit to A \\| B" in result.stdout


# ------------------------------------------------------------------ errors
def test_missing_person_names_the_case_key(write_case: Callable[..., Path]) -> None:
    path = write_case('[inspection]\nkind = "full"\nlocal_area = "X"\non_site_start = 2025-06-16\n')
    result = run_cli("letter", str(path), "notification")
    assert result.code == 2 and result.stdout == ""
    assert "notification.md.j2, line 11" in result.stderr
    assert '`[people.dcs] name = "..."`' in result.stderr
    assert "Traceback" not in result.stderr


def test_undefined_variable_names_variable_template_and_line(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "note.md.j2").write_text("# Note\n\nDear {{ people.dcs.nmae }},\n\n{{ nothing }}\n")
    example = str(ROOT / "examples" / "full-inspection.toml")
    result = run_cli("letter", example, "note", "--templates", str(mine))
    assert result.code == 2
    assert (
        "note.md.j2, line 3" in result.stderr
        and "`nmae`" in result.stderr
        and "did you mean `name`" in result.stderr
    )


def test_unknown_event_suggests_the_right_id(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "x.md.j2").write_text("# X\n\n\n{{ schedule.notificaton.date|govuk_date }}\n")
    result = run_cli(
        "letter", str(ROOT / "examples" / "full-inspection.toml"), "x", "--templates", str(mine)
    )
    assert result.code == 2
    assert (
        "line 4" in result.stderr
        and "no event `notificaton`" in result.stderr
        and "`notification`" in result.stderr
    )


@pytest.mark.parametrize(
    "body",
    [
        "{{ case.__class__.__mro__ }}",
        "{{ ''.__class__.__subclasses__() }}",
        "{{ schedule.notification.date.__class__ }}",
    ],
)
def test_templates_run_sandboxed(tmp_path: Path, body: str) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "evil.md.j2").write_text(f"# Evil\n\n{body}\n")
    result = run_cli(
        "letter", str(ROOT / "examples" / "full-inspection.toml"), "evil", "--templates", str(mine)
    )
    assert result.code == 2 and result.stdout == ""
    assert "evil.md.j2, line 3" in result.stderr


def test_printing_a_whole_object_or_none_is_an_error(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "a.md.j2").write_text("# A\n\n{{ schedule.notification }}\n")
    (mine / "b.md.j2").write_text("# B\n\n{{ people.dcs.phone }}\n")
    example = str(ROOT / "examples" / "full-inspection.toml")
    result = run_cli("letter", example, "a", "--templates", str(mine))
    assert result.code == 2 and "prints a whole Event" in result.stderr
    result = run_cli("letter", example, "b", "--templates", str(mine))
    assert result.code == 2 and "prints None" in result.stderr and "line 3" in result.stderr


def test_syntax_error_names_template_and_line(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "s.md.j2").write_text("# S\n\n{% if x %}\n")
    result = run_cli(
        "letter", str(ROOT / "examples" / "full-inspection.toml"), "s", "--templates", str(mine)
    )
    assert result.code == 2 and "s.md.j2" in result.stderr and "line" in result.stderr


def test_unknown_letter_and_wrong_kind() -> None:
    example = str(ROOT / "examples" / "full-inspection.toml")
    result = run_cli("letter", example, "notifcation")
    assert result.code == 2 and "did you mean `notification`" in result.stderr
    result = run_cli("letter", example, "pcf-notification")
    assert result.code == 2 and "is for monitoring inspections and WSoA re-visits" in result.stderr
    result = run_cli("letter", example, "priority-action-plan")
    assert result.code == 2 and 'inspection.outcome = "widespread"' in result.stderr


def test_per_child_letter_without_selection_is_a_clear_error() -> None:
    result = run_cli("letter", str(ROOT / "examples" / "full-inspection.toml"), "tracking-consent")
    assert result.code == 2 and "[tracking] selected" in result.stderr


# ------------------------------------------------------------------ overrides
def test_user_templates_override_and_add(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notification.md.j2").write_text(
        "# Ours\n\nOn site {{ schedule.on_site_start|govuk_date }}.\n"
    )
    (mine / "thank-you.md.j2").write_text(
        '{#-\nkinds = ["full"]\npurpose = "Thanks to the team."\n-#}\n# Thanks, {{ people.lano.name }}\n'
    )
    example = str(ROOT / "examples" / "full-inspection.toml")
    result = run_cli("letter", example, "notification", "--templates", str(mine))
    assert result.code == 0 and result.stdout == "# Ours\n\nOn site Monday 12 May 2025.\n"
    result = run_cli("letter", example, "--list", "--templates", str(mine))
    assert "thank-you                    Thanks to the team." in result.stdout
    # The override keeps the shipped purpose (no front matter of its own).
    assert "notification                 Ofsted's notification" in result.stdout
    assert (
        run_cli("letter", example, "thank-you", "--templates", str(mine)).stdout
        == "# Thanks, Sam Taylor\n"
    )


def test_case_file_setting_finds_templates_next_to_it(tmp_path: Path) -> None:
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "notification.md.j2").write_text("# Local copy\n")
    case = tmp_path / "case.toml"
    text = (ROOT / "examples" / "full-inspection.toml").read_text()
    case.write_text(text + '\n[letters]\ntemplates = "letters"\n')
    assert run_cli("letter", str(case), "notification").stdout == "# Local copy\n"
    case.write_text(text + '\n[letters]\ntemplates = "nowhere"\n')
    result = run_cli("letter", str(case), "notification")
    assert result.code == 2 and "nowhere" in result.stderr and "does not exist" in result.stderr


# ------------------------------------------------------------------ files
def test_out_dir_all_writes_predictable_names_and_refuses_to_overwrite(tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    case.write_text((ROOT / "examples" / "full-inspection.toml").read_text() + SELECTED)
    out = tmp_path / "letters"
    result = run_cli("letter", str(case), "--all", "--out-dir", str(out))
    assert result.code == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert "notification.md" in names
    assert "tracking-consent-UID-0042.md" in names
    assert "provider-sampling-notice-01-brookside-primary-school.md" in names
    # Letters about one child are owner-only (files.write_output private).
    assert stat.S_IMODE((out / "tracking-consent-UID-0042.md").stat().st_mode) == 0o600
    before = (out / "notification.md").read_text()
    (out / "notification.md").write_text("edited")
    result = run_cli("letter", str(case), "--all", "--out-dir", str(out))
    assert result.code == 2 and "--force" in result.stderr
    assert (out / "notification.md").read_text() == "edited"
    assert run_cli("letter", str(case), "--all", "--out-dir", str(out), "--force").code == 0
    assert (out / "notification.md").read_text() == before


def test_output_file_and_for(tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    case.write_text((ROOT / "examples" / "full-inspection.toml").read_text() + SELECTED)
    target = tmp_path / "one.md"
    assert (
        run_cli(
            "letter", str(case), "tracking-consent", "--for", "UID-0107", "-o", str(target)
        ).code
        == 0
    )
    text = target.read_text()
    assert "UID-0107" in text and "UID-0042" not in text
    result = run_cli("letter", str(case), "tracking-consent", "-o", str(target))
    assert result.code == 2 and "already exists" in result.stderr
    result = run_cli("letter", str(case), "tracking-consent")
    assert result.stdout.count("**Reference:**") == 2 and "\n\n---\n\n" in result.stdout
    result = run_cli("letter", str(case), "tracking-consent", "--for", "UID-9")
    assert result.code == 2


def test_all_needs_out_dir_and_name_or_all() -> None:
    example = str(ROOT / "examples" / "full-inspection.toml")
    assert run_cli("letter", example, "--all").code == 2
    assert run_cli("letter", example).code == 2


def test_priority_action_plan_lists_the_reports_areas(tmp_path: Path) -> None:
    text = (ROOT / "examples" / "full-inspection.toml").read_text(encoding="utf-8")
    text = text.replace(
        '# outcome = "inconsistent"',
        'outcome = "widespread"\nareas_for_priority_action = ["Waiting times for *therapy*", '
        '"Oversight of alternative provision"]',
    )
    case_file = tmp_path / "case.toml"
    case_file.write_text(text, encoding="utf-8")
    result = run_cli("letter", str(case_file), "priority-action-plan")
    assert result.code == 0, result.output
    assert "### 1. Waiting times for \\*therapy\\*" in result.stdout  # escaped, not emphasis
    assert "### 2. Oversight of alternative provision" in result.stdout
    assert "as worded in the report" not in result.stdout


def test_compiled_templates_are_cached_and_an_edit_is_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SENDPLAN_CACHE_DIR", str(tmp_path / "cache"))
    mine = tmp_path / "mine"
    mine.mkdir()
    template = mine / "note.md.j2"
    template.write_text("# First {{ schedule.on_site_start|govuk_day }}\n")
    example = str(ROOT / "examples" / "full-inspection.toml")
    assert (
        run_cli("letter", example, "note", "--templates", str(mine)).stdout
        == "# First 12 May 2025\n"
    )
    cached = list((tmp_path / "cache").glob("jinja-*/*.cache"))
    assert cached, "no compiled template in the cache"
    template.write_text("# Second {{ schedule.on_site_start|govuk_day }}\n")
    assert (
        run_cli("letter", example, "note", "--templates", str(mine)).stdout
        == "# Second 12 May 2025\n"
    )


def test_a_cache_that_cannot_be_written_only_slows_letters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = str(ROOT / "examples" / "full-inspection.toml")
    monkeypatch.setenv("SENDPLAN_CACHE_DIR", str(tmp_path / "fine"))
    expected = run_cli("letter", example, "notification").stdout
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv("SENDPLAN_CACHE_DIR", str(blocked))
    result = run_cli("letter", example, "notification")
    assert (result.code, result.stderr) == (0, "")
    assert result.stdout == expected and "Ofsted" in result.stdout


def test_context_holds_the_case_checklist() -> None:
    # The Annex A checklist is always there (sendplan.checklist), never None:
    # the information request lists what to share from it.
    from sendplan.checklist import Checklist
    from sendplan.letters.context import build_context

    case = load_case(ROOT / "examples" / "full-inspection.toml")
    context = build_context(case, build_schedule(case))
    assert isinstance(context["checklist"], Checklist)
    assert context["checklist"].items


def test_an_included_template_that_is_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "mine.md.j2").write_text('{% include "inc.md.j2" %}\n', encoding="utf-8")
    (folder / "inc.md.j2").write_bytes(b"line one\nCaf\xe9\n")
    case = tmp_path / "case.toml"
    case.write_text(
        '[inspection]\nkind = "full"\nlocal_area = "Testshire"\non_site_start = 2025-05-12\n',
        encoding="utf-8",
    )
    result = run_cli("letter", str(case), "mine", "--templates", str(folder))
    assert result.code == 2, result.output
    assert "inc.md.j2:2: not UTF-8 text; save the template as UTF-8" in result.stderr

"""Bounds and text that reaches other programs (issue 22): every count bounded, every
printed date in range, memory bounded in templates, linear --previous, escaped
iCalendar TEXT, https survey links, no bidirectional controls.

Each reproducer is the issue's, or its shape at a size a test can afford.  "Not a
hang" is measured in CPU time (``time.process_time``): the commands run in this
process, and a busy machine lengthens their wall time, not their work.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from datetime import date
from pathlib import Path

import pytest

from cli_harness import run_cli  # the one CLI runner: it fails on a traceback
from sendplan.schema import PRINTED_EARLIEST, PRINTED_LATEST

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
GOOD = '[inspection]\nkind = "full"\nlocal_area = "Testshire"\non_site_start = 2025-05-12\n'


def case(tmp_path: Path, text: str, name: str = "case.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def saved_copy(tmp_path: Path, saved_text: str) -> tuple[str, Path]:
    """The timetable example with ``saved_text`` as its saved timetable."""
    shutil.copy(EXAMPLES / "full-inspection-timetable.toml", tmp_path / "case.toml")
    (tmp_path / "timetables").mkdir()
    saved = tmp_path / "timetables" / "full-inspection-timetable.toml"
    saved.write_text(saved_text, encoding="utf-8")
    return str(tmp_path / "case.toml"), saved


# ------------------------------------------------------------------ every TOML file
@pytest.mark.parametrize("depth", [20, 600])
def test_a_deeply_nested_saved_timetable_is_a_message_at_once(tmp_path: Path, depth: int) -> None:
    head = '[timetable]\nlocal_area = "Exampleshire"\nkind = "full"\nx = '
    case_file, saved = saved_copy(tmp_path, head + "[" * depth + "]" * depth + "\n")
    for args in (
        ["timetable", case_file, "--check"],
        ["timetable", case_file, "--from", str(saved), "--format", "json"],
        ["calendar", case_file, "-o", "-"],
        ["overview", case_file, "--format", "json"],
        ["letter", case_file, "tracking-consent"],
    ):
        started = time.process_time()
        result = run_cli(*args)
        assert result.code == 2, (args, result.stderr)
        assert "nested too deeply" in result.stderr and str(saved) in result.stderr
        assert time.process_time() - started < 5


def test_a_saved_timetable_over_the_case_files_size_limit_is_refused(tmp_path: Path) -> None:
    from sendplan.files import MAX_CASE_BYTES

    case_file, saved = saved_copy(tmp_path, "# " + "x" * MAX_CASE_BYTES + "\n")
    result = run_cli("timetable", case_file, "--check")
    assert result.code == 2 and "at most 4 MB" in result.stderr


def test_a_saved_timetable_with_too_many_people_is_refused_quickly(tmp_path: Path) -> None:
    from sendplan.timetable.saved import MAX_SESSION_PEOPLE

    text = (EXAMPLES / "timetables" / "full-inspection-timetable.toml").read_text()
    crowd = ", ".join(f'"p{i}"' for i in range(20_000))
    case_file, _ = saved_copy(tmp_path, text.replace("people = [\n", f"people = [{crowd},\n", 1))
    started = time.process_time()
    result = run_cli("timetable", case_file, "--check")
    assert result.code == 2 and f"at most {MAX_SESSION_PEOPLE}" in result.stderr
    assert time.process_time() - started < 5


def test_a_deeply_nested_front_matter_is_a_message(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "deep.md.j2").write_text("{#-\nx = " + "[" * 40 + "]" * 40 + "\n-#}\nHello\n")
    result = run_cli(
        "letter", str(EXAMPLES / "full-inspection.toml"), "deep", "--templates", str(folder)
    )
    assert result.code == 2 and "nested too deeply" in result.stderr


# ------------------------------------------------------------------ counts
def test_monitoring_on_site_days_are_bounded_by_the_guidance_with_a_margin(
    tmp_path: Path,
) -> None:
    text = '[inspection]\nkind = "monitoring"\nlocal_area = "T"\non_site_start = 2025-05-12\n'
    started = time.process_time()
    result = run_cli("validate", case(tmp_path, text + "on_site_days = 1000000\n"))
    assert (
        result.code == 2 and "must be 1 to 10" in result.stderr and "paras 168-170" in result.stderr
    )
    assert time.process_time() - started < 5
    assert run_cli("validate", case(tmp_path, text + "on_site_days = 10\n")).code == 0


@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        ("full", "notification = 2000-01-04\n"),
        ("full", "on_site_start = 2100-12-27\n"),
        ("monitoring", "on_site_start = 2100-12-27\non_site_days = 10\n"),
        ("revisit", "on_site_start = 2100-12-27\non_site_days = 4\n"),
        ("revisit", "on_site_start = 2000-01-04\non_site_days = 2\n"),
    ],
)
def test_every_printed_date_is_inside_the_documented_range(
    tmp_path: Path, kind: str, extra: str
) -> None:
    text = f'[inspection]\nkind = "{kind}"\nlocal_area = "T"\n{extra}'
    if kind == "revisit":
        text += "[revisit]\ninitial_letter_received = 2100-12-31\n"
    path = case(tmp_path, text)
    result = run_cli("schedule", path, "--format", "json")
    assert result.code == 0, result.stderr
    days = re.findall(r"\d{4}-\d{2}-\d{2}", result.output)
    assert days
    assert all(PRINTED_EARLIEST <= date.fromisoformat(d) <= PRINTED_LATEST for d in days)
    assert run_cli("calendar", path, "-o", "-").code == 0


def test_tracked_children_are_capped_with_a_clear_error(tmp_path: Path) -> None:
    from sendplan.case.records import MAX_TRACKED

    many = ", ".join(f'"C{i:04d}"' for i in range(3000))
    started = time.process_time()
    result = run_cli("checklist", case(tmp_path, GOOD + f"[tracking]\nselected = [{many}]\n"))
    assert result.code == 2
    assert (
        f"tracking.selected: holds 3,000 entries; at most {MAX_TRACKED} are allowed"
        in result.stderr
    )
    assert time.process_time() - started < 5
    exactly = ", ".join(f'"C{i:04d}"' for i in range(MAX_TRACKED))
    assert (
        run_cli("validate", case(tmp_path, GOOD + f"[tracking]\nselected = [{exactly}]\n")).code
        == 0
    )


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ('[[timetable.unavailable]]\nwho = "lano"\ndate = 2025-05-13\n', "timetable.unavailable"),
        ('[[timetable.sessions]]\ntitle = "S{n}"\n', "timetable.sessions"),
        ('[[timetable.travel]]\nbetween = ["a", "b"]\nminutes = 5\n', "timetable.travel"),
    ],
)
def test_timetable_lists_are_capped(tmp_path: Path, section: str, key: str) -> None:
    text = (
        GOOD
        + '[people.lano]\nname = "L"\n'
        + "".join(section.replace("{n}", str(n)) for n in range(3000))
    )
    started = time.process_time()
    result = run_cli("timetable", case(tmp_path, text), "--format", "json")
    assert result.code == 2 and f"{key}: holds 3,000 entries; at most" in result.stderr
    assert time.process_time() - started < 10


def test_an_inspector_listed_twice_is_refused(tmp_path: Path) -> None:
    names = ", ".join(['"Ellis Grant"'] * 10_000)
    text = GOOD + f'[[people.other]]\nname = "Ellis Grant"\n[timetable]\ninspectors = [{names}]\n'
    result = run_cli("validate", case(tmp_path, text))
    assert result.code == 2 and "at most 20" in result.stderr
    text = GOOD + '[[people.other]]\nname = "Ellis Grant"\n[timetable]\n'
    text += 'inspectors = ["Ellis Grant", "ellis grant"]\n'
    result = run_cli("validate", case(tmp_path, text))
    assert (
        result.code == 2
        and "timetable.inspectors[1]" in result.stderr
        and "already listed" in result.stderr
    )


def test_a_working_day_too_short_is_impossible_not_a_timeout(tmp_path: Path) -> None:
    text = GOOD + '[timetable]\nday_start = "12:00"\nday_end = "12:15"\n'
    started = time.process_time()
    result = run_cli("timetable", case(tmp_path, text))
    assert result.code == 2
    assert "timetable.day_end" in result.stderr and "no timetable can fit" in result.stderr
    assert "within" not in result.stderr  # not "no timetable found within 20 seconds"
    assert time.process_time() - started < 2


# ------------------------------------------------------------------ templates: memory too
@pytest.mark.parametrize(
    "body",
    [
        # The issue's: a list doubled with +.
        "{% set ns = namespace(x=[1]) %}{% for i in range(64) %}"
        "{% set ns.x = ns.x + ns.x %}{% endfor %}{{ ns.x|length }}",
        "{% set ns = namespace(x='ab') %}{% for i in range(64) %}"
        "{% set ns.x = ns.x ~ ns.x %}{% endfor %}{{ ns.x|length }}",
        "{% macro d(x, n) %}{% if n %}{{ d(x + x, n - 1) }}{% endif %}{% endmacro %}{{ d([1], 64) }}",
        "{{ 'x'.ljust(1000000000) }}",
        "{{ '%999999999d' % 1 }}",
        "{{ '{:>999999999}'.format(1) }}",
        "{{ 'abc'|replace('', 'y' * 1000000) }}",
    ],
)
def test_a_template_growing_memory_stops_at_the_limit(tmp_path: Path, body: str) -> None:
    import tracemalloc

    from sendplan.letters.sandbox import MAX_OUTPUT_CHARS, RenderLimit, render_limited, sandboxed

    tracemalloc.start()
    started = time.process_time()
    try:
        with pytest.raises(RenderLimit, match="longer than"):
            render_limited(sandboxed().from_string(body), {})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.process_time() - started < 2
    assert peak < 40 * MAX_OUTPUT_CHARS  # at the limit, not gigabytes after it


def test_ordinary_templates_still_render() -> None:
    from sendplan.letters.sandbox import render_limited, sandboxed

    body = (
        "{{ [1, 2] + [3] }} {{ 'a' ~ 'b' }} {{ 'x%sy' % 3 }} {{ '{}'.format(4) }} {{ 'ab'|upper }}"
    )
    assert render_limited(sandboxed().from_string(body), {}) == "[1, 2, 3] ab x3y 4 AB"


def test_a_user_template_growing_memory_is_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "grow.md.j2").write_text(
        "{% set ns = namespace(x=[1]) %}{% for i in range(64) %}"
        "{% set ns.x = ns.x + ns.x %}{% endfor %}{{ ns.x|length }}\n"
    )
    started = time.process_time()
    result = run_cli(
        "letter", str(EXAMPLES / "full-inspection.toml"), "grow", "--templates", str(folder)
    )
    assert result.code == 2 and "longer than" in result.stderr
    assert time.process_time() - started < 5


# ------------------------------------------------------------------ --previous
def test_previous_of_unterminated_components_is_refused_in_linear_time(tmp_path: Path) -> None:
    from sendplan.ics import MAX_PREVIOUS_BYTES

    lines = b"BEGIN:VCALENDAR\r\n" + b"BEGIN:VEVENT\r\n" * ((MAX_PREVIOUS_BYTES - 17) // 14)
    previous = tmp_path / "old.ics"
    previous.write_bytes(lines[:MAX_PREVIOUS_BYTES])
    started = time.process_time()
    result = run_cli("calendar", str(EXAMPLES / "full-inspection.toml"), "-o",
                     str(tmp_path / "new.ics"), "--previous", str(previous))  # fmt: skip
    assert result.code == 2 and "not an export sendplan wrote" in result.stderr
    assert time.process_time() - started < 3


def test_previous_parsing_grows_linearly() -> None:
    from sendplan.ics import read_previous

    def timed(n: int) -> float:
        event = "BEGIN:VEVENT\r\nUID:u{}\r\nDTSTART:20250512\r\nSEQUENCE:1\r\nEND:VEVENT\r\n"
        text = "BEGIN:VCALENDAR\r\n" + "".join(event.format(i) for i in range(n))
        data = (text + "END:VCALENDAR\r\n").encode()
        started = time.process_time()
        assert len(read_previous(data)) == n
        return time.process_time() - started

    small, large = min(timed(500) for _ in range(3)), min(timed(4000) for _ in range(3))
    assert large < 8 * small * 2.5  # 8 times the events: not 64 times the time


def test_the_previous_limit_is_one_number_in_readme_and_message(tmp_path: Path) -> None:
    from sendplan.ics import MAX_PREVIOUS_BYTES

    previous = tmp_path / "old.ics"
    previous.write_bytes(b"x" * (MAX_PREVIOUS_BYTES + 1))
    result = run_cli("calendar", str(EXAMPLES / "full-inspection.toml"), "-o",
                     str(tmp_path / "new.ics"), "--previous", str(previous))  # fmt: skip
    said = re.search(r"at most (\d+) MB", result.stderr)
    assert result.code == 2 and said
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"| --previous calendar | size | {said.group(1)} MB |" in readme
    assert int(said.group(1)) << 20 == MAX_PREVIOUS_BYTES


# ------------------------------------------------------------------ text for other programs
def test_calendar_name_is_escaped_as_icalendar_text(tmp_path: Path) -> None:
    text = GOOD.replace('"Testshire"', '"A;B,C\\\\D"')
    result = run_cli("calendar", case(tmp_path, text), "-o", "-")
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "X-WR-CALNAME:Full area SEND inspection: A\\;B\\,C\\\\D" in lines
    assert "NAME:Full area SEND inspection: A\\;B\\,C\\\\D" in lines
    import vobject

    # Read back as TEXT by another reader, the name is the local area's own.
    calendar = vobject.readOne(result.stdout)
    assert calendar.contents["x-wr-calname"][0].value == "Full area SEND inspection: A;B,C\\D"


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd", "ftp://x"]
)
def test_survey_links_other_than_web_addresses_are_refused(tmp_path: Path, link: str) -> None:
    text = GOOD + f"[letters.survey_links]\nparents = {json.dumps(link)}\n"
    result = run_cli("letter", case(tmp_path, text), "survey-invitation")
    assert (
        result.code == 2
        and "letters.survey_links.parents" in result.stderr
        and "https://" in result.stderr
    )


def test_an_http_survey_link_is_kept_with_a_warning(tmp_path: Path) -> None:
    example = (EXAMPLES / "full-inspection.toml").read_text(encoding="utf-8")
    text = example + '[letters.survey_links]\nparents = "http://example.org/p"\n'
    result = run_cli("letter", case(tmp_path, text), "survey-invitation")
    assert result.code == 0 and "http://example.org/p" in result.stdout
    assert "warning: [letters.survey_links] parents is an http:// link" in result.stderr
    text = example + '[letters.survey_links]\nparents = "https://example.org/p"\n'
    result = run_cli("letter", case(tmp_path, text), "survey-invitation")
    assert result.code == 0 and "http://" not in result.stderr


BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
        "\u2069", "\u200e", "\u200f", "\u061c"]  # fmt: skip


@pytest.mark.parametrize("char", BIDI)
@pytest.mark.parametrize("where", ["local_area", "people", "note"])
def test_bidirectional_controls_are_refused_with_the_line(
    tmp_path: Path, char: str, where: str
) -> None:
    escaped = f"\\u{ord(char):04x}"
    if where == "local_area":
        text = GOOD.replace('"Testshire"', f'"Test{escaped}shire"')
        line = 3
    elif where == "people":
        text = GOOD + f'[people.lano]\nname = "Ann {escaped}Lee"\n'
        line = 6
    else:  # free text: other control characters are allowed there, these are not
        text = GOOD + f'[checklist.items."1.1"]\nstatus = "done"\nnote = "ok {escaped}"\n'
        line = 7
    path = case(tmp_path, text)
    result = run_cli("calendar", path, "-o", "-")
    assert result.code == 2
    assert f"{path}:{line}:" in result.stderr and f"U+{ord(char):04X}" in result.stderr

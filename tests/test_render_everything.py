"""Render everything, for every case a reader could have, and look for Python's own text.

Issue 21: the board page once read "Multi-agency audit (for <built-in method
items of dict object at 0x7f...> tracked children)", and no test looked.  This
test renders, for every example and for one generated case per kind and
variant (:data:`VARIANTS`), at two moments (before the first deadline, and long
after the last, when every Annex A item is overdue and the page is longest):

* the overview page (HTML) and its JSON,
* every letter of the kind (``letter --all``, per child and per provider too),
* every Markdown view: each command whose ``--format`` offers ``markdown``
  (found from the Typer app, so a new one is covered without anyone adding it),

and fails on a Python object's text (``object at 0x``, ``built-in method``,
``bound method``) or on a ``None`` / ``Undefined`` where a value should be.
"None of the items" and "None dated yet" are English and pass
(:func:`leaks`).

:func:`rendered` and :data:`CASES` are for other tests too (the fidelity
issue, 20, reads every sentence of the same renderings).
"""

from __future__ import annotations

import functools
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import tomlkit

from cli_harness import run_cli
from example_cases import DATED
from test_cli_contract import NAMES, formats, ok_args

ROOT = Path(__file__).resolve().parents[1]
#: The examples that date their inspection: letters need dates (issue 23); the page
#: of a case without dates has its own snapshots and browser tests.
EXAMPLES = DATED
LISTS = ROOT / "examples" / "lists"
#: Before anything is due, and long after: the page with nothing overdue and
#: with everything overdue (every Annex A item named, tracked children too).
MOMENTS = ("2020-01-06T09:00", "2031-01-06T09:00")
#: The six tracked children of the full variant: real rows of examples/lists.
TRACKED = ["SYN000099", "SYN000004", "SYN000095", "SYN000069", "SYN000002", "SYN000005"]


def _edit(example: str, change: Callable[[tomlkit.TOMLDocument], None]) -> str:
    document = tomlkit.parse((ROOT / "examples" / example).read_text(encoding="utf-8"))
    change(document)
    return tomlkit.dumps(document)


def _full(doc: tomlkit.TOMLDocument) -> None:
    # Another year, an outcome with its plans, six tracked children (their
    # Annex A items 7.1-7.7), and a date recorded as it happened.
    doc["inspection"]["on_site_start"] = tomlkit.date("2026-11-16")
    doc["inspection"]["outcome"] = "widespread"
    doc["inspection"]["areas_for_priority_action"] = ["Joint commissioning"]
    doc["tracking"] = {"selected": TRACKED}
    doc["dates"]["draft_report_due"] = tomlkit.date("2026-12-10")


def _monitoring(concern: bool) -> Callable[[tomlkit.TOMLDocument], None]:
    def change(doc: tomlkit.TOMLDocument) -> None:
        doc["inspection"]["on_site_start"] = tomlkit.date("2027-03-08")
        doc["monitoring"]["triggered_by_concern"] = concern

    return change


def _revisit(start: str) -> Callable[[tomlkit.TOMLDocument], None]:
    # Before July 2022 the health partner was a CCG; after it, an ICB.
    def change(doc: tomlkit.TOMLDocument) -> None:
        doc["inspection"]["on_site_start"] = tomlkit.date(start)

    return change


def _engagement(doc: tomlkit.TOMLDocument) -> None:
    doc["engagement"]["meeting_date"] = tomlkit.date("2027-06-15")


#: One generated case per kind and variant: (name, example it starts from, change).
VARIANTS: dict[str, tuple[str, Callable[[tomlkit.TOMLDocument], None]]] = {
    "full-outcome-tracked": ("full-inspection.toml", _full),
    "monitoring-plan-led": ("monitoring-inspection.toml", _monitoring(False)),
    "monitoring-concern-triggered": ("monitoring-inspection.toml", _monitoring(True)),
    "revisit-before-july-2022": ("lancashire-revisit-2020.toml", _revisit("2021-11-08")),
    "revisit-after-july-2022": ("lancashire-revisit-2020.toml", _revisit("2022-10-03")),
    "engagement": ("engagement-meeting.toml", _engagement),
}


def case_text(name: str) -> str:
    """The text of a case: an example's file name, or a :data:`VARIANTS` name."""
    if name in VARIANTS:
        example, change = VARIANTS[name]
        return _edit(example, change)
    return (ROOT / "examples" / name).read_text(encoding="utf-8")


CASES = [p.name for p in EXAMPLES if not p.name.endswith("-timetable.toml")] + list(VARIANTS)

#: Commands with a Markdown view (other than letter, rendered with --all).
MARKDOWN_COMMANDS = [n for n in NAMES if "markdown" in formats(n) and n != "letter"]


@functools.cache
def rendered(name: str) -> dict[str, str]:
    """Everything sendplan renders for the case ``name``: {what: text}."""
    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        case = work / "case.toml"
        case.write_text(case_text(name), encoding="utf-8")
        for moment in MOMENTS:
            lists = ["--lists", str(LISTS / "lists.xlsx")] if "full" in name else []
            for form in ("html", "json"):
                result = run_cli("overview", str(case), "--today", moment, "--format", form, *lists)
                assert result.code == 0, f"overview {name} {moment}: {result.stderr}"
                out[f"overview {form} {moment}"] = result.stdout
        letters = work / "letters"
        result = run_cli("letter", str(case), "--all", "--out-dir", str(letters))
        assert result.code == 0, f"letter --all {name}: {result.stderr}"
        for path in sorted(letters.iterdir()):
            out[f"letter {path.name}"] = path.read_text(encoding="utf-8")
        for command in MARKDOWN_COMMANDS:
            args = ok_args(command, work)
            result = run_cli(*args, "--format", "markdown")
            # A command may refuse a kind (no notification: no lists), saying why.
            assert result.code in (0, 1, 2), f"{command} {name}: exit {result.code}"
            if result.code == 2:
                assert result.stderr.strip()
                continue
            out[f"{command} markdown"] = result.stdout
    return out


# ------------------------------------------------------------------ what must never show
#: Python's own text for an object (a method, a function, a class, a repr).
OBJECT_TEXT = re.compile(
    r"object at 0x|built-in method|bound method|<function |<class '|<generator |<lambda>"
    r"|\bdict_(?:keys|values|items)\(|\bNaT\b|\bnan\b"
)
#: ``None`` as a value: not English ("None of the items", "None dated yet"), so
#: not followed by a space and a lowercase word.  ``Undefined`` likewise: Jinja's
#: name for a variable that is not there (strict in letters, but not elsewhere).
BLANK_TEXT = re.compile(r"\bNone\b(?! [a-z])|\bUndefined\b|\bundefined\b")


def leaks(text: str) -> list[str]:
    """Each place in ``text`` where Python's text shows, with its surroundings."""
    found = []
    for pattern in (OBJECT_TEXT, BLANK_TEXT):
        for match in pattern.finditer(text):
            start, end = max(match.start() - 50, 0), match.end() + 50
            found.append(text[start:end].replace("\n", " "))
    return found


def test_leaks_finds_python_text_and_passes_english() -> None:
    assert leaks("for <built-in method items of dict object at 0x7f3a> tracked children")
    assert leaks("due None, 11:00") and leaks("| None |") and leaks('datetime="None"')
    assert leaks("owner: None.") and leaks("{{ x }} is Undefined") and leaks("undefined")
    assert leaks("<bound method Case.name of <Case>>") and leaks("dict_keys(['a'])")
    assert not leaks("None of the items are overdue. None dated yet: record the outcome.")
    assert not leaks("Nonetheless, nobody; none at all")


@pytest.mark.parametrize("name", CASES)
def test_nothing_rendered_shows_python_text(name: str) -> None:
    texts = rendered(name)
    # Everything was rendered: the page, the letters, every Markdown view.
    assert any(k.startswith("overview html") for k in texts)
    assert any(k.startswith("letter ") for k in texts)
    assert {k for k in texts if k.endswith(" markdown")}, name
    problems = {what: found for what, text in texts.items() if (found := leaks(text))}
    assert problems == {}, problems


def test_the_variants_are_what_they_say() -> None:
    """The generated cases really are their kind and variant (a typo in a key
    would silently give the example again)."""
    from sendplan.case import Case, load_case

    with tempfile.TemporaryDirectory() as folder:

        def case(name: str) -> Case:
            path = Path(folder) / f"{name}.toml"
            path.write_text(case_text(name), encoding="utf-8")
            return load_case(path)

        full = case("full-outcome-tracked")
        assert full.inspection.outcome == "widespread"
        assert list(full.tracking.selected) == TRACKED
        assert case("monitoring-concern-triggered").monitoring.triggered_by_concern
        assert not case("monitoring-plan-led").monitoring.triggered_by_concern
        before = case("revisit-before-july-2022").inspection.on_site_start
        after = case("revisit-after-july-2022").inspection.on_site_start
        assert str(before) < "2022-07-01" < str(after)
        assert case("engagement").kind == "engagement"


def iter_texts() -> Iterator[tuple[str, str, str]]:
    """Every (case, what, text) rendered: for other tests reading every sentence."""
    for name in CASES:
        for what, text in rendered(name).items():
            yield name, what, text

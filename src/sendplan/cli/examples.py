"""The Examples section of each command's ``--help``: real command lines, each with
what it gives.

A command may pass its own (``@command(examples=...)``); the others are here,
by name, so a new command is one entry away.  ``tests/test_cli_help.py`` fails
for a command without any.  ``case.toml`` is the case file a command finds by
itself (``$SENDPLAN_CASE``, then ``./case.toml``).
"""

from __future__ import annotations

from collections.abc import Sequence

EXAMPLES: dict[str, tuple[tuple[str, str], ...]] = {
    "init": (
        ("sendplan init", "write case.toml here for a full inspection"),
        ("sendplan init monitoring.toml --kind monitoring", "another kind"),
        ("sendplan init --local-area Barnet --on-site-start 2025-05-12", "with what you know"),
    ),
    "validate": (
        ("sendplan validate case.toml", "every problem at once; exit 2 if any"),
        ("sendplan validate -q && echo ok", "in a script: nothing but errors"),
        ("sendplan validate case.toml -f json", "the verdict as JSON"),
    ),
    "ready": (
        ("sendplan ready case.toml", "before the call: each week it may come, what would hurt"),
        ("sendplan ready case.toml --weeks 26 --detail", "half a year, every deadline and risk"),
        ("sendplan ready case.toml --check", "exit 1 if a next-day item is stale or unowned (CI)"),
    ),
    "schedule": (
        ("sendplan schedule case.toml", "every date, week by week"),
        ("sendplan schedule", "the same, for ./case.toml or $SENDPLAN_CASE"),
        ("sendplan schedule case.toml --notification 2025-06-02", "rehearse another date"),
        ("sendplan schedule case.toml -f xlsx -o plan.xlsx", "a workbook"),
    ),
    "checklist": (
        ("sendplan checklist case.toml", "the Annex A items, red/amber/green"),
        ("sendplan checklist case.toml --owner LANO --status not-started", "one owner's to-do"),
        ("sendplan checklist case.toml --check", "exit 1 if anything is overdue (CI)"),
    ),
    "mark": (
        ("sendplan mark case.toml 1.1 1.2 --status done", "record progress"),
        ("sendplan mark case.toml '2.*' -s in-progress --owner 'Head of SEND'", "a group"),
        ("sendplan mark 1.1 -s done", "in ./case.toml or $SENDPLAN_CASE"),
        ("sendplan mark case.toml 1.3 --refreshed", "its evidence brought up to date today"),
    ),
    "status": (
        ("sendplan status case.toml", "today: day, week, events, overdue items"),
        ("sendplan status case.toml --today 2025-05-13", "another day"),
        ("sendplan status case.toml -f markdown", "for an email"),
    ),
    "timetable": (
        ("sendplan timetable case.toml", "place every session of weeks 2 and 3"),
        ("sendplan timetable case.toml --save week.toml", "keep it, to re-plan from"),
        ("sendplan timetable case.toml --from week.toml --save week.toml --force", "re-plan"),
        ("sendplan timetable case.toml --check", "exit 1 if the saved one no longer fits"),
    ),
    "overview": (
        ("sendplan overview case.toml -o plan.html", "one page for a partnership board"),
        ("sendplan overview case.toml -f json", "the data the page shows"),
    ),
    "letter": (
        ("sendplan letter case.toml --list", "the letters this case can have"),
        ("sendplan letter case.toml notification -o notification.md", "one letter"),
        ("sendplan letter case.toml --all --out-dir letters", "every letter, one file each"),
    ),
    "calendar": (
        ("sendplan calendar case.toml -o inspection.ics", "for Outlook or Google Calendar"),
        ("sendplan calendar case.toml --who lano --alarm 1d -o lano.ics", "one role's events"),
        ("sendplan calendar case.toml -o -", "to standard output"),
        ("sendplan calendar case.toml --invitations --out-dir outbox", "one file per person"),
    ),
    "select": (
        ("sendplan select case.toml --list1 list1.xlsx --list2 list2.xlsx", "rehearse"),
        ("sendplan select case.toml --lists lists.xlsx --seed 7 --save", "record the choice"),
    ),
    "history": (
        ("sendplan history Barnet", "the published inspections and what comes next"),
        ("sendplan history E09000003 -f json", "by ONS code, as JSON"),
    ),
    "schema": (("sendplan schema > case.schema.json", "for editors that check TOML as you type"),),
    "lists check": (
        ("sendplan lists check --list1 list1.xlsx --list2 list2.xlsx", "before they go"),
        ("sendplan lists check --lists lists.xlsx --case case.toml -f xlsx -o check.xlsx", ""),
    ),
}


def examples_epilog(name: str, given: Sequence[tuple[str, str]] = ()) -> str | None:
    """The Examples section of command ``name``'s help (``given``, else :data:`EXAMPLES`)."""
    examples = list(given) or list(EXAMPLES.get(name, ()))
    if not examples:
        return None
    # \b keeps click from re-flowing the lines.
    lines = ["Examples:", "", "\b"]
    for line, what in examples:
        lines.append(f"  {line}" + (f"\n      {what}" if what else ""))
    return "\n".join(lines)

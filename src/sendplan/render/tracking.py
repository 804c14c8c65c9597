"""Rendering a tracking selection and a lists check: Rich, JSON, CSV, Markdown.

Only what the issue allows leaves here: Unique IDs (the template's
pseudonymous id), list, age group, primary need and area, phase, social care,
the rules met, and the columns ``--show`` names.  UPN and ULN are never on a
:class:`~sendplan.lists.Child`, so they cannot be printed; problems are shown
by list, row and column, never by content.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sendplan.dates import date_text
from sendplan.lists import FIELD_BY_NAME, PHASES, PROBLEMS, Child, Finding, Lists
from sendplan.render.flags import as_flags
from sendplan.render.spreadsheets import Column, Sheet, about_rows, csv_text, workbook
from sendplan.text import markdown_table, md_escape, to_json
from sendplan.tracking import SPREAD_LABELS, SPREAD_WORDS, TOLERANCE, TrackingReport
from sendplan.words import plural

if TYPE_CHECKING:
    from rich.console import RenderableType

LIST_NAMES = {1: "EHC plan", 2: "SEN support"}
#: Short phase names for tables (the JSON has the letter; PHASES the full text).
PHASE_SHORT = {"f": "Special", "g": "Post-16/FE", "h": "PRU/AP", "i": "Other"}
RULE_SHORT = {
    "alternative_provision": "AP",
    "sen_support": "SEN support",
    "area_communication_interaction": "C&I",
    "area_cognition_learning": "C&L",
    "area_semh": "SEMH",
    "area_sensory_physical": "S&P",
}


AREA_SHORT = {
    "communication_interaction": "C&I",
    "cognition_learning": "C&L",
    "semh": "SEMH",
    "sensory_physical": "S&P",
}
LEGEND = (
    "C&I communication and interaction, C&L cognition and learning, SEMH social, emotional "
    "and mental health, S&P sensory and/or physical (the broad areas of need, para 92); "
    "AP alternative provision."
)


def _need(child: Child) -> str:
    if child.area is None or AREA_SHORT[child.area] == child.primary_need:
        return child.primary_need
    return f"{child.primary_need} ({AREA_SHORT[child.area]})"


def _phase(child: Child) -> str:
    if child.phase is None:
        return "not recorded"
    text = f"{child.phase}) {PHASE_SHORT.get(child.phase, PHASES[child.phase])}"
    if child.alternative_provision and child.phase != "h":
        text += " + AP (dual)"
    return text


def _social_care(child: Child) -> str:
    if child.social_care == "known" and child.social_care_team:
        return f"known: {child.social_care_team}"
    return child.social_care


def _child_json(child: Child) -> dict[str, Any]:
    return {
        "id": child.id,
        "list": child.list,
        "list_name": LIST_NAMES[child.list],
        "age_group": child.age_group,
        "primary_need": child.primary_need,
        "area_of_need": child.area,
        "phase": child.phase,
        "alternative_provision": child.alternative_provision,
        "social_care": child.social_care,
        "social_care_team": child.social_care_team or None,
        **({"shown": dict(child.shown)} if child.shown else {}),
    }


# ------------------------------------------------------------------ selection
def selection_json(report: TrackingReport) -> str:
    """The selection as JSON: selected, reserves, rules, spread, warnings."""
    sel = report.selection
    data = {
        "local_area": report.local_area,
        "notification": report.notification,
        "seed": sel.seed,
        "in_scope": sel.pool,
        "selected": [
            {**_child_json(c.child), "rules": list(c.rules), "included": c.included}
            for c in sel.selected
        ],
        "reserves": [{**_child_json(r.child), "replaces": list(r.replaces)} for r in sel.reserves],
        "rules": [
            {
                "rule": r.rule.id,
                "title": r.rule.title,
                "source": "handbook para 92",
                "need": r.rule.need,
                "met": r.met,
                "ids": list(r.ids),
                "available": r.available,
                "reason": as_flags(r.reason) or None,
            }
            for r in sel.rules
        ],
        "spread": {
            name: {"distinct": n, "weight": w, "label": SPREAD_LABELS[name]}
            for name, n, w in sel.spread
        },
        "objective": {
            "rules_met": sum(r.met for r in sel.rules),
            "spread_score": sel.score,
            "best_spread_score_found": sel.best_score,
            "tolerance": TOLERANCE,
        },
        "rows_left_out": report.lists.excluded_rows(),
        "left_out": [f.to_json() for f in report.lists.findings if f.excluded],
        "warnings": [as_flags(w) for w in report.warnings],
    }
    return to_json(data)


def _rows(report: TrackingReport) -> list[tuple[str, Child, str, str]]:
    """(role, child, rules, replaces) for every chosen child then every reserve."""
    out: list[tuple[str, Child, str, str]] = []
    for c in report.selection.selected:
        rules = ", ".join(RULE_SHORT[r] for r in c.rules)
        out.append(("included" if c.included else "selected", c.child, rules, ""))
    for r in report.selection.reserves:
        out.append(("reserve", r.child, "", ", ".join(r.replaces)))
    return out


def _shown_headings(report: TrackingReport) -> list[str]:
    return [FIELD_BY_NAME[name].heading for name in report.show]


_CHILD_COLUMNS = (
    Column("role", "Role", "code"),
    Column("id", "Unique ID", "code"),
    Column("list", "List", "number"),
    Column("age_group", "Age group", "code"),
    Column("primary_need", "Primary need", "code"),
    Column("area_of_need", "Area of need", "code"),
    Column("phase", "Phase", "code"),
    Column("alternative_provision", "Alternative provision", "code"),
    Column("social_care", "Social care", "code"),
    Column("social_care_team", "Social care team", max_width=30),
    Column("rules", "Rules (para 92)", max_width=40),
    Column("replaces", "Can replace", max_width=40),
)


def selection_sheets(report: TrackingReport) -> list[Sheet]:
    """The chosen children and reserves (one row each), the rules and the spread."""
    shown = _shown_headings(report)
    children = [
        [
            role,
            child.id,
            child.list,
            child.age_group,
            child.primary_need,
            child.area,
            child.phase,
            child.alternative_provision,
            child.social_care,
            child.social_care_team,
            rules,
            replaces,
            *(dict(child.shown).get(h, "") for h in shown),
        ]
        for role, child, rules, replaces in _rows(report)
    ]
    columns = [*_CHILD_COLUMNS, *(Column(h, h) for h in shown)]
    rules = [
        [r.rule.title, r.met, ", ".join(r.ids), r.available, as_flags(r.reason)]
        for r in report.selection.rules
    ]
    rule_columns = (
        Column("rule", "Rule (para 92)", max_width=60),
        Column("met", "Met", "code"),
        Column("ids", "Who", max_width=40),
        Column("available", "Available", "number"),
        Column("reason", "Why not", max_width=60),
    )
    spread = [[SPREAD_LABELS[name], n, w] for name, n, w in report.selection.spread]
    spread_columns = (
        Column("characteristic", "Characteristic (para 91)", max_width=40),
        Column("distinct", "Distinct values", "number"),
        Column("weight", "Weight", "number"),
    )
    return [
        Sheet("Children", columns, children),
        Sheet("Rules", rule_columns, rules),
        Sheet("Spread", spread_columns, spread),
    ]


def selection_csv(report: TrackingReport) -> str:
    """One row per chosen child and reserve (ids and codes only, plus ``--show`` columns)."""
    return csv_text(selection_sheets(report)[0])


def selection_workbook(report: TrackingReport) -> bytes:
    """The selection as a workbook: children, rules, spread, and how it was made."""
    sel = report.selection
    about = about_rows(
        _title(report),
        None,
        ("Notification", report.notification),
        ("Seed", sel.seed),
        ("In scope", sel.pool),
        ("Spread", _spread_text(report)),
        ("Legend", LEGEND),
        ("Rows left out", report.lists.excluded_rows()),
        *(("Warning", as_flags(w)) for w in report.warnings),
        ("Children's data", "Pseudonymous Unique IDs only; keep this file owner-only."),
    )
    return workbook(selection_sheets(report), about)


_HEADERS = ("Unique ID", "List", "Age", "Primary need", "Phase", "Social care")


def _cells(child: Child) -> list[str]:
    return [
        child.id,
        f"{child.list} ({LIST_NAMES[child.list]})",
        child.age_group,
        _need(child),
        _phase(child),
        _social_care(child),
    ]


def _title(report: TrackingReport) -> str:
    return (
        f"Tracking meetings: {report.local_area} (ages at notification, "
        f"{date_text(report.notification)}; seed {report.selection.seed}; "
        f"{report.selection.pool:,} in scope)"
    )


def _rule_rows(report: TrackingReport) -> list[list[str]]:
    return [
        [r.rule.title, "yes" if r.met else "NO", ", ".join(r.ids) or "-", as_flags(r.reason)]
        for r in report.selection.rules
    ]


def spread_text(name: str, count: int) -> str:
    """``5 age groups``, ``1 list (EHC plan, SEN support)``: a spread count in words."""
    one, many, kinds = SPREAD_WORDS[name]
    return plural(count, one, many) + (f" ({kinds})" if kinds else "")


def _spread_text(report: TrackingReport) -> str:
    parts = [spread_text(name, n) for name, n, _ in report.selection.spread]
    sel = report.selection
    return (
        "Spread (para 91): " + ", ".join(parts) + f"; score {sel.score} "
        f"(best found {sel.best_score}; any within {TOLERANCE:.0%} may be chosen)."
    )


def selection_renderable(report: TrackingReport) -> RenderableType:
    """Chosen children, the rules' coverage, the spread and the reserves as Rich tables."""
    from rich.console import Group
    from rich.text import Text

    from sendplan.render.tables import Col, FitTable

    shown = _shown_headings(report)
    child_columns = [
        Col("Unique ID", key=True, wrap=False),
        Col("List", ratio=1),
        Col("Age", wrap=False),
        Col("Primary need", ratio=1),
        Col("Phase", ratio=1),
        Col("Social care", ratio=1, drop=1),
    ]
    extra_columns = [Col(h, ratio=1, drop=2) for h in shown]
    chosen = FitTable(
        [*child_columns, Col("Rules (para 92)", ratio=1), *extra_columns], title="Chosen"
    )
    for c in report.selection.selected:
        extra = dict(c.child.shown)
        met = ", ".join(RULE_SHORT[r] for r in c.rules)
        if c.included:
            met = (met + " " if met else "") + "[included]"
        chosen.add_row(*_cells(c.child), met, *(extra.get(h, "") for h in shown))

    rules = FitTable(
        [
            Col("Rule", ratio=3),
            Col("Met", wrap=False),
            Col("Who", key=True, ratio=2),
            Col("Why not", ratio=2),
        ],
        title="Rules (para 92)",
    )
    for row, result in zip(_rule_rows(report), report.selection.rules, strict=True):
        rules.add_row(*row, style=None if result.met else "bold red")

    reserves = FitTable(
        [*child_columns, Col("Can replace", key=True, ratio=1), *extra_columns], title="Reserves"
    )
    for r in report.selection.reserves:
        extra = dict(r.child.shown)
        reserves.add_row(
            *_cells(r.child), ", ".join(r.replaces), *(extra.get(h, "") for h in shown)
        )
    parts: list[RenderableType] = [
        Text(_title(report), style="bold"),
        chosen,
        Text(LEGEND, style="dim"),
        rules,
        Text(_spread_text(report)),
    ]
    if report.selection.reserves:
        parts.append(reserves)
    return Group(*parts)


def selection_markdown(report: TrackingReport) -> str:
    shown = _shown_headings(report)
    lines = [f"# {md_escape(_title(report))}", "", "## Chosen", ""]
    lines += markdown_table(
        (*_HEADERS, "Rules (para 92)", *shown),
        [
            _cells(c.child)
            + [", ".join(RULE_SHORT[r] for r in c.rules) + (" [included]" if c.included else "")]
            + [dict(c.child.shown).get(h, "") for h in shown]
            for c in report.selection.selected
        ],
    )
    lines += ["", md_escape(LEGEND), "", "## Rules (para 92)", ""]
    lines += markdown_table(("Rule", "Met", "Who", "Why not"), _rule_rows(report))
    lines += ["", md_escape(_spread_text(report)), ""]
    if report.selection.reserves:
        lines += ["## Reserves", ""]
        lines += markdown_table(
            (*_HEADERS, "Can replace", *shown),
            [
                _cells(r.child)
                + [", ".join(r.replaces)]
                + [dict(r.child.shown).get(h, "") for h in shown]
                for r in report.selection.reserves
            ],
        )
        lines.append("")
    if report.warnings:
        lines += (
            ["## Warnings", ""] + [f"- {md_escape(as_flags(w))}" for w in report.warnings] + [""]
        )
    return "\n".join(lines)


# ------------------------------------------------------------------ lists check
def check_summary(findings: Sequence[Finding]) -> list[tuple[str, str, int]]:
    """(severity, problem, how many) for each kind found, errors first."""
    counts = Counter((f.severity, f.kind) for f in findings)
    order = list(PROBLEMS)
    return [
        (severity, PROBLEMS[kind], n)
        for (severity, kind), n in sorted(
            counts.items(), key=lambda item: (item[0][0] != "error", order.index(item[0][1]))
        )
    ]


def _finding_cells(f: Finding) -> list[str]:
    column = f"{f.letter} ({f.column})" if f.column else ""
    return [str(f.list), str(f.row), column, f.message, f.severity]


def check_json(lists: Lists) -> str:
    findings = lists.findings
    return to_json(
        {
            "lists": [
                {
                    "list": d.number,
                    "source": d.source,
                    "rows": d.rows,
                    "usable": len(d.children),
                    "columns_not_found": d.absent,
                    "residence_column": d.has_residence,
                }
                for d in lists.lists
            ],
            "errors": sum(f.severity == "error" for f in findings),
            "queries": sum(f.severity == "query" for f in findings),
            "summary": [
                {"severity": s, "problem": p, "count": n} for s, p, n in check_summary(findings)
            ],
            "findings": [f.to_json() for f in findings],
        }
    )


_FINDING_COLUMNS = (
    Column("list", "List", "number"),
    Column("row", "Row", "number"),
    Column("column_letter", "Column", "code"),
    Column("column", "Heading", max_width=40),
    Column("problem", "Problem", max_width=60),
    Column("severity", "Severity", "code"),
)


def check_sheets(lists: Lists) -> list[Sheet]:
    """Every problem by list, row and column; the summary; each list's shape."""
    problems = [[f.list, f.row, f.letter, f.column, f.message, f.severity] for f in lists.findings]
    summary = [[s, p, n] for s, p, n in check_summary(lists.findings)]
    summary_columns = (
        Column("severity", "Severity", "code"),
        Column("problem", "Problem", max_width=60),
        Column("rows", "Rows", "number"),
    )
    shapes = [
        [d.number, d.source, d.rows, len(d.children), ", ".join(d.absent), d.has_residence]
        for d in lists.lists
    ]
    shape_columns = (
        Column("list", "List", "number"),
        Column("source", "File", max_width=40),
        Column("rows", "Rows", "number"),
        Column("usable", "Usable", "number"),
        Column("columns_not_found", "Template columns not found", max_width=60),
        Column("residence_column", "Residence column", "code"),
    )
    return [
        Sheet("Problems", _FINDING_COLUMNS, problems),
        Sheet("Summary", summary_columns, summary),
        Sheet("Lists", shape_columns, shapes),
    ]


def check_csv(lists: Lists) -> str:
    return csv_text(check_sheets(lists)[0])


def check_workbook(lists: Lists, today: date, local_area: str = "") -> bytes:
    """The check as a workbook; ``local_area`` (the case's, when given) heads each page."""
    about = about_rows(
        f"Person-level lists check: {local_area}" if local_area else "Person-level lists check",
        today,
        ("Verdict", _check_verdict(lists.findings)),
        ("Children's data", "Problems by position only, never a cell's content."),
    )
    return workbook(check_sheets(lists), about)


def _check_heading(lists: Lists) -> list[str]:
    out = []
    for d in lists.lists:
        line = f"List {d.number} ({d.source}): {plural(d.rows, 'row')}, {len(d.children):,} usable"
        if d.absent:
            line += f"; template columns not found: {', '.join(d.absent)}"
        out.append(line)
    return out


def check_renderable(lists: Lists, limit: int = 200) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    from sendplan.render.tables import Col, FitTable

    findings = lists.findings
    parts: list[RenderableType] = [Text(line) for line in _check_heading(lists)]
    if findings:
        table = FitTable(
            [
                Col("List", wrap=False),
                Col("Row", key=True, wrap=False, justify="right"),
                Col("Column", key=True, ratio=1),
                Col("Problem", ratio=4, min_width=16),
                Col("Severity", wrap=False),
            ],
            title="Problems",
        )
        for f in findings[:limit]:
            table.add_row(*_finding_cells(f), style="red" if f.severity == "error" else None)
        parts.append(table)
        if len(findings) > limit:
            parts.append(
                Text(f"... and {len(findings) - limit:,} more (--limit, or --format csv for all)")
            )
    summary = FitTable(
        [Col("Severity", wrap=False), Col("Problem", ratio=1), Col("Rows", wrap=False)],
        title="Summary",
    )
    for severity, problem, n in check_summary(findings):
        summary.add_row(severity, problem, f"{n:,}")
    parts.append(summary if findings else Text("No problems found.", style="bold"))
    parts.append(Text(_check_verdict(findings), style="bold"))
    return Group(*parts)


def _check_verdict(findings: Sequence[Finding]) -> str:
    errors = sum(f.severity == "error" for f in findings)
    queries = len(findings) - errors
    if errors:
        return (
            f"{plural(errors, 'error')} and {plural(queries, 'query', 'queries')}: "
            f"fix the {plural(errors, 'error', number=False)} before sending."
        )
    if queries:
        return f"No errors; {plural(queries, 'query', 'queries')} to look at before sending."
    return "Ready to send."


def check_markdown(lists: Lists) -> str:
    findings = lists.findings
    lines = ["# Person-level lists check", ""]
    lines += [f"- {md_escape(line)}" for line in _check_heading(lists)] + [""]
    lines += ["## Summary", ""]
    lines += markdown_table(
        ("Severity", "Problem", "Rows"), [[s, p, str(n)] for s, p, n in check_summary(findings)]
    )
    lines += ["", "## Problems", ""]
    lines += markdown_table(
        ("List", "Row", "Column", "Problem", "Severity"), [_finding_cells(f) for f in findings]
    )
    lines += ["", md_escape(_check_verdict(findings)), ""]
    return "\n".join(lines)

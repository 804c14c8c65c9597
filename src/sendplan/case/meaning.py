"""What a case file means, checked beyond its schema: dates in order, the
kind's own section, people and providers that the rest of the file names."""

from collections.abc import Mapping
from typing import Any

from sendplan.annex import checklist_issues
from sendplan.case.absences import absence_issues
from sendplan.case.records import KIND_SECTIONS
from sendplan.case.timetable import (
    timetable_issues,
)
from sendplan.errors import suggestion_text
from sendplan.rules import KINDS, load_rules
from sendplan.schema import (
    Issue,
    shown,
)


def meaning_issues(clean: dict[str, Any], schema_issues: list[Issue]) -> list[Issue]:
    """:func:`_check_meaning`, also on a file with schema problems, so that
    ``sendplan validate`` lists every problem at once.

    On a partly valid file the checks see only what validated (a wrong value
    is None, a missing key absent).  They were written for valid data, so if
    one trips over what is left, the schema problems are reported alone.
    """
    if not schema_issues:
        return _check_meaning(clean)
    inspection = clean.get("inspection")
    if not isinstance(inspection, dict) or inspection.get("kind") not in KINDS:
        return []
    if any(i.path[:2] == ("inspection", "kind") for i in schema_issues):
        return []
    try:
        extra = _check_meaning(clean)
    except (KeyError, TypeError, AttributeError, ValueError):
        return []

    def explained(issue: Issue) -> bool:
        # Reported already, or likely caused by a near-miss key beneath it (a
        # misspelt `on_site_start` leaves no date to plan from).
        return any(
            s.path == issue.path or (s.path[: len(issue.path)] == issue.path and s.suggestion)
            for s in schema_issues
        )

    return [i for i in extra if not explained(i)]


def _check_meaning(clean: dict[str, Any]) -> list[Issue]:
    """Checks that need more than one key: dates present, ranges (the schema has
    checked the kind is one of :data:`sendplan.rules.KINDS`)."""
    issues: list[Issue] = []
    inspection = clean["inspection"]
    kind = inspection["kind"]
    rules = load_rules(kind)
    issues += _check_kind(clean, kind, rules.params)
    issues += checklist_issues(clean)
    issues += timetable_issues(clean)
    issues += absence_issues(clean)
    issues += _survey_link_issues(clean)
    # A case without dates is valid (issue 23): the weeks before the call are
    # planned with `sendplan ready`; commands that need dates say so.
    days = inspection.get("on_site_days")
    low, high = rules.params.get("on_site_days_min"), rules.params.get("on_site_days_max")
    if days is not None and low is not None and high is not None and not low <= days <= high:
        issues.append(
            Issue(
                ("inspection", "on_site_days"),
                f"must be {low} to {high} for a {rules.title}, got {shown(days)}"
                + _cited(rules.params, longest=days > high),
            )
        )
    for i, holiday in enumerate(clean.get("calendar", {}).get("school_holidays") or ()):
        if holiday["end"] < holiday["start"]:
            issues.append(
                Issue(
                    ("calendar", "school_holidays", i, "end"),
                    f"{holiday['end']} is before the holiday's start, {holiday['start']}",
                    "`end` is the holiday's last day",
                )
            )
    known = [r.id for r in rules.rules]
    for key in clean.get("dates", {}):
        if key not in known:
            issues.append(
                Issue(
                    ("dates", key),
                    "is not an event of this inspection",
                    suggestion_text(key, known),
                )
            )
    return issues


def _survey_links(clean: Mapping[str, Any]) -> list[tuple[str, str]]:
    links = (clean.get("letters") or {}).get("survey_links") or {}
    return [(key, link) for key, link in links.items() if isinstance(link, str)]


def _survey_link_issues(clean: Mapping[str, Any]) -> list[Issue]:
    """A survey link goes into the letter to parents (para 88): a web address only.
    ``javascript:``, ``data:`` or ``file:`` would run or open something else."""
    return [
        Issue(
            ("letters", "survey_links", key),
            "must be a web address starting https:// (the survey the inspectors "
            "shared, para 88); other links (javascript:, data:, file:) are refused, as "
            "they would run or open something from the letter to parents",
        )
        for key, link in _survey_links(clean)
        if not link.lower().startswith(("https://", "http://")) or len(link.split()) != 1
    ]


def case_warnings(clean: Mapping[str, Any]) -> tuple[str, ...]:
    """What a valid case should still change: a survey link over plain http."""
    return tuple(
        f"[letters.survey_links] {key} is an http:// link: the surveys are shared over "
        "https:// (para 88), and a plain http link can be altered on its way to parents; "
        "check it and write https://"
        for key, link in _survey_links(clean)
        if link.lower().startswith("http://")
    )


def _cited(params: Mapping[str, Any], longest: bool = False) -> str:
    """`` (re-visit guidance para 19)`` when the rules name the on-site days' source
    (``longest``: the source of the maximum, where the guidance gives none)."""
    source = (longest and params.get("on_site_days_max_source")) or params.get(
        "on_site_days_source"
    )
    return f" ({source})" if source else ""


def _check_kind(clean: dict[str, Any], kind: str, params: Mapping[str, Any]) -> list[Issue]:
    """Sections and keys that belong to one kind (monitoring, re-visit, engagement)."""
    issues: list[Issue] = []
    inspection = clean["inspection"]
    for other_kind, section in KIND_SECTIONS.items():
        if section in clean and other_kind != kind:
            issues.append(
                Issue(
                    (section,),
                    f"the [{section}] section is for kind = {other_kind!r}, "
                    f"but this case is kind = {kind!r}",
                )
            )
    if "areas_for_priority_action" in inspection and (
        kind != "full" or inspection.get("outcome") != "widespread"
    ):
        issues.append(
            Issue(
                ("inspection", "areas_for_priority_action"),
                "areas for priority action follow a full inspection with the outcome "
                "`widespread` (handbook para 146); monitoring inspections list them in "
                "[monitoring] areas_for_priority_action",
            )
        )
    if kind == "revisit" and "on_site_days" not in inspection:
        issues.append(
            Issue(
                ("inspection", "on_site_days"),
                f"is required for a WSoA re-visit: {params.get('on_site_days_min')} to "
                f"{params.get('on_site_days_max')} days, as the inspectors say at notification "
                f"({params.get('on_site_days_source', 're-visit guidance para 19')})",
            )
        )
    if kind == "engagement":
        for key in ("notification", "on_site_start", "on_site_days", "outcome"):
            if key in inspection:
                issues.append(
                    Issue(
                        ("inspection", key),
                        "an engagement meeting is not an inspection (para 180); give the "
                        "meeting's date as [engagement] meeting_date instead",
                    )
                )
        given = "meeting_date" in clean.get("engagement", {})
        if not given and "engagement_meeting" not in clean.get("dates", {}):
            issues.append(
                Issue(
                    ("engagement", "meeting_date"),
                    "is required for an engagement meeting (the date agreed, para 188)",
                )
            )
    return issues

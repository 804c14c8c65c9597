"""One case per kind and variant for the issue-20 fidelity tests (not a test module).

Full inspection; monitoring, plan-led and triggered by concern; WSoA re-visits
before and after July 2022 (CCGs, then ICBs; Her, then His Majesty's
Inspector); engagement meeting.  Each names its people, so every letter renders.
"""

from __future__ import annotations

from pathlib import Path

from sendplan import letters as lt
from sendplan.case import parse_case
from sendplan.schedule import Schedule, build_schedule

PEOPLE = """
[people.dcs]
name = "Alex Morgan"
[people.lano]
name = "Sam Taylor"
email = "sam@example.org"
[people.icb_representative]
name = "Jordan Lee"
[people.icb_chief_executive]
name = "Pat Kim"
[people.pcf_contact]
name = "Chris Evans"
[people.lead_inspector]
name = "Robin Clarke"
[people.cqc_inspector]
name = "Ali Shah"
[[providers]]
name = "Example School"
[tracking]
selected = ["UID-0042"]
"""

CASES: dict[str, str] = {
    "full": '[inspection]\nkind = "full"\nlocal_area = "Testshire"\n'
    'on_site_start = 2025-05-12\noutcome = "widespread"\n',
    "monitoring-plan": '[inspection]\nkind = "monitoring"\nlocal_area = "Testshire"\n'
    "on_site_start = 2026-01-19\n[monitoring]\nfull_report_published = 2024-07-22\n"
    'areas_for_priority_action = ["Timeliness of EHC plans"]\nilacs_monitoring_visits = []\n',
    "monitoring-concern": '[inspection]\nkind = "monitoring"\nlocal_area = "Testshire"\n'
    "on_site_start = 2026-01-19\n[monitoring]\ntriggered_by_concern = true\n"
    'concerns = ["Waiting times for therapy assessments"]\nilacs_monitoring_visits = []\n',
    "revisit-2019": '[inspection]\nkind = "revisit"\nlocal_area = "Testshire"\n'
    "on_site_start = 2019-11-04\non_site_days = 4\n[revisit]\n"
    'areas_of_significant_weakness = ["Joint commissioning"]\n',
    "revisit-2022": '[inspection]\nkind = "revisit"\nlocal_area = "Testshire"\n'
    "on_site_start = 2022-10-03\non_site_days = 3\n[revisit]\n"
    'areas_of_significant_weakness = ["Joint commissioning"]\n',
    "engagement": '[inspection]\nkind = "engagement"\nlocal_area = "Testshire"\n'
    "[engagement]\nmeeting_date = 2026-03-17\n",
}


def case_text(variant: str, extra: str = "") -> str:
    people = PEOPLE
    if variant.startswith("revisit"):
        people = people.replace('[[providers]]\nname = "Example School"\n', "")
    return CASES[variant] + extra + people


def schedule_of(variant: str, extra: str = "") -> Schedule:
    return build_schedule(parse_case(case_text(variant, extra), Path("case.toml")))


def letters_of(variant: str, extra: str = "") -> dict[str, str]:
    """Every letter of the variant's case, by template name (one per child/provider)."""
    case = parse_case(case_text(variant, extra), Path("case.toml"))
    found, _ = lt.render_all(case, build_schedule(case))
    out: dict[str, str] = {}
    for letter in found:
        out.setdefault(letter.template.name, letter.text)
    return out

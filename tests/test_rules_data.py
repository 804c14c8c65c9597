"""What the rules data says beyond dates (issue 24: each fact once): the page's
milestones and the report's steps on the rules, the swim lanes in data/lanes.toml,
the events the code asks for by name; and the clear errors a bad rules file gets."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest

from sendplan import rules as rules_module
from sendplan.case import CASE_SCHEMA, load_case
from sendplan.errors import RuleError
from sendplan.events import NOTIFICATION, ON_SITE_END, ON_SITE_START, PUBLICATION
from sendplan.rules import (
    KINDS,
    MILESTONE_LENGTH,
    ROLES,
    Lane,
    load_lanes,
    load_rules,
    parse_lanes,
    parse_rules,
)
from sendplan.schedule import build_schedule
from sendplan.schema import declares

ROOT = Path(__file__).resolve().parents[1]
DATED_EXAMPLES = [p for p in sorted((ROOT / "examples").glob("*.toml")) if load_case(p).has_dates]


def packaged(kind: str) -> dict[str, Any]:
    """A fresh copy of a packaged rules file, parsed, to spoil in a test."""
    path = rules_module.RULES_DIR / f"{kind}.toml"
    return copy.deepcopy(tomllib.loads(path.read_text(encoding="utf-8")))


def rule_of(data: dict[str, Any], rule_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(r for r in data["rule"] if r["id"] == rule_id)
    return found


# ------------------------------------------------------------------ the packaged data
@pytest.mark.parametrize("case_path", DATED_EXAMPLES, ids=lambda p: p.stem)
def test_the_report_steps_run_in_date_order_after_the_inspection(case_path: Path) -> None:
    plan = build_schedule(load_case(case_path))
    steps = plan.rules.report_steps
    if plan.case.kind == "engagement":
        assert steps == ()  # a meeting note, not a report (para 190)
        return
    # The last step is the publication; each step is after the inspection and
    # no step falls before the one it follows.
    assert steps[-1] == PUBLICATION
    events = [plan.event(step) for step in steps]
    assert all(e.stage == "after" for e in events)
    dates = [e.date for e in events]
    assert dates == sorted(dates), list(zip(steps, dates, strict=True))


def test_each_kind_names_its_report_steps_and_milestones() -> None:
    assert load_rules("full").report_steps == (
        "draft_report_due",
        "factual_accuracy_due",
        "final_report_due",
        "publication_due",
    )
    assert load_rules("revisit").report_steps[0] == "draft_letter_received"
    assert load_rules("monitoring").report_steps[0] == "draft_letter_due"
    assert load_rules("engagement").milestones == {
        "engagement_meeting": "Meeting",
        "meeting_note_due": "Meeting note",
    }
    for kind in KINDS:
        ruleset = load_rules(kind)
        # Every report step is a milestone on the timeline too.
        assert set(ruleset.report_steps) <= set(ruleset.milestones), kind
        assert all(0 < len(m) <= MILESTONE_LENGTH for m in ruleset.milestones.values())


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "engagement"])
def test_the_named_events_are_every_inspections_rules(kind: str) -> None:
    ruleset = load_rules(kind)
    ids = {r.id for r in ruleset.rules}
    assert {NOTIFICATION, ON_SITE_START, ON_SITE_END, PUBLICATION} <= ids
    # The call and the first on-site day are also the case file's own keys.
    for event_id in (NOTIFICATION, ON_SITE_START):
        key = ruleset.rule(event_id).input
        assert key == f"inspection.{event_id}"
        assert declares(CASE_SCHEMA, key)
    assert ruleset.day_last == ON_SITE_END
    assert ruleset.day_one in (NOTIFICATION, ON_SITE_START)


def test_an_engagement_meeting_has_none_of_the_named_events() -> None:
    ids = {r.id for r in load_rules("engagement").rules}
    assert not ids & {NOTIFICATION, ON_SITE_START, ON_SITE_END, PUBLICATION}


def lanes_data() -> dict[str, Any]:
    """A fresh copy of data/lanes.toml, parsed."""
    return tomllib.loads(rules_module.LANES_FILE.read_text(encoding="utf-8"))


def test_every_role_is_in_exactly_one_lane() -> None:
    lanes = load_lanes()
    placed = [role for lane in lanes for role in lane.roles]
    assert sorted(placed) == sorted(ROLES)
    # The roles data/eras.toml renames to are in lanes too (ccg -> icb).
    from sendplan.eras import changes

    renamed = {r for change in changes().values() for pair in change.roles.items() for r in pair}
    assert renamed and renamed <= set(placed)


def test_the_page_draws_the_packaged_lanes() -> None:
    from sendplan.overview import LANES, lanes_of

    assert LANES is load_lanes()  # one load, cached
    assert [lane.id for lane in LANES] == ["inspectors", "partnership", "icb", "pcf", "providers"]
    # The 2018 re-visit guidance's CCGs are the health commissioners' lane, with the ICB.
    assert lanes_of(["ccg"]) == lanes_of(["icb"]) == ["icb"]
    assert lanes_of(["local_area", "ccg"]) == ["partnership", "icb"]


# ------------------------------------------------------------------ bad rules files
def without(role: str) -> tuple[Lane, ...]:
    """The packaged lanes with ``role`` taken out of its lane."""
    return tuple(
        lane._replace(roles=tuple(r for r in lane.roles if r != role)) for lane in load_lanes()
    )


def test_a_role_in_no_lane_fails_naming_the_file_rule_and_role() -> None:
    data = packaged("revisit")
    with pytest.raises(RuleError) as caught:
        parse_rules("revisit", data, "my/revisit.toml", without("ccg"))
    assert str(caught.value) == (
        "rules for revisit (my/revisit.toml): rule `notification` key `who` names role `ccg`, "
        "which is in no swim lane; add it to a lane's roles in sendplan/data/lanes.toml "
        "(lanes: inspectors, partnership, icb, pcf, providers)"
    )
    # With the role in a lane, the same rules load.
    assert parse_rules("revisit", data, "my/revisit.toml", load_lanes()).kind == "revisit"


def test_a_variants_roles_are_checked_too() -> None:
    data = packaged("monitoring")
    variant = rule_of(data, "pcf_notification")["variant"]["monitoring.triggered_by_concern"]
    variant["who"] = ["inspectors", "parent"]
    with pytest.raises(RuleError) as caught:
        parse_rules("monitoring", data, "my/monitoring.toml")
    message = str(caught.value)
    assert message.startswith("rules for monitoring (my/monitoring.toml): rule `pcf_notification`")
    assert "key `variant.'monitoring.triggered_by_concern'.who`: unknown role `parent`" in (message)
    assert "parents" in message  # the suggestion
    variant["who"] = ["inspectors", "pcf"]
    with pytest.raises(RuleError, match="names role `pcf`, which is in no swim lane"):
        parse_rules("monitoring", data, "my/monitoring.toml", without("pcf"))


@pytest.mark.parametrize(
    ("spoil", "expected"),
    [
        (
            lambda d: d["lane"][2]["roles"].append("icbs"),
            "lanes.toml: lane 3 (`icb`): unknown role `icbs` (did you mean `icb`?)",
        ),
        (
            lambda d: d["lane"][4]["roles"].append("lano"),
            "lanes.toml: lane 5 (`providers`): role `lano` is already in lane `partnership`",
        ),
        (
            lambda d: d["lane"][1].update(id="inspectors"),
            "lanes.toml: lane 2: duplicate lane id `inspectors`",
        ),
        (
            lambda d: d["lane"][0].pop("label"),
            "lanes.toml: lane 1 needs exactly the keys id, label and roles, not ['id', 'roles']",
        ),
        (
            lambda d: d["lane"][0].update(roles="inspectors"),
            "lanes.toml: lane 1 (`inspectors`): `roles` must be a list of role ids",
        ),
        (lambda d: d.pop("lane"), "lanes.toml: no [[lane]]"),
    ],
    ids=["unknown-role", "two-lanes", "duplicate-id", "no-label", "roles-not-a-list", "none"],
)
def test_a_bad_lanes_file_fails_clearly(spoil: Any, expected: str) -> None:
    data = lanes_data()
    spoil(data)
    with pytest.raises(RuleError) as caught:
        parse_lanes(data, "lanes.toml")
    assert str(caught.value).startswith(expected)


@pytest.mark.parametrize(
    "label",
    ["", "   ", "A label far too long for a mark", "Two\nlines", 7, ["Notified"]],
    ids=["empty", "blank", "long", "two-lines", "number", "list"],
)
def test_a_bad_milestone_fails_with_the_rule_and_key(label: object) -> None:
    data = packaged("full")
    rule_of(data, "notification")["milestone"] = label
    with pytest.raises(RuleError) as caught:
        parse_rules("full", data, "my/full.toml")
    message = str(caught.value)
    assert message.startswith("rules for full (my/full.toml): rule `notification`")
    assert "key `milestone` must be a short name of 1 to 20 characters" in message
    assert repr(label) in message


def test_a_milestone_on_no_rule_is_an_unknown_key() -> None:
    # A milestone is said on the rule that is the event: there is no table of
    # milestones to name an unknown event in, and a misspelt key is refused.
    data = packaged("full")
    rule_of(data, "notification")["milestones"] = "Notified"
    with pytest.raises(RuleError, match=r"rule 'notification' has unknown keys \['milestones'\]"):
        parse_rules("full", data, "my/full.toml")
    data = packaged("monitoring")
    rule_of(data, "pcf_notification")["variant"]["monitoring.triggered_by_concern"]["milestone"] = (
        "Told"
    )
    with pytest.raises(RuleError, match=r"`pcf_notification` variant has unknown keys"):
        parse_rules("monitoring", data)


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ({"draft_report_due": 0}, "key `report_step` must be the step's number"),
        ({"draft_report_due": "1"}, "key `report_step` must be the step's number"),
        ({"draft_report_due": True}, "key `report_step` must be the step's number"),
        ({"draft_report_due": 2}, "given `draft_report_due` = 2, `factual_accuracy_due` = 2"),
        ({"publication_due": 5}, "`final_report_due` = 3, `publication_due` = 5"),
        ({"complaint_deadline": 4}, "`complaint_deadline` = 4, `publication_due` = 4"),
    ],
    ids=["zero", "text", "boolean", "twice", "gap", "repeated"],
)
def test_a_bad_report_step_fails_clearly(steps: dict[str, object], expected: str) -> None:
    data = packaged("full")
    for rule_id, step in steps.items():
        rule_of(data, rule_id)["report_step"] = step
    with pytest.raises(RuleError) as caught:
        parse_rules("full", data, "my/full.toml")
    message = str(caught.value)
    assert message.startswith("rules for full (my/full.toml): ")
    assert expected in message


def test_load_rules_names_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    text = (rules_module.RULES_DIR / "full.toml").read_text(encoding="utf-8")
    spoilt = text.replace('milestone = "Notified"', 'milestone = ""', 1)
    assert spoilt != text
    (tmp_path / "full.toml").write_text(spoilt, encoding="utf-8")
    monkeypatch.setattr(rules_module, "RULES_DIR", tmp_path)
    with pytest.raises(RuleError, match=f"rules for full \\({tmp_path / 'full.toml'}\\): rule"):
        load_rules.__wrapped__("full")
    # The packaged files are named from the package: sendplan/data/rules/full.toml.
    monkeypatch.undo()
    assert rules_module._shown(rules_module.RULES_DIR / "full.toml") == (
        "sendplan/data/rules/full.toml"
    )


# ------------------------------------------------------------------ case keys the rules read
MONITORING = ROOT / "examples" / "monitoring-inspection.toml"


def spoilt_case_key(where: str) -> dict[str, Any]:
    """The monitoring rules with one case-file key misspelt: a variant's
    condition, an advisory's ``input`` or a rule's ``input``."""
    data = packaged("monitoring")
    if where == "variant":
        rule = rule_of(data, "pcf_notification")
        rule["variant"] = {"monitoring.triggerd_by_concern": rule["variant"].popitem()[1]}
    elif where == "advisory":
        data["advisories"]["visit_limit"]["input"] = "monitoring.ilacs_visits"
    else:
        rule_of(data, "notification")["input"] = "inspection.notifcation"
    return data


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("variant", "`pcf_notification` reads case-file key `monitoring.triggerd_by_concern`"),
        ("advisory", "`advisories.visit_limit` reads case-file key `monitoring.ilacs_visits`"),
        ("input", "`notification` reads case-file key `inspection.notifcation`"),
    ],
)
def test_a_misspelt_case_key_in_the_rules_fails_loudly(where: str, expected: str) -> None:
    # Each would read as "not given" (None) for ever: a variant never applying,
    # para 22's visit count never checked, the notification never read.
    ruleset = parse_rules("monitoring", spoilt_case_key(where))
    case = load_case(MONITORING)
    with pytest.raises(RuleError, match=f"rules for monitoring: {expected}, which the case file"):
        build_schedule(case, rules=ruleset)
    # Unspoilt, the same case builds.
    assert build_schedule(case, rules=parse_rules("monitoring", packaged("monitoring"))).events

"""Choosing children and young people for tracking meetings (handbook paras 90-93)."""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from cli_harness import run_cli
from sendplan.case import load_case
from sendplan.cli import error_text
from sendplan.lists import AREA_OF_NEED, Child, age_group
from sendplan.render.flags import as_flags
from sendplan.tracking import HARD_RULES, HardRule, SelectionError, select_for_tracking

ROOT = Path(__file__).resolve().parents[1]
LISTS = ROOT / "examples" / "lists"
EXAMPLE_CASE = ROOT / "examples" / "full-inspection.toml"

NEEDS = ["ASD", "SLCN", "SEMH", "MLD", "SPLD", "SLD", "HI", "VI", "PD", "OTH"]


def child(
    uid: str,
    list_no: int = 1,
    age: int = 8,
    need: str = "ASD",
    phase: str = "b",
    ap: bool | None = None,
    resident: bool | None = True,
    social_care: str = "not known",
    gender: str = "m",
) -> Child:
    return Child(
        id=uid,
        list=list_no,
        row=2,
        age=age,
        age_group=age_group(age),
        primary_need=need,
        area=AREA_OF_NEED.get(need),
        phase=phase,
        alternative_provision=phase == "h" if ap is None else ap,
        setting=f"URN{uid}",
        social_care=social_care,
        social_care_team="Children in need" if social_care == "known" else "",
        gender=gender,
        ethnicity="wbri",
        disability="yes",
        resident=resident,
    )


def population(n: int = 400, seed: int = 5, ap: bool = True) -> list[Child]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        list_no = 1 if rng.random() < 0.3 else 2
        phase = rng.choice("abdfg")
        if ap and rng.random() < 0.02:
            phase = "h"
        out.append(
            child(
                f"C{i:04d}",
                list_no,
                rng.randrange(0, 26),
                rng.choice(NEEDS),
                phase,
                social_care=rng.choice(["known", "not known", "not known"]),
                gender=rng.choice("mf"),
            )
        )
    return out


def rules_met(chosen: Sequence[Child]) -> set[str]:
    """The para 92 rules a set meets, worked out afresh (not with the code under test)."""
    areas = {AREA_OF_NEED.get(c.primary_need) for c in chosen}
    met = set()
    if any(c.alternative_provision for c in chosen):
        met.add("alternative_provision")
    if sum(c.list == 2 for c in chosen) >= 2:
        met.add("sen_support")
    for area in ("communication_interaction", "cognition_learning", "semh", "sensory_physical"):
        if area in areas:
            met.add(f"area_{area}")
    return met


ALL_RULES = {r.id for r in HARD_RULES}


# ------------------------------------------------------------------ the hard rules
@pytest.mark.parametrize("seed", range(8))
def test_every_hard_rule_is_met_when_the_data_allow(seed: int) -> None:
    pool = population(seed=seed)
    selection = select_for_tracking(pool, seed=seed)
    chosen = [c.child for c in selection.selected]
    assert len(chosen) == 6
    assert rules_met(chosen) == ALL_RULES
    assert selection.all_rules_met
    assert all(r.met for r in selection.rules)


def test_rare_children_are_found_in_a_big_pool() -> None:
    # One child in alternative provision and one with a sensory need among 20,000.
    pool = [child(f"C{i}", 2, 9, "SEMH" if i % 2 else "ASD", "b") for i in range(20_000)]
    pool += [child("AP", 1, 14, "MLD", "h"), child("HI", 1, 3, "HI", "a")]
    selection = select_for_tracking(pool, seed=3)
    ids = {c.child.id for c in selection.selected}
    assert {"AP", "HI"} <= ids
    assert selection.all_rules_met


def test_hard_rule_on_each_rule_alone() -> None:
    # Exactly one child can satisfy each of the area rules and AP: all must be taken.
    pool = [
        child("CI", 1, 7, "SLCN"),
        child("CL", 1, 12, "MLD"),
        child("SE", 1, 16, "SEMH"),
        child("SP", 1, 21, "VI"),
        child("AP", 1, 13, "OTH", "h"),
        child("S1", 2, 6, "OTH"),
        child("S2", 2, 9, "OTH"),
        *[child(f"X{i}", 1, 9, "OTH") for i in range(30)],
    ]
    selection = select_for_tracking(pool, count=7, seed=1)
    ids = {c.child.id for c in selection.selected}
    assert ids == {"CI", "CL", "SE", "SP", "AP", "S1", "S2"}
    by_rule = {r.rule.id: r.ids for r in selection.rules}
    assert by_rule["alternative_provision"] == ("AP",)
    assert set(by_rule["sen_support"]) == {"S1", "S2"}


def test_infeasible_rule_is_reported_and_the_best_choice_still_given() -> None:
    pool = population(ap=False)
    selection = select_for_tracking(pool, seed=2)
    assert len(selection.selected) == 6
    results = {r.rule.id: r for r in selection.rules}
    assert not results["alternative_provision"].met
    assert "no child or young person in scope is in alternative provision" in (
        results["alternative_provision"].reason
    )
    assert rules_met([c.child for c in selection.selected]) == ALL_RULES - {"alternative_provision"}


def test_too_few_on_sen_support() -> None:
    pool = [child(f"E{i}", 1, 5 + i, NEEDS[i % len(NEEDS)]) for i in range(12)]
    pool.append(child("ONLY", 2, 10, "HI"))
    selection = select_for_tracking(pool, seed=1)
    result = {r.rule.id: r for r in selection.rules}["sen_support"]
    assert not result.met and result.ids == ("ONLY",)
    assert result.reason.startswith("only 1 in scope can meet it")


def test_count_too_small_for_all_four_areas_says_so() -> None:
    selection = select_for_tracking(population(), count=3, seed=1)
    unmet = [r for r in selection.rules if not r.met]
    # The core names its parameter (`count`); the output words it as the flag.
    assert unmet and all("raise `count`" in r.reason for r in unmet)
    assert all("raise --count or review --include" in as_flags(r.reason) for r in unmet)


# ------------------------------------------------------------------ spread
def test_spread_covers_every_age_group_when_possible() -> None:
    selection = select_for_tracking(population(), seed=4)
    groups = {c.child.age_group for c in selection.selected}
    assert groups == {"0-4", "5-10", "11-15", "16-19", "20-25"}
    assert dict((n, d) for n, d, _ in selection.spread)["list"] == 2


def test_objective_beats_random_valid_choices() -> None:
    pool = population(seed=9)
    selection = select_for_tracking(pool, seed=1)
    rng = random.Random(0)
    from sendplan.tracking import SPREAD

    def spread(chosen: Sequence[Child]) -> int:
        total = 0
        for name, weight in SPREAD:
            values = {getattr(c, name) for c in chosen} - {"", None, "not recorded"}
            total += weight * len(values)
        return total

    assert spread([c.child for c in selection.selected]) == selection.score
    # The choice is within the stated tolerance of the best found...
    assert selection.score >= 0.95 * selection.best_score
    # ...and the best found beats every random choice that meets the rules.
    valid = 0
    for _ in range(2000):
        other = rng.sample(pool, 6)
        if rules_met(other) == ALL_RULES:
            valid += 1
            assert spread(other) <= selection.best_score
    assert valid > 20


@pytest.mark.parametrize("seed", range(6))
def test_tolerance_never_gives_up_an_age_group(seed: int) -> None:
    selection = select_for_tracking(population(seed=seed), seed=seed)
    assert len({c.child.age_group for c in selection.selected}) == 5


# ------------------------------------------------------------------ seeds, include, exclude
def test_same_seed_same_choice_other_seeds_other_choices() -> None:
    pool = population()
    first = select_for_tracking(pool, seed=11)
    again = select_for_tracking(list(pool), seed=11)
    assert first == again
    choices = {
        tuple(c.child.id for c in select_for_tracking(pool, seed=s).selected) for s in range(6)
    }
    assert len(choices) >= 4


def test_exclude_and_include_are_honoured() -> None:
    pool = population()
    first = select_for_tracking(pool, seed=1)
    dropped = [c.child.id for c in first.selected[:2]]
    wanted = next(c.id for c in pool if c.id not in {s.child.id for s in first.selected})
    second = select_for_tracking(pool, seed=1, exclude=dropped, include=[wanted])
    ids = [c.child.id for c in second.selected]
    assert not set(dropped) & set(ids)
    assert wanted in ids
    assert [c.included for c in second.selected if c.child.id == wanted] == [True]
    assert not set(dropped) & {r.child.id for r in second.reserves}


def test_include_errors() -> None:
    pool = population()
    with pytest.raises(SelectionError, match="no such Unique ID"):
        select_for_tracking(pool, include=["NOPE"])
    with pytest.raises(SelectionError, match="both included and excluded"):
        select_for_tracking(pool, include=["C0001"], exclude=["C0001"])
    with pytest.raises(SelectionError, match="but `count` is 1") as raised:
        select_for_tracking(pool, count=1, include=["C0001", "C0002"])
    # The core names its parameter; the CLI words it as the flag.
    assert raised.value.parameters == ("count",)
    assert error_text(raised.value) == "2 children included but --count is 1"
    unknown = select_for_tracking(pool, exclude=["NOPE"], seed=1)
    assert any("`exclude` NOPE" in w for w in unknown.warnings)
    assert any(as_flags(w).startswith("--exclude NOPE:") for w in unknown.warnings)


def test_non_residents_are_never_chosen() -> None:
    pool = population()
    away = [child(f"AWAY{i}", 2, a, n, "h", resident=False)
            for i, (a, n) in enumerate([(3, "HI"), (22, "VI"), (17, "PD")])]  # fmt: skip
    selection = select_for_tracking(pool + away, seed=1, reserves=5)
    ids = {c.child.id for c in selection.selected} | {r.child.id for r in selection.reserves}
    assert not any(i.startswith("AWAY") for i in ids)


# ------------------------------------------------------------------ reserves
@pytest.mark.parametrize("seed", range(5))
def test_each_reserve_keeps_the_rules_when_the_child_it_replaces_drops_out(seed: int) -> None:
    selection = select_for_tracking(population(seed=seed), seed=seed, reserves=3)
    chosen = {c.child.id: c.child for c in selection.selected}
    assert len(selection.reserves) == 3
    assert not {r.child.id for r in selection.reserves} & set(chosen)
    for reserve in selection.reserves:
        assert reserve.replaces
        for gone in reserve.replaces:
            after = [c for i, c in chosen.items() if i != gone] + [reserve.child]
            assert rules_met(after) == ALL_RULES, (gone, reserve.child.id)
    covered = {i for r in selection.reserves for i in r.replaces}
    assert covered == set(chosen) or selection.uncovered


def test_no_reserves_when_asked_for_none() -> None:
    selection = select_for_tracking(population(), seed=1, reserves=0)
    assert selection.reserves == () and selection.uncovered == ()


# ------------------------------------------------------------------ the command
def run_select(*args: str) -> object:
    return run_cli("select", str(EXAMPLE_CASE), "--list1", str(LISTS / "list1.csv"),
         "--list2", str(LISTS / "list2.csv"), *args,
    )  # fmt: skip


def test_select_words_the_cores_parameters_as_flags() -> None:
    result = run_select("--seed", "1", "--format", "json", "--exclude", "NOPE", "--count", "3")
    assert result.code == 0, result.output  # type: ignore[attr-defined]
    data = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert "--exclude NOPE: no such Unique ID in the lists" in data["warnings"]
    reasons = [r["reason"] for r in data["rules"] if not r["met"]]
    assert reasons and all("raise --count or review --include" in r for r in reasons)
    assert "warning: --exclude NOPE: no such Unique ID" in result.stderr  # type: ignore[attr-defined]


def test_select_json_shape() -> None:
    result = run_select("--seed", "1", "--format", "json")
    assert result.code == 0, result.output  # type: ignore[attr-defined]
    data = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert len(data["selected"]) == 6 and len(data["reserves"]) == 3
    for item in data["selected"]:
        assert {"id", "list", "age_group", "primary_need", "area_of_need", "phase",
                "alternative_provision"} <= set(item)  # fmt: skip
    assert all(r["met"] for r in data["rules"])
    assert {r["rule"] for r in data["rules"]} == ALL_RULES
    assert all(set(r["replaces"]) <= {s["id"] for s in data["selected"]} for r in data["reserves"])
    assert data["seed"] == 1 and data["notification"] == "2025-04-25"


def test_select_csv_and_xlsx_give_the_same_choice() -> None:
    from_csv = json.loads(run_select("--seed", "4", "-f", "json").stdout)  # type: ignore[attr-defined]
    result = run_cli("select", str(EXAMPLE_CASE), "--lists", str(LISTS / "lists.xlsx"), "--seed", "4",
              "-f", "json",
    )  # fmt: skip
    assert json.loads(result.stdout)["selected"] == from_csv["selected"]


def test_upn_and_uln_never_reach_any_output() -> None:
    secrets = set()
    for name in ("list1.csv", "list2.csv"):
        with open(LISTS / name, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                secrets |= {row["UPN"], row["ULN"]} - {""}
    assert secrets
    for fmt in ("table", "json", "csv", "markdown"):
        result = run_select("--seed", "2", "-f", fmt, "--show", "gender,Ethnicity")
        assert result.code == 0  # type: ignore[attr-defined]
        text = result.stdout + result.stderr  # type: ignore[attr-defined]
        assert not [s for s in secrets if s in text], fmt
    refused = run_select("--show", "UPN")
    assert refused.code == 2  # type: ignore[attr-defined]
    assert "never shown" in refused.stderr  # type: ignore[attr-defined]


def test_show_adds_only_the_named_columns() -> None:
    plain = run_select("--seed", "2", "-f", "csv").stdout  # type: ignore[attr-defined]
    shown = run_select("--seed", "2", "-f", "csv", "--show", "ethnicity").stdout  # type: ignore[attr-defined]
    assert "Ethnicity" not in plain.splitlines()[0]
    assert shown.splitlines()[0].endswith(",Ethnicity")


def test_strict_exits_1_when_a_rule_cannot_be_met(tmp_path: Path) -> None:
    # Leave out everyone in alternative provision: the AP rule cannot be met.
    rows = list(csv.DictReader(open(LISTS / "list1.csv", encoding="utf-8")))  # noqa: SIM115
    ap = [r["Unique ID"] for r in rows if r["Main education establishment – phase"].startswith("h")]
    rows2 = list(csv.DictReader(open(LISTS / "list2.csv", encoding="utf-8")))  # noqa: SIM115
    ap += [
        r["Unique ID"] for r in rows2 if r["Main education establishment – phase"].startswith("h")
    ]
    assert ap
    args = ["--seed", "1", "--exclude", ",".join(ap)]
    relaxed = run_select(*args)
    assert relaxed.code == 0  # type: ignore[attr-defined]
    assert "rule not met: At least 1 studying in alternative provision" in relaxed.stderr  # type: ignore[attr-defined]
    strict = run_select(*args, "--strict")
    assert strict.code == 1  # type: ignore[attr-defined]


def test_save_records_only_ids_owner_only(
    tmp_path: Path, write_case: Callable[[str], Path]
) -> None:
    case = write_case(EXAMPLE_CASE.read_text(encoding="utf-8"))
    case.chmod(0o644)
    result = run_cli("select", str(case), "--list1", str(LISTS / "list1.csv"), "--list2",
         str(LISTS / "list2.csv"), "--seed", "3", "--save", "-f", "json",
    )  # fmt: skip
    assert result.code == 0, result.output
    data = json.loads(result.stdout)
    saved = load_case(case).tracking
    assert list(saved.selected) == [s["id"] for s in data["selected"]]
    assert list(saved.reserves) == [r["id"] for r in data["reserves"]]
    assert case.stat().st_mode & 0o777 == 0o600
    text = case.read_text(encoding="utf-8")
    assert "# A full area SEND inspection" in text  # comments kept
    assert "ASD" not in text and "SEN support" not in text  # only ids


def test_random_seed_is_printed_so_a_choice_can_be_repeated() -> None:
    data = json.loads(run_select("-f", "json").stdout)  # type: ignore[attr-defined]
    again = json.loads(run_select("-f", "json", "--seed", str(data["seed"])).stdout)  # type: ignore[attr-defined]
    assert again["selected"] == data["selected"]


def test_table_and_markdown_render() -> None:
    table = run_select("--seed", "1")
    assert "Rules (para 92)" in table.stdout and "Reserves" in table.stdout  # type: ignore[attr-defined]
    markdown = run_select("--seed", "1", "-f", "markdown").stdout  # type: ignore[attr-defined]
    assert markdown.startswith("# Tracking meetings: Exampleshire")
    assert "| Unique ID | List |" in markdown


def test_bad_list_is_exit_2_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "l1.csv"
    bad.write_text("Name,Date of birth\nSECRET PERSON,01/01/2015\n", encoding="utf-8")
    result = run_cli("select", str(EXAMPLE_CASE), "--list1", str(bad))
    assert result.code == 2
    assert "no heading row naming a Unique ID" in result.stderr
    assert "SECRET PERSON" not in result.output


def test_case_file_maps_headings_and_names_the_home_area(
    tmp_path: Path, write_case: Callable[[str], Path]
) -> None:
    case = write_case(
        '[inspection]\nkind = "full"\nlocal_area = "Exampleshire"\nnotification = 2025-04-25\n'
        '[tracking]\nhome_la = ["Exampleshire CC"]\n'
        '[tracking.columns]\nunique_id = "Child ref"\nprimary_need = "Need type"\n'
    )
    head = [
        "Child ref",
        "Date of birth",
        "Need type",
        "Home LA",
        "Main education establishment – phase",
    ]
    rows = [head]
    needs = ["ASD", "MLD", "SEMH", "HI", "SLCN", "PD"]
    for i in range(24):
        home = "Otherton" if i % 4 == 0 else ("Exampleshire CC" if i % 2 else "exampleshire")
        rows.append(
            [
                f"K{i}",
                f"01/0{1 + i % 9}/20{10 + i % 10}",
                needs[i % 6],
                home,
                "h" if i == 5 else "b",
            ]
        )
    path = tmp_path / "l2.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    result = run_cli("select", str(case), "--list2", str(path), "--seed", "1", "-f", "json")
    assert result.code == 0, result.output
    data = json.loads(result.stdout)
    chosen = [s["id"] for s in data["selected"]] + [r["id"] for r in data["reserves"]]
    assert len(data["selected"]) == 6
    assert not [i for i in chosen if int(i[1:]) % 4 == 0]  # Otherton: out of scope
    assert data["in_scope"] == 18
    assert "6 on List 2 live outside the area" in result.stderr
    assert "List 1 was not given" in result.stderr


def test_rows_left_out_are_listed_by_position_in_json(tmp_path: Path) -> None:
    source = (LISTS / "list1.csv").read_text(encoding="utf-8").splitlines()
    head = source[0].split(",")
    broken = source[1].split(",")
    broken[head.index("SEN primary need")] = "SECRETNEED"
    path = tmp_path / "list1.csv"
    path.write_text("\n".join([source[0], ",".join(broken), *source[2:]]) + "\n", encoding="utf-8")
    result = run_cli("select", str(EXAMPLE_CASE), "--list1", str(path), "--list2", str(LISTS / "list2.csv"),
              "--seed", "1", "-f", "json",
    )  # fmt: skip
    data = json.loads(result.stdout)
    assert data["left_out"] == [
        {"list": 1, "row": 2, "column": "SEN primary need", "column_letter": "J",
         "problem": "unknown_need", "message": "unknown primary need code", "severity": "error",
         "excluded": True},
    ]  # fmt: skip
    assert "SECRETNEED" not in result.stdout + result.stderr


@pytest.mark.parametrize("rule", [r.id for r in HARD_RULES])
def test_each_rule_reported_when_no_one_can_meet_it(rule: str) -> None:
    target = next(r for r in HARD_RULES if r.id == rule)
    pool = [c for c in population() if not target.test(c)]
    selection = select_for_tracking(pool, seed=1)
    results = {r.rule.id: r for r in selection.rules}
    assert not results[rule].met and results[rule].available == 0
    assert results[rule].reason == target.why_none
    assert all(r.met or r.available == 0 for r in selection.rules if r.rule.id != rule)


def test_save_through_a_symlink_updates_the_target_and_refuses_read_only(
    tmp_path: Path, write_case: Callable[[str], Path]
) -> None:
    real = write_case(EXAMPLE_CASE.read_text(encoding="utf-8"))
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    args = ["select", str(link), "--list1", str(LISTS / "list1.csv"), "--list2",
            str(LISTS / "list2.csv"), "--seed", "3", "--save"]  # fmt: skip
    assert run_cli(*args).code == 0
    assert link.is_symlink()
    assert load_case(real).tracking.selected  # the real file has the choice
    before = real.read_bytes()
    real.chmod(0o444)
    refused = run_cli(*args)
    assert refused.code == 2
    assert "read-only" in refused.stderr
    assert real.read_bytes() == before


@pytest.mark.parametrize("rule", HARD_RULES, ids=lambda r: r.id)
def test_rule_wording_has_matched_brackets(rule: HardRule) -> None:
    for text in (rule.title, rule.why_none):
        depth = 0
        for ch in text:
            depth += {"(": 1, ")": -1}.get(ch, 0)
            assert depth >= 0, text
        assert depth == 0, text


def test_the_default_count_is_para_90s_from_the_data() -> None:
    import tomllib

    data = tomllib.loads((ROOT / "src/sendplan/data/lists.toml").read_text(encoding="utf-8"))
    assert data["choice"]["count_source"] == "handbook para 90"
    assert len(select_for_tracking(population(), seed=1).selected) == data["choice"]["count"]


def test_the_default_number_of_reserves_is_the_datas(monkeypatch: pytest.MonkeyPatch) -> None:
    """--reserves defaults to data/lists.toml's number, not to a literal in the code."""
    import tomllib

    import sendplan.tracking.plan as plan
    from sendplan.tracking import DEFAULT_RESERVES

    data = Path(plan.__file__).parents[1] / "data" / "lists.toml"
    with data.open("rb") as handle:
        assert tomllib.load(handle)["choice"]["reserves"] == DEFAULT_RESERVES
    monkeypatch.setattr(plan, "DEFAULT_RESERVES", 1)
    result = run_select("--seed", "1", "--format", "json")
    assert result.code == 0, result.output  # type: ignore[attr-defined]
    assert len(json.loads(result.stdout)["reserves"]) == 1  # type: ignore[attr-defined]

"""The choice of children for tracking meetings: hard rules, spread and the search (paras 90-93)."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from sendplan.errors import Advice, SelectionError
from sendplan.lists import (
    AREAS,
    NUMBERS,
    PHASES,
    Child,
)
from sendplan.person_fields import tracking_count
from sendplan.progress import Progress, quiet
from sendplan.words import plural


@dataclass(frozen=True)
class HardRule:
    """One rule of para 92: at least ``need`` chosen children whose ``attribute`` is ``value``."""

    id: str
    title: str
    need: int
    attribute: str
    value: Any
    why_none: str  # why no one might meet it

    def test(self, child: Child) -> bool:
        return bool(getattr(child, self.attribute) == self.value)


#: At least how many of each kind para 92 asks for (``data/lists.toml``).
_AT_LEAST: dict[str, Any] = NUMBERS["tracking"]
#: How many children to choose unless asked otherwise: "approximately 6" (para 90).
DEFAULT_COUNT: int = tracking_count()
#: Reserves kept unless asked otherwise, in case a family declines (para 93; sendplan's number).
DEFAULT_RESERVES: int = int(NUMBERS["choice"]["reserves"])


def _area_rule(area: str) -> HardRule:
    need = int(_AT_LEAST["each_area_of_need"])
    return HardRule(
        f"area_{area}",
        f"At least {need} whose primary need is {AREAS[area].lower()}",
        need,
        "area",
        area,
        f"no child or young person in scope has a primary need in {AREAS[area].lower()}",
    )


HARD_RULES: tuple[HardRule, ...] = (
    HardRule(
        "alternative_provision",
        f"At least {_AT_LEAST['alternative_provision']} studying in alternative provision",
        int(_AT_LEAST["alternative_provision"]),
        "alternative_provision",
        True,
        f"no child or young person in scope is in alternative provision (phase h, {PHASES['h']})",
    ),
    HardRule(
        "sen_support",
        f"At least {_AT_LEAST['sen_support']} receiving SEN support",
        int(_AT_LEAST["sen_support"]),
        "list",
        2,
        "too few children or young people in scope on List 2 (SEN support)",
    ),
    *(_area_rule(area) for area in AREAS),
)

#: Characteristics spread across the choice, with their weights (para 91).
SPREAD: tuple[tuple[str, int], ...] = (
    ("age_group", 6),  # first: _State.token_counts[0] counts age groups
    ("list", 3),
    ("area", 3),
    ("social_care", 3),
    ("primary_need", 2),
    ("social_care_team", 2),
    ("phase", 2),
    ("setting", 1),
    ("gender", 1),
    ("ethnicity", 1),
    ("disability", 1),
)
#: Each spread characteristic in words: (one, many, the kinds it has, if few).
SPREAD_WORDS: dict[str, tuple[str, str, str]] = {
    "age_group": ("age group", "age groups", ""),
    "list": ("list", "lists", "EHC plan, SEN support"),
    "area": ("broad area of need", "broad areas of need", ""),
    "social_care": ("social care status", "social care statuses", "known, not known"),
    "primary_need": ("primary need", "primary needs", ""),
    "social_care_team": ("social care team", "social care teams", ""),
    "phase": ("phase", "phases", ""),
    "setting": ("setting", "settings", ""),
    "gender": ("gender", "genders", ""),
    "ethnicity": ("ethnicity", "ethnicities", ""),
    "disability": ("disability answer", "disability answers", ""),
}
#: The JSON's ``label`` of each: the plural, with its kinds.
SPREAD_LABELS: dict[str, str] = {
    name: many + (f" ({kinds})" if kinds else "") for name, (_, many, kinds) in SPREAD_WORDS.items()
}

SAMPLE_SIZE = 600  # random part of the candidate sample
PER_VALUE = 12  # children sampled per value of each characteristic
STARTS = 3  # greedy starts; the best sets the bar
TOLERANCE = 0.05  # a choice whose spread is within 5% of the best found is as good
SLACK = 3  # spread gain a randomised greedy step may give up
VARIANTS = 3  # tries at a randomised choice that reaches the bar


def _value(child: Child, name: str) -> Any:
    value = getattr(child, name)
    return None if value in ("", None, "not recorded") else value


# ------------------------------------------------------------------ results
@dataclass(frozen=True)
class Chosen:
    child: Child
    rules: tuple[str, ...]  # ids of the hard rules this child helps meet
    included: bool = False


@dataclass(frozen=True)
class Reserve:
    child: Child
    replaces: tuple[str, ...]  # Unique IDs of the chosen children it can stand in for


@dataclass(frozen=True)
class RuleResult:
    rule: HardRule
    met: bool
    ids: tuple[str, ...]
    available: int  # in scope and not excluded
    reason: str = ""


@dataclass(frozen=True)
class Selection:
    selected: tuple[Chosen, ...]
    reserves: tuple[Reserve, ...]
    rules: tuple[RuleResult, ...]
    spread: tuple[tuple[str, int, int], ...]  # (characteristic, distinct values, weight)
    seed: int
    pool: int
    best_score: int = 0  # the best spread found; the choice is within TOLERANCE of it
    warnings: tuple[str, ...] = ()
    uncovered: tuple[str, ...] = field(default=())

    @property
    def all_rules_met(self) -> bool:
        return all(r.met for r in self.rules)

    @property
    def score(self) -> int:
        return sum(n * w for _, n, w in self.spread)


# ------------------------------------------------------------------ objective
class _Pool:
    """Candidates encoded for fast scoring: rule bits and one token per characteristic."""

    def __init__(self, children: Sequence[Child]) -> None:
        self.children = list(children)
        self.bits = [
            tuple(i for i, rule in enumerate(HARD_RULES) if rule.test(c)) for c in self.children
        ]
        self.tokens = [tuple(_value(c, name) for name, _ in SPREAD) for c in self.children]
        self.weights = tuple(w for _, w in SPREAD)
        self.needs = tuple(r.need for r in HARD_RULES)

    def units(self, counts: Sequence[int]) -> int:
        return sum(map(min, self.needs, counts))

    def score(self, chosen: Sequence[int]) -> tuple[int, int]:
        counts = [0] * len(HARD_RULES)
        for i in chosen:
            for b in self.bits[i]:
                counts[b] += 1
        spread = 0
        for d, w in enumerate(self.weights):
            values = {self.tokens[i][d] for i in chosen} - {None}
            spread += w * len(values)
        return self.units(counts), spread


class _State:
    """A choice with running counts, so a swap is scored in O(characteristics)."""

    def __init__(self, pool: _Pool, chosen: Iterable[int]) -> None:
        self.pool = pool
        self.chosen: list[int] = []
        self.rule_counts = [0] * len(HARD_RULES)
        self.token_counts: list[dict[Any, int]] = [{} for _ in SPREAD]
        for i in chosen:
            self.add(i)

    def add(self, i: int) -> None:
        self.chosen.append(i)
        for b in self.pool.bits[i]:
            self.rule_counts[b] += 1
        for d, t in enumerate(self.pool.tokens[i]):
            if t is not None:
                self.token_counts[d][t] = self.token_counts[d].get(t, 0) + 1

    def remove(self, i: int) -> None:
        self.chosen.remove(i)
        for b in self.pool.bits[i]:
            self.rule_counts[b] -= 1
        for d, t in enumerate(self.pool.tokens[i]):
            if t is not None:
                self.token_counts[d][t] -= 1
                if not self.token_counts[d][t]:
                    del self.token_counts[d][t]

    def score(self) -> tuple[int, int]:
        spread = sum(w * len(c) for w, c in zip(self.pool.weights, self.token_counts, strict=True))
        return self.pool.units(self.rule_counts), spread

    def gain_add(self, i: int) -> tuple[int, int]:
        counts = list(self.rule_counts)
        for b in self.pool.bits[i]:
            counts[b] += 1
        spread = 0
        for d, t in enumerate(self.pool.tokens[i]):
            if t is not None and t not in self.token_counts[d]:
                spread += self.pool.weights[d]
        return self.pool.units(counts), spread

    def swap_score(self, out: int, into: int, base_spread: int) -> tuple[int, int]:
        counts = list(self.rule_counts)
        for b in self.pool.bits[out]:
            counts[b] -= 1
        for b in self.pool.bits[into]:
            counts[b] += 1
        spread = base_spread
        old, new = self.pool.tokens[out], self.pool.tokens[into]
        for d, w in enumerate(self.pool.weights):
            o, n = old[d], new[d]
            if o == n:
                continue
            present = self.token_counts[d]
            if o is not None and present[o] == 1:
                spread -= w
            if n is not None and n not in present:
                spread += w
        return self.pool.units(counts), spread


# ------------------------------------------------------------------ search
def _sample(children: Sequence[Child], rng: random.Random, keep: set[int]) -> list[int]:
    """Indexes of a seeded candidate sample in which every value of every characteristic
    is represented (up to :data:`PER_VALUE` children each), so rare children, such as
    the few in alternative provision, are always candidates."""
    n = len(children)
    chosen = set(keep)
    if n <= SAMPLE_SIZE:
        return list(range(n))
    chosen.update(rng.sample(range(n), SAMPLE_SIZE))
    # A value held by fewer than `rare` children may be missed by the random part.
    rare = PER_VALUE * n // SAMPLE_SIZE
    for name in _STRATA:
        column = list(map(attrgetter(name), children))
        counts = Counter(column)
        scarce = {value for value, k in counts.items() if k <= rare}
        if not scarce:
            continue
        members: dict[Any, list[int]] = {}
        for i in (i for i, value in enumerate(column) if value in scarce):
            members.setdefault(column[i], []).append(i)
        for value in sorted(members, key=repr):
            group = members[value]
            chosen.update(group if len(group) <= PER_VALUE else rng.sample(group, PER_VALUE))
    return sorted(chosen)


#: Characteristics whose every value must be among the candidates (all of the
#: spread's but setting and ethnicity, whose values are too many to matter one by
#: one), plus alternative provision, which a subsidiary phase can also give.
_STRATA = (
    "list",
    "age_group",
    "area",
    "primary_need",
    "phase",
    "alternative_provision",
    "social_care",
    "social_care_team",
    "gender",
    "disability",
)


def _greedy(
    pool: _Pool, fixed: Sequence[int], count: int, rng: random.Random, slack: int = 0
) -> _State:
    """Add the child who helps most, at random among those within ``slack`` of the best
    spread gain (rule gains must be the best)."""
    state = _State(pool, fixed)
    taken = set(fixed)
    while len(state.chosen) < count:
        gains = [(state.gain_add(i), i) for i in range(len(pool.children)) if i not in taken]
        if not gains:
            break
        best = max(g for g, _ in gains)
        ties = [i for (units, spread), i in gains if units == best[0] and spread >= best[1] - slack]
        pick = rng.choice(ties)
        state.add(pick)
        taken.add(pick)
    return state


def _improve(
    state: _State,
    fixed: set[int],
    rng: random.Random,
    rounds: int = 30,
    enough: Callable[[_State], bool] | None = None,
) -> None:
    """Make the best single swap until none improves (or the choice is ``enough``)."""
    pool = state.pool
    for _ in range(rounds):
        current = state.score()
        if enough is not None and enough(state):
            return
        best = current
        moves: list[tuple[int, int]] = []
        chosen = set(state.chosen)
        for out in state.chosen:
            if out in fixed:
                continue
            for into in range(len(pool.children)):
                if into in chosen:
                    continue
                score = state.swap_score(out, into, current[1])
                if score > best:
                    best, moves = score, [(out, into)]
                elif score == best and best > current:
                    moves.append((out, into))
        if best <= current:
            return
        out, into = rng.choice(moves)
        state.remove(out)
        state.add(into)


def select_for_tracking(
    children: Sequence[Child],
    count: int = DEFAULT_COUNT,
    seed: int = 0,
    reserves: int = DEFAULT_RESERVES,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    progress: Progress = quiet,
) -> Selection:
    """Choose ``count`` children for tracking meetings and ``reserves`` reserves.

    ``children`` are the usable rows of both lists; non-residents (``resident``
    False) are out of scope (paras 13, 91) and never chosen unless included.
    ``include`` ids are always chosen; ``exclude`` ids never are.
    """
    include = list(dict.fromkeys(include))
    by_id, warnings = _check_request(children, count, reserves, include, exclude)
    excluded = set(exclude)
    pool_children = [
        c for c in children if (c.resident is not False and c.id not in excluded) or c.id in include
    ]
    rng = random.Random(seed)
    keep = {i for i, c in enumerate(pool_children) if c.id in by_id and c.id in include}
    sample = _sample(pool_children, rng, keep) if pool_children else []
    pool = _Pool([pool_children[i] for i in sample])
    fixed = [pool.children.index(by_id[i]) for i in include]
    chosen_idx, best_spread = _search(pool, fixed, min(count, len(pool.children)), rng, progress)
    if len(chosen_idx) < count:
        warnings.append(
            f"only {plural(len(chosen_idx), 'child or young person', 'children and young people')}"
            f" in scope could be chosen (asked for {count})"
        )
    rule_results = _rules(pool, chosen_idx, pool_children, count)
    met = {r.rule.id for r in rule_results if r.met}
    selected = tuple(
        Chosen(
            pool.children[i],
            tuple(HARD_RULES[b].id for b in pool.bits[i] if HARD_RULES[b].id in met),
            pool.children[i].id in include,
        )
        for i in _ordered(pool, chosen_idx)
    )
    reserve_list, uncovered, unreplaceable = _reserves(pool, chosen_idx, reserves, met, rng)
    warnings += _reserve_warnings(uncovered, unreplaceable, len(reserve_list))
    spread = tuple(
        (name, len({pool.tokens[i][d] for i in chosen_idx} - {None}), w)
        for d, (name, w) in enumerate(SPREAD)
    )
    return Selection(
        selected=selected,
        reserves=tuple(reserve_list),
        rules=tuple(rule_results),
        spread=spread,
        seed=seed,
        pool=len(pool_children),
        best_score=best_spread,
        warnings=tuple(warnings),
        uncovered=tuple(uncovered),
    )


def _check_request(
    children: Sequence[Child],
    count: int,
    reserves: int,
    include: Sequence[str],
    exclude: Sequence[str],
) -> tuple[dict[str, Child], list[str]]:
    """The included and excluded children by id, and warnings; refuses what cannot be met."""
    if count < 1:
        raise SelectionError("{count} must be at least 1", parameters=("count",))
    if reserves < 0:
        raise SelectionError("{reserves} cannot be negative", parameters=("reserves",))
    clash = sorted(set(include) & set(exclude))
    if clash:
        raise SelectionError(f"{', '.join(clash)} is both included and excluded")
    if len(include) > count:
        raise SelectionError(
            f"{plural(len(include), 'child', 'children')} included but {{count}} is {count}",
            parameters=("count",),
        )
    warnings: list[str] = []
    wanted = set(include) | set(exclude)
    by_id = {c.id: c for c in children if c.id in wanted} if wanted else {}
    missing = [i for i in include if i not in by_id]
    if missing:
        raise SelectionError(
            f"{{include}} {', '.join(missing)}: no such Unique ID among the usable rows of the "
            "lists (check the id, or run `sendplan lists check` for rows left out)",
            parameters=("include",),
        )
    unknown = [i for i in exclude if i not in by_id]
    if unknown:
        warnings.append(
            Advice(f"{{exclude}} {', '.join(unknown)}: no such Unique ID in the lists", ["exclude"])
        )
    for i in include:
        if by_id[i].resident is False:
            warnings.append(
                f"{i} is included although the lists say they live outside the area "
                "(out of scope, paras 13, 91)"
            )
    return by_id, warnings


def _search(
    pool: _Pool,
    fixed: Sequence[int],
    count: int,
    rng: random.Random,
    progress: Progress = quiet,
) -> tuple[list[int], int]:
    """The chosen children (indexes into ``pool``) and the best spread found.

    Para 91 asks for "a range", not one best set: any choice meeting as many
    rules as the best found, with a spread within TOLERANCE of it, is as fair.
    The seed picks one, built greedily with slack and improved only until good
    enough, so rehearsals do not keep landing on the same families.  Para 91
    names age groups in so many words: the bar keeps the best's number too.
    """
    best_state: _State | None = None
    steps = STARTS + VARIANTS
    for start in range(STARTS):
        progress("Choosing", start, steps)
        state = _greedy(pool, fixed, count, rng)
        _improve(state, set(fixed), rng)
        if best_state is None or state.score() > best_state.score():
            best_state = state
    assert best_state is not None
    best_units, best_spread = best_state.score()
    bar = (best_units, math.ceil(best_spread * (1 - TOLERANCE)))
    ages = len(best_state.token_counts[0])

    def enough(state: _State) -> bool:
        return state.score() >= bar and len(state.token_counts[0]) >= ages

    chosen_state = best_state
    for variant in range(VARIANTS):
        progress("Choosing", STARTS + variant, steps)
        state = _greedy(pool, fixed, count, rng, slack=SLACK)
        _improve(state, set(fixed), rng, enough=enough)
        if enough(state):
            chosen_state = state
            break
    progress("Choosing", steps, steps)
    return list(chosen_state.chosen), best_spread


def _reserve_warnings(
    uncovered: Sequence[str], unreplaceable: Sequence[str], got: int
) -> list[str]:
    """What to do when a chosen family declines and no reserve can stand in (para 93)."""
    out: list[str] = []
    for uid in uncovered:
        if uid in unreplaceable:
            out.append(
                Advice(
                    f"no one in the lists can replace {uid} alone and keep the same rules met; "
                    f"if that family declines, choose again with {{exclude}} {uid} (and "
                    "{include} for families who have already agreed)",
                    ["exclude", "include"],
                )
            )
        else:
            out.append(
                Advice(
                    f"none of the {plural(got, 'reserve')} can replace {uid} like for like; "
                    "raise {reserves}",
                    ["reserves"],
                )
            )
    return out


def _ordered(pool: _Pool, chosen: Sequence[int]) -> list[int]:
    """Youngest first, then by Unique ID: a stable order for tables and tests."""
    return sorted(chosen, key=lambda i: (pool.children[i].age, pool.children[i].id))


def _rules(
    pool: _Pool, chosen: Sequence[int], everyone: Sequence[Child], count: int
) -> list[RuleResult]:
    out = []
    counts = {
        name: Counter(map(attrgetter(name), everyone)) for name in {r.attribute for r in HARD_RULES}
    }
    for b, rule in enumerate(HARD_RULES):
        ids = tuple(pool.children[i].id for i in _ordered(pool, chosen) if b in pool.bits[i])
        available = counts[rule.attribute][rule.value]
        met = len(ids) >= rule.need
        reason = ""
        if not met:
            if available == 0:
                reason = rule.why_none
            elif available < rule.need:
                reason = f"only {available} in scope can meet it ({rule.why_none})"
            else:
                reason = Advice(
                    f"{available} in scope could, but not together with the other rules "
                    f"within {plural(count, 'child', 'children')}; "
                    "raise {count} or review {include}",
                    ["count", "include"],
                )
        out.append(RuleResult(rule, met, ids, available, reason))
    return out


def _rules_met(pool: _Pool, chosen: Iterable[int]) -> set[int]:
    counts = [0] * len(HARD_RULES)
    for i in chosen:
        for b in pool.bits[i]:
            counts[b] += 1
    return {b for b, rule in enumerate(HARD_RULES) if counts[b] >= rule.need}


def _reserves(
    pool: _Pool, chosen: Sequence[int], wanted: int, met: set[str], rng: random.Random
) -> tuple[list[Reserve], list[str], list[str]]:
    """Reserves, each with the chosen children it can replace like for like (para 93).

    A reserve can replace a chosen child when swapping them keeps every hard
    rule that the choice meets.  Reserves are picked so that, first, every
    chosen child has a replacement, then to cover as many as possible, then to
    be most like the child they replace (same area, list, age group...).
    """
    met_bits = {b for b, r in enumerate(HARD_RULES) if r.id in met}
    can, likeness = _replacements(pool, chosen, met_bits)
    picked, covered = _pick_reserves(pool, chosen, can, likeness, wanted, rng)
    order = _ordered(pool, chosen)
    reserves = [
        Reserve(pool.children[r], tuple(pool.children[s].id for s in order if s in can[r]))
        for r in picked
    ]
    anyone = {s for covers in can.values() for s in covers}
    uncovered = [pool.children[s].id for s in order if s not in covered] if wanted else []
    unreplaceable = [pool.children[s].id for s in order if s not in anyone] if wanted else []
    return reserves, uncovered, unreplaceable


def _replacements(
    pool: _Pool, chosen: Sequence[int], met_bits: set[int]
) -> tuple[dict[int, list[int]], dict[int, int]]:
    """For each child not chosen: the chosen children it can replace keeping every rule
    met, and how alike they are (the weighted characteristics they share)."""
    can: dict[int, list[int]] = {}
    likeness: dict[int, int] = {}
    for r in (i for i in range(len(pool.children)) if i not in set(chosen)):
        covers = []
        like = 0
        for s in chosen:
            after = [x for x in chosen if x != s] + [r]
            if met_bits <= _rules_met(pool, after):
                covers.append(s)
                like += sum(
                    w
                    for (a, b, w) in zip(pool.tokens[s], pool.tokens[r], pool.weights, strict=True)
                    if a == b and a is not None
                )
        if covers:
            can[r] = covers
            likeness[r] = like
    return can, likeness


def _pick_reserves(
    pool: _Pool,
    chosen: Sequence[int],
    can: dict[int, list[int]],
    likeness: dict[int, int],
    wanted: int,
    rng: random.Random,
) -> tuple[list[int], set[int]]:
    """``wanted`` reserves, greedily (see :func:`_reserves`); and the chosen they cover."""
    picked: list[int] = []
    covered: set[int] = set()
    options = dict(can)
    depth = dict.fromkeys(chosen, 0)  # how many reserves picked so far cover each child
    seen: list[set[Any]] = [set() for _ in SPREAD]  # the reserves' values so far
    while len(picked) < wanted and options:
        best: tuple[int, int, int, int] | None = None
        ties: list[int] = []
        for r, covers in options.items():
            # First cover children nobody covers yet, then the least covered; then
            # reserves unlike those already picked, then like the children replaced.
            thinnest = -min(depth[s] for s in covers)
            fresh = sum(
                w
                for d, (t, w) in enumerate(zip(pool.tokens[r], pool.weights, strict=True))
                if t is not None and t not in seen[d]
            )
            key = (len(set(covers) - covered), thinnest, fresh, likeness[r])
            if best is None or key > best:
                best, ties = key, [r]
            elif key == best:
                ties.append(r)
        pick = rng.choice(ties)
        picked.append(pick)
        for s in options.pop(pick):
            covered.add(s)
            depth[s] += 1
        for d, t in enumerate(pool.tokens[pick]):
            seen[d].add(t)
    return picked, covered

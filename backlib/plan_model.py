"""The routine choice as an optimisation, solved exactly by dynamic programming over 5-s units.

Model. Each eligible exercise has one *place* in a routine for a given request (``place``):
warm-up-type work (warm-up and cardio moves, and mobility not aimed first at a requested area)
opens the session; strength work, mobility aimed at a requested area and stretches whose first
targets include a requested area go in the main part, in the *block* of the first requested area
they target; relaxation and the other stretches close the session; each only where the catalog
allows it. At severe pain (``gentle``) strength work never goes in the warm-up. A *candidate* is
an exercise in its place with one dose option (see ``backlib.planner.dose_options``: a ladder
that raises or lowers one dose variable per rung, all inside the reviewed ranges). The planner
picks at most one candidate per exercise to maximise

    score =   Σ_areas [ 100·P_a + 25·M_a + 25·S_a ]                        coverage, pairing
            + Σ_items [ 12 · r_i · √(minutes_i)  −  8  −  0.5 · steps_i ]    well-dosed, relevant

where, for each requested area a, P_a = 1 when an item of a's main block has a as a primary
target (coverage, primary counting more than secondary), M_a = 1 when a's block holds mobility or
stretch work and S_a = 1 when it holds strength work (the pairing the articles recommend).
Per item, r_i is its *relevance* to the request (``relevance``: 1 when a requested area is one
of its primary targets, 0.5 when only a secondary one, 0.15 when it targets none, plus 0.25 for
each further requested area it reaches), minutes_i its time, and steps_i how many rungs its dose
is from the reviewed default. The value of an item's time is concave (a square root) and every
item costs a fixed 8 points (one more transition, one more thing to learn): so a few well-dosed,
relevant exercises beat many token ones, a dose rises within its range before a marginal
exercise is added, and an exercise unrelated to the requested areas (whose time is worth less
than its fixed cost) is used only when nothing relevant can fill the time. Splitting an item of
2t minutes into two of t pays only when t is over about 1.3 minutes, so items settle at about
1.5-3 minutes. Coverage (100) and pairing (25 each) outweigh any single item (at most ~30).

Constraints: total seconds ≤ budget, at least one item, and the rules of the strictest
``STAGES`` entry the eligible exercises can meet:

- ``fill``: total ≥ 90 % of the budget (from 10 minutes);
- ``shares``: warm-up and cool-down each 10–25 % of the total, at least one main item (from
  10 minutes);
- ``relax``: at least one breathing/relaxation item (severe pain, REFERENCE.md §6, §6a).

Solution. Every item's seconds are a whole multiple of 5 (``backlib.routine.dose_seconds`` rounds
up; the transition allowance absorbs it), so the model counts time in 5-s units and stays exact.
Because places are disjoint, each phase is a group knapsack over exact units (``_PhaseTable``):
exercises are added one at a time with numpy (each dose option is one shifted maximum over the
whole table), a main block carries a 3-bit state for its P/M/S flags (plus a bit for "has a
relaxation item" when that is required), and only the reachable prefix of the table is touched.
Back-pointers are int8 (option taken, state came from). When the shares rule applies the warm-up
and cool-down tables stop at 25 % of the budget. The three phase tables are then combined over
every warm-up and cool-down length with a range maximum over the main table, which enforces the
budget, the fill and the shares exactly. The result is the optimum of the score above (tests
check it against brute force). A seed other than 0 asks for a *near-best* alternative: the best
routine with one of its exercises (chosen by the seed) left out, kept only when it scores
within 5 % of the best.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from backlib.catalog import Exercise
from backlib.constants import FILL_MIN_FRACTION, PHASE_SHARE_MAX, PHASE_SHARE_MIN
from backlib.routine import TIME_UNIT_S

# Objective weights (see the module docstring). Coverage dominates, then pairing, then the rest.
W_PRIMARY_COVER = 100.0
W_MOBILITY = 25.0
W_STRENGTH = 25.0
W_TIME = 12.0  # value of √minutes of a fully relevant item
W_ITEM = 12.0  # fixed cost of an item: one more transition, one more thing to learn
W_DOSE_STEP = 0.5  # per rung away from the reviewed default: keep it when time is not short
RELEVANCE_PRIMARY = 1.0
RELEVANCE_SECONDARY = 0.5
RELEVANCE_OTHER = 0.15
RELEVANCE_EXTRA_AREA = 0.15
# A shuffled routine may score at most this fraction below the best one.
NEAR_BEST_FRACTION = 0.05
# How many of the best routine's exercises a shuffle tries leaving out before giving up.
SHUFFLE_TRIES = 4
# A shuffle takes the first near-best alternative in the seed's order (1: one rebuild, fast).
SHUFFLE_PICK_FROM = 1
MOBILITY_CATEGORIES = frozenset({"mobility", "stretch"})
OPENING_CATEGORIES = frozenset({"warmup", "cardio"})
# Constraint stages, strictest first: each later stage drops one rule the catalog could not meet.
STAGES: tuple[frozenset[str], ...] = (
    frozenset({"fill", "shares", "relax"}),
    frozenset({"shares", "relax"}),
    frozenset({"relax"}),
    frozenset(),
)
PHASES_IN_ORDER = ("warmup", "main", "cooldown")
_TOL = 1e-6
_NEG = -np.inf
# Flag bits of a main block's state.
_P, _M, _S = 1, 2, 4


@dataclass(frozen=True)
class DoseOption:
    """One way to dose an exercise, its seconds, and how many steps it is from the default."""

    sets: int
    reps: int | None
    hold_s: int | None
    duration_s: int | None
    seconds: int
    steps: int


@dataclass(frozen=True)
class Candidate:
    """An exercise (index into Problem.exercises) in its place with one dose option."""

    exercise: int
    phase: str
    block: str | None
    option: DoseOption


def place(
    exercise: Exercise, areas: Sequence[str], gentle: bool = False
) -> tuple[str, str | None] | None:
    """The phase an exercise takes for this request and its main block; None if it has none.

    Warm-up and cardio moves open the session (where allowed); mobility aimed first at a
    requested area and strength work go in the main part, as do stretches whose primary targets
    include a requested area; other mobility opens the session, other stretches and relaxation
    close it. At severe pain (``gentle``) strength work is kept out of the warm-up.
    """
    phases = exercise.phases
    focus = [a for a in areas if a in exercise.primary_areas]
    first_focus = bool(focus)
    focus += [a for a in areas if a in exercise.secondary_areas]
    category = exercise.category
    if category == "relaxation":
        preferred: tuple[str, ...] = ("cooldown", "main", "warmup")
    elif category in OPENING_CATEGORIES:
        preferred = ("warmup", "main", "cooldown")
    elif category == "mobility":
        preferred = ("main", "warmup", "cooldown")
        if not first_focus:
            preferred = ("warmup", "main", "cooldown")
    elif category == "stretch":
        preferred = ("main", "cooldown", "warmup")
        if not first_focus:
            preferred = ("cooldown", "main", "warmup")
    else:
        preferred = ("main", "warmup", "cooldown")
    if gentle and category == "strength":
        preferred = tuple(p for p in preferred if p != "warmup")
    phase = next((p for p in preferred if p in phases), None)
    if phase is None:
        return None
    return phase, (focus[0] if phase == "main" and focus else None)


def relevance(exercise: Exercise, areas: Sequence[str]) -> float:
    """How much an exercise does for the requested areas (the r of the module docstring)."""
    primary = sum(a in exercise.primary_areas for a in areas)
    secondary = sum(a in exercise.secondary_areas for a in areas)
    if primary:
        base = RELEVANCE_PRIMARY
    elif secondary:
        base = RELEVANCE_SECONDARY
    else:
        return RELEVANCE_OTHER
    return base + RELEVANCE_EXTRA_AREA * (primary + secondary - 1)


def option_value(weight: float, seconds: float, steps: float):
    """An item's own part of the score: W_TIME · r · √minutes − W_ITEM − W_DOSE_STEP · steps."""
    return W_TIME * weight * np.sqrt(np.asarray(seconds) / 60.0) - W_ITEM - W_DOSE_STEP * steps


@dataclass(frozen=True)
class _Placed:
    """One exercise's place, flag bits, relevance and dose options as arrays (units, values)."""

    phase: str
    block: str | None
    bits: int
    relaxation: bool
    units: np.ndarray
    values: np.ndarray


@dataclass(frozen=True)
class Problem:
    """Everything the choice depends on: eligible exercises with their dose options, the request."""

    exercises: tuple[Exercise, ...]
    options: tuple[tuple[DoseOption, ...], ...]
    areas: tuple[str, ...]
    budget_s: int
    structured: bool
    need_relaxation: bool
    gentle: bool = False

    @functools.cached_property
    def placed(self) -> tuple[_Placed | None, ...]:
        """Per exercise: where it goes and its options as numpy arrays (None: no place)."""
        result = []
        for exercise, options in zip(self.exercises, self.options, strict=True):
            where = place(exercise, self.areas, self.gentle)
            if where is None or not options:
                result.append(None)
                continue
            phase, block = where
            seconds = np.array([o.seconds for o in options], dtype=np.int64)
            steps = np.array([o.steps for o in options], dtype=np.float64)
            units = -(-seconds // TIME_UNIT_S)
            values = option_value(relevance(exercise, self.areas), seconds, steps)
            result.append(
                _Placed(
                    phase,
                    block,
                    _flag_bits(exercise, block),
                    exercise.category == "relaxation",
                    units,
                    values,
                )
            )
        return tuple(result)

    def candidates(self, index: int) -> list[Candidate]:
        """The candidates of one exercise: its place with each of its dose options."""
        where = place(self.exercises[index], self.areas, self.gentle)
        if where is None:
            return []
        phase, block = where
        return [Candidate(index, phase, block, option) for option in self.options[index]]

    def rules(self, stage: frozenset[str]) -> frozenset[str]:
        """The stage's rules that apply to this request."""
        active = set(stage)
        if not self.structured:
            active -= {"fill", "shares"}
        if not self.need_relaxation:
            active.discard("relax")
        return frozenset(active)

    @property
    def fill_min_s(self) -> int:
        return math.ceil(FILL_MIN_FRACTION * self.budget_s - 1e-9)

    @property
    def budget_units(self) -> int:
        return self.budget_s // TIME_UNIT_S

    @property
    def fill_min_units(self) -> int:
        return -(-self.fill_min_s // TIME_UNIT_S)


def item_value(problem: Problem, candidate: Candidate) -> float:
    """The part of the score an item brings on its own (time value, fixed cost, dose steps)."""
    exercise = problem.exercises[candidate.exercise]
    weight = relevance(exercise, problem.areas)
    return float(option_value(weight, candidate.option.seconds, candidate.option.steps))


def _flag_bits(exercise: Exercise, block: str | None) -> int:
    """The P/M/S bits an item sets in its main block (0 outside the main part)."""
    if block is None:
        return 0
    bits = _P if block in exercise.primary_areas else 0
    if exercise.category in MOBILITY_CATEGORIES:
        bits |= _M
    elif exercise.category == "strength":
        bits |= _S
    return bits


def _flag_bonus(bits: int) -> float:
    return (
        W_PRIMARY_COVER * bool(bits & _P)
        + W_MOBILITY * bool(bits & _M)
        + W_STRENGTH * bool(bits & _S)
    )


def score(problem: Problem, selection: Sequence[Candidate]) -> float:
    """The objective of the module docstring for a chosen set of candidates."""
    total = sum(item_value(problem, c) for c in selection)
    for area in problem.areas:
        bits = 0
        for c in selection:
            if c.block == area:
                bits |= _flag_bits(problem.exercises[c.exercise], c.block)
        total += _flag_bonus(bits)
    return total


def feasible(problem: Problem, selection: Sequence[Candidate], stage: frozenset[str]) -> bool:
    """Whether a selection meets the budget and the stage's rules."""
    if not selection:
        return False
    used = [c.exercise for c in selection]
    if len(set(used)) != len(used):
        return False
    total = sum(c.option.seconds for c in selection)
    if total > problem.budget_s:
        return False
    rules = problem.rules(stage)
    if "fill" in rules and total < problem.fill_min_s:
        return False
    if "shares" in rules:
        if not any(c.phase == "main" for c in selection):
            return False
        for phase in ("warmup", "cooldown"):
            seconds = sum(c.option.seconds for c in selection if c.phase == phase)
            if seconds < PHASE_SHARE_MIN * total - _TOL or seconds > PHASE_SHARE_MAX * total + _TOL:
                return False
    has_relaxation = any(problem.exercises[c.exercise].category == "relaxation" for c in selection)
    return has_relaxation or "relax" not in rules


@dataclass(frozen=True)
class Solution:
    selection: tuple[Candidate, ...]
    score: float
    stage: frozenset[str]


def solve(problem: Problem, seed: int = 0) -> Solution | None:
    """The best selection under the strictest stage that is feasible; None if nothing fits.

    With seed ≠ 0, a near-best selection that differs from the best one when one exists: the
    seed orders the best routine's exercises, each is left out in turn (only its phase table is
    rebuilt), and the seed picks among the first SHUFFLE_PICK_FROM alternatives within 5 %.
    """
    tables = _TableSet(problem)
    best = tables.best_of(STAGES)
    if best is None or seed == 0:
        return best
    rng = np.random.default_rng(seed)
    slack = NEAR_BEST_FRACTION * abs(best.score) + _TOL
    used = sorted({c.exercise for c in best.selection})
    near: list[Solution] = []
    for position in rng.permutation(len(used))[:SHUFFLE_TRIES]:
        alternative = tables.without(used[position]).best_of((best.stage,))
        if alternative is not None and alternative.score >= best.score - slack:
            near.append(alternative)
            if len(near) == SHUFFLE_PICK_FROM:
                break
    return near[int(rng.integers(len(near)))] if near else best


class _TableSet:
    """Phase tables of one problem (some exercises left out), narrow and full-width, lazily."""

    def __init__(self, problem: Problem, left_out: frozenset[int] = frozenset(), parent=None):
        self.problem = problem
        self.left_out = left_out
        self.parent = parent
        self.members: dict[str, list[int]] = {p: [] for p in PHASES_IN_ORDER}
        budget = problem.budget_units
        for index, placed in enumerate(problem.placed):
            if placed is None or index in left_out or placed.units[0] > budget:
                continue
            self.members[placed.phase].append(index)
        self.any_item = any(self.members.values())
        self._tables: dict[bool, _Tables] = {}

    def without(self, index: int) -> _TableSet:
        return _TableSet(self.problem, self.left_out | {index}, self)

    def tables(self, narrow: bool) -> _Tables:
        if narrow not in self._tables:
            reuse = self.parent.tables(narrow).phases if self.parent is not None else {}
            self._tables[narrow] = _Tables(self.problem, self.members, narrow, reuse)
        return self._tables[narrow]

    def best_of(self, stages: tuple[frozenset[str], ...]) -> Solution | None:
        if not self.any_item:
            return None
        for stage in stages:
            narrow = "shares" in self.problem.rules(stage)
            chosen = self.tables(narrow).best(stage)
            if chosen is not None:
                return Solution(chosen, score(self.problem, chosen), stage)
        return None


class _Tables:
    """The three phase tables; with ``narrow`` warm-up and cool-down stop at 25 % of the budget."""

    def __init__(self, problem: Problem, members: dict[str, list[int]], narrow: bool, reuse):
        self.problem = problem
        self.relax_bit = problem.need_relaxation
        budget = problem.budget_units
        side = math.floor(PHASE_SHARE_MAX * budget) + 1 if narrow else budget + 1
        self.phases: dict[str, _PhaseTable] = {}
        for phase in PHASES_IN_ORDER:
            width = budget + 1 if phase == "main" else side
            old = reuse.get(phase)
            if old is not None and old.members == members[phase] and old.width == width:
                self.phases[phase] = old
            else:
                self.phases[phase] = _PhaseTable(problem, members[phase], width, self.relax_bit)

    def best(self, stage: frozenset[str]) -> tuple[Candidate, ...] | None:
        """Combine the phase tables under a stage's rules; the chosen items, or None."""
        problem = self.problem
        rules = problem.rules(stage)
        budget = problem.budget_units
        shares = "shares" in rules
        best_value, best_pick = _NEG, None
        # With a relaxation item required, try each phase as the one that holds it.
        for relax_phase in list(PHASES_IN_ORDER) if "relax" in rules else [None]:
            tables = {
                p: self.phases[p].table[1] if p == relax_phase else self.phases[p].any_row()
                for p in PHASES_IN_ORDER
            }
            warm, cool, main = tables["warmup"], tables["cooldown"], tables["main"]
            if shares:
                limit = math.floor(PHASE_SHARE_MAX * budget) + 1
                w_times = np.flatnonzero(np.isfinite(warm[:limit]))
                c_times = np.flatnonzero(np.isfinite(cool[:limit]))
                ww, cc = np.meshgrid(w_times, c_times, indexing="ij")
                ww, cc = ww.ravel(), cc.ravel()
                # 10 % ≤ share ≤ 25 % of the total T:  4·phase ≤ T ≤ 10·phase.
                share_low, share_high = round(1 / PHASE_SHARE_MAX), round(1 / PHASE_SHARE_MIN)
                low = share_low * np.maximum(ww, cc)
                high = np.minimum(budget, share_high * np.minimum(ww, cc))
                keep = low <= high  # drop pairs no total can fit before any further work
                ww, cc, low, high = ww[keep], cc[keep], low[keep], high[keep]
                pair_value = warm[ww] + cool[cc]
                outer = ww + cc
            else:
                pair_value, split = _max_plus(warm, cool, budget + 1)
                outer = np.flatnonzero(np.isfinite(pair_value))
                pair_value = pair_value[outer]
                ww, cc = split[outer], outer - split[outer]
                low = np.zeros_like(outer)
                high = np.full_like(outer, budget)
            low = np.maximum(low, 1)  # at least one item
            if "fill" in rules:
                low = np.maximum(low, problem.fill_min_units)
            m_low = np.maximum(low - outer, 1 if shares else 0)
            m_high = high - outer
            ok = m_low <= m_high
            if not ok.any():
                continue
            main_best, main_at = _RangeMax(main).query(m_low[ok], m_high[ok])
            total = pair_value[ok] + main_best
            pick = int(np.argmax(total))
            if np.isfinite(total[pick]) and total[pick] > best_value + _TOL:
                best_value = float(total[pick])
                best_pick = (relax_phase, int(ww[ok][pick]), int(main_at[pick]), int(cc[ok][pick]))
        if best_pick is None:
            return None
        relax_phase, w, m, c = best_pick
        chosen: list[Candidate] = []
        for phase, units in (("warmup", w), ("main", m), ("cooldown", c)):
            chosen += self.phases[phase].backtrack(units, relax=(phase == relax_phase))
        return tuple(chosen) if chosen else None


def _max_plus(first: np.ndarray, second: np.ndarray, width: int):
    """best[s] = max over a + b = s of first[a] + second[b], and the a that gives it."""
    best = np.full(width, _NEG)
    split = np.zeros(width, dtype=np.int64)
    second = second[:width]
    for a in np.flatnonzero(np.isfinite(first[:width])):
        span = min(width - a, len(second))
        candidate = first[a] + second[:span]
        region = best[a : a + span]
        better = candidate > region
        region[better] = candidate[better]
        split[a : a + span][better] = a
    return best, split


class _PhaseTable:
    """Best score for every exact number of units within one phase (a group knapsack).

    The main phase is processed block by block: within a block the state carries the block's
    P/M/S flags, and when the block ends its flag bonus is added and the flags are dropped.
    When a relaxation item is required every state also carries a "has relaxation" bit.
    """

    def __init__(self, problem: Problem, members: list[int], width: int, relax_bit: bool):
        self.problem = problem
        self.members = list(members)
        self.width = width
        self.relax_bit = relax_bit
        rows = 2 if relax_bit else 1
        running = np.full((rows, width), _NEG)
        running[0, 0] = 0.0
        reach = 0
        by_block: dict[str | None, list[int]] = {}
        # Shortest longest-dose first: the reachable prefix then grows as slowly as it can.
        for index in sorted(members, key=lambda i: (int(problem.placed[i].units[-1]), i)):
            by_block.setdefault(problem.placed[index].block, []).append(index)
        self.steps: list[tuple] = []
        for block, indices in by_block.items():
            nflags = 3 if block is not None else 0
            states = 1 << nflags
            dp = np.full((states * rows, width), _NEG)
            dp[0 : states * rows : states] = running  # flags start empty
            history = []
            for index in indices:
                placed = problem.placed[index]
                bits = placed.bits
                if relax_bit and placed.relaxation:
                    bits |= states  # the relaxation bit sits above the flags
                dp, record, reach = _add_exercise(dp, placed.units, placed.values, bits, reach)
                history.append((index, record))
            # Close the block: add its flag bonus and keep the best flags per (relax, units).
            bonus = np.array([_flag_bonus(flags) for flags in range(states)])
            shaped = dp.reshape(rows, states, width) + bonus[None, :, None]
            flags_at = np.argmax(shaped, axis=1).astype(np.int8)
            running = np.take_along_axis(shaped, flags_at[:, None, :].astype(np.intp), axis=1)[
                :, 0, :
            ]
            self.steps.append((states, history, flags_at))
        self.table = running

    def any_row(self) -> np.ndarray:
        """Best per units whether or not a relaxation item is included."""
        return self.table.max(axis=0)

    def backtrack(self, units: int, relax: bool) -> list[Candidate]:
        """The items that reach table[relax or best row, units]."""
        problem = self.problem
        row = 0
        if self.relax_bit:
            row = 1 if relax else int(np.argmax(self.table[:, units]))
        chosen: list[Candidate] = []
        for states, history, flags_at in reversed(self.steps):
            state = row * states + int(flags_at[row, units])
            for index, (choice, origin) in reversed(history):
                option = int(choice[state, units])
                if option:
                    placed = problem.placed[index]
                    candidate = Candidate(
                        index, placed.phase, placed.block, problem.options[index][option - 1]
                    )
                    chosen.append(candidate)
                    units -= int(placed.units[option - 1])
                    if origin is not None:
                        state = int(origin[state, units])
            row = state // states
        return chosen


def _add_exercise(dp: np.ndarray, units: np.ndarray, values: np.ndarray, bits: int, reach: int):
    """Add one exercise (at most one of its options) to a table of states × units.

    Only the reachable prefix (units 0..reach) can hold a finite value, so only it is shifted.
    Returns the new table, the back-pointers (int8 option taken, 0 = none; int8 state the item
    came from, indexed by the units before it, when it sets bits) and the new reach.
    """
    states, width = dp.shape
    origin = None
    source = dp
    if bits:
        source, origin = _or_states(dp, bits, reach)
    new = dp.copy()
    choice = np.zeros((states, width), dtype=np.int8)
    new_reach = reach
    buffer = np.empty((states, min(reach + 1, width)))
    mask = np.empty(buffer.shape, dtype=bool)
    for option in range(len(units)):
        shift = int(units[option])
        if shift >= width:
            break
        span = min(reach + 1, width - shift)
        candidate, better = buffer[:, :span], mask[:, :span]
        np.add(source[:, :span], values[option], out=candidate)
        region = new[:, shift : shift + span]
        np.greater(candidate, region, out=better)
        np.copyto(region, candidate, where=better)
        np.copyto(choice[:, shift : shift + span], option + 1, where=better)
        new_reach = max(new_reach, shift + span - 1)
    return new, (choice, origin), new_reach


def _or_states(dp: np.ndarray, bits: int, reach: int):
    """For every state t, the best of dp over states s with s | bits == t, and which s."""
    states, width = dp.shape
    values = dp.copy()
    origin = np.empty((states, width), dtype=np.int8)
    origin[:] = np.arange(states, dtype=np.int8)[:, None]
    span = reach + 1
    for bit in range(states.bit_length() - 1):
        if not bits >> bit & 1:
            continue
        shape = (states >> (bit + 1), 2, 1 << bit, width)
        v = values.reshape(shape)[..., :span]
        o = origin.reshape(shape)[..., :span]
        take_off = v[:, 0] > v[:, 1]
        np.copyto(v[:, 1], v[:, 0], where=take_off)
        np.copyto(o[:, 1], o[:, 0], where=take_off)
        v[:, 0] = _NEG
    return values, origin


class _RangeMax:
    """Maximum (and where) of an array over many index ranges, by a sparse table.

    Level k holds the maximum over every window of 2**k entries; a query reads two windows of
    its level. Levels are stacked in one padded 2-D array so a batch of queries is two gathers.
    """

    def __init__(self, values: np.ndarray):
        n = len(values)
        depth = max(1, n.bit_length())
        self.values = np.full((depth, n), _NEG)
        self.where = np.zeros((depth, n), dtype=np.int64)
        self.values[0] = values
        self.where[0] = np.arange(n)
        span = 1
        for k in range(1, depth):
            if 2 * span > n:
                break
            prev_v, prev_w = self.values[k - 1], self.where[k - 1]
            left, right = prev_v[: n - span], prev_v[span:n]
            take_right = right > left
            self.values[k, : n - span] = np.where(take_right, right, left)
            self.where[k, : n - span] = np.where(take_right, prev_w[span:n], prev_w[: n - span])
            span *= 2

    def query(self, low: np.ndarray, high: np.ndarray):
        size = high - low + 1
        level = np.frexp(size.astype(np.float64))[1] - 1  # floor(log2(size)), exact
        other = high - (1 << level) + 1
        left_v, right_v = self.values[level, low], self.values[level, other]
        take_right = right_v > left_v
        best = np.where(take_right, right_v, left_v)
        at = np.where(take_right, self.where[level, other], self.where[level, low])
        return best, at

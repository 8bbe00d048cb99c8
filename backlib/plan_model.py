"""The routine choice as an optimisation, solved exactly by dynamic programming over seconds.

Model. Each eligible exercise has one *place* in a routine for a given request (``place``):
strength and other work aimed at a requested area goes in the main part, in the *block* of the
first requested area it targets (primary areas first); warm-up-type work goes in the warm-up,
stretches and relaxation in the cool-down, each where the catalog allows it. A *candidate* is an
exercise in its place with one dose option. The planner picks at most one candidate per
exercise to maximise

    score =   Σ_areas [ 100·P_a + 20·M_a + 20·S_a ]                  coverage and balance
            + Σ_items [ 3·|primary ∩ requested| + 1·|secondary ∩ requested| ]   variety
            −   4 · Σ_items (dose steps away from the reviewed default)
            +   1 · (total minutes)

where, for each requested area a, P_a = 1 when an item of a's main block has a as a primary
target (coverage, primary counting more than secondary), M_a = 1 when a's block holds mobility
or stretch work and S_a = 1 when it holds strength work (the balance of categories the articles
pair), subject to: total seconds ≤ budget, at least one item, and the rules of the strictest
``STAGES`` entry the eligible exercises can meet:

- ``fill``: total ≥ 90 % of the budget (from 10 minutes);
- ``shares``: warm-up and cool-down each 10–25 % of the total, at least one main item (from
  10 minutes);
- ``relax``: at least one breathing/relaxation item (severe pain, REFERENCE.md §6, §6a).

Solution. Because places are disjoint, each phase is a group knapsack over exact seconds
(``_phase_table``): items are added one exercise at a time, and a main block carries a 3-bit
state for its P/M/S flags (plus a bit for "has a relaxation item" when that is required), so the
table holds the best score for every exact number of seconds. The three phase tables are then
combined over every warm-up and cool-down length with a range maximum over the main table, which
enforces the budget, the fill and the shares exactly. The result is the optimum of the score
above (tests check it against brute force). A seed other than 0 asks for a *near-best*
alternative: the best routine with one of its exercises (chosen by the seed) left out, kept only
when it scores within 5 % of the best.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from backlib.catalog import Exercise
from backlib.constants import FILL_MIN_FRACTION, PHASE_SHARE_MAX, PHASE_SHARE_MIN

# Objective weights (see the module docstring). Coverage dominates, then pairing, then the rest.
W_PRIMARY_COVER = 100.0
W_MOBILITY = 20.0
W_STRENGTH = 20.0
W_ITEM_PRIMARY = 3.0
W_ITEM_SECONDARY = 1.0
W_DOSE_STEP = 4.0  # more than one area credit: keep the reviewed dose over squeezing in more
W_MINUTE = 1.0
# A shuffled routine may score at most this fraction below the best one.
NEAR_BEST_FRACTION = 0.05
# How many of the best routine's exercises a shuffle tries leaving out before giving up.
SHUFFLE_TRIES = 4
MOBILITY_CATEGORIES = frozenset({"mobility", "stretch"})
WARMUP_CATEGORIES = frozenset({"warmup", "cardio", "mobility"})
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


def place(exercise: Exercise, areas: Sequence[str]) -> tuple[str, str | None]:
    """The phase an exercise takes for this request, and its main block (a requested area).

    Work aimed at a requested area (primary first, then secondary) goes in the main part when
    the catalog allows it; otherwise warm-up-type work (warm-up, cardio, mobility) opens the
    session, stretches and relaxation close it, and anything else uses its first listed phase.
    """
    phases = exercise.phases
    focus = [a for a in areas if a in exercise.primary_areas]
    focus += [a for a in areas if a in exercise.secondary_areas]
    if exercise.category == "relaxation":
        preferred: tuple[str, ...] = ("cooldown", "main", "warmup")
    elif focus and "main" in phases:
        return "main", focus[0]
    elif exercise.category in WARMUP_CATEGORIES:
        preferred = ("warmup", "main", "cooldown")
    elif exercise.category == "stretch":
        preferred = ("cooldown", "main", "warmup")
    else:
        preferred = ("main", "warmup", "cooldown")
    phase = next(p for p in preferred if p in phases)
    return phase, (focus[0] if phase == "main" and focus else None)


@dataclass(frozen=True)
class Problem:
    """Everything the choice depends on: eligible exercises with their dose options, the request."""

    exercises: tuple[Exercise, ...]
    options: tuple[tuple[DoseOption, ...], ...]
    areas: tuple[str, ...]
    budget_s: int
    structured: bool
    need_relaxation: bool

    def candidates(self, index: int) -> list[Candidate]:
        """The candidates of one exercise: its place with each of its dose options."""
        phase, block = place(self.exercises[index], self.areas)
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


def item_value(problem: Problem, candidate: Candidate) -> float:
    """The additive part of the score an item brings on its own (minutes counted apart)."""
    exercise = problem.exercises[candidate.exercise]
    requested = set(problem.areas)
    return (
        W_ITEM_PRIMARY * len(requested.intersection(exercise.primary_areas))
        + W_ITEM_SECONDARY * len(requested.intersection(exercise.secondary_areas))
        - W_DOSE_STEP * candidate.option.steps
    )


def _flags(problem: Problem, candidate: Candidate) -> int:
    """The P/M/S bits an item sets in its main block (0 outside the main part)."""
    if candidate.block is None:
        return 0
    exercise = problem.exercises[candidate.exercise]
    bits = _P if candidate.block in exercise.primary_areas else 0
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
    total += W_MINUTE * sum(c.option.seconds for c in selection) / 60.0
    for area in problem.areas:
        bits = 0
        for c in selection:
            if c.block == area:
                bits |= _flags(problem, c)
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
    seed picks which of the best routine's exercises to leave out (only that exercise's phase
    table is rebuilt).
    """
    tables = _Tables(problem)
    best = _best_of(problem, tables, STAGES)
    if best is None or seed == 0:
        return best
    rng = np.random.default_rng(seed)
    slack = NEAR_BEST_FRACTION * abs(best.score) + _TOL
    used = sorted({c.exercise for c in best.selection})
    for position in rng.permutation(len(used))[:SHUFFLE_TRIES]:
        alternative = _best_of(problem, tables.without(used[position]), (best.stage,))
        if alternative is not None and alternative.score >= best.score - slack:
            return alternative
    return best


def _best_of(
    problem: Problem, tables: _Tables, stages: tuple[frozenset[str], ...]
) -> Solution | None:
    if not tables.any_item:
        return None
    for stage in stages:
        chosen = tables.best(stage)
        if chosen is not None:
            return Solution(chosen, score(problem, chosen), stage)
    return None


class _Tables:
    """The three phase tables of one problem (with some exercises left out)."""

    def __init__(self, problem: Problem, per_phase=None, phases=None):
        self.problem = problem
        self.relax_bit = problem.need_relaxation
        if per_phase is None:
            per_phase = {p: [] for p in PHASES_IN_ORDER}
            for index in range(len(problem.exercises)):
                group = [
                    c for c in problem.candidates(index) if c.option.seconds <= problem.budget_s
                ]
                if group:
                    per_phase[group[0].phase].append(group)
        self.per_phase: dict[str, list[list[Candidate]]] = per_phase
        self.any_item = any(per_phase.values())
        self.phases = phases or {
            phase: _PhaseTable(problem, groups, self.relax_bit)
            for phase, groups in per_phase.items()
        }

    def without(self, index: int) -> _Tables:
        """The same tables with one exercise left out (only its phase is rebuilt)."""
        per_phase = {
            phase: [g for g in groups if g[0].exercise != index]
            for phase, groups in self.per_phase.items()
        }
        phases = dict(self.phases)
        for phase, groups in per_phase.items():
            if len(groups) != len(self.per_phase[phase]):
                phases[phase] = _PhaseTable(self.problem, groups, self.relax_bit)
        return _Tables(self.problem, per_phase, phases)

    def best(self, stage: frozenset[str]) -> tuple[Candidate, ...] | None:
        """Combine the phase tables under a stage's rules; the chosen items, or None."""
        problem = self.problem
        rules = problem.rules(stage)
        budget = problem.budget_s
        shares = "shares" in rules
        minutes = W_MINUTE / 60.0 * np.arange(budget + 1)
        best_value, best_pick = _NEG, None
        # With a relaxation item required, try each phase as the one that holds it.
        for relax_phase in list(PHASES_IN_ORDER) if "relax" in rules else [None]:
            tables = {
                p: self.phases[p].table[1] if p == relax_phase else self.phases[p].any_row()
                for p in PHASES_IN_ORDER
            }
            warm = tables["warmup"] + minutes
            cool = tables["cooldown"] + minutes
            main = tables["main"] + minutes
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
                pair_value = warm[ww] + cool[cc]
                outer = ww + cc
            else:
                pair_value, split = _max_plus(warm, cool)
                outer = np.flatnonzero(np.isfinite(pair_value))
                pair_value = pair_value[outer]
                ww, cc = split[outer], outer - split[outer]
                low = np.zeros_like(outer)
                high = np.full_like(outer, budget)
            if "fill" in rules:
                low = np.maximum(low, problem.fill_min_s)
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
        for phase, seconds in (("warmup", w), ("main", m), ("cooldown", c)):
            chosen += self.phases[phase].backtrack(seconds, relax=(phase == relax_phase))
        return tuple(chosen) if chosen else None


def _max_plus(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """best[s] = max over a + b = s of first[a] + second[b], and the a that gives it."""
    width = len(first)
    best = np.full(width, _NEG)
    split = np.zeros(width, dtype=np.int64)
    for a in np.flatnonzero(np.isfinite(first)):
        candidate = first[a] + second[: width - a]
        region = best[a:]
        better = candidate > region
        region[better] = candidate[better]
        split[a:][better] = a
    return best, split


class _PhaseTable:
    """Best score for every exact number of seconds within one phase (a group knapsack).

    The main phase is processed block by block: within a block the state carries the block's
    P/M/S flags, and when the block ends its flag bonus is added and the flags are dropped.
    When a relaxation item is required every state also carries a "has relaxation" bit.
    """

    def __init__(self, problem: Problem, groups: list[list[Candidate]], relax_bit):
        self.problem = problem
        self.relax_bit = relax_bit
        budget = problem.budget_s
        rows = 2 if relax_bit else 1
        running = np.full((rows, budget + 1), _NEG)
        running[0, 0] = 0.0
        by_block: dict[str | None, list[list[Candidate]]] = {}
        for group in groups:
            by_block.setdefault(group[0].block, []).append(group)
        self.steps: list[tuple] = []
        for block, block_groups in by_block.items():
            nflags = 3 if block is not None else 0
            states = 1 << nflags
            dp = np.full((states * rows, budget + 1), _NEG)
            dp[0 : states * rows : states] = running  # flags start empty
            history = []
            for group in block_groups:
                exercise = problem.exercises[group[0].exercise]
                bits = _flags(problem, group[0])
                if relax_bit and exercise.category == "relaxation":
                    bits |= states  # the relaxation bit sits above the flags
                values = np.array([item_value(problem, c) for c in group])
                seconds = np.array([c.option.seconds for c in group])
                dp, record = _add_group(dp, values, seconds, bits, nflags + (1 if relax_bit else 0))
                history.append((group, seconds, record))
            # Close the block: add its flag bonus and keep the best flags per (relax, seconds).
            bonus = np.array([_flag_bonus(flags) for flags in range(states)])
            shaped = dp.reshape(rows, states, budget + 1) + bonus[None, :, None]
            flags_at = np.argmax(shaped, axis=1)
            running = np.take_along_axis(shaped, flags_at[:, None, :], axis=1)[:, 0, :]
            self.steps.append((states, history, flags_at))
        self.table = running

    def any_row(self) -> np.ndarray:
        """Best per seconds whether or not a relaxation item is included."""
        return self.table.max(axis=0)

    def backtrack(self, seconds: int, relax: bool) -> list[Candidate]:
        """The items that reach table[relax or best row, seconds]."""
        row = 0
        if self.relax_bit:
            row = 1 if relax else int(np.argmax(self.table[:, seconds]))
        chosen: list[Candidate] = []
        for states, history, flags_at in reversed(self.steps):
            state = row * states + int(flags_at[row, seconds])
            for group, group_seconds, (choice, previous) in reversed(history):
                option = int(choice[state, seconds])
                if option:
                    chosen.append(group[option - 1])
                    if previous is not None:
                        state = int(previous[state, seconds])
                    seconds -= int(group_seconds[option - 1])
            row = state // states
        return chosen


def _add_group(dp: np.ndarray, values, seconds, bits: int, nbits: int):
    """Add one exercise (at most one of its options) to a table of states × seconds.

    Returns the new table and, for backtracking, the option taken (0 = none) and, when the item
    sets bits, the state it came from.
    """
    states, width = dp.shape
    new = dp.copy()
    choice = np.zeros((states, width), dtype=np.int8)
    previous = np.zeros((states, width), dtype=np.int16) if bits else None
    if previous is not None:
        previous[:] = np.arange(states, dtype=np.int16)[:, None]
    live = np.isfinite(dp).any(axis=1)
    for option, (value, t) in enumerate(zip(values, seconds, strict=True)):
        t = int(t)
        if t >= width:
            continue
        shifted = dp[:, : width - t] + value
        if bits:
            origin = np.repeat(np.arange(states, dtype=np.int16)[:, None], width - t, axis=1)
            shifted, origin = _set_bits(shifted, origin, bits, nbits, live)
        region = new[:, t:]
        better = shifted > region + _TOL
        if not better.any():
            continue
        region[better] = shifted[better]
        choice[:, t:][better] = option + 1
        if previous is not None:
            previous[:, t:][better] = origin[better]
    return new, (choice, previous)


def _set_bits(values: np.ndarray, origin: np.ndarray, bits: int, nbits: int, live):
    """Move every state s to s | bits, keeping the best value (and its origin) per target."""
    states, width = values.shape
    for bit in range(nbits):
        if not bits >> bit & 1:
            continue
        if not live[[s for s in range(states) if not s >> bit & 1]].any():
            continue  # no reachable state lacks this bit: nothing moves
        shape = (states >> (bit + 1), 2, 1 << bit, width)
        v = values.reshape(shape)
        o = origin.reshape(shape)
        take_off = v[:, 0] > v[:, 1]
        v[:, 1] = np.where(take_off, v[:, 0], v[:, 1])
        o[:, 1] = np.where(take_off, o[:, 0], o[:, 1])
        v[:, 0] = _NEG
    return values, origin


class _RangeMax:
    """Maximum (and where) of an array over many index ranges, by a sparse table."""

    def __init__(self, values: np.ndarray):
        self.levels = [values]
        self.where = [np.arange(len(values))]
        span = 1
        while 2 * span <= len(values):
            prev_v, prev_w = self.levels[-1], self.where[-1]
            left, right = prev_v[: len(prev_v) - span], prev_v[span:]
            take_right = right > left
            self.levels.append(np.where(take_right, right, left))
            self.where.append(np.where(take_right, prev_w[span:], prev_w[: len(prev_w) - span]))
            span *= 2

    def query(self, low: np.ndarray, high: np.ndarray):
        size = high - low + 1
        level = np.floor(np.log2(size)).astype(np.int64)
        best = np.full(len(low), _NEG)
        at = np.zeros(len(low), dtype=np.int64)
        for k in np.unique(level):
            sel = level == k
            lo, hi = low[sel], high[sel] - (1 << k) + 1
            values, where = self.levels[k], self.where[k]
            take_hi = values[hi] > values[lo]
            best[sel] = np.where(take_hi, values[hi], values[lo])
            at[sel] = np.where(take_hi, where[hi], where[lo])
        return best, at

"""The routine choice as an integer program, solved exactly with SciPy's HiGHS (``milp``).

A *candidate* is one eligible exercise in one of its phases with one dose option. The planner
picks a set of candidates (at most one per exercise) that maximises

    score =   Σ_areas [ 100·P_a + 20·M_a + 20·S_a ]            area coverage and pairing
            +   5 · (number of distinct categories used)          balance of categories
            + Σ_items [ 3·|primary ∩ requested| + 1·|secondary ∩ requested| ]   variety/focus
            −   2 · Σ_items (dose steps away from the default)   stay near the reviewed dose
            +   1 · (total minutes)                               use the time that was given

where, for each requested area a, P_a = 1 when a main item has a as a primary target, M_a = 1
when a mobility or stretch item targets a (primary or secondary), and S_a = 1 when a main
strength item targets a. Primary targets count three times a secondary one.

Subject to: total seconds ≤ budget; at least one item; and, in stages that are dropped one at a
time only when the catalog cannot meet them (see ``STAGES``):

- ``fill``: total ≥ 90 % of the budget (from 10 minutes);
- ``shares``: warm-up and cool-down each 10–25 % of the total, and at least one main item
  (from 10 minutes);
- ``relax``: at least one relaxation/breathing item (severe pain, REFERENCE.md §6a/§6).

A different seed asks for a *near-best* alternative: score ≥ best − 5 % of |best|, at least one
exercise different from the best routine, and a seeded random preference among those.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from backlib.catalog import Exercise
from backlib.constants import CATEGORIES, FILL_MIN_FRACTION, PHASE_SHARE_MAX, PHASE_SHARE_MIN

# Objective weights (see the module docstring). Coverage dominates, then pairing, then the rest.
W_PRIMARY_COVER = 100.0
W_MOBILITY = 20.0
W_STRENGTH = 20.0
W_CATEGORY = 5.0
W_ITEM_PRIMARY = 3.0
W_ITEM_SECONDARY = 1.0
W_DOSE_STEP = 2.0
W_MINUTE = 1.0
# A shuffled routine may score at most this fraction below the best one.
NEAR_BEST_FRACTION = 0.05
MOBILITY_CATEGORIES = frozenset({"mobility", "stretch"})
# Constraint stages, strictest first: each later stage drops one rule the catalog could not meet.
STAGES: tuple[frozenset[str], ...] = (
    frozenset({"fill", "shares", "relax"}),
    frozenset({"shares", "relax"}),
    frozenset({"relax"}),
    frozenset(),
)
_TOL = 1e-6


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
    """An exercise (index into Problem.exercises) in one phase with one dose option."""

    exercise: int
    phase: str
    option: DoseOption


@dataclass(frozen=True)
class Problem:
    """Everything the choice depends on: eligible exercises with their dose options, the request."""

    exercises: tuple[Exercise, ...]
    options: tuple[tuple[DoseOption, ...], ...]
    areas: tuple[str, ...]
    budget_s: int
    structured: bool
    need_relaxation: bool

    def candidates(self) -> list[Candidate]:
        return [
            Candidate(index, phase, option)
            for index, exercise in enumerate(self.exercises)
            for phase in exercise.phases
            for option in self.options[index]
        ]

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
    """The additive part of the score an item brings on its own."""
    exercise = problem.exercises[candidate.exercise]
    requested = set(problem.areas)
    return (
        W_ITEM_PRIMARY * len(requested.intersection(exercise.primary_areas))
        + W_ITEM_SECONDARY * len(requested.intersection(exercise.secondary_areas))
        - W_DOSE_STEP * candidate.option.steps
        + W_MINUTE * candidate.option.seconds / 60.0
    )


def _covers(problem: Problem, candidate: Candidate, area: str) -> tuple[bool, bool, bool]:
    """Whether an item gives area its primary-main (P), mobility (M) and strength (S) credit."""
    exercise = problem.exercises[candidate.exercise]
    targets = area in exercise.primary_areas or area in exercise.secondary_areas
    main = candidate.phase == "main"
    return (
        main and area in exercise.primary_areas,
        targets and exercise.category in MOBILITY_CATEGORIES,
        targets and main and exercise.category == "strength",
    )


def score(problem: Problem, selection: Sequence[Candidate]) -> float:
    """The objective of the module docstring for a chosen set of candidates."""
    total = sum(item_value(problem, c) for c in selection)
    for area in problem.areas:
        flags = [_covers(problem, c, area) for c in selection]
        total += W_PRIMARY_COVER * any(f[0] for f in flags)
        total += W_MOBILITY * any(f[1] for f in flags)
        total += W_STRENGTH * any(f[2] for f in flags)
    categories = {problem.exercises[c.exercise].category for c in selection}
    return total + W_CATEGORY * len(categories)


def feasible(problem: Problem, selection: Sequence[Candidate], stage: frozenset[str]) -> bool:
    """Whether a selection meets the budget and the stage's rules (the integer program's rows)."""
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

    With seed ≠ 0, a near-best selection that differs from the best one (when one exists).
    """
    candidates = problem.candidates()
    if not candidates:
        return None
    model = _Model(problem, candidates)
    for stage in STAGES:
        chosen = model.solve(stage)
        if chosen is None:
            continue
        best = Solution(chosen, score(problem, chosen), stage)
        if seed == 0:
            return best
        alternative = model.solve_near_best(stage, best, seed)
        return alternative or best
    return None


class _Model:
    """The integer program for one problem: variables, objective and rows per stage.

    Variables: one binary x per candidate, then continuous indicators in [0, 1]: P_a, M_a, S_a
    per requested area and K_c per category (each bounded above by the items that earn it).
    """

    def __init__(self, problem: Problem, candidates: list[Candidate]):
        self.problem = problem
        self.candidates = candidates
        n = len(candidates)
        k = len(problem.areas)
        self.n_x = n
        self.n_vars = n + 3 * k + len(CATEGORIES)
        exercises = problem.exercises
        self.ex_index = np.fromiter((c.exercise for c in candidates), dtype=np.int64, count=n)
        self.seconds = np.fromiter((c.option.seconds for c in candidates), np.float64, count=n)
        phases = np.array([c.phase for c in candidates])
        categories = np.array([exercises[c.exercise].category for c in candidates])
        self.is_main = phases == "main"
        self.is_warmup = phases == "warmup"
        self.is_cooldown = phases == "cooldown"
        self.is_relax = categories == "relaxation"

        objective = np.zeros(self.n_vars)
        objective[:n] = [item_value(problem, c) for c in candidates]
        rows: list[_Row] = []
        hits: list[list[list[int]]] = [[[] for _ in range(k)] for _ in range(3)]
        for c_index, candidate in enumerate(candidates):
            for a_index, area in enumerate(problem.areas):
                for kind, hit in enumerate(_covers(problem, candidate, area)):
                    if hit:
                        hits[kind][a_index].append(c_index)
        weights = (W_PRIMARY_COVER, W_MOBILITY, W_STRENGTH)
        for kind in range(3):
            for a_index in range(k):
                var = n + kind * k + a_index
                objective[var] = weights[kind]
                rows.append(_indicator_row(var, np.array(hits[kind][a_index], dtype=np.int64)))
        for cat_index, category in enumerate(CATEGORIES):
            var = n + 3 * k + cat_index
            objective[var] = W_CATEGORY
            rows.append(_indicator_row(var, np.flatnonzero(categories == category)))
        # At most one candidate per exercise (no exercise twice): one row per exercise.
        order = np.argsort(self.ex_index, kind="stable")
        self.exercise_rows = (self.ex_index[order], order, len(exercises))
        self.objective = objective
        self.base_rows = rows

    def stage_rows(self, stage: frozenset[str]) -> list[_Row]:
        rules = self.problem.rules(stage)
        all_x = np.arange(self.n_x)
        rows = list(self.base_rows)
        rows.append((all_x, self.seconds, -np.inf, float(self.problem.budget_s)))
        rows.append((all_x, np.ones(self.n_x), 1.0, np.inf))
        if "fill" in rules:
            rows.append((all_x, self.seconds, float(self.problem.fill_min_s), np.inf))
        if "shares" in rules:
            main = np.flatnonzero(self.is_main)
            rows.append((main, np.ones(len(main)), 1.0, np.inf))
            for in_phase in (self.is_warmup, self.is_cooldown):
                # share ≥ 10 %: 10·phase − total ≥ 0;  share ≤ 25 %: 4·phase − total ≤ 0.
                low = (in_phase * (1 / PHASE_SHARE_MIN) - 1) * self.seconds
                high = (in_phase * (1 / PHASE_SHARE_MAX) - 1) * self.seconds
                rows.append((all_x, low, 0.0, np.inf))
                rows.append((all_x, high, -np.inf, 0.0))
        if "relax" in rules:
            relax = np.flatnonzero(self.is_relax)
            rows.append((relax, np.ones(len(relax)), 1.0, np.inf))
        return rows

    def assemble(self, rows: list[_Row]) -> LinearConstraint:
        ex_rows, ex_cols, n_exercises = self.exercise_rows
        n_rows = len(rows)
        r_idx = [np.full(len(cols), i, dtype=np.int64) for i, (cols, _, _, _) in enumerate(rows)]
        r_idx.append(ex_rows + n_rows)
        c_idx = [cols for cols, _, _, _ in rows] + [ex_cols]
        vals = [coefs for _, coefs, _, _ in rows] + [np.ones(len(ex_cols))]
        lbs = np.array([lb for _, _, lb, _ in rows] + [-np.inf] * n_exercises)
        ubs = np.array([ub for _, _, _, ub in rows] + [1.0] * n_exercises)
        matrix = coo_array(
            (np.concatenate(vals), (np.concatenate(r_idx), np.concatenate(c_idx))),
            shape=(n_rows + n_exercises, self.n_vars),
        ).tocsr()
        return LinearConstraint(matrix, lbs, ubs)

    def run(self, objective: np.ndarray, rows: list[_Row]) -> tuple[Candidate, ...] | None:
        integrality = np.zeros(self.n_vars)
        integrality[: self.n_x] = 1
        result = milp(
            -objective,
            constraints=self.assemble(rows),
            integrality=integrality,
            bounds=Bounds(0.0, 1.0),
            options={"mip_rel_gap": 0.0, "presolve": True},
        )
        if result.x is None or result.status not in (0, 1):
            return None
        picked = np.flatnonzero(result.x[: self.n_x] > 0.5)
        return tuple(self.candidates[i] for i in picked)

    def solve(self, stage: frozenset[str]) -> tuple[Candidate, ...] | None:
        return self.run(self.objective, self.stage_rows(stage))

    def solve_near_best(self, stage: frozenset[str], best: Solution, seed: int) -> Solution | None:
        rng = np.random.default_rng(seed)
        slack = NEAR_BEST_FRACTION * abs(best.score) + _TOL
        # A seeded preference per exercise, no larger than the allowed loss of score.
        preference = rng.uniform(0.0, slack, size=len(self.problem.exercises))
        noisy = self.objective.copy()
        noisy[: self.n_x] += preference[self.ex_index]
        quality = (np.arange(self.n_vars), self.objective, best.score - slack, np.inf)
        used = sorted({c.exercise for c in best.selection})
        in_best = np.flatnonzero(np.isin(self.ex_index, used))
        differs = (in_best, np.ones(len(in_best)), -np.inf, len(used) - 1.0)
        for extra in ([quality, differs], [quality]):
            chosen = self.run(noisy, self.stage_rows(stage) + extra)
            if chosen is not None:
                return Solution(chosen, score(self.problem, chosen), stage)
        return None


# A sparse row: column indices, their coefficients, lower and upper bound.
_Row = tuple[np.ndarray, np.ndarray, float, float]


def _indicator_row(var: int, earners: np.ndarray) -> _Row:
    """indicator − Σ earners ≤ 0: an indicator is 1 only when some item earns it."""
    cols = np.concatenate([np.array([var], dtype=np.int64), earners.astype(np.int64)])
    coefs = np.concatenate([[1.0], -np.ones(len(earners))])
    return cols, coefs, -np.inf, 0.0

"""The solver: its score equals a brute-force search's, other seeds stay near the best."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

import pytest
from catalog_factory import make_exercise, random_catalog
from hypothesis import given, settings
from hypothesis import strategies as st
from plan_support import SYNTHETIC

from backlib.constants import PAIN_AREAS
from backlib.plan.doses import DoseOption, dose_options
from backlib.plan.engine import solve
from backlib.plan.model import STAGES, Problem, feasible, score

# --- exactness: the planner's score equals a brute-force search's ----------------------------


def brute_force_best(problem: Problem) -> float | None:
    """Try every way to choose at most one dose option per exercise."""
    choices = [[None, *problem.candidates(i)] for i in range(len(problem.exercises))]
    for stage in STAGES:
        best = None
        for combo in itertools.product(*choices):
            selection = [c for c in combo if c is not None]
            if feasible(problem, selection, stage):
                value = score(problem, selection)
                best = value if best is None else max(best, value)
        if best is not None:
            return best
    return None


def tiny_problem(seed: int, size: int, minutes: float, severe: bool) -> Problem:
    rand = random.Random(seed)
    catalog = random_catalog(size, seed, tiny=True)
    exercises = tuple(catalog)
    areas = tuple(rand.sample(PAIN_AREAS, rand.randint(1, 2)))
    return Problem(
        exercises=exercises,
        options=tuple(dose_options(ex, pain=8 if severe else None)[:3] for ex in exercises),
        areas=areas,
        budget_s=int(minutes * 60),
        structured=minutes >= 10,
        need_relaxation=severe,
    )


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    seed=st.integers(0, 10_000),
    size=st.integers(2, 6),
    minutes=st.sampled_from((2, 4, 6, 10, 12)),
    severe=st.booleans(),
)
def test_planner_score_equals_brute_force_on_small_catalogs(seed, size, minutes, severe):
    problem = tiny_problem(seed, size, minutes, severe)
    expected = brute_force_best(problem)
    solution = solve(problem)
    if expected is None:
        assert solution is None
        return
    assert solution is not None
    assert feasible(problem, solution.selection, solution.stage)
    assert solution.score == pytest.approx(expected, abs=1e-6)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10_000), size=st.integers(3, 6), shuffle=st.integers(1, 50))
def test_other_seeds_stay_near_best(seed, size, shuffle):
    problem = tiny_problem(seed, size, 12, False)
    best = solve(problem)
    other = solve(problem, seed=shuffle)
    if best is None:
        assert other is None
        return
    assert other.score >= best.score - 0.05 * abs(best.score) - 1e-6
    assert feasible(problem, other.selection, best.stage)


def brute_force_keeping(problem: Problem) -> tuple[float, frozenset[str]] | None:
    """Per stage the best score and how many kept exercises it holds, by trying everything;
    then the strictest stage that keeps as many as the loosest one with the same held rules."""
    choices = [[None, *problem.candidates(i)] for i in range(len(problem.exercises))]
    found = []
    for stage in STAGES:
        best = None
        for combo in itertools.product(*choices):
            selection = [c for c in combo if c is not None]
            if feasible(problem, selection, stage):
                value = score(problem, selection)
                kept = sum(c.exercise in problem.kept for c in selection)
                if best is None or value > best[0]:
                    best = (value, kept)
        if best is not None:
            found.append((stage, *best))
    if not found:
        return None
    held = problem.held_rules(found[0][0])
    same = [f for f in found if problem.held_rules(f[0]) == held]
    most = same[-1][2]
    stage, value, _ = next(f for f in same if f[2] == most)
    return value, stage


def test_the_stage_rule_for_kept_exercises_matches_brute_force():
    for seed in range(80):
        rand = random.Random(seed)
        size = rand.randint(3, 5)
        problem = tiny_problem(seed, size, rand.choice((4, 10, 12)), rand.random() < 0.5)
        kept = frozenset(rand.sample(range(size), rand.randint(1, size)))
        problem = replace(problem, kept=kept)
        expected = brute_force_keeping(problem)
        solution = solve(problem)
        if expected is None:
            assert solution is None
            continue
        value, stage = expected
        assert solution is not None
        assert feasible(problem, solution.selection, solution.stage)
        assert solution.score == pytest.approx(value, abs=1e-6), seed
        assert problem.rules(solution.stage) == problem.rules(stage), seed


def _one_dose(seconds: int) -> tuple[DoseOption, ...]:
    return (DoseOption(1, 10, None, None, seconds, 0),)


def _kept_walk_problem(severe: bool, budget_s: int = 660) -> Problem:
    """A kept 4-minute walk can only open the session and is over 25 % of any total; in eleven
    minutes the kept walk, squeeze and bridge fit with the stretch, not with the breathing."""
    exercises = (
        make_exercise("walk", category="cardio", phases=("warmup",)),
        make_exercise("march", category="warmup", phases=("warmup",)),
        make_exercise("squeeze"),
        make_exercise("bridge"),
        make_exercise("stretch", category="stretch", phases=("cooldown",), primary=("hips",)),
        make_exercise("breathe", category="relaxation", primary=("hips",)),
    )
    seconds = (240, 60, 180, 150, 90, 120)
    return Problem(
        exercises=exercises,
        options=tuple(_one_dose(s) for s in seconds),
        areas=("lower_back",),
        budget_s=budget_s,
        structured=True,
        need_relaxation=severe,
        gentle=severe,
        kept=frozenset({0, 2, 3}),
    )


def test_a_kept_exercise_outranks_the_warm_up_share_but_not_the_warm_up():
    problem = _kept_walk_problem(severe=False)
    solution = solve(problem)
    chosen = {problem.exercises[c.exercise].id for c in solution.selection}
    assert {"walk", "squeeze", "bridge"} <= chosen
    assert problem.rules(solution.stage) == {"phases"}
    assert {c.phase for c in solution.selection} >= {"warmup", "cooldown"}
    assert solution.score == pytest.approx(brute_force_keeping(problem)[0], abs=1e-6)
    # Without the keep, the shares come first and the walk goes.
    free = solve(replace(problem, kept=frozenset()))
    assert "walk" not in {problem.exercises[c.exercise].id for c in free.selection}
    assert "shares" in problem.rules(free.stage)
    # In ten minutes the three kept ones leave no room for a cool-down: one of them goes.
    shorter = _kept_walk_problem(severe=False, budget_s=600)
    solution = solve(shorter)
    chosen = {shorter.exercises[c.exercise].id for c in solution.selection}
    assert {c.phase for c in solution.selection} >= {"warmup", "cooldown"}
    assert len(chosen & {"walk", "squeeze", "bridge"}) == 2
    assert solution.score == pytest.approx(brute_force_keeping(shorter)[0], abs=1e-6)


def test_at_severe_pain_the_relaxation_item_outranks_a_kept_exercise():
    problem = _kept_walk_problem(severe=True)
    solution = solve(problem)
    chosen = {problem.exercises[c.exercise].id for c in solution.selection}
    assert "breathe" in chosen
    assert len(chosen & {"walk", "squeeze", "bridge"}) == 2
    assert solution.score == pytest.approx(brute_force_keeping(problem)[0], abs=1e-6)


# --- phase tables ----------------------------------------------------------------------------


@pytest.mark.parametrize("severe", [False, True])
def test_a_phase_table_resumed_without_an_exercise_equals_one_built_without_it(severe):
    from backlib.plan.engine import _PhaseTable, _TableSet

    exercises = tuple(SYNTHETIC)
    problem = Problem(
        exercises=exercises,
        options=tuple(dose_options(ex, pain=8 if severe else None) for ex in exercises),
        areas=("lower_back", "hips"),
        budget_s=(12 if severe else 40) * 60,
        structured=True,
        need_relaxation=severe,
        gentle=severe,
    )
    tables = _TableSet(problem).tables(narrow=True)
    checked = 0
    for phase in ("warmup", "main", "cooldown"):
        full = tables.phases[phase]
        for index in full.members:
            resumed = full.without(index)
            rest = [i for i in full.members if i != index]
            fresh = _PhaseTable(problem, rest, full.width, problem.need_relaxation)
            for relax in (False, True) if fresh.has_relaxation else (False,):
                assert resumed.row(relax) == pytest.approx(fresh.row(relax), abs=1e-9)
            checked += 1
    assert checked >= 10

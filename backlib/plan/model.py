"""The routine choice as an optimisation, solved exactly by dynamic programming over 5-s units.

Model. Each eligible exercise has one *place* in a routine for a given request (``place``):
warm-up-type work (warm-up and cardio moves, and mobility not aimed first at a requested area)
opens the session; strength work, mobility aimed at a requested area and stretches whose first
targets include a requested area go in the main part, in the *block* of the first requested area
they target; relaxation and the other stretches close the session; each only where the catalog
allows it. At severe pain (``gentle``) strength work never goes in the warm-up. A *candidate* is
an exercise in its place with one dose option (see ``backlib.plan.doses.dose_options``: the
start dose for the person's level and pain, or less; only a continuous activity may be
lengthened). The planner picks at most one candidate per exercise to maximise

    score =   Σ_areas [ W_PRIMARY_COVER·P_a + W_MOBILITY·M_a + W_STRENGTH·S_a ]   coverage, pairing
            + Σ_items [ W_TIME · r_i·f_i · √(minutes_i) − W_ITEM − W_DOSE_STEP · steps_i
                        + W_KEEP · k_i ]

where, for each requested area a, P_a = 1 when an item of a's main block has a as a primary
target (coverage, primary counting more than secondary), M_a = 1 when a's block holds mobility or
stretch work and S_a = 1 when it holds strength work (the pairing the articles recommend).
Per item, r_i is its *relevance* to the request (``relevance``: RELEVANCE_PRIMARY when a
requested area is one of its primary targets, RELEVANCE_SECONDARY when only a secondary one,
RELEVANCE_OTHER when it targets none, plus RELEVANCE_EXTRA_AREA for each further requested area
it reaches); f_i its *fit* to the person (``level_fit``: 1 at their level, W_LEVEL_BELOW less
for each level below it, so a person's own level is preferred where it exists, and W_PAIN_LIMIT
less when today's pain is at the exercise's pain ceiling, so one with room to spare is
preferred; a movement family the person's condition calls for, e.g. cycling with spinal
stenosis, counts as fully relevant and W_PREFERRED more); minutes_i
its time; steps_i how many rungs its dose is below its start dose; and k_i = 1 for an exercise
the request keeps (a patient's programme), which then stays whenever it fits. The weights, as
this module declares them (a test checks that these lines match):

    W_PRIMARY_COVER = 100
    W_MOBILITY = 25
    W_STRENGTH = 25
    W_TIME = 12
    W_ITEM = 8
    W_DOSE_STEP = 0.5
    W_LEVEL_BELOW = 0.15
    W_KEEP = 1000
    W_PAIN_LIMIT = 0.2
    W_PREFERRED = 0.5
    RELEVANCE_PRIMARY = 1
    RELEVANCE_SECONDARY = 0.5
    RELEVANCE_OTHER = 0.15
    RELEVANCE_EXTRA_AREA = 0.15

The value of an item's time is concave (a square root) and every item costs W_ITEM (one more
transition, one more thing to learn): so a few relevant exercises at the right dose beat many
token ones, and an exercise unrelated to the requested areas (whose time is worth less than its
fixed cost) is used only when nothing relevant can fill the time. Splitting a fully relevant
item of 2t minutes into two of t pays only when t > (W_ITEM / (W_TIME · (2 − √2)))² minutes,
about 1.3 minutes with these weights. Coverage and pairing outweigh any single item's own value.

Constraints: total seconds ≤ budget, at least one item, and the rules of the strictest
``STAGES`` entry the eligible exercises can meet:

- ``fill``: total ≥ 90 % of the budget (from 10 minutes); failing that ``fill_some``: ≥ 75 %;
- ``shares``: warm-up and cool-down each 10–25 % of the total, at least one main item (from
  10 minutes); failing that ``phases``: a warm-up and a cool-down of any length;
- ``relax``: at least one breathing/relaxation item (severe pain; 2023 breathing meta-analysis).

A kept exercise outranks the rules on how much of the time is used and how it is shared
(``KEEP_OUTRANKS``: fill, fill_some, shares), not a warm-up and a cool-down (ACSM) or the
relaxation item: the routine is the best one of the strictest stage that keeps as many kept
exercises as the loosest stage holding the same other rules (``held_rules``). Otherwise a
programme planned at a looser stage (say, uneven phases) would lose an exercise that fits the
time whenever dropping it let a stricter stage be met, since stages rank before the score.

Solution. Every item's seconds are a whole multiple of 5 (``backlib.plan.doses.dose_seconds``
rounds up; the transition allowance absorbs it), so the model counts time in 5-s units and stays
exact.
Because places are disjoint, each phase is a group knapsack over exact units (``_PhaseTable``):
exercises are added one at a time with numpy (each dose option is one shifted maximum over the
whole table), a main block carries a 3-bit state for its P/M/S flags (plus a bit for "has a
relaxation item" when that is required and the phase holds one), and only the reachable prefix
of the table is touched. No back-pointer arrays are kept: the table before each exercise is
kept instead, and a backtrack replays an exercise's step at the one cell it visits (same
arithmetic, same tie rule). When the shares rule applies the warm-up and cool-down tables stop
at 25 % of the budget and the main table at 80 %. The three phase tables are then combined
over every pair of warm-up and cool-down lengths that can meet the shares, with a range maximum
over the main table, which enforces the budget, the fill and the shares exactly; pairs whose
upper bound cannot reach another pair's lower bound are dropped before that range maximum. The
result is the optimum of the score above (tests check it against brute force). A seed other
than 0 asks for a *near-best* alternative: the best routine with one of its exercises (chosen
by the seed) left out, kept only when it scores within 5 % of the best; its phase table resumes
from the state before that exercise.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from backlib.catalog import Exercise
from backlib.constants import (
    FILL_MIN_FRACTION,
    FILL_SOME_FRACTION,
    FLOOR_POSITIONS,
    LEVELS,
    PHASE_SHARE_MAX,
    PHASE_SHARE_MIN,
    POSITIONS,
)
from backlib.plan.doses import TIME_UNIT_S, DoseOption

# Objective weights (see the module docstring). Coverage dominates, then pairing, then the rest.
W_PRIMARY_COVER = 100.0
W_MOBILITY = 25.0
W_STRENGTH = 25.0
W_TIME = 12.0  # value of √minutes of a fully relevant item
W_ITEM = 8.0  # fixed cost of an item: one more transition, one more thing to learn
W_DOSE_STEP = 0.5  # per rung away from the start dose: keep it when time is not short
W_LEVEL_BELOW = 0.15  # per level an exercise is below the person's: prefer their own level
W_KEEP = 1000.0  # a kept exercise (the patient's programme) outweighs everything else
W_PAIN_LIMIT = 0.2  # an exercise at its pain ceiling today counts this much less
W_PREFERRED = 0.5  # a movement family the person's condition prefers counts this much more
RELEVANCE_PRIMARY = 1.0
RELEVANCE_SECONDARY = 0.5
RELEVANCE_OTHER = 0.15
RELEVANCE_EXTRA_AREA = 0.15
MOBILITY_CATEGORIES = frozenset({"mobility", "stretch"})
OPENING_CATEGORIES = frozenset({"warmup", "cardio"})
# Constraint stages, strictest first: each later stage drops one rule the catalog could not meet.
STAGES: tuple[frozenset[str], ...] = (
    frozenset({"fill", "shares", "relax"}),
    frozenset({"fill_some", "shares", "relax"}),
    frozenset({"shares", "relax"}),
    frozenset({"phases", "relax"}),
    frozenset({"relax"}),
    frozenset(),
)
# The rules a kept exercise outranks (see the module docstring).
KEEP_OUTRANKS = frozenset({"fill", "fill_some", "shares"})
PHASES_IN_ORDER = ("warmup", "main", "cooldown")
# Float noise allowed when comparing scores and shares.
TOLERANCE = 1e-6
# Flag bits of a main block's state.
FLAG_PRIMARY, FLAG_MOBILITY, FLAG_STRENGTH = 1, 2, 4


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
    close it. An exercise that works none of the requested areas never goes in the main part.
    At severe pain (``gentle``) strength work is kept out of the warm-up, and floor work never
    warms up: a session opens standing or sitting.
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
    if exercise.position in FLOOR_POSITIONS:
        # The session opens upright and gets down to the floor once (standing, then the floor,
        # then up to finish; after the Otago and UBC GOAL classes, a design convention, U):
        # floor work is done in the main part or the cool-down, never as the warm-up.
        preferred = tuple(p for p in preferred if p != "warmup")
    if not focus:
        # The main part works the areas asked about; an exercise for none of them may only
        # warm up or wind down (never filler: a shorter routine is the right one).
        preferred = tuple(p for p in preferred if p != "main")
    phase = next((p for p in preferred if p in phases), None)
    if phase is None:
        return None
    return phase, (focus[0] if phase == "main" and focus else None)


def with_an_opening(problem: Problem, selection: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """A session of 10 minutes or more opens with a warm-up (ACSM: warm-up, conditioning,
    cool-down), even when severe pain shortens it and every gentle move works a requested area
    (so each was placed in the main part): the main part's most upright, then gentlest,
    moving exercise that may also warm up opens the session instead, with the same dose and
    time."""
    if not problem.structured or any(c.phase == "warmup" for c in selection):
        return selection
    movable = [
        c
        for c in selection
        if c.phase == "main"
        and "warmup" in problem.exercises[c.exercise].phases
        and problem.exercises[c.exercise].category in _MOVING_CATEGORIES
        and problem.exercises[c.exercise].position not in FLOOR_POSITIONS  # as in place()
    ]
    if not movable:
        return selection
    # Upright first, then the gentlest: a session starts standing or sitting and gets down to
    # the floor once (Otago: a standing warm-up first).
    opener = min(
        movable,
        key=lambda c: (
            POSITIONS.index(problem.exercises[c.exercise].position),
            problem.exercises[c.exercise].met,
            c.exercise,
        ),
    )
    if not any(c.phase == "main" and c is not opener for c in selection):
        return selection  # the main part would be left empty
    return tuple(
        Candidate(c.exercise, "warmup", None, c.option) if c is opener else c for c in selection
    )


_MOVING_CATEGORIES = frozenset({"warmup", "cardio", "mobility"})


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


def level_fit(exercise: Exercise, level: str) -> float:
    """The f of the module docstring: 1 at the person's level, less for each level below it."""
    below = max(0, LEVELS.index(level) - LEVELS.index(exercise.level))
    return max(0.0, 1.0 - W_LEVEL_BELOW * below)


def item_weight(
    exercise: Exercise,
    areas: Sequence[str],
    level: str,
    pain: int | None = None,
    preferred: frozenset[str] = frozenset(),
) -> float:
    """r · f: the item's relevance to the areas, times its fit to the person's level and pain."""
    weight = relevance(exercise, areas) * level_fit(exercise, level)
    if pain is not None and pain >= exercise.pain_max:
        weight *= 1.0 - W_PAIN_LIMIT  # at its pain ceiling: prefer one with room to spare
    if exercise.family in preferred:
        # A family the person's condition calls for serves the whole request, and more so.
        weight = max(weight, RELEVANCE_PRIMARY * level_fit(exercise, level)) * (1.0 + W_PREFERRED)
    return weight


def option_value(weight: float, seconds: float, steps: float, kept: bool = False):
    """An item's own part of the score: W_TIME · r·f · √minutes − W_ITEM − W_DOSE_STEP · steps,
    plus W_KEEP for an exercise the request keeps."""
    value = W_TIME * weight * np.sqrt(np.asarray(seconds) / 60.0) - W_ITEM - W_DOSE_STEP * steps
    return value + W_KEEP * kept


_LADDERS: dict[int, tuple] = {}
_LADDERS_MAX = 4096


def _ladder_arrays(options: tuple[DoseOption, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A dose ladder as arrays: units (5-s, rounded up), √minutes and steps; cached per ladder.

    The planner reuses the same ladder tuples for every request (per catalog and pain band), so
    the cache is keyed by identity and holds the tuple itself to keep the key valid.
    """
    entry = _LADDERS.get(id(options))
    if entry is not None and entry[0] is options:
        return entry[1]
    seconds = np.array([o.seconds for o in options], dtype=np.int64)
    arrays = (
        -(-seconds // TIME_UNIT_S),
        np.sqrt(seconds / 60.0),
        np.array([o.steps for o in options], dtype=np.float64),
    )
    if len(_LADDERS) >= _LADDERS_MAX:
        _LADDERS.clear()
    _LADDERS[id(options)] = (options, arrays)
    return arrays


@dataclass(frozen=True)
class Placed:
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
    level: str = "beginner"
    kept: frozenset[int] = frozenset()
    pain: int | None = None
    preferred: frozenset[str] = frozenset()

    @functools.cached_property
    def placed(self) -> tuple[Placed | None, ...]:
        """Per exercise: where it goes and its options as numpy arrays (None: no place).

        The option arrays of a dose ladder are built once per ladder (``_ladder_arrays``); the
        values of all exercises are then computed in one vectorised step, with the same
        floating-point operations as ``option_value``.
        """
        wheres, weights, bonuses, ladders = [], [], [], []
        for index, (exercise, options) in enumerate(zip(self.exercises, self.options, strict=True)):
            where = place(exercise, self.areas, self.gentle) if options else None
            wheres.append(where)
            if where is not None:
                weights.append(
                    item_weight(exercise, self.areas, self.level, self.pain, self.preferred)
                )
                bonuses.append(W_KEEP * (index in self.kept))
                ladders.append(_ladder_arrays(options))
        if ladders:
            sizes = [len(ladder[0]) for ladder in ladders]
            root = np.concatenate([ladder[1] for ladder in ladders])
            steps = np.concatenate([ladder[2] for ladder in ladders])
            weight = np.repeat(np.array(weights), sizes)
            bonus = np.repeat(np.array(bonuses), sizes)
            values = W_TIME * weight * root - W_ITEM - W_DOSE_STEP * steps + bonus
            ends = np.cumsum(sizes)
        result = []
        used = 0
        for exercise, where in zip(self.exercises, wheres, strict=True):
            if where is None:
                result.append(None)
                continue
            phase, block = where
            units = ladders[used][0]
            stop = int(ends[used])
            result.append(
                Placed(
                    phase,
                    block,
                    flag_bits(exercise, block),
                    exercise.category == "relaxation",
                    units,
                    values[stop - len(units) : stop],
                )
            )
            used += 1
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
            active -= {"fill", "fill_some", "shares", "phases"}
        if not self.need_relaxation:
            active.discard("relax")
        return frozenset(active)

    def held_rules(self, stage: frozenset[str]) -> frozenset[str]:
        """The stage's rules that a kept exercise does not outrank; the shares imply phases."""
        rules = self.rules(stage)
        held = set(rules - KEEP_OUTRANKS)
        if "shares" in rules:
            held.add("phases")
        return frozenset(held)

    def fill_min_s(self, rules: frozenset[str]) -> int:
        """The least total the rules allow: 90 % of the budget ("fill"), 75 % ("fill_some")."""
        if "fill" in rules:
            fraction = FILL_MIN_FRACTION
        elif "fill_some" in rules:
            fraction = FILL_SOME_FRACTION
        else:
            return 0
        return math.ceil(fraction * self.budget_s - 1e-9)

    @property
    def budget_units(self) -> int:
        return self.budget_s // TIME_UNIT_S

    def fill_min_units(self, rules: frozenset[str]) -> int:
        return -(-self.fill_min_s(rules) // TIME_UNIT_S)


def item_value(problem: Problem, candidate: Candidate) -> float:
    """The part of the score an item brings on its own (time value, fixed cost, dose steps)."""
    exercise = problem.exercises[candidate.exercise]
    weight = item_weight(exercise, problem.areas, problem.level, problem.pain, problem.preferred)
    kept = candidate.exercise in problem.kept
    return float(option_value(weight, candidate.option.seconds, candidate.option.steps, kept))


def flag_bits(exercise: Exercise, block: str | None) -> int:
    """The P/M/S bits an item sets in its main block (0 outside the main part)."""
    if block is None:
        return 0
    bits = FLAG_PRIMARY if block in exercise.primary_areas else 0
    if exercise.category in MOBILITY_CATEGORIES:
        bits |= FLAG_MOBILITY
    elif exercise.category == "strength":
        bits |= FLAG_STRENGTH
    return bits


def _flag_bonus(bits: int) -> float:
    return (
        W_PRIMARY_COVER * bool(bits & FLAG_PRIMARY)
        + W_MOBILITY * bool(bits & FLAG_MOBILITY)
        + W_STRENGTH * bool(bits & FLAG_STRENGTH)
    )


FLAG_BONUS = np.array([_flag_bonus(flags) for flags in range(8)])


def score(problem: Problem, selection: Sequence[Candidate]) -> float:
    """The objective of the module docstring for a chosen set of candidates."""
    total = sum(item_value(problem, c) for c in selection)
    for area in problem.areas:
        bits = 0
        for c in selection:
            if c.block == area:
                bits |= flag_bits(problem.exercises[c.exercise], c.block)
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
    if total < problem.fill_min_s(rules):
        return False
    if "phases" in rules and not {"warmup", "cooldown"} <= {c.phase for c in selection}:
        return False
    if "shares" in rules:
        if not any(c.phase == "main" for c in selection):
            return False
        for phase in ("warmup", "cooldown"):
            seconds = sum(c.option.seconds for c in selection if c.phase == phase)
            if (
                seconds < PHASE_SHARE_MIN * total - TOLERANCE
                or seconds > PHASE_SHARE_MAX * total + TOLERANCE
            ):
                return False
    has_relaxation = any(problem.exercises[c.exercise].category == "relaxation" for c in selection)
    return has_relaxation or "relax" not in rules


@dataclass(frozen=True)
class Solution:
    selection: tuple[Candidate, ...]
    score: float
    stage: frozenset[str]

"""The solver of the routine model: an exact dynamic programme over 5-s units.

See :mod:`backlib.plan.model` for the objective and the rules it enforces. Because places are
disjoint, each phase is a group knapsack over exact units (``_PhaseTable``); the three phase
tables are then combined over every pair of warm-up and cool-down lengths that can meet the
shares, with a range maximum over the main table. The result is the optimum of the model's score
(tests check it against brute force).
"""

from __future__ import annotations

import math

import numpy as np

from backlib.constants import PHASE_SHARE_MAX, PHASE_SHARE_MIN
from backlib.plan.model import (
    FLAG_BONUS,
    FLAG_MOBILITY,
    FLAG_PRIMARY,
    FLAG_STRENGTH,
    PHASES_IN_ORDER,
    STAGES,
    TOLERANCE,
    W_KEEP,
    Candidate,
    Placed,
    Problem,
    Solution,
    flag_bits,
    score,
)

# A shuffled routine may score at most this fraction below the best one.
NEAR_BEST_FRACTION = 0.05
# How many pairs of the best routine's exercises a shuffle tries leaving out before giving up.
SHUFFLE_TRIES = 6
# A shuffled routine replaces at least this many of the best routine's exercises.
SHUFFLE_MIN_CHANGED = 2
_NEG = -np.inf
# The shares rule in whole units: 4·phase ≤ total ≤ 10·phase (10-25 % of the total).
_SHARE_LOW, _SHARE_HIGH = round(1 / PHASE_SHARE_MAX), round(1 / PHASE_SHARE_MIN)


def solve(problem: Problem, seed: int = 0) -> Solution | None:
    """The best selection under the strictest stage that is feasible; None if nothing fits.

    With seed ≠ 0, a near-best selection that differs from the best one in at least
    SHUFFLE_MIN_CHANGED exercises when the catalog allows: the seed orders the pairs of the best
    routine's exercises, each pair is left out in turn (only their phase tables are rebuilt), and
    the first alternative within NEAR_BEST_FRACTION of the best score is taken.
    """
    tables = _TableSet(problem)
    best = tables.best_of(STAGES)
    if best is None or seed == 0:
        return best
    rng = np.random.default_rng(seed)
    slack = NEAR_BEST_FRACTION * abs(own_score(problem, best)) + TOLERANCE
    used = replaceable(problem, best)
    pairs = [(a, b) for i, a in enumerate(used) for b in used[i + 1 :]]
    for position in rng.permutation(len(pairs))[:SHUFFLE_TRIES]:
        first, second = pairs[position]
        alternative = tables.without(first).without(second).best_of((best.stage,))
        if alternative is not None and alternative.score >= best.score - slack:
            return alternative
    # No near-best routine changes two exercises: one changed is still a different routine.
    for position in rng.permutation(len(used))[:SHUFFLE_TRIES]:
        alternative = tables.without(used[position]).best_of((best.stage,))
        if alternative is not None and alternative.score >= best.score - slack:
            return alternative
    return best


def replaceable(problem: Problem, best: Solution) -> list[int]:
    """The best routine's exercises a shuffle may leave out: not kept, and not the only one that
    gives its area's block its primary, mobility or strength work (leaving that out would cost
    a whole coverage bonus, far more than the near-best slack)."""
    providers: dict[tuple[str | None, int], list[int]] = {}
    for candidate in best.selection:
        bits = flag_bits(problem.exercises[candidate.exercise], candidate.block)
        for bit in (FLAG_PRIMARY, FLAG_MOBILITY, FLAG_STRENGTH):
            if bits & bit:
                providers.setdefault((candidate.block, bit), []).append(candidate.exercise)
    sole = {members[0] for members in providers.values() if len(members) == 1}
    return sorted({c.exercise for c in best.selection} - problem.kept - sole)


def own_score(problem: Problem, solution: Solution) -> float:
    """The score without the keep bonus, so "within 5 %" means the same with or without keeps."""
    kept = sum(c.exercise in problem.kept for c in solution.selection)
    return solution.score - W_KEEP * kept


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
        # Kept exercises that have a place and whose shortest dose fits the budget.
        self.keepable = sum(i in problem.kept for members in self.members.values() for i in members)
        self._tables: dict[bool, _Tables] = {}
        self._solved: dict[frozenset[str], Solution | None] = {}

    def without(self, index: int) -> _TableSet:
        return _TableSet(self.problem, self.left_out | {index}, self)

    def tables(self, narrow: bool) -> _Tables:
        if narrow not in self._tables:
            parent = self.parent.tables(narrow) if self.parent is not None else None
            self._tables[narrow] = _Tables(self.problem, self.members, narrow, parent)
        return self._tables[narrow]

    def best_of(self, stages: tuple[frozenset[str], ...]) -> Solution | None:
        """The best selection of the strictest feasible stage, or of a looser one when that
        keeps more kept exercises without giving up a rule they do not outrank (the model's
        ``held_rules``): stages rank before the score, so the keep bonus alone cannot do it."""
        if not self.any_item:
            return None
        for position, stage in enumerate(stages):
            best = self._best_at(stage)
            if best is None:
                continue
            if self._kept_in(best) < self.keepable:
                best = self._keeping_more(best, stages[position + 1 :])
            return best
        return None

    def _best_at(self, stage: frozenset[str]) -> Solution | None:
        """The best selection under one stage (solved once per set of rules that apply)."""
        rules = self.problem.rules(stage)
        if rules not in self._solved:
            chosen = self.tables("shares" in rules).best(stage)
            found = None if chosen is None else Solution(chosen, score(self.problem, chosen), stage)
            self._solved[rules] = found
        return self._solved[rules]

    def _kept_in(self, solution: Solution) -> int:
        return sum(c.exercise in self.problem.kept for c in solution.selection)

    def _keeping_more(self, best: Solution, looser: tuple[frozenset[str], ...]) -> Solution:
        """Of best and the looser stages that hold the same other rules, the strictest whose
        best keeps as many kept exercises as the loosest of them (the count can only grow as a
        stage loosens, and within a stage the keep bonus outweighs everything else)."""
        held = self.problem.held_rules(best.stage)
        same = [stage for stage in looser if self.problem.held_rules(stage) == held]
        if not same:
            return best
        loosest = self._best_at(same[-1])
        if loosest is None or self._kept_in(loosest) <= self._kept_in(best):
            return best
        most = self._kept_in(loosest)
        for stage in same[:-1]:
            found = self._best_at(stage)
            if found is not None and self._kept_in(found) == most:
                return found
        return loosest


class _Tables:
    """The three phase tables; with ``narrow`` warm-up and cool-down stop at 25 % of the budget.

    With the shares rule the main part also stops at 80 % of the budget: warm-up and cool-down
    each take at least a tenth of the total, so main ≤ total − 2·total/10 ≤ 0.8 · budget. A
    knapsack table's entry at u units depends only on entries below u, so a narrower table holds
    exactly the same values (and back-pointers) as the first columns of a wider one.

    A table set that leaves one exercise out (a shuffle) derives each changed phase table from
    its parent's by resuming the knapsack just before that exercise, and shares the parent's
    warm-up/cool-down pairs when those two tables are unchanged.
    """

    def __init__(self, problem: Problem, members: dict[str, list[int]], narrow: bool, parent):
        self.problem = problem
        self.relax_bit = problem.need_relaxation
        budget = problem.budget_units
        side = math.floor(PHASE_SHARE_MAX * budget) + 1 if narrow else budget + 1
        main_width = (_SHARE_HIGH - 2) * budget // _SHARE_HIGH + 1 if narrow else budget + 1
        self.phases: dict[str, _PhaseTable] = {}
        for phase in PHASES_IN_ORDER:
            width = main_width if phase == "main" else side
            old = parent.phases.get(phase) if parent is not None else None
            if old is not None and old.width == width and old.members == members[phase]:
                self.phases[phase] = old
                continue
            if old is not None and old.width == width:
                gone = set(old.members) - set(members[phase])
                if len(gone) == 1 and len(old.members) == len(members[phase]) + 1:
                    self.phases[phase] = old.without(gone.pop())
                    continue
            self.phases[phase] = _PhaseTable(problem, members[phase], width, self.relax_bit)
        same_sides = parent is not None and all(
            self.phases[p] is parent.phases[p] for p in ("warmup", "cooldown")
        )
        self._pairs: dict[int, tuple | None] = parent._pairs if same_sides else {}

    def _share_pairs(self, low_total: int):
        """Warm-up and cool-down lengths that can meet the shares, with their main ranges.

        For every pair (w, c) of reachable lengths the total T must satisfy T ≥ low_total,
        T ≤ budget and 10 % ≤ share ≤ 25 % (4·max(w, c) ≤ T ≤ 10·min(w, c)); the main part then
        takes m = T − w − c units, between m_low (at least 1) and m_high. Pairs are listed in
        warm-up-major order and only those with a non-empty main range are kept. A pair is
        possible for some relaxation row only if it is for the best-of-rows tables, so one list
        serves every relaxation placement. Lengths under low_total / 10 cannot reach the total
        and are dropped first.
        """
        if low_total in self._pairs:
            return self._pairs[low_total]
        budget = self.problem.budget_units
        shortest = -(-low_total // _SHARE_HIGH)
        # int32 halves the memory the pair arrays move; every length fits easily.
        w_times = np.flatnonzero(np.isfinite(self.phases["warmup"].row(False))).astype(np.int32)
        c_times = np.flatnonzero(np.isfinite(self.phases["cooldown"].row(False))).astype(np.int32)
        w_times = w_times[w_times >= shortest]
        c_times = c_times[c_times >= shortest]
        result = None
        if len(w_times) and len(c_times):
            ww, cc = w_times[:, None], c_times[None, :]
            outer = ww + cc
            m_low = np.maximum(ww, cc)
            m_low *= _SHARE_LOW
            np.maximum(m_low, low_total, out=m_low)
            m_low -= outer
            np.maximum(m_low, 1, out=m_low)
            m_high = np.minimum(ww, cc)
            m_high *= _SHARE_HIGH
            np.minimum(m_high, budget, out=m_high)
            m_high -= outer
            np.minimum(m_high, self.phases["main"].width - 1, out=m_high)
            keep = np.flatnonzero(m_low <= m_high)
            if len(keep):
                w_at, c_at = np.divmod(keep, len(c_times))
                result = (
                    w_times[w_at],
                    c_times[c_at],
                    m_low.ravel()[keep],
                    m_high.ravel()[keep],
                )
        self._pairs[low_total] = result
        return result

    def best(self, stage: frozenset[str]) -> tuple[Candidate, ...] | None:
        """Combine the phase tables under a stage's rules; the chosen items, or None."""
        problem = self.problem
        rules = problem.rules(stage)
        budget = problem.budget_units
        shares = "shares" in rules
        low_total = max(1, problem.fill_min_units(rules))
        pairs = self._share_pairs(low_total) if shares else None
        if shares and pairs is None:
            return None
        best_value, best_pick = _NEG, None
        # With a relaxation item required, try each phase as the one that holds it.
        for relax_phase in list(PHASES_IN_ORDER) if "relax" in rules else [None]:
            if relax_phase is not None and not self.phases[relax_phase].has_relaxation:
                continue  # no relaxation item in that phase: nothing is possible
            warm = self.phases["warmup"].row(relax_phase == "warmup")
            cool = self.phases["cooldown"].row(relax_phase == "cooldown")
            if "phases" in rules and not shares:
                # A warm-up and a cool-down of some length: neither may be empty.
                warm, cool = warm.copy(), cool.copy()
                warm[0] = cool[0] = _NEG
            main = self.phases["main"]
            if shares:
                ww, cc, m_low, m_high = pairs
                pair_value = warm[ww] + cool[cc]
                # Bound before the range maxima: a pair's main part is worth at most the best
                # main value up to m_high and at least main[m_high], so a pair whose ceiling is
                # under another pair's floor (or under the best of an earlier placement) can be
                # neither the maximum nor tied with it; the rest keep their order.
                relax_main = relax_phase == "main"
                floor = float(np.max(pair_value + main.row(relax_main)[m_high]))
                ceiling = pair_value + main.prefix_max(relax_main)[m_high]
                keep = ceiling >= floor
                if np.isfinite(best_value):
                    keep &= ceiling > best_value + TOLERANCE
                keep = np.flatnonzero(keep)
                if not len(keep):
                    continue
                pair_value, ww, cc = pair_value[keep], ww[keep], cc[keep]
                m_low, m_high = m_low[keep], m_high[keep]
            else:
                pair_value, split = _max_plus(warm, cool, budget + 1)
                outer = np.flatnonzero(np.isfinite(pair_value))
                pair_value = pair_value[outer]
                ww, cc = split[outer], outer - split[outer]
                m_low = np.maximum(low_total - outer, 0)
                m_high = budget - outer
                ok = m_low <= m_high
                if not ok.any():
                    continue
                pair_value, ww, cc = pair_value[ok], ww[ok], cc[ok]
                m_low, m_high = m_low[ok], m_high[ok]
            main_best, main_at = main.range_max(relax_phase == "main").query(m_low, m_high)
            total = pair_value + main_best
            pick = int(np.argmax(total))
            if np.isfinite(total[pick]) and total[pick] > best_value + TOLERANCE:
                best_value = float(total[pick])
                best_pick = (relax_phase, int(ww[pick]), int(main_at[pick]), int(cc[pick]))
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
    When a relaxation item is required and the phase has one, every state also carries a "has
    relaxation" bit (a second row); a phase without relaxation items needs no such row.

    The table keeps the knapsack state before each exercise (the arrays are never modified in
    place, so this costs no copies): ``without`` resumes from the state before the exercise it
    leaves out instead of starting again.
    """

    def __init__(self, problem: Problem, members: list[int], width: int, relax_bit: bool):
        self.problem = problem
        self.members = list(members)
        self.width = width
        self.has_relaxation = relax_bit and any(problem.placed[i].relaxation for i in members)
        self.rows = 2 if self.has_relaxation else 1
        by_block: dict[str | None, list[int]] = {}
        # Shortest longest-dose first: the reachable prefix then grows as slowly as it can.
        for index in sorted(members, key=lambda i: (int(problem.placed[i].units[-1]), i)):
            by_block.setdefault(problem.placed[index].block, []).append(index)
        self.blocks: list[tuple[str | None, list[int]]] = list(by_block.items())
        self.steps: list[tuple] = []
        self._cache: dict = {}
        running = np.full((self.rows, width), _NEG)
        running[0, 0] = 0.0
        if self.blocks:
            self._run(0, self._open(running, 0), 0, [])
        else:
            self.table = running

    def _open(self, running: np.ndarray, k: int) -> np.ndarray:
        """The state table at the start of block k: flags empty, the running best copied in."""
        states = 1 << (3 if self.blocks[k][0] is not None else 0)
        dp = np.full((states * self.rows, self.width), _NEG)
        dp[0 : states * self.rows : states] = running
        return dp

    def _run(self, k: int, dp: np.ndarray, reach: int, history: list) -> None:
        """Process block k from its exercise len(history) on, then every later block."""
        problem = self.problem
        rows = self.rows
        while True:
            indices = self.blocks[k][1]
            states = dp.shape[0] // rows
            for index in indices[len(history) :]:
                placed = problem.placed[index]
                bits = placed.bits
                if rows == 2 and placed.relaxation:
                    bits |= states  # the relaxation bit sits above the flags
                history.append((index, bits, dp, reach))
                dp, reach = _add_exercise(dp, placed.units, placed.values, bits, reach)
            # Close the block: add its flag bonus and keep the best flags per (relax, units).
            if states > 1:
                shaped = dp.reshape(rows, states, self.width) + FLAG_BONUS[None, :states, None]
                flags_at = np.argmax(shaped, axis=1)
                running = np.take_along_axis(shaped, flags_at[:, None, :], axis=1)[:, 0, :]
            else:
                running, flags_at = dp, None
            self.steps.append((states, history, flags_at, dp))
            k += 1
            if k == len(self.blocks):
                break
            dp, history = self._open(running, k), []
        self.table = running

    def without(self, index: int) -> _PhaseTable:
        """The same table with one member left out, resumed from the state before it."""
        new = object.__new__(_PhaseTable)
        new.__dict__.update(self.__dict__)
        new.members = [i for i in self.members if i != index]
        new._cache = {}
        k = next(k for k, (_, indices) in enumerate(self.blocks) if index in indices)
        block, indices = self.blocks[k]
        j = indices.index(index)
        new.blocks = list(self.blocks)
        new.blocks[k] = (block, indices[:j] + indices[j + 1 :])
        new.steps = self.steps[:k]
        history = self.steps[k][1]
        _, _, dp, reach = history[j]
        new._run(k, dp, reach, history[:j])
        return new

    def row(self, relax: bool) -> np.ndarray:
        """Best per units with a relaxation item (relax) or whether or not one is included."""
        if relax not in self._cache:
            self._cache[relax] = self.table[1] if relax else self.table.max(axis=0)
        return self._cache[relax]

    def prefix_max(self, relax: bool) -> np.ndarray:
        """Best of row(relax) over units 0..u, for every u."""
        key = ("prefix", relax)
        if key not in self._cache:
            self._cache[key] = np.maximum.accumulate(self.row(relax))
        return self._cache[key]

    def range_max(self, relax: bool) -> _RangeMax:
        key = ("range", relax)
        if key not in self._cache:
            self._cache[key] = _RangeMax(self.row(relax))
        return self._cache[key]

    def backtrack(self, units: int, relax: bool) -> list[Candidate]:
        """The items that reach row(relax)[units].

        An exercise was taken at a cell exactly when its step raised the cell's value; which
        option it took (and the flag state it came from) is found by replaying that one step
        for that one cell (``_replay``), with the same arithmetic and the same tie rule.
        """
        problem = self.problem
        row = 0
        if self.rows == 2:
            row = 1 if relax else int(np.argmax(self.table[:, units]))
        chosen: list[Candidate] = []
        for states, history, flags_at, after in reversed(self.steps):
            state = row * states + (int(flags_at[row, units]) if flags_at is not None else 0)
            for index, bits, before, reach in reversed(history):
                if after[state, units] > before[state, units]:
                    placed = problem.placed[index]
                    option, state = _replay(before, reach, placed, bits, state, units)
                    chosen.append(
                        Candidate(index, placed.phase, placed.block, problem.options[index][option])
                    )
                    units -= int(placed.units[option])
                after = before
            row = state // states
        return chosen


def _add_exercise(dp: np.ndarray, units: np.ndarray, values: np.ndarray, bits: int, reach: int):
    """Add one exercise (at most one of its options) to a table of states × units.

    Only the reachable prefix (units 0..reach) can hold a finite value, so only it is shifted.
    Returns the new table and the new reach. No back-pointers are kept: ``_replay`` recovers
    the option taken at the few cells a backtrack visits. ``dp`` itself is left unchanged.
    """
    states, width = dp.shape
    source = _or_values(dp, bits, reach) if bits else dp
    new = dp.copy()
    buffer = np.empty((states, min(reach + 1, width)))
    new_reach = reach
    for shift, value in zip(units.tolist(), values.tolist(), strict=True):
        if shift >= width:
            break
        span = min(reach + 1, width - shift)
        candidate = buffer[:, :span]
        np.add(source[:, :span], value, out=candidate)
        region = new[:, shift : shift + span]
        np.maximum(region, candidate, out=region)
        new_reach = max(new_reach, shift + span - 1)
    return new, new_reach


def _replay(before: np.ndarray, reach: int, placed: Placed, bits: int, state: int, units: int):
    """The option (index) an exercise's step took at one cell, and the state it came from.

    Repeats ``_add_exercise`` for that cell only: options in order, each replacing the best so
    far only when strictly better, the source state found as ``_or_states`` finds it.
    """
    width = before.shape[1]
    options, columns = [], []
    for option, shift in enumerate(placed.units.tolist()):
        if shift >= width:
            break
        if shift <= units < shift + min(reach + 1, width - shift):
            options.append(option)
            columns.append(units - shift)
    block = np.ascontiguousarray(before[:, columns])
    origin = None
    if bits:
        block, origin = _or_states(block, bits, len(columns) - 1)
    best, taken, came_from = before[state, units], None, state
    for k, option in enumerate(options):
        candidate = block[state, k] + placed.values[option]
        if candidate > best:
            best, taken = candidate, option
            came_from = int(origin[state, k]) if origin is not None else state
    if taken is None:
        raise AssertionError("a raised cell must come from one of the exercise's options")
    return taken, came_from


def _or_values(dp: np.ndarray, bits: int, reach: int) -> np.ndarray:
    """For every state t, the best of dp over states s with s | bits == t (units 0..reach)."""
    states = dp.shape[0]
    span = min(reach + 1, dp.shape[1])
    values = dp[:, :span].copy()
    for bit in range(states.bit_length() - 1):
        if not bits >> bit & 1:
            continue
        v = values.reshape(states >> (bit + 1), 2, 1 << bit, span)
        np.maximum(v[:, 1], v[:, 0], out=v[:, 1])
        v[:, 0] = _NEG
    return values


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

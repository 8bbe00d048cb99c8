"""Exercise figures: the time drawing a routine's figures adds to Generate in the app.

Target: at most 20 ms per routine, p95, with the figures drawn for the first time in the
process (nothing cached), which is what Generate pays for a routine of new exercises. A routine
card draws one animated figure per item; the handout and programme sheet draw two stills each.
Routines are those of the planner benchmark's request mix (1-3 areas, 5-90 minutes).
"""

from __future__ import annotations

import random
import statistics
import time

import backlib
from backlib.constants import PAIN_AREAS
from backlib.figures import svg as figure_svg
from backlib.figures.poses import packaged_poses
from backlib.widgets.cards import routine_cards_html

TARGET_MS = 20.0


def routines(count: int, seed: int) -> list:
    rand = random.Random(seed)
    return [
        backlib.plan_routine(
            rand.sample(PAIN_AREAS, rand.randint(1, 3)),
            rand.randint(5, 90),
            level=rand.choice(("beginner", "intermediate", "advanced")),
            seed=rand.choice((0, 0, 1)),
        )
        for _ in range(count)
    ]


def measure(plans: list, *, cold: bool) -> list[float]:
    """Milliseconds per routine to draw every item's animated figure for its card."""
    times = []
    for routine in plans:
        if cold:
            figure_svg._exercise_svg.cache_clear()
        start = time.perf_counter()
        for item in routine.items:
            figure_svg.exercise_figure(item.exercise, animate=True, size=110)
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(name: str, times: list[float]) -> None:
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1]
    verdict = "meets" if p95 <= TARGET_MS else "MISSES"
    print(
        f"{name}: n={len(times)} p50={p50:.1f} ms p95={p95:.1f} ms max={max(times):.1f} ms "
        f"({verdict} the p95 target of {TARGET_MS:g} ms)"
    )


def main() -> None:
    packaged_poses()  # the pose file is read once per process, at the first figure
    plans = routines(100, 7)
    items = statistics.mean(len(r.items) for r in plans)
    print(f"routines: {len(plans)} from 1-3 random areas and 5-90 minutes, {items:.1f} items each")
    report("figures for a routine's cards, first drawing", measure(plans, cold=True))
    report("figures for a routine's cards, drawn before", measure(plans, cold=False))
    start = time.perf_counter()
    for routine in plans[:20]:
        figure_svg._exercise_svg.cache_clear()
        routine_cards_html(routine)
    cards = (time.perf_counter() - start) * 1000 / 20
    print(f"whole routine cards with figures, first drawing: {cards:.1f} ms per routine")
    start = time.perf_counter()
    for routine in plans[:20]:
        figure_svg._exercise_svg.cache_clear()
        routine.to_html()
    handout = (time.perf_counter() - start) * 1000 / 20
    print(f"handout with start and end figures, first drawing: {handout:.1f} ms per routine")


if __name__ == "__main__":
    main()

"""Latency of plan_routine: p50/p95 on the shipped catalog and on a synthetic 2,000-exercise one.

Targets (issue 3): p95 ≤ 20 ms on the shipped catalog, ≤ 500 ms at 2,000 exercises.
Requests are random but reproducible: 1-3 areas, 5-90 minutes, every level and pain band.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from catalog_factory import random_catalog

import backlib
from backlib.constants import EQUIPMENT, PAIN_AREAS


def requests(count: int, seed: int) -> list[dict]:
    rand = random.Random(seed)
    return [
        {
            "areas": rand.sample(PAIN_AREAS, rand.randint(1, 3)),
            "minutes": rand.randint(5, 90),
            "level": rand.choice(("beginner", "intermediate", "advanced")),
            "pain": rand.choice((None, 0, 2, 3, 5, 6, 8)),
            "equipment": rand.sample(EQUIPMENT, rand.randint(0, 3)),
            "seed": rand.choice((0, 0, 0, 1)),
        }
        for _ in range(count)
    ]


def measure(catalog, count: int, seed: int) -> list[float]:
    backlib.plan_routine(["lower_back"], 20, catalog=catalog)  # warm caches and imports
    times = []
    for request in requests(count, seed):
        start = time.perf_counter()
        backlib.plan_routine(
            request.pop("areas"), request.pop("minutes"), catalog=catalog, **request
        )
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(name: str, times: list[float], target_ms: float) -> None:
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1]
    verdict = "meets" if p95 <= target_ms else "MISSES"
    print(
        f"{name}: n={len(times)} p50={p50:.1f} ms p95={p95:.1f} ms max={max(times):.1f} ms "
        f"({verdict} the p95 target of {target_ms:g} ms)"
    )


MIX = (
    "request mix: 1-3 random areas, minutes uniform 5-90, level uniform, pain from "
    "(None, 0, 2, 3, 5, 6, 8), 0-3 random equipment, seed 0 in 3 of 4 requests and 1 (Shuffle) "
    "in 1 of 4"
)


def main() -> None:
    print(MIX)
    shipped = backlib.load_catalog()
    report(f"shipped catalog ({len(shipped)} exercises)", measure(shipped, 200, 1), 20)
    big = random_catalog(2000, seed=2)
    report("synthetic catalog (2000 exercises)", measure(big, 20, 2), 500)


if __name__ == "__main__":
    main()

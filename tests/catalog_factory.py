"""Synthetic exercise catalogs for planner tests and benchmarks (built in memory, never shipped)."""

from __future__ import annotations

import random

from backlib.catalog import Catalog, Dose, DoseRange, Exercise
from backlib.constants import CAUTIONS, PAIN_AREAS

# Phases a category may be used in, as a reviewer would tag them.
CATEGORY_PHASES = {
    "warmup": ("warmup",),
    "cardio": ("warmup", "main"),
    "mobility": ("warmup", "main", "cooldown"),
    "stretch": ("main", "cooldown"),
    "strength": ("main",),
    "relaxation": ("cooldown",),
}


def make_exercise(
    ex_id: str,
    *,
    category: str = "strength",
    phases: tuple[str, ...] | None = None,
    primary: tuple[str, ...] = ("lower_back",),
    secondary: tuple[str, ...] = (),
    level: str = "beginner",
    equipment: tuple[str, ...] = ("none",),
    cautions: tuple[str, ...] = (),
    sets: tuple[int, int, int] = (2, 1, 3),
    reps: tuple[int, int, int] | None = (10, 5, 15),
    hold_s: tuple[int, int, int] | None = None,
    duration_s: tuple[int, int, int] | None = None,
    per_side: bool = False,
    seconds_per_rep: float = 3.0,
    rest_s: int = 20,
    met: float = 3.5,
) -> Exercise:
    """One exercise; ranges are (default, min, max)."""

    def rng(values):
        return None if values is None else DoseRange(*values)

    if duration_s is not None:
        reps = None
        hold_s = None
    return Exercise(
        id=ex_id,
        name=ex_id.replace("-", " ").capitalize(),
        aliases=(),
        category=category,
        phases=phases or CATEGORY_PHASES[category],
        primary_areas=primary,
        secondary_areas=secondary,
        level=level,
        equipment=equipment,
        dose=Dose(
            sets=DoseRange(*sets),
            reps=rng(reps),
            hold_s=rng(hold_s),
            duration_s=rng(duration_s),
            per_side=per_side,
            seconds_per_rep=seconds_per_rep if hold_s is None else 0.0,
            rest_s=rest_s,
        ),
        met=met,
        met_code="02030",
        cautions=cautions,
        steps=("Get into position.", "Move slowly <and> steadily.", "Breathe & relax."),
        stop_if="Sharp pain, or pain spreading down a leg.",
        sources=("000_c1e5e156c5880caa.txt",),
    )


def random_exercise(rand: random.Random, ex_id: str, *, tiny: bool = False) -> Exercise:
    """A plausible random exercise; tiny=True keeps dose ranges narrow for brute force."""
    category = rand.choice(tuple(CATEGORY_PHASES))
    primary = tuple(rand.sample(PAIN_AREAS, rand.randint(1, 2)))
    rest = [a for a in PAIN_AREAS if a not in primary]
    secondary = tuple(rand.sample(rest, rand.randint(0, 2)))
    phases = CATEGORY_PHASES[category]
    if tiny:
        phases = tuple(rand.sample(phases, 1))
    level = rand.choices(("beginner", "intermediate", "advanced"), (5, 3, 2))[0]
    equipment = rand.choice((("none",), ("mat",), ("mat",), ("chair",), ("resistance_band",)))
    cautions = tuple(rand.sample(CAUTIONS, rand.choice((0, 0, 1, 2))))
    sets_default = rand.randint(1, 3)
    sets = (
        sets_default,
        1 if tiny else max(1, sets_default - 1),
        sets_default + (0 if tiny else 1),
    )
    per_side = rand.random() < 0.4
    kind = rand.random()
    if category in ("relaxation", "cardio") or kind < 0.3:
        default = rand.choice((30, 60, 120, 180, 300))
        span = (default, default, default) if tiny else (default, default // 2, default * 2)
        return make_exercise(
            ex_id,
            category=category,
            phases=phases,
            primary=primary,
            secondary=secondary,
            level=level,
            equipment=equipment,
            cautions=cautions,
            sets=sets if not tiny else (1, 1, 1),
            duration_s=span,
            per_side=per_side,
            rest_s=rand.choice((0, 15, 30)),
        )
    reps_default = rand.randint(5, 12)
    reps = (reps_default, reps_default - (1 if tiny else 3), reps_default + (1 if tiny else 3))
    hold = None
    if kind < 0.6:
        hold_default = rand.randint(3, 20)
        hold = (hold_default, max(1, hold_default - 2), hold_default + 5)
    return make_exercise(
        ex_id,
        category=category,
        phases=phases,
        primary=primary,
        secondary=secondary,
        level=level,
        equipment=equipment,
        cautions=cautions,
        sets=sets,
        reps=reps,
        hold_s=hold,
        per_side=per_side,
        seconds_per_rep=rand.choice((2.0, 3.0, 4.0)),
        rest_s=rand.choice((0, 15, 30)),
    )


def random_catalog(size: int, seed: int = 0, *, tiny: bool = False) -> Catalog:
    """A catalog of `size` random exercises (plus nothing else), reproducible from `seed`."""
    rand = random.Random(seed)
    return Catalog(tuple(random_exercise(rand, f"ex-{i}", tiny=tiny) for i in range(size)))


def realistic_catalog() -> Catalog:
    """About the shape of the shipped catalog: every area has beginner mobility and strength
    work without equipment, with warm-ups, cool-downs, relaxation and some risky exercises."""
    exercises = [
        make_exercise(
            "arm-circles",
            category="warmup",
            primary=("shoulders",),
            secondary=("upper_back",),
            reps=(10, 8, 20),
            seconds_per_rep=2,
            per_side=True,
            sets=(1, 1, 2),
        ),
        make_exercise(
            "marching",
            category="warmup",
            primary=("hips",),
            secondary=("lower_back",),
            duration_s=(60, 30, 120),
            sets=(1, 1, 1),
        ),
        make_exercise(
            "cat-cow",
            category="mobility",
            primary=("mid_back", "lower_back"),
            secondary=("upper_back",),
            reps=(8, 5, 10),
            seconds_per_rep=5,
            sets=(1, 1, 2),
        ),
        make_exercise(
            "neck-rolls",
            category="mobility",
            primary=("neck",),
            reps=(5, 3, 8),
            seconds_per_rep=4,
            sets=(1, 1, 2),
            per_side=True,
        ),
        make_exercise(
            "shoulder-rolls",
            category="mobility",
            primary=("shoulders", "neck"),
            reps=(10, 8, 15),
            seconds_per_rep=2,
            sets=(1, 1, 2),
        ),
        make_exercise(
            "thread-needle",
            category="mobility",
            primary=("upper_back", "mid_back"),
            reps=(6, 4, 10),
            seconds_per_rep=4,
            per_side=True,
            equipment=("mat",),
        ),
        make_exercise(
            "hip-circles",
            category="mobility",
            primary=("hips",),
            secondary=("glutes",),
            reps=(8, 5, 12),
            seconds_per_rep=3,
            per_side=True,
        ),
        make_exercise(
            "leg-swings",
            category="mobility",
            primary=("hamstrings", "hips"),
            reps=(10, 8, 15),
            seconds_per_rep=2,
            per_side=True,
            cautions=("balance",),
        ),
        make_exercise(
            "chin-tuck", category="strength", primary=("neck",), reps=(10, 5, 12), hold_s=(5, 3, 10)
        ),
        make_exercise(
            "wall-angels",
            category="strength",
            primary=("shoulders", "upper_back"),
            reps=(10, 6, 12),
            seconds_per_rep=4,
            equipment=("wall",),
        ),
        make_exercise(
            "prone-y-raise",
            category="strength",
            primary=("upper_back", "shoulders"),
            secondary=("mid_back",),
            reps=(10, 6, 12),
            hold_s=(3, 2, 5),
            equipment=("mat",),
        ),
        make_exercise(
            "bird-dog",
            category="strength",
            primary=("lower_back", "mid_back"),
            secondary=("glutes",),
            reps=(8, 5, 10),
            hold_s=(4, 3, 8),
            per_side=True,
            equipment=("mat",),
            cautions=("wrist_load",),
        ),
        make_exercise(
            "glute-bridge",
            category="strength",
            primary=("glutes", "lower_back"),
            secondary=("hamstrings",),
            reps=(10, 5, 15),
            hold_s=(3, 2, 5),
            equipment=("mat",),
        ),
        make_exercise(
            "clamshell",
            category="strength",
            primary=("hips", "glutes"),
            reps=(10, 5, 15),
            seconds_per_rep=3,
            per_side=True,
            equipment=("mat",),
        ),
        make_exercise(
            "hamstring-curl-band",
            category="strength",
            primary=("hamstrings",),
            reps=(10, 8, 15),
            seconds_per_rep=3,
            equipment=("resistance_band",),
        ),
        make_exercise(
            "single-leg-bridge",
            category="strength",
            primary=("glutes", "hamstrings"),
            reps=(8, 6, 10),
            seconds_per_rep=3,
            per_side=True,
            equipment=("mat",),
            level="intermediate",
        ),
        make_exercise(
            "side-plank",
            category="strength",
            primary=("mid_back", "hips"),
            duration_s=(20, 10, 30),
            per_side=True,
            equipment=("mat",),
            level="intermediate",
            cautions=("wrist_load",),
        ),
        make_exercise(
            "superman",
            category="strength",
            primary=("lower_back",),
            secondary=("glutes",),
            reps=(10, 6, 12),
            hold_s=(3, 2, 5),
            equipment=("mat",),
            level="advanced",
            cautions=("spinal_extension",),
        ),
        make_exercise(
            "crunch",
            category="strength",
            primary=("lower_back",),
            reps=(10, 8, 15),
            seconds_per_rep=3,
            cautions=("loaded_flexion",),
            level="intermediate",
        ),
        make_exercise(
            "russian-twist",
            category="strength",
            primary=("mid_back",),
            reps=(10, 8, 15),
            seconds_per_rep=3,
            level="advanced",
            cautions=("rotation_under_load", "loaded_flexion"),
        ),
        make_exercise(
            "jumping-jacks",
            category="cardio",
            primary=("hips",),
            duration_s=(60, 30, 120),
            sets=(1, 1, 2),
            cautions=("high_impact",),
        ),
        make_exercise(
            "childs-pose",
            category="stretch",
            primary=("lower_back",),
            secondary=("hips",),
            reps=(3, 2, 4),
            hold_s=(20, 10, 30),
            equipment=("mat",),
        ),
        make_exercise(
            "knee-to-chest",
            category="stretch",
            primary=("lower_back", "glutes"),
            reps=(3, 2, 5),
            hold_s=(15, 10, 30),
            per_side=True,
            equipment=("mat",),
        ),
        make_exercise(
            "hamstring-stretch",
            category="stretch",
            primary=("hamstrings",),
            reps=(2, 2, 4),
            hold_s=(20, 10, 30),
            per_side=True,
        ),
        make_exercise(
            "neck-side-stretch",
            category="stretch",
            primary=("neck",),
            secondary=("shoulders",),
            reps=(2, 2, 4),
            hold_s=(15, 10, 30),
            per_side=True,
        ),
        make_exercise(
            "doorway-chest-stretch",
            category="stretch",
            primary=("shoulders",),
            secondary=("upper_back",),
            reps=(2, 2, 3),
            hold_s=(20, 15, 30),
        ),
        make_exercise(
            "seated-twist",
            category="stretch",
            primary=("mid_back",),
            secondary=("glutes",),
            reps=(2, 2, 4),
            hold_s=(20, 10, 30),
            per_side=True,
            equipment=("chair",),
        ),
        make_exercise(
            "figure-four",
            category="stretch",
            primary=("glutes", "hips"),
            reps=(2, 2, 3),
            hold_s=(20, 10, 30),
            per_side=True,
            equipment=("mat",),
        ),
        make_exercise(
            "upper-back-stretch",
            category="stretch",
            primary=("upper_back",),
            reps=(2, 2, 4),
            hold_s=(20, 10, 30),
        ),
        make_exercise(
            "deep-breathing",
            category="relaxation",
            primary=("lower_back",),
            secondary=("mid_back",),
            duration_s=(180, 60, 300),
            sets=(1, 1, 1),
        ),
        make_exercise(
            "body-scan",
            category="relaxation",
            primary=("neck",),
            secondary=("shoulders",),
            duration_s=(120, 60, 300),
            sets=(1, 1, 1),
            equipment=("mat",),
        ),
    ]
    return Catalog(tuple(exercises))

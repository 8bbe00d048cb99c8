"""Constants with clinical meaning, each with its source in ../shared/REFERENCE.md."""

from __future__ import annotations

# The body-map regions the workbook plans for (design card, DESIGN.md "Public surface").
PAIN_AREAS: tuple[str, ...] = (
    "neck",
    "shoulders",
    "upper_back",
    "mid_back",
    "lower_back",
    "hips",
    "glutes",
    "hamstrings",
)

# Plain-language labels for the areas, for widgets, handouts and reports.
AREA_LABELS: dict[str, str] = {
    "neck": "neck",
    "shoulders": "shoulders",
    "upper_back": "upper back",
    "mid_back": "mid back",
    "lower_back": "lower back",
    "hips": "hips",
    "glutes": "glutes",
    "hamstrings": "hamstrings",
}

CATEGORIES: tuple[str, ...] = ("warmup", "mobility", "stretch", "strength", "cardio", "relaxation")
PHASES: tuple[str, ...] = ("warmup", "main", "cooldown")
LEVELS: tuple[str, ...] = ("beginner", "intermediate", "advanced")

# Equipment an exercise may need; "none" and "mat" are always available to everyone.
EQUIPMENT: tuple[str, ...] = (
    "none",
    "mat",
    "chair",
    "wall",
    "towel",
    "step",
    "foam_roller",
    "resistance_band",
    "exercise_ball",
    "stationary_bike",
    "elliptical",
    "pool",
)
ALWAYS_AVAILABLE: frozenset[str] = frozenset({"none", "mat"})

# Movement cautions (REFERENCE.md §6, §6a); extend only with a reason written here.
CAUTIONS: tuple[str, ...] = (
    "high_impact",  # jumping/running: excluded at pain >= 4 (§6a pacing; §6 jumping jacks, jogging)
    "loaded_flexion",  # crunches, sit-ups: disc compression under flexion (Axler & McGill 1997, §6)
    "rotation_under_load",  # Russian twist: flexion + rotation + compression (§6a)
    "end_range_flexion",  # toe touch, knees-to-chest: limit early morning (Snook 1998, §6a)
    "spinal_extension",  # cobra, superman: stop if symptoms spread down a leg (McKenzie, §6a)
    "wrist_load",  # planks, reverse plank, quadruped work on the hands (§6 reverse plank)
    "balance",  # single-leg and unstable positions (§4a neuromotor)
)

# Pain scale: 11-point NRS, integers 0-10 (REFERENCE.md §2c).
PAIN_MIN, PAIN_MAX = 0, 10
# Pain 7-10 counts as severe: gentle routine only (REFERENCE.md §6a pacing; §1b > 5 unacceptable).
SEVERE_PAIN = 7
# Pain 4-6 is moderate: no high-impact work (REFERENCE.md §1b acceptable zone 4-5, §6a).
MODERATE_PAIN = 4

# Pain-monitoring model zones (Silbernagel 2007 via REFERENCE.md §1b, §1d).
PAIN_DURING_SAFE_MAX = 3  # 0-3 "safe" zone (§1b, bim.physio rendering)
PAIN_DURING_ACCEPTABLE_MAX = 5  # 4-5 "acceptable"; > 5 unacceptable (§1b)
PAIN_AFTER_ACCEPTABLE_MAX = 5  # pain after activity may reach 5/10 (§1b)
NEXT_MORNING_RISE_REGRESS = 2  # next morning >= 2 above pain before -> regress (§1d)

# Minimal important change: Ostelo 2008 (REFERENCE.md §2a); PSFS: Stratford 1995 (§2b).
NPRS_MCID_POINTS = 2.0  # 2 points on the 0-10 NRS (Ostelo 2008)
MCID_RELATIVE = 0.30  # 30 % improvement from baseline (Ostelo 2008)

# Outcome measures: range, minimal important change, and whether a higher score is better (§2a-§2c).
OUTCOME_MEASURES: dict[str, dict] = {
    "nprs": {"label": "Pain (NPRS)", "min": 0, "max": 10, "mcid": 2.0, "higher_is_better": False},
    "odi": {
        "label": "Oswestry (ODI %)",
        "min": 0,
        "max": 100,
        "mcid": 10.0,
        "higher_is_better": False,
    },
    "rmdq": {
        "label": "Roland-Morris (RMDQ)",
        "min": 0,
        "max": 24,
        "mcid": 5.0,
        "higher_is_better": False,
    },
    "psfs": {
        "label": "Patient-Specific Functional Scale",
        "min": 0,
        "max": 10,
        "mcid": 2.0,
        "higher_is_better": True,
    },
}

DIFFICULTY_MIN, DIFFICULTY_MAX = 1, 5  # self-rated session difficulty, 1 = very easy, 5 = very hard

# Sessions per week for each muscle group: 2-3 (ACSM, Garber 2011, REFERENCE.md §4a).
DEFAULT_TARGET_PER_WEEK = 3

# Guided mode: seconds of relaxation between two held reps (pacing for the countdown, not a dose;
# REFERENCE.md §4a leaves the pause unspecified, so one slow breath out and in).
GUIDED_RELAX_S = 3

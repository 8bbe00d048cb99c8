"""A panel of realistic people: what each must never be given, and what each routine must be.

The requests are the ones a physiotherapist reviewed (the persona panel); each names the
exercises that must never appear for that person and the properties the routine must have.
"""

from __future__ import annotations

import pytest

from backlib import PAIN_AREAS, plan_routine
from backlib.catalog import load_catalog
from backlib.constants import ALWAYS_AVAILABLE, FLOOR_POSITIONS
from backlib.plan.steps import default_dose

CATALOG = load_catalog()

# Exercises no one at pain 7-10 should be handed: loaded extension, lunges, squats, push-ups,
# full planks, high-impact work (acute-phase advice of NHS inform and Camden MSK).
SEVERE_NEVER = {
    "superman",
    "pilates-swimming",
    "back-extension",
    "push-up",
    "side-lunge",
    "walking-lunge",
    "squat",
    "plank",
    "plank-with-leg-lift",
    "jumping-jacks",
    "jogging",
    "running",
    "russian-twist",
    "sit-up",
}


def _with_caution(*cautions: str) -> set[str]:
    return {ex.id for ex in CATALOG if set(cautions) & set(ex.cautions)}


def _in_position(*positions: str) -> set[str]:
    return {ex.id for ex in CATALOG if ex.position in positions}


PANEL = [
    # (title, request, never, extra checks)
    (
        "acute low back pain, flare-up, pain 8, 15 min",
        {"areas": ["lower_back"], "minutes": 15, "pain": 8},
        SEVERE_NEVER,
        ("gentle",),
    ),
    (
        "desk worker, neck and shoulders, 10 min, chair only",
        {"areas": ["neck", "shoulders"], "minutes": 10, "pain": 3, "equipment": ["chair"]},
        set(),
        ("equipment",),
    ),
    (
        "70-year-old beginner with falls risk, hips and lower back, 20 min, chair",
        {
            "areas": ["hips", "lower_back"],
            "minutes": 20,
            "pain": 4,
            "equipment": ["chair"],
            "conditions": ["falls_risk"],
        },
        _with_caution("balance", "high_impact"),
        ("start_low",),
    ),
    (
        "70-year-old who cannot get down to the floor, lower back, 20 min, chair",
        {
            "areas": ["lower_back"],
            "minutes": 20,
            "pain": 3,
            "equipment": ["chair"],
            "conditions": ["falls_risk", "no_floor_work"],
        },
        _in_position(*FLOOR_POSITIONS) | _with_caution("balance"),
        ("not_empty",),
    ),
    (
        "advanced runner, hamstrings and glutes, 45 min, foam roller",
        {
            "areas": ["hamstrings", "glutes"],
            "minutes": 45,
            "level": "advanced",
            "pain": 1,
            "equipment": ["foam_roller"],
        },
        set(),
        ("fills",),
    ),
    (
        "chronic low back pain, pain 5, 30 min",
        {"areas": ["lower_back"], "minutes": 30, "pain": 5},
        _with_caution("high_impact", "rotation_under_load"),
        ("start_low",),
    ),
    (
        "pregnant, lower back and hips, 20 min",
        {"areas": ["lower_back", "hips"], "minutes": 20, "pain": 3, "conditions": ["pregnancy"]},
        _in_position("prone") | _with_caution("loaded_flexion", "rotation_under_load"),
        ("not_empty",),
    ),
    (
        "osteoporosis, upper and mid back, 20 min",
        {
            "areas": ["upper_back", "mid_back"],
            "minutes": 20,
            "pain": 2,
            "conditions": ["osteoporosis"],
        },
        _with_caution("loaded_flexion", "end_range_flexion", "rotation_under_load", "high_impact"),
        ("not_empty",),
    ),
    (
        "spinal stenosis, lower back, 20 min, stationary bike",
        {
            "areas": ["lower_back"],
            "minutes": 20,
            "pain": 4,
            "equipment": ["stationary_bike"],
            "conditions": ["spinal_stenosis"],
        },
        _with_caution("spinal_extension"),
        ("not_empty",),
    ),
    (
        "recent spinal surgery, lower back, 15 min",
        {
            "areas": ["lower_back"],
            "minutes": 15,
            "pain": 3,
            "conditions": ["recent_spinal_surgery"],
        },
        _with_caution(
            "loaded_flexion",
            "end_range_flexion",
            "rotation_under_load",
            "spinal_extension",
            "high_impact",
        ),
        ("not_empty",),
    ),
    (
        "five minutes, lower back, pain 3",
        {"areas": ["lower_back"], "minutes": 5, "pain": 3},
        set(),
        ("not_empty",),
    ),
    (
        "ninety minutes, lower back, hips, glutes, intermediate",
        {
            "areas": ["lower_back", "hips", "glutes"],
            "minutes": 90,
            "level": "intermediate",
            "pain": 2,
        },
        set(),
        ("fills_or_says",),
    ),
    (
        "all eight areas, 15 min, beginner",
        {"areas": list(PAIN_AREAS), "minutes": 15, "pain": 2},
        set(),
        ("covers_or_says",),
    ),
    (
        "wrist problem, mid and lower back, 20 min",
        {
            "areas": ["mid_back", "lower_back"],
            "minutes": 20,
            "pain": 3,
            "conditions": ["wrist_problem"],
        },
        _with_caution("wrist_load"),
        ("not_empty",),
    ),
    (
        "knee problem, glutes and hamstrings, 20 min",
        {
            "areas": ["glutes", "hamstrings"],
            "minutes": 20,
            "pain": 2,
            "conditions": ["knee_problem"],
        },
        _with_caution("deep_knee_bend") | _in_position("kneeling", "all_fours"),
        ("not_empty",),
    ),
    (
        "severe neck pain 9, 10 min",
        {"areas": ["neck"], "minutes": 10, "pain": 9},
        SEVERE_NEVER,
        ("gentle",),
    ),
    (
        "intermediate, pain 6, mid and lower back, 45 min",
        {"areas": ["mid_back", "lower_back"], "minutes": 45, "level": "intermediate", "pain": 6},
        _with_caution("high_impact", "rotation_under_load"),
        ("start_low",),
    ),
    (
        "advanced, pain 10, glutes and hamstrings, 30 min",
        {"areas": ["glutes", "hamstrings"], "minutes": 30, "level": "advanced", "pain": 10},
        SEVERE_NEVER,
        ("gentle",),
    ),
    (
        "flexion-intolerant, lower back, 20 min",
        {
            "areas": ["lower_back"],
            "minutes": 20,
            "pain": 3,
            "conditions": ["flexion_intolerant"],
        },
        _with_caution("loaded_flexion", "end_range_flexion"),
        ("not_empty",),
    ),
    (
        "extension-intolerant, lower back, 20 min",
        {
            "areas": ["lower_back"],
            "minutes": 20,
            "pain": 3,
            "conditions": ["extension_intolerant"],
        },
        _with_caution("spinal_extension"),
        ("not_empty",),
    ),
    (
        "beginner, lower back, 30 min, pain 2",
        {"areas": ["lower_back"], "minutes": 30, "level": "beginner", "pain": 2},
        set(),
        ("start_low", "fills_or_says"),
    ),
    (
        "shuffle of the beginner lower-back routine",
        {"areas": ["lower_back"], "minutes": 30, "pain": 2, "seed": 1},
        set(),
        ("start_low",),
    ),
]


@pytest.mark.parametrize(("title", "request_", "never", "checks"), PANEL, ids=[p[0] for p in PANEL])
def test_the_panel_never_gets_what_it_must_not_and_gets_a_sound_routine(
    title, request_, never, checks
):
    routine = plan_routine(**request_)
    planned = {item.exercise_id for item in routine.items}
    assert not planned & never, f"{title}: {sorted(planned & never)}"
    assert routine.items, title
    assert routine.total_seconds <= request_["minutes"] * 60
    if "gentle" in checks:
        assert any(item.exercise.category == "relaxation" for item in routine.items)
        assert routine.total_seconds <= 15 * 60
    if "equipment" in checks:
        have = ALWAYS_AVAILABLE | set(request_["equipment"])
        assert all(set(item.exercise.equipment) <= have for item in routine.items)
    if "start_low" in checks:
        for item in routine.items:
            default = default_dose(item.exercise)
            assert item.sets <= default["sets"] and (item.reps or 0) <= (default["reps"] or 0)
    if "fills" in checks:
        assert routine.total_seconds >= 0.85 * request_["minutes"] * 60
    if "fills_or_says" in checks and routine.total_seconds < 0.9 * request_["minutes"] * 60:
        assert any("shorter routine at the right dose" in note for note in routine.notes)
    if "covers_or_says" in checks:
        for area in request_["areas"]:
            primary = any(area in item.exercise.primary_areas for item in routine.items)
            assert primary or any(area.replace("_", " ") in note for note in routine.notes), area


def test_the_level_changes_the_routine():
    routines = [
        plan_routine(["lower_back"], 30, level=level, pain=2)
        for level in ("beginner", "intermediate", "advanced")
    ]
    plans = [[(i.exercise_id, i.sets, i.reps, i.hold_s) for i in r.items] for r in routines]
    assert plans[0] != plans[1] != plans[2]


def test_conditions_name_what_they_left_out():
    routine = plan_routine(["lower_back"], 20, pain=2, conditions=["osteoporosis"])
    assert any("osteoporosis" in note and "left out" in note for note in routine.notes)

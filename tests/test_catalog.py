"""Rules of load_catalog (one test per rule) and coverage of the shipped catalog."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path

import pytest

import backlib
from backlib.catalog import SOURCE_FILES, describe_dose, duration_words, load_catalog
from backlib.constants import ALWAYS_AVAILABLE, PAIN_AREAS
from backlib.errors import BacklibError, CatalogError

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

VALID = {
    "id": "glute-bridge",
    "name": "Glute bridge",
    "aliases": ["bridge"],
    "category": "strength",
    "phases": ["main"],
    "level": "beginner",
    "equipment": ["mat"],
    "met": 3.5,
    "met_code": "02030",
    "cautions": [],
    "steps": ["Lie on your back.", "Lift your hips.", "Lower slowly."],
    "stop_if": "Sharp pain or pain spreading into a leg.",
    "sources": [SOURCE_FILES[0]],
    "areas": {"primary": ["glutes"], "secondary": ["lower_back"]},
    "dose": {
        "sets": {"default": 2, "min": 1, "max": 3},
        "reps": {"default": 10, "min": 5, "max": 15},
        "hold_s": {"default": 3, "min": 2, "max": 5},
        "per_side": False,
        "rest_s": 30,
    },
}
HARDER = {
    **copy.deepcopy(VALID),
    "id": "single-leg-glute-bridge",
    "name": "Single-leg glute bridge",
    "aliases": [],
    "level": "intermediate",
}


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    return repr(value)


def write_catalog(tmp_path: Path, *entries: dict) -> Path:
    lines = []
    for entry in entries:
        lines.append("[[exercise]]")
        lines += [f"{key} = {_toml_value(value)}" for key, value in entry.items()]
    path = tmp_path / "exercises.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert tomllib.loads(path.read_text())  # the helper writes valid TOML
    return path


def with_change(path: str, value, base: dict = VALID) -> dict:
    """A copy of base with the dotted field set to value (or removed when value is ...)."""
    entry = copy.deepcopy(base)
    *parents, last = path.split(".")
    target = entry
    for key in parents:
        target = target[key]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return entry


def assert_catalog_error(tmp_path, *entries, match: str):
    with pytest.raises(CatalogError, match=match):
        load_catalog(write_catalog(tmp_path, *entries))


def test_a_valid_entry_loads_into_a_frozen_exercise(tmp_path):
    catalog = load_catalog(write_catalog(tmp_path, VALID))
    bridge = catalog["glute-bridge"]
    assert bridge.primary_areas == ("glutes",)
    assert bridge.dose.reps.default == 10
    with pytest.raises(AttributeError):
        bridge.name = "other"  # frozen


def test_catalog_is_indexable_by_alias_case_insensitively(tmp_path):
    catalog = load_catalog(write_catalog(tmp_path, VALID))
    assert catalog["Bridge"].id == "glute-bridge"
    assert "bridge" in catalog
    assert [e.id for e in catalog] == ["glute-bridge"]


def test_unknown_id_lookup_raises_key_error_naming_it(tmp_path):
    catalog = load_catalog(write_catalog(tmp_path, VALID))
    with pytest.raises(KeyError, match="no-such"):
        catalog["no-such"]


def test_catalog_error_is_a_backlib_error():
    assert issubclass(CatalogError, BacklibError)


def test_unknown_area_names_exercise_field_and_allowed(tmp_path):
    entry = with_change("areas.primary", ["back"])
    assert_catalog_error(
        tmp_path, entry, match=r"'glute-bridge', field 'areas.primary'.*'back'.*allowed: neck"
    )


def test_unknown_caution_is_refused(tmp_path):
    entry = with_change("cautions", ["dangerous"])
    assert_catalog_error(tmp_path, entry, match=r"field 'cautions'.*'dangerous'.*high_impact")


def test_unknown_category_level_phase_and_equipment_are_refused(tmp_path):
    for field, value in [
        ("category", "yoga"),
        ("level", "expert"),
        ("phases", ["middle"]),
        ("equipment", ["kettlebell"]),
    ]:
        assert_catalog_error(tmp_path, with_change(field, value), match=f"field '{field}'")


@pytest.mark.parametrize("field", ["name", "category", "dose", "steps", "stop_if", "sources"])
def test_missing_field_is_named(tmp_path, field):
    assert_catalog_error(tmp_path, with_change(field, ...), match=f"field '{field}'.*missing")


def test_unknown_field_is_refused(tmp_path):
    entry = {**VALID, "colour": "red"}
    assert_catalog_error(tmp_path, entry, match=r"field 'colour'.*not a known field")


def test_dose_default_outside_its_range_is_refused(tmp_path):
    entry = with_change("dose.reps", {"default": 20, "min": 5, "max": 15})
    assert_catalog_error(tmp_path, entry, match=r"field 'dose.reps'.*default 20.*5..15")


def test_dose_needs_exactly_one_of_reps_or_duration(tmp_path):
    both = with_change("dose.duration_s", {"default": 60, "min": 30, "max": 120})
    assert_catalog_error(tmp_path, both, match="exactly one of 'reps' or 'duration_s'")
    neither = with_change("dose.reps", ...)
    assert_catalog_error(tmp_path, neither, match="exactly one of 'reps' or 'duration_s'")


def test_reps_without_hold_need_seconds_per_rep(tmp_path):
    entry = with_change("dose.hold_s", ...)
    assert_catalog_error(tmp_path, entry, match="seconds_per_rep")


def test_duplicate_id_is_refused(tmp_path):
    other = with_change("aliases", [])
    assert_catalog_error(tmp_path, VALID, other, match="'glute-bridge' is already used")


def test_duplicate_alias_is_refused(tmp_path):
    other = {**copy.deepcopy(HARDER), "aliases": ["Bridge"]}
    assert_catalog_error(tmp_path, VALID, other, match=r"alias 'Bridge' is already used")


def test_alias_equal_to_another_id_is_refused(tmp_path):
    other = {**copy.deepcopy(HARDER), "aliases": ["glute-bridge"]}
    assert_catalog_error(tmp_path, VALID, other, match="already used")


def test_unknown_source_file_is_refused(tmp_path):
    entry = with_change("sources", ["blog.txt"])
    assert_catalog_error(tmp_path, entry, match=r"field 'sources'.*'blog.txt'")


def test_variant_that_does_not_exist_is_refused(tmp_path):
    entry = with_change("dose.harder", "single-leg-glute-bridge")
    assert_catalog_error(tmp_path, entry, match=r"dose.harder.*'single-leg-glute-bridge'.*not in")


def test_existing_variant_is_accepted(tmp_path):
    entry = with_change("dose.harder", "single-leg-glute-bridge")
    catalog = load_catalog(write_catalog(tmp_path, entry, HARDER))
    assert catalog["glute-bridge"].dose.harder == "single-leg-glute-bridge"


def test_non_kebab_case_id_is_refused(tmp_path):
    assert_catalog_error(tmp_path, with_change("id", "Glute_Bridge"), match="kebab-case")


def test_step_count_outside_three_to_six_is_refused(tmp_path):
    assert_catalog_error(tmp_path, with_change("steps", ["One.", "Two."]), match="3 to 6")


def test_invalid_toml_names_the_file(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[[exercise]\nid = ", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"broken\.toml"):
        load_catalog(path)


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(CatalogError, match=r"nowhere\.toml"):
        load_catalog(tmp_path / "nowhere.toml")


def test_dose_in_words_reads_like_a_handout():
    assert describe_dose(2, 10, 5, None, True) == "2 × 10 each side, hold 5 s"
    assert describe_dose(1, None, None, 300, False) == "5 min"
    assert describe_dose(2, None, None, 90, False) == "2 × 1 min 30 s"


@pytest.mark.parametrize(
    ("seconds", "words"), [(1170, "19 min 30 s"), (1200, "20 min"), (45, "45 s"), (0, "0 s")]
)
def test_duration_words_read_like_a_clock(seconds, words):
    assert duration_words(seconds) == words


# --- the shipped catalog -------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    return backlib.load_catalog()


def test_shipped_catalog_loads_with_between_60_and_120_exercises(shipped):
    assert 60 <= len(shipped) <= 120


def test_shipped_catalog_lists_exactly_the_seed_articles():
    if SEEDS.is_dir():
        assert sorted(p.name for p in SEEDS.iterdir()) == sorted(SOURCE_FILES)


def test_every_pain_area_has_three_beginner_main_exercises_without_equipment(shipped):
    for area in PAIN_AREAS:
        found = [
            e.id
            for e in shipped
            if area in e.primary_areas
            and e.level == "beginner"
            and "main" in e.phases
            and set(e.equipment) <= ALWAYS_AVAILABLE
        ]
        assert len(found) >= 3, f"{area}: only {found}"


def test_at_least_five_warmup_and_five_cooldown_exercises(shipped):
    assert sum("warmup" in e.phases for e in shipped) >= 5
    assert sum("cooldown" in e.phases for e in shipped) >= 5


def test_every_exercise_has_a_source_steps_and_stop_rule(shipped):
    for exercise in shipped:
        assert exercise.sources or exercise.references, exercise.id
        assert 3 <= len(exercise.steps) <= 6, exercise.id
        assert exercise.stop_if, exercise.id


def test_variant_pairs_point_back_at_each_other(shipped):
    for exercise in shipped:
        if exercise.dose.harder:
            assert shipped[exercise.dose.harder].dose.easier == exercise.id, exercise.id


def test_catalog_frame_has_one_row_per_exercise(shipped):
    frame = shipped.to_frame()
    assert len(frame) == len(shipped)
    assert {"id", "name", "category", "primary_areas", "dose", "met"} <= set(frame.columns)


def test_a_hold_over_ten_seconds_must_be_in_five_second_steps(tmp_path):
    entry = with_change("dose.hold_s", {"default": 23, "min": 10, "max": 30})
    assert_catalog_error(tmp_path, entry, match=r"dose\.hold_s\.default.*5-s steps")


def test_every_stretch_accumulates_about_a_minute_at_its_default(shipped):
    # ACSM (Garber 2011): holds of 10-30 s, 2-4 repetitions, about 60 s per muscle group.
    for exercise in shipped:
        dose = exercise.dose
        if exercise.category == "stretch" and dose.hold_s is not None and exercise.plannable:
            total = dose.sets.default * dose.reps.default * dose.hold_s.default
            assert 30 <= total <= 120, (exercise.id, total)


def test_every_offered_equipment_is_used_by_at_least_two_exercises(shipped):
    for name in shipped.offered_equipment():
        users = [e.id for e in shipped if e.plannable and name in e.equipment]
        assert len(users) >= 2, (name, users)
    assert {"chair", "foam_roller", "resistance_band", "towel"} <= set(shipped.offered_equipment())

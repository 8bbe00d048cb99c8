"""Widget behaviour without a browser: set .value, .click(), check what is shown and stored."""

from __future__ import annotations

import base64
import datetime as dt
import html
import re
import xml.etree.ElementTree as ET

import pytest

import backlib
from backlib.catalog import duration_words, load_catalog
from backlib.constants import PAIN_AREAS
from backlib.errors import RequestError
from backlib.plan.routine import Routine, RoutineItem
from backlib.widgets import BodyMap
from backlib.widgets.body_map import body_map_svg
from backlib.widgets.cards import item_card_html, routine_cards_html
from backlib.widgets.common import alert, show, total_text
from backlib.widgets.guided import GuidedSession, guided_steps

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def _item(catalog, exercise_id, phase, **dose):
    exercise = catalog[exercise_id]
    default = exercise.dose
    values = {
        "sets": default.sets.default,
        "reps": default.reps.default if default.reps else None,
        "hold_s": default.hold_s.default if default.hold_s else None,
        "duration_s": default.duration_s.default if default.duration_s else None,
    }
    values.update(dose)
    return RoutineItem(
        exercise=exercise,
        phase=phase,
        per_side=default.per_side,
        seconds=120,
        why=f"works the <{phase}> & more",
        **values,
    )


@pytest.fixture(scope="module")
def small_routine(catalog):
    items = (
        _item(catalog, "cat-cow", "warmup"),
        _item(catalog, "knees-to-chest", "main"),
        _item(catalog, "hip-flexor-stretch", "main"),
        _item(catalog, "childs-pose", "cooldown"),
    )
    return Routine(items=items, areas=("lower_back", "hips"), minutes=10, weight_kg=70.0)


# -- body map -----------------------------------------------------------------------------------
def test_body_map_has_one_clickable_region_per_pain_area_with_its_class():
    root = ET.fromstring(body_map_svg())
    groups = [g for g in root.iter(f"{SVG_NS}g") if "data-area" in g.attrib]
    assert [g.attrib["data-area"] for g in groups] == list(PAIN_AREAS)
    for group in groups:
        area = group.attrib["data-area"]
        assert f"backlib-area-{area}" in group.attrib["class"].split()
        shapes = [child for child in group if child.tag != f"{SVG_NS}title"]
        assert shapes, f"{area} has nothing to click"
        # the first child is a visible shape, so a click on it selects the area
        assert group[0].tag != f"{SVG_NS}title"


def test_body_map_shows_front_and_back_views():
    text = body_map_svg()
    assert ">Front<" in text and ">Back<" in text
    assert text.count('class="backlib-body-outline"') == 2


def test_body_map_value_is_kept_in_the_catalog_order_of_areas():
    body_map = BodyMap()
    body_map.value = ["hips", "neck", "lower_back"]
    assert body_map.value == ["neck", "lower_back", "hips"]


def test_body_map_refuses_an_unknown_area_naming_it():
    body_map = BodyMap(["lower_back"])
    with pytest.raises(RequestError, match="knee"):
        body_map.value = ["knee"]
    assert body_map.value == ["lower_back"]


def test_body_map_is_self_contained_with_no_remote_imports():
    esm, css = BodyMap._esm, BodyMap._css
    assert "http" not in esm and "import " not in esm
    assert "@import" not in css and "url(" not in css


# -- shared pieces ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("seconds", "words"), [(1170, "19 min 30 s"), (1200, "20 min"), (45, "45 s"), (0, "0 s")]
)
def test_duration_words_read_like_a_clock(seconds, words):
    assert duration_words(seconds) == words


def test_total_text_starts_with_total_and_adds_energy_when_known():
    assert total_text(1170) == "Total 19 min 30 s"
    assert total_text(1200, 84.6) == "Total 20 min · about 85 kcal"


def test_alert_escapes_the_message_and_carries_the_alert_classes():
    box = alert("<b>pain</b> & more", "warning")
    assert "<b>" not in box.value and "&lt;b&gt;" in box.value
    assert {"backlib-alert", "backlib-alert-warning"} <= set(box._dom_classes)


def test_show_replaces_what_an_output_displays_outside_a_kernel():
    import ipywidgets as widgets

    out = widgets.Output()
    show(out, "first")
    show(out, "second", "third")
    assert [o["data"]["text/plain"] for o in out.outputs] == ["'second'", "'third'"]


# -- routine cards --------------------------------------------------------------------------------
def test_routine_cards_have_item_and_phase_classes_in_phase_order(small_routine):
    text = routine_cards_html(small_routine)
    phases = re.findall(r'class="backlib-item backlib-phase-(\w+)"', text)
    assert phases == ["warmup", "main", "main", "cooldown"]
    assert text.index("Warm-up") < text.index("Main exercises") < text.index("Cool-down")


def test_item_card_escapes_text_and_shows_dose_steps_why_and_stop(small_routine):
    item = small_routine.items[1]
    card = item_card_html(item)
    assert "<phase>" not in card and "&lt;main&gt; &amp; more" in card
    assert item.dose_text in card
    assert card.count("<li>") == len(item.exercise.steps)
    assert "<details>" in card and "<details open>" in item_card_html(item, steps_open=True)
    assert html.escape(item.stop_if) in card and "Stop if: Stop" not in card


# -- guided mode --------------------------------------------------------------------------------
def test_guided_steps_time_every_hold_with_rests_between_sets(catalog):
    item = _item(catalog, "knees-to-chest", "main", sets=2, reps=3, hold_s=5)
    steps = guided_steps(item)
    holds = [s for s in steps if "hold" in s["label"]]
    assert len(holds) == 2 * 3 and all(s["seconds"] == 5 for s in holds)
    rests = [s for s in steps if s["label"] == "Rest"]
    assert len(rests) == 1 and rests[0]["seconds"] == item.exercise.dose.rest_s


def test_guided_steps_repeat_each_set_on_both_sides(catalog):
    item = _item(catalog, "hip-flexor-stretch", "main", sets=2, reps=1, hold_s=20)
    labels = [s["label"] for s in guided_steps(item) if "hold" in s["label"]]
    assert sum("left side" in label for label in labels) == 2
    assert sum("right side" in label for label in labels) == 2


def test_guided_session_records_done_and_skipped_and_finishes(small_routine):
    session = GuidedSession(small_routine)
    assert session.countdown.steps == guided_steps(small_routine.items[0])
    session.done_button.click()
    session.skip_button.click()
    session.back_button.click()
    session.done_button.click()
    session.done_button.click()
    assert not session.finished
    session.done_button.click()
    assert session.finished
    ids = [item.exercise_id for item in small_routine.items]
    assert list(session.done) == ids
    assert [entry["completed"] for entry in session.done.values()] == [True, True, True, True]
    assert session.done[ids[1]]["sets"] == small_routine.items[1].sets
    assert "4 of 4 exercises done" in session.progress.value


def test_guided_session_marks_a_skipped_exercise_not_completed(small_routine):
    session = GuidedSession(small_routine)
    session.skip_button.click()
    assert session.done[small_routine.items[0].exercise_id]["completed"] is False


def test_widgets_package_exports_the_front_ends():
    import backlib.widgets as w

    for name in ("BodyMap", "RoutineBuilder", "SessionLogger", "ProgressDashboard", "build_app"):
        assert hasattr(w, name)
    assert backlib.PAIN_AREAS == PAIN_AREAS


# -- routine builder ----------------------------------------------------------------------------
def _total_seconds(text: str) -> int:
    match = re.match(r"Total (?:(\d+) min)?\s*(?:(\d+) s)?", text)
    assert match, text
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


def _messages(builder) -> list[str]:
    return [box.value for box in builder.messages.children]


def test_builder_starts_with_sensible_defaults_and_stable_classes():
    from backlib.widgets import RoutineBuilder

    builder = RoutineBuilder()
    assert builder.body_map.value == ["lower_back"]
    assert (builder.minutes.value, builder.minutes.min, builder.minutes.max) == (20, 5, 90)
    assert builder.level.value == "beginner"
    assert "backlib-minutes" in builder.minutes._dom_classes
    assert "backlib-pain" in builder.pain._dom_classes
    assert "backlib-level" in builder.level._dom_classes
    assert "backlib-generate" in builder.generate_button._dom_classes
    assert "backlib-shuffle" in builder.shuffle_button._dom_classes
    assert "backlib-routine" in builder.routine_view._dom_classes
    assert "backlib-total" in builder.total._dom_classes
    assert set(builder.red_flags) == set(backlib.RED_FLAGS)
    for flag_id, box in builder.red_flags.items():
        assert f"backlib-redflag-{flag_id}" in box._dom_classes


def test_generate_shows_three_phases_within_the_budget_as_the_planner_plans_it():
    from backlib.widgets import RoutineBuilder

    builder = RoutineBuilder()
    builder.body_map.value = ["lower_back", "hips"]
    builder.minutes.value = 20
    builder.generate_button.click()
    routine = builder.routine
    assert routine is not None
    expected = backlib.plan_routine(["lower_back", "hips"], 20, level="beginner", pain=3)
    assert routine.to_dict()["items"] == expected.to_dict()["items"]
    shown = builder.routine_view.value
    for phase in ("warmup", "main", "cooldown"):
        assert f"backlib-item backlib-phase-{phase}" in shown
    assert shown.count('class="backlib-item ') == len(routine.items)
    assert _total_seconds(builder.total.value) == routine.total_seconds <= 20 * 60
    assert not builder.guided_button.disabled


def test_handout_link_carries_the_printable_page_inline():
    from backlib.widgets import RoutineBuilder

    builder = RoutineBuilder()
    builder.generate()
    match = re.search(r'href="data:text/html;charset=utf-8;base64,([^"]+)"', builder.handout.value)
    assert match and "download=" in builder.handout.value
    assert base64.b64decode(match.group(1)).decode("utf-8") == builder.routine.to_html()


def test_a_red_flag_answer_shows_an_alert_and_no_routine():
    from backlib.widgets import RoutineBuilder

    builder = RoutineBuilder()
    builder.generate()
    assert builder.routine is not None
    flag = next(iter(backlib.RED_FLAGS))
    builder.red_flags[flag].value = True
    builder.generate_button.click()
    assert builder.routine is None
    assert builder.routine_view.value == "" and builder.total.value == ""
    assert builder.guided_button.disabled
    (message,) = builder.messages.children
    assert "backlib-alert" in message._dom_classes
    assert "no routine" in message.value.lower()
    assert message.value.lower().count("no routine was planned") == 1


def test_no_area_selected_asks_for_one_under_the_body_map():
    from backlib.widgets import RoutineBuilder

    builder = RoutineBuilder()
    builder.body_map.value = []
    builder.generate()
    assert builder.routine is None
    assert "at least one painful area" in builder.field_errors["areas"].value
    assert not builder.field_errors["weight_kg"].value


def test_a_weight_that_is_not_a_number_is_refused_and_a_weight_gives_energy():
    from backlib.widgets import RoutineBuilder

    builder = RoutineBuilder()
    builder.weight.value = "seventy"
    builder.generate()
    assert builder.routine is None
    assert "Body weight" in builder.field_errors["weight_kg"].value, "shown under its field"
    assert any("marked in red" in text for text in _messages(builder))
    builder.weight.value = "70"
    routine = builder.generate()
    assert not builder.field_errors["weight_kg"].value, "a corrected field is cleared"
    assert routine.weight_kg == 70.0
    assert f"about {round(routine.kcal)} kcal" in builder.total.value


def test_shuffle_asks_the_planner_for_the_next_seed():
    from backlib.widgets import RoutineBuilder

    builder = RoutineBuilder()
    first = builder.generate()
    builder.shuffle_button.click()
    assert builder.routine.seed == first.seed + 1
    expected = backlib.plan_routine(["lower_back"], 20, pain=3, seed=first.seed + 1)
    assert builder.routine.to_dict()["items"] == expected.to_dict()["items"]


def test_equipment_level_and_pain_reach_the_planner():
    from backlib.widgets import RoutineBuilder

    builder = RoutineBuilder()
    builder.equipment["chair"].value = True
    builder.level.value = "intermediate"
    builder.pain.value = 6
    routine = builder.generate()
    assert "chair" in routine.equipment
    assert (routine.level, routine.pain) == ("intermediate", 6)


def test_guided_button_steps_through_the_generated_routine():
    from backlib.widgets import RoutineBuilder

    builder = RoutineBuilder()
    builder.generate()
    builder.guided_button.click()
    (session,) = builder.guided.children
    assert isinstance(session, GuidedSession)
    assert session.routine is builder.routine


# -- session logger -----------------------------------------------------------------------------
@pytest.fixture
def store(tmp_path):
    store = backlib.open_store(f"sqlite:///{tmp_path / 'store.db'}")
    store.add_patient("ana", name="Ana", weight_kg=64.0)
    store.add_patient("ben", name="Ben")
    return store


@pytest.fixture(scope="module")
def planned():
    return backlib.plan_routine(["lower_back", "hips"], 15, pain=4)


def test_logger_saves_what_was_done_and_the_pain_scores(store, planned):
    from backlib.widgets import SessionLogger

    logger = SessionLogger(store, routine=planned, patient_id="ben")
    assert logger.pain_before.value == 4  # today's pain from the routine request
    first, second = logger.rows[0], logger.rows[1]
    second.completed.value = False
    first.sets.value = 1
    logger.pain_during.value = 3
    logger.pain_after.value = 2
    logger.difficulty.value = 4
    logger.notes.value = "felt <stiff> in the morning"
    logger.save_button.click()
    assert logger.saved_session is not None
    sessions = store.sessions("ben")
    assert len(sessions) == 1
    row = sessions.iloc[0]
    assert (row.pain_before, row.pain_during, row.pain_after, row.difficulty) == (4, 3, 2, 4)
    assert row.notes == "felt <stiff> in the morning"
    entries = store.entries(session_id=int(row.session_id)).set_index("exercise_id")
    assert entries.loc[first.item.exercise_id, "done_sets"] == 1
    assert not entries.loc[second.item.exercise_id, "completed"]
    assert any("backlib-alert-success" in m._dom_classes for m in logger.messages.children)


def test_logger_without_a_routine_saves_pain_scores_alone(store):
    from backlib.widgets import SessionLogger

    logger = SessionLogger(store, patient_id="ana")
    assert logger.rows == []
    logger.save()
    assert len(store.sessions("ana")) == 1


def test_logger_refuses_a_future_date_next_to_the_date_and_saves_nothing(store, planned):
    from backlib.widgets import SessionLogger

    logger = SessionLogger(store, routine=planned)
    logger.date.value = dt.date.today() + dt.timedelta(days=2)
    assert logger.save() is None
    assert "future" in logger.errors["when"].value
    assert "backlib-alert" in logger.errors["when"].value
    assert len(store.sessions()) == 0


def test_logger_shows_a_store_error_next_to_its_field_and_adds_nothing(store):
    from backlib.widgets import SessionLogger

    logger = SessionLogger(store)
    logger.new_patient.value = "Not A Slug!"
    assert logger.add_patient() is None
    shown = [name for name, box in logger.errors.items() if box.value]
    assert shown == ["patient"], shown
    assert "patient_id" in logger.errors["patient"].value
    assert set(store.patients()["patient_id"]) == {"ana", "ben"}


def test_logger_records_next_morning_pain_of_the_previous_session(store, planned):
    from backlib.widgets import SessionLogger

    yesterday = dt.datetime.combine(dt.date.today() - dt.timedelta(days=1), dt.time(18))
    previous = store.log_session("ana", planned, when=yesterday, pain_before=4, pain_after=3)
    logger = SessionLogger(store, routine=planned, patient_id="ana")
    assert logger.previous_box.children, "yesterday's session should be offered"
    logger.next_morning.value = 2
    logger.save()
    sessions = store.sessions("ana").set_index("session_id")
    assert sessions.loc[previous, "pain_next_morning"] == 2
    assert len(sessions) == 2


def test_logger_adds_a_patient_and_selects_them(store):
    from backlib.widgets import SessionLogger

    logger = SessionLogger(store)
    logger.new_patient.value = "cara"
    logger.add_patient_button.click()
    assert "cara" in set(store.patients()["patient_id"])
    assert logger.patient.value == "cara"


# -- progress dashboard and app -----------------------------------------------------------------
def test_dashboard_counts_sessions_and_shows_cards_flags_and_charts(store, planned):
    from backlib.widgets import ProgressDashboard

    for days_ago, pain in [(20, 7), (16, 7), (12, 6), (8, 4), (4, 3), (1, 3)]:
        when = dt.datetime.combine(dt.date.today() - dt.timedelta(days=days_ago), dt.time(9))
        store.log_session("ana", planned, when=when, pain_before=pain, pain_after=pain)
    dashboard = ProgressDashboard(store, patient_id="ana")
    assert "backlib-dashboard" in dashboard._dom_classes
    assert dashboard.count.value.startswith("6 sessions")
    assert "Baseline pain" in dashboard.cards.value and "Meaningful?" in dashboard.cards.value
    assert dashboard.flags.children
    figures = [o for o in dashboard.charts.outputs if "application/vnd.plotly.v1+json" in o["data"]]
    assert figures, "the charts should be shown"
    dashboard.start.value = dt.date.today() - dt.timedelta(days=5)
    assert dashboard.count.value.startswith("2 sessions")


def test_dashboard_refuses_a_start_after_the_end_in_plain_words(store):
    from backlib.widgets import ProgressDashboard

    dashboard = ProgressDashboard(store, patient_id="ana")
    dashboard.end.value = dt.date.today() - dt.timedelta(days=10)
    dashboard.start.value = dt.date.today()
    assert "must come before" in dashboard.flags.children[0].value


def test_app_hands_the_routine_to_the_logger_and_a_save_to_the_dashboard(store):
    from backlib.widgets import WorkbookApp

    app = WorkbookApp(store)
    assert [app.tabs.get_title(i) for i in range(3)] == [
        "Build a routine",
        "Log a session",
        "Progress",
    ]
    app.builder.patient.value = "ben"
    app.builder.generate_button.click()
    assert app.logger.rows == [], "the logger is filled when its tab opens"
    app.tabs.selected_index = 1
    assert app.logger.routine is app.builder.routine
    assert app.logger.patient.value == "ben"
    assert len(app.logger.rows) == len(app.builder.routine.items)
    app.builder.guided_button.click()
    app.builder.guided.children[0].skip_button.click()
    app.tabs.selected_index = 0
    app.tabs.selected_index = 1
    first = app.builder.routine.items[0].exercise_id
    assert app.logger.rows[0].item.exercise_id == first
    assert app.logger.rows[0].completed.value is False
    app.logger.save_button.click()
    assert app.dashboard.count.value == "", "Progress is drawn only when its tab is opened"
    app.tabs.selected_index = 2
    assert app.dashboard.patient.value == "ben"
    assert app.dashboard.count.value == "1 session logged"


def test_build_app_opens_the_configured_store_and_lists_its_patients(store, monkeypatch):
    from backlib.widgets import build_app

    monkeypatch.setenv("BACKLIB_STORE", store.url)
    app = build_app()
    assert app.store.url == store.url
    ids = [value for _label, value in app.builder.patient.options]
    assert {"ana", "ben"} <= set(ids)
    assert [value for _label, value in app.logger.patient.options] == ["ana", "ben"]


def test_notebooks_open_the_self_trackers_own_store_when_configured(tmp_path, monkeypatch):
    from backlib.workbook import first_patient, open_workbook_store

    own = f"sqlite:///{tmp_path / 'mine.db'}"
    monkeypatch.setenv("BACKLIB_STORE", own)
    store = open_workbook_store()
    assert store.url == own
    assert first_patient(store) is None, "a new own store gets no demo patients"
    store.add_patient("me", name="Me")
    assert first_patient(store) == "me"


def test_choosing_a_patient_plans_with_their_adapted_doses_and_weight(tmp_path):
    from backlib.demo import make_demo
    from backlib.progression import next_doses
    from backlib.widgets import RoutineBuilder

    store = backlib.open_store(f"sqlite:///{tmp_path / 'demo.db'}")
    (patient, *_others) = make_demo(store)
    builder = RoutineBuilder(store)
    builder.patient.value = patient
    weight = store.patients().set_index("patient_id").loc[patient, "weight_kg"]
    assert float(builder.weight.value) == pytest.approx(weight)
    routine = builder.generate()
    doses, _decisions = next_doses(store, patient)
    expected = backlib.plan_routine(
        ["lower_back"], 20, pain=3, weight_kg=float(builder.weight.value), doses=doses
    )
    assert routine.to_dict()["items"] == expected.to_dict()["items"]
    assert any("pain-monitoring model" in text for text in _messages(builder))

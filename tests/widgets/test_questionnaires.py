"""The questionnaire panel: one control per item, the live score is `score()`, Save is guarded."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from backlib.errors import RequestError
from backlib.questionnaires import INSTRUMENTS, score, start_back_care
from backlib.store import Store
from backlib.widgets import QuestionnairePanel


class FakeStore:
    """The two Store methods the panel calls; records every log_questionnaire call."""

    def __init__(self, error: RequestError | None = None) -> None:
        self.calls: list[tuple[tuple, dict]] = []
        self.error = error

    def patients(self) -> pd.DataFrame:
        return pd.DataFrame({"patient_id": ["ana", "ben"], "name": ["Ana", None]})

    def log_questionnaire(self, patient_id, instrument, answers, *, when=None) -> int:
        self.calls.append(((patient_id, instrument, answers), {"when": when}))
        if self.error is not None:
            raise self.error
        return len(self.calls)


def _panel(instrument: str, **kwargs) -> tuple[QuestionnairePanel, FakeStore]:
    store = FakeStore(kwargs.pop("error", None))
    panel = QuestionnairePanel(store, **kwargs)
    panel.instrument.value = instrument
    return panel, store


def _errors_shown(panel: QuestionnairePanel) -> dict[int, str]:
    return {number: box.value for number, box in panel.item_errors.items() if box.value}


@pytest.mark.parametrize(
    ("instrument", "count", "first_options"),
    [("odi", 10, 7), ("rmdq", 24, None), ("start_back", 9, 3)],
)
def test_each_fixed_item_gets_one_control_with_its_allowed_choices(
    instrument, count, first_options
):
    panel, _store = _panel(instrument)
    spec = INSTRUMENTS[instrument]
    assert sorted(panel.controls) == list(range(1, count + 1))
    if first_options is None:  # RMDQ: a checkbox per statement
        assert all(control.value is False for control in panel.controls.values())
        return
    values = [value for _label, value in panel.controls[1].options][1:]
    assert values == list(spec.item(1).values)
    assert len(panel.controls[1].options) == first_options, "the choices plus 'not answered'"


def test_start_back_item_9_offers_its_five_options():
    panel, _store = _panel("start_back")
    labels = [label for label, _value in panel.controls[9].options]
    assert labels == [
        "not answered",
        "not at all",
        "slightly",
        "moderately",
        "very much",
        "extremely",
    ]


def test_items_show_their_topic_or_the_clinics_wording():
    panel, _store = _panel("rmdq", wording={"rmdq": {14: "Clinic <wording> of item 14"}})
    text = str(panel.items_box.children[13].children[0].children[1].value)
    assert "Item 14: Clinic &lt;wording&gt; of item 14" in text
    first = str(panel.items_box.children[0].children[0].children[1].value)
    assert first == "Item 1: staying at home"


def test_the_psfs_starts_with_three_activities_and_adds_up_to_five():
    panel, _store = _panel("psfs")
    assert len(panel.activities) == 3
    for _ in range(4):
        panel.add_button.click()
    assert len(panel.activities) == 5
    assert panel.add_button.disabled


def test_the_live_odi_score_is_the_score_of_the_answers():
    panel, _store = _panel("odi")
    answers = [3, 1, 2, 1, 2, 1, 2, 1, 3, None]
    for number, value in enumerate(answers, 1):
        if value is not None:
            panel.controls[number].value = value
    expected = score("odi", answers)
    assert panel.score == expected
    assert "35.6 %" in panel.result.value
    assert "moderate disability" in panel.result.value
    assert not panel.save_button.disabled


def test_the_live_rmdq_score_counts_the_ticked_items():
    panel, _store = _panel("rmdq")
    for number in (2, 5, 14):
        panel.controls[number].value = True
    ticked = {number: int(number in (2, 5, 14)) for number in range(1, 25)}
    assert panel.score == score("rmdq", ticked)
    assert "3/24" in panel.result.value


def test_the_live_psfs_score_is_the_mean_of_the_named_activities():
    panel, _store = _panel("psfs")
    panel.add_button.click()
    for (name, rating), (text, value) in zip(
        panel.activities,
        [("stairs", 3), ("gardening", 6), ("lifting a child", 4), ("", None)],
        strict=True,
    ):
        name.value = text
        if value is not None:
            rating.value = value
    assert panel.score == score("psfs", [("stairs", 3), ("gardening", 6), ("lifting a child", 4)])
    assert "4.3/10" in panel.result.value


def test_the_live_start_back_score_shows_the_risk_and_what_it_means_for_care():
    panel, _store = _panel("start_back")
    for number, value in enumerate([1, 0, 1, 0, 1, 1, 1, 1, 3], 1):
        panel.controls[number].value = value
    assert panel.score == score("start_back", [1, 0, 1, 0, 1, 1, 1, 1, 3])
    assert panel.score.risk == "high"
    assert "5/5" in panel.result.value
    assert start_back_care("high") in panel.result.value


def test_an_unscorable_odi_is_explained_and_not_saved():
    panel, store = _panel("odi")
    for number in range(1, 8):
        panel.controls[number].value = 2
    assert panel.score.value is None
    assert "answer 1 more" in panel.result.value
    assert panel.save_button.disabled
    panel.save_button.click()
    assert store.calls == []


def test_an_invalid_psfs_activity_shows_its_error_next_to_it_and_save_does_not_call_the_store():
    panel, store = _panel("psfs")
    for (name, rating), (text, value) in zip(
        panel.activities, [("stairs", 3), ("walking", 6), ("Stairs", 4)], strict=True
    ):
        name.value, rating.value = text, value
    assert panel.score is None
    shown = _errors_shown(panel)
    assert list(shown) == [3], "the error is next to the activity named twice"
    assert "backlib-alert-error" in shown[3]
    panel.save_button.click()
    assert store.calls == []
    assert "Not saved" in panel.messages.children[0].value


def test_a_psfs_error_row_skips_empty_activity_rows():
    panel, _store = _panel("psfs")
    panel.add_button.click()
    rows = [("stairs", 3), ("", None), ("walking", 6), ("gardening", None)]
    for (name, rating), (text, value) in zip(panel.activities, rows, strict=True):
        name.value = text
        if value is not None:
            rating.value = value
    assert list(_errors_shown(panel)) == [4], "the unrated activity is on the fourth row"


def test_a_valid_save_calls_log_questionnaire_with_the_answers():
    panel, store = _panel("odi", patient_id="ben")
    for number in range(1, 11):
        panel.controls[number].value = 1
    saved = []
    panel.observe(lambda change: saved.append(change["new"]), names="saved_questionnaire")
    panel.save_button.click()
    ((args, kwargs),) = store.calls
    assert args == ("ben", "odi", {number: 1 for number in range(1, 11)})
    assert kwargs["when"].date() == dt.date.today()
    assert saved == [1]
    assert "backlib-alert-success" in panel.messages.children[0]._dom_classes


def test_a_valid_psfs_save_sends_the_named_activities():
    panel, store = _panel("psfs")
    for (name, rating), (text, value) in zip(
        panel.activities, [("stairs", 3), ("walking", 6), ("gardening", 4)], strict=True
    ):
        name.value, rating.value = text, value
    assert panel.save() == 1
    assert store.calls[0][0] == ("ana", "psfs", [("stairs", 3), ("walking", 6), ("gardening", 4)])


def test_a_store_error_is_shown_next_to_its_item_by_its_row():
    error = RequestError("item 3 refused by the store", field="answers", row=3)
    panel, store = _panel("rmdq", error=error)
    assert panel.save() is None
    assert len(store.calls) == 1
    assert "refused by the store" in panel.item_errors[3].value
    assert panel.saved_questionnaire is None


def test_a_future_date_is_not_saved():
    panel, store = _panel("rmdq")
    panel.date.value = dt.date.today() + dt.timedelta(days=1)
    assert panel.save() is None
    assert store.calls == []
    assert panel.errors["when"].value


@pytest.mark.skipif(
    not hasattr(Store, "log_questionnaire"), reason="the store does not keep questionnaires yet"
)
def test_a_saved_odi_reaches_the_real_store_and_its_outcomes(store):
    panel = QuestionnairePanel(store, patient_id="ana")
    for number in range(1, 11):
        panel.controls[number].value = 2
    saved = panel.save()
    assert saved is not None
    outcomes = store.outcomes("ana")
    assert list(outcomes["measure"]) == ["odi"]
    assert outcomes["score"].iloc[0] == pytest.approx(40.0)

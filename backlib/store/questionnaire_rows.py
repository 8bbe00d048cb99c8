"""A scored questionnaire as the store keeps it: one questionnaires row, one row per item answer,
and (for an outcome measure with a score) the total as an outcomes row under the same uid.

Shared by ``Store.log_questionnaire`` and the CSV import, so both keep exactly the same rows and
refuse the same answers with the same words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from backlib.errors import StoreError
from backlib.questionnaires import INSTRUMENTS, PSFS_NAME_MAX, Score
from backlib.store import validate as check
from backlib.store.text_rules import check_text


@dataclass(frozen=True)
class QuestionnaireRecord:
    """The rows one questionnaire is stored as (no database ids yet)."""

    questionnaire: dict[str, Any]
    items: tuple[dict[str, Any], ...]
    outcome: dict[str, Any] | None


def instrument(value: Any) -> str:
    """An instrument id of ``backlib.questionnaires.INSTRUMENTS``, or StoreError naming them."""
    if not isinstance(value, str) or value not in INSTRUMENTS:
        raise StoreError(
            f"instrument={check.shown(value)!r} is not known (allowed: {', '.join(INSTRUMENTS)})",
            field="instrument",
        )
    return value


def item_text(instrument_id: str, text: str, item: int | None = None) -> str:
    """An item's text: a PSFS activity name (one line, at most 200 characters), else empty."""
    if instrument_id != "psfs":
        if text:
            raise StoreError(
                f"text={check.shown(text)!r}: only PSFS items have a text (the activity's name); "
                f"leave it empty for {instrument_id}",
                field="text",
                row=item,
            )
        return ""
    return check_text("text", text, PSFS_NAME_MAX, one_line=True)


def record(result: Score, patient_id: str, answered_on: dt.date, uid: str) -> QuestionnaireRecord:
    """The rows of a scored questionnaire (values already checked by ``questionnaires.score``).

    Raises
    ------
    StoreError
        When no item is answered (``field="answers"``), or a PSFS activity name breaks the text
        rules (``field="answers"``, ``row`` the activity).
    """
    if not result.items:
        raise StoreError(
            f"answers: no {INSTRUMENTS[result.instrument].item_word} of {result.instrument} is "
            "answered, so there is nothing to keep",
            field="answers",
        )
    items = []
    for answer in result.items:
        try:
            text = item_text(result.instrument, answer.text, answer.item)
        except StoreError as err:
            raise StoreError(
                f"answers: activity {answer.item}: {err}", field="answers", row=answer.item
            ) from None
        items.append({"item": answer.item, "value": int(answer.value), "text": text})
    value = None if result.value is None else float(result.value)
    questionnaire = {
        "uid": uid,
        "patient_id": patient_id,
        "instrument": result.instrument,
        "answered_on": answered_on,
        "value": value,
        "band": result.band or result.risk or "",
    }
    outcome = None
    if result.measure is not None and value is not None:
        outcome = {
            "uid": uid,
            "patient_id": patient_id,
            "measured_on": answered_on,
            "measure": result.measure,
            "score": check.score(result.measure, value),
        }
    return QuestionnaireRecord(questionnaire, tuple(items), outcome)


def answers_of(instrument_id: str, items: Mapping[int, tuple[int, str]]) -> object:
    """Item number -> (value, text) as the answers ``questionnaires.score`` takes."""
    if instrument_id == "psfs":
        return [(items[n][1], items[n][0]) for n in sorted(items)]
    return {n: items[n][0] for n in sorted(items)}

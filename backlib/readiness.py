"""Readiness for exercise: health topics whose yes answers make the routine gentle, never block it.

The topics are those of the PAR-Q+ first page (heart condition or blood pressure, chest pain,
dizziness or fainting, another chronic condition, medicine for it, a bone or joint problem that
activity could worsen, a doctor's advice to exercise only under supervision) plus the warning
symptoms of the ACSM 2015 pre-participation screen, asked in this project's own words (no form
wording). Exercise is safe for most people and the old screens referred too many to a doctor
(ACSM 2015, Riebe 2015), so a yes does not stop the plan: the routine is kept gentle and the note
advises checking with a doctor first. Red flags are a different screen (:mod:`backlib.screening`)
and do stop the plan.

How the planner uses it: ``readiness(answers).gentle`` True means plan as for pain in the severe
band (``constants.SEVERE_PAIN``), that is ``pain = max(pain or 0, SEVERE_PAIN)`` for the choice
of exercises (``pain_max``), the doses and the session length, and add ``.message`` to the
routine's notes. ``.gentle`` False changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from backlib.labels import SCREEN_DISCLAIMER
from backlib.screening import normalize_answers

# id -> plain-language yes/no question: the PAR-Q+ page-one topics, then ACSM 2015 symptoms.
READINESS_TOPICS: dict[str, str] = {
    # PAR-Q+ 1: a doctor has said there is a heart condition or high blood pressure.
    "heart_or_blood_pressure": (
        "Has a doctor ever told you that you have a heart condition or high blood pressure?"
    ),
    # PAR-Q+ 2: chest pain at rest, in daily activities or on exertion.
    "chest_pain": (
        "Do you get pain, tightness or discomfort in your chest, at rest, in everyday "
        "activities or when you exert yourself?"
    ),
    # PAR-Q+ 3: balance lost through dizziness, or fainting, in the last 12 months (dizziness
    # from breathing fast during hard exercise does not count).
    "dizziness_or_fainting": (
        "In the past year, have you lost your balance because of dizziness, or fainted or "
        "blacked out? (Feeling dizzy from breathing hard during hard exercise does not count.)"
    ),
    # PAR-Q+ 4: another diagnosed chronic condition.
    "other_chronic_condition": (
        "Has a doctor diagnosed another long-term health condition, such as diabetes, a lung, "
        "kidney or liver condition, or a nerve condition?"
    ),
    # PAR-Q+ 5: prescribed medicine for a chronic condition.
    "chronic_condition_medicine": "Do you take prescribed medicine for a long-term condition?",
    # PAR-Q+ 6: a bone, joint or muscle problem (now or in the last 12 months) that more
    # activity could worsen; past problems that no longer limit activity are excluded.
    "bone_or_joint_problem": (
        "Apart from the pain you want to exercise for, do you have a bone, joint or muscle "
        "problem, now or in the past year, that more activity could make worse?"
    ),
    # PAR-Q+ 7: a doctor has said to exercise only under medical supervision.
    "supervised_only": ("Has a doctor told you to exercise only with medical supervision?"),
    # ACSM 2015: signs or symptoms of cardiovascular, metabolic or renal disease (the GETP
    # table: breathlessness, palpitations, ankle swelling, calf pain on walking, unusual
    # fatigue; chest pain and dizziness are asked above).
    "warning_symptoms": (
        "Lately, have you been short of breath at rest or with little effort, had a racing or "
        "pounding heart, swollen ankles, calf pain when walking, or unusual tiredness in "
        "everyday activities?"
    ),
}

# Each topic in a few words, for the note.
READINESS_SUMMARIES: dict[str, str] = {
    "heart_or_blood_pressure": "a heart condition or high blood pressure",
    "chest_pain": "chest pain",
    "dizziness_or_fainting": "dizziness or fainting",
    "other_chronic_condition": "another long-term condition",
    "chronic_condition_medicine": "medicine for a long-term condition",
    "bone_or_joint_problem": "another bone, joint or muscle problem",
    "supervised_only": "advice to exercise only under supervision",
    "warning_symptoms": "breathlessness, palpitations, swollen ankles or calf pain",
}


@dataclass(frozen=True)
class Readiness:
    """The readiness answers: whether to keep the routine gentle, and the note that says why.

    Attributes
    ----------
    gentle
        True when any topic was answered yes: plan as for severe pain (see the module).
    topics
        The topic ids answered yes, in ``READINESS_TOPICS`` order.
    message
        The note for the routine: check with a doctor first, what to stop for, and the
        decision-support line; empty when every answer is no.
    """

    gentle: bool
    topics: tuple[str, ...]
    message: str


def readiness(answers: object = ()) -> Readiness:
    """Whether the routine should be gentle, from the readiness answers.

    Parameters
    ----------
    answers
        The topics answered yes: ids from ``READINESS_TOPICS`` as an iterable or a single id,
        or a mapping id -> bool (only true values count).

    Returns
    -------
    Readiness
        ``gentle`` True and a note advising a doctor's check when any answer is yes (PAR-Q+:
        any yes means further checks; ACSM 2015: clearance is recommended with symptoms or
        known disease, and light to moderate exercise in the meantime).

    Raises
    ------
    RequestError
        For an id that is not a readiness topic (``field="readiness"``, naming the valid ids).
    """
    topics = normalize_answers(answers, READINESS_TOPICS, "readiness")
    if not topics:
        return Readiness(gentle=False, topics=(), message="")
    said = [READINESS_SUMMARIES[topic] for topic in topics]
    listed = said[0] if len(said) == 1 else f"{', '.join(said[:-1])} and {said[-1]}"
    message = (
        f"You answered yes about {listed}: please check with your doctor that exercise is "
        "right for you before you start; this routine is kept gentle for that reason. Stop and "
        "get medical advice at once if you have chest pain, feel faint or become unusually "
        f"short of breath while exercising. {SCREEN_DISCLAIMER}"
    )
    return Readiness(gentle=True, topics=topics, message=message)

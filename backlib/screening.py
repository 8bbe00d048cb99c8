"""Red-flag screen: the signs that need a clinician before exercise, how urgently, and what to do.

Red flags raise the probability of serious spinal pathology; they are not a diagnosis (NICE CKS),
and most single flags have little diagnostic accuracy, so a clinician weighs them together
(IFOMPT 2020). The screen asks about current or recent signs, one topic a question, in words of
this project: the back list follows NICE CKS and the IFOMPT red-flag framework (cauda equina
syndrome, fracture, malignancy, infection, progressive neurology, inflammatory disease); the neck
list (myelopathy, cervical arterial signs) follows the IFOMPT cervical framework (IFOMPT 2023)
and is asked whenever the neck, shoulders or upper back hurt; thoracic pain is asked when the
upper or mid back hurts; new pain before 20 or after 50 comes from the person's age, not from a
question.

Every flag has an urgency (``RED_FLAG_URGENCIES``: emergency, same_day, within_days, routine)
and a message that says what to do. Any flag answered yes stops the plan unless a clinician has
assessed it and listed it in ``cleared``; emergency flags can never be cleared.

Readiness for exercise (PAR-Q+ topics) is in :mod:`backlib.readiness`: it never stops a plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from numbers import Integral, Real

from backlib.constants import (
    AGE_MAX,
    AGE_MIN,
    NECK_FLAG_AREAS,
    NEW_ONSET_AGE_OVER,
    NEW_ONSET_AGE_UNDER,
    PAIN_AREAS,
    RED_FLAG_URGENCIES,
    THORACIC_FLAG_AREAS,
)
from backlib.errors import RedFlagError, RequestError
from backlib.labels import SCREEN_DISCLAIMER


@dataclass(frozen=True)
class RedFlag:
    """One red flag: its question, the sign in a few words, its urgency and what to do.

    ``areas`` is None for a flag asked whatever hurts, else the areas that make it apply.
    ``question`` is empty for the flag that comes from the person's age.
    """

    id: str
    question: str
    summary: str
    urgency: str
    message: str
    areas: frozenset[str] | None = None


_CALL = "call your local emergency number (999 in the UK, 112 in the EU, 911 in the US)"

# What to do, action first; flags that share a message are reported together.
# Cauda equina syndrome and cord compression: emergency, same day (NICE CKS: immediate admission).
_NERVES = (
    f"Go to an emergency department now or {_CALL}, and do not exercise. These can be signs of "
    "pressure on the nerves at the base of the spine (cauda equina syndrome) or on the spinal "
    "cord, which needs treatment within hours: do not wait to see whether it settles."
)
# Cervical arterial signs, the "5 D's", and a headache unlike any before: possible stroke or
# arterial dissection (IFOMPT 2023; Sturzenegger 1994).
_ARTERY = (
    f"Please {_CALL} now; do not exercise, and do not move your neck to test it. These can be "
    "warning signs of a problem with an artery in the neck or of a stroke."
)
# Fracture after major trauma (NICE CKS "urgent"; NICE NG41 spinal injury).
_TRAUMA = (
    "Get checked today at an emergency department or an urgent care centre, before you "
    "exercise. After a serious accident the spine should be checked for a fracture."
)
# Fragility fracture: minor trauma with osteoporosis or long-term steroids (NICE CKS "urgent").
_FRAGILE = (
    "Contact your GP or an urgent care service today, before you exercise. With thin bones or "
    "long-term steroid tablets even a small fall or strain can break a bone in the spine."
)
# Spinal infection: fever, systemically unwell (NICE CKS "urgent").
_INFECTION = (
    "Contact your GP, an urgent care centre or an out-of-hours service today. Pain with a "
    "fever or feeling unwell can be a sign of an infection that needs treating."
)
# Progressive neurological deficit (NICE CKS "urgent").
_WEAKNESS = (
    "Contact your GP or an urgent care service today. Weakness or numbness that is getting "
    "worse needs a doctor's examination before you exercise."
)
# Cervical myelopathy: urgent spinal referral, progression is not reversible (NICE CKS neck pain).
_CORD = (
    "Contact your GP or an urgent care service today, and do no neck exercises until you have "
    "been seen. These can be signs of pressure on the spinal cord in the neck."
)
# Malignancy with a past cancer: referral within days (NICE CKS).
_CANCER = (
    "See your GP or your cancer team within the next few days, before you start exercising. "
    "New pain after cancer should always be checked."
)
# Malignancy and other serious features: referral within days (NICE CKS).
_CHECK = (
    "See your GP or doctor within the next few days, before you start exercising, and sooner "
    "if things get worse. This can occasionally point to a cause that should be ruled out."
)
# Age at onset under 20 or over 50 (NICE CKS malignancy flags): referral within days.
_AGE = (
    "See your GP or doctor within the next few days, before you start exercising, if this "
    "pain is new. Back or neck pain that first starts at this age should be checked."
)
# Axial spondyloarthritis: a routine rheumatology question (NICE NG59 pathway).
_INFLAMMATORY = (
    "Book a routine appointment with your GP or doctor before you start. This pattern can "
    "point to an inflammatory back condition (such as axial spondyloarthritis) that is worth "
    "diagnosing, and exercise is usually part of its care."
)

_NECK, _THORAX = NECK_FLAG_AREAS, THORACIC_FLAG_AREAS

# Every flag, most urgent first; RED_FLAGS and questions_for keep this order.
_FLAGS: tuple[RedFlag, ...] = (
    # Cauda equina syndrome, each sign on its own, since people rarely volunteer them (NICE CKS).
    RedFlag(
        "bladder_change",
        "Since this pain began, have you had new trouble with your bladder: finding it hard to "
        "start or unable to pass urine, not feeling it pass, or leaking without meaning to?",
        "new trouble passing or holding urine",
        "emergency",
        _NERVES,
    ),
    RedFlag(
        "bowel_change",
        "Since this pain began, have you lost control of your bowels, or stopped feeling when "
        "you need to empty them?",
        "new loss of bowel control or feeling",
        "emergency",
        _NERVES,
    ),
    RedFlag(
        "saddle_numbness",
        "Is there new numbness or tingling around your back passage, genitals or inner thighs "
        "(where you would sit on a saddle)?",
        "numbness around the back passage, genitals or inner thighs",
        "emergency",
        _NERVES,
    ),
    RedFlag(
        "both_legs_sciatica",
        "Do you have pain, numbness or tingling going down both legs, not just one?",
        "pain or numbness down both legs",
        "emergency",
        _NERVES,
    ),
    RedFlag(
        "both_legs_weak",
        "Are both of your legs getting weaker?",
        "weakness in both legs",
        "emergency",
        _NERVES,
    ),
    RedFlag(
        "unsteady_walking",
        "Has your walking recently become unsteady or clumsy, as if your legs do not do what "
        "you tell them?",
        "walking that has become unsteady",
        "emergency",
        _NERVES,
    ),
    # Cervical arterial dysfunction: dizziness, diplopia, dysarthria, dysphagia, drop attacks
    # (the 5 D's, IFOMPT cervical framework teaching) and a sudden headache unlike any before.
    RedFlag(
        "sudden_dizziness",
        "Since your neck pain began, have you had sudden dizziness, a spinning feeling or "
        "light-headedness that is new to you?",
        "sudden new dizziness",
        "emergency",
        _ARTERY,
        _NECK,
    ),
    RedFlag(
        "double_vision",
        "Since your neck pain began, have you seen double, even for a moment?",
        "double vision",
        "emergency",
        _ARTERY,
        _NECK,
    ),
    RedFlag(
        "slurred_speech",
        "Since your neck pain began, has your speech been slurred, or have words been hard to "
        "get out?",
        "slurred speech",
        "emergency",
        _ARTERY,
        _NECK,
    ),
    RedFlag(
        "trouble_swallowing",
        "Since your neck pain began, have you had new trouble swallowing?",
        "trouble swallowing",
        "emergency",
        _ARTERY,
        _NECK,
    ),
    RedFlag(
        "drop_attacks",
        "Have you suddenly dropped to the ground without warning, because your legs gave way, "
        "without fainting?",
        "sudden falls without warning",
        "emergency",
        _ARTERY,
        _NECK,
    ),
    RedFlag(
        "sudden_severe_headache",
        "Have you had a sudden, severe headache or neck pain, unlike anything you have had before?",
        "a sudden, severe headache unlike any before",
        "emergency",
        _ARTERY,
        _NECK,
    ),
    # Fracture (NICE CKS): major trauma; minor trauma with osteoporosis or long-term steroids.
    RedFlag(
        "major_trauma",
        "Did this pain start after a serious accident in the last few weeks, such as a road "
        "collision, a fall from a height or a heavy blow?",
        "pain since a serious accident",
        "same_day",
        _TRAUMA,
    ),
    RedFlag(
        "minor_trauma_fragile_bones",
        "Do you have osteoporosis (thin bones) or take steroid tablets long-term, and did this "
        "pain start after a small fall, a knock or a strain?",
        "pain after a small fall or strain, with thin bones or long-term steroids",
        "same_day",
        _FRAGILE,
    ),
    # Infection (NICE CKS): fever, chills, systemically unwell.
    RedFlag(
        "fever_or_unwell",
        "Since this pain began, have you had a fever, shivers or chills, or felt generally unwell?",
        "a fever or feeling unwell",
        "same_day",
        _INFECTION,
    ),
    # Progressive neurological deficit (NICE CKS): worsening weakness or numbness, foot drop.
    RedFlag(
        "progressive_weakness",
        "Is weakness or numbness in an arm or a leg getting worse, or has a foot started to "
        "catch or drag when you walk?",
        "weakness or numbness that is getting worse",
        "same_day",
        _WEAKNESS,
    ),
    # Cervical myelopathy (NICE CKS neck pain): hands, both arms, Lhermitte's sign, sexual change;
    # unsteady walking and bladder or bowel change are asked above, at emergency level.
    RedFlag(
        "clumsy_hands",
        "Have your hands become clumsy or weak, for example with buttons, writing or holding "
        "a cup?",
        "clumsy or weak hands",
        "same_day",
        _CORD,
        _NECK,
    ),
    RedFlag(
        "numb_both_hands",
        "Do you have numbness or pins and needles in both hands or both arms?",
        "numbness or tingling in both hands or arms",
        "same_day",
        _CORD,
        _NECK,
    ),
    RedFlag(
        "electric_shocks",
        "Do you feel an electric shock running down your back or into your arms or legs when "
        "you bend your head forward?",
        "electric-shock feelings when bending the neck",
        "same_day",
        _CORD,
        _NECK,
    ),
    RedFlag(
        "sexual_change",
        "Since your neck pain began, have you noticed a new change in sexual function, such "
        "as less feeling or trouble with erections?",
        "a new change in sexual function",
        "same_day",
        _CORD,
        _NECK,
    ),
    # Malignancy (NICE CKS): past cancer with new pain, weight loss, unremitting pain, thoracic
    # pain; referral within days.
    RedFlag(
        "cancer_history",
        "Have you had cancer, and has this pain started since then?",
        "new pain after cancer",
        "within_days",
        _CANCER,
    ),
    RedFlag(
        "weight_loss",
        "Have you lost weight in the last few months without trying?",
        "weight loss without trying",
        "within_days",
        _CHECK,
    ),
    RedFlag(
        "constant_pain",
        "Is the pain there all the time, day and night, without easing when you rest, lie "
        "down or change position?",
        "constant pain that rest or lying down does not ease",
        "within_days",
        _CHECK,
    ),
    RedFlag(
        "thoracic_pain",
        "Did the pain in your upper or mid back (between the shoulder blades or around the "
        "ribs) come on without a clear cause such as a strain, posture or an awkward "
        "movement?",
        "upper or mid-back pain without a clear cause",
        "within_days",
        _CHECK,
        _THORAX,
    ),
    RedFlag(
        "new_onset_age",
        "",
        f"back or neck pain at an age under {NEW_ONSET_AGE_UNDER} or over {NEW_ONSET_AGE_OVER}",
        "within_days",
        _AGE,
    ),
    # Inflammatory back pain (axial spondyloarthritis): routine to urgent rheumatology.
    RedFlag(
        "inflammatory_pattern",
        "Is your back stiff for more than half an hour after waking, loosening as you move, "
        "or does the pain wake you in the second half of the night?",
        "long morning stiffness or pain waking you late at night",
        "routine",
        _INFLAMMATORY,
    ),
)

FLAGS: dict[str, RedFlag] = {flag.id: flag for flag in _FLAGS}
# The flag that comes from the person's age rather than from a question.
AGE_FLAG = "new_onset_age"
# id -> plain-language yes/no question: every flag that is asked (all but the age flag).
RED_FLAGS: dict[str, str] = {flag.id: flag.question for flag in _FLAGS if flag.question}
# Emergency flags: never cleared, whatever an earlier assessment found.
EMERGENCY_FLAGS: frozenset[str] = frozenset(
    flag.id for flag in _FLAGS if flag.urgency == "emergency"
)

_CLEARABLE_NOTE = (
    "If a clinician has already assessed these signs and found exercise safe, they can mark "
    "them as cleared and a routine can be planned."
)


@dataclass(frozen=True)
class Screen:
    """The outcome of the red-flag screen.

    Attributes
    ----------
    stop
        True when a flag is present that has not been cleared: no routine may be planned.
    urgency
        The most urgent of the flags not cleared (``RED_FLAG_URGENCIES``), or None.
    flags
        Every flag present: answered yes, or implied by the age, in screen order.
    cleared
        The present flags a clinician has cleared after assessment.
    messages
        Plain-language messages, most urgent first: what to do for each group of flags, then
        the cleared flags, ending with the decision-support line; empty when nothing is present.
    """

    stop: bool
    urgency: str | None
    flags: tuple[str, ...]
    cleared: tuple[str, ...]
    messages: tuple[str, ...]

    @property
    def active(self) -> tuple[str, ...]:
        """The flags present and not cleared: the ones that stop the plan."""
        return tuple(flag for flag in self.flags if flag not in self.cleared)

    @property
    def emergency(self) -> bool:
        """True when an emergency flag is present (it can never be cleared)."""
        return self.urgency == "emergency"

    @property
    def cleared_note(self) -> str | None:
        """The routine's note naming the cleared flags, or None when none were cleared."""
        return _cleared_note(self.cleared) if self.cleared else None

    def raise_for_stop(self) -> None:
        """Raise RedFlagError when the screen stops the plan; do nothing otherwise.

        Raises
        ------
        RedFlagError
            ``.flags`` holds the flags not cleared, ``.emergency`` is True when one of them is
            an emergency; the message starts "No routine was planned." and carries
            ``messages``.
        """
        if self.stop:
            raise RedFlagError(
                "No routine was planned. " + " ".join(self.messages),
                flags=self.active,
                emergency=self.emergency,
            )


def questions_for(areas: Iterable[str] | str = (), age: int | None = None) -> dict[str, str]:
    """The red-flag questions that apply to the painful areas, in screen order.

    Parameters
    ----------
    areas
        Ids from ``PAIN_AREAS`` (a single id is accepted too). Every area gets the general
        flags (so do no areas); neck, shoulders or upper back add the neck flags (myelopathy,
        cervical arterial signs); upper or mid back add thoracic pain.
    age
        The person's age in whole years, or None. It is validated but adds no question: the age
        itself answers the age-at-onset flag (see :func:`screen`).

    Returns
    -------
    dict[str, str]
        Flag id -> plain-language yes/no question, a subset of ``RED_FLAGS`` in its order.

    Raises
    ------
    RequestError
        For an unknown area (``field="areas"``) or an age that is not a whole number of years
        from 1 to 120 (``field="age"``).
    """
    chosen = set(_areas(areas))
    _age(age)
    return {
        flag.id: flag.question
        for flag in _FLAGS
        if flag.question and (flag.areas is None or chosen & flag.areas)
    }


def screen(
    answers: object = (),
    *,
    age: int | None = None,
    areas: Iterable[str] | str = (),
    cleared: Iterable[str] | str = (),
) -> Screen:
    """Screen the red-flag answers: stop or go, how urgent, and what to do.

    A yes counts whether or not its question applies to ``areas`` (a yes is never ignored).
    An age under 20 or over 50 adds the ``new_onset_age`` flag (NICE CKS: new back pain at
    those ages is checked first); a clinician who has assessed the pain can clear it.

    Parameters
    ----------
    answers
        The flags answered yes: ids from ``RED_FLAGS`` as an iterable or a single id, or a
        mapping id -> bool (as a form of checkboxes gives; only true values count).
    age
        The person's age in whole years (1-120), or None when not given.
    areas
        The painful areas (``PAIN_AREAS``), validated; they decide which questions are asked
        (:func:`questions_for`).
    cleared
        Flags below emergency level that a clinician has assessed and found safe for
        exercise. Those present are honoured (``Screen.cleared``) and no longer stop the plan.

    Returns
    -------
    Screen

    Raises
    ------
    RequestError
        For an unknown answer id (``field="red_flags"``, listing the valid ids), an unknown or
        emergency id in ``cleared`` (``field="cleared"``: emergency flags can never be
        cleared), an unknown area (``field="areas"``) or a bad age (``field="age"``).
    """
    yes = set(normalize_answers(answers, RED_FLAGS, "red_flags"))
    _areas(areas)
    years = _age(age)
    if years is not None and (years < NEW_ONSET_AGE_UNDER or years > NEW_ONSET_AGE_OVER):
        yes.add(AGE_FLAG)  # new pain before 20 or after 50 (NICE CKS malignancy flags)
    given_cleared = set(_cleared(cleared))
    flags = tuple(flag.id for flag in _FLAGS if flag.id in yes)
    honoured = tuple(flag for flag in flags if flag in given_cleared)
    active = [FLAGS[flag] for flag in flags if flag not in given_cleared]
    urgency = min((flag.urgency for flag in active), key=RED_FLAG_URGENCIES.index, default=None)
    messages = [
        f"Because of {_join([flag.summary for flag in group])}, {_lower_first(group[0].message)}"
        for group in _groups(active)
    ]
    if active and urgency != "emergency":
        messages.append(_CLEARABLE_NOTE)
    if honoured:
        messages.append(_cleared_note(honoured))
    if messages:
        messages.append(SCREEN_DISCLAIMER)
    return Screen(
        stop=bool(active),
        urgency=urgency,
        flags=flags,
        cleared=honoured,
        messages=tuple(messages),
    )


def normalize_answers(answers: object, known: Mapping[str, str], field: str) -> tuple[str, ...]:
    """The ids answered yes, validated, in the order of ``known``.

    Accepts None, an iterable of ids, a single id, or a mapping id -> bool (only true values
    count). Shared by the red-flag screen and the readiness check.

    Raises
    ------
    RequestError
        With ``field`` set, for an id that is not in ``known`` (naming the valid ids) or a value
        of another type.
    """
    if answers is None:
        return ()
    if isinstance(answers, str):
        given: list[object] = [answers]
    elif isinstance(answers, Mapping):
        # Every key is checked, a "no" too: a misspelt id must not pass silently.
        given = [key for key, answer in answers.items() if answer or key not in known]
    elif isinstance(answers, Iterable):
        given = list(answers)
    else:
        raise RequestError(
            f"{field} must be a list of ids or a mapping id -> yes/no; got "
            f"{type(answers).__name__}. Valid ids: {', '.join(known)}",
            field=field,
        )
    for answer in given:
        if not isinstance(answer, str) or answer not in known:
            hint = " (it follows from age=, not from an answer)" if answer == AGE_FLAG else ""
            raise RequestError(
                f"{field}: {answer!r} is not a known id{hint}; valid ids: {', '.join(known)}",
                field=field,
            )
    present = set(given)
    return tuple(key for key in known if key in present)


def normalize_red_flags(red_flags: object) -> tuple[str, ...]:
    """The red-flag ids answered yes, validated, in RED_FLAGS order (see normalize_answers)."""
    return normalize_answers(red_flags, RED_FLAGS, "red_flags")


# --------------------------------------------------------------------------- helpers


def _areas(areas: Iterable[str] | str | None) -> tuple[str, ...]:
    if areas is None:
        return ()
    given = [areas] if isinstance(areas, str) else list(areas)
    for area in given:
        if area not in PAIN_AREAS:
            raise RequestError(
                f"areas: {area!r} is not a body-map area; valid areas: {', '.join(PAIN_AREAS)}",
                field="areas",
            )
    return tuple(given)


def _age(age: object) -> int | None:
    if age is None:
        return None
    whole = isinstance(age, Integral) or (isinstance(age, Real) and float(age).is_integer())
    if isinstance(age, bool) or not whole or not AGE_MIN <= age <= AGE_MAX:
        raise RequestError(
            f"age must be a whole number of years from {AGE_MIN} to {AGE_MAX}, or empty; "
            f"got {age!r}",
            field="age",
        )
    return int(age)


def _cleared(cleared: Iterable[str] | str | None) -> tuple[str, ...]:
    if cleared is None:
        return ()
    given = [cleared] if isinstance(cleared, str) else list(cleared)
    for flag in given:
        if flag not in FLAGS:
            raise RequestError(
                f"cleared: {flag!r} is not a known red flag; valid ids: {', '.join(FLAGS)}",
                field="cleared",
            )
        if flag in EMERGENCY_FLAGS:
            raise RequestError(
                f"cleared: {flag!r} ({FLAGS[flag].summary}) is an emergency flag and can never "
                "be cleared: a yes means emergency care now, whatever an earlier assessment "
                "found. Untick the answer if the sign is not present today.",
                field="cleared",
            )
    return tuple(given)


def _groups(active: list[RedFlag]) -> list[list[RedFlag]]:
    """Flags that share a message, one group per message, most urgent group first."""
    groups: dict[str, list[RedFlag]] = {}
    for flag in active:
        groups.setdefault(flag.message, []).append(flag)
    return sorted(groups.values(), key=lambda group: RED_FLAG_URGENCIES.index(group[0].urgency))


def _cleared_note(cleared: Iterable[str]) -> str:
    signs = _join([FLAGS[flag].summary for flag in cleared])
    return (
        f"Cleared by a clinician after assessment: {signs}. Exercise can go ahead; stop and "
        "seek advice again if these signs change or get worse."
    )


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]

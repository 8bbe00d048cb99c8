"""Red-flag screen: a request with a red flag gets no routine, only advice on where to seek care.

Red flags raise the probability of serious spinal pathology; they are not a diagnosis (NICE CKS).
The questions paraphrase NHS red-flag lists derived from NICE CKS (Gloucestershire pathway). Any
"yes" stops routine generation. Cauda equina signs call for same-day emergency care; the other
flags call for a prompt medical review before exercising.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from backlib.errors import RedFlagError, RequestError

# id -> plain-language yes/no question (CKS-derived red flags; cauda equina split into three
# questions because people may not volunteer bladder or saddle symptoms unless asked, NICE CKS).
RED_FLAGS: dict[str, str] = {
    "bladder_or_bowel_change": (
        "Have you had new trouble passing urine, lost control of your bladder or bowels, "
        "or lost the feeling of needing to go?"
    ),
    "saddle_numbness": (
        "Do you have new numbness or tingling around your bottom, genitals or inner thighs "
        "(where you would sit on a saddle)?"
    ),
    "both_legs": (
        "Do you have pain, weakness or numbness going down both legs, or has your walking "
        "become unsteady?"
    ),
    "progressive_weakness": (
        "Is weakness or numbness in a leg getting worse, or has a foot started to drop or drag?"
    ),
    "fever_or_infection_risk": (
        "Do you have a fever, chills or feel generally unwell with your back pain, or do you have "
        "a weakened immune system, inject drugs, or had a recent infection?"
    ),
    "fracture_risk": (
        "Did the pain start after a fall, accident or other injury, or do you have osteoporosis "
        "or take steroid tablets long-term?"
    ),
    "cancer_signs": (
        "Have you ever had cancer, lost weight without trying, or have constant pain at night "
        "that does not ease when you change position?"
    ),
    "inflammatory_signs": (
        "Is your back very stiff in the morning for a long time, does the pain wake you in the "
        "second half of the night, or do you have psoriasis, eye inflammation or bowel "
        "inflammation?"
    ),
}

# Short plain-language names of the flags, for messages ("because you said yes to ...").
RED_FLAG_SUMMARIES: dict[str, str] = {
    "bladder_or_bowel_change": "new bladder or bowel trouble",
    "saddle_numbness": "numbness around the bottom or genitals",
    "both_legs": "symptoms in both legs or unsteady walking",
    "progressive_weakness": "worsening weakness or numbness in a leg",
    "fever_or_infection_risk": "fever, feeling unwell or a raised risk of infection",
    "fracture_risk": "an injury, osteoporosis or long-term steroids",
    "cancer_signs": "a history of cancer, weight loss or constant night pain",
    "inflammatory_signs": "signs of an inflammatory back condition",
}

# Cauda equina signs: emergency, same day (NICE CKS: usually immediate admission).
EMERGENCY_FLAGS: frozenset[str] = frozenset(
    {"bladder_or_bowel_change", "saddle_numbness", "both_legs"}
)
# Progressive neurology, infection and fracture: urgent review (CKS-derived red flags, "Urgent").
URGENT_FLAGS: frozenset[str] = frozenset(
    {"progressive_weakness", "fever_or_infection_risk", "fracture_risk"}
)
# Possible malignancy: referral within days (NICE CKS: "may warrant referral within days").
WITHIN_DAYS_FLAGS: frozenset[str] = frozenset({"cancer_signs"})

_EMERGENCY_ADVICE = (
    "These can be signs of pressure on the nerves at the base of the spine (cauda equina "
    "syndrome), which needs treatment the same day: go to an emergency department now or call "
    "the emergency services. Do not wait to see if it settles."
)
_URGENT_ADVICE = (
    "Please do not exercise until a doctor has checked these signs: contact your GP, doctor or "
    "an urgent care service today or tomorrow, and sooner if things get worse."
)
_WITHIN_DAYS_ADVICE = (
    "Please see a doctor before you start or continue exercising: contact your GP or doctor "
    "within the next few days (sooner if it gets worse) so these signs can be checked."
)
_INFLAMMATORY_ADVICE = (
    "Please book an appointment with your GP or doctor: these signs can point to an "
    "inflammatory back condition that is worth checking, and a rheumatology referral may help."
)


def normalize_red_flags(red_flags: object) -> tuple[str, ...]:
    """The red-flag ids answered "yes", validated, in RED_FLAGS order.

    Accepts an iterable of ids, a single id, or a mapping id -> bool (as a checkbox form gives).

    Raises
    ------
    RequestError
        For an id that is not in RED_FLAGS, naming the valid ids.
    """
    if red_flags is None:
        return ()
    if isinstance(red_flags, str):
        given: list[object] = [red_flags]
    elif isinstance(red_flags, Mapping):
        given = [key for key, answer in red_flags.items() if answer]
    elif isinstance(red_flags, Iterable):
        given = list(red_flags)
    else:
        raise RequestError(
            f"red_flags must be a list of red-flag ids; got {type(red_flags).__name__}. "
            f"Valid ids: {', '.join(RED_FLAGS)}"
        )
    for flag in given:
        if not isinstance(flag, str) or flag not in RED_FLAGS:
            raise RequestError(
                f"red_flags: {flag!r} is not a known red flag; valid ids: {', '.join(RED_FLAGS)}"
            )
    return tuple(flag for flag in RED_FLAGS if flag in set(given))


def screen(red_flags: object) -> None:
    """Stop with a referral message when any red flag is answered "yes".

    Parameters
    ----------
    red_flags
        Ids from RED_FLAGS answered "yes" (or a mapping id -> bool).

    Raises
    ------
    RedFlagError
        When any flag is present; ``.flags`` holds them and ``.emergency`` is True for cauda
        equina signs, whose message asks for same-day emergency care.
    RequestError
        For an unknown id.
    """
    flags = normalize_red_flags(red_flags)
    if not flags:
        return
    emergency = any(flag in EMERGENCY_FLAGS for flag in flags)
    present = set(flags)
    if emergency:
        advice = _EMERGENCY_ADVICE
    elif present & URGENT_FLAGS:
        advice = _URGENT_ADVICE
    elif present & WITHIN_DAYS_FLAGS:
        advice = _WITHIN_DAYS_ADVICE
    else:
        advice = _INFLAMMATORY_ADVICE
    reasons = "; ".join(RED_FLAG_SUMMARIES[flag] for flag in flags)
    message = (
        f"No routine was planned because you answered yes to: {reasons}. {advice} "
        "This screen is decision support, not a diagnosis."
    )
    raise RedFlagError(message, flags=flags, emergency=emergency)

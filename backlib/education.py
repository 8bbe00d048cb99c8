"""What a patient is told about back pain and flare-ups, written once for the sheet and the app.

The key messages of patient education and the flare-up plan are plain sentences in this
project's own words. Each names its source in a comment beside it, so a reviewer can check a
sentence against the evidence, and the programme sheet, the app and a report say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from backlib.constants import (
    FLARE_UP_DAYS_MAX,
    FLARE_UP_DAYS_MIN,
    PAIN_DURING_ACCEPTABLE_MAX,
    SEEK_HELP_DAYS,
)
from backlib.labels import STOP_IF_WORSE


@dataclass(frozen=True)
class KeyMessage:
    """One education message: a short heading a patient can remember, and a sentence or two."""

    heading: str
    text: str


# Warning signs that need help the same day or at once (NICE CKS back pain red flags: cauda
# equina, cord compression, infection, fracture, cancer), in plain words.
WARNING_SIGNS = (
    "new numbness around the bottom or genitals; new trouble passing or holding urine or stools; "
    "pain, numbness or weakness in both legs, or weakness or numbness in a leg that is getting "
    "worse; fever or feeling generally unwell with the pain; weight loss you cannot explain, or "
    "back pain after you have had cancer; pain after a fall or accident; or pain that is there "
    "all the time and worse at night"
)

ABOUT_YOUR_BACK: tuple[KeyMessage, ...] = (
    # O'Sullivan 2020 (BJSM), facts 1-2; NICE NG59 on the usual course of an episode
    KeyMessage(
        "Back pain is rarely serious",
        "Back pain is very common and seldom a sign of serious disease. Most episodes ease a "
        "great deal within a few weeks to a few months, and back pain does not simply get worse "
        "as you get older.",
    ),
    # Guy's & St Thomas' NHS ("hurt does not equal harm"); Jenkins (Macquarie); Silbernagel 2007
    KeyMessage(
        "Hurt does not mean harm",
        "Pain tells you your back is sensitive, not that it is damaged: even a small strain can "
        "hurt a lot. Some discomfort during the exercises is safe, up to about "
        f"{PAIN_DURING_ACCEPTABLE_MAX}/10, as long as it has settled by the next morning.",
    ),
    # NICE QS155 statement 3; O'Sullivan 2020 (BJSM), facts 5-6; Oliveira 2018 (Eur Spine J)
    KeyMessage(
        "Keep active",
        "Carrying on with your usual day, including work, helps you recover sooner than resting. "
        "Moving your back in every direction is safe and good for it.",
    ),
    # RUH Bath pain clinic, paced exercise; Guy's & St Thomas' NHS, pacing
    KeyMessage(
        "Build up gradually",
        "Start a little below what you can manage now, break long jobs into shorter spells with "
        "short breaks, and add a little more only when your back has coped for a few days.",
    ),
    # NHS inform (no better after 2 weeks: GP or MSK service); NICE CKS red flags (urgent help)
    KeyMessage(
        "When to get help",
        f"If your back is no better after {SEEK_HELP_DAYS // 7} weeks of these exercises, "
        "contact your GP or physiotherapist. Get urgent medical help at once for any of these "
        f"warning signs: {WARNING_SIGNS}.",
    ),
)

# Cambridge University Hospitals NHS, flare-up and setback leaflet (2-7 days; common triggers)
FLARE_UP_WHAT = (
    "A flare-up is a spell when your usual back pain gets worse for a while, often after doing "
    "more than usual or something unfamiliar, and sometimes for no clear reason. It is common, "
    f"it does not mean new damage, and it usually settles within {FLARE_UP_DAYS_MIN} to "
    f"{FLARE_UP_DAYS_MAX} days."
)

# Nicholas 2012 (Manage Your Pain: plan ahead, do not stop everything); NHS inform (gentle
# exercise in acute pain); easing doses on a bad day is a design choice (status U)
FLARE_UP_BAD_DAY = (
    "On a bad day, do not stop everything: do the gentle version of your programme below, "
    "with half the sets or repetitions and shorter holds, leaving out any exercise that loads "
    f"a sore back. {STOP_IF_WORSE}"  # NHS inform: stop if symptoms worsen or a new pain appears
)

FLARE_UP_ADVICE: tuple[str, ...] = (
    # Sirona care & health NHS leaflet: keep moving, little and often
    "Keep moving little and often: short walks and gentle movement through the day, with short "
    "rests in between.",
    # Oliveira 2018 (Eur Spine J); Abdel Shaheed 2014 (J Pain): bed rest does not help
    "Avoid bed rest: lying down for long spells tends to make back pain last longer.",
    # NHS Ayrshire & Arran MSK flare-up management: split tasks, short rests, relaxation
    "Split jobs into smaller chunks, rest briefly between them, and use relaxed breathing.",
    # Resume the usual doses when pain is back near its usual level (a design choice, status U)
    "When the pain is back near its usual level, go back to your usual programme.",
)

# NHS inform (not settling after 2 weeks); a flare lasting past its usual 7 days and rising
# calls for review (flare-up mode, status U); NICE CKS red flags (urgent help)
FLARE_UP_HELP = (
    f"Contact your GP or physiotherapist if a flare-up has not settled after {SEEK_HELP_DAYS} "
    f"days, or sooner if it lasts more than {FLARE_UP_DAYS_MAX} days and keeps getting worse. "
    "Get urgent medical help at once for any of the warning signs listed under “When to get "
    "help”."
)

# Said of a programme exercise that the gentle version leaves out (its pain rules exclude it).
FLARE_UP_LEFT_OUT = "Leave out on a bad day"

"""Words a person reads in more than one place: areas, phases, decisions, doses, the disclaimer.

Widgets, handouts, charts and reports take their wording from here, so a phase is called the
same on the screen, on paper and in a report, and a change of wording is made once.
"""

from __future__ import annotations

# Plain-language names of the body-map areas (backlib.constants.PAIN_AREAS).
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

# Section titles of a routine (backlib.constants.PHASES).
PHASE_TITLES: dict[str, str] = {
    "warmup": "Warm-up",
    "main": "Main exercises",
    "cooldown": "Cool-down",
}

# A progression decision as advice for the next session, and as what was done to a dose.
DECISION_WORDS: dict[str, str] = {
    "progress": "step up",
    "hold": "keep the same",
    "regress": "step down",
}
DECISION_DONE_WORDS: dict[str, str] = {
    "progress": "stepped up",
    "hold": "kept",
    "regress": "eased back",
}

# The dose variables (backlib.constants.DOSE_VARIABLES) as a person reads them.
DOSE_LABELS: dict[str, str] = {
    "sets": "sets",
    "reps": "reps",
    "hold_s": "hold (s)",
    "duration_s": "duration (s)",
}

WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# Closes every page a person reads: the app, the handout and the report.
DISCLAIMER = (
    "Decision support for exercise, not a diagnosis: it does not replace advice from your "
    "physiotherapist or doctor. Stop any exercise that causes sharp or spreading pain, and see "
    "a clinician if pain is severe, new or getting worse."
)

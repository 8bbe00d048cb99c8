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
# Why a programme version was made (backlib.constants.PROGRAMME_REASONS), as a person reads it.
PROGRAMME_REASON_LABELS: dict[str, str] = {
    "planned": "first planned",
    "progressed": "moved on by the pain log",
    "edited": "changed by hand",
    "replanned": "planned anew",
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

# Each caution (backlib.constants.CAUTIONS) as a line shown with the exercise.
CAUTION_TEXT: dict[str, str] = {
    "high_impact": "Jumping or running: leave it out while pain is above 3/10.",
    "loaded_flexion": "Curls the spine under load: keep it slow and stop if pain rises.",
    "rotation_under_load": "Twists the spine under load: keep the movement small and slow.",
    "end_range_flexion": (
        "Bends the back fully forward: go gently, and leave it for later in the day if "
        "bending hurts in the first hour or two after waking."
    ),
    "spinal_extension": (
        "Arches the back: stop if pain, numbness or tingling spreads into the buttock or leg."
    ),
    "wrist_load": "Weight on the hands: use fists or forearms if the wrists hurt.",
    "balance": "Needs balance: stand beside a wall or a sturdy table to hold on to.",
    "deep_knee_bend": "Bends the knees deeply: make the movement smaller if the knees hurt.",
}

# Conditions (backlib.constants.CONDITIONS) in plain words.
CONDITION_LABELS: dict[str, str] = {
    "pregnancy": "pregnancy",
    "osteoporosis": "osteoporosis",
    "recent_spinal_surgery": "spinal surgery in the last few months",
    "spinal_stenosis": "spinal stenosis",
    "flexion_intolerant": "bending forward makes it worse",
    "extension_intolerant": "arching back makes it worse",
    "knee_problem": "a knee problem",
    "wrist_problem": "a wrist problem",
    "falls_risk": "a risk of falls",
    "no_floor_work": "difficulty getting down to or up from the floor",
}

# What each condition asks of a person during the routine, shown once in the routine's notes.
CONDITION_ADVICE: dict[str, str] = {
    # ACOG 2020; Mottola 2019 (Canadian guideline): change position if lying on the back makes
    # you light-headed; stop signs need care.
    "pregnancy": (
        "In pregnancy, keep lying on your back short after the first three months and turn onto "
        "your side if you feel light-headed or sick; stop and get advice for bleeding, "
        "contractions, dizziness or chest pain."
    ),
    # Too Fit To Fracture (Giangregorio 2014): spine-sparing technique.
    "osteoporosis": (
        "With osteoporosis, bend at the hips rather than rounding the back, and keep movements "
        "slow and controlled."
    ),
    # Oosterhuis 2014 (Cochrane); a design gate, status U: clearance before a programme.
    "recent_spinal_surgery": (
        "After spinal surgery, follow this routine only once your surgical team has cleared you "
        "for exercise."
    ),
    # Ammendolia's flexion-based programme: flexed postures ease symptoms.
    "spinal_stenosis": (
        "With spinal stenosis, sitting or leaning forward usually eases the legs: rest that way "
        "whenever walking or standing brings symptoms on."
    ),
    # Otago programme (Royal Orthopaedic Hospital NHS): hold a stable support, never a chair that
    # can move.
    "falls_risk": (
        "With a risk of falls, do standing exercises next to a kitchen worktop or a sturdy table "
        "you can hold, never a chair that can move."
    ),
}

# With a risk of falls and floor work in the session: the way down and up, taught in steps from
# a stable support (backward chaining, physio-pedia after Reece & Simpson); about half of those
# who fall cannot get up unaided (NIHR Evidence), so a chair version is the fallback.
FALLS_FLOOR_ADVICE = (
    "Getting down to the floor and back up is part of this session: do it beside a sturdy "
    "piece of furniture, one step at a time (hand on the support, one knee down, then the "
    "other), the way your physiotherapist showed you. If getting up is hard, do the chair "
    "versions instead and tell your physiotherapist."
)

# Positions (backlib.constants.POSITIONS) in plain words.
POSITION_LABELS: dict[str, str] = {
    "standing": "standing",
    "on_machine": "on a machine",
    "in_water": "in water",
    "sitting": "sitting",
    "kneeling": "kneeling",
    "all_fours": "on all fours",
    "prone": "lying on your front",
    "side_lying": "lying on your side",
    "supine": "lying on your back",
}

WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# How soon a red flag needs care (backlib.constants.RED_FLAG_URGENCIES), as a heading for an
# alert: what to do, in the order NICE CKS grades it.
URGENCY_LABELS: dict[str, str] = {
    "emergency": "Emergency: get help now",
    "same_day": "See a doctor today",
    "within_days": "See a doctor within a few days",
    "routine": "Book a routine appointment",
}

# Ends every red-flag or readiness message (NICE CKS: red flags raise a probability, they are
# not a diagnosis).
SCREEN_DISCLAIMER = (
    "This screen is decision support, not a diagnosis: it does not replace a clinician's "
    "assessment."
)

# The verdict on an outcome measure's change (backlib.progress.outcomes), in plain words.
OUTCOME_VERDICT_WORDS: dict[str, str] = {
    "improved": "meaningful improvement",
    "worsened": "meaningful worsening",
    "no_reliable_change": "no reliable change",
    "one_score": "one score so far",
}

# Oswestry bands (backlib.questionnaires). The published name of the 61-80 band is "crippled";
# this project says "very severe" (bands: Fairbank 2000, as scoring guides give them; S).
ODI_BAND_LABELS: dict[str, str] = {
    "minimal": "minimal disability",
    "moderate": "moderate disability",
    "severe": "severe disability",
    "very_severe": "very severe disability",
    "bed_bound": "bed-bound",
}

# STarT Back risk groups and the care matched to each (Hill 2008 subgroups; matched care as in
# the STarT Back trial, Hill 2011; NICE NG59 recommends this stratification at first contact).
START_BACK_RISK_LABELS: dict[str, str] = {
    "low": "low risk",
    "medium": "medium risk",
    "high": "high risk",
}
START_BACK_CARE: dict[str, str] = {
    "low": (
        "Low risk of a persistent problem: self-management works well. Advice, reassurance "
        "and staying active with exercise, such as this routine, are usually enough."
    ),
    "medium": (
        "Medium risk: physiotherapist-led exercise is recommended, with a physiotherapist "
        "guiding and progressing the routine."
    ),
    "high": (
        "High risk: psychologically informed care is recommended: physiotherapy that also "
        "addresses worry, fear of movement and low mood, alongside the exercise."
    ),
}

# Closes every page a person reads: the app, the handout and the report.
DISCLAIMER = (
    "Decision support for exercise, not a diagnosis: it does not replace advice from your "
    "physiotherapist or doctor. Stop any exercise that causes sharp or spreading pain, and see "
    "a clinician if pain is severe, new or getting worse."
)
# The same in a few words, for the foot of every printed report page.
DISCLAIMER_SHORT = "decision support, not a diagnosis"

# Column headings of the tables a person reads (backlib.display), by raw column name; a
# "kind.column" key words a column whose meaning differs in that kind of table.
_PAIN = "(0–10)"
COLUMN_LABELS: dict[str, str] = {
    # exercises, routines and catalog
    "id": "Catalog id",
    "exercise_id": "Catalog id",
    "name": "Exercise",
    "category": "Kind",
    "level": "Level",
    "phase": "Part",
    "phases": "Parts",
    "primary_areas": "Works",
    "secondary_areas": "Also helps",
    "equipment": "Equipment",
    "dose": "Dose",
    "met": "Effort (MET)",
    "pain_max": f"Up to pain {_PAIN}",
    "position": "Position",
    "family": "Family",
    "cautions": "Cautions",
    "not_planned": "Not planned because",
    "aliases": "Also called",
    "sources": "Sources",
    "sets": DOSE_LABELS["sets"].capitalize(),
    "reps": DOSE_LABELS["reps"].capitalize(),
    "hold_s": DOSE_LABELS["hold_s"].capitalize(),
    "duration_s": DOSE_LABELS["duration_s"].capitalize(),
    "per_side": "Each side",
    "seconds": "Time (m:ss)",
    "why": "What it does",
    "reason": "Why chosen",
    "stop_if": "Stop if",
    # patients, sessions and entries
    "patient_id": "Patient id",
    "patients.name": "Patient",
    "patients.created": "Added",
    "weight_kg": "Weight (kg)",
    "target_per_week": "Sessions a week (target)",
    "session_id": "Session",
    "started_at": "Started",
    "planned_minutes": "Minutes planned",
    "actual_minutes": "Minutes done",
    "pain_before": f"Pain before {_PAIN}",
    "pain_during": f"Pain during {_PAIN}",
    "pain_after": f"Pain after {_PAIN}",
    "pain_next_morning": f"Pain next morning {_PAIN}",
    "difficulty": "Difficulty (1–5)",
    "notes": "Notes",
    "programme_version": "Programme version",
    "routine": "Routine",
    "entry_id": "Entry",
    "prescribed_sets": "Sets planned",
    "prescribed_reps": "Reps planned",
    "prescribed_hold_s": "Hold planned (s)",
    "prescribed_duration_s": "Duration planned (s)",
    "done_sets": "Sets done",
    "done_reps": "Reps done",
    "done_hold_s": "Hold done (s)",
    "done_duration_s": "Duration done (s)",
    "completed": "Completed",
    # weekly figures, assessment and decisions
    "iso_year": "ISO year",
    "iso_week": "ISO week",
    "week": "Week",
    "week_start": "Week of",
    "sessions": "Sessions",
    "adherence": "Adherence",
    "minutes": "Minutes done",
    "pain_before_mean": f"Pain before, mean {_PAIN}",
    "pain_after_mean": f"Pain after, mean {_PAIN}",
    "pain_next_morning_mean": f"Pain next morning, mean {_PAIN}",
    "pain_during_max": f"Pain during, worst {_PAIN}",
    "what": "Measure",
    "value": "Value",
    "zone": "Pain zone",
    "decision": "Next session",
    "variable": "Changes",
    "previous": "Dose now",
    "next": "Next dose",
    "variant": "Try instead",
    "decisions.reason": "Why",
    "sessions_considered": "Sessions read",
    "last_done": "Last done",
    # programme versions
    "version": "Version",
    "created": "Made",
    "history.reason": "Reason",
    "history.why": "Why",
    "by": "By",
    "note": "Note",
    "days_per_week": "Days a week",
    "exercises": "Exercises",
    "changes": "What changed",
    "first_session": "First session",
    # questionnaires
    "outcome_id": "Score id",
    "measured_on": "Measured on",
    "measure": "Questionnaire",
    "score": "Score",
    "item": "Item",
    "topic": "Topic",
    "mcid": "Smallest change that matters (MCID, points)",
    "mdc": "Smallest change it can detect (MDC, points)",
    "higher_is_better": "Better is",
}

# The one wording of two safety sentences that several notes share: stop what makes the pain
# worse or brings on a new one (NHS inform), and when to call about a bad spell (NHS inform).
STOP_IF_WORSE = (
    "Stop any exercise that makes your pain worse than when you started or brings on a new pain."
)
CALL_IF_NOT_BETTER = (
    "contact your GP or physiotherapist if the pain is no better within two weeks or gets worse"
)

"""Constants with clinical meaning, each with its source named in the comment beside it."""

from __future__ import annotations

# The body-map regions the workbook plans for (a design choice).
PAIN_AREAS: tuple[str, ...] = (
    "neck",
    "shoulders",
    "upper_back",
    "mid_back",
    "lower_back",
    "hips",
    "glutes",
    "hamstrings",
)

CATEGORIES: tuple[str, ...] = ("warmup", "mobility", "stretch", "strength", "cardio", "relaxation")
PHASES: tuple[str, ...] = ("warmup", "main", "cooldown")
LEVELS: tuple[str, ...] = ("beginner", "intermediate", "advanced")

# Equipment an exercise may need; "none" and "mat" are always available to everyone.
EQUIPMENT: tuple[str, ...] = (
    "none",
    "mat",
    "chair",
    "wall",
    "towel",
    "step",
    "foam_roller",
    "resistance_band",
    "exercise_ball",
    "stationary_bike",
    "elliptical",
    "pool",
)
ALWAYS_AVAILABLE: frozenset[str] = frozenset({"none", "mat"})

# Movement cautions. Each one has an effect the planner applies: a highest pain it may be planned
# at (CAUTION_PAIN_MAX, checked against each exercise's pain_max when the catalog loads) and/or
# the conditions that rule it out (CONDITION_CAUTIONS); labels.CAUTION_TEXT says it in words.
CAUTIONS: tuple[str, ...] = (
    "high_impact",  # jumping, jogging, running
    "loaded_flexion",  # crunches, sit-ups: disc compression under flexion (Axler & McGill 1997)
    "rotation_under_load",  # Russian twist: flexion + rotation + compression (Les Mills)
    "end_range_flexion",  # toe touch, knees-to-chest: limit early morning (Snook 1998)
    "spinal_extension",  # cobra, superman: stop if symptoms spread down a leg (McKenzie)
    "wrist_load",  # planks, push-ups, all-fours work on the hands (Pilates Live)
    "balance",  # single-leg and unstable positions (ACSM neuromotor, Garber 2011)
    "deep_knee_bend",  # squats, lunges, child's pose (Pilates Live; sparkpeople, knee pain)
)
# The highest current pain (0-10) at which an exercise with a caution that loads the spine may
# be planned (each exercise's own pain_max may be lower; cautions about other joints or balance
# act through conditions instead). Loaded extension, loaded flexion or rotation, and high-impact
# work are deferred in the acute, severe phase (a design choice from the acute-phase advice of
# NHS inform and Camden MSK, status U); impact waits for the pain-monitoring model's "safe" zone
# (Silbernagel 2007).
CAUTION_PAIN_MAX: dict[str, int] = {
    "high_impact": 3,
    "loaded_flexion": 4,
    "rotation_under_load": 3,
    "spinal_extension": 6,
}

# Positions an exercise is done in, in the order a session flows through them: standing work
# first, then sitting, kneeling, all fours, and lying last, so there is one way down to the floor
# (a design convention after the UBC GOAL and Otago class structures, status U).
POSITIONS: tuple[str, ...] = (
    "standing",
    "on_machine",
    "in_water",
    "sitting",
    "kneeling",
    "all_fours",
    "prone",
    "side_lying",
    "supine",
)
FLOOR_POSITIONS: frozenset[str] = frozenset(
    {"kneeling", "all_fours", "prone", "side_lying", "supine"}
)

# Conditions a planner request may name; each rules out cautions and/or positions (below).
CONDITIONS: tuple[str, ...] = (
    "pregnancy",
    "osteoporosis",
    "recent_spinal_surgery",
    "spinal_stenosis",
    "flexion_intolerant",
    "extension_intolerant",
    "knee_problem",
    "wrist_problem",
    "falls_risk",
    "no_floor_work",
)
CONDITION_CAUTIONS: dict[str, frozenset[str]] = {
    # ACOG 2020 and Mayo Clinic: no full sit-ups, deep twists from the belly, or exercises that
    # compress the abdomen (knees pulled to the chest).
    "pregnancy": frozenset({"loaded_flexion", "rotation_under_load", "end_range_flexion"}),
    # Brooke-Wavell 2022, Too Fit To Fracture: no loaded or end-range flexion or twisting; impact
    # no higher than brisk walking with a vertebral fracture.
    "osteoporosis": frozenset(
        {"loaded_flexion", "end_range_flexion", "rotation_under_load", "high_impact"}
    ),
    # Oosterhuis 2014 and spine-health: no bending, lifting or twisting load until cleared.
    "recent_spinal_surgery": frozenset(
        {
            "loaded_flexion",
            "end_range_flexion",
            "rotation_under_load",
            "spinal_extension",
            "high_impact",
        }
    ),
    # Ammendolia's flexion-biased programme: no repeated or sustained end-range extension.
    "spinal_stenosis": frozenset({"spinal_extension"}),
    # Long 2004 directional preference: no movements against the preferred direction.
    "flexion_intolerant": frozenset({"loaded_flexion", "end_range_flexion"}),
    "extension_intolerant": frozenset({"spinal_extension"}),
    # Pilates Live, sparkpeople: no deep knee bend with knee pain.
    "knee_problem": frozenset({"deep_knee_bend"}),
    # Pilates Live: no full weight on an extended, painful wrist.
    "wrist_problem": frozenset({"wrist_load"}),
    # Otago, Sherrington 2019: balance work only with support; no jumping.
    "falls_risk": frozenset({"balance", "high_impact"}),
    "no_floor_work": frozenset(),
}
# Movement families a condition prefers, when they suit the request otherwise.
CONDITION_PREFERS: dict[str, frozenset[str]] = {
    # Flexion-biased cycling as "flexion endurance" (Ammendolia's programme; Pua 2007 found
    # cycling and supported walking equal).
    "spinal_stenosis": frozenset({"cycling"}),
    # Otago: sit-to-stand is the falls programme's strength exercise.
    "falls_risk": frozenset({"squat"}),
}
CONDITION_POSITIONS: dict[str, frozenset[str]] = {
    # Mayo Clinic, healthy-together.ca: no lying on the belly in pregnancy.
    "pregnancy": frozenset({"prone"}),
    # Pilates Live: kneeling and all-fours load the knees; standing or lying versions instead.
    "knee_problem": frozenset({"kneeling", "all_fours"}),
    # physio-pedia backward chaining, World Falls Guidelines 2022: no unsupervised floor work for
    # someone who cannot get up from the floor; chair and standing versions instead.
    "no_floor_work": FLOOR_POSITIONS,
}

# Pain scale: 11-point NRS, integers 0-10 (LOINC 72514-3).
PAIN_MIN, PAIN_MAX = 0, 10
# Pain 7-10 counts as severe: gentle routine only (RUH Bath pacing; Silbernagel: > 5 unacceptable).
SEVERE_PAIN = 7
# Pain 4-6 is moderate: no high-impact work (Silbernagel acceptable zone 4-5; RUH Bath pacing).
MODERATE_PAIN = 4

# Pain-monitoring model zones (Silbernagel 2007, as clinical summaries render it).
PAIN_DURING_SAFE_MAX = 3  # 0-3 "safe" zone (Silbernagel 2007, bim.physio rendering)
PAIN_DURING_ACCEPTABLE_MAX = 5  # 4-5 "acceptable"; > 5 unacceptable (Silbernagel 2007)
PAIN_AFTER_ACCEPTABLE_MAX = 5  # pain after activity may reach 5/10 (Silbernagel 2007)
NEXT_MORNING_RISE_REGRESS = 2  # next morning >= 2 above pain before -> regress (a design choice, U)

# Minimal important change: Ostelo 2008; PSFS: Stratford 1995.
NPRS_MCID_POINTS = 2.0  # 2 points on the 0-10 NRS (Ostelo 2008)
MCID_RELATIVE = 0.30  # 30 % improvement from baseline (Ostelo 2008)

# Outcome measures: range, step, minimal important change (Ostelo 2008; PSFS Stratford 1995),
# minimal detectable change ("mdc": the smallest change beyond measurement error, 90 %
# confidence; a change is meaningful only when it reaches both, backlib.progress.outcomes),
# and whether a higher score is better. "step" is the smallest difference a total can show: 1 for
# totals that count whole points, None where the total may be any number in the range.
OUTCOME_MEASURES: dict[str, dict] = {
    # 11-point NRS: whole numbers 0-10 (LOINC 72514-3).
    "nprs": {
        "label": "Pain (NPRS)",
        "min": 0,
        "max": 10,
        "step": 1,
        "mcid": 2.0,
        # MDC 1.77 points in back pain (Haase 2022); neck pain shows a larger one (Kovacs 2008: 4).
        "mdc": 1.77,
        "higher_is_better": False,
    },
    # ODI: a percentage of the sections answered, so any value 0-100 when one is skipped
    # (Fairbank & Pynsent 2000).
    "odi": {
        "label": "Oswestry (ODI %)",
        "min": 0,
        "max": 100,
        "step": None,
        "mcid": 10.0,
        "mdc": 10.0,  # MDC90 10 percentage points (Oswestry scoring sheets; status S)
        "higher_is_better": False,
    },
    # RMDQ: the count of 24 yes/no statements ticked, a whole number 0-24 (Roland & Morris 1983).
    "rmdq": {
        "label": "Roland-Morris (RMDQ)",
        "min": 0,
        "max": 24,
        "step": 1,
        "mcid": 5.0,
        # MDC90 4-5 points, so a first score under 4 cannot show improvement (Stratford 1996, U).
        "mdc": 4.0,
        "higher_is_better": False,
    },
    # PSFS: the mean of 3-5 activity ratings of 0-10, so any value 0-10 (Stratford 1995).
    "psfs": {
        "label": "Patient-Specific Functional Scale",
        "min": 0,
        "max": 10,
        "step": None,
        "mcid": 2.0,
        "mdc": 2.0,  # MDC90 2 points for the mean score, 3 for one activity (Stratford 1995; S)
        "higher_is_better": True,
    },
}

# --- Screening (backlib.screening, backlib.readiness) ---
# How soon a red flag needs care, most urgent first (NICE CKS: urgency varies by flag, from
# immediate admission for cauda equina syndrome to referral within days; IFOMPT 2020).
RED_FLAG_URGENCIES: tuple[str, ...] = ("emergency", "same_day", "within_days", "routine")
# New back or neck pain before 20 or after 50 (NICE CKS malignancy flags; some lists say 55).
NEW_ONSET_AGE_UNDER = 20
NEW_ONSET_AGE_OVER = 50
# A typed age the screen accepts, in whole years (a sanity range, not a clinical rule).
AGE_MIN, AGE_MAX = 1, 120
# Neck flags are asked whenever one of these areas hurts (IFOMPT 2023 cervical framework).
NECK_FLAG_AREAS: frozenset[str] = frozenset({"neck", "shoulders", "upper_back"})
# Thoracic pain is a flag only when the upper or mid back hurts (NICE CKS malignancy flags).
THORACIC_FLAG_AREAS: frozenset[str] = frozenset({"upper_back", "mid_back"})

# The variables a dose is made of: sets of reps (each optionally held hold_s), or a duration.
DOSE_VARIABLES: tuple[str, ...] = ("sets", "reps", "hold_s", "duration_s")

DIFFICULTY_MIN, DIFFICULTY_MAX = 1, 5  # self-rated session difficulty, 1 = very easy, 5 = very hard

# Sessions per week for each muscle group: 2-3 (ACSM, Garber 2011).
DEFAULT_TARGET_PER_WEEK = 3
# Why a programme version was made.
PROGRAMME_REASONS: tuple[str, ...] = ("planned", "progressed", "edited", "replanned")
# Weekday names a programme's schedule may use, in week order.
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES: dict[str, str] = {
    "mon": "monday",
    "tue": "tuesday",
    "wed": "wednesday",
    "thu": "thursday",
    "fri": "friday",
    "sat": "saturday",
    "sun": "sunday",
}
# A weekly target the store accepts: at least one session, at most two a day.
TARGET_PER_WEEK_MIN, TARGET_PER_WEEK_MAX = 1, 14

# --- Identities and typed values the store accepts ---
# Patient ids are slugs: lower-case letters and digits, joined by single hyphens or underscores;
# they also name report files, so they never hold '/', '\\' or '.'. "\Z", not "$": "$" also
# matches before a final newline, and 'abc\n' would pass as a second 'abc'.
PATIENT_ID_PATTERN = r"^[a-z0-9]+([-_][a-z0-9]+)*\Z"
PATIENT_ID_MAX = 64
# Session and outcome uids: a UUID on export; hand-written files may use short ids of their own
# (letters and digits joined by single '-', '_' or '.'), at most the length of a UUID.
UID_PATTERN = r"^[A-Za-z0-9]+([-_.][A-Za-z0-9]+)*\Z"
UID_MAX = 36
# Text the store keeps, in characters (design choices: a name is one line; a session note is a
# few pages; a routine as JSON, 15,000 characters for 90 minutes of 33 items, fits many times).
PATIENT_NAME_MAX = 200
NOTES_MAX = 10_000
ROUTINE_TEXT_MAX = 100_000
# Minutes of one session: a session lasts less than a day (a sanity bound, not a clinical rule).
SESSION_MINUTES_MAX = 24 * 60
# The earliest year a record may carry: older dates are typing errors, and pandas' datetime64[ns]
# frames cannot hold dates before 1677 (a sanity bound).
EARLIEST_YEAR = 1900
# Sets, reps and seconds above this are typing errors, not doses.
DOSE_VALUE_MAX = 10_000

# --- Progress analytics and flags (backlib.progress) ---
# Baseline = first 2 weeks, current = last 2 weeks: a design choice (status U).
BASELINE_DAYS = 14
CURRENT_DAYS = 14
# No meaningful improvement by 6 weeks: NHS "within a few weeks", CKS red flags "about 1 month".
NO_IMPROVEMENT_WEEKS = 6
# ... while exercising at least 2 sessions a week (ACSM >= 2 days/week, Garber 2011).
MIN_SESSIONS_PER_WEEK = 2
# Pain >= 8 in 2 of the last 5 sessions: far past Silbernagel's 5/10 limit (the counts are
# a design choice, U).
HIGH_PAIN = 8
HIGH_PAIN_COUNT = 2
HIGH_PAIN_WINDOW = 5
# Pain must not rise week on week (Silbernagel): 3 weekly next-morning means, each above the last.
RISING_WEEKS = 3
# Adherence below 50 % of target over the last 4 weeks (a design choice, U; target from ACSM).
LOW_ADHERENCE = 0.5
ADHERENCE_WINDOW_DAYS = 28
# At least two weeks of history before adherence is judged (a design choice, U).
ADHERENCE_MIN_HISTORY_DAYS = 14
# Fewest sessions in a group before a flare-up comparison is more than a hint (a design choice, U).
FLARE_UP_MIN_SESSIONS = 5

# --- Patient education and the flare-up plan (backlib.education) ---
# A flare-up usually lasts 2-7 days (Cambridge University Hospitals NHS, flare-up leaflet).
FLARE_UP_DAYS_MIN, FLARE_UP_DAYS_MAX = 2, 7
# No better after 2 weeks of home exercise, or a flare-up not settling by then: see the GP or a
# physiotherapist (NHS inform, exercises for back pain).
SEEK_HELP_DAYS = 14
# The weeks a printed programme sheet's tick table may cover (one week to a year).
SHEET_WEEKS_MIN, SHEET_WEEKS_MAX = 1, 52

# --- Pain-guided progression (backlib.progression), one variable one step (a design choice, U) ---
RECENT_SESSIONS = 2  # GREEN must hold in the last 2 sessions with the exercise (a design choice, U)
REPS_STEP = 2  # reps +/-2 inside 8-15 style ranges (ACSM; Silbernagel 2020: 3x10-15 -> 3x15)
SETS_STEP = 1  # sets +/-1 inside 1-4 (ACSM 2-4 sets, single set for novices)
HOLD_STEP_S = 5  # stretch holds of 10-30 s move by 5 s (ACSM flexibility guidance)
SHORT_HOLD_STEP_S = 1  # brief endurance holds (2-10 s, McGill/Bournemouth) move by 1 s
SHORT_HOLD_MAX_S = 10  # holds whose catalog max is <= 10 s count as brief (McGill)
DURATION_STEP_S = 60  # continuous work of minutes moves by 1 min (a design choice, U; ACSM aerobic)
SHORT_DURATION_STEP_S = 10  # timed work up to 3 min (plank 20-30 s, Bournemouth) moves by 10 s
SHORT_DURATION_MAX_S = 180
# Not done for 4 weeks: repeat the last dose first ("start from what you have recently managed",
# Guy's & St Thomas' NHS).
STALE_DAYS = 28
# The logger asks before saving an exercise done at more than this many times its prescribed
# volume (sets x reps or seconds): more often a typing slip than a session (a design choice, U).
DONE_FAR_ABOVE = 2
# A review raises a programme's planned session time by at most this share: add 2-10 % load
# at a time (Ratamess 2009, ACSM progression models).
SESSION_GROWTH_MAX = 0.10

# --- Routine planning (backlib.plan.planner) ---
# The time budget a request may ask for, in whole minutes (a design choice).
PLAN_MINUTES_MIN, PLAN_MINUTES_MAX = 5, 90
# From 10 minutes a routine is structured: warm-up and cool-down each 10-25 % of the time and the
# total at least 90 % of the budget; 5-9 minutes is a short mobility routine (a design choice).
STRUCTURED_MINUTES = 10
PHASE_SHARE_MIN, PHASE_SHARE_MAX = 0.10, 0.25
FILL_MIN_FRACTION = 0.90
# Failing that, at least 75 % before the fill rule is dropped (a design choice, U).
FILL_SOME_FRACTION = 0.75
# The most exercises one routine holds: 5, plus one per 4 minutes, at most 18 (a design choice,
# U: a physiotherapist's home programme has a handful of exercises at a useful dose).
MAX_ITEMS_BASE, MINUTES_PER_ITEM, MAX_ITEMS = 5, 4, 18
# From 15 minutes every requested area must be the primary target of a main item (a design choice).
COVERAGE_MINUTES = 15
# Pacing: start about 20 % below what you can manage, build up once pain is under control
# (RUH Bath pain clinic paced exercise; aboutkidshealth.ca: "don't let pain be the only guide").
PACING_REDUCTION = 0.20
# Severe pain: sessions start short. 15 min is the Mayo Clinic "back exercises in 15 minutes a
# day" routine (glute bridge, knees to chest), the shortest whole routine the sources
# describe; with the 20 % pacing cut (RUH Bath) it also bounds a long request.
SEVERE_PAIN_MAX_MINUTES = 15
# Which exercise levels each user level may get: never a level above the user's own (an
# intermediate user does not get advanced work; progress one step at a time, a design choice).
LEVEL_ALLOWS: dict[str, frozenset[str]] = {
    "beginner": frozenset({"beginner"}),
    "intermediate": frozenset({"beginner", "intermediate"}),
    "advanced": frozenset({"beginner", "intermediate", "advanced"}),
}
# Body weight accepted for the kcal estimate (a sanity range, not a clinical rule).
WEIGHT_KG_MIN, WEIGHT_KG_MAX = 20.0, 400.0

# Paper a report prints on, width and height in millimetres (ISO 216 for A4; US Letter is
# 8.5 x 11 in, ANSI/ASME Y14.1). The first is the default.
PAPER_SIZES_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}

"""Every code, code system and unit a backlib FHIR bundle uses, each with its source.

Where a standard code exists and is known (LOINC for the 0-10 pain rating and the Oswestry
total), it is used; where none is confirmed (RMDQ, PSFS, STarT Back totals, the exercise
session and its parts), the code comes from a local code system of backlib's own, ``urn:backlib:…``,
with a ``text`` a person reads, until a standard code is confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# LOINC's code system URI (HL7 FHIR R4 terminology page).
LOINC = "http://loinc.org"
# UCUM's code system URI, for every unit (HL7 FHIR R4 Quantity).
UCUM = "http://unitsofmeasure.org"
# Observation categories (HL7 FHIR R4 observation-category): "survey" for what a person rates
# or answers, "activity" for bodily activity that maintains fitness (an exercise session).
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
SURVEY = "survey"
ACTIVITY = "activity"
# Why a value is missing (HL7 FHIR R4 data-absent-reason): a session whose minutes were not kept.
DATA_ABSENT_REASON = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
UNKNOWN = "unknown"

# backlib's local code systems (a local system until a standard code is confirmed: LOINC none
# found for RMDQ, PSFS, STarT Back).
INSTRUMENT_SYSTEM = "urn:backlib:instrument"
SESSION_SYSTEM = "urn:backlib:session-part"
PAIN_MOMENT_SYSTEM = "urn:backlib:pain-moment"
START_BACK_RISK_SYSTEM = "urn:backlib:start-back-risk"
# The canonical URL a QuestionnaireResponse names its questionnaire by (no wording is shipped).
QUESTIONNAIRE_CANONICAL = "urn:backlib:questionnaire:"
# Identifier systems: the store's own ids, so a record system can recognise a record it holds.
PATIENT_ID_SYSTEM = "urn:backlib:patient-id"
SESSION_UID_SYSTEM = "urn:backlib:session"
OUTCOME_UID_SYSTEM = "urn:backlib:outcome"
QUESTIONNAIRE_UID_SYSTEM = "urn:backlib:questionnaire"


@dataclass(frozen=True)
class Code:
    """One coding: its system, code and display, and the ``text`` of the CodeableConcept."""

    system: str
    code: str
    display: str

    def concept(self) -> dict[str, Any]:
        """The FHIR CodeableConcept holding this coding alone."""
        return {
            "coding": [{"system": self.system, "code": self.code, "display": self.display}],
            "text": self.display,
        }


@dataclass(frozen=True)
class Unit:
    """A UCUM unit as a Quantity carries it."""

    code: str
    shown: str

    def quantity(self, value: float) -> dict[str, Any]:
        return {"value": value, "unit": self.shown, "system": UCUM, "code": self.code}


# Pain NRS 0-10: LOINC 72514-3 (an eCQM value set and FHIR FSH profiles; valueInteger).
PAIN_NRS = Code(LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
# Oswestry Disability Index total: LOINC 97909-6 (CMS ACCESS Model IG; PACIO sample data).
ODI_TOTAL = Code(LOINC, "97909-6", "Oswestry disability index score ODI")
# RMDQ, PSFS and STarT Back totals: no LOINC code found, so a local code system with a text.
RMDQ_TOTAL = Code(INSTRUMENT_SYSTEM, "rmdq", "Roland-Morris Disability Questionnaire total")
PSFS_MEAN = Code(INSTRUMENT_SYSTEM, "psfs", "Patient-Specific Functional Scale mean score")
START_BACK_TOTAL = Code(INSTRUMENT_SYSTEM, "start_back", "STarT Back Screening Tool total")

# Units: percent for the ODI index, {score} for the PSFS mean (HL7 FHIR R4 Observation shape);
# minutes for a session's duration (UCUM "min").
PERCENT = Unit("%", "%")
SCORE = Unit("{score}", "score")
MINUTES = Unit("min", "min")

# Outcome measure (the store's ``measure``) -> its code and how its value is carried:
# "integer" (valueInteger) or a unit (valueQuantity), after the HL7 FHIR R4 Observation shape.
OUTCOME_CODES: dict[str, tuple[Code, Unit | None]] = {
    "nprs": (PAIN_NRS, None),
    "odi": (ODI_TOTAL, PERCENT),
    "rmdq": (RMDQ_TOTAL, None),
    "psfs": (PSFS_MEAN, SCORE),
}

# The exercise session and its parts (local codes: no standard code confirmed).
EXERCISE_SESSION = Code(SESSION_SYSTEM, "exercise-session", "Exercise session (home programme)")
PLANNED_MINUTES = Code(SESSION_SYSTEM, "planned-minutes", "Planned duration")
PROGRAMME_VERSION = Code(SESSION_SYSTEM, "programme-version", "Programme version done")
DIFFICULTY = Code(SESSION_SYSTEM, "difficulty", "Self-rated difficulty, 1 very easy to 5 very hard")
PAIN_MOMENT = Code(SESSION_SYSTEM, "pain-moment", "When the pain was rated")

# The four moments a session's pain is rated at (pain-monitoring model, Silbernagel 2007): the
# store's column -> the moment's code.
PAIN_MOMENTS: dict[str, Code] = {
    "pain_before": Code(PAIN_MOMENT_SYSTEM, "before", "Before the session"),
    "pain_during": Code(PAIN_MOMENT_SYSTEM, "during", "During the session (worst)"),
    "pain_after": Code(PAIN_MOMENT_SYSTEM, "after", "Right after the session"),
    "pain_next_morning": Code(PAIN_MOMENT_SYSTEM, "next-morning", "The next morning"),
}

# STarT Back risk (Hill 2008) as a component of its total.
START_BACK_RISK = Code(INSTRUMENT_SYSTEM, "start_back-risk", "STarT Back risk group")
START_BACK_RISKS: dict[str, Code] = {
    risk: Code(START_BACK_RISK_SYSTEM, risk, f"{risk} risk") for risk in ("low", "medium", "high")
}


def questionnaire_url(instrument: str) -> str:
    """The canonical a QuestionnaireResponse names (``urn:backlib:questionnaire:odi``)."""
    return f"{QUESTIONNAIRE_CANONICAL}{instrument}"

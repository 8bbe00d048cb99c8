"""FHIR R4 export: a patient's pain, sessions, outcome totals and questionnaires as a Bundle.

``patient_bundle`` builds it (``resources`` maps each store row, ``codes`` holds every code,
``times`` the time-zone rule, ``ids`` the stable resource ids), ``checks`` refuses a bundle that
breaks FHIR's or backlib's rules, and ``export`` writes bundles owner-only.
"""

from __future__ import annotations

from backlib.fhir.bundle import patient_bundle
from backlib.fhir.checks import bundle_problems, check_bundle, library_problems
from backlib.fhir.export import write_all, write_bundle

__all__ = [
    "bundle_problems",
    "check_bundle",
    "library_problems",
    "patient_bundle",
    "write_all",
    "write_bundle",
]

"""What a FHIR library's structural validation does not check, checked before a bundle leaves.

``fhir.resources`` (R4B models) checks structure and types: required elements, unknown
elements, a dateTime's form. It does not know which codes a backlib bundle should use, the range
of each measure, or whether a reference points at a resource of the same bundle. These checks
do, and the export refuses to write a bundle that fails any of them (or, when the ``fhir``
extra is installed, the library's own validation).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

from backlib.constants import (
    DIFFICULTY_MAX,
    DIFFICULTY_MIN,
    OUTCOME_MEASURES,
    PAIN_MAX,
    PAIN_MIN,
    SESSION_MINUTES_MAX,
)
from backlib.errors import ExportError
from backlib.fhir import codes
from backlib.fhir.ids import URN_PREFIX
from backlib.questionnaires import INSTRUMENTS

# A dateTime with a time must carry a zone (Z or +hh:mm); a date alone needs none (HL7 FHIR R4
# dateTime).
_ZONED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_DAY = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_TIME_KEYS = ("effectiveDateTime", "start", "end", "authored", "timestamp")
# Which resource type each kind of reference must point at.
_TARGETS = {
    "subject": "Patient",
    "derivedFrom": "QuestionnaireResponse",
    "hasMember": "Observation",
}
# An observation's code -> (category, how its value is checked): ("integer", low, high) or
# ("quantity", unit code, low, high).
_START_BACK_MAX = len(INSTRUMENTS["start_back"].items)  # one point per item (Hill 2008)


def _rule(measure: str) -> tuple:
    _code, unit = codes.OUTCOME_CODES[measure]
    spec = OUTCOME_MEASURES[measure]
    if unit is None:
        return ("integer", spec["min"], spec["max"])
    return ("quantity", unit.code, spec["min"], spec["max"])


_VALUE_RULES: dict[tuple[str, str], tuple[str, tuple]] = {
    (codes.PAIN_NRS.system, codes.PAIN_NRS.code): (codes.SURVEY, ("integer", PAIN_MIN, PAIN_MAX)),
    **{
        (code.system, code.code): (codes.SURVEY, _rule(measure))
        for measure, (code, _unit) in codes.OUTCOME_CODES.items()
        if measure != "nprs"
    },
    (codes.START_BACK_TOTAL.system, codes.START_BACK_TOTAL.code): (
        codes.SURVEY,
        ("integer", 0, _START_BACK_MAX),
    ),
    (codes.EXERCISE_SESSION.system, codes.EXERCISE_SESSION.code): (
        codes.ACTIVITY,
        ("quantity", codes.MINUTES.code, 0, SESSION_MINUTES_MAX),
    ),
}
# A component's code -> what its value may be.
_COMPONENT_RULES: dict[str, tuple] = {
    codes.PLANNED_MINUTES.code: ("quantity", codes.MINUTES.code, 0, SESSION_MINUTES_MAX),
    codes.PROGRAMME_VERSION.code: ("integer", 1, None),
    codes.DIFFICULTY.code: ("integer", DIFFICULTY_MIN, DIFFICULTY_MAX),
    codes.PAIN_MOMENT.code: ("concept", {c.code for c in codes.PAIN_MOMENTS.values()}),
    codes.START_BACK_RISK.code: ("concept", {c.code for c in codes.START_BACK_RISKS.values()}),
}


def bundle_problems(bundle: dict[str, Any]) -> list[str]:
    """Every rule of backlib's own the bundle breaks, each naming the resource and element."""
    problems: list[str] = []
    if bundle.get("resourceType") != "Bundle" or bundle.get("type") != "collection":
        problems.append("Bundle: resourceType must be Bundle and type collection")
    entries = bundle.get("entry") or []
    urls: dict[str, str] = {}
    for index, entry in enumerate(entries):
        resource = entry.get("resource") or {}
        url = entry.get("fullUrl", "")
        where = f"entry[{index}] {resource.get('resourceType', '?')}"
        if not _is_urn_uuid(url) or url != f"{URN_PREFIX}{resource.get('id')}":
            problems.append(f"{where}.fullUrl: {url!r} is not urn:uuid: and the resource's id")
        if url in urls:
            problems.append(f"{where}.fullUrl: {url!r} appears twice")
        urls[url] = resource.get("resourceType", "")
    if sorted(urls.values()).count("Patient") != 1:
        problems.append("Bundle: must hold exactly one Patient")
    problems.extend(_time_problems(bundle, "Bundle"))
    for index, entry in enumerate(entries):
        resource = entry.get("resource") or {}
        where = f"entry[{index}] {resource.get('resourceType', '?')}/{resource.get('id')}"
        problems.extend(_reference_problems(resource, urls, where))
        if resource.get("resourceType") == "Observation":
            problems.extend(_observation_problems(resource, where))
        elif resource.get("resourceType") == "QuestionnaireResponse":
            problems.extend(_questionnaire_problems(resource, where))
    return problems


def library_problems(bundle: dict[str, Any]) -> list[str]:
    """Structural errors found by ``fhir.resources`` (R4B); none when it is not installed."""
    try:  # optional: the `fhir` extra installs it
        from fhir.resources.R4B.bundle import Bundle
        from pydantic import ValidationError
    except ImportError:
        return []
    try:
        Bundle.model_validate(bundle)
    except ValidationError as err:
        return [
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in err.errors()
        ]
    return []


def check_bundle(bundle: dict[str, Any]) -> None:
    """Raise ExportError listing every problem, structural or backlib's own; else return.

    Raises
    ------
    ExportError
        ``problems`` lists them all; ``field`` names the element of the first.
    """
    problems = library_problems(bundle) + bundle_problems(bundle)
    if problems:
        shown = "; ".join(problems[:5]) + (f" (and {len(problems) - 5} more)" * (len(problems) > 5))
        raise ExportError(
            f"the FHIR bundle is not valid, so it was not written: {shown}",
            problems=tuple(problems),
            field=problems[0].split(":")[0],
        )


def _is_urn_uuid(url: str) -> bool:
    if not url.startswith(URN_PREFIX):
        return False
    try:
        return str(uuid.UUID(url[len(URN_PREFIX) :])) == url[len(URN_PREFIX) :]
    except ValueError:
        return False


def _walk(value: Any, path: str) -> Iterator[tuple[str, str, Any]]:
    """Every (path, key, value) pair under a resource, depth first."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield path, key, inner
            yield from _walk(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _walk(inner, f"{path}[{index}]")


def _time_problems(value: Any, where: str) -> list[str]:
    problems = []
    for path, key, inner in _walk(value, where):
        if key not in _TIME_KEYS or not isinstance(inner, str):
            continue
        if not (_ZONED.match(inner) or (key != "timestamp" and _DAY.match(inner))):
            problems.append(f"{path}.{key}: {inner!r} has a time without a zone")
    return problems


def _reference_problems(resource: dict, urls: dict[str, str], where: str) -> list[str]:
    problems = []
    for key, wanted in _TARGETS.items():
        found = resource.get(key)
        for ref in found if isinstance(found, list) else [found] if found else []:
            target = urls.get(ref.get("reference", ""))
            if target is None:
                problems.append(f"{where}.{key}: {ref.get('reference')!r} is not in the bundle")
            elif target != wanted or ref.get("type", target) != target:
                problems.append(f"{where}.{key}: points at a {target}, not a {wanted}")
    return problems


def _observation_problems(resource: dict, where: str) -> list[str]:
    coding = ((resource.get("code") or {}).get("coding") or [{}])[0]
    rule = _VALUE_RULES.get((coding.get("system"), coding.get("code")))
    if rule is None:
        return [
            f"{where}.code: {coding.get('system')}#{coding.get('code')} is not a code backlib "
            "exports"
        ]
    category, value_rule = rule
    problems = []
    found = [
        (c.get("system"), c.get("code"))
        for concept in resource.get("category") or []
        for c in concept.get("coding") or []
    ]
    if found != [(codes.OBSERVATION_CATEGORY, category)]:
        problems.append(f"{where}.category: {found} is not observation-category#{category}")
    if not ("dataAbsentReason" in resource and value_rule[0] == "quantity"):
        problems.extend(_value_problems(resource, value_rule, f"{where}.value"))
    for index, component in enumerate(resource.get("component") or []):
        code = ((component.get("code") or {}).get("coding") or [{}])[0]
        rule = _COMPONENT_RULES.get(code.get("code"))
        place = f"{where}.component[{index}]"
        if rule is None or code.get("system") not in (
            codes.SESSION_SYSTEM,
            codes.INSTRUMENT_SYSTEM,
        ):
            problems.append(f"{place}.code: {code.get('system')}#{code.get('code')} is unknown")
            continue
        problems.extend(_value_problems(component, rule, place))
    return problems


def _value_problems(holder: dict, rule: tuple, where: str) -> list[str]:
    kind = rule[0]
    if kind == "integer":
        value, (low, high) = holder.get("valueInteger"), rule[1:]
        if isinstance(value, bool) or not isinstance(value, int):
            return [f"{where}Integer: {value!r} is not a whole number"]
        if value < low or (high is not None and value > high):
            return [f"{where}Integer: {value} is outside {low}-{high if high else '...'}"]
        return []
    if kind == "quantity":
        quantity, (unit, low, high) = holder.get("valueQuantity") or {}, rule[1:]
        value = quantity.get("value")
        if quantity.get("system") != codes.UCUM or quantity.get("code") != unit:
            return [f"{where}Quantity: the unit must be UCUM {unit!r}"]
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not low <= value <= high
        ):
            return [f"{where}Quantity.value: {value!r} is outside {low}-{high}"]
        return []
    allowed = rule[1]
    coding = ((holder.get("valueCodeableConcept") or {}).get("coding") or [{}])[0]
    if coding.get("code") not in allowed:
        return [f"{where}CodeableConcept: {coding.get('code')!r} is not one of {sorted(allowed)}"]
    return []


def _questionnaire_problems(resource: dict, where: str) -> list[str]:
    canonical = resource.get("questionnaire", "")
    instrument = canonical.removeprefix(codes.QUESTIONNAIRE_CANONICAL)
    spec = (
        INSTRUMENTS.get(instrument) if canonical.startswith(codes.QUESTIONNAIRE_CANONICAL) else None
    )
    if spec is None:
        return [f"{where}.questionnaire: {canonical!r} is not an instrument backlib exports"]
    problems = []
    seen: set[str] = set()
    for index, item in enumerate(resource.get("item") or []):
        link, place = item.get("linkId", ""), f"{where}.item[{index}]"
        if not link.isdigit() or not 1 <= int(link) <= len(spec.items) or link in seen:
            problems.append(f"{place}.linkId: {link!r} is not a new item number of {instrument}")
            continue
        seen.add(link)
        answers = item.get("answer") or []
        values = [answer.get("valueInteger") for answer in answers]
        allowed = spec.item(int(link)).values
        if len(values) != 1 or values[0] not in allowed or isinstance(values[0], bool):
            problems.append(f"{place}.answer: {values!r} is not one of {list(allowed)}")
    if not seen:
        problems.append(f"{where}.item: no item is answered")
    return problems

"""A few words on what an item does for the areas that were asked about ("why" in a routine)."""

from __future__ import annotations

from backlib.catalog import Exercise
from backlib.labels import AREA_LABELS

_VERBS = {
    "warmup": "warms up",
    "mobility": "mobilises",
    "stretch": "stretches",
    "strength": "strengthens",
    "cardio": "warms up",
    "relaxation": "calms breathing and eases tension in",
}
# How an exercise aimed elsewhere helps a requested area it reaches secondarily.
_LINKS = {
    "strength": ("that support", "that supports"),
    "stretch": ("to ease", "to ease"),
    "mobility": ("to free up", "to free up"),
}
# Why a breathing or relaxation item is there (2023 meta-analysis of breathing exercises in
# chronic low back pain: less pain and disability).
_WHOLE_BODY = {
    "warmup": "slows the breathing and settles the body before moving",
    "main": "calms the breathing and eases tension, which helps pain settle",
    "cooldown": "calms the breathing and lets the body settle after the exercises",
}
_PLURAL_AREAS = frozenset({"shoulders", "hips", "glutes", "hamstrings"})


def _labels(areas: tuple[str, ...] | list[str]) -> str:
    names = [AREA_LABELS[a] for a in areas]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def describe_purpose(exercise: Exercise, phase: str, requested: tuple[str, ...]) -> str:
    """E.g. 'mobilises the lower back' or 'strengthens the glutes that support the lower back'."""
    if not exercise.areas:  # breathing and relaxation work the whole person
        return _WHOLE_BODY.get(phase, _WHOLE_BODY["main"])
    verb = _VERBS.get(exercise.category, "works")
    direct = [a for a in exercise.primary_areas if a in requested]
    indirect = [a for a in exercise.secondary_areas if a in requested]
    if direct:
        text = f"{verb} the {_labels(direct)}"
        if indirect:
            text += f" and helps the {_labels(indirect)}"
        return text
    own = list(exercise.primary_areas)
    if indirect:
        plural = len(own) > 1 or own[0] in _PLURAL_AREAS
        plural_link, single_link = _LINKS.get(exercise.category, ("to help", "to help"))
        link = plural_link if plural else single_link
        return f"{verb} the {_labels(own)} {link} the {_labels(indirect)}"
    if phase == "warmup":
        return f"{verb} the {_labels(own)} for the work ahead"
    if phase == "cooldown":
        return f"{verb} the {_labels(own)} to wind down"
    return f"{verb} the {_labels(own)} for all-round balance"

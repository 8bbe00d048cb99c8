"""The programme: a patient's prescribed routine that lasts, is repeated and progresses by version.

A routine is one session's plan; a programme keeps the same exercises session after session,
with doses that the pain-monitoring model (``backlib.progression.next_programme``) or a
clinician changes between versions. Each version records when it was made, why (planned,
progressed, edited, replanned), by whom, and how often it is done. Editing returns a new
programme checked against the catalog and the safety rules the planner applies; the store keeps
every version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from backlib.calendar_export import frequency_words, programme_ics
from backlib.catalog import Catalog, Exercise, describe_dose
from backlib.constants import (
    DEFAULT_TARGET_PER_WEEK,
    DOSE_VARIABLES,
    LEVELS,
    PAIN_MAX,
    PAIN_MIN,
    PHASES,
    PLAN_MINUTES_MAX,
    PLAN_MINUTES_MIN,
    POSITIONS,
    PROGRAMME_REASONS,
    SEVERE_PAIN,
    STRUCTURED_MINUTES,
    WEEKDAY_NAMES,
    WEEKDAYS,
)
from backlib.errors import RequestError
from backlib.labels import CALL_IF_NOT_BETTER, PHASE_TITLES, STOP_IF_WORSE
from backlib.plan.doses import DoseOption, dose_seconds, start_option
from backlib.plan.eligibility import exclusion_reason, pain_ceiling
from backlib.plan.notes import care_notes
from backlib.plan.purpose import describe_purpose
from backlib.plan.request import PlanRequest, resolve_catalog, validate_doses, validate_request
from backlib.plan.routine import Routine, RoutineItem
from backlib.plan.steps import Dose, flare_up_dose
from backlib.programme_sheet import programme_sheet_html


@dataclass(frozen=True)
class ProgrammeItem:
    """One exercise of a programme, in its phase and order, at its current dose."""

    exercise_id: str
    phase: str
    sets: int
    reps: int | None = None
    hold_s: int | None = None
    duration_s: int | None = None

    def dose(self) -> Dose:
        """The dose as plain values (the keys ``plan_routine(doses=...)`` accepts)."""
        return {v: getattr(self, v) for v in DOSE_VARIABLES}

    def seconds(self, catalog: Catalog) -> int:
        """The item's planned seconds at its dose, by the one time function."""
        exercise = catalog[self.exercise_id]
        return dose_seconds(exercise, self.sets, self.reps, self.hold_s, self.duration_s)


@dataclass(frozen=True)
class Programme:
    """A patient's programme at one version: what to do, how often, and why it is so.

    ``version`` is 0 until the store saves it (the store numbers versions 1, 2, ...).
    ``reason`` is one of PROGRAMME_REASONS; ``by`` who made the change (free text, e.g. a
    clinician's initials); ``weekdays`` optionally names the days ("mon" ... "sun"). ``pain``
    is the patient's pain when the version was made (planned at, or before the latest session
    at a review): edits are checked against it unless a pain is given.
    """

    items: tuple[ProgrammeItem, ...]
    areas: tuple[str, ...]
    minutes: int
    level: str = "beginner"
    conditions: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    days_per_week: int = DEFAULT_TARGET_PER_WEEK
    weekdays: tuple[str, ...] = ()
    patient_id: str | None = None
    version: int = 0
    reason: str = "planned"
    by: str = ""
    note: str = ""
    created: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    pain: int | None = None

    def __post_init__(self) -> None:
        check_frequency(self.days_per_week, self.weekdays)
        if self.pain is not None and (
            isinstance(self.pain, bool)
            or not isinstance(self.pain, int)
            or not PAIN_MIN <= self.pain <= PAIN_MAX
        ):
            raise RequestError(
                f"pain: {self.pain!r} is not a pain score {PAIN_MIN}-{PAIN_MAX}", field="pain"
            )
        if self.reason not in PROGRAMME_REASONS:
            raise RequestError(
                f"reason: {self.reason!r} is not allowed; allowed: {', '.join(PROGRAMME_REASONS)}",
                field="reason",
            )
        if self.level not in LEVELS:
            raise RequestError(f"level: {self.level!r} is not a level", field="level")
        if not PLAN_MINUTES_MIN <= self.minutes <= PLAN_MINUTES_MAX:
            raise RequestError(
                f"minutes: {self.minutes!r} is outside {PLAN_MINUTES_MIN}-{PLAN_MINUTES_MAX}",
                field="minutes",
            )

    # --- making one -----------------------------------------------------------------------
    @classmethod
    def from_routine(
        cls,
        routine: Routine,
        *,
        patient_id: str | None = None,
        days_per_week: int = DEFAULT_TARGET_PER_WEEK,
        weekdays: Iterable[str] = (),
        reason: str = "planned",
        by: str = "",
        note: str = "",
    ) -> Programme:
        """A programme holding a planned routine's exercises at their planned doses."""
        items = tuple(
            ProgrammeItem(i.exercise_id, i.phase, i.sets, i.reps, i.hold_s, i.duration_s)
            for i in routine.items
        )
        return cls(
            items=items,
            areas=routine.areas,
            minutes=routine.minutes,
            level=routine.level,
            conditions=routine.conditions,
            equipment=routine.equipment,
            days_per_week=days_per_week,
            weekdays=normal_weekdays(weekdays),
            patient_id=patient_id,
            reason=reason,
            by=by,
            note=note,
            pain=routine.pain,
        )

    def check(self, catalog: Catalog | None = None) -> Programme:
        """The programme itself when every part of it is one the planner could have made.

        The request fields (areas, minutes, level, conditions, equipment) pass the planner's own
        checks; every item is a current catalog exercise, once and one version of its movement,
        in a phase it is done in, with every variable it is dosed by inside its catalog range;
        and no item is one the planner's safety rules refuse for these conditions and equipment
        (and, for a planned or re-planned version, at the pain it was planned at). The store
        checks a programme this way before it saves it, and the CSV import before it restores
        one.

        Raises
        ------
        RequestError
            Naming the field (and the exercise) at fault.
        """
        cat = resolve_catalog(catalog)
        validate_request(
            self.areas, self.minutes, self.level, None, self.equipment, None, 0, self.conditions
        )
        if not self.items:
            raise RequestError("items: a programme needs at least one exercise", field="items")
        seen: set[str] = set()
        families: dict[str, str] = {}
        # A planned programme holds only what its pain allows; a review or an edit keeps items
        # that today's pain leaves out of a session (Programme.routine does that day by day).
        checked_pain = self.pain if self.reason in ("planned", "replanned") else None
        for item in self.items:
            if item.exercise_id not in cat:
                raise RequestError(
                    f"exercise_id: {item.exercise_id!r} is not an exercise in the catalog",
                    field="exercise_id",
                )
            exercise = cat[item.exercise_id]
            if exercise.id != item.exercise_id or exercise.id in seen:
                why = "is listed twice" if exercise.id in seen else f"is now {exercise.id!r}"
                raise RequestError(f"exercise_id: {item.exercise_id!r} {why}", field="exercise_id")
            seen.add(exercise.id)
            if item.phase not in exercise.phases:
                raise RequestError(
                    f"phase: {exercise.id!r} is not done in the {item.phase!r} phase "
                    f"(allowed: {', '.join(exercise.phases)})",
                    field="phase",
                )
            validate_doses({exercise.id: item.dose()}, cat)
            missing = [
                variable
                for variable in DOSE_VARIABLES
                if getattr(exercise.dose, variable) is not None and getattr(item, variable) is None
            ]
            if missing:
                raise RequestError(
                    f"doses[{exercise.id!r}]: {', '.join(missing)} missing; {exercise.name} is "
                    f"dosed by {', '.join(v for v in DOSE_VARIABLES if getattr(exercise.dose, v))}",
                    field="doses",
                )
            if exercise.family in families:
                raise RequestError(
                    f"exercise_id: {exercise.id!r} is a variant of {families[exercise.family]!r},"
                    " already in the programme (one version of a movement per programme)",
                    field="exercise_id",
                )
            families[exercise.family] = exercise.id
            reason = exclusion_reason(exercise, self.request(checked_pain))
            if reason is not None:
                raise RequestError(
                    f"exercise_id: {exercise.id!r} cannot be in this programme: it {reason}",
                    field="exercise_id",
                )
        return self

    @property
    def exercise_ids(self) -> tuple[str, ...]:
        return tuple(item.exercise_id for item in self.items)

    def doses(self) -> dict[str, Dose]:
        """Exercise id -> dose, as ``plan_routine(doses=..., keep=...)`` takes them."""
        return {item.exercise_id: item.dose() for item in self.items}

    # --- today's session ------------------------------------------------------------------
    def routine(self, *, pain: int | None = None, catalog: Catalog | None = None) -> Routine:
        """Today's session: the same items in order, times from the one time function.

        On a severe-pain day (7-10) today's session is the programme's gentle version, without
        changing the programme, by the planner's own pain rules: sets and reps at most the
        default and holds 20 % shorter, then half the sets, or else half the reps or the
        duration (flare-up mode); an item that today's pain rules out entirely is left out; the
        session keeps to the planner's severe-pain time (20 % under the minutes, at most 15)
        by leaving out what does not fit, warm-up and cool-down first kept; and it holds a
        breathing or relaxation item, added for the day when the programme has none. The
        notes say what was left out or added. Every day's notes carry what the person's
        conditions and areas ask of them (the pregnancy stop signs, the neck's warning signs),
        as a planned routine's do, so the programme sheet prints them too.
        """
        cat = resolve_catalog(catalog)
        request = self.request(pain)
        items, notes = [], []
        for item in self.items:
            exercise = cat[item.exercise_id]
            reason = exclusion_reason(exercise, request)
            if reason is not None:
                notes.append(f"{exercise.name} is left out today: it {reason}.")
                continue
            option = start_option(exercise, self.level, pain, item.dose())
            if request.severe:
                option = _eased(exercise, option)
            items.append(
                RoutineItem.dosed(
                    exercise,
                    item.phase,
                    option,
                    why=describe_purpose(exercise, item.phase, self.areas),
                    reason=f"Part of your programme (version {self.version}).",
                )
            )
        if request.severe:
            items, paced = _paced(items, request, cat, self.areas)
            notes.extend(paced)
            # On a bad day the start is already above 5/10: stop what makes it worse (NHS
            # inform); no better within two weeks, or worse, is a reason to call (NHS inform).
            notes.insert(
                0,
                f"Pain is {pain}/10 today, so this is the gentle version of your programme: "
                "half the sets or repetitions, shorter holds, a shorter session, and nothing "
                f"that loads a sore back. Your programme stays as it is. {STOP_IF_WORSE} "
                f"{CALL_IF_NOT_BETTER[:1].upper()}{CALL_IF_NOT_BETTER[1:]}, and get help at once "
                "if the warning signs on your programme sheet appear.",
            )
        notes.extend(care_notes(request, tuple(items)))
        return Routine(
            items=tuple(items),
            areas=self.areas,
            minutes=self.minutes,
            level=self.level,
            pain=pain,
            equipment=self.equipment,
            notes=tuple(notes),
            conditions=self.conditions,
            programme_version=self.version or None,
        )

    def gentle_routine(self, *, catalog: Catalog | None = None) -> Routine:
        """The bad-day session: today's session at the lowest severe pain, doses eased.

        The flare-up plan on the programme sheet prints it; being one call, a bad-day button in
        the app can start it without asking for a pain score first.
        """
        return self.routine(pain=SEVERE_PAIN, catalog=catalog)

    @property
    def total_seconds(self) -> int:
        """The planned seconds of one session at the programme's doses (packaged catalog)."""
        return self.seconds()

    def seconds(self, catalog: Catalog | None = None) -> int:
        """The planned seconds of one session at the programme's doses, by the one time
        function, on the given catalog (the packaged one when None)."""
        cat = resolve_catalog(catalog)
        return sum(item.seconds(cat) for item in self.items)

    # --- editing by hand ------------------------------------------------------------------
    def swap(
        self,
        exercise_id: str,
        new_id: str,
        *,
        pain: int | None = None,
        catalog: Catalog | None = None,
    ) -> Programme:
        """The programme with one exercise replaced by another at its start dose."""
        cat = resolve_catalog(catalog)
        pain = self.pain if pain is None else pain
        index = self._index(exercise_id)
        new = self._allowed(new_id, pain, cat)
        if new.id in self.exercise_ids:
            raise RequestError(f"swap: {new.id!r} is already in the programme", field="new_id")
        others = {cat[i.exercise_id].family for k, i in enumerate(self.items) if k != index}
        if new.family in others:
            raise RequestError(
                f"swap: {new.id!r} is a variant of an exercise already in the programme "
                "(one version of a movement per programme)",
                field="new_id",
            )
        old = self.items[index]
        if old.phase not in new.phases:
            raise RequestError(
                f"swap: {new.id!r} is not done in the {old.phase} (it goes in "
                f"{', '.join(new.phases)})",
                field="new_id",
            )
        start = start_option(new, self.level, pain)
        item = ProgrammeItem(
            new.id, old.phase, start.sets, start.reps, start.hold_s, start.duration_s
        )
        items = (*self.items[:index], item, *self.items[index + 1 :])
        return self._edited(items, f"swapped {cat[exercise_id].name} for {new.name}")

    def remove(self, exercise_id: str, *, catalog: Catalog | None = None) -> Programme:
        """The programme without one exercise; a session of 10 minutes or more keeps its
        warm-up and cool-down (the planner's structure rule, after ACSM), so their last item
        can be swapped but not removed."""
        cat = resolve_catalog(catalog)
        index = self._index(exercise_id)
        if len(self.items) == 1:
            raise RequestError(
                f"remove: {exercise_id!r} is the programme's only exercise", field="exercise_id"
            )
        phase = self.items[index].phase
        alone = sum(item.phase == phase for item in self.items) == 1
        if alone and phase != "main" and self.minutes >= STRUCTURED_MINUTES:
            raise RequestError(
                f"remove: {exercise_id!r} is the only {PHASE_TITLES[phase].lower()} exercise; "
                "a session keeps its warm-up and cool-down (swap it instead)",
                field="exercise_id",
            )
        if phase == "main" and alone:
            raise RequestError(
                f"remove: {exercise_id!r} is the only main exercise (swap it instead)",
                field="exercise_id",
            )
        name = cat[exercise_id].name if exercise_id in cat else exercise_id
        return self._edited(self.items[:index] + self.items[index + 1 :], f"removed {name}")

    def add(
        self,
        exercise_id: str,
        *,
        phase: str = "main",
        pain: int | None = None,
        catalog: Catalog | None = None,
    ) -> Programme:
        """The programme with one more exercise at its start dose, last in its phase."""
        cat = resolve_catalog(catalog)
        pain = self.pain if pain is None else pain
        exercise = self._allowed(exercise_id, pain, cat)
        if exercise.id in self.exercise_ids:
            raise RequestError(
                f"add: {exercise.id!r} is already in the programme", field="exercise_id"
            )
        if phase not in PHASES or phase not in exercise.phases:
            raise RequestError(
                f"add: {exercise.id!r} cannot go in {phase!r}; "
                f"allowed: {', '.join(exercise.phases)}",
                field="phase",
            )
        same = {cat[i.exercise_id].family for i in self.items}
        if exercise.family in same:
            raise RequestError(
                f"add: {exercise.id!r} is a variant of an exercise already in the programme "
                "(one version of a movement per programme)",
                field="exercise_id",
            )
        start = start_option(exercise, self.level, pain)
        item = ProgrammeItem(
            exercise.id, phase, start.sets, start.reps, start.hold_s, start.duration_s
        )
        at = _insertion_point(self.items, exercise, phase, cat)
        items = (*self.items[:at], item, *self.items[at:])
        return self._edited(items, f"added {exercise.name}")

    def with_dose(
        self,
        exercise_id: str,
        *,
        catalog: Catalog | None = None,
        **dose: int | None,
    ) -> Programme:
        """The programme with one exercise's dose set by hand, inside its catalog range."""
        cat = resolve_catalog(catalog)
        index = self._index(exercise_id)
        old = self.items[index]
        wanted = {**old.dose(), **{k: v for k, v in dose.items() if v is not None}}
        checked = validate_doses({exercise_id: wanted}, cat)[cat[exercise_id].id]
        item = replace(old, **{k: checked.get(k, getattr(old, k)) for k in DOSE_VARIABLES})
        items = (*self.items[:index], item, *self.items[index + 1 :])
        exercise = cat[exercise_id]
        before = describe_dose(
            old.sets, old.reps, old.hold_s, old.duration_s, exercise.dose.per_side
        )
        after = describe_dose(
            item.sets, item.reps, item.hold_s, item.duration_s, exercise.dose.per_side
        )
        return self._edited(items, f"{exercise.name} {before} → {after}")

    def with_schedule(self, days_per_week: int, weekdays: Iterable[str] = ()) -> Programme:
        """The programme with a new frequency (and optionally the weekdays)."""
        days = normal_weekdays(weekdays)
        check_frequency(days_per_week, days)
        scheduled = replace(self, days_per_week=days_per_week, weekdays=days)
        said = frequency_words(scheduled, short=True).rstrip(".")
        return scheduled._edited(self.items, f"now {said}")

    # --- helpers --------------------------------------------------------------------------
    def request(self, pain: int | None = None) -> PlanRequest:
        """The planner's request this programme stands for, at a given pain: what its items
        and any change to them are checked against."""
        return PlanRequest(
            areas=self.areas,
            minutes=self.minutes,
            level=self.level,
            pain=pain,
            equipment=self.equipment,
            weight_kg=None,
            conditions=self.conditions,
        )

    def _index(self, exercise_id: str) -> int:
        for index, item in enumerate(self.items):
            if item.exercise_id == exercise_id:
                return index
        raise RequestError(
            f"exercise_id: {exercise_id!r} is not in the programme; it holds "
            f"{', '.join(self.exercise_ids) or 'nothing'}",
            field="exercise_id",
        )

    def _allowed(self, exercise_id: str, pain: int | None, catalog: Catalog) -> Exercise:
        """The catalog exercise, refused when the planner's safety rules would refuse it."""
        if exercise_id not in catalog:
            raise RequestError(
                f"exercise_id: {exercise_id!r} is not an exercise in the catalog",
                field="exercise_id",
            )
        exercise = catalog[exercise_id]
        reason = exclusion_reason(exercise, self.request(pain))
        if reason is not None:
            raise RequestError(f"{exercise.id!r} cannot be added: it {reason}", field="exercise_id")
        return exercise

    def _edited(self, items: tuple[ProgrammeItem, ...], what: str) -> Programme:
        note = f"{self.note}; {what}" if self.note and self.reason == "edited" else what
        return replace(self, items=items, reason="edited", note=note)

    def to_ics(
        self,
        start: dt.date,
        *,
        weeks: int = 6,
        time: str = "18:00",
        tz: str | None = None,
        catalog: Catalog | None = None,
    ) -> bytes:
        """The schedule as an iCalendar file (see ``backlib.calendar_export.programme_ics``)."""
        return programme_ics(self, start, weeks=weeks, time=time, tz=tz, catalog=catalog)

    def to_html(
        self,
        *,
        patient_name: str | None = None,
        clinician: str | None = None,
        clinic: str | None = None,
        weeks: int = 6,
        start: dt.date | None = None,
        catalog: Catalog | None = None,
    ) -> str:
        """The programme sheet for home (see ``backlib.programme_sheet.programme_sheet_html``)."""
        return programme_sheet_html(
            self,
            patient_name=patient_name,
            clinician=clinician,
            clinic=clinic,
            weeks=weeks,
            start=start,
            catalog=catalog,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (what the store and the CSV files hold)."""
        return {
            "areas": list(self.areas),
            "minutes": self.minutes,
            "level": self.level,
            "conditions": list(self.conditions),
            "equipment": list(self.equipment),
            "days_per_week": self.days_per_week,
            "weekdays": list(self.weekdays),
            "pain": self.pain,
            "items": [
                {"exercise_id": i.exercise_id, "phase": i.phase, **i.dose()} for i in self.items
            ],
        }


def _eased(exercise: Exercise, option: DoseOption) -> DoseOption:
    """A dose option at its flare-up dose (``flare_up_dose``), with its seconds."""
    dose = flare_up_dose(
        exercise,
        {
            "sets": option.sets,
            "reps": option.reps,
            "hold_s": option.hold_s,
            "duration_s": option.duration_s,
        },
    )
    seconds = dose_seconds(
        exercise, dose["sets"] or 1, dose["reps"], dose["hold_s"], dose["duration_s"]
    )
    return DoseOption(
        dose["sets"] or 1, dose["reps"], dose["hold_s"], dose["duration_s"], seconds, option.steps
    )


def _paced(
    items: list[RoutineItem], request: PlanRequest, catalog: Catalog, areas: tuple[str, ...]
) -> tuple[list[RoutineItem], list[str]]:
    """A severe-pain day's items within the planner's budget, with a relaxation item.

    At severe pain the planner plans at most ``request.budget_s`` (pacing, RUH Bath; a 15-min
    first session, Mayo Clinic) and requires a breathing or relaxation item (2023 breathing
    meta-analysis). Kept first: the relaxation item, the first warm-up and the first cool-down
    exercise; then the rest in programme order while they fit.
    """
    notes = []
    relaxing = [k for k, item in enumerate(items) if item.exercise.category == "relaxation"]
    added = None
    if not relaxing:
        added = _relaxation_item(request, catalog, areas)
        if added is not None:
            notes.append(
                f"{added.name} is added today: slow breathing or relaxation helps a painful "
                "day settle."
            )
    first_of = {
        phase: next((k for k, item in enumerate(items) if item.phase == phase), None)
        for phase in ("warmup", "cooldown")
    }
    order = [k for k in (relaxing[:1] + list(first_of.values())) if k is not None]
    # Then gentle mobility first, the gentlest (highest pain ceiling) next: small-range moves
    # suit the acute, severe phase best (NHS inform; Camden MSK).
    order += sorted(
        (k for k in range(len(items)) if k not in order),
        key=lambda k: (
            items[k].exercise.category != "mobility",
            -pain_ceiling(items[k].exercise),
            k,
        ),
    )
    left = request.budget_s - (added.seconds if added is not None else 0)
    kept: set[int] = set()
    for k in order:
        if items[k].seconds <= left:
            kept.add(k)
            left -= items[k].seconds
    dropped = [items[k].name for k in range(len(items)) if k not in kept]
    if dropped:
        notes.append(
            f"Left out today to keep the session to {request.budget_s // 60} min: "
            f"{', '.join(dropped)}."
        )
    paced = [item for k, item in enumerate(items) if k in kept]
    if added is not None:
        paced.append(added)
    return paced, notes


def _relaxation_item(
    request: PlanRequest, catalog: Catalog, areas: tuple[str, ...]
) -> RoutineItem | None:
    """The shortest breathing or relaxation exercise allowed today, as a cool-down item."""
    options = []
    for exercise in catalog:
        if exercise.category != "relaxation" or "cooldown" not in exercise.phases:
            continue
        if exclusion_reason(exercise, request) is not None:
            continue
        options.append((start_option(exercise, request.level, request.pain), exercise))
    if not options:
        return None
    option, exercise = min(options, key=lambda pair: (pair[0].seconds, pair[1].id))
    return RoutineItem.dosed(
        exercise,
        "cooldown",
        option,
        why=describe_purpose(exercise, "cooldown", areas),
        reason="Added for today's painful day; not part of your programme.",
    )


def _insertion_point(
    items: tuple[ProgrammeItem, ...], exercise: Exercise, phase: str, catalog: Catalog
) -> int:
    """Where a new exercise goes: in its phase, beside the exercises done in its position, so
    the session still gets down to the floor once (the planner's ordering convention)."""
    in_phase = [k for k, item in enumerate(items) if item.phase == phase]
    if not in_phase:
        return sum(PHASES.index(item.phase) < PHASES.index(phase) for item in items)
    ranks = [POSITIONS.index(catalog[items[k].exercise_id].position) for k in in_phase]
    rank = POSITIONS.index(exercise.position)
    ascending = ranks[0] <= ranks[-1]
    before = [
        k for k, r in zip(in_phase, ranks, strict=True) if (r <= rank if ascending else r >= rank)
    ]
    return (before[-1] + 1) if before else in_phase[0]


def check_frequency(days_per_week: Any, weekdays: Iterable[str]) -> None:
    """Refuse a frequency outside 1-7 days a week, or weekdays that do not match it."""
    if isinstance(days_per_week, bool) or not isinstance(days_per_week, int):
        raise RequestError(
            f"days_per_week: {days_per_week!r} is not a whole number 1-7", field="days_per_week"
        )
    if not 1 <= days_per_week <= 7:
        raise RequestError(f"days_per_week: {days_per_week} is outside 1-7", field="days_per_week")
    days = normal_weekdays(weekdays)
    if days and len(days) != days_per_week:
        raise RequestError(
            f"weekdays: {len(days)} day(s) named for {days_per_week} a week", field="weekdays"
        )


def normal_weekdays(weekdays: Iterable[str] | str) -> tuple[str, ...]:
    """Weekday names as "mon" ... "sun" in week order, from short or full names (any case,
    also as one comma-separated text); anything else raises RequestError."""
    if isinstance(weekdays, str):  # "mon, wed, fri" as one text
        weekdays = [part for part in weekdays.replace(",", " ").split() if part]
    found = []
    for name in weekdays:
        word = str(name).strip().lower()
        key = word[:3]
        if key not in WEEKDAYS or word not in (key, WEEKDAY_NAMES[key]):
            raise RequestError(
                f"weekdays: {name!r} is not a weekday; use {', '.join(WEEKDAYS)} or the full "
                "names (monday ...)",
                field="weekdays",
            )
        if key in found:
            raise RequestError(f"weekdays: {name!r} is named twice", field="weekdays")
        found.append(key)
    return tuple(day for day in WEEKDAYS if day in found)


def programme_from_dict(data: Mapping[str, Any], **fields: Any) -> Programme:
    """A programme read back from ``Programme.to_dict`` data (the store adds the rest)."""
    items = tuple(
        ProgrammeItem(
            raw["exercise_id"],
            raw["phase"],
            raw["sets"],
            raw.get("reps"),
            raw.get("hold_s"),
            raw.get("duration_s"),
        )
        for raw in data["items"]
    )
    return Programme(
        items=items,
        areas=tuple(data["areas"]),
        minutes=data["minutes"],
        level=data["level"],
        conditions=tuple(data.get("conditions", ())),
        equipment=tuple(data.get("equipment", ())),
        days_per_week=data.get("days_per_week", DEFAULT_TARGET_PER_WEEK),
        weekdays=tuple(data.get("weekdays", ())),
        pain=data.get("pain"),
        **fields,
    )

"""Outcome questionnaires (ODI, RMDQ, PSFS, STarT Back): their structure and scoring, no wording.

The item wording of the Oswestry Disability Index, the Roland-Morris questionnaire and the
STarT Back tool is copyrighted and is not shipped: items are identified by number and by a short
topic label written for this project (``INSTRUMENTS``). A clinic that holds a licence may supply
its wording in a TOML or JSON file (:func:`load_wording`), which the app then shows instead of the
topic labels. The PSFS has no fixed items: the person names 3-5 activities of their own.

Scoring (each rule names its source beside it):

- ``odi``: ten sections scored 0-5; index % = sum / (5 × sections answered) × 100, scored when at
  least 8 sections are answered (Fairbank 2000); higher is worse; bands minimal to bed-bound.
- ``rmdq``: 24 statements, ticked (1) or not (0); total 0-24; higher is worse (Roland 1983).
- ``psfs``: 3-5 named activities rated 0-10; the mean; higher is better (Stratford 1995).
- ``start_back``: items 1-8 agree (1) or disagree (0), item 9 on a 5-point scale where only the
  two top options score 1; total 0-9, psychosocial subscale (items 5-9) 0-5; low risk at a
  total of 0-3, high at a subscale of 4-5, medium otherwise (Hill 2008).

Decision support for exercise, not a diagnosis.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from pathlib import Path

import pandas as pd

from backlib.constants import OUTCOME_MEASURES
from backlib.errors import RequestError
from backlib.labels import ODI_BAND_LABELS, START_BACK_CARE

# ODI: at most two of the ten sections may be missing (scoring guides after Fairbank 2000;
# the bound of 8 is status U); each missing section takes 5 from the denominator (Fairbank 2000).
ODI_MIN_SECTIONS = 8
ODI_SECTION_MAX = 5
# ODI bands by index %, upper bounds inclusive: 0-20, 21-40, 41-60, 61-80, 81-100 (Fairbank
# 2000, as scoring guides give them; S).
ODI_BANDS: tuple[tuple[float, str], ...] = (
    (20, "minimal"),
    (40, "moderate"),
    (60, "severe"),
    (80, "very_severe"),
    (100, "bed_bound"),
)
# PSFS: the person names 3 to 5 activities, each rated 0-10 (Stratford 1995).
PSFS_MIN_ACTIVITIES, PSFS_MAX_ACTIVITIES = 3, 5
PSFS_RATING_MAX = 10
PSFS_NAME_MAX = 200  # characters of an activity's name (a design bound)
# STarT Back: total 0-3 low risk; a psychosocial subscale of 4-5 high risk; else medium; the
# subscale is items 5-9; item 9 scores 1 only for its two top options (Hill 2008).
START_BACK_LOW_MAX = 3
START_BACK_HIGH_SUBSCALE_MIN = 4
START_BACK_SUBSCALE_ITEMS: tuple[int, ...] = (5, 6, 7, 8, 9)
START_BACK_ITEM9_SCORING_MIN = 3  # options 3 "very much" and 4 "extremely" score 1 (Hill 2008)
# A clinic's wording of one item, in characters (a design bound).
WORDING_TEXT_MAX = 1000


@dataclass(frozen=True)
class Item:
    """One item of an instrument: its number, a topic label of this project, allowed answers.

    ``choices`` pairs each allowed value with a short label for a form control.
    """

    number: int
    topic: str
    choices: tuple[tuple[int, str], ...]

    @property
    def values(self) -> tuple[int, ...]:
        """The allowed answers."""
        return tuple(value for value, _label in self.choices)


@dataclass(frozen=True)
class Instrument:
    """A questionnaire's structure: items by number, what an item is called, its direction."""

    id: str
    name: str
    items: tuple[Item, ...]
    item_word: str
    higher_is_better: bool
    allowed: str
    source: str

    def item(self, number: int) -> Item:
        """The item with this number (1-based)."""
        return self.items[number - 1]


@dataclass(frozen=True)
class ItemAnswer:
    """One answered item as the store keeps it: the number, the value, and a PSFS activity name."""

    item: int
    value: int
    text: str = ""


@dataclass(frozen=True)
class Score:
    """A scored questionnaire.

    Attributes
    ----------
    instrument
        ``odi``, ``rmdq``, ``psfs`` or ``start_back``.
    value
        ODI index %, RMDQ total, PSFS mean or STarT Back total; None when not scorable (too
        many ODI sections or any STarT Back item unanswered).
    answered
        How many items (ODI sections, PSFS activities) were answered; RMDQ counts all 24, as an
        item not ticked scores 0.
    band
        ODI band (``minimal``, ``moderate``, ``severe``, ``very_severe``, ``bed_bound``), else None.
    risk
        STarT Back risk (``low``, ``medium``, ``high``), else None.
    message
        The score in plain words, or what is missing.
    subscale
        STarT Back psychosocial subscale 0-5, else None.
    missing
        The item numbers left unanswered (ODI, STarT Back).
    items
        The answers, validated, one per answered item (what the store keeps).
    """

    instrument: str
    value: float | None
    answered: int
    band: str | None
    risk: str | None
    message: str
    subscale: int | None = None
    missing: tuple[int, ...] = ()
    items: tuple[ItemAnswer, ...] = ()

    @property
    def measure(self) -> str | None:
        """The outcome measure this total is stored as (``OUTCOME_MEASURES``), or None."""
        return self.instrument if self.instrument in OUTCOME_MEASURES else None


def _scale(low: int, high: int, first: str, last: str) -> tuple[tuple[int, str], ...]:
    labels = {low: f"{low} ({first})", high: f"{high} ({last})"}
    return tuple((value, labels.get(value, str(value))) for value in range(low, high + 1))


_ODI_TOPICS = (
    "pain intensity",
    "personal care (washing, dressing)",
    "lifting",
    "walking",
    "sitting",
    "standing",
    "sleeping",
    "sex life (work or home duties in the modified version)",
    "social life",
    "travelling",
)
_RMDQ_TOPICS = (
    "staying at home",
    "changing position often",
    "walking more slowly",
    "household jobs",
    "handrail on the stairs",
    "lying down to rest",
    "holding on to get out of a chair",
    "asking others to do things",
    "dressing more slowly",
    "standing only briefly",
    "avoiding bending or kneeling",
    "getting up from a chair",
    "pain almost all the time",
    "turning over in bed",
    "appetite",
    "putting on socks or tights",
    "walking only short distances",
    "sleep",
    "help with dressing",
    "sitting most of the day",
    "avoiding heavy jobs",
    "irritability",
    "climbing stairs more slowly",
    "staying in bed",
)
# Items 1-4 physical, 5-9 psychosocial (Hill 2008).
_START_BACK_TOPICS = (
    "back pain spreading down a leg",
    "shoulder or neck pain as well",
    "walking only short distances",
    "dressing more slowly",
    "activity feels unsafe (fear)",
    "worrying thoughts (anxiety)",
    "feeling it will never get better (catastrophising)",
    "no longer enjoying things (low mood)",
    "how bothersome the pain is",
)
_TICK = ((0, "not ticked"), (1, "ticked"))
_AGREE = ((0, "disagree"), (1, "agree"))
_BOTHER = (
    (0, "not at all"),
    (1, "slightly"),
    (2, "moderately"),
    (3, "very much"),
    (4, "extremely"),
)

INSTRUMENTS: dict[str, Instrument] = {
    "odi": Instrument(
        id="odi",
        name="Oswestry Disability Index",
        items=tuple(
            Item(n, topic, _scale(0, ODI_SECTION_MAX, "least", "most"))
            for n, topic in enumerate(_ODI_TOPICS, 1)
        ),
        item_word="section",
        higher_is_better=False,
        allowed="each section is scored 0-5",
        source="Fairbank 2000",
    ),
    "rmdq": Instrument(
        id="rmdq",
        name="Roland-Morris Disability Questionnaire",
        items=tuple(Item(n, topic, _TICK) for n, topic in enumerate(_RMDQ_TOPICS, 1)),
        item_word="item",
        higher_is_better=False,
        allowed="each item is ticked (1 or True) or not (0 or False), no part points",
        source="Roland 1983",
    ),
    "psfs": Instrument(
        id="psfs",
        name="Patient-Specific Functional Scale",
        items=tuple(
            Item(n, f"activity {n}", _scale(0, PSFS_RATING_MAX, "cannot do it", "as before"))
            for n in range(1, PSFS_MAX_ACTIVITIES + 1)
        ),
        item_word="activity",
        higher_is_better=True,
        allowed=(
            f"{PSFS_MIN_ACTIVITIES}-{PSFS_MAX_ACTIVITIES} activities named by the person, "
            f"each rated 0-{PSFS_RATING_MAX} in whole points"
        ),
        source="Stratford 1995",
    ),
    "start_back": Instrument(
        id="start_back",
        name="STarT Back Screening Tool",
        items=tuple(
            Item(n, topic, _BOTHER if n == 9 else _AGREE)
            for n, topic in enumerate(_START_BACK_TOPICS, 1)
        ),
        item_word="item",
        higher_is_better=False,
        allowed=(
            "items 1-8 are agree (1 or True) or disagree (0 or False); item 9 is 0-4 "
            "(not at all, slightly, moderately, very much, extremely)"
        ),
        source="Hill 2008",
    ),
}
# Instruments whose items have a fixed wording a clinic may supply (the PSFS has none).
WORDED_INSTRUMENTS: tuple[str, ...] = ("odi", "rmdq", "start_back")


def score(instrument: str, answers: object) -> Score:
    """Score one questionnaire from its item answers.

    Parameters
    ----------
    instrument
        ``odi``, ``rmdq``, ``psfs`` or ``start_back``.
    answers
        ODI, RMDQ, STarT Back: a mapping item number (int, or its digits as text) -> value, or a
        list of every item's value in order; None or a left-out item is unanswered (an RMDQ item
        left out is not ticked). Values: ODI 0-5; RMDQ and STarT Back items 1-8 0/1 or
        False/True; STarT Back item 9 0-4. PSFS: a mapping activity name -> rating 0-10, or a
        list of (name, rating) pairs, 3-5 activities.

    Returns
    -------
    Score

    Raises
    ------
    RequestError
        For an unknown instrument (``field="instrument"``) or a bad answer (``field="answers"``,
        ``row`` the item number where one is at fault), naming the item and what is allowed.
    """
    spec = instrument_spec(instrument)
    if spec.id == "psfs":
        return _score_psfs(spec, answers)
    values = _fixed_answers(spec, answers)
    items = tuple(ItemAnswer(n, v) for n, v in sorted(values.items()) if v is not None)
    missing = tuple(item.number for item in spec.items if values.get(item.number) is None)
    if spec.id == "odi":
        return _score_odi(items, missing)
    if spec.id == "rmdq":
        total = sum(answer.value for answer in items)
        return Score(
            "rmdq",
            total,
            len(spec.items),
            None,
            None,
            f"Roland-Morris {total}/24 (higher means more disability).",
            items=items,
        )
    return _score_start_back(items, missing)


def instrument_spec(instrument: str) -> Instrument:
    """The Instrument for an id, or a RequestError (``field="instrument"``) naming the ids."""
    if not isinstance(instrument, str) or instrument not in INSTRUMENTS:
        raise RequestError(
            f"instrument: {instrument!r} is not known; allowed: {', '.join(INSTRUMENTS)}",
            field="instrument",
        )
    return INSTRUMENTS[instrument]


def items_frame(instrument: str) -> pd.DataFrame:
    """An instrument's items as a frame: ``item`` (the number) and ``topic`` (this project's label).

    Raises
    ------
    RequestError
        For an unknown instrument (``field="instrument"``).
    """
    spec = instrument_spec(instrument)
    return pd.DataFrame(
        [(item.number, item.topic) for item in spec.items], columns=["item", "topic"]
    )


def odi_band(index: float) -> str:
    """The ODI band of an index % (0-20 minimal ... 81-100 bed-bound; Fairbank 2000)."""
    return next(band for upper, band in ODI_BANDS if index <= upper)


def start_back_risk(total: int, psychosocial: int) -> str:
    """STarT Back risk: total 0-3 low, else subscale 4-5 high, else medium (Hill 2008)."""
    if total <= START_BACK_LOW_MAX:
        return "low"
    if psychosocial >= START_BACK_HIGH_SUBSCALE_MIN:
        return "high"
    return "medium"


def start_back_care(risk: str) -> str:
    """What a STarT Back risk means for care, in plain words (Hill 2011 matched care).

    Low: self-management and exercise; medium: physiotherapist-led exercise; high:
    psychologically informed care.
    """
    if risk not in START_BACK_CARE:
        raise RequestError(
            f"risk: {risk!r} is not a STarT Back risk; allowed: {', '.join(START_BACK_CARE)}",
            field="risk",
        )
    return START_BACK_CARE[risk]


def item_text(
    instrument: str, number: int, wording: Mapping[str, Mapping[int, str]] | None = None
) -> str:
    """What a form shows for an item: the clinic's wording when supplied, else the topic label."""
    spec = instrument_spec(instrument)
    text = (wording or {}).get(spec.id, {}).get(number)
    return text if text else spec.item(number).topic


def load_wording(path: str | Path) -> dict[str, dict[int, str]]:
    """A clinic's licensed item wording, from a TOML or JSON file, validated.

    The file holds one table per instrument (``odi``, ``rmdq``, ``start_back``), mapping item
    numbers to the text to show; items left out show their topic label. TOML::

        [rmdq]
        1 = "the clinic's licensed wording of item 1"

    JSON: ``{"rmdq": {"1": "..."}}``.

    Returns
    -------
    dict[str, dict[int, str]]
        Instrument -> item number -> text.

    Raises
    ------
    RequestError
        Naming the file (``file``) and, where one is at fault, the instrument (``field``) and
        the item (``row``): an unreadable or malformed file, an unknown instrument or item, or
        a text that is empty or longer than 1000 characters.
    """
    path = Path(path)

    def fail(message: str, field: str = "wording", row: int | None = None) -> RequestError:
        return RequestError(f"{path}: {message}", field=field, row=row, file=path)

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise fail(f"cannot read the wording file ({err})") from err
    if path.suffix.lower() == ".toml":
        try:
            data: object = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise fail(f"not valid TOML ({err})") from err
    elif path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise fail(f"not valid JSON ({err.msg})", row=err.lineno) from err
    else:
        raise fail("a wording file must end in .toml or .json")
    if not isinstance(data, Mapping):
        raise fail("the file must hold one table per instrument (odi, rmdq, start_back)")
    wording: dict[str, dict[int, str]] = {}
    for name, items in data.items():
        if name not in WORDED_INSTRUMENTS:
            extra = " (PSFS items are the person's own activities)" if name == "psfs" else ""
            raise fail(
                f"{name!r} is not an instrument with item wording{extra}; allowed: "
                f"{', '.join(WORDED_INSTRUMENTS)}",
                field=str(name),
            )
        spec = INSTRUMENTS[name]
        if not isinstance(items, Mapping):
            raise fail(f"{name} must be a table of item number -> text", field=name)
        wording[name] = {}
        for key, value in items.items():
            number = _item_number(key)
            if number is None or not 1 <= number <= len(spec.items):
                raise fail(
                    f"{name} {spec.item_word} {key!r} does not exist; {spec.item_word}s are "
                    f"numbered 1-{len(spec.items)}",
                    field=name,
                )
            if not isinstance(value, str) or not value.strip():
                raise fail(f"{name} {spec.item_word} {number}: the text is empty", name, number)
            if len(value) > WORDING_TEXT_MAX:
                raise fail(
                    f"{name} {spec.item_word} {number}: the text is longer than "
                    f"{WORDING_TEXT_MAX} characters",
                    name,
                    number,
                )
            wording[name][number] = value.strip()
    return wording


# --------------------------------------------------------------------------- scorers


def _score_odi(items: tuple[ItemAnswer, ...], missing: tuple[int, ...]) -> Score:
    answered = len(items)
    if answered < ODI_MIN_SECTIONS:
        sections = ", ".join(str(n) for n in missing)
        return Score(
            "odi",
            None,
            answered,
            None,
            None,
            f"No Oswestry score: {len(missing)} of the 10 sections are missing (sections "
            f"{sections}) and at least {ODI_MIN_SECTIONS} must be answered: answer "
            f"{ODI_MIN_SECTIONS - answered} more.",
            missing=missing,
            items=items,
        )
    total = sum(answer.value for answer in items)
    # Index % = sum / (5 x sections answered) x 100 (Fairbank 2000).
    index = 100 * total / (ODI_SECTION_MAX * answered)
    band = odi_band(index)
    note = (
        f" {answered} of 10 sections answered, so the sum {total} is divided by "
        f"{ODI_SECTION_MAX * answered} instead of 50."
        if missing
        else ""
    )
    return Score(
        "odi",
        index,
        answered,
        band,
        None,
        f"Oswestry Disability Index {index:.1f} % ({ODI_BAND_LABELS[band]}; higher means more "
        f"disability).{note}",
        missing=missing,
        items=items,
    )


def _score_start_back(items: tuple[ItemAnswer, ...], missing: tuple[int, ...]) -> Score:
    if missing:
        return Score(
            "start_back",
            None,
            len(items),
            None,
            None,
            f"No STarT Back score: {len(missing)} of the 9 items are unanswered (items "
            f"{', '.join(str(n) for n in missing)}); the tool is scored only with every item "
            "answered.",
            missing=missing,
            items=items,
        )
    # Items 1-8 score their 0/1; item 9 scores 1 for "very much" or "extremely" (Hill 2008).
    points = {
        a.item: int(a.value >= START_BACK_ITEM9_SCORING_MIN) if a.item == 9 else a.value
        for a in items
    }
    total = sum(points.values())
    psychosocial = sum(points[n] for n in START_BACK_SUBSCALE_ITEMS)
    risk = start_back_risk(total, psychosocial)
    return Score(
        "start_back",
        total,
        len(items),
        None,
        risk,
        f"STarT Back total {total}/9, psychosocial subscale {psychosocial}/5. "
        f"{START_BACK_CARE[risk]}",
        subscale=psychosocial,
        items=items,
    )


def _score_psfs(spec: Instrument, answers: object) -> Score:
    pairs = _psfs_pairs(answers)
    if not PSFS_MIN_ACTIVITIES <= len(pairs) <= PSFS_MAX_ACTIVITIES:
        raise RequestError(
            f"PSFS: {len(pairs)} activities given; allowed: {spec.allowed}",
            field="answers",
        )
    items, seen = [], set()
    for position, (name, rating) in enumerate(pairs, 1):
        if not isinstance(name, str) or not name.strip() or _item_number(name) is not None:
            raise RequestError(
                f"PSFS activity {position}: {name!r} is not a name; each activity is named by "
                "the person (for example 'climbing stairs')",
                field="answers",
                row=position,
            )
        label = name.strip()
        if len(label) > PSFS_NAME_MAX or label.casefold() in seen:
            reason = "is named twice" if label.casefold() in seen else "has too long a name"
            raise RequestError(
                f"PSFS activity {position} ({label[:40]!r}) {reason}; allowed: {spec.allowed}",
                field="answers",
                row=position,
            )
        seen.add(label.casefold())
        value = _whole(rating)
        if value is None or not 0 <= value <= PSFS_RATING_MAX:
            raise RequestError(
                f"PSFS activity {position} ({label!r}): {rating!r} is not allowed; each activity "
                f"is rated 0-{PSFS_RATING_MAX} in whole points",
                field="answers",
                row=position,
            )
        items.append(ItemAnswer(position, value, label))
    mean = sum(item.value for item in items) / len(items)  # the mean rating (Stratford 1995)
    return Score(
        "psfs",
        mean,
        len(items),
        None,
        None,
        f"PSFS {mean:.1f}/10, the mean of {len(items)} activities (higher is better).",
        items=tuple(items),
    )


# --------------------------------------------------------------------------- answers


def _fixed_answers(spec: Instrument, answers: object) -> dict[int, int | None]:
    """Item number -> validated value (None = unanswered) for an instrument with fixed items."""
    count = len(spec.items)
    if isinstance(answers, Mapping):
        raw: dict[int, object] = {}
        for key, value in answers.items():
            number = _item_number(key)
            if number is None or not 1 <= number <= count:
                raise RequestError(
                    f"{spec.name}: {spec.item_word} {key!r} does not exist; {spec.item_word}s "
                    f"are numbered 1-{count}",
                    field="answers",
                    row=number,
                )
            raw[number] = value
    elif isinstance(answers, Sequence) and not isinstance(answers, str | bytes):
        if len(answers) != count:
            raise RequestError(
                f"{spec.name}: a list of answers needs all {count} {spec.item_word}s in order "
                f"(None where unanswered); got {len(answers)}",
                field="answers",
            )
        raw = dict(enumerate(answers, 1))
    else:
        raise RequestError(
            f"{spec.name}: answers must be a mapping {spec.item_word} number -> value or a list "
            f"of {count} values; got {type(answers).__name__}",
            field="answers",
        )
    values: dict[int, int | None] = {}
    for number, value in raw.items():
        if value is None:
            values[number] = None
            continue
        whole = _whole(value)
        if whole is None or whole not in spec.item(number).values:
            allowed = spec.item(number).values
            raise RequestError(
                f"{spec.name} {spec.item_word} {number} ({spec.item(number).topic}): "
                f"{value!r} is not allowed; {_allowed(spec, number, allowed)}",
                field="answers",
                row=number,
            )
        values[number] = whole
    return values


def _allowed(spec: Instrument, number: int, values: tuple[int, ...]) -> str:
    if spec.id == "start_back":
        word = "0-4" if number == 9 else "agree (1 or True) or disagree (0 or False)"
        return f"item {number} is {word}"
    return spec.allowed if spec.id != "odi" else f"each section is scored {values[0]}-{values[-1]}"


def _psfs_pairs(answers: object) -> list[tuple[object, object]]:
    if isinstance(answers, Mapping):
        return list(answers.items())
    if isinstance(answers, Iterable) and not isinstance(answers, str | bytes):
        pairs = list(answers)
        if all(isinstance(pair, Sequence) and len(pair) == 2 for pair in pairs):
            return [(pair[0], pair[1]) for pair in pairs]
    raise RequestError(
        "PSFS: answers must be a mapping activity name -> rating 0-10, or a list of "
        "(name, rating) pairs",
        field="answers",
    )


def _item_number(key: object) -> int | None:
    """An item number from an int or its digits as text; None for anything else."""
    if isinstance(key, bool):
        return None
    if isinstance(key, Integral):
        return int(key)
    if isinstance(key, str) and key.strip().isdigit():
        return int(key.strip())
    return None


def _whole(value: object) -> int | None:
    """A whole-number answer (True/False count as 1/0); None for a half point or a non-number."""
    if isinstance(value, bool | Integral):
        return int(value)
    if isinstance(value, Real) and float(value).is_integer():
        return int(value)
    return None

"""The figures' pose data: data/poses.toml read and validated into frozen dataclasses.

Like the catalog beside it, the pose file is source data that people review and code never
writes. Each plannable exercise has two to four keyframes, each a set of joint angles of a
simple figure; every problem found on load raises :class:`~backlib.errors.PoseError` naming the
exercise, the keyframe and the joint, so a reviewer can fix the file without reading the
drawing code.

File format::

    [postures]                       # shared starting points, named once
    all-fours = { trunk = 90, hip = 90, knee = 90, shoulder = 90, ankle = -70 }

    [[pose]]
    exercise = "bird-dog"            # a catalog id
    view = "side"                    # side | front | a camera turn in degrees (-90 = front)
    props = ["mat"]                  # from PROPS
    anchor = "knees"                 # optional: the point that stays still (see ANCHORS)
    cycle_s = 1.2                    # optional: seconds per cycle for continuous exercises
    wall = "right_hand"              # optional: the point that touches the wall
    band = ["right_hand", "anchor"]  # optional: the band's two ends (points, or "anchor")
    band_anchor = [40, 55]           # optional: the band's fixed end, forward and up
    roller = "trunk_upper"           # optional: the segment resting on the foam roller or ball
    water = 60                       # optional: the water line's height above the floor

    [[pose.keyframe]]
    name = "start"                   # the first keyframe is named "start"
    says = "On hands and knees ..."  # the pose in words: the figure's alt text
    from = "all-fours"               # optional: a posture or an earlier keyframe to start from
    angles = { right_shoulder = 180, left_hip = 0, left_knee = 0 }
    hold = true                      # optional: the held position of a held exercise
    support = "feet"                 # optional: what carries the weight (see SUPPORTS)

Angles are in degrees. Limb joints named without a side (``hip``) set both sides; a side's own
name (``left_hip``) wins over it. A joint left out is at its neutral, standing value (0).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backlib.catalog import Catalog, load_catalog
from backlib.constants import FLOOR_POSITIONS
from backlib.errors import PoseError
from backlib.paths import DATA_DIR
from backlib.toml_files import read_toml

POSES_FILE = "poses.toml"

# Whole-body angles. trunk: forward lean of the pelvis-to-neck line from upright (90 is face
# down, -90 face up); lean: sideways tilt to the figure's right (90 is lying on the right side);
# turn: the whole body turned to its left; spine: rounding (+) or arching (-) of the back, spread
# over its three parts; side_bend: to the right; twist: shoulders turned to the right of the
# hips; neck: chin toward the chest; neck_tilt: right ear toward the right shoulder; neck_turn:
# looking to the right; shrug: shoulders lifted toward the ears; retract: shoulder blades
# squeezed back (negative: drawn forward).
BODY_JOINTS: dict[str, tuple[float, float]] = {
    "trunk": (-180, 180),
    "lean": (-180, 180),
    "turn": (-180, 180),
    "spine": (-60, 80),
    "side_bend": (-50, 50),
    "twist": (-80, 80),
    "neck": (-60, 80),
    "neck_tilt": (-50, 50),
    "neck_turn": (-80, 80),
    "shrug": (-10, 40),
    "retract": (-40, 40),
}
# Limb angles, for each side. shoulder and hip: flexion (forward and up; negative is behind);
# *_out: abduction (out to the side); shoulder_across: the arm swung across the chest (negative:
# opened out to the side at the height it is raised to); hip_turn: outward rotation of the hip;
# elbow and knee: flexion from straight; ankle: toes up (+) or pointed (-). Ranges are generous
# active ranges of motion (AAOS normal values), so that a typing slip, not a stretch, is refused.
LIMB_JOINTS: dict[str, tuple[float, float]] = {
    "shoulder": (-90, 190),
    "shoulder_out": (-45, 190),
    "shoulder_across": (-100, 80),
    "elbow": (0, 165),
    "hip": (-45, 165),
    "hip_out": (-30, 90),
    "hip_turn": (-60, 70),
    "knee": (0, 165),
    "ankle": (-90, 40),
}
SIDES: tuple[str, ...] = ("left", "right")
JOINT_RANGES: dict[str, tuple[float, float]] = {
    **BODY_JOINTS,
    **{f"{side}_{joint}": span for side in SIDES for joint, span in LIMB_JOINTS.items()},
}
JOINTS: tuple[str, ...] = tuple(JOINT_RANGES)

PROPS: tuple[str, ...] = (
    "mat",
    "chair",
    "wall",
    "foam_roller",
    "band",
    "towel",
    "ball",
    "step",
    "water",
    "bike",
    "elliptical",
)
# What carries the figure's weight, which decides where it is placed and what the geometry
# tests check: the floor (lying, kneeling, sitting on it), the feet, a chair's seat, water,
# or a machine's pedals or foot plates.
SUPPORTS: tuple[str, ...] = ("floor", "feet", "chair", "water", "machine")
# Points a figure can be anchored on or touch a prop with ("ankles", "hands", "knees" are the
# midpoints of the two sides).
POINTS: tuple[str, ...] = (
    "pelvis",
    "head",
    "neck",
    *(f"{side}_{part}" for side in SIDES for part in ("hand", "elbow", "knee", "ankle", "toe")),
    "ankles",
    "hands",
    "knees",
)
ANCHORS = POINTS
SEGMENTS: tuple[str, ...] = ("trunk_lower", "trunk_mid", "trunk_upper", "right_thigh", "left_thigh")
VIEWS: dict[str, float] = {"side": 0.0, "front": -90.0}
KEYFRAMES_MIN, KEYFRAMES_MAX = 2, 4

_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_POSE_KEYS = {
    "exercise",
    "view",
    "props",
    "anchor",
    "cycle_s",
    "wall",
    "band",
    "band_anchor",
    "roller",
    "water",
    "keyframe",
}
_KEYFRAME_KEYS = {"name", "says", "from", "angles", "hold", "support"}


@dataclass(frozen=True)
class Keyframe:
    """One position of an exercise: every joint's angle, and what the figure rests on."""

    name: str
    says: str
    angles: dict[str, float]
    support: str
    hold: bool = False


@dataclass(frozen=True)
class ExercisePose:
    """An exercise's keyframes, its camera, its props and what stays still as it moves."""

    exercise_id: str
    view: str
    yaw: float
    props: tuple[str, ...]
    keyframes: tuple[Keyframe, ...]
    anchor: str
    cycle_s: float | None = None
    wall: str | None = None
    band: tuple[str, str] | None = None
    band_anchor: tuple[float, float] | None = None
    roller: str | None = None
    water: float | None = None

    @property
    def start(self) -> Keyframe:
        return self.keyframes[0]

    @property
    def end(self) -> Keyframe:
        """The position the movement goes to: the last keyframe."""
        return self.keyframes[-1]

    def keyframe(self, name: str) -> Keyframe:
        for keyframe in self.keyframes:
            if keyframe.name == name:
                return keyframe
        raise KeyError(f"exercise {self.exercise_id!r} has no keyframe {name!r}")


def default_poses_path() -> Path:
    """The packaged pose file: backlib/data/ in an installed wheel, data/ in a checkout."""
    packaged = Path(__file__).resolve().parent.parent / "data" / POSES_FILE
    return packaged if packaged.is_file() else DATA_DIR / POSES_FILE


def default_support(position: str) -> str:
    """What carries the weight in a catalog position (sitting means on a chair in the catalog)."""
    if position in FLOOR_POSITIONS:
        return "floor"
    return {"sitting": "chair", "on_machine": "machine"}.get(position, "feet")


@functools.cache
def packaged_poses() -> dict[str, ExercisePose]:
    """The packaged poses, read once per process (figures are drawn many times per session)."""
    return load_poses()


def load_poses(
    path: str | Path | None = None, catalog: Catalog | None = None
) -> dict[str, ExercisePose]:
    """Read and validate a pose file.

    Parameters
    ----------
    path
        A TOML file in the format of this module's docstring; the packaged one when None.
    catalog
        The catalog the poses belong to (its positions give each keyframe's default support);
        the packaged one when None.

    Returns
    -------
    dict
        Exercise id -> its :class:`ExercisePose`, in file order.

    Raises
    ------
    PoseError
        For an unreadable file, invalid TOML, or an entry that breaks a rule; the message and
        the error's attributes name the exercise, the keyframe and the joint.
    """
    file = Path(path) if path is not None else default_poses_path()
    raw = read_toml(file, PoseError, "pose file")
    cat = catalog if catalog is not None else load_catalog()
    postures = _parse_postures(raw.get("postures", {}), file)
    found: dict[str, ExercisePose] = {}
    for number, entry in enumerate(raw.get("pose", []), 1):
        pose = _parse_pose(entry, number, postures, cat, file)
        if pose.exercise_id in found:
            raise PoseError(
                f"exercise {pose.exercise_id!r} has two [[pose]] entries",
                exercise_id=pose.exercise_id,
                file=file,
            )
        found[pose.exercise_id] = pose
    return found


def _parse_postures(raw: Any, file: Path) -> dict[str, dict[str, float]]:
    if not isinstance(raw, dict):
        raise PoseError("'postures' must be a table of named angle tables", file=file)
    postures = {}
    for name, angles in raw.items():
        if not _NAME.match(name):
            raise PoseError(f"posture {name!r} is not a kebab-case name", file=file)
        postures[name] = dict.fromkeys(JOINTS, 0.0) | _parse_angles(
            angles, f"posture {name!r}", file
        )
    return postures


def _parse_pose(
    entry: Any,
    number: int,
    postures: dict[str, dict[str, float]],
    catalog: Catalog,
    file: Path,
) -> ExercisePose:
    if not isinstance(entry, dict):
        raise PoseError(f"pose #{number}: expected a table", file=file)
    ex_id = entry.get("exercise")
    if not isinstance(ex_id, str) or ex_id not in catalog or catalog[ex_id].id != ex_id:
        raise PoseError(
            f"pose #{number}, field 'exercise': {ex_id!r} is not an exercise id of the catalog",
            exercise_id=ex_id if isinstance(ex_id, str) else None,
            joint="exercise",
            file=file,
        )

    def fail(problem: str, joint: str, keyframe: str | None = None) -> PoseError:
        where = f", keyframe {keyframe!r}" if keyframe else ""
        return PoseError(
            f"poses of exercise {ex_id!r}{where}, {joint!r}: {problem}",
            exercise_id=ex_id,
            keyframe=keyframe,
            joint=joint,
            file=file,
        )

    unknown = sorted(set(entry) - _POSE_KEYS)
    if unknown:
        raise fail(f"is not a known field; allowed: {', '.join(sorted(_POSE_KEYS))}", unknown[0])
    view = entry.get("view", "side")
    if isinstance(view, str) and view in VIEWS:
        yaw, view_name = VIEWS[view], view
    elif isinstance(view, int | float) and not isinstance(view, bool) and -180 <= view <= 180:
        yaw, view_name = float(view), "side" if abs(view) < 45 else "front"
    else:
        raise fail("must be 'side', 'front' or a turn of -180 to 180 degrees", "view")
    props = entry.get("props", [])
    if not isinstance(props, list) or any(p not in PROPS for p in props):
        raise fail(f"must be a list from: {', '.join(PROPS)}", "props")
    exercise = catalog[ex_id]
    support = default_support(exercise.position)
    keyframes = _parse_keyframes(entry.get("keyframe"), postures, support, fail)
    held = any(keyframe.hold for keyframe in keyframes)
    if held != (exercise.dose.hold_s is not None):
        problem = (
            "marks a held keyframe, but the catalog's dose has no hold"
            if held
            else "needs a keyframe with hold = true: the catalog's dose holds it"
        )
        raise fail(problem, "hold", next((k.name for k in keyframes if k.hold), keyframes[-1].name))
    anchor = entry.get("anchor", "ankles" if support in ("feet", "chair") else "pelvis")
    _point(anchor, "anchor", fail)
    cycle_s = entry.get("cycle_s")
    if cycle_s is not None and (
        isinstance(cycle_s, bool)
        or not isinstance(cycle_s, int | float)
        or not 0.3 <= cycle_s <= 20
    ):
        raise fail("must be 0.3 to 20 seconds", "cycle_s")
    if cycle_s is None and not exercise.dose.seconds_per_rep and exercise.dose.hold_s is None:
        raise fail("is needed: the catalog gives this continuous exercise no pace", "cycle_s")
    wall = entry.get("wall")
    if wall is not None:
        _point(wall, "wall", fail)
    band = entry.get("band")
    if band is not None:
        if not isinstance(band, list) or len(band) != 2:
            raise fail("must be two ends: points, or 'anchor'", "band")
        for end in band:
            if end != "anchor":
                _point(end, "band", fail)
        band = (band[0], band[1])
    band_anchor = entry.get("band_anchor")
    if band_anchor is not None:
        if not (
            isinstance(band_anchor, list)
            and len(band_anchor) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in band_anchor)
        ):
            raise fail("must be [forward, up] in figure units", "band_anchor")
        band_anchor = (float(band_anchor[0]), float(band_anchor[1]))
    if band is not None and "anchor" in band and band_anchor is None:
        raise fail("is needed when the band is tied to an anchor", "band_anchor")
    roller = entry.get("roller")
    if roller is not None and roller not in SEGMENTS:
        raise fail(f"must be one of: {', '.join(SEGMENTS)}", "roller")
    water = entry.get("water")
    if water is not None and (
        isinstance(water, bool) or not isinstance(water, int | float) or not 0 < water < 120
    ):
        raise fail("must be a height of 0 to 120 figure units", "water")
    for prop, given in (("wall", wall), ("band", band), ("water", water)):
        if given is not None and prop not in props and not (prop == "band" and "towel" in props):
            raise fail(f"is set, so props must list {prop!r}", prop)
    if roller is not None and not {"foam_roller", "ball"} & set(props):
        raise fail("is set, so props must list 'foam_roller' or 'ball'", "roller")
    return ExercisePose(
        exercise_id=ex_id,
        view=view_name,
        yaw=yaw,
        props=tuple(props),
        keyframes=keyframes,
        anchor=anchor,
        cycle_s=None if cycle_s is None else float(cycle_s),
        wall=wall,
        band=band,
        band_anchor=band_anchor,
        roller=roller,
        water=None if water is None else float(water),
    )


def _point(name: Any, field: str, fail: Any) -> None:
    if name not in POINTS:
        raise fail(f"{name!r} is not a point; allowed: {', '.join(POINTS)}", field)


def _parse_keyframes(
    raw: Any, postures: dict[str, dict[str, float]], support: str, fail: Any
) -> tuple[Keyframe, ...]:
    if not isinstance(raw, list) or not KEYFRAMES_MIN <= len(raw) <= KEYFRAMES_MAX:
        count = len(raw) if isinstance(raw, list) else 0
        raise fail(
            f"has {count} keyframes; allowed: {KEYFRAMES_MIN} to {KEYFRAMES_MAX}", "keyframe"
        )
    keyframes: list[Keyframe] = []
    earlier: dict[str, dict[str, float]] = {}
    for position, entry in enumerate(raw, 1):
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not _NAME.match(name):
            raise fail(f"keyframe #{position} needs a kebab-case name", "name")
        if position == 1 and name != "start":
            raise fail("the first keyframe must be named 'start'", "name", name)
        if name in earlier:
            raise fail("is a keyframe name used twice", "name", name)
        unknown = sorted(set(entry) - _KEYFRAME_KEYS)
        if unknown:
            allowed = ", ".join(sorted(_KEYFRAME_KEYS))
            raise fail(f"is not a keyframe field; allowed: {allowed}", unknown[0], name)
        says = entry.get("says")
        if not isinstance(says, str) or not says.strip():
            raise fail("must say the pose in words", "says", name)
        base = entry.get("from")
        if base is None:
            angles = dict.fromkeys(JOINTS, 0.0)
        elif base in earlier:
            angles = dict(earlier[base])
        elif base in postures:
            angles = dict(postures[base])
        else:
            raise fail(f"{base!r} is neither a posture nor an earlier keyframe", "from", name)
        try:
            angles.update(_parse_angles(entry.get("angles", {}), name, None))
        except _AngleProblem as problem:
            raise fail(problem.problem, problem.joint, name) from None
        hold = entry.get("hold", False)
        if not isinstance(hold, bool):
            raise fail(f"{hold!r} is not true or false", "hold", name)
        chosen = entry.get("support", support)
        if chosen not in SUPPORTS:
            raise fail(
                f"{chosen!r} is not allowed; allowed: {', '.join(SUPPORTS)}", "support", name
            )
        earlier[name] = angles
        keyframes.append(Keyframe(name, says.strip(), angles, chosen, hold))
    return tuple(keyframes)


class _AngleProblem(Exception):
    def __init__(self, joint: str, problem: str):
        super().__init__(problem)
        self.joint = joint
        self.problem = problem


def _parse_angles(raw: Any, where: str, file: Path | None) -> dict[str, float]:
    """Joint names to degrees, both-sides names spread to each side; a side's own name wins.

    Postures (``file`` given) raise PoseError; keyframes raise _AngleProblem for their caller
    to name the exercise and keyframe.
    """
    try:
        if not isinstance(raw, dict):
            raise _AngleProblem("angles", "must be a table of joint = degrees")
        both: dict[str, float] = {}
        own: dict[str, float] = {}
        for joint, value in raw.items():
            if joint in LIMB_JOINTS:
                targets, span = [f"{side}_{joint}" for side in SIDES], LIMB_JOINTS[joint]
            elif joint in JOINT_RANGES:
                targets, span = [joint], JOINT_RANGES[joint]
            else:
                raise _AngleProblem(joint, "is not a joint; allowed: " + ", ".join(JOINTS))
            if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
                raise _AngleProblem(joint, f"{value!r} is not a number of degrees")
            if not span[0] <= value <= span[1]:
                raise _AngleProblem(joint, f"{value}° is outside {span[0]:g}..{span[1]:g}°")
            for target in targets:
                (both if joint in LIMB_JOINTS else own)[target] = float(value)
        return both | own
    except _AngleProblem as problem:
        if file is None:
            raise
        raise PoseError(
            f"pose file {file}, {where}, {problem.joint!r}: {problem.problem}",
            joint=problem.joint,
            file=file,
        ) from None

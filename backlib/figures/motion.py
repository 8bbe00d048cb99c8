"""The figure's movement in time: which poses it passes through, and when, at the exercise's pace.

An animation goes from the first keyframe through the others and back, as one repetition does.
Its length comes from the catalog's dose: a moving rep takes ``seconds_per_rep`` (the catalog's
time of one rep), a held exercise takes ``seconds_per_rep`` to get into and out of its hold and
rests in the held keyframe for the hold (shown for at most HOLD_SHOWN_S, so a 30-second stretch
still shows its movement on a card); a continuous exercise (walking, cycling) repeats its
pose file's ``cycle_s``. Between keyframes the joints ease in and out, as a person moves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from backlib.catalog import Exercise
from backlib.figures.poses import ExercisePose, Keyframe

HOLD_SHOWN_S = 4.0
PAUSE_S = 0.4  # a short rest at each end of a moving rep, so the end positions can be read
STEPS_PER_MOVE = 4  # poses drawn per move between keyframes; the browser blends between them


@dataclass(frozen=True)
class Sample:
    """One drawn pose of the animation: when (0-1 of the cycle), its angles and its support."""

    at: float
    angles: dict[str, float]
    support: str


def cycle_seconds(pose: ExercisePose, exercise: Exercise) -> tuple[float, list[float]]:
    """The length of one cycle, and the seconds of each move between keyframes.

    Returns
    -------
    tuple
        (total seconds, seconds of each of the ``len(keyframes)`` moves, the last one back to
        the start); holds and pauses are in the total, not in the moves.
    """
    moves = len(pose.keyframes)
    dose = exercise.dose
    if pose.cycle_s is not None:
        per_move = pose.cycle_s / moves
    else:
        per_move = max(dose.seconds_per_rep, 2.0) / moves
    hold = min(float(dose.hold_s.default), HOLD_SHOWN_S) if dose.hold_s else 0.0
    holds = sum(hold for keyframe in pose.keyframes if keyframe.hold)
    pauses = 0.0 if pose.cycle_s is not None else PAUSE_S * moves
    return per_move * moves + holds + pauses, [per_move] * moves


def samples(pose: ExercisePose, exercise: Exercise) -> tuple[float, list[Sample]]:
    """The poses of one cycle, eased between keyframes, with their times; (seconds, samples)."""
    total, moves = cycle_seconds(pose, exercise)
    dose = exercise.dose
    hold = min(float(dose.hold_s.default), HOLD_SHOWN_S) if dose.hold_s else 0.0
    pause = 0.0 if pose.cycle_s is not None else PAUSE_S
    out: list[Sample] = []
    now = 0.0
    frames = pose.keyframes
    for index, keyframe in enumerate(frames):
        following = frames[(index + 1) % len(frames)]
        rest = pause + (hold if keyframe.hold else 0.0)
        out.append(Sample(now / total, keyframe.angles, keyframe.support))
        if rest:
            now += rest
            out.append(Sample(now / total, keyframe.angles, keyframe.support))
        for step in range(1, STEPS_PER_MOVE):
            t = step / STEPS_PER_MOVE
            eased = (1 - math.cos(math.pi * t)) / 2
            out.append(
                Sample(
                    (now + t * moves[index]) / total,
                    _blend(keyframe, following, eased),
                    keyframe.support if eased < 0.5 else following.support,
                )
            )
        now += moves[index]
    out.append(Sample(1.0, frames[0].angles, frames[0].support))
    return total, out


def _blend(a: Keyframe, b: Keyframe, t: float) -> dict[str, float]:
    return {joint: value + (b.angles[joint] - value) * t for joint, value in a.angles.items()}

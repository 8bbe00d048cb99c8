"""Exercise figures drawn from the project's own pose data, as self-contained SVG.

Each plannable exercise of the catalog has two to four keyframes in ``data/poses.toml``
(:mod:`backlib.figures.poses`); :mod:`backlib.figures.geometry` poses a simple figure from their
joint angles, :mod:`backlib.figures.scene` sets it on the floor, a chair or a machine with its
props, :mod:`backlib.figures.motion` times the movement at the exercise's pace, and
:mod:`backlib.figures.svg` draws it: still for paper, animated for the app.
"""

from __future__ import annotations

from backlib.figures.poses import ExercisePose, Keyframe, load_poses, packaged_poses
from backlib.figures.svg import exercise_figure, exercise_svg

__all__ = [
    "ExercisePose",
    "Keyframe",
    "exercise_figure",
    "exercise_svg",
    "load_poses",
    "packaged_poses",
]

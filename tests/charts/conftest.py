"""Fixtures for the chart tests."""

from __future__ import annotations

import pytest
from progress_frames import exercise_spec, write_catalog


@pytest.fixture
def catalog(tmp_path):
    return write_catalog(
        tmp_path,
        exercise_spec("bridge"),  # strength: 2 × 10 × 3 s hold, 10 s rest
        exercise_spec(
            "walk",
            "cardio",
            sets={"default": 1, "min": 1, "max": 1},
            duration_s={"default": 300, "min": 120, "max": 900},
        ),
    )

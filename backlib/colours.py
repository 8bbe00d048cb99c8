"""Colours shown in more than one place: a selected body-map area marks the working area of a
figure, so a patient sees the same red for "where it hurts" and "what this exercise works"."""

from __future__ import annotations

# The body map's selected area: its fill and its outline.
AREA_SELECTED_FILL = "#d9534f"
AREA_SELECTED_STROKE = "#8c2a27"

"""The handout: printable, self-contained, escaped, with a safety box and the disclaimer."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from catalog_factory import realistic_catalog

import backlib


@pytest.fixture(scope="module")
def routine():
    return backlib.plan_routine(
        ["lower_back", "neck"], 20, pain=3, weight_kg=70, catalog=realistic_catalog()
    )


def test_handout_lists_every_item_with_dose_steps_and_stop_rule(routine):
    page = routine.to_html()
    for item in routine.items:
        assert item.name in page
        assert item.dose_text in page
        assert "Stop if:" in page
    assert "Warm-up" in page and "Main exercises" in page and "Cool-down" in page


def test_handout_shows_date_areas_and_total_time(routine):
    page = routine.to_html()
    assert routine.created.isoformat() in page
    assert "lower back" in page and "neck" in page
    assert "Total time" in page


def test_handout_has_safety_box_and_decision_support_line(routine):
    page = routine.to_html()
    assert 'class="safety"' in page
    assert "sharp" in page and "down a leg" in page
    assert "does not improve within a few weeks" in page
    assert "decision support for exercise, not a diagnosis" in page.lower()


def test_handout_escapes_all_text(routine):
    page = routine.to_html()
    # The synthetic catalog's steps contain "<and>" and "&": they must arrive escaped.
    assert "&lt;and&gt;" in page and "<and>" not in page
    assert "Breathe &amp; relax." in page


def test_handout_needs_no_external_resources(routine):
    page = routine.to_html()
    assert not re.search(r"(?i)(https?:|//[a-z]|<script|<link|<img|@import|url\()", page)


def test_handout_is_well_formed_and_printable(routine):
    page = routine.to_html()
    assert page.startswith("<!DOCTYPE html>")
    assert "@media print" in page
    parser = HTMLParser()
    parser.feed(page)
    parser.close()


def test_handout_escapes_notes_from_the_routine(routine):
    import dataclasses

    tampered = dataclasses.replace(routine, notes=("<script>alert(1)</script>",))
    page = tampered.to_html()
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_each_item_prints_its_start_and_end_positions_beside_the_steps():
    routine = backlib.plan_routine(["lower_back"], 20)
    page = routine.to_html()
    for item in routine.items:
        block = page[page.index(f"<h3>{html.escape(item.name)}") :]
        block = block[: block.index('<p class="stop">')]
        figures = block[block.index('<aside class="figures">') : block.index("<ol>")]
        assert figures.count("<svg") == 2 and "<animate" not in figures
        assert "Start</figcaption>" in figures and "End</figcaption>" in figures
    assert "stroke-dasharray" in page  # the worked part is marked for black-and-white print

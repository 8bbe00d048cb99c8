"""The body map: one clickable, self-contained SVG region per pain area, kept in catalog order."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from backlib.constants import PAIN_AREAS
from backlib.errors import RequestError
from backlib.widgets import BodyMap
from backlib.widgets.body_map import body_map_svg

SVG_NS = "{http://www.w3.org/2000/svg}"


def test_body_map_has_one_clickable_region_per_pain_area_with_its_class():
    root = ET.fromstring(body_map_svg())
    groups = [g for g in root.iter(f"{SVG_NS}g") if "data-area" in g.attrib]
    assert [g.attrib["data-area"] for g in groups] == list(PAIN_AREAS)
    for group in groups:
        area = group.attrib["data-area"]
        assert f"backlib-area-{area}" in group.attrib["class"].split()
        shapes = [child for child in group if child.tag != f"{SVG_NS}title"]
        assert shapes, f"{area} has nothing to click"
        # the first child is a visible shape, so a click on it selects the area
        assert group[0].tag != f"{SVG_NS}title"


def test_body_map_shows_front_and_back_views():
    text = body_map_svg()
    assert ">Front<" in text and ">Back<" in text
    assert text.count('class="backlib-body-outline"') == 2


def test_body_map_value_is_kept_in_the_catalog_order_of_areas():
    body_map = BodyMap()
    body_map.value = ["hips", "neck", "lower_back"]
    assert body_map.value == ["neck", "lower_back", "hips"]


def test_body_map_refuses_an_unknown_area_naming_it():
    body_map = BodyMap(["lower_back"])
    with pytest.raises(RequestError, match="knee"):
        body_map.value = ["knee"]
    assert body_map.value == ["lower_back"]


def test_body_map_is_self_contained_with_no_remote_imports():
    esm, css = BodyMap._esm, BodyMap._css
    assert "http" not in esm and "import " not in esm
    assert "@import" not in css and "url(" not in css

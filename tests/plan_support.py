"""Catalogs the planner tests share: the synthetic one, and the shipped one when it is there."""

from __future__ import annotations

from catalog_factory import realistic_catalog

from backlib.catalog import default_catalog_path, load_catalog

SYNTHETIC = realistic_catalog()
CATALOGS = {"synthetic": SYNTHETIC}
if default_catalog_path().is_file():
    CATALOGS["shipped"] = load_catalog()

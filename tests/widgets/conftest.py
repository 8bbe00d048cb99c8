"""Fixtures for the widget tests: the shipped catalog, a small routine, a store with two
patients, and a planned routine."""

from __future__ import annotations

import pytest
from widget_support import _item

import backlib
from backlib.catalog import load_catalog
from backlib.plan.routine import Routine


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def small_routine(catalog):
    items = (
        _item(catalog, "cat-cow", "warmup"),
        _item(catalog, "knees-to-chest", "main"),
        _item(catalog, "hip-flexor-stretch", "main"),
        _item(catalog, "childs-pose", "cooldown"),
    )
    return Routine(items=items, areas=("lower_back", "hips"), minutes=10, weight_kg=70.0)


@pytest.fixture
def store(tmp_path):
    store = backlib.open_store(f"sqlite:///{tmp_path / 'store.db'}")
    store.add_patient("ana", name="Ana", weight_kg=64.0)
    store.add_patient("ben", name="Ben")
    return store


@pytest.fixture(scope="module")
def planned():
    return backlib.plan_routine(["lower_back", "hips"], 15, pain=4)

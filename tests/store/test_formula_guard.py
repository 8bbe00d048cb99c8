"""Formula guard (OWASP CSV injection): cells a spreadsheet would run get one apostrophe, and the
import takes exactly that apostrophe off again."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backlib.store.formula_guard import FORMULA_STARTS, guard_cell, unguard_cell


@pytest.mark.parametrize(
    "cell",
    [
        '=HYPERLINK("http://example.org","click")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\tindented",
        "\rreturn",
        '=cmd|"/C calc"!A0',
    ],
)
def test_a_cell_a_spreadsheet_would_run_gets_one_leading_apostrophe(cell):
    assert guard_cell(cell) == "'" + cell
    assert unguard_cell(guard_cell(cell)) == cell


@pytest.mark.parametrize("cell", ["", "walked", "3", "2025-01-02", "'quoted", "a=b", " =x"])
def test_a_harmless_cell_is_written_as_it_is(cell):
    assert guard_cell(cell) == cell
    assert unguard_cell(cell) == cell


def test_a_cell_that_already_starts_with_apostrophes_and_a_formula_gets_one_more():
    assert guard_cell("'=1+1") == "''=1+1"
    assert unguard_cell("''=1+1") == "'=1+1"
    assert unguard_cell("'=1+1") == "=1+1"


def test_the_formula_starts_are_the_six_owasp_names():
    assert set(FORMULA_STARTS) == {"=", "+", "-", "@", "\t", "\r"}


_TRICKY = st.text(alphabet=st.sampled_from(["'", "=", "+", "-", "@", "\t", "\r", "a", " "]))


@given(st.one_of(_TRICKY, st.text()))
def test_unguard_undoes_guard_for_every_text(text):
    assert unguard_cell(guard_cell(text)) == text


@given(st.one_of(_TRICKY, st.text()))
def test_no_guarded_cell_starts_with_a_formula_character(text):
    assert not guard_cell(text).startswith(FORMULA_STARTS)


@given(st.one_of(_TRICKY, st.text()), st.one_of(_TRICKY, st.text()))
def test_two_different_texts_never_give_the_same_cell(left, right):
    if left != right:
        assert guard_cell(left) != guard_cell(right)

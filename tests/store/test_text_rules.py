"""Text rules: a maximum length per field, no control characters but tab and line breaks (none in
one-line text), no lone surrogates; the refusal names the field and the character."""

from __future__ import annotations

import pytest

from backlib.errors import StoreError
from backlib.store.text_rules import check_text

REFUSED = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9f"]


@pytest.mark.parametrize("character", REFUSED)
def test_control_characters_other_than_tab_and_line_breaks_are_refused(character):
    with pytest.raises(StoreError, match=f"U\\+{ord(character):04X}") as caught:
        check_text("notes", f"ab{character}c", 100)
    assert caught.value.field == "notes"
    assert "character 3" in str(caught.value)


def test_a_lone_surrogate_is_refused_because_no_file_can_hold_it():
    with pytest.raises(StoreError, match="U\\+D800"):
        check_text("notes", "a\ud800b", 100)


@pytest.mark.parametrize(
    "text", ["tab\there", "two\nlines", "old\rmac", "crlf\r\n", "é € 😀 \u2028"]
)
def test_tabs_line_breaks_and_any_printable_character_are_kept(text):
    assert check_text("notes", text, 100) == text


@pytest.mark.parametrize("text", ["tab\there", "two\nlines", "cr\r"])
def test_one_line_text_refuses_tabs_and_line_breaks(text):
    with pytest.raises(StoreError, match="no control characters"):
        check_text("name", text, 100, one_line=True)


def test_text_over_its_maximum_is_refused_with_both_lengths():
    assert check_text("notes", "x" * 10, 10) == "x" * 10
    with pytest.raises(StoreError, match="11 characters long; at most 10") as caught:
        check_text("notes", "x" * 11, 10)
    assert caught.value.field == "notes"

"""The rules every text the store keeps must meet, alike on SQLite and PostgreSQL.

A text has a documented maximum length (``backlib.constants``) and holds no character that a
database, a CSV file or a viewer would refuse or hide: no NUL or other control character except
tab and line breaks (none at all in one-line text such as a name), and no lone surrogate.
"""

from __future__ import annotations

import re

from backlib.errors import StoreError

# PostgreSQL text cannot hold NUL (SQLite can, so the two back ends would disagree); the other
# C0 and C1 controls and DEL are invisible in every viewer and spreadsheet (a design choice);
# a lone surrogate has no UTF-8 form at all (Unicode Standard, D92), so no file can hold it.
_REFUSED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# One-line text (names) holds no tab or line break either (a design choice: a name is one line).
_REFUSED_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def check_text(field: str, value: str, max_chars: int, *, one_line: bool = False) -> str:
    """The text itself when it meets the rules; otherwise StoreError naming the field and why.

    Parameters
    ----------
    field
        The field or column named in the message.
    value
        The text to check (already known to be a ``str``).
    max_chars
        The most characters the field may hold.
    one_line
        Refuse tabs and line breaks too.
    """
    if len(value) > max_chars:
        raise StoreError(
            f"{field} is {len(value):,} characters long; at most {max_chars:,} are kept",
            field=field,
        )
    found = (_REFUSED_ONE_LINE if one_line else _REFUSED).search(value)
    if found is not None:
        allowed = "no control characters" if one_line else "tab and line breaks only"
        character = found.group()
        kind = "lone surrogate" if "\ud800" <= character <= "\udfff" else "control character"
        raise StoreError(
            f"{field} holds the {kind} {describe_character(character)} at character "
            f"{found.start() + 1} (allowed: {allowed})",
            field=field,
        )
    return value


def describe_character(character: str) -> str:
    """A character as its U+ code point with its repr, for messages: U+0000 '\\x00'."""
    return f"U+{ord(character):04X} {character!r}"

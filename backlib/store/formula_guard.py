"""Exported cells that a spreadsheet would run as formulas, made inert, and restored on import.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with one
leading apostrophe, which spreadsheets show as "text" and do not run (OWASP CSV injection). So
that the import can remove exactly that apostrophe, a cell that already starts with apostrophes
followed by one of those characters gets one more. `unguard_cell` undoes `guard_cell` for every
text, which keeps export -> import -> export byte-identical.
"""

from __future__ import annotations

import re

# OWASP CSV injection: the characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Apostrophes (none or more) and then a formula start: the cells that get one apostrophe more.
_GUARDED = re.compile("'*[" + re.escape("".join(FORMULA_STARTS)) + "]")
# The first characters of every cell guard_cell may change (a quick test before the full one).
GUARD_FIRST = frozenset((*FORMULA_STARTS, "'"))


def guard_cell(text: str) -> str:
    """The cell as written to a file: one apostrophe in front when a spreadsheet would run it."""
    return "'" + text if _GUARDED.match(text) else text


def unguard_cell(text: str) -> str:
    """The cell as read from a file: the apostrophe `guard_cell` added taken off again."""
    if text.startswith("'") and _GUARDED.match(text):
        return text[1:]
    return text

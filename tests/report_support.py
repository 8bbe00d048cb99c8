"""Helpers the report tests share: a note that is a script tag, a stand-in report notebook, and
reading a headline card back out of a page."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTE = "<script>alert(1)</script>"


ESCAPED_NOTE = "&lt;script&gt;alert(1)&lt;/script&gt;"


def stand_in_notebook(folder: Path, fail_for: str = "") -> Path:
    """A tiny report notebook with the real parameters; it raises for one patient id."""
    parameters = new_code_cell(
        'patient: str = "demo-1"  # patient id\n'
        'store_url: str = ""  # store\n'
        'start: str = ""  # first day\n'
        'end: str = ""  # last day\n'
        'clinician_note: str = ""  # note',
        metadata={"tags": ["parameters"]},
    )
    body = new_code_cell(
        f"if patient == {fail_for!r}:\n"
        "    raise ValueError('no usable sessions for ' + patient)\n"
        "print('report for', patient)"
    )
    notebook = new_notebook(cells=[new_markdown_cell("# Stand-in report"), parameters, body])
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / "stand_in.ipynb"
    nbformat.write(notebook, path)
    return path


def card_value(html: str, key: str) -> str:
    match = re.search(
        rf'data-key="{key}"><div class="bl-label">[^<]*</div><div class="bl-value[^"]*">([^<]*)<',
        html,
    )
    assert match, f"no card {key!r} in the report"
    return match.group(1)

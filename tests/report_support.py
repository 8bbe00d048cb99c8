"""Helpers the report tests share: a note that is a script tag, one that only mentions URLs, a
stand-in report notebook, reading a headline card back out of a page, and opening a page in
Chromium while recording what it asks for."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTE = "<script>alert(1)</script>"


ESCAPED_NOTE = "&lt;script&gt;alert(1)&lt;/script&gt;"

# Plain text that mentions URLs the way CSS and HTML load them: text, so never a load.
URL_NOTE = "brace looked like url(https://x.example/a.png); @import https://x.example/s.css"
ESCAPED_URL_NOTE = html.escape(URL_NOTE, quote=True)


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


def html_notebook(folder: Path, page: str, name: str = "hostile.ipynb") -> Path:
    """A report notebook with the real parameters whose one output is the HTML `page`."""
    path = stand_in_notebook(folder)
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[-1] = new_code_cell(
        f"from IPython.display import HTML, display\ndisplay(HTML({page!r}))"
    )
    target = folder / name
    nbformat.write(notebook, target)
    return target


@dataclass
class Visit:
    """What a page did in Chromium: requests that reached the network layer beyond the page,
    loads its policy refused, and the page itself to look at."""

    outside_requests: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    page: Any = None


@contextmanager
def visit_in_chromium(path: Path) -> Iterator[Visit]:
    """Open an HTML file in the system Chromium; every request other than the file itself is
    recorded and aborted (routing sees each request before it could leave the machine)."""
    from playwright.sync_api import sync_playwright

    from backlib.paths import CHROMIUM_ARGS, CHROMIUM_PATH

    visit = Visit()
    own = path.resolve().as_uri()

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.split("#")[0] == own or url.startswith(("data:", "blob:", "about:")):
            request_route.continue_()
        else:
            visit.outside_requests.append(url)
            request_route.abort()

    def console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            visit.refused.append(message.text)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM_PATH), args=list(CHROMIUM_ARGS), headless=True
        )
        try:
            page = browser.new_page()
            page.route("**/*", route)
            page.on("console", console)
            page.goto(own, wait_until="load")
            visit.page = page
            yield visit
        finally:
            browser.close()


# A patient's note a kernel must not keep for the next patient (tests/report/test_kernels.py).
MARKER = "patient-a-private-note-7f3c"

# Looks everywhere a leftover of the last notebook could hide: the namespace, every container
# the collector tracks (dicts, lists, tuples, sets, objects' __dict__) and every DataFrame. The
# probe spells the marker backwards, so its own source (kept in the kernel's history and
# messages) does not count.
PROBE = f"""
import gc, sys
import pandas as pd
gc.unfreeze()  # what the kernel froze between patients is looked through too
marker = {MARKER[::-1]!r}[::-1]
names = sorted(n for n in globals() if not n.startswith('_') and n not in
               ('In', 'Out', 'exit', 'quit', 'open', 'get_ipython', 'gc', 'sys', 'pd',
                              'marker'))
def holds(value):
    return isinstance(value, str) and marker in value
found = 0
for obj in gc.get_objects():
    if obj is globals():
        continue
    if isinstance(obj, dict):
        found += any(holds(k) or holds(v) for k, v in obj.items())
    elif isinstance(obj, (list, tuple, set, frozenset)):
        found += any(holds(v) for v in obj)
    elif isinstance(obj, pd.DataFrame):
        found += bool(obj.astype(str).apply(lambda c: c.str.contains(marker)).any().any())
import os
print(os.getpid(), found, ','.join(names) or '-')
"""


def notebook_of(folder: Path, name: str, *cells: str) -> Path:
    notebook = new_notebook(
        cells=[
            new_code_cell('patient: str = "x"', metadata={"tags": ["parameters"]}),
            *(new_code_cell(source) for source in cells),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    path = folder / f"{name}.ipynb"
    nbformat.write(notebook, path)
    return path


def printed(executed: nbformat.NotebookNode) -> str:
    return executed.cells[-1].outputs[0]["text"].strip()

"""Git's nbstripout filter for this checkout, so running a notebook never commits its outputs.

Outputs of the workbook's notebooks hold patients' data (names, notes, pain scores); the
checkout's .gitattributes sends every notebook through the filter named ``nbstripout``, which
strips outputs, run counts and language_info on commit and keeps cell ids. Git reads a filter's
command from the repository's config, not from the checkout, so it has to be set once per
clone: ``backlib lab`` and ``make lab`` do it here (``python -m backlib.output_filter`` too).
"""

from __future__ import annotations

import importlib.util
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from backlib.paths import PROJECT_ROOT

# The checkout whose git config gets the filter.
CHECKOUT = PROJECT_ROOT
FILTER_ARGS = "-m nbstripout --keep-id --extra-keys metadata.language_info"


def filter_settings(python: str = sys.executable) -> dict[str, str]:
    """The git config that makes the checkout's ``filter=nbstripout`` strip outputs."""
    command = f"{shlex.quote(python)} {FILTER_ARGS}"
    return {
        "filter.nbstripout.clean": command,
        "filter.nbstripout.smudge": "cat",
        "filter.nbstripout.required": "true",
        "diff.ipynb.textconv": f"{command} -t",
    }


def _git(checkout: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "-C", str(checkout), *args], capture_output=True, text=True, check=False
    )


def ensure_output_filter(checkout: Path | None = None, python: str = sys.executable) -> str:
    """Set the filter in the checkout's git config (only what differs), and say what was done.

    Returns a sentence for the person starting the server: the filter is on, was set now, or
    could not be set and why (not a git checkout, git or nbstripout not installed), in which
    case it warns that outputs would be committed with the notebooks.
    """
    checkout = CHECKOUT if checkout is None else checkout
    if shutil.which("git") is None:
        return "git is not installed: no output filter to set."
    if _git(checkout, "rev-parse", "--git-dir").returncode != 0:
        return "not a git checkout: no output filter to set."
    if importlib.util.find_spec("nbstripout") is None:
        return (
            "WARNING: nbstripout is not installed, so git would commit the notebooks with their "
            "outputs (patients' data among them). Install it with: pip install -e '.[lab]' "
            "(make lab does)."
        )
    changed = []
    for key, value in filter_settings(python).items():
        if _git(checkout, "config", "--get", key).stdout.rstrip("\n") != value:
            _git(checkout, "config", key, value)
            changed.append(key)
    if changed:
        return "git now strips notebook outputs on commit (nbstripout filter set)."
    return "git strips notebook outputs on commit (nbstripout filter)."


if __name__ == "__main__":
    print(f"backlib: {ensure_output_filter()}")

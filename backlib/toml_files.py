"""Reading the project's reviewed TOML files (the catalog, the pose data) with one error style."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from backlib.errors import BacklibError


def read_toml(file: Path, error: type[BacklibError], what: str) -> dict[str, Any]:
    """The parsed file; a missing or malformed one raises `error` naming `what` and the file
    (e.g. "pose file data/poses.toml is not valid TOML: ...")."""
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(f"{what} {file} does not exist", file=file) from None
    except tomllib.TOMLDecodeError as err:
        raise error(f"{what} {file} is not valid TOML: {err}", file=file) from None

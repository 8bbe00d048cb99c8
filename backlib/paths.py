"""Every path backlib uses, from one place: the checkout's folders and the user's data directory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import platformdirs

# The checkout (when running from one); a wheel has no notebooks/ folder beside the package.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
DATA_DIR = PROJECT_ROOT / "data"
DEMO_DIR = DATA_DIR / "demo"
DEMO_STORE_PATH = DEMO_DIR / "demo.db"
# backlib's Jupyter data folder: the private kernel's spec (kernels/python3) and the Voila
# template (voila/templates/backlib), put first on the app's JUPYTER_PATH; reports use the spec.
JUPYTER_DATA_DIR = Path(__file__).resolve().parent / "jupyter_data"

# Debian's Chromium; `playwright install` cannot download browsers on these machines.
CHROMIUM_PATH = Path("/usr/bin/chromium")
# Flags for headless Chromium as root on a machine without network.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)

# The environment variable that overrides the default store location.
STORE_ENV = "BACKLIB_STORE"


def user_data_dir() -> Path:
    """The per-user folder for the default store (platformdirs; not created here)."""
    return Path(platformdirs.user_data_dir("backlib", appauthor=False))


def resolve_store_url(url: str | None = None, *, fallback: Literal["user", "demo"] = "user") -> str:
    """The store to open, always in one order: ``url``, else ``$BACKLIB_STORE``, else a fallback.

    Parameters
    ----------
    url
        A store URL or a SQLite file path; None or blank means "not given".
    fallback
        ``"user"``: the user's own SQLite file in their data directory (``open_store()`` and
        scripts); ``"demo"``: the demo store (the workbook: app, lab, notebooks and reports).

    Returns
    -------
    str
        A URL; a file path, or a relative ``sqlite:///`` path, becomes an absolute ``sqlite:///``
        URL (a report kernel or the app server runs in another folder).
    """
    chosen = (url or "").strip() or os.environ.get(STORE_ENV, "").strip()
    if not chosen:
        default = DEMO_STORE_PATH if fallback == "demo" else user_data_dir() / "backlib.db"
        return f"sqlite:///{default}"
    if "://" not in chosen:
        return f"sqlite:///{Path(chosen).expanduser().resolve()}"
    prefix = "sqlite:///"
    relative = chosen[len(prefix) :]
    if chosen.startswith(prefix) and relative and not relative.startswith(("/", ":memory:")):
        return f"{prefix}{Path(relative).resolve()}"
    return chosen


def sqlite_file(url: str) -> Path | None:
    """The file of a ``sqlite:///`` URL (None for any other store)."""
    prefix = "sqlite:///"
    return Path(url[len(prefix) :]) if url.startswith(prefix) and url != prefix else None

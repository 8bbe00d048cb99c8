"""Every path backlib uses, from one place: the checkout's folders and the user's data directory."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

# The checkout (when running from one); a wheel has no notebooks/ folder beside the package.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
DATA_DIR = PROJECT_ROOT / "data"
DEMO_DIR = DATA_DIR / "demo"
DEMO_STORE_PATH = DEMO_DIR / "demo.db"

# Debian's Chromium; `playwright install` cannot download browsers here (STACK.md, pitfall 9).
CHROMIUM_PATH = Path("/usr/bin/chromium")
# Flags for headless Chromium as root on a machine without network (STACK.md, pitfall 9).
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


def default_store_url() -> str:
    """$BACKLIB_STORE when set, else a SQLite file in the user's data directory."""
    configured = os.environ.get(STORE_ENV, "").strip()
    if configured:
        return configured if "://" in configured else f"sqlite:///{Path(configured).resolve()}"
    return f"sqlite:///{user_data_dir() / 'backlib.db'}"

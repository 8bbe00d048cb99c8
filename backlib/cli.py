"""The `backlib` command: app, lab and the data tools."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence

from backlib.cli_store import add_store_commands
from backlib.errors import BacklibError
from backlib.paths import NOTEBOOKS_DIR


def _run_lab(args: argparse.Namespace) -> int:
    command = [sys.executable, "-m", "jupyterlab", f"--notebook-dir={NOTEBOOKS_DIR}"]
    if args.host:
        command.append(f"--ServerApp.ip={args.host}")
    if args.port:
        command.append(f"--ServerApp.port={args.port}")
    if os.geteuid() == 0:
        command.append("--allow-root")  # JupyterLab refuses root without it (STACK.md pitfall 6)
    if args.no_browser:
        command.append("--no-browser")
    return subprocess.call(command)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backlib",
        description="Back-pain exercise workbook: plan routines, log sessions, see progress.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    lab = commands.add_parser("lab", help="open JupyterLab on the workbook's notebooks")
    lab.add_argument("--host", default="127.0.0.1")
    lab.add_argument("--port", type=int, default=None)
    lab.add_argument("--no-browser", action="store_true")
    lab.set_defaults(handler=_run_lab)

    app = commands.add_parser("app", help="open the workbook app")
    app.add_argument("--host", default="127.0.0.1")
    app.add_argument("--port", type=int, default=None)
    app.add_argument("--no-browser", action="store_true")
    app.set_defaults(handler=_run_lab)

    add_store_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `backlib` command; errors are printed in plain words, exit code 2."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except BacklibError as err:
        print(f"backlib: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

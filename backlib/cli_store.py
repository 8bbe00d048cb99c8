"""The store's subcommands of `backlib`: demo, import and export."""

from __future__ import annotations

import argparse

STORE_HELP = (
    "store URL (sqlite:///file.db or postgresql://...); default: $BACKLIB_STORE or the user's"
)


def _run_import(args: argparse.Namespace) -> int:
    from backlib.store import open_store

    with open_store(args.store) as store:
        counts = store.import_csv(args.folder)
    added = ", ".join(f"{count} new in {name}" for name, count in counts.items())
    print(f"imported {args.folder} into {store.url}: {added}")
    return 0


def _run_export(args: argparse.Namespace) -> int:
    from backlib.store import open_store

    with open_store(args.store) as store:
        paths = store.export_csv(args.folder)
    print(f"exported {store.url} to {', '.join(str(path) for path in paths)}")
    return 0


def _run_demo(args: argparse.Namespace) -> int:
    from backlib.demo import make_demo
    from backlib.store import open_store

    with open_store(args.store) as store:
        ids = make_demo(
            store, patients=args.patients, weeks=args.weeks, seed=args.seed, replace=args.replace
        )
        print(f"demo patients {', '.join(ids)} written to {store.url}")
    return 0


def add_store_commands(commands: argparse._SubParsersAction) -> None:
    """Register demo, import and export on the `backlib` parser."""
    demo = commands.add_parser("demo", help="write reproducible synthetic demo patients")
    demo.add_argument("--store", default=None, help=STORE_HELP)
    demo.add_argument("--patients", type=int, default=3)
    demo.add_argument("--weeks", type=int, default=12)
    demo.add_argument("--seed", type=int, default=0)
    demo.add_argument(
        "--replace", action="store_true", help="replace demo patients already in the store"
    )
    demo.set_defaults(handler=_run_demo)

    importing = commands.add_parser(
        "import", help="add the four CSV files of a folder to a store (all rows or none)"
    )
    importing.add_argument("folder")
    importing.add_argument("--store", default=None, help=STORE_HELP)
    importing.set_defaults(handler=_run_import)

    exporting = commands.add_parser("export", help="write a store as four CSV files")
    exporting.add_argument("folder")
    exporting.add_argument("--store", default=None, help=STORE_HELP)
    exporting.set_defaults(handler=_run_export)

"""The `backlib` command: app, lab, report, calendar, and the store tools (demo, import, export)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from backlib import output_filter, serving
from backlib.constants import PAPER_SIZES_MM
from backlib.errors import BacklibError, ReportError, RequestError
from backlib.paths import resolve_store_url, sqlite_file
from backlib.private_files import replaced_whole


def _workbook_store(args: argparse.Namespace, command: str) -> str:
    """The store a server will use, checked before it starts (the demo store is made here)."""
    # Imported when the command runs (the demo brings the planner and the store; import time).
    from backlib.demo import ensure_demo_store
    from backlib.store import check_store, mask_password, open_store

    if args.own and args.store:
        raise RequestError("--own and --store name two stores: give one of them", field="store")
    # --own: the person's own store in their data folder (made on first use), never the demo.
    url = resolve_store_url(args.store, fallback="user" if args.own else "demo")
    if ensure_demo_store(url):
        print(f"backlib: created the demo store at {url}", flush=True)
    else:
        check_store(url, create=args.create or args.own)
        file = sqlite_file(url)
        if file is not None and not file.exists():  # --create: made here, not by a kernel
            with open_store(url):
                pass
            print(f"backlib: created a new, empty store at {file}", flush=True)
    print(f"backlib {command}: store {mask_password(url)}", flush=True)
    return url


def _run_lab(args: argparse.Namespace) -> int:
    store_url = _workbook_store(args, "lab")
    # Notebooks run in Lab must not reach git with their outputs (patients' data).
    print(f"backlib lab: {output_filter.ensure_output_filter()}", flush=True)
    server = serving.lab_server(args.host, args.port, store_url, no_browser=args.no_browser)
    print(f"backlib lab: open {server.url} (Ctrl+C stops)", flush=True)
    return serving.serve(server)


def _run_report(args: argparse.Namespace) -> int:
    """`backlib report`: one patient, or every patient in parallel with an index page."""
    if args.all and args.cluster is None:
        # First (executors is light; import time): the workers' server imports their stack
        # while this process imports its own below.
        from backlib.report.executors import start_worker_server

        start_worker_server()
    # Imported when the command runs (papermill, nbconvert and pandas; import time).
    from backlib import report

    store_url = resolve_store_url(args.store)
    if args.all:
        result = report.render_all(
            store_url,
            start=args.start,
            end=args.end,
            out_dir=args.out,
            pdf=args.pdf,
            jobs=args.jobs,
            clinician_note=args.note,
            notebook=args.notebook,
            cluster=args.cluster,
            paper=args.paper,
            clinic=args.clinic,
            clinician=args.clinician,
        )
        written = len(result.entries) - len(result.failed)
        if result.interrupted:
            print(
                f"backlib: interrupted; {written} of {result.planned} report(s) were made, "
                f"listed in {result.index}",
                file=sys.stderr,
            )
            return 130  # the shell's code for a run stopped by Ctrl+C
        print(f"{written} report(s) and the index: {result.index}")
        for entry in result.failed:
            print(f"backlib: report for {entry.patient_id} failed: {entry.error}", file=sys.stderr)
        return 1 if result.failed else 0
    if args.cluster:
        raise ReportError(
            "--cluster runs a batch (--all); one patient's report runs here", field="cluster"
        )
    path = report.render(
        args.patient,
        store_url,
        start=args.start,
        end=args.end,
        out_dir=args.out,
        pdf=args.pdf,
        clinician_note=args.note,
        notebook=args.notebook,
        paper=args.paper,
        clinic=args.clinic,
        clinician=args.clinician,
    )
    print(path)
    if args.pdf:
        print(path.with_suffix(".pdf"))
    return 0


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive whole number")
    return value


def _add_report_command(commands: argparse._SubParsersAction) -> None:
    rep = commands.add_parser(
        "report",
        help="progress reports as offline HTML (and PDF): one patient or all of them",
        description="Run notebooks/report.ipynb with papermill for one patient or every "
        "patient of a store, writing self-contained HTML (and PDF) reports.",
    )
    who = rep.add_mutually_exclusive_group(required=True)
    who.add_argument("--patient", metavar="ID", help="the patient id to report on")
    who.add_argument("--all", action="store_true", help="every patient, with an index.html")
    rep.add_argument(
        "--store",
        metavar="URL",
        default=None,
        help="sqlite:///path.db, a file path or postgresql://... (default: $BACKLIB_STORE, "
        "else the user's own store)",
    )
    rep.add_argument("--start", metavar="DATE", default=None, help="first day, YYYY-MM-DD")
    rep.add_argument("--end", metavar="DATE", default=None, help="last day, YYYY-MM-DD")
    rep.add_argument("--out", metavar="DIR", default="reports", help="output folder (reports)")
    rep.add_argument("--pdf", action="store_true", help="also print each report to PDF")
    papers = list(PAPER_SIZES_MM)
    rep.add_argument(
        "--paper",
        metavar="SIZE",
        default=papers[0],
        help=f"the PDF's paper size: {' or '.join(papers)} (default {papers[0]})",
    )
    rep.add_argument(
        "--jobs",
        metavar="N",
        type=_positive_int,
        default=None,
        help="worker processes for --all (default: the number of cores)",
    )
    rep.add_argument(
        "--cluster",
        metavar="ADDRESS",
        default=None,
        help="with --all, run on Dask distributed: a scheduler's tcp://HOST:8786 or tls://..., "
        "with a PostgreSQL store, or 'local' for a cluster on this machine (needs "
        "backlib[cluster])",
    )
    rep.add_argument("--note", default="", help="a clinician's note shown in the report(s)")
    rep.add_argument(
        "--clinic", default="", help="the clinic's name, on the cover and the programme sheet"
    )
    rep.add_argument(
        "--clinician",
        default="",
        help="the clinician's name, on the cover and the programme sheet",
    )
    rep.add_argument(
        "--notebook",
        metavar="FILE",
        default=None,
        help="a report template of your own with the same parameters "
        "(default: notebooks/report.ipynb)",
    )
    rep.set_defaults(handler=_run_report)


def _run_app(args: argparse.Namespace) -> int:
    server = serving.app_server(
        args.host, args.port, _workbook_store(args, "app"), no_browser=args.no_browser
    )
    print(f"backlib app: open {server.url} (Ctrl+C stops)", flush=True)
    return serving.serve(server)


STORE_HELP = (
    "store URL (sqlite:///file.db or postgresql://...); default: $BACKLIB_STORE or the user's"
)


def _run_import(args: argparse.Namespace) -> int:
    # Imported when the command runs, so `backlib --help` and `backlib app` start quickly
    # (the store brings pandas, SQLAlchemy and tqdm; import time).
    from tqdm import tqdm

    from backlib.store import ImportProgress, open_store

    locked_s = 0.0
    with (
        open_store(args.store) as store,
        tqdm(unit="row", desc="writing, store locked", file=sys.stderr, disable=None) as bar,
    ):

        def show(step: ImportProgress) -> None:
            nonlocal locked_s
            bar.total = step.total  # the bar's time left is how long the store stays locked
            bar.update(step.done - bar.n)
            locked_s = step.locked_s

        counts = store.import_csv(args.folder, progress=show)
    added = ", ".join(f"{count} new in {name}" for name, count in counts.items())
    print(f"imported {args.folder} into {store.url}: {added}")
    print(f"the store was locked for writing for {locked_s:.1f} s (one transaction)")
    return 0


def _run_export(args: argparse.Namespace) -> int:
    # Imported when the command runs, so `backlib --help` and `backlib app` start quickly
    # (the store brings pandas and SQLAlchemy; import time).
    from backlib.store import open_store

    if args.fhir:
        return _run_fhir_export(args)
    if args.folder is None:
        raise RequestError(
            "export: name a folder for the CSV files, or --fhir FILE", field="folder"
        )
    for option in ("patient", "all", "start", "end", "tz"):
        if getattr(args, option):
            raise RequestError(f"--{option} belongs to a FHIR export (--fhir)", field=option)
    with open_store(args.store) as store:
        paths = store.export_csv(args.folder)
    print(f"exported {store.url} to {', '.join(str(path) for path in paths)}")
    return 0


def _run_fhir_export(args: argparse.Namespace) -> int:
    """`backlib export --fhir`: one patient's bundle to a file, or --all into a folder."""
    # Imported when the command runs (the store brings pandas and SQLAlchemy; import time).
    from backlib.fhir import write_all, write_bundle
    from backlib.store import open_store

    if args.folder is not None:
        raise RequestError(
            f"export: {args.folder!r} and --fhir name two outputs; give one", field="folder"
        )
    if bool(args.patient) == bool(args.all):
        raise RequestError("--fhir needs --patient ID or --all (one of them)", field="patient")
    period = {"start": args.start, "end": args.end, "tz": args.tz}
    with open_store(args.store) as store:
        if args.all:
            paths = write_all(store, args.fhir, **period)
            print(f"{len(paths)} FHIR bundle(s) from {store.url} in {Path(args.fhir).resolve()}")
        else:
            path = write_bundle(store, args.patient, args.fhir, **period)
            print(f"{path}: FHIR R4 bundle of {args.patient} from {store.url}")
    return 0


def _run_demo(args: argparse.Namespace) -> int:
    # Imported when the command runs, so `backlib --help` and `backlib app` start quickly
    # (the store brings pandas and SQLAlchemy; import time).
    from backlib.demo import make_demo
    from backlib.store import open_store

    with open_store(args.store) as store:
        ids = make_demo(
            store, patients=args.patients, weeks=args.weeks, seed=args.seed, replace=args.replace
        )
        print(f"demo patients {', '.join(ids)} written to {store.url}")
    return 0


def _run_calendar(args: argparse.Namespace) -> int:
    """`backlib calendar`: the patient's current programme as an iCalendar file."""
    # Imported when the command runs (the store brings pandas and SQLAlchemy; import time).
    from backlib.store import open_store

    try:
        start = dt.date.fromisoformat(args.start) if args.start else dt.date.today()
    except ValueError:
        raise RequestError(
            f"--start: {args.start!r} is not a date YYYY-MM-DD", field="start"
        ) from None
    out = Path(args.out)
    if out.suffix.lower() != ".ics":
        raise RequestError(f"--out: {out} should end in .ics (an iCalendar file)", field="out")
    if not out.parent.is_dir():
        raise RequestError(f"--out: the folder {out.parent} does not exist", field="out")
    with open_store(args.store) as store:
        programme = store.programme(args.patient)
    if programme is None:
        raise RequestError(
            f"--patient: {args.patient!r} has no programme yet (save one in the app or with "
            "Store.save_programme)",
            field="patient_id",
        )
    data = programme.to_ics(start, weeks=args.weeks, time=args.time, tz=args.tz)
    with replaced_whole(out) as temporary:  # owner-only: it lists the patient's exercises
        temporary.write_bytes(data)
    print(
        f"{out}: programme version {programme.version}, {programme.days_per_week} session(s) a "
        f"week for {args.weeks} week(s) from {start.isoformat()} at {args.time}"
    )
    return 0


def _add_store_commands(commands: argparse._SubParsersAction) -> None:
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
        "import", help="add the CSV files of a folder to a store (all rows or none)"
    )
    importing.add_argument("folder")
    importing.add_argument("--store", default=None, help=STORE_HELP)
    importing.set_defaults(handler=_run_import)

    exporting = commands.add_parser(
        "export", help="write a store as six CSV files, or patients as FHIR R4 bundles (--fhir)"
    )
    exporting.add_argument("folder", nargs="?", default=None, help="the CSV files' folder")
    exporting.add_argument("--store", default=None, help=STORE_HELP)
    exporting.add_argument(
        "--fhir",
        metavar="PATH",
        default=None,
        help="a FHIR JSON file (--patient) or folder (--all)",
    )
    exporting.add_argument("--patient", metavar="ID", default=None, help="the patient to export")
    exporting.add_argument("--all", action="store_true", help="one bundle per patient")
    exporting.add_argument("--start", metavar="DATE", default=None, help="first day, YYYY-MM-DD")
    exporting.add_argument("--end", metavar="DATE", default=None, help="last day, YYYY-MM-DD")
    exporting.add_argument(
        "--tz", default=None, help="the store's time zone, e.g. Europe/London (this machine's)"
    )
    exporting.set_defaults(handler=_run_export)

    calendar = commands.add_parser(
        "calendar", help="write a patient's programme as a calendar file (.ics) with reminders"
    )
    calendar.add_argument("--patient", metavar="ID", required=True)
    calendar.add_argument("--store", default=None, help=STORE_HELP)
    calendar.add_argument("--out", metavar="FILE.ics", required=True)
    calendar.add_argument("--start", metavar="DATE", default=None, help="first day (today)")
    calendar.add_argument("--weeks", type=_positive_int, default=6, help="how many weeks (6)")
    calendar.add_argument("--time", default="18:00", help="session start time HH:MM (18:00)")
    calendar.add_argument("--tz", default=None, help="time zone, e.g. Europe/London (local)")
    calendar.set_defaults(handler=_run_calendar)


def _add_server_options(command: argparse.ArgumentParser, default_port: int) -> None:
    command.add_argument("--host", default="127.0.0.1")
    command.add_argument("--port", type=int, default=None, help=f"default {default_port}")
    command.add_argument(
        "--store",
        default=None,
        help="store URL (default: $BACKLIB_STORE, else the demo store); $BACKLIB_STORE keeps "
        "a password out of the process list",
    )
    command.add_argument(
        "--create",
        action="store_true",
        help="start a new, empty SQLite store when the file does not exist (else: exit 2)",
    )
    command.add_argument(
        "--own",
        action="store_true",
        help="your own store in your data folder (made on first use): to track yourself",
    )
    command.add_argument("--no-browser", action="store_true")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backlib",
        description="Back-pain exercise workbook: plan routines, log sessions, see progress.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    lab = commands.add_parser("lab", help="open JupyterLab on the workbook's notebooks")
    _add_server_options(lab, serving.DEFAULT_LAB_PORT)
    lab.set_defaults(handler=_run_lab)

    app = commands.add_parser(
        "app", help="serve the workbook app (notebooks/app.ipynb) with Voila on this machine"
    )
    _add_server_options(app, serving.DEFAULT_APP_PORT)
    app.set_defaults(handler=_run_app)

    _add_store_commands(commands)
    _add_report_command(commands)
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

"""Benchmark the report pipeline: one report against the kernel's floor, and a clinic in parallel.

1. One demo patient's report (papermill on notebooks/report.ipynb, then the HTML export) against
   the same pipeline on an empty notebook, whose time is the kernel start: target <= 1.5x.
   Measured twice: inside one process (the pipeline alone), and as the `backlib report` command
   a user runs, on the real template and on an empty one (`--notebook`). A third notebook only
   imports what the report's kernel needs (pandas, SQLAlchemy, plotly through backlib): the
   lower bound of any report on this stack, printed with the share left to the report itself.
2. `render_all` over 20 demo patients with 2 workers against a plain loop of
   `papermill.execute_notebook` and nbconvert's HTML export over the same patients, one kernel
   per patient (what a user would write without backlib), in the same run: target >= 3x faster.
3. The same batch with 2 worker processes against 1: target >= 1.6x faster (the median of three
   alternating runs of each, so the host's drifting speed does not decide the ratio).

Run with `make bench` (or `.venv/bin/python benchmarks/bench_report.py [--quick]`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill
from nbformat.v4 import new_code_cell, new_notebook

from backlib import report
from backlib.demo import make_demo
from backlib.report import pipeline
from backlib.store import open_store


def _empty_notebook(folder: Path, *, code: str = "", name: str = "empty") -> Path:
    """The floor: a notebook with only the parameters cell, so papermill has work to inject
    (and `code` in a second cell, when given)."""
    parameters = 'patient: str = "demo-1"  # patient id'
    cells = [new_code_cell(parameters, metadata={"tags": ["parameters"]})]
    if code:
        cells.append(new_code_cell(code))
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / f"{name}.ipynb"
    nbformat.write(notebook, path)
    return path


# What the report's kernel must import before it can read a store or draw a chart: the stack
# the project chose (pandas, SQLAlchemy, numpy through both, plotly's JSON writer).
REPORT_IMPORTS = "from backlib.report import data, html_parts\nfrom plotly.io import to_html"


def _timed(action, repeats: int) -> float:
    """Median wall time of `repeats` runs, after one warm-up run (imports, disk cache)."""
    action()
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def bench_one_report(folder: Path, repeats: int) -> tuple[float, float, float]:
    """The pipeline on an empty notebook, on one that only imports the report's stack, and the
    report itself (median seconds each)."""
    url = f"sqlite:///{folder / 'one.db'}"
    with open_store(url) as store:
        make_demo(store, patients=1, weeks=12, seed=0)
    empty = _empty_notebook(folder)
    imports_only = _empty_notebook(folder, code=REPORT_IMPORTS, name="imports")

    def export(notebook: Path) -> None:
        executed = pipeline.execute_notebook(notebook, {"patient": "demo-1"})
        html = pipeline.notebook_to_html(executed, notebook.stem)
        (folder / f"{notebook.stem}.html").write_text(html)

    def report_pipeline() -> None:
        report.render("demo-1", url, out_dir=folder / "one")

    return (
        _timed(lambda: export(empty), repeats),
        _timed(lambda: export(imports_only), repeats),
        _timed(report_pipeline, repeats),
    )


def _machine_cpu() -> float:
    """CPU seconds the whole machine has used so far (every core, every process): the workers
    are forked by the workers' server, not by this process, so its own child counters miss
    them, and on this otherwise quiet machine the batch is what uses the cores."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle and waiting for the disk
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def bench_report_command(folder: Path, repeats: int) -> tuple[float, float]:
    """What a user waits for: `backlib report` for one patient, against the same command on an
    empty template (`--notebook`), each a fresh process (Python start and imports included)."""
    url = f"sqlite:///{folder / 'one.db'}"
    empty = _empty_notebook(folder)
    command = [Path(sys.executable).parent / "backlib", "report", "--patient", "demo-1"]
    command += ["--store", url, "--out", str(folder / "cli")]

    def run(extra: list) -> None:
        subprocess.run(command + extra, check=True, capture_output=True)

    return (
        _timed(lambda: run(["--notebook", str(empty)]), repeats),
        _timed(lambda: run([]), repeats),
    )


def bench_plain_loop(url: str, patient_ids: list[str], out: Path) -> float:
    """Wall seconds of what a user would write without backlib: papermill on the report
    notebook, then nbconvert's HTML export, one patient (and one kernel) after another."""
    from nbconvert import HTMLExporter

    out.mkdir()
    exporter = HTMLExporter(exclude_input=True)
    began = time.perf_counter()
    for patient_id in patient_ids:
        executed = out / f"{patient_id}.ipynb"
        papermill.execute_notebook(
            str(report.REPORT_NOTEBOOK),
            str(executed),
            parameters={"patient": patient_id, "store_url": url},
            progress_bar=False,
            cwd=str(report.REPORT_NOTEBOOK.parent),
        )
        page, _ = exporter.from_filename(str(executed))
        (out / f"{patient_id}.html").write_text(page, encoding="utf-8")
    return time.perf_counter() - began


def clinic_store(folder: Path, patients: int) -> str:
    url = f"sqlite:///{folder / 'clinic.db'}"
    with open_store(url) as store:
        make_demo(store, patients=patients, weeks=12, seed=0)
    return url


def bench_clinic(url: str, folder: Path, rounds: int) -> dict[int, list[tuple[float, float]]]:
    """Wall and CPU seconds of `render_all` over the demo clinic with 1 and 2 workers, run in
    turn `rounds` times: on a shared virtual machine the speed of the host drifts by a third
    within minutes, and alternating the two keeps that drift out of their ratio."""
    figures: dict[int, list[tuple[float, float]]] = {1: [], 2: []}
    for round_number in range(rounds):
        for jobs in (1, 2):
            cpu, began = _machine_cpu(), time.perf_counter()
            out_dir = folder / f"jobs{jobs}-{round_number}"
            result = report.render_all(url, out_dir=out_dir, jobs=jobs, progress=False)
            figures[jobs].append((time.perf_counter() - began, _machine_cpu() - cpu))
            if result.failed:
                raise SystemExit(f"{len(result.failed)} report(s) failed: {result.failed[0].error}")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and 6 patients")
    args = parser.parse_args()
    repeats, patients, rounds = (1, 6, 1) if args.quick else (3, 20, 3)
    # The machine is shared: the load average says how many other processes competed for cores.
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        folder = Path(tmp)
        empty, imports_only, one = bench_one_report(folder, repeats)
        ratio = one / empty
        print(
            f"one report: {one:.2f} s; empty-notebook pipeline (the floor): {empty:.2f} s; "
            f"ratio {ratio:.2f}x (target <= 1.5x) {'OK' if ratio <= 1.5 else 'MISSED'}"
        )
        print(
            f"  a notebook that only imports the report's stack: {imports_only:.2f} s, "
            f"{imports_only / empty:.2f}x the floor (no report can be faster than this); "
            f"the report's own work: {one - imports_only:.2f} s"
        )
        empty_cli, one_cli = bench_report_command(folder, repeats)
        ratio_cli = one_cli / empty_cli
        print(
            f"`backlib report --patient` as a command: {one_cli:.2f} s; the same command on an "
            f"empty template (--notebook): {empty_cli:.2f} s; ratio {ratio_cli:.2f}x "
            f"(target <= 1.5x) {'OK' if ratio_cli <= 1.5 else 'MISSED'}"
        )
        url = clinic_store(folder, patients)
        figures = bench_clinic(url, folder, rounds)
        serial = statistics.median(wall for wall, _ in figures[1])
        parallel = statistics.median(wall for wall, _ in figures[2])
        serial_cpu = statistics.median(cpu for _, cpu in figures[1])
        parallel_cpu = statistics.median(cpu for _, cpu in figures[2])
        each = [one / two for (one, _), (two, _) in zip(figures[1], figures[2], strict=True)]
        plain = bench_plain_loop(
            url, [f"demo-{n}" for n in range(1, patients + 1)], folder / "plain"
        )
        against_plain = plain / parallel
        print(
            f"--all over {patients} patients with --jobs 2: {parallel:.1f} s; a plain loop of "
            f"papermill + nbconvert (one kernel per patient): {plain:.1f} s; "
            f"{against_plain:.2f}x faster (target >= 3x) "
            f"{'OK' if against_plain >= 3 else 'MISSED'}"
        )
        speedup = serial / parallel
        print(
            f"--all over {patients} patients, median of {rounds} alternating runs: --jobs 1 "
            f"{serial:.1f} s, --jobs 2 {parallel:.1f} s; speed-up {speedup:.2f}x "
            f"(target >= 1.6x) {'OK' if speedup >= 1.6 else 'MISSED'}"
        )
        print(
            "  each round's speed-up: " + ", ".join(f"{ratio:.2f}x" for ratio in each) + "; "
            f"CPU the machine used (median): {serial_cpu:.1f} s with 1 worker, "
            f"{parallel_cpu:.1f} s with 2; load average now {os.getloadavg()[0]:.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

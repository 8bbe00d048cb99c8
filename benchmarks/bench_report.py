"""Benchmark the report pipeline: one report against the kernel's floor, and a clinic in parallel.

1. One demo patient's report (papermill on notebooks/report.ipynb, then the HTML export) against
   the same pipeline on an empty notebook, whose time is the kernel start: target <= 1.5x.
   Measured twice: inside one process (the pipeline alone), and as the `backlib report` command
   a user runs, on the real template and on an empty one (`--notebook`).
2. `render_all` over 20 demo patients with 2 worker processes against 1: target >= 1.6x faster.

Run with `make bench` (or `.venv/bin/python benchmarks/bench_report.py [--quick]`).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from backlib import report, report_export
from backlib.demo import make_demo
from backlib.store import open_store


def _empty_notebook(folder: Path) -> Path:
    """The floor: a notebook with only the parameters cell, so papermill has work to inject."""
    cell = new_code_cell('patient: str = "demo-1"  # patient id', metadata={"tags": ["parameters"]})
    notebook = new_notebook(cells=[cell])
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / "empty.ipynb"
    nbformat.write(notebook, path)
    return path


def _timed(action, repeats: int) -> float:
    """Median wall time of `repeats` runs, after one warm-up run (imports, disk cache)."""
    action()
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def bench_one_report(folder: Path, repeats: int) -> tuple[float, float]:
    url = f"sqlite:///{folder / 'one.db'}"
    with open_store(url) as store:
        make_demo(store, patients=1, weeks=12, seed=0)
    empty = _empty_notebook(folder)

    def empty_pipeline() -> None:
        executed = report_export.execute_notebook(empty, {"patient": "demo-1"})
        (folder / "empty.html").write_text(report_export.notebook_to_html(executed, "empty"))

    def report_pipeline() -> None:
        report.render("demo-1", url, out_dir=folder / "one")

    return _timed(empty_pipeline, repeats), _timed(report_pipeline, repeats)


def _children_cpu() -> float:
    """CPU seconds used by finished child processes (workers and, through them, kernels)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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


def bench_clinic(folder: Path, patients: int) -> dict[int, tuple[float, float]]:
    """Wall and CPU seconds of `render_all` over the demo clinic with 1 and 2 workers."""
    url = f"sqlite:///{folder / 'clinic.db'}"
    with open_store(url) as store:
        make_demo(store, patients=patients, weeks=12, seed=0)
    figures = {}
    for jobs in (1, 2):
        cpu, began = _children_cpu(), time.perf_counter()
        result = report.render_all(url, out_dir=folder / f"jobs{jobs}", jobs=jobs, progress=False)
        figures[jobs] = (time.perf_counter() - began, _children_cpu() - cpu)
        if result.failed:
            raise SystemExit(f"{len(result.failed)} report(s) failed: {result.failed[0].error}")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and 6 patients")
    args = parser.parse_args()
    repeats, patients = (1, 6) if args.quick else (3, 20)
    # The machine is shared: the load average says how many other processes competed for cores.
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        folder = Path(tmp)
        empty, one = bench_one_report(folder, repeats)
        ratio = one / empty
        print(
            f"one report: {one:.2f} s; empty-notebook pipeline (the floor): {empty:.2f} s; "
            f"ratio {ratio:.2f}x (target <= 1.5x) {'OK' if ratio <= 1.5 else 'MISSED'}"
        )
        empty_cli, one_cli = bench_report_command(folder, repeats)
        ratio_cli = one_cli / empty_cli
        print(
            f"`backlib report --patient` as a command: {one_cli:.2f} s; the same command on an "
            f"empty template (--notebook): {empty_cli:.2f} s; ratio {ratio_cli:.2f}x "
            f"(target <= 1.5x) {'OK' if ratio_cli <= 1.5 else 'MISSED'}"
        )
        figures = bench_clinic(folder, patients)
        (serial, serial_cpu), (parallel, parallel_cpu) = figures[1], figures[2]
        speedup = serial / parallel
        print(
            f"--all over {patients} patients: --jobs 1 {serial:.1f} s, --jobs 2 {parallel:.1f} s; "
            f"speed-up {speedup:.2f}x (target >= 1.6x) {'OK' if speedup >= 1.6 else 'MISSED'}"
        )
        print(
            f"  CPU used by workers and kernels: {serial_cpu:.1f} s with 1 worker, "
            f"{parallel_cpu:.1f} s with 2; load average now {os.getloadavg()[0]:.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

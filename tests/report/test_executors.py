"""Where a batch runs: worker processes here, or Dask distributed (a LocalCluster in tests)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from backlib.cli import main
from backlib.errors import ReportError
from backlib.report import batch, executors


@pytest.mark.slow
def test_a_batch_runs_on_a_local_dask_cluster_with_two_workers(demo_store, tmp_path):
    pytest.importorskip("distributed")
    result = batch.render_all(demo_store, out_dir=tmp_path, jobs=2, cluster="local", progress=False)
    assert not result.failed and not result.interrupted
    assert [e.patient_id for e in result.entries] == ["demo-1", "demo-2", "demo-3"]
    index = result.index.read_text(encoding="utf-8")
    for entry in result.entries:
        page = (tmp_path / f"{entry.patient_id}.html").read_text(encoding="utf-8")
        assert entry.headline.name in page and f'href="{entry.patient_id}.html"' in index
    assert not list(tmp_path.glob(".*")), "every file was written whole"


# Run in a pool worker: its parent process, and whether the worker's stack was there before the
# worker was given anything to do (eval is a builtin: submitting it imports nothing).
_WORKER_FACTS = "(__import__('os').getppid(), 'backlib.report.worker' in __import__('sys').modules)"


def test_pool_workers_are_forked_from_a_server_that_imported_their_stack():
    workers = executors.PoolWorkers(1)
    try:
        parent, preloaded = workers.executor.submit(eval, _WORKER_FACTS).result(timeout=120)
    finally:
        workers.close()
    assert parent != os.getpid(), "a worker is forked by the workers' server, not the caller"
    assert preloaded, "the server imported the worker's stack once, before forking the worker"


def test_a_stopped_pool_kills_a_worker_that_does_not_stop_within_the_grace():
    workers = executors.PoolWorkers(1)
    pid = workers.executor.submit(os.getpid).result(timeout=120)
    stubborn = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"
    workers.executor.submit(exec, stubborn)
    time.sleep(0.5)  # the worker is asleep, deaf to SIGTERM
    began = time.monotonic()
    workers.stop()
    assert time.monotonic() - began < executors.STOP_GRACE_S + 1
    assert not executors._running(pid), "killed once the grace was over"


def test_the_callers_main_module_is_imported_once_for_all_workers(tmp_path):
    """A spawned worker imports the caller's main module again (with whatever it imports);
    forked from the workers' server, two workers cost one import of it between them."""
    imports = tmp_path / "imports.txt"
    script = tmp_path / "caller.py"
    script.write_text(
        textwrap.dedent(
            f"""\
            import os
            with open({str(imports)!r}, "a") as log:
                log.write(f"{{os.getpid()}}\\n")
            if __name__ == "__main__":
                from backlib.report import executors
                workers = executors.PoolWorkers(2)
                for _ in range(4):
                    workers.executor.submit(os.getpid).result()
                workers.close()
            """
        )
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    run = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    lines = imports.read_text().split()
    assert len(lines) == 2, f"imported by the caller and the server only, not {len(lines)} times"


@pytest.mark.parametrize("address", ["8786", "http://host:8786", "host:8786", ""])
def test_a_cluster_address_must_be_a_scheduler_or_local(address):
    with pytest.raises(ReportError, match=r"cluster=.*tcp://HOST:PORT"):
        executors.check_cluster(address, "postgresql://clinic/db")


def test_a_remote_cluster_needs_a_store_every_worker_can_reach():
    with pytest.raises(ReportError, match=r"SQLite.*PostgreSQL"):
        executors.check_cluster("tcp://scheduler:8786", "sqlite:////data/clinic.db")
    assert executors.check_cluster("tcp://scheduler:8786", "postgresql://h/db").startswith("tcp")
    assert executors.check_cluster("local", "sqlite:////data/clinic.db") == "local"


def test_cluster_is_for_batches_only(demo_store, tmp_path, capsys):
    args = ["report", "--patient", "demo-1", "--store", demo_store, "--out", str(tmp_path)]
    assert main([*args, "--cluster", "local"]) == 2
    assert "--cluster runs a batch" in capsys.readouterr().err

"""An interrupted clinic batch: Ctrl+C or SIGTERM stops it at once without a traceback, stops
every worker and kernel, leaves no kernel folder behind, and leaves an index that lists what
finished and says the run was interrupted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
START_LIMIT_S = 120
# Stopping takes the workers' grace (executors.STOP_GRACE_S) plus process exits; a bound with
# room for a loaded CI machine.
STOP_LIMIT_S = 4.0


def _alive_with(marker: str) -> list[int]:
    """Processes whose environment carries the marker: the batch, its workers and kernels."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if f"BACKLIB_TEST_MARK={marker}".encode() in environ:
            found.append(int(entry.name))
    return found


@pytest.mark.slow
@pytest.mark.parametrize(
    ("how", "where"),
    [(signal.SIGINT, []), (signal.SIGTERM, []), (signal.SIGINT, ["--cluster", "local"])],
    ids=["ctrl-c", "sigterm", "ctrl-c-on-a-local-dask-cluster"],
)
def test_an_interrupted_batch_stops_at_once_and_says_what_finished(
    demo_store, tmp_path, how, where
):
    if where:
        pytest.importorskip("distributed")
    out, tmp = tmp_path / "reports", tmp_path / "tmp"
    tmp.mkdir()
    (out).mkdir()
    (out / "demo-9.html").write_text("an earlier run's report")
    marker = str(uuid.uuid4())
    env = {**os.environ, "TMPDIR": str(tmp), "BACKLIB_TEST_MARK": marker, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "backlib.cli", "report", "--all", "--store", demo_store]
    command += ["--out", str(out), "--jobs", "1", *where]
    batch = subprocess.Popen(
        command, env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    deadline = time.monotonic() + START_LIMIT_S
    while not list(out.glob("demo-[0-8].html")) and time.monotonic() < deadline:
        assert batch.poll() is None, batch.stderr.read()
        time.sleep(0.1)
    assert list(out.glob("demo-[0-8].html")), "no report was made in time"
    # Like a terminal: the whole process group gets the signal.
    asked = time.monotonic()
    os.killpg(batch.pid, how)
    try:  # until the batch has exited and nothing it started still holds its stderr open
        _, err = batch.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        batch.kill()
        pytest.fail("the batch, or a worker it left behind holding its stderr, still runs")
    code, took = batch.returncode, time.monotonic() - asked
    assert took < STOP_LIMIT_S, f"took {took:.1f} s to stop"
    assert code == 130
    assert "Traceback" not in err, err
    assert "interrupted" in err
    time.sleep(0.5)
    assert _alive_with(marker) == [], "no worker or kernel left running"
    assert not list(tmp.glob("backlib-*")), "no kernel or report folder left behind"
    index = (out / "index.html").read_text()
    assert "This run was interrupted" in index
    made = sorted(p.name for p in out.glob("demo-[0-8].html"))
    for name in made:
        assert f'href="{name}"' in index
    assert "demo-9.html" not in index, "an earlier run's report is not shown as this one's"
    assert len(made) < 3, "the run really was stopped before the end"

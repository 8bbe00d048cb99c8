"""Where a batch runs: worker processes here, or Dask distributed (a LocalCluster in tests)."""

from __future__ import annotations

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

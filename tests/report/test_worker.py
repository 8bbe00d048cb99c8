"""A batch worker: one kernel for all its patients, nothing of one patient in the next one's
run, and the index's headline taken from the executed notebook."""

from __future__ import annotations

import subprocess
import sys

import pytest
from report_support import MARKER, PROBE, notebook_of, printed, stand_in_notebook

from backlib.report import batch, data, worker
from backlib.store import open_store


def _job(store: str, patient_id: str, note: str = "", notebook=None) -> worker.Job:
    book = notebook or batch.REPORT_NOTEBOOK
    return worker.Job(
        patient_id, store, None, None, False, note, str(book), book.read_text(encoding="utf-8")
    )


@pytest.fixture
def fresh_kernel(monkeypatch):
    """This test's own worker kernel, shut down at its end."""
    monkeypatch.setattr(worker, "_kernels", type(worker._kernels)())
    yield
    kernel = getattr(worker._kernels, "kernel", None)
    if kernel is not None:
        kernel.close()


def test_a_workers_patients_share_one_kernel_and_none_sees_the_last_ones_data(
    demo_store, tmp_path, fresh_kernel
):
    with open_store(demo_store) as store:
        patients = store.patients().set_index("patient_id")
    first_name = str(patients.loc["demo-1", "name"])
    first = worker.run_job(_job(demo_store, "demo-1", note=MARKER))
    kernel = worker.worker_kernel()
    pid = kernel.manager.provisioner.process.pid
    second = worker.run_job(_job(demo_store, "demo-2"))
    assert first.entry.error is None and second.entry.error is None
    assert MARKER in first.html and first_name in first.html
    assert MARKER not in second.html and first_name not in second.html
    assert kernel.manager.provisioner.process.pid == pid, "one kernel for both patients"
    probe = kernel.run(notebook_of(tmp_path, "probe", PROBE), {"patient": "x"})
    _pid, found, names = printed(probe).split()
    assert (found, names) == ("0", "patient"), "the first patient's note is nowhere in the kernel"


def test_the_index_headline_comes_from_the_executednotebook_of(
    demo_store, monkeypatch, fresh_kernel
):
    def no_second_read(job):
        raise AssertionError("the store was read a second time for the headline")

    monkeypatch.setattr(worker, "_headline_from_store", no_second_read)
    made = worker.run_job(_job(demo_store, "demo-3"))
    assert made.entry.headline == data.load_headline("demo-3", demo_store)


def test_a_template_without_a_headline_gets_one_from_the_store(demo_store, tmp_path, fresh_kernel):
    made = worker.run_job(_job(demo_store, "demo-1", notebook=stand_in_notebook(tmp_path)))
    assert made.entry.error is None and "report for demo-1" in made.html
    assert made.entry.headline == data.load_headline("demo-1", demo_store)


def test_a_worker_on_another_machine_runs_a_copy_of_the_template(
    demo_store, tmp_path, fresh_kernel
):
    template = stand_in_notebook(tmp_path)
    job = _job(demo_store, "demo-2", notebook=template)
    template.unlink()  # the batch's path does not exist where this worker runs
    made = worker.run_job(job)
    assert made.entry.error is None and "report for demo-2" in made.html


def test_a_worker_starts_without_pandas_sqlalchemy_or_the_store():
    """The workers' server imports this once for them all; the report's data work is the
    kernel's."""
    heavy = ("pandas", "sqlalchemy", "backlib.store", "backlib.progress", "plotly")
    probe = (
        "import sys, backlib.report.worker; "
        f"print(','.join(m for m in {heavy!r} if m in sys.modules))"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert found == "", f"a worker imports {found}"

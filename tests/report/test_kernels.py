"""Report kernels: private, kept for many notebooks, and emptied between patients."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from report_support import MARKER, PROBE, notebook_of, printed

from backlib.errors import ReportError
from backlib.report import kernels, pipeline


def test_report_kernels_talk_over_private_sockets_not_tcp(tmp_path):
    # The kernel holds a patient's records: Unix sockets in a folder only the user can enter.
    notebook = notebook_of(
        tmp_path,
        "where",
        "from ipykernel import get_connection_info\n"
        "info = get_connection_info(unpack=True)\n"
        "print(info['transport'], info['ip'])",
    )
    executed = pipeline.execute_notebook(notebook, {"patient": "x"})
    transport, address = printed(executed).split()
    folder = kernels.private_kernel_folder()
    assert transport == "ipc" and Path(address).parent == folder
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert not list(folder.iterdir())  # the sockets go with the kernel


def test_report_kernels_are_backlibs_private_kernel(tmp_path):
    # backlib.private_kernel opens no TCP port of its own (ipykernel's subprocess pipe).
    notebook = notebook_of(tmp_path, "which", "import sys\nprint(sys.argv[0])")
    executed = pipeline.execute_notebook(notebook, {"patient": "x"})
    assert printed(executed).endswith(str(Path("backlib") / "private_kernel.py"))


def test_report_kernels_start_without_the_debugger(tmp_path):
    # Its spec switches the debugger off, so its start does not pay for importing debugpy.
    notebook = notebook_of(
        tmp_path,
        "debugger",
        "import sys\nprint(sorted(m for m in ('debugpy', '_pydevd_bundle', 'pydevd') "
        "if sys.modules.get(m) is not None))",
    )
    executed = pipeline.execute_notebook(notebook, {"patient": "x"})
    assert printed(executed) == "[]"


def test_nothing_of_one_patient_is_visible_in_the_next_patients_run(tmp_path):
    first = notebook_of(
        tmp_path,
        "first",
        "import pandas as pd\n"
        f"secret = {MARKER!r}\n"
        "rows = pd.DataFrame({'note': [secret + ' and more']})\n"
        "kept = {'note': secret, 'list': [secret]}\n"
        "rows",
        "import os\nprint(os.getpid())",
    )
    probe = notebook_of(tmp_path, "probe", PROBE)
    with kernels.ReportKernel() as kernel:
        ran_in = printed(kernel.run(first, {"patient": "a"}))
        pid, found, names = printed(kernel.run(probe, {"patient": "b"})).split()
    assert pid == ran_in, "both ran on one kernel"
    assert names == "patient", "only the new run's own parameter is defined"
    assert found == "0", "no object anywhere in the kernel still holds the first patient's note"


def test_the_control_probe_does_find_a_patient_still_held(tmp_path):
    # The probe above would notice a leftover: here the same kernel run keeps the note.
    probe = notebook_of(tmp_path, "held", f"held = [{MARKER!r}]", PROBE)
    with kernels.ReportKernel() as kernel:
        _pid, found, names = printed(kernel.run(probe, {"patient": "b"})).split()
    assert int(found) >= 1 and "held" in names.split(",")


def test_the_probe_finds_a_patient_a_module_kept_past_the_reset(tmp_path):
    # A leak into a module's state survives the reset (and is frozen there): the probe sees it.
    leaking = notebook_of(tmp_path, "leaking", f"import json\njson.kept_by_mistake = [{MARKER!r}]")
    probe = notebook_of(tmp_path, "probe", PROBE)
    with kernels.ReportKernel() as kernel:
        kernel.run(leaking, {"patient": "a"})
        _pid, found, _names = printed(kernel.run(probe, {"patient": "b"})).split()
    assert int(found) >= 1


def test_a_failing_cell_keeps_the_kernel_and_names_the_cell_in_every_run(tmp_path):
    failing = notebook_of(tmp_path, "failing", "x = 1", "raise ValueError('no sessions')")
    after = notebook_of(tmp_path, "after", "import os\nprint(os.getpid())")
    with kernels.ReportKernel() as kernel:
        for _ in range(2):  # cell numbers start again for each patient
            with pytest.raises(ReportError, match=r"failing.ipynb failed in cell 4: ValueError"):
                kernel.run(failing, {"patient": "a"})
        first_pid = kernel.manager.provisioner.process.pid
        assert printed(kernel.run(after, {"patient": "b"})) == str(first_pid)


def test_a_kernel_that_dies_is_replaced_for_the_next_run(tmp_path):
    dying = notebook_of(tmp_path, "dying", "import os\nos._exit(3)")
    after = notebook_of(tmp_path, "after", "print('fine')")
    with kernels.ReportKernel() as kernel:
        with pytest.raises(ReportError, match="could not run"):
            kernel.run(dying, {"patient": "a"})
        assert not kernel.started
        assert printed(kernel.run(after, {"patient": "b"})) == "fine"


def test_report_kernels_keep_no_history_on_disk(tmp_path, monkeypatch):
    # IPython's history database would keep the injected parameters (a patient's id, the
    # clinician's note) in the user's profile.
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    notebook = notebook_of(tmp_path, "quiet", "from IPython import get_ipython\nprint('ran')")
    with kernels.ReportKernel() as kernel:
        assert printed(kernel.run(notebook, {"patient": "demo-1"})) == "ran"
        assert printed(kernel.run(notebook, {"patient": "demo-2"})) == "ran"
    assert not list((tmp_path / "ipython").rglob("history.sqlite"))

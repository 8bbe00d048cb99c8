"""`backlib app`: Voila on 127.0.0.1 over app.ipynb, with the store it was given or the demo."""

from __future__ import annotations

import pytest

from backlib import cli
from backlib.demo import ensure_demo_store
from backlib.paths import DEMO_STORE_PATH, NOTEBOOKS_DIR, resolve_store_url


def test_voila_serves_the_app_notebook_on_the_given_host_and_port_only():
    command = cli.voila_command("127.0.0.1", 8899)
    assert command[1:4] == ["-m", "voila", str(NOTEBOOKS_DIR / "app.ipynb")]
    assert "--Voila.ip=127.0.0.1" in command and "--port=8899" in command
    assert "--Voila.port_retries=0" in command  # the printed address is the real one
    assert "--no-browser" in command


def test_voila_culls_idle_kernels_and_preheats_one():
    command = cli.voila_command("127.0.0.1", 8899)
    assert "--MappingKernelManager.cull_idle_timeout=60" in command
    assert "--MappingKernelManager.cull_interval=10" in command
    assert "--preheat_kernel=True" in command and "--pool_size=1" in command
    assert "--show_tracebacks=False" in command


def test_app_store_is_the_flag_then_the_environment_then_the_demo(monkeypatch, tmp_path):
    monkeypatch.delenv("BACKLIB_STORE", raising=False)
    monkeypatch.chdir(tmp_path)
    assert resolve_store_url(fallback="demo") == f"sqlite:///{DEMO_STORE_PATH}"
    monkeypatch.setenv("BACKLIB_STORE", str(tmp_path / "mine.db"))
    assert resolve_store_url(fallback="demo") == f"sqlite:///{(tmp_path / 'mine.db').resolve()}"
    assert resolve_store_url("sqlite:///other.db") == f"sqlite:///{tmp_path / 'other.db'}"
    assert resolve_store_url("postgresql://u@h/db") == "postgresql://u@h/db"


def test_the_app_command_prints_its_address_and_runs_voila(monkeypatch, capsys, tmp_path):
    calls = []

    class FakeServer:
        def __init__(self, command, env):
            calls.append((command, env))

        def wait(self):
            return 0

    monkeypatch.setattr(cli.subprocess, "Popen", FakeServer)
    monkeypatch.setattr(cli.signal, "signal", lambda *_args: None)
    store = f"sqlite:///{tmp_path / 'mine.db'}"
    assert cli.main(["app", "--port", "8898", "--store", store, "--no-browser"]) == 0
    assert "http://127.0.0.1:8898/" in capsys.readouterr().out
    ((command, env),) = calls
    assert env["BACKLIB_STORE"] == store
    assert "--port=8898" in command
    assert not (tmp_path / "mine.db").exists(), "a user's store is never filled with demo data"


def test_only_the_demo_store_is_created_with_demo_patients(monkeypatch, tmp_path):
    demo = tmp_path / "demo" / "demo.db"
    other = tmp_path / "other.db"
    assert ensure_demo_store(f"sqlite:///{other}", demo_path=demo) is False
    assert not other.exists()
    demo.parent.mkdir()
    assert ensure_demo_store(f"sqlite:///{demo}", demo_path=demo) is True
    assert ensure_demo_store(f"sqlite:///{demo}", demo_path=demo) is False  # only on first run
    from backlib import open_store

    with open_store(f"sqlite:///{demo}") as store:
        assert len(store.patients()) > 0
        assert len(store.sessions()) > 0


@pytest.mark.parametrize("url", ["postgresql://u:p@127.0.0.1/db", "sqlite:///:memory:"])
def test_a_non_file_store_is_never_given_demo_data(url):
    assert ensure_demo_store(url) is False

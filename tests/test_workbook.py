"""What the notebooks call: the workbook's own store, and its first patient."""

from __future__ import annotations


def test_notebooks_open_the_self_trackers_own_store_when_configured(tmp_path, monkeypatch):
    from backlib.workbook import first_patient, open_workbook_store

    own = f"sqlite:///{tmp_path / 'mine.db'}"
    monkeypatch.setenv("BACKLIB_STORE", own)
    store = open_workbook_store()
    assert store.url == own
    assert first_patient(store) is None, "a new own store gets no demo patients"
    store.add_patient("me", name="Me")
    assert first_patient(store) == "me"

"""Rules of backlib.private_files: owner-only folders and files, each file written whole."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from backlib.private_files import private_folder, replaced_whole, write_private_text


def test_private_write_replaces_the_file_whole(tmp_path):
    target = tmp_path / "r.html"
    target.write_text("old")
    write_private_text(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "r.pdf"
    target.write_text("old")
    with pytest.raises(RuntimeError), replaced_whole(target) as temporary:
        temporary.write_text("half")
        raise RuntimeError("the printer failed")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]


def test_private_folders_are_for_the_owner_only(tmp_path):
    folder = private_folder(tmp_path / "reports" / "2026")
    assert folder.is_dir() and stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_kernel_socket_folders_stay_short_enough_for_a_unix_socket(tmp_path, monkeypatch):
    import tempfile

    from backlib.private_files import SOCKET_NAME_ROOM, SOCKET_PATH_MAX, socket_folder

    deep = tmp_path / ("a-very-long-folder-name-" * 3)
    deep.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    folder = socket_folder("backlib-kernels-1-")
    try:
        assert len(str(folder)) + SOCKET_NAME_ROOM <= SOCKET_PATH_MAX
        assert folder.parent == Path("/tmp") and (folder.stat().st_mode & 0o777) == 0o700
    finally:
        folder.rmdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path.parent.parent.parent))
    near = socket_folder("backlib-app-")
    try:
        assert near.parent == Path(tempfile.gettempdir()), "a short temporary folder is used"
    finally:
        near.rmdir()

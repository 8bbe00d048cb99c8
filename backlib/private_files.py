"""Health data on disk: folders and files for their owner only, each file written whole.

Exports, reports and their PDFs go through here, so a crash or a failed printer never leaves a
half-written file in place of a good one, and nothing is ever readable by other users.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


# A Unix socket's path is at most 107 bytes (sockaddr_un); kernels put theirs a further ~70
# characters below their folder (a subfolder, "kernel-<uuid>-ipc-<n>").
SOCKET_PATH_MAX = 107
SOCKET_NAME_ROOM = 72


def socket_folder(prefix: str) -> Path:
    """A new owner-only folder (0700) for kernels' Unix sockets, in the temporary folder, or
    in /tmp when the temporary folder's path is too long for a socket address under it."""
    root = Path(tempfile.gettempdir())
    if len(str(root)) + len(prefix) + 8 + SOCKET_NAME_ROOM > SOCKET_PATH_MAX:
        root = Path("/tmp")
    return Path(tempfile.mkdtemp(prefix=prefix, dir=root))


def remove_temporary_folders(prefixes: Iterable[str]) -> None:
    """Remove the folders with these name prefixes that socket_folder or tempfile.mkdtemp
    made (in the temporary folder or /tmp), e.g. those of processes that were stopped before
    their exit handlers ran."""
    roots = {Path(tempfile.gettempdir()), Path("/tmp")}
    for prefix in prefixes:
        for root in roots:
            for folder in root.glob(f"{prefix}*"):
                shutil.rmtree(folder, ignore_errors=True)


def private_folder(folder: str | Path) -> Path:
    """The folder, resolved, created owner-only (with its parents) when missing."""
    path = Path(folder).resolve()
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    return path


@contextmanager
def replaced_whole(path: Path) -> Iterator[Path]:
    """A temporary file beside `path` for the block to write; it replaces `path` (owner-only)
    when the block ends without error, and is removed when it raises."""
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(descriptor)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, PRIVATE_FILE_MODE)  # a writer such as Chromium may have recreated it
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_private_text(path: Path, text: str) -> None:
    """Write a UTF-8 text file whole, readable by its owner only."""
    with replaced_whole(path) as temporary:
        temporary.write_text(text, encoding="utf-8")


def write_private_bytes(path: Path, data: bytes) -> None:
    """Write a binary file (a PDF, say) whole, readable by its owner only."""
    with replaced_whole(path) as temporary:
        temporary.write_bytes(data)

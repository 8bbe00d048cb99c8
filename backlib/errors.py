"""The exception hierarchy: every backlib error names the field, row, file or id at fault."""

from __future__ import annotations


class BacklibError(Exception):
    """Root of every error backlib raises on purpose."""


class CatalogError(BacklibError):
    """The exercise catalog is malformed: names the exercise id, the field and what is allowed."""


class RequestError(BacklibError, ValueError):
    """A routine request has a bad value: names the field and what is allowed."""


class RedFlagError(BacklibError):
    """A red-flag answer stops routine generation; the message says where to seek care."""

    def __init__(self, message: str, flags: tuple[str, ...] = (), emergency: bool = False):
        super().__init__(message)
        self.flags = flags
        self.emergency = emergency


class StoreError(BacklibError, ValueError):
    """A value refused by the session store, or a store that cannot be opened."""


class ReportError(BacklibError):
    """A report could not be produced (unknown patient, failed notebook, missing browser)."""

"""The exception hierarchy: every backlib error names the field, row, file or id at fault.

Each error carries what it names as attributes (``field``, ``row``, ``file``), so a widget can
show the message next to the control at fault, and a script can react, without parsing text.
"""

from __future__ import annotations

from pathlib import Path


class BacklibError(Exception):
    """Root of every error backlib raises on purpose.

    Attributes
    ----------
    field
        The request field, column or catalog field at fault (None when none applies).
    row
        The 1-based line of a file, or the position of an entry, at fault (None when none).
    file
        The file at fault (None when none).
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        row: int | None = None,
        file: str | Path | None = None,
    ):
        super().__init__(message)
        self.field = field
        self.row = row
        self.file = None if file is None else str(file)


class CatalogError(BacklibError):
    """The exercise catalog is malformed: names the exercise id, the field and what is allowed."""

    def __init__(
        self,
        message: str,
        *,
        exercise_id: str | None = None,
        field: str | None = None,
        file: str | Path | None = None,
    ):
        super().__init__(message, field=field, file=file)
        self.exercise_id = exercise_id


class PoseError(CatalogError):
    """The pose data of the exercise figures is malformed: names the exercise, keyframe and joint.

    ``field`` says the same as one dotted path (``keyframe.end.right_knee``), so a reviewer
    finds the line in the pose file without reading the drawing code.
    """

    def __init__(
        self,
        message: str,
        *,
        exercise_id: str | None = None,
        keyframe: str | None = None,
        joint: str | None = None,
        file: str | Path | None = None,
    ):
        field = (
            ".".join(part for part in ("keyframe", keyframe, joint) if part) if keyframe else joint
        )
        super().__init__(message, exercise_id=exercise_id, field=field, file=file)
        self.keyframe = keyframe
        self.joint = joint


class RequestError(BacklibError, ValueError):
    """A routine request has a bad value: names the field and what is allowed."""


class RedFlagError(BacklibError):
    """A red-flag answer stops routine generation; the message says where to seek care."""

    def __init__(self, message: str, flags: tuple[str, ...] = (), emergency: bool = False):
        super().__init__(message, field="red_flags")
        self.flags = flags
        self.emergency = emergency


class StoreError(BacklibError, ValueError):
    """A value refused by the session store, or a store that cannot be opened."""


class ReportError(BacklibError):
    """A report could not be produced (unknown patient, failed notebook, missing browser)."""


class ExportError(BacklibError):
    """An export would hand over a record that breaks its format's rules; nothing is written.

    ``problems`` lists every rule broken (each naming the resource and element at fault);
    ``field`` is the element of the first.
    """

    def __init__(self, message: str, *, problems: tuple[str, ...] = (), field: str | None = None):
        super().__init__(message, field=field)
        self.problems = problems

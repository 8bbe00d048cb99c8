"""Small frames shaped exactly like the store's (backlib.store.frames), and synthetic catalogs,
for tests; DAY0, on() and outcomes() build the frames of the progress tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from backlib.catalog import SOURCE_FILES, Catalog, load_catalog

PAIN = ("pain_before", "pain_during", "pain_after", "pain_next_morning")
DAY0 = pd.Timestamp("2027-03-01 08:00")  # a Monday


def on(day: int, **pains) -> dict:
    """A sessions_frame row on the given day after DAY0."""
    return {"started_at": DAY0 + pd.Timedelta(days=day), **pains}


def sessions_frame(rows: list[dict], patient_id: str = "pat", target: int = 3) -> pd.DataFrame:
    """rows: dicts with at least started_at; pains default to missing."""
    records = []
    for number, row in enumerate(rows, 1):
        records.append(
            {
                "session_id": row.get("session_id", number),
                "patient_id": patient_id,
                "started_at": pd.Timestamp(row["started_at"]),
                "planned_minutes": float(row.get("planned_minutes", 20.0)),
                "actual_minutes": float(row.get("actual_minutes", row.get("planned_minutes", 20))),
                **{name: row.get(name) for name in PAIN},
                "difficulty": row.get("difficulty"),
                "notes": row.get("notes", ""),
                "target_per_week": row.get("target_per_week", target),
                "routine": row.get("routine", ""),
            }
        )
    frame = pd.DataFrame(
        records,
        columns=[
            "session_id",
            "patient_id",
            "started_at",
            "planned_minutes",
            "actual_minutes",
            *PAIN,
            "difficulty",
            "notes",
            "target_per_week",
            "routine",
        ],
    )
    frame["started_at"] = pd.to_datetime(frame["started_at"]).astype("datetime64[ns]")
    for name in (*PAIN, "difficulty"):
        frame[name] = pd.array(frame[name].tolist(), dtype="Int64")
    frame["target_per_week"] = frame["target_per_week"].astype(int)
    return frame.sort_values("started_at", kind="stable").reset_index(drop=True)


def entries_frame(rows: list[dict], sessions: pd.DataFrame) -> pd.DataFrame:
    """rows: dicts with session_id and exercise_id; doses and pain during optional."""
    started = dict(zip(sessions["session_id"], sessions["started_at"], strict=True))
    records = []
    for number, row in enumerate(rows, 1):
        record = {
            "entry_id": number,
            "session_id": row["session_id"],
            "patient_id": sessions["patient_id"].iloc[0],
            "started_at": started[row["session_id"]],
            "exercise_id": row["exercise_id"],
            "phase": row.get("phase", "main"),
        }
        for key in ("sets", "reps", "hold_s", "duration_s"):
            record[f"prescribed_{key}"] = row.get(key)
            record[f"done_{key}"] = row.get(f"done_{key}", row.get(key))
        record["completed"] = row.get("completed", True)
        record["pain_during"] = row.get("pain_during")
        records.append(record)
    frame = pd.DataFrame(records)
    if frame.empty:
        return frame
    for column in frame.columns:
        if column.startswith(("prescribed_", "done_")) or column == "pain_during":
            frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
    frame["completed"] = frame["completed"].astype(bool)
    return frame


def outcomes(*rows) -> pd.DataFrame:
    """An outcomes frame from (day, measure, score) rows."""
    return pd.DataFrame(
        [
            {
                "outcome_id": i,
                "patient_id": "pat",
                "measured_on": pd.Timestamp(day),
                "measure": measure,
                "score": float(score),
            }
            for i, (day, measure, score) in enumerate(rows, 1)
        ]
    )


class FrameStore:
    """A tiny in-memory stand-in with the store's .sessions()/.entries() methods."""

    def __init__(self, sessions: pd.DataFrame, entries: pd.DataFrame):
        self._sessions, self._entries = sessions, entries

    def sessions(self, patient_id=None, start=None, end=None):
        frame = self._sessions
        return frame if patient_id is None else frame[frame["patient_id"] == patient_id]

    def entries(self, patient_id=None, start=None, end=None, session_id=None):
        frame = self._entries
        return frame if patient_id is None else frame[frame["patient_id"] == patient_id]


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    return repr(value)


def exercise_spec(ex_id: str, category: str = "strength", **dose) -> dict:
    """A valid catalog entry; dose keys override a reps-and-hold default."""
    dose = dose or {
        "sets": {"default": 2, "min": 1, "max": 3},
        "reps": {"default": 10, "min": 6, "max": 14},
        "hold_s": {"default": 3, "min": 2, "max": 5},
    }
    if "reps" in dose and "hold_s" not in dose:
        dose.setdefault("seconds_per_rep", 3)
    return {
        "id": ex_id,
        "name": ex_id.replace("-", " ").capitalize(),
        "category": category,
        "phases": ["main"],
        "level": "beginner",
        "equipment": ["mat"],
        "met": 3.5,
        "met_code": "02030",
        "cautions": [],
        "steps": ["Get into position.", "Move slowly.", "Return to the start."],
        "stop_if": "Sharp pain or pain spreading into a leg.",
        "sources": [SOURCE_FILES[0]],
        "areas": {"primary": ["lower_back"], "secondary": []},
        "dose": {"per_side": False, "rest_s": 10, **dose},
    }


def write_catalog(tmp_path: Path, *specs: dict) -> Catalog:
    lines = []
    for spec in specs:
        lines.append("[[exercise]]")
        lines += [f"{key} = {_toml(value)}" for key, value in spec.items()]
    path = tmp_path / "exercises.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_catalog(path)

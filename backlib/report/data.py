"""What a progress report shows, gathered from a store in one call: the report notebook's data.

The notebook (``notebooks/report.ipynb``) and the clinic index of ``backlib report --all`` both
take their headline figures from :func:`headline_from`, so the index and the reports agree.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from backlib import charts, progress
from backlib.catalog import Catalog
from backlib.charts.style import FigureSpec
from backlib.demo import ensure_demo_store
from backlib.errors import BacklibError, ReportError
from backlib.labels import ODI_BAND_LABELS, START_BACK_RISK_LABELS
from backlib.paths import resolve_store_url, sqlite_file
from backlib.plan.planner import plan_routine
from backlib.plan.routine import Routine
from backlib.programme import Programme
from backlib.progress import Assessment
from backlib.progress.frames import float_or_none
from backlib.progression import DECISION_COLUMNS, decide_doses, latest_pain, progress_programme
from backlib.questionnaires import INSTRUMENTS
from backlib.report.html_parts import Headline, OutcomeChange
from backlib.store import Store, open_store


@dataclass
class ReportData:
    """Everything one report shows, for one patient and period."""

    headline: Headline
    assessment: Assessment
    sessions: pd.DataFrame
    outcomes: pd.DataFrame
    weekly: pd.DataFrame
    decisions: pd.DataFrame
    notes: list[tuple[dt.datetime, str]]
    figures: list[FigureSpec] = field(default_factory=list)
    doses: dict = field(default_factory=dict)
    next_routine: Routine | None = None
    routine_note: str = ""
    # The programme current at the period's end, and its versions up to then, in words.
    programme: Programme | None = None
    programme_history: pd.DataFrame = field(default_factory=pd.DataFrame)
    # The programme moved on by the pain log as of the period's end (not saved), when there is
    # a programme and sessions in the period; its decisions are ``decisions``.
    next_programme: Programme | None = None
    # One row per questionnaire answered in the period (questionnaire_scores).
    questionnaires: pd.DataFrame = field(default_factory=pd.DataFrame)
    # The day the decisions are made as of: the period's end, or today for an open period.
    decided_on: dt.date | None = None


def store_url_for_kernel(store_url: str | None) -> str:
    """The store a report reads, as an absolute URL (the kernel runs in another folder).

    The one store-URL order (:func:`backlib.paths.resolve_store_url`) with the workbook's demo
    store as the fallback, as in the notebook's parameters.
    """
    return resolve_store_url(store_url, fallback="demo")


def parse_day(value: str | dt.date | None, field: str) -> dt.date | None:
    """A report bound as a date: None or '' for open, a date, or an ISO 'YYYY-MM-DD' string."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ReportError(f"{field}={value!r} is not a date; use YYYY-MM-DD", field=field) from None


def parse_period(
    start: str | dt.date | None, end: str | dt.date | None
) -> tuple[dt.date | None, dt.date | None]:
    """Both bounds as dates, checked to be in order."""
    first, last = parse_day(start, "start"), parse_day(end, "end")
    if first and last and last < first:
        raise ReportError(
            f"end={last} is before start={first}; the period must run forwards", field="end"
        )
    return first, last


def open_report_store(store_url: str | None) -> Store:
    """Open the store a report reads; empty (or the demo store's path) means the demo store,
    whose demo patients are made on first use.

    Raises
    ------
    ReportError
        For any other SQLite file that does not exist (opening would create an empty store).
    """
    url = store_url_for_kernel(store_url)
    file = sqlite_file(url)
    if file is not None and not ensure_demo_store(url) and not file.is_file():
        raise ReportError(
            f"store_url={store_url!r}: the SQLite file {file} does not exist",
            field="store_url",
            file=file,
        )
    return open_store(url)


def _patient_row(store: Store, patient_id: str) -> pd.Series:
    patients = store.patients()
    rows = patients[patients["patient_id"] == patient_id]
    if rows.empty:
        known = ", ".join(sorted(patients["patient_id"].astype(str))) or "none"
        raise ReportError(
            f"patient={patient_id!r} is not in the store; known: {known}", field="patient"
        )
    return rows.iloc[0]


def _bounds(
    start: dt.date | None, end: dt.date | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    # The store's bounds are datetimes; the period's end day is included whole.
    first = dt.datetime.combine(start, dt.time.min) if start else None
    last = dt.datetime.combine(end, dt.time.max) if end else None
    return first, last


def progress_figures(
    sessions: pd.DataFrame,
    entries: pd.DataFrame,
    outcomes: pd.DataFrame,
    assessment: Assessment,
    catalog: Catalog,
    end: dt.date | None,
) -> list[dict[str, Any]]:
    """The report's charts: pain trend, before/after, sessions per day, minutes, outcomes.

    As plain plotly specs (``charts.*_spec``): a report only exports them, so it skips building
    validated plotly Figures, about half a second of a report's kernel time.
    """
    if sessions.empty:
        return []
    figures = [
        charts.pain_trend_spec(sessions, assessment, end=end),
        charts.pain_before_after_spec(sessions, end=end),
        charts.adherence_calendar_spec(sessions, end=end),
        charts.minutes_by_category_spec(sessions, entries, catalog, end=end),
    ]
    if not outcomes.empty:
        figures.append(charts.outcomes_spec(outcomes, end=end))
    return figures


def _period_frames(
    store: Store, patient_id: str, start: dt.date | None, end: dt.date | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    first, last = _bounds(start, end)
    sessions = store.sessions(patient_id, start=first, end=last)
    outcomes = store.outcomes(patient_id, start=first, end=last)
    return sessions, outcomes


def headline_from(
    patient: pd.Series,
    assessment: Assessment,
    sessions: pd.DataFrame,
    start: dt.date | None,
    end: dt.date | None,
) -> Headline:
    """The report's headline figures from the patient row, the assessment and the sessions."""
    name = patient.get("name")
    name = str(name) if isinstance(name, str) and name.strip() else str(patient["patient_id"])
    adherence = float_or_none(getattr(assessment, "adherence_last_4_weeks", None))
    minutes_column = "actual_minutes" if "actual_minutes" in sessions else "planned_minutes"
    minutes = float(pd.to_numeric(sessions.get(minutes_column), errors="coerce").sum())
    outcomes = tuple(
        OutcomeChange(
            measure=str(row["measure"]),
            label=str(row["label"]),
            first=float(row["first"]),
            last=float(row["last"]),
            change=float(row["change"]),
            meaningful=bool(row["improved"]),
            note=str(row.get("note", "") or ""),
        )
        for _, row in assessment.outcome_changes.iterrows()
    )
    has_comparison = assessment.change is not None
    days = pd.to_datetime(sessions["started_at"]).dt.date if len(sessions) else pd.Series([])
    return Headline(
        patient_id=str(patient["patient_id"]),
        name=name,
        start=start,
        end=end,
        first_day=start or (days.min() if len(days) else None),
        last_day=end or (days.max() if len(days) else None),
        sessions=len(sessions),
        target_per_week=int(patient.get("target_per_week") or 0),
        adherence_pct=None if adherence is None else adherence * 100,
        minutes=minutes,
        pain_baseline=float_or_none(assessment.baseline),
        pain_current=float_or_none(assessment.current),
        pain_change=float_or_none(assessment.change),
        pain_change_pct=float_or_none(assessment.change_pct),
        improved=bool(assessment.improved) if has_comparison else None,
        outcome_changes=outcomes,
        flags=tuple(flag.message for flag in assessment.flags),
        message=str(assessment.message),
    )


def load_headline(
    patient_id: str,
    store_url: str | None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
) -> Headline:
    """Only the headline figures (for the clinic index), computed as the report computes them."""
    first, last = parse_day(start, "start"), parse_day(end, "end")
    with open_report_store(store_url) as store:
        patient = _patient_row(store, patient_id)
        sessions, outcomes = _period_frames(store, patient_id, first, last)
    assessment = progress.assess(sessions, outcomes, end=last)
    return headline_from(patient, assessment, sessions, first, last)


def _session_notes(sessions: pd.DataFrame) -> list[tuple[dt.datetime, str]]:
    if sessions.empty or "notes" not in sessions:
        return []
    rows = sessions[["started_at", "notes"]].dropna()
    return [
        (when.to_pydatetime(), str(text))
        for when, text in rows.itertuples(index=False)
        if str(text).strip()
    ]


def _last_routine(sessions: pd.DataFrame) -> dict | None:
    """The request of the most recent session that logged a readable routine."""
    if sessions.empty or "routine" not in sessions:
        return None
    for text in reversed(sessions["routine"].tolist()):
        if isinstance(text, str) and text.strip():
            try:
                data = json.loads(text)
            except ValueError:
                continue  # one unreadable row must not cost the patient the whole report
            if isinstance(data, dict) and data.get("areas") and data.get("minutes"):
                return data
    return None


def _programme_as_of(
    store: Store, patient_id: str, last: dt.date | None
) -> tuple[Programme | None, pd.DataFrame]:
    """The programme version current at the period's end, and every version up to then."""
    versions = store.programmes(patient_id)
    if last is not None and len(versions):
        versions = versions[versions["created"] < pd.Timestamp(last) + pd.Timedelta(days=1)]
    history = progress.programme_history(versions, store.catalog)
    if history.empty:
        return None, history
    return store.programme(patient_id, int(history["version"].iloc[-1])), history


def load_report(
    patient_id: str,
    store_url: str | None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
) -> ReportData:
    """Everything the report notebook shows for one patient and period.

    Parameters
    ----------
    patient_id
        A patient of the store.
    store_url
        The store's URL or SQLite path; empty for the demo store (created when missing).
    start, end
        The period, inclusive, as dates or ``YYYY-MM-DD``; empty or None for open ends.

    Returns
    -------
    ReportData

    Raises
    ------
    ReportError
        For an unknown patient (listing the known ids), a missing store file or a bad date.
    """
    first, last = parse_day(start, "start"), parse_day(end, "end")
    # Every decision is made as of the period's end: from the sessions up to it, with the
    # model's window counted back from it (an open period ends today).
    decided_on = last or dt.date.today()
    first_dt, last_dt = _bounds(first, last)
    with open_report_store(store_url) as store:
        patient = _patient_row(store, patient_id)
        sessions, outcomes = _period_frames(store, patient_id, first, last)
        assessment = progress.assess(sessions, outcomes, end=last)
        history = store.sessions(patient_id, end=last_dt)
        history_entries = store.entries(patient_id, end=last_dt)
        entries = store.entries(patient_id, start=first_dt, end=last_dt)
        figures = progress_figures(sessions, entries, outcomes, assessment, store.catalog, last)
        current, programme_versions = _programme_as_of(store, patient_id, last)
        questionnaires = questionnaire_scores(
            store.questionnaires(patient_id, start=first, end=last)
        )
        moved: Programme | None = None
        if sessions.empty:
            # No sessions in the period: nothing to decide from, so no decisions at all.
            doses, decisions = {}, _no_decisions()
            routine, routine_note = None, NO_SESSIONS_NOTE
        else:
            doses, decisions = decide_doses(
                history, history_entries, store.catalog, today=decided_on
            )
            routine, routine_note = next_routine(store, patient_id, doses, sessions=history)
            if current is not None:
                moved, decisions = progress_programme(
                    current,
                    history,
                    history_entries,
                    store.catalog,
                    today=decided_on,
                    pain=latest_pain(history, decided_on),
                )
    headline = headline_from(patient, assessment, sessions, first, last)
    return ReportData(
        headline=headline,
        assessment=assessment,
        sessions=sessions,
        outcomes=outcomes,
        weekly=assessment.weekly,
        decisions=decisions,
        doses=doses,
        notes=_session_notes(sessions),
        figures=figures,
        next_routine=routine,
        routine_note=routine_note,
        programme=current,
        programme_history=programme_versions,
        next_programme=moved,
        questionnaires=questionnaires,
        decided_on=decided_on,
    )


NO_SESSIONS_NOTE = "No sessions in this period, so no decisions are made from it."


def _no_decisions() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=object) for column in DECISION_COLUMNS})


def questionnaire_scores(answers: pd.DataFrame) -> pd.DataFrame:
    """One row per questionnaire from ``Store.questionnaires`` item rows, oldest first.

    Columns ``answered_on`` (a date), ``instrument`` (its id), ``name`` (the instrument's
    name), ``total`` (its score, NaN when not scorable) and ``band`` (the ODI band or the
    STarT Back risk in words, else "").
    """
    columns = ["answered_on", "instrument", "name", "total", "band"]
    if answers.empty:
        return pd.DataFrame(columns=columns)
    rows = answers.drop_duplicates("questionnaire_id").sort_values(
        ["answered_on", "questionnaire_id"], kind="stable"
    )
    words = {**{f"odi:{k}": v for k, v in ODI_BAND_LABELS.items()}}
    words.update({f"start_back:{k}": v for k, v in START_BACK_RISK_LABELS.items()})
    return pd.DataFrame(
        {
            "answered_on": pd.to_datetime(rows["answered_on"]).dt.date.to_numpy(),
            "instrument": rows["instrument"].astype(str).to_numpy(),
            "name": [INSTRUMENTS[i].name if i in INSTRUMENTS else i for i in rows["instrument"]],
            "total": pd.to_numeric(rows["total"], errors="coerce").to_numpy(),
            "band": [
                words.get(f"{i}:{b}", str(b or "")) if isinstance(b, str) else ""
                for i, b in zip(rows["instrument"], rows["band"], strict=True)
            ],
        },
        columns=columns,
    )


def next_routine(
    store: Store, patient_id: str, doses: dict, *, sessions: pd.DataFrame | None = None
) -> tuple[Routine | None, str]:
    """The next routine: the last logged routine's request, re-planned with the next doses.

    ``sessions`` is the patient's whole session history when the caller has read it already
    (default: read from the store). Returns the routine (None when there is none) and a
    sentence saying how it was made or why there is none.
    """
    if sessions is None:
        sessions = store.sessions(patient_id)
    last = _last_routine(sessions)
    if last is None:
        return None, "No routine has been logged yet, so there is no next routine to show."
    pain = pd.to_numeric(sessions["pain_before"], errors="coerce").dropna()
    try:
        routine = plan_routine(
            tuple(last["areas"]),
            int(last["minutes"]),
            level=last.get("level", "beginner"),
            pain=int(pain.iloc[-1]) if not pain.empty else last.get("pain"),
            equipment=tuple(last.get("equipment", ())),
            weight_kg=last.get("weight_kg"),
            doses=doses,
            seed=int(last.get("seed", 0)),
            catalog=store.catalog,
        )
    except BacklibError as err:
        return None, f"The next routine could not be planned: {err}"
    return routine, (
        "Planned for the same areas, time and equipment as the last session, at today's pain, "
        "with the doses above."
    )

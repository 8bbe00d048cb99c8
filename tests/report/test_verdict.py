"""The report's verdict: measures named, one rounding per measure, dates as dates, decisions as
of the period's end, questionnaires with their bands, and the programme sheet as the last part."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from report_support import card_value

from backlib.display import date_words, pain_text
from backlib.plan.planner import plan_routine
from backlib.progress import weekly_summary
from backlib.report import html_parts
from backlib.report.data import load_report
from backlib.store import open_store

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "report.ipynb"


@pytest.fixture(scope="module")
def demo_3(demo_store):
    return load_report("demo-3", demo_store)


def test_demo_3_summary_names_the_measures_and_explains_the_pain_flag(demo_3):
    head = demo_3.headline
    assert not head.improved and all(o.meaningful for o in head.outcome_changes)
    summary = html_parts.summary_cards(head)
    assert "Pain before exercise (the 0–10 rating logged before each session" in summary
    assert "NPRS, ODI, RMDQ and PSFS improved meaningfully" in summary
    assert "pain before exercise has not fallen by 2 points or 30 %, although" in summary
    (flag,) = [f for f in head.flags if "has not fallen" in f]
    assert "although NPRS, ODI, RMDQ and PSFS improved meaningfully" in flag


def test_one_rounding_rule_per_measure():
    head = html_parts.Headline(
        patient_id="p",
        name="P",
        start=None,
        end=None,
        sessions=3,
        target_per_week=3,
        adherence_pct=None,
        minutes=60.0,
        pain_baseline=5.7,
        pain_current=2.0,
        pain_change=-3.7,
        pain_change_pct=-64.9,
        improved=True,
        outcome_changes=(
            html_parts.OutcomeChange("odi", "ODI", 42.0, 30.0, -12.0, True),
            html_parts.OutcomeChange("rmdq", "RMDQ", 14.0, 9.0, -5.0, True),
            html_parts.OutcomeChange("psfs", "PSFS", 3.0, 5.25, 2.25, True),
        ),
    )
    html = html_parts.summary_cards(head)
    assert card_value(html, "pain_baseline") == "5.7"
    assert card_value(html, "pain_current") == "2.0"  # never "2" beside "5.7"
    assert card_value(html, "outcome_odi") == "42.0 → 30.0"
    assert card_value(html, "outcome_rmdq") == "14 → 9"
    assert card_value(html, "outcome_psfs") == "3.0 → 5.3"  # half up, as a person rounds


def test_the_flag_rounds_pain_as_the_cards_do(demo_3):
    head = demo_3.headline
    (flag,) = [f for f in head.flags if "has not fallen" in f]
    assert f"{pain_text(head.pain_baseline)} then, {pain_text(head.pain_current)} now" in flag


def test_dates_are_written_as_dates_never_as_iso_weeks(demo_3):
    weeks = weekly_summary(demo_3.sessions)["week"]
    assert all(re.fullmatch(r"week of \d{1,2} [A-Z][a-z]{2} \d{4}", w) for w in weeks)
    page = html_parts.report_header(demo_3.headline, dt.date(2026, 12, 1))
    page += html_parts.summary_cards(demo_3.headline) + html_parts.flags_html(demo_3.headline.flags)
    assert not re.search(r"\d{4}-W\d{2}|\d{4}-\d{2}-\d{2}", page)
    assert "report made 1 Dec 2026" in page


def test_the_header_gives_the_period_as_its_first_and_last_day(demo_3):
    days = demo_3.sessions["started_at"].dt.date
    header = html_parts.report_header(demo_3.headline)
    assert f"from {date_words(days.min())} to {date_words(days.max())}" in header
    assert "all sessions" not in header


def test_an_empty_future_period_makes_no_decisions_and_says_so(demo_store):
    empty = load_report("demo-1", demo_store, "2030-01-01", "2030-12-31")
    assert empty.sessions.empty and empty.decisions.empty
    assert empty.next_programme is None and empty.next_routine is None and not empty.doses
    shown = html_parts.next_steps_html(
        empty.decisions,
        empty.decided_on,
        programme=empty.programme,
        moved=empty.next_programme,
        empty=empty.routine_note,
    )
    assert "No sessions in this period" in shown
    assert "step up" not in shown and "step down" not in shown


@pytest.fixture
def old_red_store(tmp_path) -> tuple[str, dt.date]:
    """One patient whose two sessions were 11 weeks ago, the latest of them RED."""
    url = f"sqlite:///{tmp_path / 'red.db'}"
    first = dt.datetime(2026, 6, 1, 9, 0)
    routine = plan_routine(["lower_back"], 15, pain=3)
    with open_store(url) as store:
        store.add_patient("red")
        ok = store.log_session("red", routine, when=first, pain_before=3, pain_during=2)
        store.set_next_morning_pain(ok, 3)
        bad = store.log_session(
            "red", routine, when=first + dt.timedelta(days=2), pain_before=3, pain_during=8
        )
        store.set_next_morning_pain(bad, 7)
    return url, (first + dt.timedelta(days=2, weeks=11)).date()


def test_a_red_session_older_than_the_window_does_not_drive_a_current_step_down(old_red_store):
    url, end = old_red_store
    late = load_report("red", url, end=end.isoformat())
    assert len(late.decisions) and set(late.decisions["decision"]) == {"hold"}
    assert all(reason.startswith("Not done for 10 weeks") for reason in late.decisions["reason"])
    # Within the window the same RED session does step the doses down.
    soon = load_report("red", url, end=(end - dt.timedelta(weeks=10)).isoformat())
    assert "regress" in set(soon.decisions["decision"])


def test_decisions_use_only_the_sessions_up_to_the_period_end(old_red_store):
    url, _end = old_red_store
    # Ending the day after the first (GREEN) session: the later RED one is not seen.
    before_red = load_report("red", url, end="2026-06-02")
    assert before_red.decided_on == dt.date(2026, 6, 2)
    assert "regress" not in set(before_red.decisions["decision"])
    assert (before_red.decisions["last_done"] <= dt.datetime(2026, 6, 3)).all()


def test_questionnaire_bands_and_start_back_risk_are_shown(tmp_path):
    url = f"sqlite:///{tmp_path / 'q.db'}"
    day = dt.date.today() - dt.timedelta(days=3)
    with open_store(url) as store:
        store.add_patient("q")
        store.log_questionnaire("q", "odi", [2, 2, 2, 1, 1, 1, 1, 1, 2, 2], when=day)
        store.log_questionnaire("q", "start_back", [1, 1, 1, 1, 1, 1, 1, 1, 4], when=day)
    shown = html_parts.questionnaires_html(load_report("q", url).questionnaires)
    assert "Oswestry Disability Index" in shown and "30.0 %" in shown
    assert "moderate disability" in shown
    assert "STarT Back Screening Tool" in shown and "high risk" in shown
    assert "<td>9</td>" in shown  # a whole count of items, not "9.0"
    assert date_words(day) in shown


def test_the_programme_sheet_is_the_reports_last_part(demo_store):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    last = [cell for cell in notebook.cells if cell.cell_type == "code"][-1]
    assert "take_home_html" in last.source
    demo = load_report("demo-1", demo_store)
    assert demo.programme is not None
    part = html_parts.take_home_html(
        demo.programme, demo.headline.name, demo.next_routine, demo.routine_note
    )
    assert 'class="bl-inlined bl-sheet"' in part and "bl-handout" not in part
    assert "<iframe" not in part and "<html" not in part.lower()  # in the report's own flow
    without = html_parts.take_home_html(None, "x", demo.next_routine, demo.routine_note)
    assert "bl-handout" in without


def test_without_answered_questionnaires_the_section_points_to_the_entered_totals():
    # The summary shows outcome changes from totals: the section must not seem to deny them.
    empty = pd.DataFrame(columns=["answered_on", "instrument", "name", "total", "band"])
    assert "entered as totals" in html_parts.questionnaires_html(empty, entered_totals=4)
    assert "entered as totals" not in html_parts.questionnaires_html(empty)

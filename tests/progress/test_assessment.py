"""Rules of backlib.progress, each checked on a small frame with a hand-computed answer."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from progress_frames import entries_frame, sessions_frame

from backlib import charts
from backlib.demo import make_demo
from backlib.errors import BacklibError, RequestError
from backlib.progress import (
    WEEKLY_COLUMNS,
    assess,
    flare_up_exercises,
    is_meaningful_drop,
    meaningful_drop_points,
    next_morning_rising,
    outcome_changes,
    weekly_summary,
)
from backlib.progression import next_doses
from backlib.store import open_store

DAY0 = pd.Timestamp("2027-03-01 08:00")  # a Monday


def on(day: int, **pains) -> dict:
    return {"started_at": DAY0 + pd.Timedelta(days=day), **pains}


def flag_codes(assessment) -> set[str]:
    return {flag.code for flag in assessment.flags}


# ----------------------------------------------------------------- weekly summary


def test_weekly_summary_keys_a_week_spanning_new_year_by_iso_year_and_week():
    sessions = sessions_frame(
        [
            {"started_at": "2026-12-31 09:00", "pain_before": 4},  # Thu of 2026-W53
            {"started_at": "2027-01-02 09:00", "pain_before": 6},  # Sat of 2026-W53
            {"started_at": "2027-01-04 09:00", "pain_before": 3},  # Mon of 2027-W01
        ]
    )
    weekly = weekly_summary(sessions)
    assert list(weekly["iso_year"]) == [2026, 2027]
    assert list(weekly["iso_week"]) == [53, 1]
    assert list(weekly["week"]) == ["2026-W53", "2027-W01"]
    assert list(weekly["week_start"]) == [pd.Timestamp("2026-12-28"), pd.Timestamp("2027-01-04")]
    assert list(weekly["sessions"]) == [2, 1]
    assert list(weekly["pain_before_mean"]) == [5.0, 3.0]


def test_weekly_summary_puts_late_december_days_in_week_one_of_the_next_iso_year():
    sessions = sessions_frame(
        [{"started_at": "2025-12-30 09:00"}, {"started_at": "2026-01-02 09:00"}]
    )
    weekly = weekly_summary(sessions)
    assert len(weekly) == 1
    assert (weekly["iso_year"].iloc[0], weekly["iso_week"].iloc[0]) == (2026, 1)


def test_weekly_summary_aggregates_pain_minutes_and_adherence_and_keeps_empty_weeks():
    sessions = sessions_frame(
        [
            on(
                0,
                pain_before=4,
                pain_during=2,
                pain_after=3,
                pain_next_morning=4,
                actual_minutes=20,
            ),
            on(2, pain_before=6, pain_during=5, pain_after=5, actual_minutes=30),
            on(
                15,
                pain_before=2,
                pain_during=1,
                pain_after=1,
                pain_next_morning=1,
                actual_minutes=10,
            ),
        ],
        target=2,
    )
    weekly = weekly_summary(sessions)
    assert list(weekly.columns) == list(WEEKLY_COLUMNS)
    assert list(weekly["sessions"]) == [2, 0, 1]
    assert list(weekly["adherence"]) == [1.0, 0.0, 0.5]
    assert list(weekly["minutes"]) == [50.0, 0.0, 10.0]
    first = weekly.iloc[0]
    assert first["pain_before_mean"] == 5.0
    assert first["pain_after_mean"] == 4.0
    assert first["pain_during_max"] == 5.0
    assert first["pain_next_morning_mean"] == 4.0  # the missing one is left out, not zero
    assert math.isnan(weekly.iloc[1]["pain_before_mean"])


def test_weekly_summary_extends_to_end_and_ignores_later_sessions():
    sessions = sessions_frame([on(0), on(1), on(30)])
    weekly = weekly_summary(sessions, end=(DAY0 + pd.Timedelta(days=20)).date())
    assert list(weekly["sessions"]) == [2, 0, 0]


def test_weekly_summary_of_no_sessions_is_an_empty_frame_with_the_columns():
    weekly = weekly_summary(sessions_frame([]))
    assert weekly.empty
    assert list(weekly.columns) == list(WEEKLY_COLUMNS)


def test_weekly_summary_refuses_a_frame_with_a_missing_column_naming_it():
    sessions = sessions_frame([on(0)]).drop(columns=["pain_after"])
    with pytest.raises(RequestError, match="pain_after"):
        weekly_summary(sessions)


def test_weekly_summary_refuses_more_than_one_patient():
    both = pd.concat([sessions_frame([on(0)], "ann"), sessions_frame([on(1)], "bob")])
    with pytest.raises(BacklibError, match="2 patients"):
        weekly_summary(both)


def test_next_morning_rising_needs_three_weekly_means_each_higher():
    def weekly(means):
        return pd.DataFrame({"pain_next_morning_mean": means})

    assert next_morning_rising(weekly([3.0, 4.0, 5.0]))
    assert next_morning_rising(weekly([6.0, 3.0, math.nan, 4.0, 5.0]))  # gaps are skipped
    assert not next_morning_rising(weekly([3.0, 4.0, 4.0]))
    assert not next_morning_rising(weekly([4.0, 5.0]))


# ----------------------------------------------------------------- baseline and change


def test_exactly_30_percent_drop_counts_as_meaningful():
    sessions = sessions_frame(
        [on(0, pain_before=5), on(7, pain_before=5), on(21, pain_before=4), on(27, pain_before=3)]
    )
    result = assess(sessions)
    assert result.baseline == 5.0
    assert result.current == 3.5
    assert result.change == pytest.approx(-1.5)
    assert result.change_pct == pytest.approx(-30.0)
    assert result.improved  # 1.5 points is under 2, but 30 % of 5 (Ostelo 2008)


def test_a_drop_just_under_30_percent_and_2_points_is_not_meaningful():
    sessions = sessions_frame(
        [
            on(0, pain_before=5),
            on(7, pain_before=5),
            on(20, pain_before=4),
            on(24, pain_before=4),
            on(27, pain_before=3),
        ]
    )
    result = assess(sessions)
    assert result.current == pytest.approx(11 / 3)
    assert not result.improved
    assert "not yet by a clinically meaningful amount" in result.message


def test_exactly_2_points_drop_counts_as_meaningful_even_under_30_percent():
    sessions = sessions_frame(
        [on(0, pain_before=8), on(7, pain_before=8), on(21, pain_before=6), on(27, pain_before=6)]
    )
    result = assess(sessions)
    assert result.change == -2.0
    assert result.change_pct == -25.0
    assert result.improved


def test_meaningful_drop_rule_and_its_smallest_drop():
    assert is_meaningful_drop(8, 6) and not is_meaningful_drop(8, 6.01)
    assert is_meaningful_drop(4, 2.8) and not is_meaningful_drop(4, 2.9)
    assert meaningful_drop_points(10) == 2.0
    assert meaningful_drop_points(5) == pytest.approx(1.5)


def test_baseline_and_current_windows_never_share_a_session():
    # 20 days of data: the current window starts after the 14-day baseline window.
    sessions = sessions_frame(
        [on(0, pain_before=6), on(10, pain_before=6), on(16, pain_before=2), on(19, pain_before=4)]
    )
    result = assess(sessions)
    assert result.baseline == 6.0
    assert result.current == 3.0


def test_fewer_than_two_weeks_gives_a_provisional_baseline_and_no_comparison():
    sessions = sessions_frame([on(0, pain_before=6), on(5, pain_before=4), on(13, pain_before=2)])
    result = assess(sessions)
    assert result.baseline == 4.0
    assert result.current is None and result.change is None and result.change_pct is None
    assert result.improved is False
    assert "still being set" in result.message


def test_no_sessions_gives_an_empty_assessment_with_a_message():
    result = assess(sessions_frame([]))
    assert result.baseline is None and result.current is None
    assert not result.improved and result.flags == ()
    assert "No sessions" in result.message


def test_end_date_limits_the_assessment_to_that_day():
    sessions = sessions_frame([on(0, pain_before=6), on(20, pain_before=2), on(40, pain_before=9)])
    result = assess(sessions, end=(DAY0 + pd.Timedelta(days=25)).date())
    assert result.current == 2.0
    assert result.sessions == 2


# ----------------------------------------------------------------- flags


def regular(weeks: int, per_week: int, **pains) -> list[dict]:
    gap = 7 // per_week
    return [on(w * 7 + i * gap, **pains) for w in range(weeks) for i in range(per_week)]


SIX_WEEKS_ON = (DAY0 + pd.Timedelta(days=41)).date()  # day 42 counting the first


def test_no_improvement_flag_after_6_weeks_of_regular_sessions():
    result = assess(sessions_frame(regular(6, 3, pain_before=6), target=3), end=SIX_WEEKS_ON)
    assert "no_improvement" in flag_codes(result)
    flag = next(f for f in result.flags if f.code == "no_improvement")
    assert "6 weeks" in flag.message


def test_no_improvement_flag_waits_for_6_weeks():
    result = assess(
        sessions_frame(regular(6, 3, pain_before=6), target=3),
        end=(DAY0 + pd.Timedelta(days=40)).date(),
    )
    assert "no_improvement" not in flag_codes(result)


def test_no_improvement_flag_needs_at_least_2_sessions_a_week():
    result = assess(sessions_frame(regular(8, 1, pain_before=6), target=1))
    assert "no_improvement" not in flag_codes(result)


def test_high_pain_flag_when_8_or_more_in_2_of_the_last_5_sessions():
    rows = [on(d, pain_before=3) for d in range(6)]
    rows[0]["pain_during"] = 9  # sixth from the end: outside the window
    rows[2]["pain_next_morning"] = 8
    result = assess(sessions_frame(rows))
    assert "high_pain" not in flag_codes(result)
    rows[4]["pain_during"] = 8
    result = assess(sessions_frame(rows))
    assert "high_pain" in flag_codes(result)


def test_rising_morning_pain_flag_on_three_rising_weekly_means():
    rows = [on(0, pain_next_morning=2), on(7, pain_next_morning=3), on(14, pain_next_morning=4)]
    assert "rising_morning_pain" in flag_codes(assess(sessions_frame(rows)))
    rows[2]["pain_next_morning"] = 3
    assert "rising_morning_pain" not in flag_codes(assess(sessions_frame(rows)))


def test_low_adherence_flag_below_half_of_target_over_the_last_4_weeks():
    # Target 3 a week -> 12 sessions in 28 days; 5 is 42 %, 6 is exactly 50 %.
    five = [on(d) for d in (0, 6, 12, 18, 27)]
    result = assess(sessions_frame(five, target=3))
    assert result.adherence_last_4_weeks == pytest.approx(5 / 12)
    assert "low_adherence" in flag_codes(result)
    six = [on(d) for d in (0, 5, 10, 15, 20, 27)]
    result = assess(sessions_frame(six, target=3))
    assert result.adherence_last_4_weeks == pytest.approx(0.5)
    assert "low_adherence" not in flag_codes(result)


def test_adherence_is_not_judged_in_the_first_two_weeks():
    result = assess(sessions_frame([on(0), on(10)], target=3))
    assert result.adherence_last_4_weeks is None
    assert "low_adherence" not in flag_codes(result)


def test_every_flag_has_a_plain_language_message():
    rows = regular(6, 3, pain_before=6, pain_next_morning=9)
    result = assess(sessions_frame(rows, target=7), end=SIX_WEEKS_ON)
    assert {"no_improvement", "high_pain", "low_adherence"} <= flag_codes(result)
    assert all(len(flag.message) > 40 for flag in result.flags)


def test_missing_next_morning_values_do_not_raise_or_flag():
    rows = [on(d, pain_before=5, pain_during=2, pain_after=3) for d in range(0, 42, 2)]
    result = assess(sessions_frame(rows))
    assert "rising_morning_pain" not in flag_codes(result)
    assert weekly_summary(sessions_frame(rows))["pain_next_morning_mean"].isna().all()


# ----------------------------------------------------------------- outcome measures


def outcomes(*rows) -> pd.DataFrame:
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


def test_outcome_changes_use_each_measures_own_threshold_and_direction():
    table = outcome_changes(
        outcomes(
            ("2027-01-01", "odi", 40),
            ("2027-02-01", "odi", 30),  # -10: the ODI MCID
            ("2027-01-01", "psfs", 3),
            ("2027-02-01", "psfs", 5),  # +2, higher is better
            ("2027-01-01", "rmdq", 20),
            ("2027-02-01", "rmdq", 16),  # -4 (20 %): under 5
        )
    ).set_index("measure")
    assert table.loc["odi", "improvement"] == 10.0 and table.loc["odi", "improved"]
    assert table.loc["psfs", "change"] == 2.0 and table.loc["psfs", "improved"]
    assert table.loc["rmdq", "improvement"] == 4.0 and not table.loc["rmdq", "improved"]


def test_outcome_change_of_30_percent_counts_for_odi_but_not_for_psfs():
    table = outcome_changes(
        outcomes(
            ("2027-01-01", "odi", 30),
            ("2027-02-01", "odi", 21),  # -9 points = -30 %
            ("2027-01-01", "psfs", 5),
            ("2027-02-01", "psfs", 3),  # worse by 2
        )
    ).set_index("measure")
    assert table.loc["odi", "improved"]
    assert not table.loc["psfs", "improved"]
    assert "worse" in table.loc["psfs", "note"]


def test_a_single_outcome_score_is_reported_without_a_verdict():
    table = outcome_changes(outcomes(("2027-01-01", "nprs", 6)))
    assert table["scores"].tolist() == [1]
    assert not table["improved"].iloc[0]
    assert "one score" in table["note"].iloc[0]


def test_outcome_changes_refuse_an_unknown_measure():
    with pytest.raises(RequestError, match="'vas'"):
        outcome_changes(outcomes(("2027-01-01", "vas", 40)))


def test_assess_includes_outcome_changes():
    sessions = sessions_frame([on(0, pain_before=5)])
    result = assess(sessions, outcomes(("2027-01-01", "odi", 40), ("2027-02-01", "odi", 28)))
    assert result.outcome_changes["improved"].tolist() == [True]


# ----------------------------------------------------------------- flare-ups


def test_flare_up_table_ranks_by_mean_next_morning_change_done_versus_not():
    sessions = sessions_frame(
        [
            on(0, pain_before=3, pain_next_morning=5),  # +2
            on(1, pain_before=3, pain_next_morning=3),  # 0
            on(2, pain_before=3, pain_next_morning=4),  # +1
            on(3, pain_before=3, pain_next_morning=2),  # -1
            on(4, pain_before=3),  # no next morning: left out
        ]
    )
    entries = entries_frame(
        [
            {"session_id": 1, "exercise_id": "a"},
            {"session_id": 1, "exercise_id": "b"},
            {"session_id": 2, "exercise_id": "b"},
            {"session_id": 2, "exercise_id": "a", "completed": False},  # not done
            {"session_id": 3, "exercise_id": "a"},
            {"session_id": 4, "exercise_id": "b"},
            {"session_id": 5, "exercise_id": "a"},
        ],
        sessions,
    )
    table = flare_up_exercises(sessions, entries)
    assert table["exercise_id"].tolist() == ["a", "b"]
    a, b = table.iloc[0], table.iloc[1]
    assert (a["sessions_done"], a["sessions_not_done"]) == (2, 2)
    assert a["mean_change_done"] == 1.5 and a["mean_change_not_done"] == -0.5
    assert a["difference"] == 2.0 and a["flare_ups_done"] == 1
    assert (b["sessions_done"], b["sessions_not_done"]) == (3, 1)
    assert b["mean_change_done"] == pytest.approx(1 / 3)
    assert b["difference"] == pytest.approx(1 / 3 - 1)
    assert table["small_sample"].all()


def test_flare_up_table_without_entries_is_empty():
    sessions = sessions_frame([on(0, pain_before=3, pain_next_morning=5)])
    empty = entries_frame([], sessions)
    empty = pd.DataFrame(columns=["session_id", "exercise_id", "completed"])
    assert flare_up_exercises(sessions, empty).empty


def test_end_accepts_a_plain_date():
    sessions = sessions_frame([on(0, pain_before=5)])
    assert assess(sessions, end=dt.date(2027, 3, 5)).weeks == pytest.approx(5 / 7)


def test_assessment_summary_lists_the_headline_figures():
    sessions = sessions_frame(
        [on(0, pain_before=8), on(7, pain_before=8), on(21, pain_before=6), on(27, pain_before=6)]
    )
    table = assess(sessions).summary().set_index("what")["value"]
    assert table["change (points)"] == "-2.0"
    assert table["change (%)"] == "-25"
    assert table["clinically meaningful improvement"] == "yes"
    assert table["adherence, last 4 weeks"] == "33%"


def test_demo_patients_from_a_real_store_give_assessments_doses_tables_and_charts(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'demo.db'}")
    ids = make_demo(store, patients=3, weeks=12, today=dt.date(2026, 11, 1))
    verdicts = []
    for patient_id in ids:
        sessions, entries = store.sessions(patient_id), store.entries(patient_id)
        outcomes_ = store.outcomes(patient_id)
        weekly = weekly_summary(sessions)
        assert weekly["sessions"].sum() == len(sessions)
        result = assess(sessions, outcomes_)
        verdicts.append(result.improved)
        assert result.baseline is not None and result.current is not None
        doses, decisions = next_doses(store, patient_id)
        assert set(decisions["decision"]) <= {"progress", "hold", "regress"}
        assert set(doses) <= set(entries["exercise_id"])
        flare = flare_up_exercises(sessions, entries)
        assert set(flare["exercise_id"]) == set(entries["exercise_id"])
        figures = [
            charts.pain_trend_figure(sessions, result),
            charts.pain_before_after_figure(sessions),
            charts.adherence_calendar_figure(sessions),
            charts.minutes_by_category_figure(sessions, entries, store.catalog),
            charts.outcomes_figure(outcomes_),
            charts.dose_figure(entries, decisions["exercise_id"].iloc[0], decisions, store.catalog),
        ]
        for figure in figures:
            assert not any("not enough data" in (a.text or "") for a in figure.layout.annotations)
    assert verdicts[0] is True  # the "improving" story improves meaningfully
    store.close()

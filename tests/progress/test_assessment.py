"""Rules of backlib.progress.assess, each checked on a small frame with a hand-computed answer."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from progress_frames import DAY0, on, outcomes, sessions_frame

from backlib.progress import (
    assess,
    is_meaningful_drop,
    meaningful_drop_points,
    weekly_summary,
)


def flag_codes(assessment) -> set[str]:
    return {flag.code for flag in assessment.flags}


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


def test_end_accepts_a_plain_date():
    sessions = sessions_frame([on(0, pain_before=5)])
    assert assess(sessions, end=dt.date(2027, 3, 5)).weeks == pytest.approx(5 / 7)


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


# ----------------------------------------------------------------- outcomes and summary


def test_assess_includes_outcome_changes():
    sessions = sessions_frame([on(0, pain_before=5)])
    result = assess(sessions, outcomes(("2027-01-01", "odi", 40), ("2027-02-01", "odi", 28)))
    assert result.outcome_changes["improved"].tolist() == [True]


def test_a_meaningful_outcome_worsening_raises_a_clinician_flag():
    sessions = sessions_frame([on(0, pain_before=5)])
    result = assess(
        sessions,
        outcomes(
            ("2027-01-01", "odi", 30),
            ("2027-02-01", "odi", 42),  # worse by 12: over the MCID and the MDC (10)
            ("2027-01-01", "rmdq", 8),
            ("2027-02-01", "rmdq", 11),  # worse by 3: under both, no flag for it
        ),
    )
    (flag,) = [flag for flag in result.flags if flag.code == "outcome_worse"]
    assert "Oswestry (ODI %) 30 → 42" in flag.message
    assert "Roland-Morris" not in flag.message


def test_an_outcome_worsening_below_the_mdc_raises_no_flag():
    result = assess(
        sessions_frame([on(0, pain_before=5)]),
        outcomes(("2027-01-01", "odi", 30), ("2027-02-01", "odi", 39)),
    )
    assert "outcome_worse" not in flag_codes(result)


def test_an_outcome_worsening_is_flagged_before_any_session_is_logged():
    result = assess(
        sessions_frame([]),
        outcomes(("2027-01-01", "psfs", 6), ("2027-02-01", "psfs", 3)),
    )
    assert flag_codes(result) == {"outcome_worse"}


def test_assessment_summary_lists_the_headline_figures():
    sessions = sessions_frame(
        [on(0, pain_before=8), on(7, pain_before=8), on(21, pain_before=6), on(27, pain_before=6)]
    )
    table = assess(sessions).summary().set_index("what")["value"]
    assert table["change (points)"] == "-2.0"
    assert table["change (%)"] == "-25"
    assert table["clinically meaningful improvement"] == "yes"
    assert table["adherence, last 4 weeks"] == "33%"


def test_the_summary_rounds_a_pain_mean_half_up_as_the_report_does():
    # First 2 weeks 5, 5, 5, 6: a baseline of exactly 5.25, which Python's format gives as 5.2.
    pains = [(0, 5), (2, 5), (4, 5), (6, 6), (21, 4), (27, 4)]
    sessions = sessions_frame([on(day, pain_before=pain) for day, pain in pains])
    result = assess(sessions)
    assert result.baseline == pytest.approx(5.25)
    table = result.summary().set_index("what")["value"]
    assert table["pain before exercise, first 2 weeks"] == "5.3"
    assert table["change (points)"] == "-1.3"  # 4.0 - 5.25 = -1.25, half up (away from 0)
    assert "5.3/10 in the first 2 weeks" in result.message

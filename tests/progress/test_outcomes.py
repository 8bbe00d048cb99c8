"""Rules of backlib.progress.outcome_changes: each measure's own threshold and direction."""

from __future__ import annotations

import pytest
from progress_frames import outcomes

from backlib.errors import RequestError
from backlib.progress import outcome_changes
from backlib.progress.outcomes import outcome_verdict


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


def test_a_30_percent_fall_counts_only_when_it_also_reaches_the_mdc():
    table = outcome_changes(
        outcomes(
            ("2027-01-01", "odi", 30),
            ("2027-02-01", "odi", 21),  # -9 points = -30 %, under the ODI MDC of 10
            ("2027-01-01", "rmdq", 13),
            ("2027-02-01", "rmdq", 9),  # -4 = -31 %: reaches 30 % and the RMDQ MDC of 4
        )
    ).set_index("measure")
    assert table.loc["odi", "verdict"] == "no_reliable_change"
    assert not table.loc["odi", "improved"]
    assert table.loc["rmdq", "verdict"] == "improved"
    assert table.loc["rmdq", "improved"]


def test_rmdq_3_to_2_is_not_meaningful_although_it_is_a_33_percent_fall():
    table = outcome_changes(outcomes(("2027-01-01", "rmdq", 3), ("2027-02-01", "rmdq", 2)))
    row = table.iloc[0]
    assert row["improvement"] == 1.0  # 33 % of 3: the old relative rule called this meaningful
    assert row["verdict"] == "no_reliable_change" and not row["improved"]
    assert row["mdc"] == 4.0
    assert "cannot show an improvement" in row["note"]  # a first score under 4 (Stratford)


def test_a_worsening_by_the_mcid_and_the_mdc_gets_its_own_verdict():
    table = outcome_changes(
        outcomes(
            ("2027-01-01", "psfs", 5),
            ("2027-02-01", "psfs", 3),  # worse by 2 = MCID 2 = MDC 2
            ("2027-01-01", "odi", 20),
            ("2027-02-01", "odi", 29),  # worse by 9: under 10
        )
    ).set_index("measure")
    assert table.loc["psfs", "verdict"] == "worsened"
    assert table.loc["psfs", "worsened"] and not table.loc["psfs", "improved"]
    assert table.loc["psfs", "note"].startswith("meaningful worsening: worse by 2")
    assert table.loc["odi", "verdict"] == "no_reliable_change"
    assert not table.loc["odi", "worsened"]


def test_pain_change_must_exceed_its_mdc_of_1_77_points():
    assert outcome_verdict("nprs", 5, 3.5)[0] == "no_reliable_change"  # 30 % but 1.5 < 1.77
    assert outcome_verdict("nprs", 6, 4)[0] == "improved"  # 2 points >= MCID 2 and MDC 1.77
    assert outcome_verdict("nprs", 9, 7.2)[0] == "no_reliable_change"  # 1.8: 20 %, under 2
    assert outcome_verdict("nprs", 3, 5)[0] == "worsened"  # +2: the MCID and over the MDC


def test_a_change_as_large_as_the_mdc_is_beyond_measurement_error():
    # The MDC is the smallest change that exceeds measurement error: ODI 40 -> 30 reaches both
    # the MCID and the MDC (10 points each) and counts; 40 -> 31 does not.
    assert outcome_verdict("odi", 40, 30)[0] == "improved"
    assert outcome_verdict("odi", 40, 31)[0] == "no_reliable_change"
    assert outcome_verdict("rmdq", 20, 15)[0] == "improved"  # 5 = MCID, over the MDC of 4
    assert outcome_verdict("rmdq", 10, 15)[0] == "worsened"


def test_a_first_score_near_the_ceiling_cannot_show_a_worsening():
    verdict, note = outcome_verdict("rmdq", 22, 23)
    assert verdict == "no_reliable_change"
    assert "cannot show a worsening" in note


def test_the_verdict_refuses_an_unknown_measure():
    with pytest.raises(RequestError) as caught:
        outcome_verdict("vas", 40, 30)
    assert caught.value.field == "measure"


def test_a_single_outcome_score_is_reported_without_a_verdict():
    table = outcome_changes(outcomes(("2027-01-01", "nprs", 6)))
    assert table["scores"].tolist() == [1]
    assert not table["improved"].iloc[0]
    assert "one score" in table["note"].iloc[0]


def test_outcome_changes_refuse_an_unknown_measure():
    with pytest.raises(RequestError, match="'vas'"):
        outcome_changes(outcomes(("2027-01-01", "vas", 40)))

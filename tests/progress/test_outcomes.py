"""Rules of backlib.progress.outcome_changes: each measure's own threshold and direction."""

from __future__ import annotations

import pytest
from progress_frames import outcomes

from backlib.errors import RequestError
from backlib.progress import outcome_changes


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

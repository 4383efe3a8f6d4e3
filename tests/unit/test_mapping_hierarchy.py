"""The list-structure features of the mapping (hierarchy.py): families over the objective
hierarchy and the partner match taken from the activity list's own partner column."""

import numpy as np

from assistant.features.mapping.hierarchy import families, family_max, partner_match
from assistant.features.mapping.models import Activity, Objective

OBJECTIVES = [Objective("L1", "Sea lanes in Alba and Bree are safe."), Objective("L1-1", "Alba's navy sees ships.", parent="L1"),
              Objective("L1-2", "Bree boards ships.", parent="L1"), Objective("L2", "Ministries manage money."),
              Objective("L2-1", "Budgets are kept.", parent="L2")]


def test_a_family_is_the_parent_its_children_and_no_other_line():
    assert families(OBJECTIVES) == [[0, 1, 2], [0, 1, 2], [0, 1, 2], [3, 4], [3, 4]]
    matrix = np.array([[0.1, 0.9, 0.2, 0.3, 0.0]])
    assert family_max(matrix, OBJECTIVES).tolist() == [[0.9, 0.9, 0.9, 0.3, 0.3]]


def test_partner_match_uses_the_lists_partner_names_and_the_nearest_objective_naming_one():
    activities = [Activity("X1", "Radar course", partner="Alba"), Activity("X2", "Boat spares", partner="Bree; Cato"),
                  Activity("X3", "Budget advisor", partner="Cato"), Activity("X4", "Seminar")]
    out = partner_match(activities, OBJECTIVES)
    # L1 names Alba and Bree; L1-1 names Alba and L1-2 Bree (their own names, not L1's); L2 none
    assert out[0].tolist() == [1, 1, -1, 0, 0]
    assert out[1].tolist() == [1, -1, 1, 0, 0]
    assert out[2].tolist() == [-1, -1, -1, 0, 0]  # the objective names only other partners of the list
    assert out[3].tolist() == [0, 0, 0, 0, 0]  # an activity with no partner is never held against an objective


def test_the_bridge_reads_no_support_in_a_gap_or_a_denial():
    """A sentence that reports an objective as a gap ("No nomination addresses IMO 4.3") or
    denies a link names the objective nothing serves: the bridge must not carry it to the
    activities whose passages hold it."""
    from types import SimpleNamespace

    from assistant.features.mapping.evidence import id_pattern
    from assistant.features.mapping.features import objectives_named

    pattern = id_pattern(["IMO 4.1", "IMO 4.3", "IMO 2.1"])
    text = ("The warehouse supports IMO 4.1. No nomination addresses IMO 4.3 (access agreements). "
            "Gap: IMO 2.1 has no resourced activity. The concert is not linked to IMO 2.1.")
    assert objectives_named(SimpleNamespace(text=text), pattern) == {"IMO 4.1"}


def test_an_activitys_purpose_leaves_out_its_kind_and_authority():
    """The similarity reads what an activity is for: "IMET" and "10 U.S.C. 333" are shared by
    activities of every theme."""
    activity = Activity("X1", "Imagery analyst course seats", type="IMET", authority="IMET",
                        description="Two seats at the imagery analysis course.")
    assert activity.purpose == "Imagery analyst course seats. Two seats at the imagery analysis course."
    assert "IMET" in activity.text and "IMET" not in activity.purpose

"""The site profile says what a presence row with an unread end date or a planned row without a start does
(the presence model's new states, F1): before, both fell through to 'serving (no end date)', the opposite of
what the gap matrix counts."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dsdash.map.profile import partner_state


def test_an_unread_end_and_a_planned_row_are_not_shown_as_serving():
    on = dt.date(2024, 6, 1)
    assert partner_state(pd.Timestamp("2024-01-01"), pd.NaT, "end_unknown", on) == \
        "end date not read: not counted as serving"
    assert partner_state(pd.NaT, pd.NaT, "planned", on) == "planned, not started (no start date)"
    assert partner_state(pd.NaT, pd.NaT, "active", on) == "serving (no end date)"

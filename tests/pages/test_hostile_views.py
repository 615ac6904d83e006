"""Pages against what the hostile-file audit found (issue 14): partner dates 9999-12-31 ("open-ended")
and 0001-01-01 on Gaps, a duplicated filter in the URL on Gaps, Site map and Meeting pack."""

from __future__ import annotations

import numpy as np
import pytest

from dsdash.dataset import load_embedded
from ui.state import ACTIVE_KEY


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_gaps_takes_extreme_partner_dates(run_page, day):
    ds = load_embedded()
    presence = ds.presence.copy()
    col = "end_date" if day.startswith("9") else "start_date"
    presence.loc[presence.index[:3], col] = np.datetime64(day, "s")
    at = run_page("gaps.py", session={ACTIVE_KEY: ds.with_tables(presence=presence)}, timeout=90)
    assert at.title[0].value == "Gaps and partner exits"


@pytest.mark.parametrize("page", ["gaps.py", "map.py", "meeting.py"])
def test_a_duplicated_filter_in_the_url_is_read_once(run_page, page):
    at = run_page(page, query={"services": "water,water", "site_group": "Rutba,Rutba"}, timeout=90)
    assert not at.exception

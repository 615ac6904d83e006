"""F2 (H2 LOW 3): footnote rows of a wide FVM table are notes, not data rows.

A footnote row ("* Households who departed …") is neither a figure row nor an error: it is
not counted in rows in (like a blank row or a totals row), its text is a note of the report,
and it becomes the note of the figures its mark points at (DESIGN §4: shown, not hidden).
"""

import pandas as pd

from dsdash.importers import import_file
from dsdash.trends.fvm import fvm_footnotes
from tests.unit.importers.test_f2_wide_tables import workbook

STAR = "* Households who departed late 2021 and 2022 received cash grants in 2022 and 2023 respectively."
STARS = "** 39 housing reparation and reconstruction works still ongoing in 2023."


def test_footnote_rows_are_notes_not_accepted_rows(ds):
    res = import_file(workbook("Programme statistics"), "f1d.xlsx")
    rep = res.report
    # 6 indicator rows; the totals row (11) and the footnotes (13, 14) are not data rows
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (6, 6, 0)
    assert f"row 13 is a footnote, kept as a note (not a data row): {STAR}" in rep.notes
    assert f"row 14 is a footnote, kept as a note (not a data row): {STARS}" in rep.notes
    f = res.tables["fvm"]
    notes = dict(zip(zip(f["indicator"], f["period_label"]), f["note"]))
    assert notes[("cash_grants", "2022")] == STAR  # marked on the label (and on the cell: one note)
    assert notes[("housing_repairs_completed", "2022")] == STARS
    assert pd.isna(notes[("housing_repairs_completed", "2020-2021")])  # no mark: no note
    shown = fvm_footnotes(ds.with_tables(fvm=f))
    assert shown[0] == STAR and shown[1] == STARS

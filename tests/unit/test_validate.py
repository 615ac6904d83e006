import pandas as pd

from dsdash.schema import POPULATION, PRESENCE
from dsdash.validate import validate_table


def test_rows_are_accounted_for_and_problems_are_located():
    raw = pd.DataFrame(
        {
            "site_id": ["a", "b", "", "d", "e"],
            "population_group": ["idp", "idp", "idp", "refugee", "idp"],
            "households": ["10", "x", "3", "4", "1.200"],
            "individuals": ["60", "6", "18", "24", "7,200"],
            "individuals_method": ["hh_x6"] * 5,
            "reference_date": ["2023-12-10"] * 5,
            "source": ["test"] * 5,
        }
    )
    df, rep = validate_table(raw, POPULATION, file="pop.csv", sheet="Sheet1")
    assert rep.rows_in == 5 and rep.rows_accepted == 2 and rep.rows_rejected == 3
    assert list(df["site_id"]) == ["a", "e"]
    assert df["individuals"].tolist() == [60, 7200]
    msgs = {(p.row, p.column, p.level) for p in rep.problems}
    assert (3, "households", "error") in msgs  # 'x'
    assert (4, "site_id", "error") in msgs  # empty required
    assert (5, "population_group", "error") in msgs  # not in vocabulary
    assert (6, "households", "warning") in msgs  # 1.200
    assert all(p.file == "pop.csv" and p.sheet == "Sheet1" for p in rep.problems)
    assert "row 3" in str(rep.errors[0]) or "row 4" in str(rep.errors[0])


def test_missing_required_column_rejects_every_row():
    raw = pd.DataFrame({"partner": ["A"], "source": ["s"]})
    df, rep = validate_table(raw, PRESENCE, file="p.csv")
    assert df.empty and rep.rows_rejected == 1 and rep.rows_in == 1
    assert any(p.column == "service" and "missing" in p.reason for p in rep.problems)


def test_duplicate_keys_rejected_with_row_number():
    raw = pd.DataFrame({"site_id": ["a", "a"], "population_group": ["idp", "idp"], "households": ["1", "2"],
                        "individuals": ["6", "12"], "individuals_method": ["hh_x6"] * 2,
                        "reference_date": ["2024-01-01"] * 2, "source": ["s"] * 2})
    df, rep = validate_table(raw, POPULATION, file="d.csv")
    assert len(df) == 1 and rep.rows_rejected == 1
    assert rep.errors[0].row == 3 and "duplicate" in rep.errors[0].reason

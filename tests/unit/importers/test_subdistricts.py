"""Sub-district severity scores (the hotspot rule's input) read through the shared readers:
drifting headers, encodings, XLSX, and the files refused."""

from dsdash.importers.readers import MAX_BYTES
from dsdash.importers.subdistricts import read_subdistrict_file
from dsdash.schema import SUBDISTRICT_SEVERITY
from dsdash.trends import hotspots as H
from tests.support.dtm_fixtures import xlsx_bomb, xlsx_bytes, xlsx_with_entities

SUBDISTRICT_ROWS = [
    ["Governorate", "Sub-district", "Livelihoods and basic services", "Safety and social cohesion", "Returnees"],
    ["نينوى", "مركز سنجار", "High", "Low", 45_000],
    ["الأنبار", "مركز هيت", "Medium", "Medium", 60_000],
    ["الأنبار", "الفرات", "medium severity", "low", 59_999],
]


def test_read_subdistrict_file_csv_with_drifting_headers():
    data = ("Governorate,Sub-district,Livelihoods and basic services,Safety and social cohesion,Returnees\n"
            "Ninewa,Markaz Sinjar,High,Low,\"45,000\"\n"
            "Anbar,Markaz Heet,Medium,Medium,60000\n"
            "Anbar,Al-Forat,Medium severity,low,59999\n"
            "Diyala,Jalula,purple,low,1000\n").encode("utf-8-sig")
    df, rep = read_subdistrict_file(data, "subdistricts.csv")
    assert rep.rows_in == 4 and rep.rows_accepted == 3 and rep.rows_rejected == 1
    err = rep.errors[0]
    assert err.row == 5 and err.column == "livelihoods_severity" and "purple" in err.reason
    assert list(df.columns[:6]) == SUBDISTRICT_SEVERITY.column_names
    out = H.apply_hotspot_rule(df).set_index("admin3_name")
    assert out.loc["Markaz Sinjar", "hotspot"] and out.loc["Markaz Heet", "hotspot"]
    assert not out.loc["Al-Forat", "hotspot"]
    assert int(out.loc["Markaz Sinjar", "returnees"]) == 45_000


def test_read_subdistrict_file_unreadable_and_missing_column():
    df, rep = read_subdistrict_file(b"\x00\x01\x02", "broken.xlsx")
    assert df.empty and rep.errors and "cannot read" in rep.errors[0].reason
    df, rep = read_subdistrict_file(b"foo,bar\n1,2\n", "wrong.csv")
    assert df.empty and rep.rows_rejected == 1 and "admin3_name" in rep.errors[0].reason


def test_subdistrict_windows_1256_csv():
    text = "\n".join(",".join(str(v) for v in r) for r in SUBDISTRICT_ROWS) + "\n"
    df, rep = read_subdistrict_file(text.encode("cp1256"), "scores.csv")
    assert rep.encoding == "windows-1256" and (rep.rows_in, rep.rows_accepted) == (3, 3), rep.problems
    assert df["admin3_name"].tolist() == ["مركز سنجار", "مركز هيت", "الفرات"]
    assert df["admin1_name"].tolist() == ["نينوى", "الأنبار", "الأنبار"]
    assert df["livelihoods_severity"].tolist() == ["high", "medium", "medium"]


def test_subdistrict_utf16_csv_with_a_blank_line_above_the_header():
    text = "\n" + "\n".join("\t".join(str(v) for v in r) for r in SUBDISTRICT_ROWS) + "\n"
    df, rep = read_subdistrict_file(text.encode("utf-16"), "scores.txt")
    assert rep.encoding == "utf-16" and rep.rows_accepted == 3, rep.problems
    assert int(df["returnees"].sum()) == 164_999


def test_subdistrict_xlsx():
    rows = SUBDISTRICT_ROWS + [["Diyala", "Jalula", "purple", "low", 1000]]
    df, rep = read_subdistrict_file(xlsx_bytes({"Scores": rows}), "scores.xlsx")
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (4, 3, 1)
    err = rep.errors[0]
    assert (err.row, err.column, err.sheet) == (5, "livelihoods_severity", "Scores") and "purple" in err.reason
    assert df["returnees"].tolist() == [45_000, 60_000, 59_999]


def test_subdistrict_xlsx_bomb_is_refused_before_parsing():
    df, rep = read_subdistrict_file(xlsx_bomb(xlsx_bytes({"Scores": SUBDISTRICT_ROWS})), "scores.xlsx")
    assert df.empty and rep.rows_in == 0
    assert "cannot read" in rep.errors[0].reason and "decompression bomb" in rep.errors[0].reason


def test_subdistrict_xlsx_with_a_dtd_is_refused():
    df, rep = read_subdistrict_file(xlsx_with_entities(xlsx_bytes({"Scores": SUBDISTRICT_ROWS})), "scores.xlsx")
    assert df.empty and "Entit" in rep.errors[0].reason


def test_subdistrict_file_too_large_or_not_a_table():
    df, rep = read_subdistrict_file(b"a" * (MAX_BYTES + 1), "big.csv")
    assert df.empty and "the limit is" in rep.errors[0].reason
    df, rep = read_subdistrict_file(b'{"type": "FeatureCollection", "features": []}', "areas.geojson")
    assert df.empty and "not a table" in rep.errors[0].reason

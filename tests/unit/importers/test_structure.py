"""The shape of real files is normal, not an error: leading unnamed index columns, trailing blank or
NaN rows, the header repeated in the middle of a file, columns in any order, and extra columns of any
type and content. Each is built as real CSV and XLSX bytes, for Master Lists, presence sheets and
tables of ours; totals stay exact and rows in = accepted + rejected."""

import datetime as dt
import random

import pytest

from dsdash.dataset import load_embedded
from dsdash.export import to_csv_bytes
from dsdash.importers import import_file
from tests.support.dtm_fixtures import GENERATIONS, locations, table_bytes

FORMATS = ["csv", "xlsx"]
FILE = "IDP_Master_List_Round130_2023-07-31"


def master_list_rows(n: int = 30, gen: str = "2023", seed: int = 3):
    """Header and rows of a plain Master List, and its households and individuals."""
    locs = locations(n, seed=seed)
    h = GENERATIONS[gen]
    head = [h["id"], h["gov"], h["dist"], h["name"], h["ar"], h["lat"], h["lon"], h["hh"], h["ind"]]
    rows = [[r.place_id, r.gov, r.district, r.name, r.name_ar, r.lat, r.lon, r.households, r.individuals]
            for r in locs.itertuples(index=False)]
    return head, rows, int(locs["households"].sum()), int(locs["individuals"].sum())


def load(rows, fmt, name=FILE, **kw):
    res = import_file(table_bytes(rows, fmt), f"{name}.{fmt}", **kw)
    rep = res.report
    assert rep.rows_in == rep.rows_accepted + rep.rows_rejected
    return res, rep


def sums(res):
    pop = res.tables["population"]
    return int(pop["households"].sum()), int(pop["individuals"].sum())


def clean(rep, n):
    """Every row in, none rejected, no error."""
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (n, n, 0), rep.problems[:5]
    assert not rep.errors, rep.errors[:5]


PRESENCE_HEAD = ["Organisation", "Sector", "Governorate", "District", "Site name", "Start date", "End date"]
PRESENCE_ROWS = [
    ["UNHCR", "Shelter/NFI", "Anbar", "", "", "2023-01-01", "2024-04-30"],
    ["IRC", "WASH", "Ninewa", "Mosul", "Hay Nour 1", "01/04/2023", "ongoing"],
    ["NRC", "ICLA", "Dahuk", "Sumel", "", "Mar-2023", ""],
    ["Directorate of Water", "water trucking", "Anbar", "Falluja", "", "2023-05-15", "Dec 2024"],
    ["UNICEF", "Education", "Erbil", "", "", "2022-09-01", "2023-06-30"],
]


def presence_load(rows, fmt):
    res, rep = load(rows, fmt, name="anbar_4w")
    assert res.kind == "presence", rep.problems[:3]
    return res, rep


# --------------------------------------------------------------------------- leading unnamed index columns
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("index_heads", [[""], ["Unnamed: 0"], ["", ""], ["", "Unnamed: 0"]],
                         ids=["blank", "unnamed", "two-blank", "blank-unnamed"])
def test_leading_unnamed_index_columns(fmt, index_heads):
    head, rows, hh, ind = master_list_rows()
    k = len(index_heads)
    data = [index_heads + head] + [[i] * k + r for i, r in enumerate(rows)]
    res, rep = load(data, fmt)
    clean(rep, len(rows))
    assert sums(res) == (hh, ind)
    assert res.tables["sites"]["site_id"].iat[0] == str(rows[0][0])  # the index is not taken for the Place ID
    # with title rows above, an index column whose cells are the row numbers from 1, and a totals row
    data = [["IOM Iraq - Displacement Tracking Matrix"], ["IDP Master List - Round 130 - July 2023"], []]
    data += [index_heads + head] + [[i + 1] * k + r for i, r in enumerate(rows)]
    data += [[""] * k + ["", "Total", "", "", "", "", "", hh, ind]]
    res, rep = load(data, fmt, name="master_list")
    clean(rep, len(rows))
    assert sums(res) == (hh, ind)
    assert any("totals row" in p.reason for p in rep.warnings)
    # a presence sheet too
    pdata = [index_heads + PRESENCE_HEAD] + [[i] * k + r for i, r in enumerate(PRESENCE_ROWS)]
    res, rep = presence_load(pdata, fmt)
    clean(rep, len(PRESENCE_ROWS))
    assert res.tables["presence"]["partner"].tolist() == [r[0] for r in PRESENCE_ROWS]


# --------------------------------------------------------------------------- trailing blank or NaN rows
NAN_ROWS = {
    "csv": [[""], [" "], ["nan"], ["NaN"], ["<NA>"], ["NULL"], ["#N/A"], ["-"]],
    "xlsx": [[None], [" "], ["nan"], ["NaN"], ["#N/A"], ["-"], [float("nan")]],
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_trailing_blank_and_nan_rows(fmt):
    head, rows, hh, ind = master_list_rows()
    width = len(head)
    tail = [cell * width for cell in NAN_ROWS[fmt]]
    tail.append([float("nan"), "nan", "", "NaN", None, "nan", "", "nan", "NaN"])  # mixed, as pandas writes
    res, rep = load([head] + rows + tail, fmt)
    clean(rep, len(rows))
    assert sums(res) == (hh, ind)
    # an index column that runs on into the NaN rows (a DataFrame written with its index)
    data = [[""] + head] + [[i] + r for i, r in enumerate(rows)] + [[len(rows) + i] + t for i, t in enumerate(tail)]
    res, rep = load(data, fmt)
    clean(rep, len(rows))
    assert sums(res) == (hh, ind)
    # blank and NaN rows in the middle of the data are skipped too, and a totals row under them still found
    mid = rows[:10] + tail[:3] + rows[10:] + tail[3:5] + [["", "Total", "", "", "", "", "", hh, ind]] + tail[5:]
    res, rep = load([head] + mid, fmt)
    clean(rep, len(rows))
    assert sums(res) == (hh, ind) and any("totals row" in p.reason for p in rep.warnings)
    # presence
    ptail = [cell * len(PRESENCE_HEAD) for cell in NAN_ROWS[fmt]]
    res, rep = presence_load([PRESENCE_HEAD] + PRESENCE_ROWS + ptail, fmt)
    clean(rep, len(PRESENCE_ROWS))


def test_a_row_with_a_place_and_nan_counts_is_still_rejected():
    """A row is blank only when every cell is: 'nan' counts beside a place are an error on that row."""
    head, rows, hh, ind = master_list_rows(5)
    bad = list(rows[0])
    bad[0], bad[-2], bad[-1] = 999, "nan", "nan"
    res, rep = load([head] + rows + [bad], "csv")
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (6, 5, 1)
    assert sums(res) == (hh, ind)


# --------------------------------------------------------------------------- repeated header rows
@pytest.mark.parametrize("fmt", FORMATS)
def test_repeated_header_rows_are_skipped_and_noted(fmt):
    head, rows, hh, ind = master_list_rows(30)
    titles = [["IOM Iraq - Displacement Tracking Matrix"], ["IDP Master List - Round 130 - July 2023"], []]
    # the header again every 10 rows (a sheet printed with its header on every page), once with its
    # title lines above it (two files pasted one under the other), once in another generation's spelling
    other = [GENERATIONS["2016"][k] for k in ("id", "gov", "dist", "name", "ar", "lat", "lon", "hh", "ind")]
    data = titles + [head] + rows[:10] + [head] + rows[10:20] + titles + [head] + rows[20:25] + [other] + rows[25:]
    res, rep = load(data, fmt, name="master_list")
    clean(rep, 30)  # repeated headers (and their titles) are neither rows in nor rejections
    assert sums(res) == (hh, ind)
    note = next(n for n in rep.notes if "repeat" in n)
    assert "3 rows 15, 29, 35 repeat the header" in note and "2 title rows" in note and "not counted" in note
    assert not [p for p in rep.problems if p.row in (15, 26, 27, 29, 35)]
    # the first header's rows stay where they are: row numbers in sources are the file's
    src = res.tables["population"]["source"]
    assert src.iat[10].endswith("row 16") and src.iat[20].endswith("row 30")


@pytest.mark.parametrize("fmt", FORMATS)
def test_repeated_header_in_presence_and_with_hxl(fmt):
    hxl = ["#org+name", "#sector", "#adm1+name", "#adm2+name", "#loc+name", "#date+start", "#date+end"]
    data = [PRESENCE_HEAD, hxl] + PRESENCE_ROWS[:2] + [PRESENCE_HEAD, hxl] + PRESENCE_ROWS[2:4] + [hxl] \
        + PRESENCE_ROWS[4:]
    res, rep = presence_load(data, fmt)
    clean(rep, 5)
    assert res.tables["presence"]["service"].tolist() == ["shelter_nfi", "water", "protection_legal", "water",
                                                          "education"]
    assert any("rows 5, 9 repeat the header" in n for n in rep.notes), rep.notes


def test_repeated_header_in_a_table_of_ours():
    sites = load_embedded().tables["sites"].head(6)
    lines = to_csv_bytes(sites).decode("utf-8-sig").splitlines()
    data = "\r\n".join(lines[:4] + [lines[0]] + lines[4:] + [",,,", "nan,nan"]).encode()
    res = import_file(data, "sites.csv")
    assert res.kind == "table:sites"
    assert (res.report.rows_in, res.report.rows_accepted) == (6, 6) and not res.report.errors
    assert any("row 5 repeats the header" in n for n in res.report.notes)


# --------------------------------------------------------------------------- columns in any order
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("gen", list(GENERATIONS))
def test_columns_in_any_order(fmt, gen):
    head, rows, hh, ind = master_list_rows(25, gen=gen, seed=5)
    order = list(range(len(head)))
    random.Random(gen).shuffle(order)
    data = [[head[j] for j in order]] + [[r[j] for j in order] for r in rows]
    res, rep = load(data, fmt, name="IDP_Master_List_2023-07-31", population_group="idp")
    clean(rep, 25)
    assert sums(res) == (hh, ind)
    sites = res.tables["sites"].set_index("site_id")
    first = rows[0]
    assert sites.loc[str(first[0]), "site_name"] == first[3] and sites.loc[str(first[0]), "site_name_ar"] == first[4]
    assert sites.loc[str(first[0]), "latitude"] == pytest.approx(first[5])
    order = list(range(len(PRESENCE_HEAD)))
    random.Random(fmt).shuffle(order)
    res, rep = presence_load([[PRESENCE_HEAD[j] for j in order]] + [[r[j] for j in order] for r in PRESENCE_ROWS],
                             fmt)
    clean(rep, 5)
    assert res.tables["presence"]["partner"].tolist() == [r[0] for r in PRESENCE_ROWS]


# --------------------------------------------------------------------------- extra columns of any type
def extra_columns(n: int, fmt: str, seed: int = 0) -> tuple[list, list[list]]:
    """Extra columns a file may carry: headers of text, numbers, dates or nothing; cells of any kind."""
    rng = random.Random(seed)
    heads = ["Remarks", "Last update", 2019, "", "Score", "Unnamed: 14", "Column1", "KI contact", "Checked?", "Notes",
             "Remarks"]  # the same extra header twice too
    if fmt == "xlsx":
        heads[1] = dt.datetime(2019, 4, 30)  # a date as a header cell

    def cell(k: int, i: int):
        return [
            lambda: rng.choice(["ok", "", "to verify", "نعم", "N/A", "#REF!", "=SUM(A1:A3)", "1,2,3"]),
            lambda: rng.choice(["Apr 30, 2019", "30-Apr-19", "2019/04/30", "30.04.2019", "20190430", "ongoing",
                                "not a date", ""]) if fmt == "csv" or rng.random() < 0.5
            else dt.datetime(2019, 4, 30) + dt.timedelta(days=i),
            lambda: rng.uniform(-1e6, 1e6),
            lambda: rng.choice([None, "", 7, "x"]),
            lambda: rng.choice([1.5, "14.5", "-3", "abc", "", "1e400"]),
            lambda: None,
            lambda: rng.randint(0, 10**12),
            lambda: "+964 750 " + str(rng.randint(1000000, 9999999)),
            lambda: rng.choice([True, False, "yes", "لا"]),
            lambda: "x" * rng.randint(0, 300),
            lambda: rng.choice(["a", None]),
        ][k]()

    return heads, [[cell(k, i) for k in range(len(heads))] for i in range(n)]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("where", ["after", "before", "between"])
def test_extra_columns_of_any_type_and_content(fmt, where):
    head, rows, hh, ind = master_list_rows(30, seed=9)
    xh, xr = extra_columns(len(rows), fmt, seed=len(where))
    cut = {"after": len(head), "before": 0, "between": 4}[where]
    data = [head[:cut] + xh + head[cut:]] + [r[:cut] + x + r[cut:] for r, x in zip(rows, xr)]
    res, rep = load(data, fmt)
    clean(rep, 30)
    assert sums(res) == (hh, ind)
    sites = res.tables["sites"]
    assert sites["site_id"].tolist()[:3] == [str(r[0]) for r in rows[:3]]
    # presence, with the same extra columns
    xh, xr = extra_columns(len(PRESENCE_ROWS), fmt, seed=7)
    res, rep = presence_load([PRESENCE_HEAD[:cut] + xh + PRESENCE_HEAD[cut:]]
                             + [r[:cut] + x + r[cut:] for r, x in zip(PRESENCE_ROWS, xr)], fmt)
    clean(rep, 5)


@pytest.mark.parametrize("fmt", FORMATS)
def test_all_of_it_at_once(fmt):
    """Title rows, two index columns, shuffled and extra columns, the header repeated, NaN rows and a
    totals row: one file, every row in, the totals exact."""
    head, rows, hh, ind = master_list_rows(40, gen="2019", seed=13)
    xh, xr = extra_columns(len(rows), fmt, seed=1)
    full_head = head + xh
    full = [r + x for r, x in zip(rows, xr)]
    order = list(range(len(full_head)))
    random.Random(13).shuffle(order)
    idx = ["", ""]

    def shaped(r, i):
        return [i, i] + [r[j] for j in order]

    hrow = idx + [full_head[j] for j in order]
    total = [""] * len(full_head)
    total[full_head.index(GENERATIONS["2019"]["gov"])] = "Total"
    total[full_head.index(GENERATIONS["2019"]["hh"])] = hh
    total[full_head.index(GENERATIONS["2019"]["ind"])] = ind
    data = [["IDP Master List"], ["Round 130 - July 2023"], [], hrow]
    data += [shaped(r, i) for i, r in enumerate(full[:20])] + [[], ["IDP Master List (continued)"], hrow]
    data += [shaped(r, i + 20) for i, r in enumerate(full[20:])] + [["", ""] + [total[j] for j in order]]
    data += [["nan"] * len(hrow), [""] * len(hrow)]
    res, rep = load(data, fmt, name="IDP_ML")
    clean(rep, 40)
    assert sums(res) == (hh, ind)
    assert any("repeats the header (with 1 title row above it)" in n for n in rep.notes), rep.notes
    assert any("totals row" in p.reason and "equals" in p.reason for p in rep.warnings)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_total_word_in_a_side_column_does_not_drop_a_data_row(fmt):
    """A row that names a location is data, whatever an extra column says; the fused totals row
    (no location, "Total" in a leading or governorate column) is still recognised."""
    head, rows, hh, ind = master_list_rows(6)
    data = [["Remarks"] + head] + [["Sum:" if i == 2 else "Total" if i == 4 else ""] + r for i, r in enumerate(rows)]
    data.append(["Total", "", "", "", "", "", "", "", hh, ind])
    res, rep = load(data, fmt)
    clean(rep, 6)
    assert sums(res) == (hh, ind)
    totals = [p for p in rep.warnings if "totals row" in p.reason]
    assert len(totals) == 1 and totals[0].row == 8 and totals[0].column == "Remarks" and "equals" in totals[0].reason


@pytest.mark.parametrize("encoding, delimiter", [("utf-16", None), ("utf-8", ";"), ("cp1256", "|"), ("utf-8", ",")])
def test_commas_in_an_extra_column_do_not_decide_the_delimiter(encoding, delimiter):
    """A remarks column listing needs ("water, electricity, health") in a tab-, semicolon- or
    pipe-separated file: the file is still read by its own delimiter."""
    head, rows, hh, ind = master_list_rows(8)
    data = [head + ["Remarks"]] + [r + ["needs: water, electricity, health, shelter, legal aid, schools"] for r in rows]
    res = import_file(table_bytes(data, "csv", encoding=encoding, delimiter=delimiter), f"{FILE}.csv")
    clean(res.report, 8)
    assert sums(res) == (hh, ind)


@pytest.mark.parametrize("fmt", FORMATS)
def test_excel_error_values_are_not_hxl_hashtags(fmt):
    """#REF!, #N/A and #DIV/0! start with '#' like HXL hashtags: a data row full of them is still data
    (an unreadable cell in an optional column is a warning), and one right under the header is not
    taken for an HXL row."""
    head = ["Latitude", "Longitude", "Place ID", "Governorate", "Families"]
    rows = [["#REF!", "#N/A", 1, "Anbar", 10], [33.1, 42.1, 2, "Anbar", 5], ["#DIV/0!", "#VALUE!", 3, "Ninewa", 7],
            [33.2, 42.2, 4, "Anbar", 1]]
    res, rep = load([head] + rows, fmt)
    clean(rep, 4)
    assert sums(res) == (23, 138)
    assert not any("repeat" in n or "HXL" in n for n in rep.notes), rep.notes

"""Importers: Master Lists as IOM publishes them (totals to the unit), presence, FVM, movements,
tidy tables, and building a Dataset from uploads."""

import datetime as dt
import doctest

import pandas as pd
import pytest

import dsdash.importers as importers
from dsdash.export import to_csv_bytes
from dsdash.importers import build_dataset, import_file, problems_frame
from dsdash import validate
from dsdash.importers import boundaries, common, detect, dtm, fvm, kinds, presence, readers, subdistricts, tidy
from tests.support.dtm_fixtures import GENERATIONS, locations, master_list, xlsx_bomb, xlsx_bytes, xlsx_with_entities


@pytest.mark.parametrize("module", [importers, boundaries, common, detect, dtm, fvm, kinds, presence, readers,
                                    subdistricts, tidy, validate])
def test_docstring_examples(module):
    res = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert res.failed == 0


@pytest.fixture(scope="module")
def locs():
    return locations(400, seed=7)


def _sums(res):
    pop = res.tables["population"]
    return int(pop["households"].sum()), int(pop["individuals"].sum())


# --------------------------------------------------------------------------- Master Lists
CASES = [
    dict(gen="2016", fmt="csv", encoding="utf-8"),
    dict(gen="2016", fmt="xlsx"),
    dict(gen="2019", fmt="csv", encoding="utf-8-sig"),
    dict(gen="2019", fmt="csv", encoding="cp1256", pcode_style="IQG"),
    dict(gen="2023", fmt="xlsx", pcode_style="IQ-"),
    dict(gen="2023", fmt="csv", encoding="utf-16", totals_row=True, thousands=True),
    dict(gen="2023", fmt="csv", encoding="utf-8", title_rows=False, index_col=False, blank_last=False),
    dict(gen="returnee", fmt="xlsx", group="returnee", totals_row=True),
    dict(gen="returnee", fmt="csv", encoding="cp1256", group="returnee", breakdowns=False),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c['gen']}-{c['fmt']}-{c.get('encoding', '')}" for c in CASES])
def test_master_list_totals_equal_the_files_own_sums(locs, case):
    group = case.get("group", "idp")
    lo = locations(400, seed=7, group=group)
    fx = master_list(lo, **case)
    res = import_file(fx.data, fx.filename)
    rep = res.report
    assert res.kind == "dtm_master_list", rep.problems
    assert rep.rows_in == rep.rows_accepted == 400 and rep.rows_rejected == 0
    assert _sums(res) == (fx.households, fx.individuals)
    assert not rep.errors
    pop, sites = res.tables["population"], res.tables["sites"]
    assert set(pop["population_group"]) == {group}
    assert set(pop["reference_date"]) == {pd.Timestamp("2023-07-31")}
    assert set(pop["dtm_round"]) == {130}
    # by governorate, with COD-AB codes whatever the spelling in the file
    got = pop.merge(sites[["site_id", "admin1_code"]], on="site_id").groupby("admin1_code")["households"].sum()
    assert {k: int(v) for k, v in got.items()} == {k: v[1] for k, v in fx.by_governorate.items()}
    assert len(got) == 18
    # Arabic names survive every encoding
    first = sites.set_index("site_id").loc[str(lo["place_id"].iat[0])]
    assert first["site_name_ar"] == lo["name_ar"].iat[0] and first["site_name"] == lo["name"].iat[0]
    if case.get("pcode_style", "IRQ"):
        assert sites["admin2_code"].str.fullmatch(r"IQG\d\dQ\d\d").all()
    if case.get("totals_row"):
        totals = [p for p in rep.warnings if "totals row" in p.reason]
        assert len(totals) == 1 and totals[0].row == fx.header_row + 401 and "equals" in totals[0].reason
        assert totals[0].column == "Governorate"  # where the file writes "Total"
    if case.get("encoding"):
        assert rep.encoding == {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "cp1256": "windows-1256",
                                "utf-16": "utf-16"}[case["encoding"]]


def test_breakdowns_are_tidy_and_sum_to_the_wide_columns(locs):
    fx = master_list(locs, fmt="csv")
    bd = import_file(fx.data, fx.filename).tables["breakdowns"]
    assert set(bd["dimension"]) == {"origin", "shelter", "period"}
    for dim, prefix, n in (("origin", "o", 9), ("shelter", "s", 5), ("period", "p", 6)):
        wide = sum(int(locs[f"{prefix}{i}"].sum()) for i in range(n))
        assert int(bd.loc[bd["dimension"] == dim, "households"].sum()) == wide
    origin = bd[bd["dimension"] == "origin"]
    assert set(origin["category_code"]) <= {"IQG01", "IQG07", "IQG08", "IQG09", "IQG10", "IQG11", "IQG13", "IQG15",
                                           "IQG16"}
    assert int(origin.loc[origin["category"] == "Babil", "households"].sum()) == int(locs["o1"].sum())
    assert (bd["households"] > 0).all()


def test_individuals_method_camps_x5_from_round_117():
    lo = locations(300, seed=11, round_=120, camps=0.2)
    fx = master_list(lo, round_=120, fmt="csv")
    res = import_file(fx.data, fx.filename)
    pop = res.tables["population"].merge(res.tables["sites"][["site_id", "site_type"]], on="site_id")
    assert set(pop.loc[pop["site_type"] == "camp", "individuals_method"]) == {"hh_x5"}
    assert set(pop.loc[pop["site_type"] == "location", "individuals_method"]) == {"hh_x6"}
    assert (pop["site_type"] == "camp").sum() == int(lo["camp"].sum()) > 0
    assert not res.report.warnings
    # before round 117 every location (camps too) counts 6 per family
    lo = locations(300, seed=11, round_=110, camps=0.2)
    fx = master_list(lo, round_=110, fmt="csv", filename="IDP_ML_R110_2019-01-31.csv", month="January 2019")
    res = import_file(fx.data, fx.filename)
    assert set(res.tables["population"]["individuals_method"]) == {"hh_x6"} and not res.report.warnings
    assert _sums(res) == (fx.households, fx.households * 6)


def test_individuals_computed_when_the_file_has_none():
    csv = ("Place ID,Governorate,Location name,Families\n1,Anbar,Hay A,10\n2,Anbar,Camp B,20\n").encode()
    res = import_file(csv, "idp_master_list_round_125_2022-06-30.csv")
    pop = res.tables["population"].set_index("site_id")
    assert pop.loc["1", "individuals"] == 60 and pop.loc["1", "individuals_method"] == "hh_x6"
    assert pop.loc["2", "individuals"] == 100 and pop.loc["2", "individuals_method"] == "hh_x5"
    assert any("computed" in n for n in res.report.notes)


def test_mismatched_individuals_warn_and_keep_reported():
    csv = ("Place ID,Governorate,Location name,Families,Individuals\n"
           "1,Anbar,Hay A,10,60\n2,Anbar,Hay B,10,70\n3,Anbar,Hay C,10,5\n").encode()
    res = import_file(csv, "IDP_master_list_R130_2023-07-31.csv")
    w = {(p.row, p.column): p.reason for p in res.report.warnings}
    assert "≠ households 10 × 6 = 60" in w[(3, "Individuals")]
    assert any("fewer than households" in r for (row, _c), r in w.items() if row == 4)
    pop = res.tables["population"].set_index("site_id")
    assert pop.loc["2", "individuals"] == 70 and pop.loc["2", "individuals_method"] == "reported"
    assert res.report.rows_accepted == 3


@pytest.mark.parametrize("gen", list(GENERATIONS))
def test_every_header_generation_is_recognised(gen):
    h = GENERATIONS[gen]
    csv = (f"{h['id']},{h['gov']},{h['name']},{h['ar']},{h['hh']},{h['ind']}\n"
           "7,Missan,Hay X,حي,3,18\n").encode("utf-8")
    grp = "returnee" if gen == "returnee" else None
    res = import_file(csv, "master_list.csv", population_group=grp or "idp", reference_date=dt.date(2024, 1, 31))
    assert res.kind == "dtm_master_list" and res.report.rows_accepted == 1
    s = res.tables["sites"].iloc[0]
    assert (s["site_id"], s["admin1_code"], s["admin1_name"], s["site_name_ar"]) == ("7", "IQG14", "Maysan", "حي")


@pytest.mark.parametrize("spelling, code", [
    ("Anbar", "IQG01"), ("Al-Anbar", "IQG01"), ("Babylon", "IQG07"), ("Babil", "IQG07"), ("Dahuk", "IQG09"),
    ("Duhok", "IQG09"), ("Missan", "IQG14"), ("Maysan", "IQG14"), ("Thi-Qar", "IQG17"), ("Thi Qar", "IQG17"),
    ("Qadissiya", "IQG05"), ("Al-Qadissiya", "IQG05"), ("Al Diwaniya", "IQG05"), ("Wassit", "IQG18"),
    ("Wasit", "IQG18"), ("Salah al-Din", "IQG16"), ("Salah Al-Din", "IQG16"), ("IRQ-G13", "IQG13"),
    ("نينوى", "IQG15"), ("نينوي", "IQG15"), ("الأنبار", "IQG01"), ("محافظة البصرة", "IQG02"), ("صلاح الدين", "IQG16"),
])
def test_governorate_spellings(spelling, code):
    csv = f"Place ID,Governorate,Location Name,Families,Individuals\n1,{spelling},X,1,6\n".encode()
    res = import_file(csv, "IDP_ML_2024-01-31.csv")
    assert res.tables["sites"]["admin1_code"].iat[0] == code


def test_meta_from_title_rows_caller_and_missing():
    body = "Place ID,Governorate,Location Name,Families,Individuals\n1,Anbar,X,1,6\n"
    titled = ("IOM DTM Iraq,,,,\nReturnee Master List - Round 128 - 31 March 2023,,,,\n,,,,\n" + body).encode()
    res = import_file(titled, "export.csv")
    pop = res.tables["population"]
    assert (pop["population_group"].iat[0], int(pop["dtm_round"].iat[0])) == ("returnee", 128)
    assert pop["reference_date"].iat[0] == pd.Timestamp("2023-03-31")
    # the caller's date and round win, with a warning when the file says otherwise; the group the file states
    # stands (the group given answers files that state none: one answer never relabels a file), with a warning
    res = import_file(titled, "export.csv", population_group="idp", reference_date=dt.date(2023, 4, 30),
                      dtm_round=129)
    assert res.tables["population"]["population_group"].iat[0] == "returnee"
    assert res.tables["population"]["reference_date"].iat[0] == pd.Timestamp("2023-04-30")
    assert int(res.tables["population"]["dtm_round"].iat[0]) == 129
    assert any("differs" in p.reason for p in res.report.warnings)
    assert any(p.reason == "the population group given (idp) is not used: the file states returnee (its title rows)"
               for p in res.report.warnings)
    # nothing says the group: a question about the file (issue 11), not a reason to reject its rows
    res = import_file(body.encode(), "export.csv", reference_date=dt.date(2023, 4, 30))
    assert (res.report.rows_accepted, res.report.rows_rejected, res.report.errors) == (1, 0, [])
    (q,) = res.report.questions
    assert q.row is None and "1 row readable; the population group (IDP or returnee) is needed" in q.reason
    assert "--group" in q.reason and not res.usable and not res.report.ok
    # nothing says the date: a question about the file, not a reason to reject its rows
    res = import_file(body.encode(), "idp_export.csv")
    assert (res.report.rows_accepted, res.report.rows_rejected, res.report.errors) == (1, 0, [])
    q = res.report.questions
    assert len(q) == 1 and "1 row readable; the reference date is needed" in q[0].reason and "--date" in q[0].reason
    assert not res.usable and not res.report.ok
    # a date column per row
    res = import_file((body.replace("Individuals", "Individuals,Date").replace(",6\n", ",6,30/06/2022\n")).encode(),
                      "idp.csv")
    assert res.tables["population"]["reference_date"].iat[0] == pd.Timestamp("2022-06-30")


def test_coordinates_swapped_and_outside_iraq():
    csv = ("Place ID,Governorate,Location Name,Latitude,Longitude,Families,Individuals\n"
           "1,Anbar,A,33.4,42.1,1,6\n2,Anbar,B,42.1,33.4,1,6\n3,Anbar,C,48.8,2.3,1,6\n").encode()
    res = import_file(csv, "idp_2024-01-31.csv")
    s = res.tables["sites"].set_index("site_id")
    assert (s.loc["2", "latitude"], s.loc["2", "longitude"]) == (33.4, 42.1)
    assert pd.isna(s.loc["3", "latitude"]) and pd.isna(s.loc["3", "longitude"])
    w = {p.row: p for p in res.report.warnings}
    assert "swapped" in w[3].reason and w[3].column == "Latitude/Longitude"
    assert "outside Iraq" in w[4].reason
    assert res.report.rows_accepted == 3


def test_duplicates_negative_and_ambiguous_numbers():
    csv = ("Place ID,Governorate,District,Location Name,Families,Individuals\n"
           "1,Anbar,Ramadi,Hay A,10,60\n1,Anbar,Ramadi,Hay A bis,10,60\n2,Anbar,Ramadi,Hay A,5,30\n"
           "3,Anbar,Ramadi,Hay C,-4,-24\n4,Anbar,Ramadi,Hay D,1.200,7.200\n5,Anbar,Ramadi,Hay E,١٬٥٠٠,٩٠٠٠\n").encode()
    res = import_file(csv, "idp_2024-01-31.csv")
    rep = res.report
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (6, 4, 2)
    errs = {(p.row, p.column): p.reason for p in rep.errors}
    assert errs[(3, "Place ID")] == ("duplicate (Place ID 1) with other values than row 2 (Location Name Hay A bis "
                                     "here, Hay A there): this row is not counted; check which is right")
    assert "cannot be negative" in errs[(5, "Families")]
    warns = [(p.row, p.column, p.reason) for p in rep.warnings]
    assert any(r == 4 and "possible duplicate" in why for r, _c, why in warns)
    assert any(r == 6 and c == "Families" and "1.200" in why for r, c, why in warns)
    pop = res.tables["population"].set_index("site_id")
    assert pop.loc["4", "households"] == 1200 and pop.loc["5", "households"] == 1500
    assert pop.loc["5", "individuals"] == 9000


def test_unknown_governorate_names_row_column_and_suggestion():
    csv = "Place ID,Governorate,Location Name,Families,Individuals\n1,Anbr,A,1,6\n2,Anbar,B,1,6\n".encode()
    res = import_file(csv, "idp_2024-01-31.csv")
    e = res.report.errors[0]
    assert (e.row, e.column) == (2, "Governorate") and "Al-Anbar" in e.reason
    assert res.report.rows_accepted == 1


# --------------------------------------------------------------------------- presence
PRESENCE_CSV = """Organisation,Org type,Sector,Governorate,District,Site,Start date,End date,Status
#org+name,#org+type,#sector,#adm1+name,#adm2+name,#loc+name,#date+start,#date+end,#status
UNHCR,UN,Shelter/NFI,Anbar,,,2023-01-01,30/04/2024,
IRC,INGO,WASH,Al-Anbar,,9 Kilo,Apr-2023,ongoing,Ongoing
NRC,International NGO,ICLA,Anbar,,Nowhere Camp,45000,Apr-2024,
Directorate of Water,,water supply,Anbar,Al-Ramadi,,01/01/2024,,
Acme,,Astrology,Anbar,,,2023-01-01,,
"""


def test_presence_sheet_with_hxl_row():
    res = import_file(PRESENCE_CSV.encode(), "anbar_4w.csv")
    rep = res.report
    assert res.kind == "presence" and (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (5, 4, 1)
    e = rep.errors[0]
    assert (e.row, e.column) == (7, "Sector") and "not a service" in e.reason
    pr = res.tables["presence"]
    assert pr["service"].tolist() == ["shelter_nfi", "water", "protection_legal", "water"]
    assert pr["scope"].tolist() == ["governorate", "site", "site", "district"]
    assert pr["partner_type"].tolist() == ["UN", "INGO", "INGO", "government"]
    assert pr["end_date"].iat[0] == pd.Timestamp("2024-04-30") and pd.isna(pr["end_date"].iat[1])
    assert pr["start_date"].iat[1] == pd.Timestamp("2023-04-01") and pr["start_date"].iat[2] == pd.Timestamp("2023-03-15")
    assert pr["end_date"].iat[2] == pd.Timestamp("2024-04-30") and pr["status"].iat[0] == "scheduled_end"


def test_unknown_service_suggests_the_closest():
    res = import_file(b"Partner,Sector,Governorate\nIRC,Helth,Anbar\nIRC,Watr,Anbar\n", "3w.csv")
    reasons = [p.reason for p in res.report.errors]
    assert "closest: health" in reasons[0] and "water" in reasons[1]


def test_presence_add_replace_and_name_resolution(ds):
    res = import_file(PRESENCE_CSV.encode(), "anbar_4w.csv")
    added = build_dataset([res], ds, presence_mode="add")
    replaced = build_dataset([res], ds, presence_mode="replace")
    assert len(added.presence) == len(ds.presence) + 4 and len(replaced.presence) == 4
    scope = replaced.presence.set_index("partner")["scope_id"]
    assert scope["IRC"] == "ANB-27"  # "9 Kilo" resolved to the embedded site's id
    assert scope["Directorate of Water"] == "IQG01Q03"  # Al-Ramadi district of the embedded sites
    assert any("Nowhere Camp" in p.reason and p.row == 5 for p in replaced.reports[0].warnings)
    assert added.origin == "upload" and len(added.sites) == 28  # no Master List: embedded sites kept


# --------------------------------------------------------------------------- FVM, movements, tidy tables
FVM_WIDE = """IOM FVM programme,,,
Indicator,2020-2021,2022,2023 (until 30 April)
HHs registered at help desks,"4,464","3,793",341
HHs who have returned,"3,709",,45
Cash grants distributed,3215,2000,x
Number of goats,1,2,3
"""


def test_fvm_wide_table():
    res = import_file(FVM_WIDE.encode(), "fvm.csv")
    rep = res.report
    # (F2: one bad cell costs its figure only: the cash grants row keeps 3,215 and 2,000, warned on 'x')
    assert res.kind == "fvm" and (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (4, 3, 1)
    f = res.tables["fvm"]
    reg = f[f["indicator"] == "registered_help_desk"].set_index("period_label")["value"]
    assert reg.to_dict() == {"2020-2021": 4464, "2022": 3793, "2023 (until 30 April)": 341}
    last = f[f["period_label"] == "2023 (until 30 April)"].iloc[0]
    assert (last["period_start"], last["period_end"]) == (pd.Timestamp("2023-01-01"), pd.Timestamp("2023-04-30"))
    errs = {(p.row, p.column) for p in rep.errors}
    assert (6, "Indicator") in errs and (5, "2023 (until 30 April)") in {(p.row, p.column) for p in rep.warnings}
    assert f[f["indicator"] == "cash_grants"].set_index("period_label")["value"].to_dict() == {"2020-2021": 3215,
                                                                                               "2022": 2000}


def test_fvm_transposed_and_tidy():
    t = "Period,HHs who have returned,HHs who have relocated\n2022,100,20\n2023,50,5\n"
    res = import_file(t.encode(), "fvm_t.csv")
    assert res.kind == "fvm" and int(res.tables["fvm"]["value"].sum()) == 175
    tidy = "Indicator,Period,Value\nreturned,2022,100\nrelocated,Apr-2023,7\n"
    res = import_file(tidy.encode(), "fvm_tidy.csv")
    f = res.tables["fvm"]
    assert res.report.rows_accepted == 2 and f["period_end"].iat[1] == pd.Timestamp("2023-04-30")


def test_movements():
    t = ("Origin governorate,Origin,Destination governorate,Destination,Households,Individuals,Date\n"
         "Ninewa,Camp A,Ninewa,Sinjar,85,543,2020-06-14\nNinewa,Camp B,Atlantis,Baaj,10,60,2020-06-14\n")
    res = import_file(t.encode(), "movements.csv")
    rep = res.report
    assert res.kind == "movements" and (rep.rows_accepted, rep.rows_rejected) == (1, 1)
    m = res.tables["movements"].iloc[0]
    assert (m["origin_admin1_code"], m["destination_name"], m["households"]) == ("IQG15", "Sinjar", 85)
    assert rep.errors[0].row == 3 and rep.errors[0].column == "Destination governorate"


def test_our_own_exports_round_trip(ds):
    for table in ("sites", "presence", "population"):
        data = to_csv_bytes(ds.table(table), hxl=True, table=table)
        res = import_file(data, f"{table}.csv")
        assert res.kind == f"table:{table}" and res.report.rows_accepted == len(ds.table(table)), res.report.problems
        got = res.tables[table]
        assert got[ds.table(table).columns[0]].tolist() == ds.table(table).iloc[:, 0].tolist()


# --------------------------------------------------------------------------- datasets from several files
def test_several_rounds_build_a_history(ds):
    lo = locations(120, seed=5)
    r1 = master_list(lo, round_=128, filename="IDP_ML_R128_2023-03-31.xlsx", month="March 2023")
    lo2 = lo.copy()
    lo2["households"] = lo2["households"] + 1
    lo2["individuals"] = lo2["households"] * 6
    lo2.loc[lo2["camp"], "individuals"] = lo2.loc[lo2["camp"], "households"] * 5
    r2 = master_list(lo2, round_=130, fmt="csv", filename="IDP_ML_R130_2023-07-31.csv")
    ret = master_list(locations(30, seed=9, group="returnee", start_id=900001), gen="returnee", group="returnee",
                      fmt="csv")
    results = [import_file(f.data, f.filename) for f in (r1, r2, ret)]
    new = build_dataset(results, ds)
    assert len(new.population) == 120 * 2 + 30 and len(new.sites) == 150
    assert sorted(new.population["dtm_round"].unique().tolist()) == [128, 130]
    latest = new.population[new.population["reference_date"] == new.population["reference_date"].max()]
    assert int(latest[latest["population_group"] == "idp"]["households"].sum()) == r2.households
    assert new.latest_date() == dt.date(2023, 7, 31)
    assert len(new.national_series) == len(ds.national_series)  # other tables kept
    assert len(new.reports) == 3 and new.origin == "upload"
    assert list(problems_frame(new.reports).columns) == ["level", "file", "sheet", "row", "column", "count", "rows",
                                                         "reason"]


def test_nothing_raises_on_garbage():
    for data, name in [(b"", "x.csv"), (b"\x00\x01\x02" * 100, "x.csv"), (b"PK\x03\x04garbage", "x.xlsx"),
                       (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "old.xls"), (b"{not json", "x.geojson"),
                       (b"a,b\n" * 3, "x.csv"), (b"SQLite format 3\x00junk", "x.gpkg")]:
        res = import_file(data, name)
        assert res.report.errors and res.report.rows_in == res.report.rows_accepted + res.report.rows_rejected
        assert "Traceback" not in str(res.report.errors[0])


def test_size_cap():
    res = import_file(b"a" * (readers.MAX_BYTES + 1), "big.csv")
    assert "the limit is" in res.report.errors[0].reason


# --------------------------------------------------------------------------- workbooks: safety and sheets
def test_workbook_with_a_readme_sheet_and_a_data_sheet():
    data = xlsx_bytes({"Read me": [["This workbook lists locations"], ["Source: IOM DTM"]],
                        "IDP R131": [["IDP Master List Round 131 - 31 January 2024"], [],
                                     ["Place ID", "Governorate", "Location Name", "Families", "Individuals"],
                                     [1, "Anbar", "Hay A", 10, 60], [2, "Babylon", "Hay B", 5, 30], [None] * 5]})
    res = import_file(data, "export.xlsx")
    rep = res.report
    assert (res.kind, rep.sheet, rep.rows_accepted) == ("dtm_master_list", "IDP R131", 2)
    assert res.tables["population"]["dtm_round"].tolist() == [131, 131]
    assert any("Read me" in n for n in rep.notes)


def test_xlsx_decompression_bomb_is_refused_before_parsing():
    good = xlsx_bytes({"S": [["a", "b"], [1, 2]]})
    bomb = xlsx_bomb(good)
    res = import_file(bomb, "bomb.xlsx")
    assert "decompression bomb" in res.report.errors[0].reason and res.report.rows_in == 0


def test_xlsx_is_parsed_with_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML
    good = xlsx_bytes({"S": [["Place ID", "Governorate", "Location Name", "Families"], [1, "Anbar", "A", 1]]})
    res = import_file(xlsx_with_entities(good), "idp_2024-01-31.xlsx")
    assert res.report.errors and "Entit" in res.report.errors[0].reason
    assert res.report.rows_accepted == 0


def test_unlabelled_last_row_is_a_total_only_when_it_sums_the_others():
    head = "Place ID,Governorate,Location Name,Families,Individuals\n1,Anbar,A,10,60\n2,Anbar,B,5,30\n"
    res = import_file((head + ",,,15,90\n").encode(), "idp_2024-01-31.csv")
    assert res.report.rows_in == 2 and res.report.warnings[0].row == 4 and "equals" in res.report.warnings[0].reason
    res = import_file((head + ",,,7,42\n").encode(), "idp_2024-01-31.csv")  # not a total: a row with no place
    assert (res.report.rows_in, res.report.rows_rejected) == (3, 1) and res.report.errors[0].row == 4


def test_idp_and_returnee_sheets_in_one_workbook():
    head = ["Place ID", "Governorate", "Location Name", "Families", "Individuals"]
    data = xlsx_bytes({"IDPs R131": [head, [1, "Anbar", "A", 10, 60]],
                        "Returnees R131": [head, [2, "Ninewa", "B", 4, 24], [3, "Ninewa", "C", 1, 6]]})
    res = import_file(data, "DTM_2024-01-31.xlsx")
    assert [r.sheet for r in res.reports] == ["IDPs R131", "Returnees R131"]
    pop = res.tables["population"]
    assert pop.groupby("population_group")["individuals"].sum().to_dict() == {"idp": 60, "returnee": 30}
    assert set(pop["dtm_round"]) == {131}

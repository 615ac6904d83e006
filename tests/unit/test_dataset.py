"""The embedded data: the seed's own totals, provenance on every row, honest transcription."""

import re

import pandas as pd
import pytest

from dsdash.dataset import DATA_DIR, EMBEDDED_FILES, load_embedded
from dsdash.schema import TABLES, Service


def test_every_embedded_file_loads_without_rejection(ds):
    assert len(ds.reports) == len(EMBEDDED_FILES)
    for rep in ds.reports:
        rep.check()
        assert rep.rows_rejected == 0, [str(p) for p in rep.problems]
        assert rep.rows_in > 0


@pytest.mark.parametrize("fname", sorted(EMBEDDED_FILES.values()))
def test_every_row_of_every_data_file_names_its_source(fname):
    raw = pd.read_csv(DATA_DIR / fname, dtype=str, keep_default_na=False)
    assert "source" in raw.columns
    empty = raw.index[raw["source"].str.strip() == ""].tolist()
    assert not empty, f"{fname}: rows without a source: {empty}"
    assert raw["source"].str.contains(r"seed 00\d_|facts/", regex=True).all()


def test_anbar_sites_match_the_seed_totals(ds):
    assert len(ds.sites) == 28
    assert ds.population["households"].sum() == 3147
    assert ds.population["individuals"].sum() == 18882
    assert (ds.population["individuals"] == ds.population["households"] * 6).all()
    assert set(ds.sites["admin2_name"]) == {"Al-Kaim", "Al-Rutba", "Al-Falluja", "Al-Ramadi"}
    assert ds.sites["site_id"].is_unique


def test_seed_fused_total_row_is_recognised_not_counted(shared_dir, ds):
    """The seed fuses its total into the last row: '153 3,147 | 918 18,882'. Our Kilo 18 row
    has 153 / 918 and the sums equal the fused totals."""
    text = (shared_dir / "seeds" / "000_ae1aa949a6b1374c.txt").read_text(encoding="utf-8")
    m = re.search(r"Kilo 18 / AL-Karama complex \|[^|]*\|[^|]*\| (\d+) ([\d,]+) \| (\d+) ([\d,]+) \|", text)
    assert m, "fused total row not found in the seed"
    k18 = ds.population.merge(ds.sites, on="site_id").query("site_name.str.startswith('Kilo 18')", engine="python")
    assert int(k18["households"].iloc[0]) == int(m.group(1)) == 153
    assert int(k18["individuals"].iloc[0]) == int(m.group(3)) == 918
    assert ds.population["households"].sum() == int(m.group(2).replace(",", ""))
    assert ds.population["individuals"].sum() == int(m.group(4).replace(",", ""))


def test_seed_site_rows_match_seed_text(shared_dir, ds):
    """Every site's coordinates and counts appear in the seed table as we stored them."""
    text = (shared_dir / "seeds" / "000_ae1aa949a6b1374c.txt").read_text(encoding="utf-8")
    rows = ds.sites.merge(ds.population, on="site_id")
    for r in rows.itertuples():
        line = next((ln for ln in text.splitlines() if f"| {r.site_name} |" in ln), None)
        assert line, r.site_name
        cells = [c.strip() for c in line.strip("| ").split("|")]
        assert float(cells[3]) == pytest.approx(r.latitude) and float(cells[4]) == pytest.approx(r.longitude)
        assert cells[5].split()[0] == str(r.households)


def test_site_typology(ds):
    t = ds.sites.set_index("site_name")["site_type"]
    assert t["7 Killo-al-mojamaa al-sakany"] == "large_informal"
    assert t["Kilo 18 / AL-Karama complex"] == "ds_housing"
    assert t["low-costs houses/Habbaniah"] == "ds_housing"
    assert t["Ameriyat Al-Fallujah (AAF)"] == "former_camp"
    assert t["9 Kilo"] == "small_informal"
    assert (ds.sites["site_group"] == "Rutba").sum() == 6  # '6 sites in Rut'ba'
    assert (ds.sites["site_group"] == "Bzebiz").sum() == 15


def test_national_series_through_round_132(ds):
    ns = ds.national_series
    idp = ns[ns["population_group"] == "idp"].sort_values("reference_date")
    last = idp.iloc[-1]
    assert int(last["dtm_round"]) == 132 and int(last["individuals"]) == 1_098_913
    assert pd.Timestamp(last["reference_date"]).date().isoformat() == "2024-04-30"
    assert len(idp) == 80 and int(idp.iloc[0]["dtm_round"]) == 1
    ret = ns[ns["population_group"] == "returnee"].sort_values("reference_date")
    assert int(ret.iloc[-1]["individuals"]) == 4_871_916


def test_fvm_table_columns_equal_the_seed(ds):
    by = {(r.indicator, r.period_label): r.value for r in ds.fvm.itertuples()}
    periods = ["2020-2021", "2022", "2023 (until 30 April)"]
    assert [by[("returned", p)] for p in periods] == [3709, 1580, 606]
    assert [by[("relocated", p)] for p in periods] == [142, 170, 154]
    assert [by[("livelihoods_support", p)] for p in periods] == [725, 222, 259]
    assert by[("registered_help_desk", "2020-2021")] == 4464
    assert by[("cash_grants", "2023 (until 30 April)")] == 1104
    assert by[("housing_repairs_completed", "2022")] == 550
    assert by[("facilitated_total", "to April 2023")] == 6195
    assert "39 housing" in ds.fvm.query("indicator == 'housing_repairs_completed' and period_label == '2022'")["note"].iloc[0]


def test_index_rounds(ds):
    ri = ds.index_rounds.query("index == 'return_index'")
    r16 = ri[ri["round"] == 16].iloc[0]
    assert int(r16["population_severe"]) == 598_578 and float(r16["share_severe"]) == 12
    r23 = ri[ri["round"] == 23].iloc[0]
    assert int(r23["population_severe"]) == 609_954 and int(r23["locations_assessed"]) == 2230
    di = ds.index_rounds.query("index == 'displacement_index'")
    assert int(di[di["round"] == 8].iloc[0]["population_severe"]) == 56_250
    assert pd.isna(di[di["round"] == 2].iloc[0]["share_severe"])  # unknown stays empty


def test_presence_transcribes_the_exits(ds):
    p = ds.presence
    drc = p[p["partner"] == "DRC"]
    assert set(drc["end_date"].dt.strftime("%Y-%m-%d")) == {"2023-10-31"}
    assert {"water", "protection_legal", "site_management", "shelter_nfi"} <= set(drc["service"])
    mc = p[p["partner"] == "Mercy Corps"]
    assert set(mc["end_date"].dt.strftime("%Y-%m-%d")) == {"2023-09-30"}
    legal = p[p["partner"].isin(["IRC", "NRC"]) & (p["service"] == "protection_legal")]
    assert set(legal["end_date"].dt.strftime("%Y-%m-%d")) == {"2024-04-30"}
    assert set(p["service"]) <= set(Service.values())
    assert (p.loc[p["partner_type"] == "government", "partner"].str.contains("MoMD|Directorate")).all()


def test_hotspots(ds):
    tot = ds.hotspot_totals.set_index("admin1_name")["returnees_in_hotspots"]
    assert tot["Salah Al-Din"] == 467_964 and tot["Ninewa"] == 490_230 and tot["Al-Anbar"] == 439_086
    assert (ds.hotspots["admin1_name"] == "Al-Anbar").sum() == 8


def test_tables_have_spec_columns(ds):
    for name, spec in TABLES.items():
        assert list(ds.table(name).columns[: len(spec.columns)]) == spec.column_names


def test_load_is_independent_of_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert len(load_embedded().sites) == 28

"""Gap matrix for one date: 5,000 sites × 14 services × 50,000 presence rows, dsdash.coverage against the same query in DuckDB SQL.

The data set is synthetic (seeded): 18 governorates, 100 districts, 500 site groups,
5,000 sites; presence rows 90 % site, 6 % site group, 3.5 % district, 0.5 %
governorate scope, with overlapping partners, open-ended and ended rows, 5 % government
bodies; 2,000 reported needs. The SQL spreads scopes to sites, decides the same five
states, joins the provider lists and picks the top need; the run checks that both give
the same states before timing them. DuckDB gets its tables loaded before the clock
starts (the floor is the query alone).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.run import best_of  # noqa: E402
from dsdash.coverage import coverage_matrix, exit_scenario  # noqa: E402
from dsdash.dataset import Dataset, load_embedded  # noqa: E402
from dsdash.schema import Service  # noqa: E402

AS_OF = dt.date(2024, 6, 30)
HORIZON = 90


def synthetic_dataset(n_sites: int = 5000, n_rows: int = 50_000, n_needs: int = 2000, seed: int = 0) -> Dataset:
    """A national-scale data set with every scope level, for benchmarks and scale tests."""
    rng = np.random.default_rng(seed)
    gov = rng.integers(1, 19, n_sites)
    dist = rng.integers(1, 7, n_sites)
    sites = pd.DataFrame({
        "site_id": [f"S{i:05d}" for i in range(n_sites)],
        "site_name": [f"Site {i}" for i in range(n_sites)],
        "admin1_code": [f"IQG{g:02d}" for g in gov],
        "admin2_code": [f"IQG{g:02d}Q{q:02d}" for g, q in zip(gov, dist)],
        "admin2_name": [f"District {g}-{q}" for g, q in zip(gov, dist)],
        "site_type": "location",
        "site_group": [f"G{g:03d}" if g < 400 else None for g in rng.integers(0, 500, n_sites)],
        "source": "synthetic",
    }).astype({"site_id": "string", "site_name": "string", "admin1_code": "string", "admin2_code": "string",
               "admin2_name": "string", "site_type": "string", "site_group": "string", "source": "string"})
    pop = pd.DataFrame({
        "site_id": sites["site_id"],
        "population_group": "idp",
        "households": rng.integers(5, 2000, n_sites),
        "individuals_method": "hh_x6",
        "reference_date": pd.Timestamp("2024-01-31"),
        "source": "synthetic",
    })
    pop["individuals"] = pop["households"] * 6
    pop = pop.astype({"site_id": "string", "population_group": "string", "households": "Int64",
                      "individuals": "Int64", "individuals_method": "string", "source": "string"})
    pop["reference_date"] = pop["reference_date"].astype("datetime64[s]")

    scope = rng.choice(["site", "site_group", "district", "governorate"], n_rows, p=[0.9, 0.06, 0.035, 0.005])
    scope_id = np.where(
        scope == "site", sites["site_id"].to_numpy(dtype=object)[rng.integers(0, n_sites, n_rows)],
        np.where(scope == "site_group", np.array([f"G{g:03d}" for g in rng.integers(0, 420, n_rows)], dtype=object),
                 np.where(scope == "district",
                          np.array([f"IQG{g:02d}Q{q:02d}" for g, q in
                                    zip(rng.integers(1, 19, n_rows), rng.integers(1, 7, n_rows))], dtype=object),
                          np.array([f"IQG{g:02d}" for g in rng.integers(1, 19, n_rows)], dtype=object))))
    services = np.array(Service.values(), dtype=object)
    partners = np.array([f"Partner {i:03d}" for i in range(300)], dtype=object)
    pidx = rng.integers(0, 300, n_rows)
    ptype = np.where(pidx < 15, "government", np.where(pidx < 60, "UN", np.where(pidx < 180, "INGO", "NNGO")))
    base = np.datetime64("2022-01-01")
    start = base + rng.integers(0, 900, n_rows).astype("timedelta64[D]")
    end = start + rng.integers(30, 1000, n_rows).astype("timedelta64[D]")
    open_start = rng.random(n_rows) < 0.2
    open_end = rng.random(n_rows) < 0.25
    ended_no_date = rng.random(n_rows) < 0.02
    presence = pd.DataFrame({
        "partner": partners[pidx], "partner_type": ptype, "scope": scope, "scope_id": scope_id,
        "service": services[rng.integers(0, len(services), n_rows)],
        "start_date": np.where(open_start, np.datetime64("NaT"), start).astype("datetime64[s]"),
        "end_date": np.where(open_end | ended_no_date, np.datetime64("NaT"), end).astype("datetime64[s]"),
        "status": np.where(ended_no_date, "ended", "active"),
        "handover_to": None, "note": None, "source": "synthetic",
    })
    for c in ("partner", "partner_type", "scope", "scope_id", "service", "status", "handover_to", "note", "source"):
        presence[c] = presence[c].astype("string")

    nscope = rng.choice(["site", "district"], n_needs, p=[0.9, 0.1])
    needs = pd.DataFrame({
        "scope": nscope,
        "scope_id": np.where(nscope == "site", sites["site_id"].to_numpy(dtype=object)[rng.integers(0, n_sites, n_needs)],
                             sites["admin2_code"].to_numpy(dtype=object)[rng.integers(0, n_sites, n_needs)]),
        "service": services[rng.integers(0, len(services), n_needs)],
        "severity": rng.choice(["high", "medium", "low"], n_needs),
        "note": [f"need {i}" for i in range(n_needs)],
        "reported_on": (base + rng.integers(0, 900, n_needs).astype("timedelta64[D]")).astype("datetime64[s]"),
        "source": "synthetic",
    })
    for c in ("scope", "scope_id", "service", "severity", "note", "source"):
        needs[c] = needs[c].astype("string")
    return Dataset(name="synthetic", tables={"sites": sites, "population": pop, "presence": presence, "needs": needs},
                   origin="synthetic")


SQL = """
WITH pr AS (
  SELECT row_number() OVER () AS rid, * FROM presence
), ex AS (
  SELECT pr.*, s.site_id AS sid FROM pr JOIN sites s ON pr.scope = 'site' AND s.site_id = pr.scope_id
  UNION ALL SELECT pr.*, s.site_id FROM pr JOIN sites s ON pr.scope = 'site_group' AND s.site_group = pr.scope_id
  UNION ALL SELECT pr.*, s.site_id FROM pr JOIN sites s ON pr.scope = 'district' AND s.admin2_code = pr.scope_id
  UNION ALL SELECT pr.*, s.site_id FROM pr JOIN sites s ON pr.scope = 'governorate' AND s.admin1_code = pr.scope_id
), f AS (
  SELECT sid, service, partner, partner_type, end_date,
         NOT (status = 'ended' AND end_date IS NULL)
           AND coalesce(start_date, DATE '0001-01-01') <= coalesce(end_date, DATE '9999-12-31') AS valid,
         coalesce(start_date, DATE '0001-01-01') AS s, coalesce(end_date, DATE '9999-12-31') AS e
  FROM ex
), rows AS (
  SELECT *, valid AND s <= $d AND $d <= e AS active, valid AND s < $d AS past FROM f
), pp AS (  -- one entry per cell and partner
  SELECT sid, service, partner, bool_or(active) AS act, bool_or(past) AS pst,
         CASE WHEN bool_or(active) THEN max(e) FILTER (WHERE active) ELSE max(e) FILTER (WHERE past) END AS e,
         bool_and(partner_type = 'government') FILTER (WHERE active) AS gov
  FROM rows WHERE valid AND (active OR past) GROUP BY ALL
), cells AS (
  SELECT sid, service,
         count(*) FILTER (WHERE act) AS n_active,
         count(*) FILTER (WHERE act AND gov) AS n_gov,
         count(*) FILTER (WHERE act AND e > $d + $h) AS n_long,
         count(*) FILTER (WHERE pst) AS n_past,
         min(e) FILTER (WHERE act AND e < DATE '9999-12-31') AS next_end,
         string_agg(partner || CASE WHEN e = DATE '9999-12-31' THEN ' (ongoing)'
                                     ELSE ' (to ' || strftime(e, '%d %b %Y') || ')' END, '; ' ORDER BY partner)
           FILTER (WHERE act) AS providers,
         string_agg(partner || ' (to ' || strftime(e, '%d %b %Y') || ')', '; ' ORDER BY partner)
           FILTER (WHERE pst AND NOT act) AS lost_providers
  FROM pp GROUP BY ALL
), nd AS (
  SELECT n.*, s.site_id AS sid FROM needs n JOIN sites s ON n.scope = 'site' AND s.site_id = n.scope_id
  UNION ALL SELECT n.*, s.site_id FROM needs n JOIN sites s ON n.scope = 'site_group' AND s.site_group = n.scope_id
  UNION ALL SELECT n.*, s.site_id FROM needs n JOIN sites s ON n.scope = 'district' AND s.admin2_code = n.scope_id
  UNION ALL SELECT n.*, s.site_id FROM needs n JOIN sites s ON n.scope = 'governorate' AND s.admin1_code = n.scope_id
), topneed AS (
  SELECT sid, service, arg_max(severity, rank) AS need_severity, arg_max(note, rank) AS need_note FROM (
    SELECT *, (CASE severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END) * 100000000
              + (CASE scope WHEN 'site' THEN 4 WHEN 'site_group' THEN 3 WHEN 'district' THEN 2 ELSE 1 END) * 10000000
              + (reported_on - DATE '1970-01-01') AS rank
    FROM nd WHERE reported_on <= $d) GROUP BY ALL
), people AS (
  SELECT site_id, sum(individuals) AS individuals, sum(households) AS households FROM (
    SELECT * FROM population QUALIFY row_number() OVER (PARTITION BY site_id, population_group
                                                        ORDER BY reference_date DESC) = 1) GROUP BY ALL
)
SELECT s.site_id, s.site_name, s.admin1_code, s.admin2_code, s.admin2_name, sv.service,
       CASE WHEN coalesce(c.n_active, 0) > 0 THEN
              CASE WHEN c.n_gov = c.n_active THEN 'handed_over' WHEN c.n_long = 0 THEN 'at_risk' ELSE 'served' END
            WHEN coalesce(c.n_past, 0) > 0 THEN 'lost' ELSE 'never_served' END AS state,
       p.individuals, p.households, c.providers, coalesce(c.n_active, 0) AS n_providers, c.next_end,
       c.lost_providers, t.need_severity, t.need_note
FROM sites s CROSS JOIN services sv
LEFT JOIN cells c ON c.sid = s.site_id AND c.service = sv.service
LEFT JOIN topneed t ON t.sid = s.site_id AND t.service = sv.service
LEFT JOIN people p ON p.site_id = s.site_id
ORDER BY s.site_id, sv.pos
"""


def duckdb_matrix(con, as_of: dt.date = AS_OF, horizon: int = HORIZON) -> pd.DataFrame:
    return con.execute(SQL, {"d": as_of, "h": horizon}).df()


def duckdb_connection(ds: Dataset):
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute("SET enable_progress_bar = false")
    for t in ("sites", "population", "presence", "needs"):
        df = ds.tables[t].copy()
        for c in df.columns:
            if str(df[c].dtype).startswith("datetime64"):
                df[c] = df[c].dt.date
        con.register("tmp_" + t, df)
        con.execute(f"CREATE TABLE {t} AS SELECT * FROM tmp_{t}")
        con.unregister("tmp_" + t)
    con.execute("CREATE TABLE services AS SELECT * FROM (SELECT unnest($s) AS service, "
                "generate_subscripts($s, 1) AS pos)", {"s": Service.values()})
    return con


def check_same(ours: pd.DataFrame, sql: pd.DataFrame) -> None:
    """Both engines give the same cells: states, provider lists, next end, people and needs."""
    if len(ours) != len(sql):
        raise AssertionError(f"{len(ours)} cells vs {len(sql)} in SQL")
    for col in ("site_id", "service", "state", "providers", "lost_providers", "need_severity", "need_note"):
        a = ours[col].fillna("").to_numpy(dtype=object)
        b = sql[col].fillna("").to_numpy(dtype=object)
        if not (a == b).all():
            i = int((a != b).argmax())
            raise AssertionError(f"column {col} differs at cell {i}: {a[i]!r} vs SQL {b[i]!r}")
    if not (pd.to_datetime(ours["next_end"]).fillna(pd.Timestamp(0)).to_numpy()
            == pd.to_datetime(sql["next_end"]).fillna(pd.Timestamp(0)).to_numpy()).all():
        raise AssertionError("next_end differs")
    if not (ours["individuals"].astype("float64").to_numpy() == sql["individuals"].astype("float64").to_numpy()).all():
        raise AssertionError("individuals differ")


def run():
    ds = synthetic_dataset()
    con = duckdb_connection(ds)
    ours_df = coverage_matrix(ds, AS_OF, horizon_days=HORIZON)
    sql_df = duckdb_matrix(con)
    check_same(ours_df, sql_df)
    states = ours_df["state"].value_counts().to_dict()
    floor = best_of(lambda: duckdb_matrix(con), 7)
    ours = best_of(lambda: coverage_matrix(ds, AS_OF, horizon_days=HORIZON), 7)
    note = f"{len(ours_df):,} cells, identical to SQL (states, providers, dates, people, needs); " + ", ".join(f"{k} {v:,}" for k, v in states.items())
    out = [{"name": "coverage_matrix(), 5,000 sites × 14 services", "value": ours, "unit": "ms",
            "floor": floor, "floor_name": "DuckDB SQL (same matrix)", "note": note}]
    import dsdash.coverage as C

    prep = C._prepare(ds, None)
    d0 = C._day(AS_OF)
    per_date = best_of(lambda: C._matrix(ds, prep, d0, HORIZON, prep.end), 7)
    out.append({"name": "  of which per date (spreading done once)", "value": per_date, "unit": "ms",
                "floor": floor, "floor_name": "DuckDB SQL (same matrix)",
                "note": f"spreading and coding the presence rows: {ours - per_date:,.1f} ms of the total"})
    partners = ds.presence["partner"].value_counts().index[:3].tolist()
    scen = best_of(lambda: exit_scenario(ds, partners, AS_OF), 3)
    out.append({"name": "exit_scenario(), 3 partners, same data", "value": scen, "unit": "ms", "floor": floor,
                "floor_name": "DuckDB SQL (one matrix)", "note": "three matrices: had they stayed, with the exit, "
                "the day before"})
    seed = load_embedded()
    seed_con = duckdb_connection(seed)
    d = dt.date(2023, 12, 10)
    check_same(coverage_matrix(seed, d), duckdb_matrix(seed_con, d))
    out.append({"name": "coverage_matrix(), seed data (28 sites × 14)", "value": best_of(lambda: coverage_matrix(seed, d), 10),
                "unit": "ms", "floor": best_of(lambda: duckdb_matrix(seed_con, d), 10),
                "floor_name": "DuckDB SQL (same matrix)", "note": "identical to SQL"})
    return out


if __name__ == "__main__":
    for r in run():
        print(r)

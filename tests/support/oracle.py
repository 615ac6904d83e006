"""The gap-matrix rules stated a second time, independently, as one DuckDB SQL query.

The engine (:mod:`dsdash.coverage.engine`) must give identical matrices: states, provider
lists, next end, people and needs. The current picture (``dsdash.figures``: each group's
latest round; a site missing from it is closed and not in the matrix) is stated here in SQL
too (CTEs ``rounds``, ``latest``, ``cs``), and :func:`current_totals` gives its totals. Tests check it on the seed and on random data;
``benchmarks/bench_coverage.py`` times both.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from dsdash.dataset import Dataset
from dsdash.schema import Service

SQL = """
WITH pr AS (
  SELECT row_number() OVER () AS rid, * FROM presence
), ex AS (
  SELECT pr.*, s.site_id AS sid FROM pr JOIN sites s ON pr.scope = 'site' AND s.site_id = pr.scope_id
  UNION ALL SELECT pr.*, s.site_id FROM pr JOIN sites s ON pr.scope = 'site_group' AND s.site_group = pr.scope_id
  UNION ALL SELECT pr.*, s.site_id FROM pr JOIN sites s ON pr.scope = 'district' AND s.admin2_code = pr.scope_id
  UNION ALL SELECT pr.*, s.site_id FROM pr JOIN sites s ON pr.scope = 'governorate' AND s.admin1_code = pr.scope_id
), f AS (
  SELECT sid, service, partner, partner_type, end_date, coalesce(status = 'ended', false) AS confirmed,
         NOT (status IN ('ended', 'end_unknown') AND end_date IS NULL)
           AND NOT (status = 'planned' AND start_date IS NULL)
           AND coalesce(start_date, DATE '0001-01-01') <= coalesce(end_date, DATE '9999-12-31') AS valid,
         coalesce(status = 'end_unknown' AND end_date IS NULL, false) AS unknown_end,
         coalesce(start_date, DATE '0001-01-01') AS s, coalesce(end_date, DATE '9999-12-31') AS e
  FROM ex
), rows AS (
  SELECT *, valid AND s <= $d AND $d <= e AS active, (valid OR unknown_end) AND s < $d AS past FROM f
), reported AS (  -- sites some presence row (any partner, any service, valid or not) reports by the date
  SELECT DISTINCT sid FROM f WHERE s <= $d
), pp AS (  -- one entry per cell and partner
  SELECT sid, service, partner, bool_or(active) AS act, bool_or(past) AS pst,
         bool_or(past AND NOT active AND confirmed) AS conf,
         CASE WHEN bool_or(active) THEN max(e) FILTER (WHERE active) ELSE max(e) FILTER (WHERE past) END AS e,
         bool_and(partner_type = 'government') FILTER (WHERE active) AS gov
  FROM rows WHERE (valid OR unknown_end) AND (active OR past) GROUP BY ALL
), cells AS (
  SELECT sid, service,
         count(*) FILTER (WHERE act) AS n_active,
         count(*) FILTER (WHERE act AND gov) AS n_gov,
         count(*) FILTER (WHERE act AND e > $d + $h) AS n_long,
         count(*) FILTER (WHERE pst) AS n_past,
         count(*) FILTER (WHERE conf) AS n_conf,
         min(e) FILTER (WHERE act AND e < DATE '9999-12-31') AS next_end,
         string_agg(partner || CASE WHEN e = DATE '9999-12-31' THEN ' (ongoing)'
                                     ELSE ' (to ' || strftime(e, '%d %b %Y') || ')' END, '; ' ORDER BY partner)
           FILTER (WHERE act) AS providers,
         string_agg(partner || CASE WHEN e = DATE '9999-12-31' THEN ' (end date not known)'
                                     ELSE ' (to ' || strftime(e, '%d %b %Y') || ')' END, '; ' ORDER BY partner)
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
), rounds AS (  -- each population group's latest round: its latest date over all its rows
  SELECT population_group, max(reference_date) AS round_date FROM population GROUP BY ALL
), latest AS (  -- the rows of each group's latest round (an undated group is one round)
  SELECT p.* FROM population p JOIN rounds r ON p.population_group IS NOT DISTINCT FROM r.population_group
  WHERE p.reference_date = r.round_date OR r.round_date IS NULL
), people AS (
  SELECT site_id, sum(individuals) AS individuals, sum(households) AS households FROM (
    SELECT * FROM latest QUALIFY row_number() OVER (PARTITION BY site_id, population_group) = 1) GROUP BY ALL
), cs AS (  -- current sites: in some group's latest round, or without any population row (closed ones left out)
  SELECT * FROM sites WHERE site_id IN (SELECT site_id FROM latest)
                         OR site_id NOT IN (SELECT site_id FROM population WHERE site_id IS NOT NULL)
)
SELECT s.site_id, s.site_name, s.admin1_code, s.admin2_code, s.admin2_name, sv.service,
       CASE WHEN coalesce(c.n_active, 0) > 0 THEN
              CASE WHEN c.n_gov = c.n_active THEN 'handed_over' WHEN c.n_long = 0 THEN 'at_risk' ELSE 'served' END
            WHEN coalesce(c.n_past, 0) > 0 THEN CASE WHEN c.n_conf > 0 THEN 'lost' ELSE 'end_unconfirmed' END
            WHEN r.sid IS NOT NULL THEN 'never_served' ELSE 'no_report' END AS state,
       CASE WHEN coalesce(c.n_active, 0) = 0 THEN 'not_covered'
            WHEN c.n_long = 0 AND c.n_gov < c.n_active THEN 'partially_covered'
            WHEN t.need_severity = 'high' AND c.n_active < 2 THEN 'partially_covered'
            WHEN c.n_gov = c.n_active AND t.need_severity IS NOT NULL THEN 'partially_covered'
            ELSE 'covered' END AS adequacy,
       p.individuals, p.households, c.providers, coalesce(c.n_active, 0) AS n_providers, c.next_end,
       c.lost_providers, t.need_severity, t.need_note
FROM cs s CROSS JOIN services sv
LEFT JOIN cells c ON c.sid = s.site_id AND c.service = sv.service
LEFT JOIN topneed t ON t.sid = s.site_id AND t.service = sv.service
LEFT JOIN people p ON p.site_id = s.site_id
LEFT JOIN reported r ON r.sid = s.site_id
ORDER BY s.site_id, sv.pos
"""


def duckdb_matrix(con, as_of: dt.date, horizon: int = 90) -> pd.DataFrame:
    """The gap matrix on ``as_of`` from the SQL statement of the rules."""
    return con.execute(SQL, {"d": as_of, "h": horizon}).df()


def duckdb_connection(ds: Dataset) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding the data set's sites, population, presence and needs."""
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
    for col in ("site_id", "service", "state", "adequacy", "providers", "lost_providers", "need_severity", "need_note"):
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


TOTALS_SQL = """
WITH rounds AS (
  SELECT population_group, max(reference_date) AS round_date FROM population GROUP BY ALL
), latest AS (
  SELECT p.* FROM population p JOIN rounds r ON p.population_group = r.population_group
  WHERE p.reference_date = r.round_date
), prev_dates AS (
  SELECT population_group, max(reference_date) AS prev_date FROM population p
  WHERE reference_date < (SELECT round_date FROM rounds r WHERE r.population_group = p.population_group)
  GROUP BY ALL
), prev AS (
  SELECT p.* FROM population p JOIN prev_dates d ON p.population_group = d.population_group
  WHERE p.reference_date = d.prev_date
)
SELECT r.population_group, r.round_date,
       (SELECT count(DISTINCT site_id) FROM latest l WHERE l.population_group = r.population_group) AS sites,
       (SELECT sum(individuals) FROM latest l WHERE l.population_group = r.population_group) AS individuals,
       (SELECT sum(households) FROM latest l WHERE l.population_group = r.population_group) AS households,
       (SELECT sum(individuals) FROM prev q WHERE q.population_group = r.population_group) AS previous_individuals,
       (SELECT count(DISTINCT site_id) FROM population p WHERE p.population_group = r.population_group
          AND site_id NOT IN (SELECT site_id FROM latest l WHERE l.population_group = r.population_group)) AS closed
FROM rounds r ORDER BY r.population_group
"""


def current_totals(ds: Dataset) -> pd.DataFrame:
    """Per population group, from SQL: its latest round date, sites, individuals and
    households counted, the previous round's individuals and the closed sites (no filters)."""
    return duckdb_connection(ds).execute(TOTALS_SQL).df()

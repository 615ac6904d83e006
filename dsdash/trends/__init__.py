"""Trends for the monthly meeting, one module per domain, each going table → figure →
caption:

- :mod:`dsdash.trends.national`: IDPs and returnees nationally over DTM rounds;
- :mod:`dsdash.trends.index`: Return Index and Displacement Index severity by round;
- :mod:`dsdash.trends.fvm`: facilitated voluntary movement (FVM) progress, caseload and
  return obstacles;
- :mod:`dsdash.trends.rounds`: several DTM Master List rounds, by governorate and
  district, and what changed between two rounds;
- :mod:`dsdash.trends.hotspots`: the DTM return-hotspot rule on sub-district scores, and
  the 2020 hotspots per governorate;
- :mod:`dsdash.trends.values`: missing values kept as gaps (``None``), never zeros.

Every figure builder returns a ``plotly.graph_objects.Figure`` with a title, axis units,
a source line and the data's date (styled by :mod:`dsdash.charts`), in the colours of
:data:`dsdash.schema.COLOURS`. Every caption is one plain-text line: source · date ·
method (for a page caption or a slide note).
"""

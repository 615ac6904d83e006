"""The site map: one point per site of the active data, drawn as a pydeck deck for the app
and as a static PNG for downloads and the meeting deck.

- :mod:`dsdash.map.points`: the per-site table the map shows (population, coverage,
  reported needs), the colour lenses, tooltip and caption text, the sites download table.
- :mod:`dsdash.map.legend`: legend entries shared by the deck and the static image.
- :mod:`dsdash.map.layers`: the pydeck layers (sites, labels, aggregates, boundaries,
  choropleth, movements), map styles, the view, and :func:`~dsdash.map.layers.build_site_map`.
- :mod:`dsdash.map.static`: the map and its legends drawn offline with matplotlib.
- :mod:`dsdash.map.geojson`: the sites as a GeoJSON download.
- :mod:`dsdash.map.profile`: the profile of one site (population, partners, needs, nearby).

Nothing here imports Streamlit.
"""

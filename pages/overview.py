"""Overview: key figures of the active data with their sources, and where the data came from."""

import streamlit as st

from dsdash.overview import index_figures, national_figures, site_figures
from ui.downloads import show_table
from ui.render import key_figures, report_table
from ui.sidebar import sidebar

ds, filters = sidebar(services=False)

st.title("Durable solutions in Iraq: overview")
st.caption(f"Data: {ds.name}. Filters: {filters.describe()}.")

st.subheader("Sites in the active data")
key_figures(site_figures(ds, filters))

st.subheader("National picture (IOM DTM)")
key_figures(national_figures(ds))

st.subheader("Severity (DTM Return and Displacement Index)")
key_figures(index_figures(ds))

st.subheader("Data sources")
show_table(ds.sources())
with st.expander("How each file loaded"):
    show_table(report_table(ds.reports))
st.caption("Source: International Organization for Migration (IOM), Displacement Tracking Matrix (DTM); "
           "seed documents of the DSTWG, RWG and IOM as named per row.")

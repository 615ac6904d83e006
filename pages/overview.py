"""Overview: key figures of the active data with their sources, and where the data came from."""

import streamlit as st

from dsdash.export import figures_table
from dsdash.filters import filter_sites
from dsdash.figures import index_figures, national_figures, site_figures
from dsdash.text import md_plain
from ui.downloads import download_buttons, download_workbook, show_table
from ui.render import key_figures, report_table
from ui.sidebar import sidebar

ds, view = sidebar(services=False, as_of=False, horizon=False)
filters = view.filters

st.title("Durable solutions in Iraq: overview")
st.caption(md_plain(f"Data: {ds.name}. Filters: {filters.describe()}."))

figures = {"sites": site_figures(ds, filters), "national": national_figures(ds), "index": index_figures(ds)}
st.subheader("Sites in the active data")
key_figures(figures["sites"])

st.subheader("National picture (IOM DTM)")
key_figures(figures["national"])

st.subheader("Severity (DTM Return and Displacement Index)")
key_figures(figures["index"])
download_buttons(figures_table(sum(figures.values(), [])), "dsdash-key-figures", key="dl_figures",
                 label="Key figures")

st.subheader("Data sources")
show_table(ds.sources())
with st.expander("How each file loaded"):
    show_table(report_table(ds.reports))
with st.expander("Download the data"):
    st.caption("Sites after the filters:")
    download_buttons(filter_sites(ds.sites, filters, ds.population), "dsdash-sites", key="dl_sites", table="sites",
                     label="Sites")
    download_workbook(ds.tables, "dsdash-all-tables", key="dl_all")
st.caption("Source: International Organization for Migration (IOM), Displacement Tracking Matrix (DTM); "
           "seed documents of the DSTWG, RWG and IOM as named per row.")

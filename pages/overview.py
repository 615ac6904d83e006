"""Overview: key figures of the active data with their sources, and where the data came from."""

import streamlit as st

from dsdash.export import figures_table
from dsdash.filters import filter_sites
from dsdash.figures import closed_sites_table, closed_text, current_picture, index_figures, national_figures
from dsdash.i18n import _
from dsdash.provenance import dataset_name, local_date
from dsdash.text import md_plain
from ui.downloads import download_buttons, download_workbook, show_table
from ui.render import key_figures, report_table
from ui.areas import area_section
from ui.sidebar import sidebar
from ui.state import coverage_on, prepared_coverage

ds, view = sidebar(services=False, as_of=False, horizon=False)
filters = view.filters

st.title(_("Durable solutions in Iraq: overview"))
st.caption(md_plain(_("Data: {name}. Filters: {filters}.").format(name=dataset_name(ds.name), filters=filters.describe())))

picture = current_picture(ds, filters)
figures = {"sites": picture.figures, "national": national_figures(ds), "index": index_figures(ds)}
st.subheader(_("Sites in the active data"))
key_figures(figures["sites"])
st.caption(md_plain(picture.round_line))
if len(picture.closed):
    with st.expander(closed_text(picture)):
        show_table(closed_sites_table(picture), key="tbl_closed")
area_section(coverage_on(ds, filters, prepared_coverage(ds, filters), view.resolved_as_of(ds), view.horizon_days),
             key="overview_areas", title=_("Sites by area"), default="catchment")  # issue 16

st.subheader(_("National picture (IOM DTM)"))
key_figures(figures["national"])

st.subheader(_("Severity (DTM Return and Displacement Index)"))
key_figures(figures["index"])
download_buttons(figures_table(sum(figures.values(), [])), "dsdash-key-figures", key="dl_figures",
                 label=_("Key figures"))

st.subheader(_("Data sources"))
show_table(ds.sources())
with st.expander(_("How each file loaded")):
    show_table(report_table(ds.reports))
with st.expander(_("Download the data")):
    st.caption(_("Sites after the filters:"))
    download_buttons(filter_sites(ds.sites, filters, ds.population), "dsdash-sites", key="dl_sites", table="sites",
                     label=_("Sites"))
    download_workbook(ds.tables, "dsdash-all-tables", key="dl_all")
st.caption(_("Source: International Organization for Migration (IOM), Displacement Tracking Matrix (DTM); "
             "seed documents of the DSTWG, RWG and IOM as named per row."))

# What changed (dsdash.history): each population group's previous round against its latest.
from ui.history import show_changes  # noqa: E402
from ui.state import round_changes  # noqa: E402

with st.expander(_("What changed since the previous round"), expanded=False):
    show_changes(round_changes(ds, filters), key="overview_changes")
    st.caption(_("Compare any two publications or dates of the workspace on the Workspace page (History)."))

# What changed since a chosen date (dsdash.history.changes_since): exits confirmed, planned ends passed, needs, sites.
import datetime as _dt  # noqa: E402

from dsdash.history import changes_since  # noqa: E402
from dsdash.view import date_bounds  # noqa: E402
from ui.dates import date_field  # noqa: E402
from ui.history import show_since  # noqa: E402

with st.expander(_("What changed since a chosen date (exits, planned ends, needs, sites)"), expanded=False):
    until = view.resolved_as_of(ds) or _dt.date.today()
    lo, hi = date_bounds(ds)
    since = date_field(_("Since (default: the previous meeting, 30 days before)"), "overview_since",
                       start=until - _dt.timedelta(days=30), lo=lo, hi=hi, follow=True)
    show_since(changes_since(ds, since, until, filters=filters), key="overview_since")
    st.caption(_("Up to {date}, the data's latest date. Exits confirmed: the source or an editor's answer "
                 "says the partner left; planned ends passed: nobody has confirmed them yet (Gaps and exits page, "
                 "Follow-up).").format(date=local_date(until)))

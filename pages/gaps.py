"""Gaps and partner exits: who loses which service, when, and how many people."""

import datetime as dt

import streamlit as st

from dsdash import coverage as C
from dsdash import gaps as G
from dsdash.text import md_plain
from ui.downloads import download_buttons, show_table
from ui.render import key_figures
from ui.sidebar import sidebar

ds, filters = sidebar()
st.title("Gaps and partner exits")
st.caption(md_plain(f"Data: {ds.name}. Filters: {filters.describe()}."))

lo, hi = G.date_bounds(ds)
latest = ds.latest_date() or dt.date.today()
c1, c2 = st.columns(2)
as_of = c1.date_input("As-of date", value=min(max(latest, lo), hi), min_value=lo, max_value=hi, key="gaps_as_of",
                      format="YYYY-MM-DD", help="Coverage on this day. Default: the latest date in the data.")
horizon = int(c2.number_input("At-risk horizon (days)", min_value=0, max_value=730, value=90, step=15,
                              key="gaps_horizon", help="A cell is at risk when every provider ends within it."))

matrix = C.coverage_matrix(ds, as_of, horizon_days=horizon, filters=filters)
key_figures(G.gap_figures(matrix, ds))
unmatched = G.unmatched_table(matrix)
if len(unmatched):
    st.warning(f"{len(unmatched)} partner presence row(s) name an area that matches no site: not counted.")
    show_table(unmatched, key="tbl_unmatched")

st.subheader("Site × service coverage")
st.plotly_chart(G.heatmap_figure(matrix), key="fig_heatmap")
st.caption(md_plain(G.caption(ds, matrix, "Sites ordered by people affected (individuals at sites with a lost or "
                                          "at-risk service); the number after each site is its individuals")))
with st.expander("The matrix as a table", expanded=False):
    show_table(G.matrix_table(matrix), key="tbl_matrix")
download_buttons(matrix, f"dsdash-gap-matrix-{as_of:%Y-%m-%d}", key="dl_matrix", label="Gap matrix")

st.subheader("People without each service")
st.plotly_chart(G.people_without_figure(matrix), key="fig_people")
st.caption(md_plain(G.caption(ds, matrix, "Individuals of the sites whose cell is lost, never served, handed over "
                                          "to government only or at risk; a person is counted once per service")))
show_table(C.people_without_service(matrix), key="tbl_people")

st.subheader("Partner presence over time")
timeline = G.timeline_table(ds, as_of, filters=filters, horizon_days=horizon)
st.plotly_chart(G.timeline_figure(ds, as_of, table=timeline), key="fig_timeline")
st.caption(md_plain(G.caption(ds, matrix, "One bar per presence row; open starts drawn from the left edge, open ends to "
                                          f"the right edge; {timeline.attrs.get('left_out', 0)} row(s) that ended on a date "
                                          "the source does not give are left out")))
with st.expander("Upcoming partner exits (next 180 days)"):
    show_table(C.upcoming_exits(ds, as_of, horizon_days=180, filters=filters), key="tbl_upcoming")
    st.caption("Partners serving on the as-of date whose end date falls within 180 days; 'left without': "
               "sites where no other provider of that day continues after it.")

st.subheader("Exit scenario")
s1, s2 = st.columns([2, 1])
leaving = s1.multiselect("Partners that leave", G.partner_names(ds), key="gaps_exit_partners")
exit_date = s2.date_input("Exit date (first day without them)", value=as_of, min_value=lo, max_value=hi,
                          key="gaps_exit_date", format="YYYY-MM-DD")
if leaving:
    scenario = C.exit_scenario(ds, leaving, exit_date, as_of=as_of, horizon_days=horizon, filters=filters)
    key_figures(G.scenario_figures(scenario, ds))
    st.plotly_chart(G.scenario_figure(scenario), key="fig_scenario")
    st.caption(md_plain(G.caption(ds, matrix, "Cells served had the partners stayed and lost with the exit, evaluated on "
                                              f"{scenario.attrs['evaluated_on']}")))
    show_table(G.scenario_table(scenario), key="tbl_scenario")
    download_buttons(scenario, f"dsdash-exit-scenario-{exit_date:%Y-%m-%d}", key="dl_scenario", label="Scenario")
else:
    st.info("Choose one or more partners to see which services fall away if they leave on the exit date.")

st.subheader("Handover to government")
handover = G.handover_table(ds, matrix)
show_table(handover, key="tbl_handover")
st.caption(md_plain(G.caption(ds, matrix, "Cells only a government body serves, and lost cells where the leaving partner "
                                          "asked a body to take over; notes on capacity as the seed states them")))
download_buttons(handover, f"dsdash-handover-{as_of:%Y-%m-%d}", key="dl_handover", label="Handover list")

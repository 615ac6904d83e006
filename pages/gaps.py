"""Gaps and partner exits: who loses which service, when, and how many people."""

import streamlit as st

from dsdash.coverage import plots as P
from dsdash.coverage import tables as T
from dsdash.coverage.exits import UPCOMING_DAYS, exit_scenario, upcoming_exits
from dsdash.coverage.summary import people_without_service
from dsdash.i18n import _
from dsdash.provenance import dataset_name, local_date
from dsdash.text import md_plain
from dsdash.view import date_bounds
from ui.dates import date_field
from ui.followup import followup_section
from ui.lang import choose_placeholder, fragment
from ui.downloads import download_buttons, show_table
from ui.render import key_figures
from ui.areas import area_section
from ui.wide import wide
from ui.sidebar import sidebar, view_warnings
from ui.state import coverage_on, derived, on_date, prepared_coverage

ds, view = sidebar()
filters, as_of, horizon = view.filters, view.as_of, view.horizon_days
st.title(_("Gaps and partner exits"))
st.caption(md_plain(_("Data: {name}. View: {view}.").format(name=dataset_name(ds.name), view=view.describe())))
stale = view_warnings(ds, view, "population", "presence", "needs", period=True)

prep = prepared_coverage(ds, filters)
cov = coverage_on(ds, filters, prep, as_of, horizon)  # shared by sessions on the same date
matrix = cov.matrix
key_figures(stale.mark(on_date(T.gap_figures, ds, filters, as_of, horizon, cov, ds), "presence", "population"))
st.caption(T.completeness_text(prep, as_of) + ".")
unmatched = on_date(T.unmatched_table, ds, filters, as_of, horizon, cov)
if len(unmatched):
    st.warning(_("{n} partner presence row(s) name an area that matches no site: not counted.").format(n=len(unmatched)))
    show_table(unmatched, key="tbl_unmatched")

st.subheader(_("Site × service coverage"))
lens = st.radio(_("Colour the cells by"), ["State", "Adequacy"], horizontal=True, key="gaps_lens", format_func=_,
                help=_("State: who serves on the date (lost, end unconfirmed, at risk …). Adequacy: covered, partially "
                       "covered or not covered, from the state, the number of providers and the reported need."))
with wide("heatmap"):  # scrolls sideways on a phone instead of squeezing (ui/wide.css)
    st.plotly_chart(on_date(P.heatmap_figure, ds, filters, as_of, horizon, cov, lens=lens.lower()), key="fig_heatmap")
st.caption(md_plain(derived(T.caption, ds, cov, _("Sites ordered by people affected (individuals at sites with a lost, "
                                            "unconfirmed or at-risk service); the number after each site is its individuals"))))
with st.expander(_("The matrix as a table"), expanded=False):
    show_table(on_date(T.matrix_table, ds, filters, as_of, horizon, matrix, ds.sites), key="tbl_matrix")
download_buttons(matrix, f"dsdash-gap-matrix-{as_of:%Y-%m-%d}", key="dl_matrix", label=_("Gap matrix"))
area_section(cov, key="gaps_areas")  # per governorate, district or catchment (issue 16)

st.subheader(_("People without each service"))
st.plotly_chart(on_date(P.people_without_figure, ds, filters, as_of, horizon, cov), key="fig_people")
st.caption(md_plain(derived(T.caption, ds, cov, _("Individuals of the sites whose cell is lost, end unconfirmed, never served, "
                                            "handed over to government only or at risk; a person is counted once per "
                                            "service"))))
show_table(on_date(people_without_service, ds, filters, as_of, horizon, matrix), key="tbl_people")
with st.expander(_("Adequacy of coverage, by people")):
    show_table(on_date(T.adequacy_table, ds, filters, as_of, horizon, matrix), key="tbl_adequacy")
    st.caption(_("Not covered: nobody serves the cell. Partially covered: every provider ends within the horizon, a "
                 "need of high severity is reported with fewer than two providers, or only government serves a cell "
                 "with a reported need. Covered: served otherwise. Individuals summed over sites, per service."))

st.subheader(_("Partner presence over time"))
timeline = on_date(T.timeline_table, ds, filters, as_of, horizon, prep, as_of, horizon_days=horizon)
st.plotly_chart(on_date(P.timeline_figure, ds, filters, as_of, horizon, timeline, as_of), key="fig_timeline")
st.caption(md_plain(derived(T.caption, ds, cov, _("One bar per presence row; open starts drawn from the left edge, open ends to "
                                            "the right edge; {left_out}").format(left_out=timeline.left_out_text()))))
with st.expander(_("Upcoming partner exits (next {n} days)").format(n=UPCOMING_DAYS)):
    show_table(on_date(upcoming_exits, ds, filters, as_of, horizon, prep, as_of, horizon_days=UPCOMING_DAYS),
               key="tbl_upcoming")
    st.caption(_("Partners serving on the as-of date whose end date falls within {n} days; 'left without': "
                 "sites where no other provider of that day continues after it.").format(n=UPCOMING_DAYS))

followup_section(ds, prep, cov)


@fragment  # choosing partners or an exit date reruns this section only, not the page (in the reader's language)
def _exit_scenario():
    st.subheader(_("Exit scenario"))
    lo, hi = date_bounds(ds)
    s1, s2 = st.columns([2, 1])
    leaving = s1.multiselect(_("Partners that leave"), T.partner_names(ds), key="gaps_exit_partners",
                             placeholder=choose_placeholder())
    with s2:  # starts at the as-of date and moves with it; a typed date applies on Enter
        exit_date = date_field(_("Exit date (first day without them)"), "gaps_exit_date", start=as_of, lo=lo, hi=hi,
                               follow=True)
    if leaving:
        scenario = exit_scenario(prep, leaving, exit_date, as_of=as_of, horizon_days=horizon)
        key_figures(stale.mark(T.scenario_figures(scenario, ds), "presence", "population"))
        st.plotly_chart(P.scenario_figure(scenario), key="fig_scenario")
        st.caption(md_plain(derived(T.caption, ds, cov, _("Cells served had the partners stayed and lost with the exit, "
                                                 "evaluated on {date}").format(date=local_date(scenario.evaluated_on)))))
        show_table(T.scenario_table(scenario), key="tbl_scenario")
        st.caption(_("Whether each leaving partner's recorded end is planned (an exit not confirmed yet), confirmed, or "
                     "open (no end date):"))
        show_table(T.partner_ends_table(scenario), key="tbl_scenario_ends")
        download_buttons(scenario.cells, f"dsdash-exit-scenario-{exit_date:%Y-%m-%d}", key="dl_scenario",
                         label=_("Scenario"))
    else:
        st.info(_("Choose one or more partners to see which services fall away if they leave on the exit date."))


_exit_scenario()

st.subheader(_("Handover to government"))
handover = on_date(T.handover_table, ds, filters, as_of, horizon, ds, cov)
show_table(handover, key="tbl_handover")
st.caption(md_plain(derived(T.caption, ds, cov, _("Cells only a government body serves, and lost cells where the leaving partner "
                                            "asked a body to take over; notes on capacity as the seed states them"))))
download_buttons(handover, f"dsdash-handover-{as_of:%Y-%m-%d}", key="dl_handover", label=_("Handover list"))

"""Trends: national displacement and returns over DTM rounds, index severity, FVM progress, hotspots."""

import streamlit as st

from dsdash.trends import hotspots as H
from dsdash.importers import problems_frame
from dsdash.importers.worker import read_subdistricts
from dsdash.figures import current_picture, index_figures, national_figures
from dsdash import trends_page as T
from dsdash.i18n import _
from dsdash.text import md_plain
from dsdash.trends.fvm import (
    caseload_table,
    fvm_by_period,
    fvm_figures,
    fvm_footnotes,
    fvm_funnel,
    fvm_funnel_caption,
    fvm_funnel_figure,
    fvm_period_caption,
    fvm_period_figure,
    obstacles_table,
)
from dsdash.trends.index import INDEX_LABELS, index_caption, index_severity_figure, index_table
from dsdash.trends.national import (
    national_caption,
    national_latest_change,
    national_series_table,
    national_trend_figure,
)
from dsdash.trends.rounds import (
    admin_caption,
    admin_trend_figure,
    filtered,
    has_several_rounds,
    population_groups,
    round_change_summary,
    round_change_table,
    round_dates,
    rounds_after,
)
from ui.downloads import download_buttons, show_table
from ui.reports import show_problems
from ui.render import key_figures
from ui.sidebar import sidebar

ds, view = sidebar(services=False, as_of=False, horizon=False)
filters = view.filters
local = filtered(ds, filters)  # the Master List breakdown follows the filters

st.title(_("Trends"))
st.caption(md_plain(T.page_caption(ds.name, filters.describe())))
tab_nat, tab_idx, tab_fvm, tab_hot = st.tabs(T.tabs())

with tab_nat:
    key_figures(national_figures(ds))
    st.plotly_chart(national_trend_figure(ds), key="fig_national")
    st.caption(md_plain(national_caption(ds)))
    change = national_latest_change(ds)
    show_table(change, key="tbl_national_change")
    with st.expander(_("National series by round (table)")):
        series = national_series_table(ds)
        show_table(series, key="tbl_national")
        download_buttons(series, "dsdash-national-series", key="dl_national")

    st.subheader(_("By governorate and district (Master List rounds)"))
    st.caption(md_plain(current_picture(ds, filters).round_line))  # the Overview's line: each group's latest round
    if has_several_rounds(local):
        c1, c2 = st.columns(2)
        level = c1.radio(_("Level"), list(T.LEVELS), horizontal=True, key="adm_level", format_func=T.level_label)
        group = c2.selectbox(_("Population group"), population_groups(local), key="adm_group",
                             format_func=T.group_label)
        st.plotly_chart(admin_trend_figure(local, level, group), key="fig_admin")
        st.caption(md_plain(admin_caption(local)))
        dates = round_dates(ds, group)  # the group's own rounds (the default: its previous and latest)
        if len(dates) < 2:
            st.info(T.one_round_text(group))
        else:
            c3, c4 = st.columns(2)
            before = c3.selectbox(_("From round"), dates[:-1], index=T.default_from(dates), key="chg_before",
                                  format_func=T.round_label)
            later = rounds_after(dates, before)
            after = c4.selectbox(_("To round"), later, key="chg_after", index=len(later) - 1,
                                 format_func=T.round_label)
            changes = round_change_table(local, before, after, group)
            show_table(round_change_summary(changes), key="tbl_change_summary")
            st.caption(_("Sites that appeared or closed first, then the largest rises and falls (individuals)."))
            show_table(changes, key="tbl_changes")
            download_buttons(changes, "dsdash-round-change", key="dl_changes")
    else:
        st.info(md_plain(T.no_rounds_text(admin_caption(local))))

with tab_idx:
    key_figures(index_figures(ds))
    for index, label in INDEX_LABELS.items():
        st.subheader(T.index_heading(label))
        st.plotly_chart(index_severity_figure(ds, index), key=f"fig_{index}")
        st.caption(md_plain(index_caption(ds, index)))
        table = index_table(ds, index)
        show_table(table, key=f"tbl_{index}")
        download_buttons(table, f"dsdash-{index.replace('_', '-')}", key=f"dl_{index}", table="index_rounds")

with tab_fvm:
    key_figures(fvm_figures(ds))
    st.plotly_chart(fvm_funnel_figure(ds), key="fig_fvm_funnel")
    st.caption(md_plain(fvm_funnel_caption(ds)))
    st.markdown("**" + _("Footnotes of the source") + "**")
    for note in fvm_footnotes(ds):
        st.text(note)
    funnel = fvm_funnel(ds)
    show_table(funnel, key="tbl_fvm_funnel")
    st.plotly_chart(fvm_period_figure(ds), key="fig_fvm_period")
    st.caption(md_plain(fvm_period_caption(ds)))
    periods = fvm_by_period(ds)
    show_table(periods, key="tbl_fvm_period")
    download_buttons(periods, "dsdash-fvm-by-period", key="dl_fvm")
    st.subheader(_("Priority caseload (context)"))
    show_table(caseload_table(ds), key="tbl_caseload")
    st.subheader(_("Return obstacles: the three categories"))
    st.caption(T.obstacles_caption())
    show_table(obstacles_table(ds), key="tbl_obstacles")

with tab_hot:
    st.caption(T.hotspot_rule_caption(H.HOTSPOT_RULE_TEXT))
    st.plotly_chart(H.hotspot_figure(ds), key="fig_hotspots")
    st.caption(T.hotspot_source_caption(H.HOTSPOT_CITATION))
    by_gov = H.hotspots_by_governorate(ds)
    show_table(by_gov, key="tbl_hotspots")
    download_buttons(by_gov, "dsdash-hotspots-2020", key="dl_hotspots")
    with st.expander(_("Hotspot sub-districts (2020)")):
        show_table(H.hotspot_subdistricts(ds), key="tbl_hotspot_subdistricts")
    st.subheader(_("Apply the rule to your sub-district data"))
    st.caption(T.hotspot_file_caption())
    up = st.file_uploader(_("Sub-district Return Index scores"), type=["csv", "xlsx"], key="hotspot_upload")
    if up is not None:
        scores, report = read_subdistricts(up.getvalue(), up.name)  # worker process, limits
        st.text(report.counts_text + ".")
        if report.problems:
            show_problems(problems_frame([report]), key="tbl_hotspot_problems")  # levels in words
        if len(scores):
            result = H.apply_hotspot_rule(scores)
            show_table(result, key="tbl_hotspot_result")
            download_buttons(result, "dsdash-hotspot-rule", key="dl_hotspot_rule")

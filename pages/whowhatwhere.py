"""Who does what where: partners per area and service on the as-of date, a choropleth, and one
partner's footprint (where, until when, who is left if it goes)."""

import streamlit as st

from dsdash.catchments import KIND_LABELS, load_catchments, table_in_use_text
from dsdash.areas import outside_words
from dsdash.map.areas import area_choropleth
from dsdash.map.static import legend_png
from dsdash.schema import SERVICE_LABELS
from dsdash.i18n import _
from dsdash.provenance import dataset_name, local_date
from dsdash.text import md_plain
from dsdash.wwww import (LEVELS, MEASURES, OUTSIDE, area_values, footprint_summary, footprint_words,
                         partner_footprint, partners_on, who_does_what_where)
from ui.downloads import download_buttons, show_table
from ui.sidebar import sidebar, view_warnings

ds, view = sidebar()
filters, as_of, horizon = view.filters, view.resolved_as_of(ds), view.horizon_days
st.title(_("Who does what where"))
st.caption(md_plain(_("Data: {name}. View: {view}.").format(name=dataset_name(ds.name), view=view.describe())))
view_warnings(ds, view, "population", "presence", period=True)

c1, c2 = st.columns(2)
with c1:
    level = st.radio(_("Areas"), list(LEVELS), format_func=lambda k: _(LEVELS[k]), index=1, key="www_level", horizontal=True)
with c2:
    kind = st.selectbox(_("Catchments"), list(KIND_LABELS), format_func=lambda k: _(KIND_LABELS[k]), key="www_kind",
                        disabled=level != "catchment")

w = who_does_what_where(ds, filters, as_of=as_of, level=level, kind=kind, horizon_days=horizon)
st.subheader(_("Partners per {area} and service on {date}").format(area=_(LEVELS[level]).lower(), date=local_date(as_of)))
st.caption(_("Partners: those serving at least one site of the area with the service on the date (government "
             "directorates included). People at served sites and people without the service add up to the "
             "area's people (individuals, each population group's latest round; closed sites left out). "
             "Areas are the sites' stated governorate or district; a catchment is a set of districts "
             "(the table at the foot of the page: each row stated by a source document or assumed, with the reasoning)."))
if w.table.empty:
    st.info(_("No sites match these filters."))
    st.stop()
st.dataframe(w.grid(), key="www_grid", width="stretch")  # numbers only: areas × services in words
if level == "catchment":  # sites no catchment of this kind holds: their own row, and said (issue 16)
    outside = w.sites[w.sites["catchment"] == OUTSIDE]
    if len(outside):
        st.warning(md_plain(outside_words(outside)), icon=":material/info:")
with st.expander(_("Partners by name, people served and without"), expanded=False):
    show_table(w.table, key="www_table")
download_buttons(w.table, f"dsdash-who-does-what-where-{as_of:%Y-%m-%d}", key="www_dl", label=_("Who does what where"))

st.subheader(_("Map"))
if level == "admin1":
    st.caption(_("Choose districts or catchments to draw the map."))
else:
    m1, m2 = st.columns(2)
    with m1:
        measure = st.selectbox(_("Shade by"), list(MEASURES), format_func=lambda k: _(MEASURES[k]), key="www_measure")
    with m2:
        svc = st.selectbox(_("Service"), [None, *filters.service_list()], key="www_service",
                           format_func=lambda s: _("All services") if s is None else _(SERVICE_LABELS.get(s, s)))
    vals = area_values(w, measure, svc)
    label = _(MEASURES[measure]) + ("" if svc is None else f" ({_(SERVICE_LABELS.get(svc, svc))})")
    deck, legend, attribution = area_choropleth(ds, vals, level=level, measure_label=label, kind=kind)
    st.pydeck_chart(deck, key="www_map", height=420, alt=_("Map of {measure} per {area}").format(measure=label, area=_(LEVELS[level]).lower()))
    st.image(legend_png([legend], width_px=560))
    st.caption(md_plain(attribution))

st.subheader(_("One partner's footprint"))
partners = partners_on(w)
if not partners:
    st.caption(_("No partner serves these sites on the date."))
else:
    partner = st.selectbox(_("Partner"), partners, key="www_partner")
    fp = partner_footprint(ds, partner, filters, as_of=as_of, horizon_days=horizon)
    summary = footprint_summary(fp)
    st.markdown(md_plain(footprint_words(partner, fp, as_of)))
    show_table(summary, key="www_fp_summary")
    with st.expander(_("Site by site"), expanded=False):
        show_table(fp, key="www_fp")
    download_buttons(fp, f"dsdash-footprint-{as_of:%Y-%m-%d}", key="www_fp_dl", label=_("Footprint"))

with st.expander(_("The catchments: which districts, and on what basis"), expanded=False):
    show_table(load_catchments(), key="www_catchments")
    st.caption(md_plain(table_in_use_text()))  # which table: the bundled one or a user's (issue 16)

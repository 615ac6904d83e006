"""Site map: where people are, who serves them, what is missing. Click a site for its profile."""

import streamlit as st

from dsdash.map.geojson import to_geojson_bytes
from dsdash.map.layers import AGGREGATIONS, AUTO_AGGREGATE_ABOVE, MAP_STYLES, build_site_map, selected_site_id
from dsdash.map.points import LENSES, sites_table
from dsdash.map.profile import population_trend_figure, search_sites, site_options, site_profile
from dsdash.map.static import legend_png, static_map_png
from dsdash.schema import SERVICE_LABELS
from dsdash.spatial import boundaries_for, boundary_disagreements
from dsdash.i18n import _, in_language, ngettext
from dsdash.provenance import dataset_name, fmt_number
from dsdash.text import md_plain
from ui.downloads import download_buttons, show_table
from ui.sidebar import sidebar, view_warnings
from ui.state import on_date

ds, view = sidebar(horizon=False)  # the map colours cells by the engine's default horizon
filters, as_of = view.filters, view.as_of
PRECISION = {5: _("5 decimals (about 1 m)"), 4: _("4 decimals (about 10 m)"), 3: _("3 decimals (about 100 m)"),
             2: _("2 decimals (about 1 km)")}
LEVELS = {"adm1": _("Governorates"), "adm2": _("Districts"), "catchment": _("ABC catchments")}

with st.sidebar:
    st.subheader(_("Map"))
    lens = st.radio(_("Colour sites by"), list(LENSES), format_func=lambda k: _(LENSES[k]), key="map_lens")
    style = st.selectbox(_("Map style"), list(MAP_STYLES), format_func=lambda k: _(MAP_STYLES[k].label), key="map_style")
    labels = st.toggle(_("Label the largest sites"), value=True, key="map_labels")
    aggregation = st.selectbox(_("Sites or aggregates"), list(AGGREGATIONS), key="map_agg",
                               format_func=lambda k: _(AGGREGATIONS[k]).format(n=AUTO_AGGREGATE_ABOVE))
    bounds = boundaries_for(ds)  # the bundled COD-AB outlines, or the user's own file per level
    levels = [lv for lv in LEVELS if lv in bounds or (lv == "catchment" and "adm2" in bounds)]
    choropleth = st.toggle(_("Shade areas by individuals"), key="map_choropleth") if levels else False
    level = st.radio(_("Shade"), levels, format_func=LEVELS.get, key="map_level") if choropleth else None

st.title(_("Site map"))
view_warnings(ds, view, "population", "presence", "needs")
st.caption(md_plain(_("Data: {name}. Filters: {filters}.").format(name=dataset_name(ds.name), filters=filters.describe())))
query = st.text_input(_("Find a site (English or Arabic name)"), key="map_find",
                      placeholder=_("e.g. Kilo 18, Bzebiz, كيلو"))
chosen = st.session_state.get("map_site")
m = on_date(build_site_map, ds, filters, as_of, 0, ds, filters, as_of=as_of, lens=lens, map_style=style, labels=labels,
            aggregation=aggregation, boundary_level=level, choropleth=choropleth, catchments=filters.catchment,
            highlight=chosen)  # kept per view for every session (ui.state)
found = search_sites(m.points, query) if query else None
if found is not None and not found:
    st.caption(_("No site name contains '{query}'.").format(query=query))
elif found and len(found) == 1 and found[0] != chosen and st.session_state.get("map_found") != query:
    st.session_state["map_site"] = found[0]  # one match: zoom to it (once per search)
    st.session_state["map_found"] = query
    st.rerun()
if MAP_STYLES[style].online:
    st.warning(md_plain(m.style_note), icon=":material/cloud_off:")
else:
    st.caption(md_plain(m.style_note))
event = st.pydeck_chart(m.deck, on_select="rerun", selection_mode="single-object", key="site_map", height=560,
                        alt=_("Map of {n} sites, circles sized by individuals").format(n=len(m.points)))
st.caption(md_plain(m.attribution + (_(" The map is zoomed to the chosen site: clear the choice below to see "
                                       "every site.") if chosen in set(m.points["site_id"]) else "")))
if lens == "coverage" and not filters.services:
    st.caption(_("Colours count all {n} services, so most sites show some lost service: "
                 "choose services under Filters to see where those are missing.").format(n=len(SERVICE_LABELS)))
st.image(legend_png(m.legends, width_px=560))  # readable on a 400-px phone too
st.caption(md_plain(m.caption))
for note in m.notes:
    st.caption(md_plain(note))

st.subheader(_("Site profile"))
options = site_options(m.points)
if found:
    options = {k: options[k] for k in found if k in options} | {k: v for k, v in options.items() if k == chosen}
clicked = selected_site_id(event.selection)
if clicked and clicked != st.session_state.get("map_last_click") and clicked in options:
    st.session_state["map_site"] = clicked
    st.session_state["map_last_click"] = clicked
    st.rerun()  # draw the map again, zoomed to the site
st.session_state["map_last_click"] = clicked
if not options:
    st.info(_("No sites match these filters."))
site_id = st.selectbox(_("Click a circle on the map, or choose a site"), list(options), index=None,
                       format_func=options.get, key="map_site", placeholder=_("Choose a site"))
prof = site_profile(ds, site_id, as_of=as_of) if site_id else None
if prof is not None:
    st.text(f"{prof.name}  {prof.name_ar}".strip())
    show_table(prof.facts)
    st.markdown("**" + _("Population") + "**")
    fig = population_trend_figure(prof)
    if fig is not None:
        st.plotly_chart(fig, key="map_trend")
    show_table(prof.population)
    st.markdown(_("**Partners by service** (state on {date}, the as-of date)").format(
        date=prof.as_of or _("an unknown date")))
    show_table(prof.partners)
    st.markdown("**" + _("Reported needs") + "**")
    if len(prof.needs):
        show_table(prof.needs)
    else:
        st.caption(_("No needs reported for this site."))
    st.markdown(_("**Sites nearby** (within 25 km; distance in km, measured in a metric projection)"))
    if len(prof.nearby):
        show_table(prof.nearby)
    else:
        st.caption(_("No other site within 25 km."))

if levels:
    st.subheader(_("Sites whose stated area disagrees with the boundaries"))
    bad = boundary_disagreements(m.points, bounds)
    if len(bad):
        st.caption(_("The coordinates fall in another polygon than the stated governorate or district: "
                     "either the code or the coordinates are wrong."))
        show_table(bad)
    else:
        st.caption(_("All {n} sites fall in their stated governorate and district polygons.").format(
            n=fmt_number(len(m.points))))

st.subheader(_("Downloads"))
download_buttons(sites_table(m.points), "dsdash_sites", key="map_sites", table="sites", label=_("Sites"))
c1, c2 = st.columns(2)
with c1:
    precision = st.selectbox(_("GeoJSON coordinate precision"), list(PRECISION), format_func=PRECISION.get,
                             key="map_precision")
    st.download_button(_("Sites GeoJSON"), in_language(to_geojson_bytes, m.points, precision=precision),
                       "dsdash_sites.geojson", "application/geo+json", key="map_geojson", on_click="ignore")
with c2:
    st.caption(_("A static image of the map (drawn without internet; the meeting deck uses the same)."))
    st.download_button(_("Map image (PNG)"), in_language(static_map_png, ds, filters, as_of=as_of, lens=lens),
                       "dsdash_site_map.png", "image/png", key="map_png", on_click="ignore")

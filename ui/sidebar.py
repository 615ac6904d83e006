"""The shared sidebar: which data is active, the as-of date and horizon, and the filters.

It returns one :class:`dsdash.view.View`, and writes that view into the URL query string on
every page, so the date and filters carry from page to page and a view can be shared by link.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import fields

import streamlit as st

from dsdash.catchments import catchment_names, use_dataset
from dsdash.dataset import Dataset
from dsdash.filters import Filters
from dsdash.i18n import _, name
from dsdash.provenance import dataset_name
from dsdash.periods import Staleness, staleness, warnings
from dsdash.schema import POPULATION_GROUP_LABELS, SERVICE_LABELS, SITE_TYPE_LABELS, governorate_name
from dsdash.view import MAX_HORIZON_DAYS, QUERY_KEYS, View, checked_as_of, date_bounds
from ui.dates import date_field
from ui.lang import apply as apply_language, choose_placeholder, style as rtl_style, switch as language_switch
from ui.state import AS_OF_KEY, HORIZON_KEY, active_dataset
from ui.workspace import workspace_caption


#: The last view the session showed (a plain value, not a widget key): a page switch clears
#: the URL and Streamlit drops page widgets' state, so the next page starts from it.
VIEW_KEY = "dsdash_view"
#: Widget keys of the filters, one per Filters field.
FILTER_KEYS = {f.name: f"flt_{f.name}" for f in fields(Filters)}


def _options(ds: Dataset, column: str) -> list[str]:
    s = ds.sites[column].dropna() if column in ds.sites.columns else []
    return sorted({str(x) for x in s if str(x)})


def _district_names(ds: Dataset) -> list[tuple[str, str]]:
    """(p-code, name) of the data's districts, the name in the reader's language where the data
    or COD-AB gives it (:func:`dsdash.schema.district_name`)."""
    from dsdash.schema import district_name

    cols = ["admin2_code", "admin2_name"]
    return [(code, district_name(code, label)) for code, label in ds.sites[cols].dropna().itertuples(index=False)]


def _start(key: str, value, fresh: bool) -> None:
    """Give widget ``key`` its starting value: always on a fresh page (``fresh``), else only
    when Streamlit holds none (a rerun keeps what the user chose)."""
    if fresh or key not in st.session_state:
        st.session_state[key] = value


def _multiselect(label: str, field_name: str, options: list[str], current: tuple[str, ...], fresh: bool,
                 dropped: list[str], fmt=str) -> tuple[str, ...]:
    """A filter's multiselect, starting at ``current``. Values the active data does not hold
    (a link or another page made for other data) are left out and named in ``dropped``."""
    key = FILTER_KEYS[field_name]
    start = fresh or key not in st.session_state
    kept = list(current) if start else st.session_state[key]
    kept = kept if isinstance(kept, list) else []
    if start or any(c not in options for c in kept):
        gone = [c for c in kept if c not in options]
        if gone:
            dropped.append(_("{filter}: {values}").format(filter=label.lower(), values=", ".join(str(fmt(c)) for c in gone)))
        st.session_state[key] = [c for c in kept if c in options]
    return tuple(st.multiselect(label, options, key=key, format_func=fmt, placeholder=choose_placeholder()))


def _as_of(ds: Dataset, chosen: dt.date | None, shown: bool, fresh: bool) -> tuple[dt.date | None, str | None]:
    """The as-of date and, when the date asked for lies outside the data's range, a note that
    it was reset (:func:`dsdash.view.checked_as_of`). The field's date when it is shown (a
    typed date applies on Enter: :func:`ui.dates.date_field`; it starts at ``chosen``, or the
    data's latest date), else ``chosen``."""
    day, note = checked_as_of(ds, chosen)
    if not shown:
        return day, note
    lo, hi = date_bounds(ds)
    kept = st.session_state.get(AS_OF_KEY)
    if not fresh and isinstance(kept, dt.date) and not lo <= kept <= hi:  # kept from other data
        day, note = checked_as_of(ds, kept)
    picked = date_field(_("As-of date"), AS_OF_KEY, start=day or dt.date.today(), lo=lo, hi=hi, force=fresh,
                        example=ds.latest_date(),
                        help=_("Coverage on this day: gap matrix, exits, map and deck. Type a date (2023-12-10 or "
                               "10 Dec 2023) and press Enter, or pick one from the calendar. "
                               "Default: the latest date in the data."))
    return picked, note


def _horizon(chosen: int, shown: bool, fresh: bool) -> int:
    """The at-risk horizon in days: the widget's when it is shown (it starts at ``chosen``), else ``chosen``."""
    if not shown:
        return chosen
    if not isinstance(st.session_state.get(HORIZON_KEY), int):
        fresh = True
    _start(HORIZON_KEY, chosen, fresh)
    return int(st.number_input(_("At-risk horizon (days)"), min_value=0, max_value=MAX_HORIZON_DAYS, step=15,
                               key=HORIZON_KEY, help=_("A cell is at risk when every provider ends within it; "
                                                       "exits within it are listed.")))


def _incoming() -> tuple[View, bool]:
    """The view this run starts from, and whether the page is fresh. The URL's when it holds a
    view (a shared link, or a rerun of this page: the sidebar wrote it); else (a page switch,
    which clears the URL) the view the session showed last, and the page is fresh: its
    widgets start from that view, not from what Streamlit kept of them."""
    query = st.query_params.to_dict()
    if any(k in query for k in QUERY_KEYS):
        return View.from_query(query), False
    last = st.session_state.get(VIEW_KEY)
    return (last if isinstance(last, View) else View()), True


def sidebar(ds: Dataset | None = None, *, services: bool = True, as_of: bool = True,
            horizon: bool = True) -> tuple[Dataset, View]:
    """Draw the shared sidebar and return the active Dataset and the View.

    The view comes from the URL (``?as_of=…&horizon=…&site_group=…``: a shared link, or this
    page again) or, after a page switch (which clears the URL), from the view the session
    showed last; then from the widgets. Its as-of date is the data's latest date when none
    is chosen; one outside the data's range is reset to it, with a note on the page. The
    pages that hide a control still carry its value. The view is written back to the URL.

    Args:
        ds: the dataset (default: the session's active one).
        services: show the services filter (pages that have no service lens hide it).
        as_of: show the as-of date.
        horizon: show the at-risk horizon.
    """
    from ui.auth import guard_page, sidebar_panel  # sign-in, roles (issue 17)

    apply_language()  # the reader's language, before anything is drawn (issue 18)
    rtl_style()
    guard_page(sys._getframe(1).f_globals.get("__file__", ""))  # the calling page: not allowed → stops
    sidebar_panel()
    ds = ds or active_dataset()
    use_dataset(ds)  # the dataset's catchments table (a user's, once published or tried) for this run (issue 16)
    current, fresh = _incoming()
    with st.sidebar:
        language_switch()
        st.caption(_("Active data"))
        st.text(dataset_name(ds.name))
        day, reset = _as_of(ds, current.as_of, as_of, fresh)
        days = _horizon(current.horizon_days, horizon, fresh)
        with st.expander(_("Filters"), expanded=current.filters.active):
            cf = current.filters
            districts = {}
            for code, label in _district_names(ds):
                districts[str(code)] = str(label)
            dropped: list[str] = []
            pick = {"fresh": fresh, "dropped": dropped}
            f = Filters(
                admin1=_multiselect(_("Governorate"), "admin1", _options(ds, "admin1_code"), cf.admin1,
                                    fmt=governorate_name, **pick),
                admin2=_multiselect(_("District"), "admin2", sorted(districts), cf.admin2,
                                    fmt=lambda c: districts.get(c, c), **pick),
                site_type=_multiselect(_("Site type"), "site_type", _options(ds, "site_type"), cf.site_type,
                                       fmt=lambda c: _(SITE_TYPE_LABELS.get(c, c)), **pick),
                site_group=_multiselect(_("Site group"), "site_group", _options(ds, "site_group"), cf.site_group,
                                        **pick),
                coordination_area=_multiselect(_("Coordination area (ABC/JCF)"), "coordination_area",
                                               _options(ds, "coordination_area"), cf.coordination_area, **pick),
                catchment=_multiselect(_("Catchment (ABC/JCF districts)"), "catchment", catchment_names(),
                                       cf.catchment, **pick),
                population_group=_multiselect(_("Population group"), "population_group",
                                              sorted(set(ds.population["population_group"].dropna())),
                                              cf.population_group, fmt=lambda c: _(POPULATION_GROUP_LABELS.get(c, c)),
                                              **pick),
                services=_multiselect(_("Services"), "services", list(SERVICE_LABELS), cf.services,
                                      fmt=lambda c: _(SERVICE_LABELS.get(c, c)), **pick) if services else cf.services,
            )
        workspace_caption()  # the sidebar's footer: where the workspace lives
    if reset:
        st.warning(reset, icon=":material/event_busy:")
    if dropped:
        st.warning(_("Filters that match nothing in the active data are left out: {filters}.").format(
                   filters="; ".join(dropped)),
                   icon=":material/filter_alt_off:")
    view = View(f, day, days)
    st.session_state[VIEW_KEY] = view
    query = view.to_query()
    if query != {k: v for k, v in st.query_params.to_dict().items() if k in QUERY_KEYS}:
        for k in QUERY_KEYS:
            if k in query:
                st.query_params[k] = query[k]
            elif k in st.query_params:
                del st.query_params[k]
    return ds, view


def view_warnings(ds: Dataset, view: View, *tables: str, period: bool = False) -> Staleness:
    """Warn on the page when (with ``period``) partner presence and population come from
    different periods, and when the as-of date is past the latest data of ``tables``
    (:func:`dsdash.periods.warnings`). Returns the staleness, for the figures' "latest data" notes."""
    for message in warnings(ds, view.resolved_as_of(ds), tables, period=period):
        st.warning(message, icon=":material/history_toggle_off:")
    return staleness(ds, view)

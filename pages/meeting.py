"""Meeting pack: the deck for the DSTWG, RWG or a JCF in one click (native, editable
charts; map; gap matrix; exits; sources), previewed here before download."""

import streamlit as st

from dsdash.deck.build import deck_builder, deck_outline
from dsdash.deck.content import FORUM_NAMES, FORUMS, area_options, deck_content, deck_file_name
from dsdash.deck.slides import SLIDE_TITLES
from dsdash.deck.slides.gaps import gap_table_view
from dsdash.i18n import _
from dsdash.periods import staleness
from dsdash.provenance import local_date
from dsdash.text import md_plain
from ui.downloads import PPTX_MIME, show_table
from ui.render import key_figures
from ui.sidebar import sidebar
from ui.state import derived, on_date, policy_shown, previous_publication

ds, view = sidebar()


def slide_title(name: str) -> str:
    """A slide's title in the reader's language (the deck's own words, dsdash.deck.slides)."""
    return _(SLIDE_TITLES[name])


filters, as_of, horizon = view.filters, view.as_of, view.horizon_days

st.title(_("Meeting pack"))
st.caption(_("One click builds the slides for the monthly meeting: key figures with the change since the previous "
           "round, the national trend, index severity and FVM funnel as charts you can still edit in PowerPoint "
           "(right-click → Edit Data), the site map, the gap matrix, upcoming partner exits, and every source. "
           "The sidebar's as-of date, horizon and filters carry into the deck; trend slides show every round."))

c1, c2 = st.columns([1.3, 1.6])
forum = c1.selectbox(_("Forum"), FORUMS, key="mp_forum", format_func=lambda f: f"{f}: {_(FORUM_NAMES[f])}")
area = c2.selectbox(_("Area"), [None, *area_options(ds)], key="mp_area",
                    format_func=lambda a: a or _("All areas (sidebar filters only)"))

previous = previous_publication(ds)  # None for a session's own files or a workspace published once
since = st.radio(_("What changed: compare with"), ["round", "publication"], horizontal=True, key="mp_since",
                 format_func={"round": _("the previous round"), "publication": _("the previous publication")}.get,
                 disabled=previous is None, help=_("The previous publication: what the workspace showed before "
                                                 "its last publish or withdraw."))
previous = previous if since == "publication" else None
try:
    content = on_date(deck_content, ds, filters, as_of, horizon, ds, filters=filters, as_of=as_of, forum=forum, area=area,
                      horizon_days=horizon, with_map=False, previous=previous, audience=policy_shown().statement,
                      _key=f"previous={since if previous is not None else ''}")  # kept per view (ui.state)
except ValueError as exc:
    st.error(md_plain(_("The deck cannot be built for this choice: {reason}").format(reason=exc)))
    st.stop()
for warning in content.warnings:  # the deck's title and gap slides say the same
    st.warning(warning, icon=":material/history_toggle_off:")

st.download_button(
    _("Download the meeting deck (PowerPoint)"),
    # built on another thread when clicked: deck_builder keeps the session's language
    deck_builder(ds, filters=filters, as_of=as_of, forum=forum, area=area, horizon_days=horizon,
                 previous=previous, audience=policy_shown().statement),
    deck_file_name(content), PPTX_MIME, key="mp_download", type="primary", on_click="ignore",
    icon=":material/slideshow:",
)
st.caption(md_plain(_("{title} · {subtitle} · filters: {filters}").format(
    title=content.title, subtitle=content.subtitle, filters=content.filters.describe())))

st.subheader(_("What the deck will hold"))
cols = st.columns(3)
for i, (title, lines) in enumerate(deck_outline(content), start=1):
    with cols[(i - 1) % 3].container(border=True):
        st.markdown(f"**{i}. {title}**")  # deck titles: fixed words and a forum from the list above
        st.text("\n".join(lines))  # may hold partner names: plain text only

st.subheader(slide_title("figures"))
key_figures(content.figures[:3])
key_figures(content.figures[3:])

st.subheader(slide_title("gaps"))
show_table(derived(gap_table_view, content.gaps))
stale = staleness(ds, view).note("presence", "population")  # "latest data: 13 Dec 2023" past the data
st.caption(_("People (individuals) per service and coverage state on {date}; at risk: every provider ends within "
             "{days} days. Source: partner presence reports (see the sources slide)").format(
    date=local_date(as_of), days=horizon) + (f"; {stale}." if stale else "."))

st.subheader(slide_title("exits"))
if content.exits.empty:
    st.info(_("No partner exit within {days} days of {date} at the chosen sites.").format(days=horizon,
                                                                                          date=local_date(as_of)))
else:
    show_table(content.exits)

with st.expander(_("Sources and methods (last slide)")):
    for name, docs in content.sources:
        st.text(name)
        st.text("\n".join(f"  • {d}" for d in docs))
    st.text("\n".join(f"• {m}" for m in content.methods + content.notes))

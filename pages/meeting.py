"""Meeting pack: the deck for the DSTWG, RWG or a JCF in one click (native, editable
charts; map; gap matrix; exits; sources), previewed here before download."""

import datetime as dt

import streamlit as st

from dsdash.deck.build import build_deck, deck_outline
from dsdash.deck.content import FORUM_NAMES, FORUMS, area_options, deck_content, deck_file_name, parse_as_of
from dsdash.deck.slides import SLIDE_TITLES
from dsdash.deck.slides.gaps import gap_table_view
from dsdash.text import md_plain
from ui.downloads import PPTX_MIME, show_table
from ui.render import key_figures
from ui.sidebar import sidebar

ds, filters = sidebar()

st.title("Meeting pack")
st.caption("One click builds the slides for the monthly meeting: key figures with the change since the previous "
           "round, the national trend, index severity and FVM funnel as charts you can still edit in PowerPoint "
           "(right-click → Edit Data), the site map, the gap matrix, upcoming partner exits, and every source. "
           "The sidebar filters carry into the deck.")

c1, c2, c3, c4 = st.columns([1.3, 1.6, 1, 1])
forum = c1.selectbox("Forum", FORUMS, key="mp_forum", format_func=lambda f: f"{f}: {FORUM_NAMES[f]}")
area = c2.selectbox("Area", [None, *area_options(ds)], key="mp_area",
                    format_func=lambda a: a or "All areas (sidebar filters only)")
# the app's as-of date: from the URL, else the Gaps page's choice in this session, else the data's latest date
default_as_of = parse_as_of(st.query_params.get("as_of"),
                            st.session_state.get("gaps_as_of") or ds.latest_date() or dt.date.today())
as_of = c3.date_input("As of (coverage date)", value=default_as_of, key="mp_as_of",
                      help="The date of the gap matrix, exits and map. Trend slides show every round in the data.")
horizon = c4.number_input("Horizon (days)", min_value=0, max_value=730, step=30, key="mp_horizon",
                          value=int(st.session_state.get("gaps_horizon", 90)),
                          help="A cell is at risk when every provider ends within this horizon; exits within it "
                               "are listed.")
st.query_params["as_of"] = as_of.isoformat()

try:
    content = deck_content(ds, filters=filters, as_of=as_of, forum=forum, area=area, horizon_days=int(horizon),
                           with_map=False)
except ValueError as exc:
    st.error(md_plain(f"The deck cannot be built for this choice: {exc}"))
    st.stop()

st.download_button(
    "Download the meeting deck (PowerPoint)",
    lambda: build_deck(ds, filters=filters, as_of=as_of, forum=forum, area=area, horizon_days=int(horizon)),
    deck_file_name(content), PPTX_MIME, key="mp_download", type="primary", on_click="ignore",
    icon=":material/slideshow:",
)
st.caption(md_plain(f"{content.title} · {content.subtitle} · filters: {content.filters.describe()}"))

st.subheader("What the deck will hold")
cols = st.columns(3)
for i, (title, lines) in enumerate(deck_outline(content), start=1):
    with cols[(i - 1) % 3].container(border=True):
        st.markdown(f"**{i}. {title}**")  # deck titles: fixed words and a forum from the list above
        st.text("\n".join(lines))  # may hold partner names: plain text only

st.subheader(SLIDE_TITLES["figures"])
key_figures(content.figures[:3])
key_figures(content.figures[3:])

st.subheader(SLIDE_TITLES["gaps"])
show_table(gap_table_view(content.gaps))
st.caption(f"People (individuals) per service and coverage state on {as_of:%d %b %Y}; at risk: every provider "
           f"ends within {int(horizon)} days. Source: partner presence reports (see the sources slide).")

st.subheader(SLIDE_TITLES["exits"])
if content.exits.empty:
    st.info(f"No partner exit within {int(horizon)} days of {as_of:%d %b %Y} at the chosen sites.")
else:
    show_table(content.exits)

with st.expander("Sources and methods (last slide)"):
    for name, docs in content.sources:
        st.text(name)
        st.text("\n".join(f"  • {d}" for d in docs))
    st.text("\n".join(f"• {m}" for m in content.methods + content.notes))

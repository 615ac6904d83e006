"""dsdash: a thin router. Every page draws the shared sidebar itself."""

import sys
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from ui.nav import PAGES  # noqa: E402

st.set_page_config(page_title="dsdash: durable solutions, Iraq", page_icon=":material/map:", layout="wide")
st.navigation(
    [st.Page(str(HERE / p), title=t, icon=i, default=(i == PAGES[0][2])) for p, t, i in PAGES if (HERE / p).exists()]
).run()

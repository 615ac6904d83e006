"""dsdash: a thin router. Every page draws the shared sidebar itself.

The menu lists the pages the session's role may open (ui.auth, dsdash.access); the others stay
registered but hidden, so a direct URL to one reaches its page, which says "Not allowed" and logs it.
"""

import sys
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from dsdash.i18n import _  # noqa: E402
from ui.auth import nav_pages, no_access_page  # noqa: E402
from ui.lang import apply as apply_language  # noqa: E402
from ui.nav import PAGES  # noqa: E402

apply_language()  # the reader's language for this run, before anything is drawn (issue 18)
st.set_page_config(page_title=_("dsdash: durable solutions, Iraq"), page_icon=":material/map:", layout="wide")
present = [p for p in PAGES if (HERE / p[0]).exists()]
ok, others = nav_pages(present)
pages = [st.Page(str(HERE / p), title=_(t), icon=i, default=(n == 0)) for n, (p, t, i) in enumerate(ok)]
if not ok:
    pages = [st.Page(no_access_page, title=_("No access"), icon=":material/block:", default=True, url_path="no-access")]
pages += [st.Page(str(HERE / p), title=_(t), icon=i, visibility="hidden") for p, t, i in others]
st.navigation(pages).run()

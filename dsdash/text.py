"""Untrusted text (site, partner and file names, sources, notes) made inert for display.

Streamlit's ``st.caption``/``st.info``/``st.markdown`` render markdown (links, images,
``:colour[...]``, ``$math$``) and plotly titles, labels and hovers read pseudo-HTML.
Text from the data goes through :func:`md_plain` before a markdown element and through
:func:`plain` before a plotly string, so that it shows as itself.
"""

from __future__ import annotations

import html
import re

import pandas as pd


def plain(text: object) -> str:
    """Text from the data (names, labels, notes, sources: untrusted) made safe for a
    plotly title, label or hover, which read pseudo-HTML (``<a href>``, ``<b>``).

    Examples:
        >>> plain('<a href="http://x">Kilo 9</a> & co')
        '&lt;a href="http://x"&gt;Kilo 9&lt;/a&gt; &amp; co'
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return html.escape(str(text), quote=False)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~$:&])")  # '&': "&lt;" would show as "<" (an entity)
_AUTOLINK = re.compile(r"(?i)\\:/|www\.|@")


def md_plain(text: object) -> str:
    r"""A caption that may hold text from the data, made inert for Streamlit's markdown
    (``st.caption`` renders links, images, emphasis, ``:emoji:`` and ``$math$``): every
    markdown-active ASCII character is backslash-escaped, so it shows as itself.

    Examples:
        >>> print(md_plain("[click](x) *a* :red[b] $x$"))
        \[click\]\(x\) \*a\* \:red\[b\] \$x\$
        >>> md_plain("http://x www.y a@b") == "http\\:\u2060//x www\u2060.y a\u2060@b"
        True
        >>> print(md_plain("Kilo &lt;9&gt; & co"))  # an entity in a name shows as typed, not decoded
        Kilo \&lt;9\&gt; \& co
    """
    out = _MD_SPECIAL.sub(r"\\\1", "" if text is None else str(text))
    # GFM turns bare URLs and e-mail addresses into links even when escaped: an invisible
    # word joiner (U+2060) breaks the pattern and shows the same text.
    return _AUTOLINK.sub(lambda m: m.group(0)[:-1] + "\u2060" + m.group(0)[-1], out)

"""dsdash: durable-solutions dashboard for Iraq: the pure-Python core.

This package never imports Streamlit. Pages (``pages/``) and the UI helpers (``ui/``)
call it; everything it returns (tables, figures, decks, bytes) is testable without a UI.
"""

__version__ = "0.1.0"

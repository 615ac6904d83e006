"""dsdash: durable-solutions dashboard for Iraq: the pure-Python core.

This package never imports Streamlit. Pages (``pages/``) and the UI helpers (``ui/``)
call it; everything it returns (tables, figures, decks, bytes) is testable without a UI.
"""

__version__ = "0.1.0"

import os as _os

# GDAL's VRT driver can read arbitrary local files named inside an uploaded dataset:
# skip it before anything (geopandas, pyogrio) loads GDAL. Kept here so that it holds
# whichever module imports GDAL first. See dsdash/importers/boundaries.py.
_skip = [d for d in _os.environ.get("GDAL_SKIP", "").split() if d]
if "OGR_VRT" not in _skip:
    _os.environ["GDAL_SKIP"] = " ".join(_skip + ["OGR_VRT"])
del _skip

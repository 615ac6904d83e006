"""Deferred downloads in the reader's language (issue 18): Streamlit builds a download's file when
it is clicked, on another thread where the page's language is not set. Each callable carries the
language (dsdash.i18n.in_language): the Arabic page's CSV and Excel headers, the workbook's sheets and
the "What changed" workbook are in Arabic; the HXL tags and the data's own values stay as they are.

The page runs in AppTest; each button's deferred callable is run as Streamlit runs it, on another
thread, through the session's real media file manager."""

from __future__ import annotations

import csv
import io
import threading

import openpyxl
from streamlit.testing.v1 import AppTest


def _app():
    import pandas as pd
    import streamlit as st
    from streamlit import runtime

    from dsdash.dataset import load_embedded
    from dsdash.history import compare
    from dsdash.i18n import set_language
    from ui.downloads import download_buttons, download_workbook
    from ui.history import show_changes

    set_language(st.query_params.get("lang", "en"))
    st.session_state["media"] = runtime.get_instance().media_file_mgr
    sites = pd.DataFrame({"site_id": ["ANB-01"], "site_name": ["Kilo 18"], "individuals": [42]})
    download_buttons(sites, "sites", key="dl", table="sites")
    download_workbook({"sites": sites}, "all", key="wb")
    ds = load_embedded()
    later = ds.with_tables(population=ds.population[ds.population["site_id"] != "ANB-01"])
    show_changes(compare(ds, later), key="changes")


def _files(lang: str, hxl: bool = False) -> dict[str, bytes]:
    """Each download button's file, its callable run on another thread (as Streamlit does)."""
    at = AppTest.from_function(_app, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    if hxl:
        at.checkbox(key="dl_hxl").check().run()
    assert not at.exception, at.exception
    media = at.session_state["media"]
    out = {}
    for b in at.get("download_button"):
        got = {}
        worker = threading.Thread(target=lambda: got.update(url=media.execute_deferred(b.proto.deferred_file_id)))
        worker.start()
        worker.join()
        file_id = got["url"].rsplit("/", 1)[-1].split(".")[0]
        out[f"{got['url'].rsplit('.', 1)[-1]}:{b.proto.label}"] = media._storage.get_file(file_id).content
    return out


def _by_kind(files: dict[str, bytes]) -> tuple[bytes, bytes, bytes, bytes]:
    csvs = [v for k, v in files.items() if k.startswith("csv:")]
    xlsxs = [v for k, v in files.items() if k.startswith("xlsx:")]
    assert len(csvs) == 1 and len(xlsxs) == 3, list(files)
    return csvs[0], xlsxs[0], xlsxs[1], xlsxs[2]


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_english_downloads_as_before():
    c, x, wb, changes = _by_kind(_files("en"))
    assert c.decode("utf-8-sig").splitlines()[0] == "Site ID,Site,Individuals"
    assert [v.value for v in _book(x).active[1]] == ["Site ID", "Site", "Individuals"]
    assert _book(wb).sheetnames == ["Sites"]
    book = _book(changes)
    assert book.sheetnames[:2] == ["Sites opened", "Sites closed"]
    assert [v.value for v in book["Sites closed"][1]][:2] == ["Site", "Site ID"]


def test_arabic_downloads_are_in_arabic_on_another_thread():
    c, x, wb, changes = _by_kind(_files("ar", hxl=True))
    rows = list(csv.reader(io.StringIO(c.decode("utf-8-sig"))))
    assert rows[0] == ["معرّف الموقع", "الموقع", "الأفراد"], rows[0]
    assert rows[1] == ["#loc+code", "#loc+name", "#population+ind"]  # HXL tags unchanged
    assert rows[2] == ["ANB-01", "Kilo 18", "42"]  # the data as given
    sheet = _book(x).active
    assert [v.value for v in sheet[1]] == rows[0] and [v.value for v in sheet[2]] == rows[1]
    assert _book(wb).sheetnames == ["المواقع"]
    book = _book(changes)
    assert book.sheetnames[:2] == ["مواقع فُتحت", "المواقع المغلقة"], book.sheetnames
    closed = list(book[book.sheetnames[1]].values)
    assert closed[0][:2] == ("الموقع", "معرّف الموقع")
    assert closed[1][1] == "ANB-01" and closed[1][4] == "النازحون"

"""The command line in Arabic asks for what an undated Master List needs (issue 18): the question
is told by the problem's level, not by English words in its reason, so ``--lang ar`` asks for
``--date`` just as English does (validate, and store add)."""

import re

from dsdash.__main__ import main
from tests.support.dtm_fixtures import locations, master_list

ARABIC = re.compile(r"[\u0600-\u06FF]")


def _undated(tmp_path):
    fx = master_list(locations(12, seed=5), fmt="csv", title_rows=False, filename="idp_master_list_export.csv",
                     extra_columns={"date": "n.d. 30th"})
    path = tmp_path / fx.filename
    path.write_bytes(fx.data)
    return fx, str(path)


def test_validate_in_arabic_asks_for_the_date(tmp_path, capsys):
    fx, path = _undated(tmp_path)
    assert main(["validate", path]) == 2
    assert f"{fx.filename}: the reference date is needed: give it with --date" in capsys.readouterr().err
    assert main(["--lang", "ar", "validate", path]) == 2
    err = capsys.readouterr().err
    assert f"{fx.filename}: التاريخ المرجعي مطلوب: أعطه بـ--date (مثلًا --date 2024-04-30)" in err, err
    assert "صف مقروء" not in err  # the question, not the importer's long reason


def test_store_add_in_arabic_asks_for_the_date(tmp_path, capsys):
    fx, path = _undated(tmp_path)
    db = str(tmp_path / "w.sqlite")
    assert main(["store", "add", "--db", db, path]) == 2
    assert f"{fx.filename}: nothing stored (give --date)" in capsys.readouterr().err
    assert main(["store", "add", "--db", db, path, "--lang", "ar"]) == 2
    err = capsys.readouterr().err
    assert f"{fx.filename}: لم يُحفظ شيء (أعطِ --date)" in err, err

"""The command line and a Master List whose population group is stated nowhere (issue 11): the
rows are read and counted, the command asks for ``--group`` (as it asks for ``--date``) and exits
2; ``summary`` still counts; with ``--group`` the file loads; ``store add`` stores nothing until
it is given, and says which answer is needed."""

import json
import re

import pytest

from dsdash.__main__ import main
from tests.support.dtm_fixtures import locations, master_list

ASK_GROUP = "the population group (IDP or returnee) is needed: give it with --group (idp or returnee)"
ASK_DATE = "the reference date is needed: give it with --date (e.g. --date 2024-04-30)"
ARABIC = re.compile(r"[\u0600-\u06FF]")


def _file(tmp_path, name="anbar_2024-04-30.csv", gen="2023"):
    fx = master_list(locations(40, seed=6), gen=gen, fmt="csv", title_rows=False, filename=name)
    path = tmp_path / fx.filename
    path.write_bytes(fx.data)
    return fx, str(path)


@pytest.mark.parametrize("gen", ["2016", "2023"])  # the generations whose headers do not say the group
def test_validate_and_summary_ask_for_the_group_then_it_loads(tmp_path, capsys, gen):
    fx, path = _file(tmp_path, gen=gen)
    assert main(["validate", path]) == 2  # the file needs an option: --group
    cap = capsys.readouterr()
    assert "rows in 40 = accepted 40 + rejected 0; 0 errors" in cap.out
    assert "QUESTION: " in cap.out and "40 rows readable; the population group (IDP or returnee) is needed" in cap.out
    assert cap.err.strip().splitlines() == [f"dsdash validate: error: {fx.filename}: {ASK_GROUP}"]  # not --date
    # summary still counts, and asks too
    assert main(["summary", "--json", path]) == 2
    cap = capsys.readouterr()
    (s,) = json.loads(cap.out)["files"]
    assert (s["rows_in"], s["rows_accepted"], s["rows_rejected"]) == (40, 40, 0)
    assert (s["households"], s["individuals"]) == (fx.households, fx.individuals)
    assert sum(g["households"] for g in s["by_governorate"]) == fx.households
    assert ASK_GROUP in cap.err
    # with the group: it loads, as that group
    assert main(["validate", "--group", "returnee", path]) == 0
    cap = capsys.readouterr()
    assert "returnee Master List, dated 30 Apr 2024" in cap.out and "QUESTION" not in cap.out and not cap.err
    assert main(["summary", "--json", "--group", "idp", path]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["files"][0]["households"] == fx.households
    (idp,) = [g for g in out["current"]["groups"] if g["population_group"] == "idp"]
    assert idp["sites"] == 40 and idp["reference_date"].startswith("2024-04-30")


def test_both_questions_are_asked_each_by_its_option(tmp_path, capsys):
    fx, path = _file(tmp_path, name="anbar.csv")
    assert main(["validate", path]) == 2
    cap = capsys.readouterr()
    assert cap.out.count("QUESTION: ") == 2
    assert cap.err.strip().splitlines() == [f"dsdash validate: error: {fx.filename}: {ASK_GROUP}",
                                            f"dsdash validate: error: {fx.filename}: {ASK_DATE}"]
    assert main(["validate", "--date", "2024-04-30", path]) == 2  # one answer: the other still asked
    assert capsys.readouterr().err.strip().splitlines() == [f"dsdash validate: error: {fx.filename}: {ASK_GROUP}"]
    assert main(["validate", "--group", "idp", path]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [f"dsdash validate: error: {fx.filename}: {ASK_DATE}"]
    assert main(["validate", "--json", "--group", "idp", "--date", "2024-04-30", path]) == 0
    (rep,) = json.loads(capsys.readouterr().out)
    assert rep["usable"] and rep["rows_accepted"] == 40 and not [p for p in rep["problems"] if p["level"] != "warning"]


def test_store_add_stores_nothing_until_the_group_is_given(tmp_path, capsys):
    fx, path = _file(tmp_path)
    db = str(tmp_path / "w.sqlite")
    assert main(["store", "add", "--db", db, path]) == 2
    cap = capsys.readouterr()
    assert f"{fx.filename}: nothing stored (give --group)" in cap.err and not cap.out
    _both, both = _file(tmp_path, name="anbar.csv")
    assert main(["store", "add", "--db", db, both]) == 2
    assert "anbar.csv: nothing stored (give --group; give --date)" in capsys.readouterr().err
    assert main(["store", "add", "--db", db, "--group", "idp", path]) == 0
    cap = capsys.readouterr()
    assert re.fullmatch(r"\d+\n", cap.out) and "40 rows accepted, 0 rejected" in cap.err


def test_in_arabic_the_group_is_asked_for_by_its_option(tmp_path, capsys):
    fx, path = _file(tmp_path)
    assert main(["--lang", "ar", "validate", path]) == 2
    err = capsys.readouterr().err
    line = next(x for x in err.splitlines() if fx.filename in x)
    assert "--group" in line and "--date" not in line and ARABIC.search(line), err
    assert "صف مقروء" not in err and "صفًا مقروءًا" not in err  # the question, not the importer's long reason
    db = str(tmp_path / "w.sqlite")
    assert main(["store", "add", "--db", db, path, "--lang", "ar"]) == 2
    err = capsys.readouterr().err
    assert f"{fx.filename}: لم يُحفظ شيء (أعطِ --group)" in err, err

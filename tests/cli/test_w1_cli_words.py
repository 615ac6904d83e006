"""Review walk B2 (fix phase): the command line names one site in the singular, says 'end date not
read' for an end written but not read, and in Arabic prints services, states and kinds of end in
words and separates sites with the Arabic semicolon (English lines keep their codes)."""

from __future__ import annotations

import pytest

from dsdash.__main__ import main
from tests.cli.test_followup import published_sheet


@pytest.fixture()
def db(tmp_path, capsys):
    return published_sheet(capsys, tmp_path, "9 Kilo", "Al Askaree")


def test_followup_one_site_and_arabic_words(capsys, db):
    assert main(["followup", "--as-of", "2024-04-10", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "IRC  civil_documentation  end date not read  2 sites, " in out
    assert "sites: 9 Kilo; Al Askaree" in out or "sites: Al Askaree; 9 Kilo" in out
    assert main(["--lang", "ar", "followup", "--as-of", "2024-04-10", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "civil_documentation" not in out and "الوثائق" in out
    assert "؛ " in out.splitlines()[-1] and "; " not in out.splitlines()[-1]


def test_followup_says_1_site(capsys, tmp_path):
    db = published_sheet(capsys, tmp_path, "9 Kilo")
    assert main(["followup", "--as-of", "2024-04-10", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "end date not read  1 site, " in out and "1 sites" not in out


def test_exit_of_a_partner_whose_end_was_not_read(capsys, db):
    args = ["gaps", "--exit", "irc", "--as-of", "2024-04-10", "--service", "civil_documentation", "--db", db]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "IRC civil_documentation: end date not read" in out
    assert "recorded end planned\n" not in out and "()" not in out
    assert main(["--lang", "ar", *args]) == 0
    out = capsys.readouterr().out
    for code in ("civil_documentation", "end_unconfirmed", "never_served", "planned"):
        assert code not in out, code


def test_providers_in_words_in_arabic(capsys, db):
    args = ["gaps", "--as-of", "2024-04-10", "--service", "civil_documentation", "--db", db]
    assert main(args) == 0
    assert "gone: IRC (end date not known)" in capsys.readouterr().out
    assert main(["--lang", "ar", *args]) == 0
    assert "end date not known" not in capsys.readouterr().out
    args = ["gaps", "--as-of", "2023-12-10", "--service", "water"]  # the data bundled with dsdash
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "(to 30 Sep 2023)" in out and "(ongoing)" in out
    assert main(["--lang", "ar", *args]) == 0
    out = capsys.readouterr().out
    assert "(to " not in out and "(ongoing)" not in out and "30 أيلول 2023" in out


def test_the_people_and_area_tables_in_arabic_words(capsys):
    args = ["gaps", "--as-of", "2023-12-10", "--service", "water", "--by", "admin2"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "area_code" in out and "Per area (admin2;" in out and "end_unconfirmed" in out
    assert main(["--lang", "ar", *args]) == 0
    out = capsys.readouterr().out
    for code in ("area_code", "n_sites", "admin2", "end_unconfirmed", "without_any", "water"):
        assert code not in out, code

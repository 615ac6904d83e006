"""``--lang ar validate``: every word the command line adds around the data is Arabic (QA finding F3).

The problem's level, place (sheet, rows, "in all", column), the "e.g." of a grouped problem, the reason
"value is empty but required" and the dates inside notes used to stay English in Arabic output. Data
stays as it is: the file name, column headers and cell values.
"""

from __future__ import annotations

import re

from dsdash.__main__ import main

FILE = "\n".join([
    "Place id,Governorate,Location name in English,Households,Individuals,Latitude",
    ",Anbar,Kilo 18,10,60,33.1",      # row 2: no Place id: rejected
    "IQ1,Anbar,Bzebiz,x,60,33.2",     # rows 3, 4: a count that is not a number: rejected, grouped
    "IQ2,Anbar,Amiriya,y,60,33.3",
    "IQ3,Anbar,Saqlawiya,7,42,north",  # row 5: a coordinate that is not a number: warned
    "IQ4,Anbar,Habbaniya,8,48,33.4",
    ""])
ENGLISH = re.compile(r"\b(ERROR|WARNING|QUESTION|note|row|rows|column|sheet|in all|e\.g\.|value is empty|required|"
                     r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")


def test_arabic_validate_output_has_no_english_words_around_the_data(tmp_path, capsys):
    path = tmp_path / "IDP_ML_2023-07-31.csv"
    path.write_text(FILE, encoding="utf-8")
    assert main(["--lang", "ar", "validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "خطأ" in out and "تحذير" in out and "الصف 2" in out and "الصفوف 3، 4 (المجموع: 2)" in out
    assert "مثلًا:" in out and "تموز 2023" in out and "القيمة فارغة وهي مطلوبة" in out
    data = {"IDP_ML_2023-07-31.csv", "Place id", "Households", "Latitude", "'x'", "'north'", "utf-8", "2023-07-31"}
    rest = out
    for word in sorted(data, key=len, reverse=True):
        rest = rest.replace(word, "")
    assert not ENGLISH.findall(rest), [line for line in rest.splitlines() if ENGLISH.search(line)]


def test_the_english_output_is_unchanged(tmp_path, capsys):
    path = tmp_path / "IDP_ML_2023-07-31.csv"
    path.write_text(FILE, encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "  ERROR: IDP_ML_2023-07-31.csv, row 2, column 'Place id': value is empty but required" in out
    assert ("  ERROR: IDP_ML_2023-07-31.csv, rows 3, 4 (2 in all), column 'Households': e.g. 'x' is not a number"
            in out)
    assert "  note: IDP Master List, dated 31 Jul 2023" in out

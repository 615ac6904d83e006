"""Property tests: the vectorised number reader agrees with dsdash.parse cell by cell; text in
every encoding Iraq's Excel writes decodes back; counts written any way sum to the unit."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsdash.importers import import_file
from dsdash.importers.readers import decode_text
from dsdash.validate import numbers
from dsdash.parse import ParseError, parse_number

ARABIC_DIGITS = str.maketrans("0123456789,.", "٠١٢٣٤٥٦٧٨٩٬٫")


def writings(n: int) -> st.SearchStrategy[str]:
    return st.sampled_from([str(n), f"{n:,}", str(n).translate(ARABIC_DIGITS), f"{n:,}".translate(ARABIC_DIGITS),
                            f" {n} ", f"{n:,}".replace(",", "\u00a0"), f"{n}.0"])


cell = st.one_of(
    st.integers(0, 10**8).flatmap(writings),
    st.integers(-10**6, 10**6).map(str),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6).map(lambda f: f"{f:.3f}"),
    st.sampled_from(["", " ", "-", "abc", "1.200", "12 households", "(7)", "1,2,3", "3.5.6", "1e3", "٣٫٥", "nan"]),
    st.text(alphabet="0123456789.,-٬٫ ", max_size=8),
    st.integers(0, 10**6),
    st.floats(min_value=-1e6, max_value=1e6) | st.just(float("nan")),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(cell, min_size=1, max_size=30), st.booleans())
def test_vectorised_numbers_agree_with_parse_number(values, integer):
    got, issues = numbers(pd.Series(values, dtype=object), integer=integer)
    errors = {i for i, level, _m in issues if level == "error"}
    warns = {i for i, level, _m in issues if level == "warning"}
    for i, v in enumerate(values):
        try:
            want, warn = parse_number(v, integer=integer)
        except (ParseError, OverflowError):
            assert i in errors and pd.isna(got.iat[i]), (v, got.iat[i])
            continue
        if want is None:
            assert pd.isna(got.iat[i]) and i not in errors, v
            continue
        assert i not in errors, (v, issues)
        assert not pd.isna(got.iat[i]) and got.iat[i] == pytest.approx(want), (v, got.iat[i], want)
        if integer:  # float columns skip the "1.200" warning on clean decimals (coordinates: 33.038)
            assert (i in warns) == bool(warn), (v, warn)


ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=ARABIC_LETTERS + " abcXYZ0123,", min_size=1, max_size=40).filter(
    lambda t: any(c in ARABIC_LETTERS for c in t)))
def test_arabic_text_decodes_in_every_encoding(text):
    for enc, name in (("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"),
                      ("cp1256", "windows-1256")):
        got, used = decode_text(text.encode(enc))
        assert (got, used) == (text, name)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.just(n), writings(n))), min_size=1,
                max_size=25),
       st.sampled_from(["utf-8", "utf-8-sig", "cp1256", "utf-16"]))
def test_master_list_counts_written_any_way_sum_to_the_unit(counts, encoding):
    sep = "\t" if encoding == "utf-16" else ","
    lines = [sep.join(["Place ID", "Governorate", "Location name in Arabic", "Families"])]
    for k, (_n, text) in enumerate(counts):
        if encoding == "cp1256":  # Windows-1256 has no Arabic-Indic digits: such a file cannot exist
            text = text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩٬٫", "0123456789,."))
        lines.append(sep.join([str(k + 1), "الانبار", f"حي {k}", f'"{text}"' if sep in text else text]))
    data = "\n".join(lines).encode(encoding)
    res = import_file(data, "IDP_master_list_2024-03-31.csv")
    rep = res.report
    assert rep.rows_accepted == len(counts), rep.problems
    pop = res.tables["population"]
    assert int(pop["households"].sum()) == sum(n for n, _t in counts)
    assert int(pop["individuals"].sum()) == 6 * sum(n for n, _t in counts)
    assert res.tables["sites"]["admin1_code"].eq("IQG01").all()

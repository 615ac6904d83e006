import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dsdash.parse import ParseError, parse_date, parse_number

ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(
    "raw, integer, value",
    [
        ("1,590", True, 1590), ("18,882", True, 18882), ("١٬٥٩٠", True, 1590), ("۱۸۸۸۲", True, 18882),
        (" 42 ", True, 42), ("42.0", True, 42), (42.0, True, 42), ("3.5", False, 3.5), ("٣٫٥", False, 3.5),
        ("1 590", True, 1590), ("1\u00a0590", True, 1590), ("-7", True, -7), ("(7)", True, -7),
        ("", True, None), (None, True, None), ("1.234,5", False, 1234.5),
    ],
)
def test_parse_number(raw, integer, value):
    assert parse_number(raw, integer=integer)[0] == value


@pytest.mark.parametrize("raw", ["12 households", "abc", "1,2,3,4", "3.5.6", "--1", "TRUE"])
def test_parse_number_rejects(raw):
    with pytest.raises(ParseError):
        parse_number(raw, integer=True)


def test_ambiguous_thousands_dot_warns():
    v, warn = parse_number("1.200", integer=True)
    assert v == 1200 and "1.200" in warn
    v, warn = parse_number("1.200")
    assert v == 1.2 and "ambiguous" in warn


@given(st.integers(min_value=0, max_value=10**9))
def test_number_round_trips_in_every_writing(n):
    plain = str(n)
    grouped = f"{n:,}"
    arabic_grouped = grouped.translate(ARABIC).replace(",", "٬")
    for s in (plain, grouped, plain.translate(ARABIC), arabic_grouped):
        assert parse_number(s, integer=True)[0] == n


@pytest.mark.parametrize(
    "raw, role, value",
    [
        ("2024-04-30", "end", dt.date(2024, 4, 30)), ("30/04/2024", "end", dt.date(2024, 4, 30)),
        ("Apr-2024", "end", dt.date(2024, 4, 30)), ("Apr-2024", "start", dt.date(2024, 4, 1)),
        ("April 2024", "end", dt.date(2024, 4, 30)), ("Feb-24", "end", dt.date(2024, 2, 29)),
        (45412, "end", dt.date(2024, 4, 30)), ("45412", "end", dt.date(2024, 4, 30)),
        ("ongoing", "end", None), ("Ongoing", "end", None), ("", "end", None),
        ("2024-04", "end", dt.date(2024, 4, 30)), ("30 Apr 2024", "end", dt.date(2024, 4, 30)),
        ("٢٠٢٤-٠٤-٣٠", "end", dt.date(2024, 4, 30)), ("2024-04-30 00:00:00", "end", dt.date(2024, 4, 30)),
    ],
)
def test_parse_date(raw, role, value):
    assert parse_date(raw, role=role) == value


@pytest.mark.parametrize("raw", ["31/02/2024", "2024-13-01", "soon", "Q2 2024", 123])
def test_parse_date_rejects(raw):
    with pytest.raises(ParseError):
        parse_date(raw)


@given(st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_date_round_trips(d):
    assert parse_date(d.isoformat()) == d
    assert parse_date(d.strftime("%d/%m/%Y")) == d
    assert parse_date((d - dt.date(1899, 12, 30)).days) == d

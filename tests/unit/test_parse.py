import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dsdash.parse import (
    ARABIC_MONTHS, AmbiguousDate, ParseError, ambiguous_day_month, date_in_text, day_month_order, parse_date,
    parse_number,
)

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


@pytest.mark.parametrize("raw", ["14.0", "14.00", "1.4e1", "14", '"14"', 14.0, "١٤", "١٤٫٠", "0.14e2"])
def test_whole_numbers_however_written(raw):
    assert parse_number(raw, integer=True) == (14, None)


@pytest.mark.parametrize("raw", ["1,234", '"1,234"', "١٢٣٤", "١٬٢٣٤", "1234.00", "1.234e3", "1,234.0"])
def test_thousands_however_written(raw):
    assert parse_number(raw, integer=True)[0] == 1234


@pytest.mark.parametrize("raw", ["14.5", 14.5, "1.45e1", "١٤٫٥"])
def test_a_fraction_is_not_a_count(raw):
    with pytest.raises(ParseError, match="not a whole number"):
        parse_number(raw, integer=True)
    assert parse_number(raw)[0] == 14.5


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
    assert parse_date(d.strftime("%d/%m/%Y"), dayfirst=True) == d  # day first when told (04/05 is ambiguous alone)
    assert parse_date((d - dt.date(1899, 12, 30)).days) == d


# --------------------------------------------------------------------------- dates as real files write them
APR30 = dt.date(2019, 4, 30)


@pytest.mark.parametrize("raw", [
    "Apr 30, 2019", "April 30 2019", "30-Apr-19", "30 April 2019", "2019/04/30", "30.04.2019", "20190430",
    "30/04/2019", "04/30/2019", "2019-04-30", "30-04-2019", "Tuesday, 30th of April 2019", "Apr. 30, 2019", "30 Apr 2019 14:05", "2019-04-30T00:00:00", "43585", 43585, 43585.0,
    "٣٠ نيسان ٢٠١٩", "٣٠ أبريل ٢٠١٩", "30 ابريل 2019", "٢٠١٩/٠٤/٣٠", "٣٠/٠٤/٢٠١٩", "٣٠ نيسان ٢٠١٩م",
])
def test_every_form_of_one_date(raw):
    assert parse_date(raw) == APR30


LEVANTINE = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول",
             "تشرين الثاني", "كانون الأول"]
EGYPTIAN = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
            "ديسمبر"]


@pytest.mark.parametrize("month", range(1, 13))
@pytest.mark.parametrize("names", [LEVANTINE, EGYPTIAN], ids=["levantine", "egyptian"])
def test_arabic_month_names(names, month):
    name = names[month - 1]
    assert parse_date(f"15 {name} 2024") == dt.date(2024, month, 15)
    assert parse_date(f"{name} {'2024'.translate(ARABIC)}", role="start") == dt.date(2024, month, 1)
    last = parse_date(f"{name} 2024", role="end")
    assert last.month == month and (last + dt.timedelta(days=1)).day == 1
    assert date_in_text(f"ماستر ليست النازحين - {name} ٢٠٢٤").date == last


def test_arabic_month_table_is_folded_and_complete():
    assert sorted(set(ARABIC_MONTHS.values())) == list(range(1, 13))
    assert all("أ" not in k and "إ" not in k and "آ" not in k for k in ARABIC_MONTHS)


@pytest.mark.parametrize("raw, role, value", [
    ("Dec 2020", "end", dt.date(2020, 12, 31)), ("Dec 2020", "start", dt.date(2020, 12, 1)),
    ("Dec 2020", "point", dt.date(2020, 12, 31)), ("Apr2024", "end", dt.date(2024, 4, 30)),
    ("2024/04", "start", dt.date(2024, 4, 1)), ("04-2024", "end", dt.date(2024, 4, 30)),
    ("Feb-24", "end", dt.date(2024, 2, 29)), ("Apr'24", "start", dt.date(2024, 4, 1)),
])
def test_a_month_alone_means_its_bounds(raw, role, value):
    assert parse_date(raw, role=role) == value


@pytest.mark.parametrize("raw", ["04/05/2024", "04.05.2024", "04-05-24", "١/٢/٢٠٢٤", "12/11/2020 00:00"])
def test_day_month_ambiguity_is_never_guessed(raw):
    with pytest.raises(AmbiguousDate, match="ambiguous"):
        parse_date(raw)
    assert ambiguous_day_month(raw)
    first, second = parse_date(raw, dayfirst=True), parse_date(raw, dayfirst=False)
    assert first != second and (first.day, first.month) == (second.month, second.day)


@pytest.mark.parametrize("raw", ["Apr 30", "30 April", "Q2 2024", "2024", "Round 5", "Mayor 2024", "31 Feb 2024",
                                 "12 households", "04/05/2024/1", "13/13/2024", "2024/13/01"])
def test_not_dates(raw):
    with pytest.raises(ParseError):
        parse_date(raw)


def _unambiguous_forms(d: dt.date) -> list:
    forms = [d.isoformat(), d.strftime("%Y/%m/%d"), d.strftime("%Y%m%d"), f"{d:%b} {d.day}, {d.year}",
             f"{d:%B} {d.day} {d.year}", f"{d.day} {d:%B} {d.year}", f"{d.day:02d}-{d:%b}-{d:%y}",
             f"{d.day} {LEVANTINE[d.month - 1]} {d.year}".translate(ARABIC),
             f"{d.day} {EGYPTIAN[d.month - 1]} {d.year}".translate(ARABIC), (d - dt.date(1899, 12, 30)).days]
    if d.day > 12 or d.day == d.month:  # only then is a numeric day/month date unambiguous
        forms += [d.strftime("%d/%m/%Y"), d.strftime("%d.%m.%Y"), d.strftime("%m/%d/%Y") if d.day > 12 else None]
    return [f for f in forms if f is not None]


@given(st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(2069, 12, 31)))
def test_every_unambiguous_form_reads_back(d):
    for form in _unambiguous_forms(d):
        assert parse_date(form) == d, form
        if isinstance(form, str):  # an Excel serial is a cell's, not a name's
            assert date_in_text(f"DTM_IDP_Master_List_{form}.csv").date == d, form


@given(st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(2069, 12, 31)), st.sampled_from("/.-"))
def test_ambiguous_day_month_is_never_silent(d, sep):
    written = f"{d.day:02d}{sep}{d.month:02d}{sep}{d.year}"
    if d.day <= 12 and d.day != d.month:
        with pytest.raises(AmbiguousDate):
            parse_date(written)
        swapped = dt.date(d.year, d.day, d.month)
        assert parse_date(written, dayfirst=True) == d and parse_date(written, dayfirst=False) == swapped
        assert day_month_order([written]).note  # a column of such dates says how it was read
        found = date_in_text(f"ML_{written}.csv")
        assert found.date == d and "read day first" in found.note  # in a name: day first, and said
    else:
        assert parse_date(written) == d and date_in_text(f"ML_{written}.csv").note is None


@pytest.mark.parametrize("values, dayfirst, says", [
    (["04/05/2019", "06/07/2019"], True, "none says which: read day first, as Iraq writes dates"),
    (["30/04/2019", "04/05/2019"], True, "read day first, as '30/04/2019' shows"),
    (["04/30/2019", "04/05/2019"], False, "read month first, as '04/30/2019' shows"),
    (["04/30/2019", "30/04/2019", "04/05/2019"], True, "both day first ('30/04/2019') and month first"),
    (["04/30/2019", "2019-04-05"], False, None), (["Apr 30, 2019", "05/05/2019"], True, None),
])
def test_column_order_decision(values, dayfirst, says):
    order = day_month_order(values)
    assert order.dayfirst is dayfirst
    assert (order.note is None) if says is None else (says in order.note)


# --------------------------------------------------------------------------- dates and rounds in names and titles
@pytest.mark.parametrize("text, date, rnd", [
    ("Iraq_IDP_Master_List_DTM_IOMApr 30, 2019.csv", dt.date(2019, 4, 30), None),
    ("IDP Master List - Round 119 - Dec 2020", dt.date(2020, 12, 31), 119),
    ("DTM_R132_Apr2024.xlsx", dt.date(2024, 4, 30), 132),
    ("نيسان 2024", dt.date(2024, 4, 30), None), ("أبريل 2024", dt.date(2024, 4, 30), None),
    ("قائمة النازحين - الجولة ١٣٢ - نيسان ٢٠٢٤", dt.date(2024, 4, 30), 132),
    ("Returnee Master List - Round 128 - 31 March 2023", dt.date(2023, 3, 31), 128),
    ("DTM_IDP_ML_Round130_Jul2023.xlsx", dt.date(2023, 7, 31), 130), ("R 117 master list", None, 117),
    ("IDP_ML_2024-01-31.csv", dt.date(2024, 1, 31), None), ("ML_20190430.csv", dt.date(2019, 4, 30), None),
    ("IDP_Master_List_31_Dec_2023", dt.date(2023, 12, 31), None), ("data_Aug23.xlsx", dt.date(2023, 8, 31), None),
    ("Round 30 - Dec 2015", dt.date(2015, 12, 31), 30),  # the round's number is not read as a day
    ("Master List", None, None), ("Summary 2023", None, None), ("Anbar_Ammar_2020.csv", None, None),
    ("Sheet1", None, None), ("", None, None), (None, None, None),
])
def test_date_and_round_in_text(text, date, rnd):
    found = date_in_text(text)
    assert (found.date, found.round) == (date, rnd)
    assert (found.written is None) == (date is None)

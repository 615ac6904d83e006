"""A CSV in UTF-16 without a byte-order mark is read (F4, issue 11).

Arabic letters (U+06xx) have no NUL byte in UTF-16, so a mostly Arabic file has fewer NUL bytes
than the quarter the old test asked for, and the side they fell on was read from the first
character only (an Arabic one: taken for big-endian). Now: NUL bytes on one side of the pairs.
"""

from __future__ import annotations

import pytest

from dsdash.importers.readers import read_table_file


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(enc):
    # mostly Arabic (U+06xx has no NUL byte): 32 of its 105 characters are ASCII (spaces, digits, tabs, line
    # ends), so 32 of its 210 bytes are NUL, fewer than the quarter the old test asked for
    text = ("قائمة النازحين - نيسان 2024\r\nرقم الموقع\tالمحافظة\tالقضاء\tالعوائل\r\n"
            "1\tالانبار\tالفلوجة\t14\r\n2\tنينوى\tالموصل\t7\r\n")
    data = text.encode(enc)
    assert data.count(0) == 32
    t, = read_table_file(data, "ml.csv")
    assert t.encoding == enc
    assert t.frame.iloc[1:].values.tolist() == [["رقم الموقع", "المحافظة", "القضاء", "العوائل"],
                                                ["1", "الانبار", "الفلوجة", "14"],
                                                ["2", "نينوى", "الموصل", "7"]]


def test_text_without_nul_bytes_is_not_taken_for_utf16():
    t, = read_table_file("a,b\n1,الانبار\n".encode("utf-8"), "x.csv")
    assert t.encoding == "utf-8" and t.frame.values.tolist() == [["a", "b"], ["1", "الانبار"]]

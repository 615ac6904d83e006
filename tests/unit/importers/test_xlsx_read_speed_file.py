"""A workbook above :data:`readers.STORED_MAX` unpacked (a real-sized Master List) goes to calamine in a
temporary file: the tables are those the in-memory route gives; with no temporary file to be had, it is
read in memory, the same. Real generated workbooks."""

from __future__ import annotations

import pytest

from dsdash.importers import readers
from tests.support.dtm_fixtures import locations, master_list


@pytest.fixture(scope="module")
def big():
    f = master_list(locations(3700, seed=3), fmt="xlsx")
    size = sum(i.file_size for i in readers.check_zip(f.data).infolist())
    assert readers.STORED_MAX < size <= readers._IN_MEMORY_MAX  # the real-sized list: the temporary file
    return f


def _facts(tables):
    return [(t.sheet, t.encoding, t.notes, t.cell_problems, t.longest_text, t.frame.dtypes.tolist(),
             [[(type(v).__name__, v) for v in row] for row in t.frame.itertuples()]) for t in tables]


def test_the_file_route_reads_what_memory_reads(big, monkeypatch):
    by_file = readers.read_xlsx(big.data)
    monkeypatch.setattr(readers, "STORED_MAX", readers._IN_MEMORY_MAX)
    in_memory = readers.read_xlsx(big.data)
    assert _facts(by_file) == _facts(in_memory)
    assert len(by_file[0].frame) > 3700


def test_without_a_temporary_file_it_is_read_in_memory(big, monkeypatch, tmp_path):
    expected = _facts(readers.read_xlsx(big.data))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "missing"))  # no such folder: no temporary file
    assert _facts(readers.read_xlsx(big.data)) == expected
    monkeypatch.setattr(readers, "_IN_MEMORY_MAX", 1)  # (above the in-memory limit the error stands)
    with pytest.raises(OSError):
        readers.read_xlsx(big.data)

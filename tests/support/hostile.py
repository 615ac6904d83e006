"""A hostile corpus, generated: files built to hold the importer hostage or to drop rows unseen.

Each :class:`Hostile` case is one file (written to a folder by :func:`write_corpus`) and what
must happen to it: the exit codes ``python -m dsdash validate`` may give, the data rows written
(rows in must equal it when the file is read at all), whether the file is refused whole, and a
word the message must hold. Classes covered: decompression bombs that evade the per-part ratio
check (sheet XML padded with noise), sparse dimensions (one cell at XFD1048576, a declared
``<dimension>`` of the whole grid), many sheets, a large legitimate workbook, hidden sheets,
a GeoPackage whose layer is an infinitely recursive view, GeoJSON nested 200,000 deep, giant
CSV cells (48 MB, 200,000 characters), a location named "Total" mid-file, formula cells
without cached values, overflowing counts, mixed UTF-8/Windows-1256 lines, a district p-code
of another governorate.

Workbooks are written here byte by byte (no openpyxl: it could not write most of these, and
would take a minute for 200,000 rows).
"""

from __future__ import annotations

import io
import json
import random
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

HEAD = ["Place ID", "Governorate", "District", "District pcode", "Location Name", "Latitude", "Longitude",
        "Families", "Individuals"]
GOVS = [("Anbar", "Ramadi", "IQG01Q03"), ("Ninewa", "Mosul", "IQG15Q04"), ("Kirkuk", "Kirkuk", "IQG13Q03"),
        ("Duhok", "Zakho", "IQG09Q04"), ("Baghdad", "Karkh", "IQG08Q03")]
ML_NAME = "DTM_IDP_Master_List_R131_2024-01-31"


def ml_rows(n: int = 5, *, seed: int = 0) -> list[list]:
    """``n`` Master List rows (typed values: ints for counts)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        gov, dist, pcode = GOVS[i % len(GOVS)]
        fam = rng.randint(5, 400)
        out.append([1000 + i, gov, dist, pcode, f"Hay {i}", round(33 + rng.random() * 3, 4),
                    round(42 + rng.random() * 3, 4), fam, fam * 6])
    return out


# --------------------------------------------------------------------------- a raw XLSX writer
def _col(n: int) -> str:
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def cell_xml(ref: str, v) -> str:
    if v is None:
        return ""
    if isinstance(v, tuple) and v and v[0] == "formula":  # ("formula", "SUM(1,2)", cached or None)
        cached = "" if v[2] is None else f"<v>{v[2]}</v>"
        return f'<c r="{ref}"><f>{escape(v[1])}</f>{cached}</c>'
    if isinstance(v, bool):
        return f'<c r="{ref}" t="b"><v>{int(v)}</v></c>'
    if isinstance(v, (int, float)):
        return f'<c r="{ref}"><v>{v}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'


def sheet_xml(rows: list[list], *, dimension: str | None = None, extra: str = "", pad=None) -> bytes:
    """One worksheet's XML; ``pad(i)`` may return noise put after row ``i`` (a comment)."""
    parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
    if dimension:
        parts.append(f'<dimension ref="{dimension}"/>')
    parts.append("<sheetData>")
    for i, r in enumerate(rows, start=1):
        parts.append(f'<row r="{i}">' + "".join(cell_xml(f"{_col(j)}{i}", v) for j, v in enumerate(r)) + "</row>")
        if pad is not None:
            parts.append(pad(i))
    parts.append("</sheetData>" + extra + "</worksheet>")
    return "".join(parts).encode("utf-8")


def xlsx(sheets: list[tuple[str, bytes | list]], *, states: dict[str, str] | None = None,
         path: Path | None = None, level: int = 6) -> bytes | None:
    """A workbook of ``(name, rows or sheet XML bytes, or an iterable of XML chunks)``; ``states``:
    sheet name → 'hidden' / 'veryHidden'. Written to ``path`` when given (large files), else returned."""
    states = states or {}
    target = path if path is not None else io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=level, allowZip64=True) as zf:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1))
        zf.writestr("[Content_Types].xml",
                    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                    '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                    'officedocument.spreadsheetml.sheet.main+xml"/>' + overrides + "</Types>")
        zf.writestr("_rels/.rels",
                    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        sh = "".join(
            f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"'
            f'{f" state=" + chr(34) + states[name] + chr(34) if name in states else ""}/>'
            for i, (name, _) in enumerate(sheets, start=1))
        zf.writestr("xl/workbook.xml",
                    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
                    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                    f'relationships"><sheets>{sh}</sheets></workbook>')
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            f'worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
        zf.writestr("xl/_rels/workbook.xml.rels",
                    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                    f'package/2006/relationships">{rels}</Relationships>')
        for i, (_name, content) in enumerate(sheets, start=1):
            part = f"xl/worksheets/sheet{i}.xml"
            if isinstance(content, list):
                zf.writestr(part, sheet_xml(content))
            elif isinstance(content, bytes):
                zf.writestr(part, content)
            else:  # chunks, streamed
                with zf.open(part, "w", force_zip64=True) as fh:
                    for chunk in content:
                        fh.write(chunk)
    return None if path is not None else target.getvalue()


def _noise(n_bytes: int, seed: int = 1) -> bytes:
    """Text that compresses about 50× (under the per-part ratio check of 200×)."""
    rng = random.Random(seed)
    base = bytes(rng.choice(b"abcdefghij") for _ in range(4096))
    out = bytearray()
    while len(out) < n_bytes:
        out += base[: rng.randint(64, 4096)] + bytes(rng.choice(b"0123456789") for _ in range(24))
    return bytes(out[:n_bytes])


def _padded_chunks(rows: list[list], total_mb: int):
    yield sheet_xml(rows)[: -len(b"</sheetData></worksheet>")]
    block = b"<!--" + _noise(1 << 20) + b"-->"
    for _ in range(total_mb):
        yield block
    yield b"</sheetData></worksheet>"


# --------------------------------------------------------------------------- the cases
@dataclass
class Hostile:
    name: str
    filename: str
    exits: tuple[int, ...]  # what `dsdash validate` may exit with
    rows_written: int  # data rows in the file
    refused: bool = False  # refused whole (rows in 0, one error naming the file)
    says: str = ""  # a word the messages must hold
    row: int | None = None  # a file row a message must name
    column: str | None = None  # the column that message must name


def write_corpus(folder: Path, *, bomb_mb: int = 390, big_rows: int = 200_000, only: set[str] | None = None
                 ) -> list[Hostile]:
    """Write every case into ``folder``; returns the cases (``only``: names to write)."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Hostile] = []

    def add(case: Hostile, data: bytes | None = None) -> None:
        if only is not None and case.name not in only:
            return
        if data is not None:
            (folder / case.filename).write_bytes(data)
        cases.append(case)

    head_rows = [HEAD, *ml_rows(5)]
    want = lambda n: only is None or n in only  # noqa: E731

    # bombs and sparse dimensions
    if want("xlsx_bomb_padded"):
        xlsx([("Master List", _padded_chunks(head_rows, bomb_mb))], path=folder / f"{ML_NAME}_bomb.xlsx", level=1)
    add(Hostile("xlsx_bomb_padded", f"{ML_NAME}_bomb.xlsx", (1,), 5, refused=True, says="refused"))
    if want("xlsx_sparse_xfd"):
        add(Hostile("xlsx_sparse_xfd", f"{ML_NAME}_sparse.xlsx", (1,), 5, refused=True, says="refused"),
            xlsx([("Master List", sheet_xml(head_rows, extra="")[:-len(b"</sheetData></worksheet>")]
                   + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>')]))
    add(Hostile("xlsx_declared_dimension", f"{ML_NAME}_dimension.xlsx", (0, 1), 5, says="",),
        xlsx([("Master List", sheet_xml(head_rows, dimension="A1:XFD1048576"))]) if want("xlsx_declared_dimension")
        else None)
    if want("xlsx_many_sheets"):
        big = sheet_xml([HEAD, *[[f"{'x' * 60}{i}"] * 9 for i in range(2000)]])  # ~1 MB each
        add(Hostile("xlsx_many_sheets", f"{ML_NAME}_sheets.xlsx", (1,), 0, refused=True, says="sheets"),
            xlsx([(f"S{i}", big) for i in range(120)]))
    if want("xlsx_200k_rows"):
        rows = [HEAD, *ml_rows(big_rows, seed=2)]
        xlsx([("Master List", rows)], path=folder / f"{ML_NAME}_big.xlsx", level=1)
    add(Hostile("xlsx_200k_rows", f"{ML_NAME}_big.xlsx", (0,), big_rows))
    add(Hostile("xlsx_hidden_sheet", f"{ML_NAME}_hidden.xlsx", (0,), 10, says="hidden"),
        xlsx([("Master List", head_rows), ("Old", [HEAD, *ml_rows(5, seed=9)])], states={"Old": "hidden"})
        if want("xlsx_hidden_sheet") else None)
    formula_rows = [HEAD, *ml_rows(5)]
    formula_rows[3][7] = ("formula", "SUM(10,20)", None)
    add(Hostile("xlsx_formula_no_value", f"{ML_NAME}_formula.xlsx", (1,), 5, says="formula", row=4,
                column="Families"),
        xlsx([("Master List", formula_rows)]) if want("xlsx_formula_no_value") else None)

    # boundaries
    if want("gpkg_recursive_view"):
        add(Hostile("gpkg_recursive_view", "districts_view.gpkg", (0, 1), 3), _recursive_view_gpkg())
    depth = 200_000
    add(Hostile("geojson_deep", "deep.geojson", (1,), 0, refused=True, says="deep"),
        (b'{"type":"FeatureCollection","features":' + b"[" * depth + b"]" * depth + b"}")
        if want("geojson_deep") else None)

    # CSV giant cells, totals, counts, encodings, p-codes
    def csv_bytes(rows, enc="utf-8") -> bytes:
        import csv as _csv

        sio = io.StringIO()
        w = _csv.writer(sio, lineterminator="\n")
        for r in rows:
            w.writerow(r)
        return sio.getvalue().encode(enc)

    if want("csv_giant_cell"):
        rows = [HEAD, *ml_rows(5)]
        rows[2][4] = "x" * 48_000_000
        add(Hostile("csv_giant_cell", f"{ML_NAME}_giant.csv", (1,), 5, says="too long", row=3,
                    column="Location Name"), csv_bytes(rows))
    if want("csv_long_name"):
        rows = [HEAD, *ml_rows(5)]
        rows[4][4] = "ب" * 200_000
        add(Hostile("csv_long_name", f"{ML_NAME}_long.csv", (1,), 5, says="too long", row=5,
                    column="Location Name"), csv_bytes(rows))
    if want("csv_total_mid"):
        rows = [HEAD, *ml_rows(5)]
        rows[3][4] = "Total"
        rows[3][0] = ""
        add(Hostile("csv_total_mid", f"{ML_NAME}_total.csv", (0, 1), 5), csv_bytes(rows))
    if want("csv_overflow"):
        rows = [HEAD, *ml_rows(5)]
        rows[1][7], rows[1][8] = "999999999999999999999", "999999999999999999999"
        rows[2][7], rows[2][8] = str(2**53 + 1), str((2**53 + 1) * 6)
        rows[3][7], rows[3][8] = str(10**15), str(6 * 10**15)
        add(Hostile("csv_overflow", f"{ML_NAME}_overflow.csv", (1,), 5, says="", row=2, column="Families"),
            csv_bytes(rows))
    if want("csv_mixed_encoding"):
        rows = [HEAD, *ml_rows(5)]
        rows[1][4], rows[2][4] = "حي الأندلس", "حي النصر"
        lines = csv_bytes(rows).split(b"\n")
        lines[2] = lines[2].decode("utf-8").encode("cp1256")  # the second data row
        add(Hostile("csv_mixed_encoding", f"{ML_NAME}_mixed.csv", (0, 1), 5, says="Windows-1256"),
            b"\n".join(lines))
    if want("csv_pcode_mismatch"):
        rows = [HEAD, *ml_rows(5)]
        rows[2][3] = "IQG99Q99"
        add(Hostile("csv_pcode_mismatch", f"{ML_NAME}_pcode.csv", (0, 1), 5, says="p-code", row=3,
                    column="District pcode"), csv_bytes(rows))
    return cases


def _recursive_view_gpkg() -> bytes:
    """A GeoPackage with three districts and, listed in gpkg_contents as a second feature layer,
    a view whose query never ends (a recursive CTE without a stop)."""
    import tempfile

    from tests.support.dtm_fixtures import districts, geopackage

    data = geopackage(districts(3))
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "v.gpkg"
        p.write_bytes(data)
        con = sqlite3.connect(p)
        layer, srs, geom_col = con.execute(
            "SELECT table_name, srs_id, (SELECT column_name FROM gpkg_geometry_columns g "
            "WHERE g.table_name = c.table_name) FROM gpkg_contents c WHERE data_type = 'features'").fetchone()
        con.execute(f'CREATE VIEW forever AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) '
                    f'SELECT n AS fid, NULL AS "{geom_col}", \'x\' AS name FROM r')
        con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
                    "VALUES ('forever', 'features', 'forever', ?)", (srs,))
        con.execute("INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) "
                    "VALUES ('forever', ?, 'MULTIPOLYGON', ?, 0, 0)", (geom_col, srs))
        con.commit()
        con.close()
        return p.read_bytes()

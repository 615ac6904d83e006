"""Synthetic DTM Master Lists, written the way IOM publishes them (for tests and benchmarks).

Every location is INVENTED (names made of common words, coordinates drawn at random
inside Iraq): these are not DTM's location lists. What is real is the *shape* of the
files: the three header generations of IOM DTM Master Lists, title rows above the header, a leading
index column, a blank last row, a fused totals row, governorate spellings, p-code
formats, wide origin / shelter / period columns, Arabic names, and the encodings
Excel writes (UTF-8, UTF-8 with BOM, Windows-1256, UTF-16 tab-separated).

:func:`locations` draws the table; :func:`master_list` writes it; the returned
:class:`Fixture` carries the file's own sums to compare an import with.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass

import pandas as pd

#: Rough invented centres per governorate (inside Iraq), and spellings seen in files.
GOVS = {
    "IQG01": ((33.4, 42.2), ["Anbar", "Al-Anbar"]), "IQG02": ((30.6, 47.5), ["Basrah", "Al-Basrah"]),
    "IQG03": ((30.9, 45.6), ["Muthanna", "Al-Muthanna"]), "IQG04": ((31.8, 44.2), ["Najaf", "Al-Najaf"]),
    "IQG05": ((32.0, 45.0), ["Qadissiya", "Al-Qadissiya", "Al Diwaniya"]),
    "IQG06": ((35.5, 45.5), ["Sulaymaniyah", "Al-Sulaymaniyah"]), "IQG07": ((32.5, 44.5), ["Babylon", "Babil"]),
    "IQG08": ((33.3, 44.4), ["Baghdad"]), "IQG09": ((36.9, 43.0), ["Dahuk", "Duhok"]),
    "IQG10": ((33.9, 45.0), ["Diyala"]), "IQG11": ((36.2, 44.0), ["Erbil"]),
    "IQG12": ((32.6, 43.9), ["Kerbala", "Karbala"]), "IQG13": ((35.4, 44.3), ["Kirkuk"]),
    "IQG14": ((31.9, 47.1), ["Missan", "Maysan"]), "IQG15": ((36.3, 42.8), ["Ninewa"]),
    "IQG16": ((34.5, 43.6), ["Salah al-Din", "Salah Al-Din"]), "IQG17": ((31.1, 46.3), ["Thi-Qar", "Thi Qar"]),
    "IQG18": ((32.5, 45.8), ["Wassit", "Wasit"]),
}
#: How many locations per governorate in a "national" list (weights, invented).
WEIGHTS = {"IQG15": 14, "IQG09": 9, "IQG11": 9, "IQG06": 7, "IQG08": 8, "IQG13": 7, "IQG16": 7, "IQG01": 7,
           "IQG10": 5, "IQG07": 4, "IQG12": 3, "IQG04": 3, "IQG05": 3, "IQG18": 3, "IQG17": 3, "IQG02": 3,
           "IQG14": 2, "IQG03": 2}
WORDS_EN = ["Nour", "Salam", "Amal", "Rafidain", "Zahra", "Khadra", "Jadida", "Wahda", "Asri", "Qadisiya", "Tahrir",
            "Sadiq", "Fajr", "Rabee", "Yarmouk", "Andalus", "Ghadir", "Hurriya", "Muallimin", "Shuhada"]
WORDS_AR = ["النور", "السلام", "الأمل", "الرافدين", "الزهراء", "الخضراء", "الجديدة", "الوحدة", "العصري", "القادسية",
            "التحرير", "الصادق", "الفجر", "الربيع", "اليرموك", "الأندلس", "الغدير", "الحرية", "المعلمين", "الشهداء"]
ORIGIN_HEADERS = ["Anbar", "Babylon", "Baghdad", "Dahuk", "Diyala", "Erbil", "Kirkuk", "Ninewa", "Salah al-Din"]
ORIGIN_CODES = ["IQG01", "IQG07", "IQG08", "IQG09", "IQG10", "IQG11", "IQG13", "IQG15", "IQG16"]
SHELTER_HEADERS = ["Camp", "Host families", "Rented houses", "Critical shelters", "Unknown"]
PERIOD_HEADERS = ["Pre-June14", "June-July14", "August14", "Post September14", "Post April15", "Post July 2017"]

GENERATIONS = {
    # 2016-era exports
    "2016": {"id": "Place ID", "gov": "Governorate", "dist": "District", "name": "Location Name",
             "ar": "Arabic Name", "lat": "Latitude", "lon": "Longitude", "hh": "Families", "ind": "Individuals"},
    # 2019-era exports
    "2019": {"id": "Place_ID", "gov": "Governorate", "dist": "District", "name": "Location_name",
             "ar": "Arabic_name", "lat": "Latitude", "lon": "Longitude", "hh": "IDPs Families",
             "ind": "IDPs Individuals"},
    # 2023-era exports
    "2023": {"id": "Place id", "gov": "Governorate", "dist": "District", "name": "Location name in English",
             "ar": "Location name in Arabic", "lat": "Latitude", "lon": "Longitude", "hh": "Households",
             "ind": "Individuals"},
    # returnee lists
    "returnee": {"id": "Place ID", "gov": "Governorate", "dist": "District", "name": "Place",
                 "ar": "Arabic Name", "lat": "Latitude", "lon": "Longitude", "hh": "Returnee Families",
                 "ind": "Returnee Individuals"},
}


@dataclass
class Fixture:
    data: bytes
    filename: str
    frame: pd.DataFrame  # the locations written (ground truth)
    households: int
    individuals: int
    by_governorate: dict  # p-code -> (locations, households, individuals)
    header_row: int  # 1-based row of the header in the file


def locations(n: int, *, seed: int = 1, round_: int = 130, group: str = "idp", camps: float = 0.02,
              start_id: int = 100001) -> pd.DataFrame:
    """``n`` invented locations spread over the 18 governorates (national weights)."""
    rng = random.Random(seed)
    codes = list(WEIGHTS)
    weights = [WEIGHTS[c] for c in codes]
    rows = []
    for k in range(n):
        g = codes[k] if k < len(codes) else rng.choices(codes, weights)[0]  # every governorate present
        (clat, clon), spell = GOVS[g]
        w1, w2 = rng.randrange(len(WORDS_EN)), rng.randrange(len(WORDS_EN))
        camp = rng.random() < camps
        name = f"{'Camp' if camp else 'Hay'} {WORDS_EN[w1]} {WORDS_EN[w2]} {k + 1}"
        ar = f"{'مخيم' if camp else 'حي'} {WORDS_AR[w1]} {WORDS_AR[w2]} {k + 1}"
        size = rng.random()  # most locations are small, a few large (national: ~1 million IDPs)
        hh = (rng.randint(1, 40) if size < 0.7 else rng.randint(40, 200) if size < 0.95 else rng.randint(200, 1500)) \
            if not camp else rng.randint(300, 3000)
        mult = 5 if camp and group == "idp" and round_ >= 117 else 6
        dist = rng.randint(1, 6)
        origin = _split(rng, hh, len(ORIGIN_HEADERS))
        shelter = [hh, 0, 0, 0, 0] if camp else [0] + _split(rng, hh, len(SHELTER_HEADERS) - 1)
        period = _split(rng, hh, len(PERIOD_HEADERS))
        rows.append({
            "place_id": start_id + k, "admin1_code": g, "gov": rng.choice(spell), "district_code": f"{g}Q{dist:02d}",
            "district": f"District {dist} of {spell[0]}", "name": name, "name_ar": ar,
            "lat": round(clat + rng.uniform(-0.4, 0.4), 6), "lon": round(clon + rng.uniform(-0.4, 0.4), 6),
            "households": hh, "individuals": hh * mult, "camp": camp,
            **{f"o{i}": v for i, v in enumerate(origin)}, **{f"s{i}": v for i, v in enumerate(shelter)},
            **{f"p{i}": v for i, v in enumerate(period)},
        })
    return pd.DataFrame(rows)


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    edges = [0, *cuts, total]
    return [edges[i + 1] - edges[i] for i in range(parts)]


def _table(locs: pd.DataFrame, gen: str, *, index_col: bool, breakdowns: bool, pcode_style: str | None):
    h = GENERATIONS[gen]
    head = ([""] if index_col else []) + [h["id"], h["gov"], h["dist"], h["name"], h["ar"], h["lat"], h["lon"],
                                           h["hh"], h["ind"]]
    if pcode_style:
        head.insert(head.index(h["dist"]) + 1, "District pcode")
    if breakdowns:
        head += ORIGIN_HEADERS + SHELTER_HEADERS + PERIOD_HEADERS
    rows = []
    for k, r in enumerate(locs.itertuples(index=False)):
        row = ([k + 1] if index_col else []) + [r.place_id, r.gov, r.district, r.name, r.name_ar, r.lat, r.lon,
                                                  r.households, r.individuals]
        if pcode_style:
            code = r.district_code
            code = {"IRQ": "IRQ-" + code[2:], "IQ-": "IQ-" + code[2:], "IQG": code}[pcode_style]
            row.insert(head.index("District pcode"), code)
        if breakdowns:
            row += [getattr(r, f"o{i}") for i in range(len(ORIGIN_HEADERS))]
            row += [getattr(r, f"s{i}") for i in range(len(SHELTER_HEADERS))]
            row += [getattr(r, f"p{i}") for i in range(len(PERIOD_HEADERS))]
        rows.append(row)
    return head, rows


def master_list(
    locs: pd.DataFrame,
    *,
    gen: str = "2023",
    fmt: str = "xlsx",
    encoding: str = "utf-8",
    group: str = "idp",
    round_: int = 130,
    title_rows: bool = True,
    index_col: bool = True,
    blank_last: bool = True,
    totals_row: bool = False,
    breakdowns: bool = True,
    pcode_style: str | None = "IRQ",
    thousands: bool = False,
    filename: str | None = None,
    month: str = "July 2023",
    extra_columns: dict[str, object] | None = None,
) -> Fixture:
    """Write ``locs`` as IOM would (see the module docstring for the options). ``extra_columns``:
    header → the value of every row, or a list with one value per location (columns the
    importer does not need, as real files carry them)."""
    head, rows = _table(locs, gen, index_col=index_col, breakdowns=breakdowns, pcode_style=pcode_style)
    for name, values in (extra_columns or {}).items():
        head.append(name)
        for k, r in enumerate(rows):
            r.append(values[k] if isinstance(values, list) else values)
    label = "IDP" if group == "idp" else "Returnee"
    titles = [["IOM Iraq - Displacement Tracking Matrix (DTM)"], [f"{label} Master List - Round {round_} - {month}"],
              []] if title_rows else []
    hh = int(locs["households"].sum())
    ind = int(locs["individuals"].sum())
    body = [list(r) for r in rows]
    if thousands:
        hi, ii = head.index(GENERATIONS[gen]["hh"]), head.index(GENERATIONS[gen]["ind"])
        for r in body:
            r[hi], r[ii] = f"{r[hi]:,}", f"{r[ii]:,}"
    if totals_row:
        tot = [""] * len(head)
        tot[head.index(GENERATIONS[gen]["gov"])] = "Total"
        tot[head.index(GENERATIONS[gen]["hh"])] = hh
        tot[head.index(GENERATIONS[gen]["ind"])] = ind
        body.append(tot)
    if blank_last:
        body.append([""] * len(head) if fmt == "csv" else [None] * len(head))
    all_rows = titles + [head] + body
    name = filename or f"DTM_{label}_Master_List_Round{round_}_Jul2023.{fmt}"
    if fmt == "xlsx":
        import openpyxl

        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("Master List")
        for r in all_rows:
            ws.append([None if v == "" else v for v in r])
        buf = io.BytesIO()
        wb.save(buf)
        data = buf.getvalue()
    else:
        sio = io.StringIO()
        delim = "\t" if encoding.startswith("utf-16") else ","
        w = csv.writer(sio, delimiter=delim, lineterminator="\r\n")
        for r in all_rows:
            w.writerow(r)
        data = sio.getvalue().encode(encoding)
    by = {}
    for g, sub in locs.groupby("admin1_code"):
        by[g] = (len(sub), int(sub["households"].sum()), int(sub["individuals"].sum()))
    return Fixture(data, name, locs, hh, ind, by, len(titles) + 1)


# --------------------------------------------------------------------------- two rounds
#: Two IDP rounds of six locations each (households, individuals; × 6, no camps), written
#: by hand so the tests can count by hand. From round 119 (31 Dec 2020) to round 120
#: (28 Feb 2021): A stays, B and F rise, D falls, C and E close, G and H appear.
ROUND_1 = {"A": (10, 60), "B": (20, 120), "C": (30, 180), "D": (40, 240), "E": (50, 300), "F": (5, 30)}
ROUND_2 = {"A": (10, 60), "B": (22, 132), "D": (25, 150), "F": (15, 90), "G": (8, 48), "H": (12, 72)}
#: The hand counts of the two rounds (round 2 is the current picture).
TWO_ROUNDS = {
    "round_1": {"sites": 6, "households": 155, "individuals": 930},
    "round_2": {"sites": 6, "households": 92, "individuals": 552},
    "change": {"sites": 0, "households": 92 - 155, "individuals": 552 - 930},
    "closed": {"C", "E"}, "opened": {"G", "H"}, "rise": {"B", "F"}, "fall": {"D"}, "same": {"A"},
    # what "the latest count of each site" gave: closed C and E still counted with December
    "latest_per_site": {"sites": 8, "individuals": 552 + 180 + 300},
}
#: Place ids of the letters (the files' "Place id" column, the sites' id after import).
TWO_ROUND_IDS = {k: str(100001 + i) for i, k in enumerate("ABCDEFGH")}


def _round_locations(counts: dict, *, group: str = "idp", start_id: int = 100001) -> pd.DataFrame:
    every = locations(8, seed=21, camps=0.0, group=group, start_id=start_id)  # one row per letter A..H
    every["letter"] = list("ABCDEFGH")
    rows = every[every["letter"].isin(counts)].copy()
    rows["households"] = [counts[k][0] for k in rows["letter"]]
    rows["individuals"] = [counts[k][1] for k in rows["letter"]]
    for prefix, n in (("o", len(ORIGIN_HEADERS)), ("p", len(PERIOD_HEADERS))):  # breakdowns add up
        for i in range(n):
            rows[f"{prefix}{i}"] = rows["households"] if i == 0 else 0
    for i in range(len(SHELTER_HEADERS)):  # everyone with host families
        rows[f"s{i}"] = rows["households"] if i == 1 else 0
    return rows.drop(columns="letter").reset_index(drop=True)


def two_rounds(fmt: str = "xlsx") -> tuple[Fixture, Fixture]:
    """Round 119 (31 Dec 2020) and round 120 (28 Feb 2021) of :data:`ROUND_1` / :data:`ROUND_2`,
    as IOM writes them (title rows, index column, breakdowns; the date and round in the title
    and the file name)."""
    r1 = master_list(_round_locations(ROUND_1), fmt=fmt, round_=119, month="31 December 2020",
                     filename=f"DTM_IDP_Master_List_Round119_2020-12-31.{fmt}")
    r2 = master_list(_round_locations(ROUND_2), fmt=fmt, round_=120, month="28 February 2021",
                     filename=f"DTM_IDP_Master_List_Round120_2021-02-28.{fmt}")
    return r1, r2


#: Returnees of three locations (ids 700001…), one round dated 31 Jan 2021 (round 119R).
RETURNEES = {"A": (100, 600), "B": (50, 300), "C": (7, 42)}


def returnee_round(fmt: str = "xlsx") -> Fixture:
    """A returnee Master List of :data:`RETURNEES`, dated 31 Jan 2021 (not the IDPs' latest date)."""
    return master_list(_round_locations(RETURNEES, group="returnee", start_id=700001), gen="returnee",
                       group="returnee", fmt=fmt, round_=119, month="31 January 2021",
                       filename=f"DTM_Returnee_Master_List_Round119_2021-01-31.{fmt}")


# --------------------------------------------------------------------------- boundaries
def districts(n: int = 6, *, level: str = "adm2"):
    """Invented square 'districts' inside Iraq with COD-AB style columns (not real boundaries)."""
    import geopandas as gpd
    from shapely.geometry import box

    rows = []
    for k in range(n):
        g = f"IQG{(k % 18) + 1:02d}"
        x, y = 40.0 + (k % 6) * 1.2, 31.0 + (k // 6) * 1.2
        row = {"ADM1_PCODE": g, "ADM1_EN": GOVS[g][1][0], "geometry": box(x, y, x + 1, y + 1)}
        if level == "adm2":
            row.update({"ADM2_PCODE": f"{g}Q{k + 1:02d}", "ADM2_EN": f"Invented district {k + 1}"})
        rows.append(row)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def zipped_shapefile(gdf, name: str = "districts") -> bytes:
    """A GeoDataFrame as a zipped ESRI shapefile (bytes)."""
    import tempfile
    import zipfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}.shp"
        gdf.to_file(path, driver="ESRI Shapefile", engine="pyogrio")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in sorted(Path(tmp).iterdir()):
                zf.write(p, f"{name}/{p.name}")
        return buf.getvalue()


def geopackage(gdf, layer: str = "districts") -> bytes:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "b.gpkg"
        gdf.to_file(path, driver="GPKG", layer=layer, engine="pyogrio")
        return path.read_bytes()


# --------------------------------------------------------------------------- workbooks (and hostile ones)
def xlsx_bytes(rows_by_sheet: dict) -> bytes:
    """A workbook with one sheet per key, rows as given."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in rows_by_sheet.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The zip ``data`` with some members' bytes replaced."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
    return buf.getvalue()


def xlsx_bomb(data: bytes) -> bytes:
    """The workbook with its first sheet swapped for 30 MB of spaces (compresses ~1000×)."""
    return rezip(data, {"xl/worksheets/sheet1.xml": b"<x>" + b" " * 30_000_000 + b"</x>"})


def xlsx_with_entities(data: bytes) -> bytes:
    """The workbook with a DTD declaring nested entities in its first sheet."""
    import zipfile

    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    evil = sheet.replace(b"<worksheet", b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><worksheet',
                         1)
    return rezip(data, {"xl/worksheets/sheet1.xml": evil})


# --------------------------------------------------------------------------- any table, as bytes
def table_bytes(rows: list[list], fmt: str = "csv", *, encoding: str = "utf-8", sheet: str = "Sheet1",
                delimiter: str | None = None) -> bytes:
    """``rows`` (lists of cells) written as a CSV in ``encoding`` (UTF-16: tab separated, as Excel's
    "Unicode text"; else ``delimiter``, a comma by default) or as a one-sheet XLSX (cells as given:
    numbers, dates, text; None for empty)."""
    if fmt == "xlsx":
        import openpyxl

        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet(sheet)
        for r in rows:
            ws.append([None if isinstance(v, str) and v == "" else v for v in r])
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()
    sio = io.StringIO()
    w = csv.writer(sio, delimiter="\t" if encoding.startswith("utf-16") else delimiter or ",", lineterminator="\r\n")
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return sio.getvalue().encode(encoding)

"""Every kind of file dsdash reads, in one registry: :data:`KINDS`.

Each kind is one :class:`Kind` record: its name (a load report's ``kind``), the label
users see, its header signature (the header spellings that name each of its fields, and
the fields it cannot do without) and the function that reads it. Detection and dispatch
read the registry; to add a kind, write the module that reads it and add its record here.

Two shapes of reader:

- ``import_sheet(raw, header, *, file, **options) -> (tables, report)`` reads one sheet
  of a CSV or workbook whose header :func:`detect` found (Master Lists, presence, FVM,
  movements, tables of ours). ``options`` are what the user states about the file and
  the kind reads (:attr:`Kind.options`).
- ``read_file(data, filename) -> (result, report)`` reads a whole file: boundaries (a
  GeoDataFrame) and sub-district scores (a table, for the hotspot rule).

How a sheet's kind is found (:func:`detect`), the first hit wins:

1. ``find_first``: exact layouts (a table of ours names our columns; tried first, since
   such a header would also match other kinds' synonyms);
2. the header signatures of the sheet kinds: the row and kind naming the most fields
   (:func:`dsdash.importers.detect.find_header`);
3. ``find_last``: layouts whose header row does not name fields (the FVM table with
   periods across and indicators down).

Module order (no cycles): ``readers`` < ``detect``, ``common`` < the kind modules
(``dtm``, ``presence``, ``fvm``, ``tidy``, ``boundaries``, ``subdistricts``) < ``kinds``
< the package (``import_file``, ``build_dataset``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

import dsdash.importers.boundaries as boundaries
import dsdash.importers.catchments as catchments
import dsdash.importers.dtm as dtm
import dsdash.importers.fvm as fvm
import dsdash.importers.presence as presence
import dsdash.importers.subdistricts as subdistricts
import dsdash.importers.tidy as tidy
from dsdash.i18n import N_, _
from dsdash.importers.detect import (
    DTM_HEADERS, FVM_HEADERS, MOVEMENT_HEADERS, PRESENCE_HEADERS, Header, TopRows, find_header,
)

#: File formats of the sheet kinds (as :func:`dsdash.importers.readers.file_format` names them).
TABLE_FORMATS = ("csv", "xlsx")
#: The report kind of a file nothing recognised, and its label.
UNKNOWN = "unknown"
UNKNOWN_LABEL = N_("not recognised")


@dataclass(frozen=True, eq=False)
class Kind:
    """One kind of file: what it is called, how it is recognised, what reads it."""

    name: str  # a load report's kind (tables of ours: "table:<table name>")
    label: str  # as the Upload page and ``validate`` show it
    headers: Mapping[str, Sequence[str]]  # field -> header spellings, as the kind's reader compares them
    needs: tuple[tuple[str, ...], ...]  # fields it cannot do without: any one of each tuple
    formats: tuple[str, ...] = TABLE_FORMATS
    import_sheet: Callable[..., tuple[dict[str, pd.DataFrame], object]] | None = None
    read_file: Callable[[bytes, str], tuple[object, object]] | None = None
    options: tuple[str, ...] = ()  # keywords of import_file the reader takes
    #: ``find_first(frame, top=TopRows)``: the sheet, and its first rows with their header keys
    find_first: Callable[..., Header | None] | None = None
    find_last: Callable[[pd.DataFrame], Header | None] | None = None
    upload: bool = True  # import_file (Upload page, validate, summary) recognises it


KINDS: tuple[Kind, ...] = (
    Kind(catchments.KIND, N_("ABC/JCF catchments (districts per area)"), catchments.HEADERS,
         (("catchment",), ("districts",)), import_sheet=catchments.import_catchments,
         find_first=catchments.find_catchments),  # before tables of ours: its own layout is read here, checked
    Kind(tidy.KIND, N_("table of ours (as dsdash exports it)"), {}, (), import_sheet=tidy.import_table,
         find_first=tidy.find_tidy_table),
    Kind(dtm.KIND, N_("DTM Master List"), DTM_HEADERS, (("households", "individuals"), ("site_name", "site_id")),
         import_sheet=dtm.import_master_list, options=("population_group", "reference_date", "dtm_round")),
    Kind(presence.KIND, N_("partner presence (3W/4W/5W)"), PRESENCE_HEADERS, (("partner", "implementer"), ("service",)),
         import_sheet=presence.import_presence),
    Kind(fvm.KIND, N_("FVM statistics"), FVM_HEADERS, (("indicator",), ("value",)), import_sheet=fvm.import_fvm,
         find_last=fvm.find_fvm_wide),
    Kind(fvm.MOVEMENTS_KIND, N_("movements"), MOVEMENT_HEADERS,
         (("origin_name", "origin_admin1"), ("destination_name", "destination_admin1")),
         import_sheet=fvm.import_movements),
    Kind(boundaries.KIND, N_("boundaries (COD-AB)"), boundaries.HEADERS, boundaries.NEEDS,
         formats=tuple(boundaries.EXPECTED_DRIVERS), read_file=boundaries.read_boundaries),
    Kind(subdistricts.KIND, N_("sub-district Return Index scores"), subdistricts.HEADER_SYNONYMS, subdistricts.NEEDS,
         read_file=subdistricts.read_subdistrict_file, upload=False),
)

_BY_NAME = {k.name: k for k in KINDS}
#: Sheet kinds recognised by their header signature, in the order that breaks ties.
_SIGNED = tuple(k for k in KINDS if k.upload and k.import_sheet and k.headers)


def label(name: str) -> str:
    """The label of a report's kind, as users see it (a table of ours by its label).

    Examples:
        >>> label("dtm_master_list"), label("unknown"), label("table:sites"), label("index_rounds")
        ('DTM Master List', 'not recognised', 'dsdash table: Sites', 'Index rounds')
    """
    from dsdash.schema import TABLE_LABELS

    if name == UNKNOWN:
        return _(UNKNOWN_LABEL)
    kind = _BY_NAME.get(name)
    if kind is not None:
        return _(kind.label)
    if name.startswith("table:"):
        return _("dsdash table: {table}").format(table=_(TABLE_LABELS.get(name[6:], name[6:])))
    return _(TABLE_LABELS.get(name, name))


def file_kind(fmt: str) -> Kind | None:
    """The kind that reads a whole file of format ``fmt`` on upload (boundaries), if any.

    Examples:
        >>> file_kind("gpkg").name, file_kind("csv")
        ('boundaries', None)
    """
    return next((k for k in KINDS if k.upload and k.read_file and fmt in k.formats), None)


def detect(frame: pd.DataFrame) -> tuple[Kind, Header] | None:
    """The kind of one sheet and where its header is (see the module's three steps);
    None when no kind is recognised."""
    if frame.empty:
        return None
    top = TopRows(frame)  # the first rows and their header keys, read once for every kind tried
    for k in KINDS:
        if k.upload and k.find_first and (h := k.find_first(frame, top=top)) is not None:
            return k, h
    h = find_header(frame, _SIGNED, top=top)
    if h is not None:
        return _BY_NAME[h.kind], h
    for k in KINDS:
        if k.upload and k.find_last and (h := k.find_last(frame)) is not None:
            return k, h
    return None

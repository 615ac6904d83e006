"""What the Trends page says and decides, in the reader's language: its caption, its tabs, the
choices of the governorate/district breakdown, the rounds a change is read between, and the
words around the hotspot rule (the page reads the widgets, calls these and renders).

Examples:
    >>> level_label("admin2"), round_label(dt.date(2023, 12, 10))
    ('District', '10 Dec 2023')
    >>> default_from([dt.date(2023, 1, 1), dt.date(2023, 6, 1), dt.date(2023, 12, 1)])
    1
"""

from __future__ import annotations

import datetime as dt

from dsdash.i18n import N_, _
from dsdash.schema import POPULATION_GROUP_LABELS

#: The tabs of the page, in order.
TABS = (N_("National trend"), N_("Index severity"), N_("FVM progress"), N_("Hotspots"))
#: Headings of the Trends tables named by their machine names (dsdash.schema.column_label), for the catalog.
_COLUMN_WORDS = (N_("Stage"), N_("Base"), N_("Label"), N_("Change"), N_("Latest"), N_("Previous"))
#: The levels of the Master List breakdown.
LEVELS = {"admin1": N_("Governorate"), "admin2": N_("District")}


def tabs() -> list[str]:
    return [_(t) for t in TABS]


def page_caption(data_name: str, filters_text: str) -> str:
    """What the page's figures are, and which of them follow the filters."""
    from dsdash.provenance import dataset_name

    return _("Data: {data}. Filters: {filters} (they apply to the Master List breakdown by governorate and district; "
             "the national series, index rounds, FVM and hotspots are national or programme figures).").format(
        data=dataset_name(data_name), filters=filters_text)


def level_label(level: str) -> str:
    return _(LEVELS[level])


def group_label(group: str) -> str:
    """A population group in words ('IDPs'); an unknown group as it is."""
    return _(POPULATION_GROUP_LABELS[group]) if group in POPULATION_GROUP_LABELS else str(group)


def round_label(day) -> str:
    """A round's date as the page shows it (day, month, year; the month in the reader's language)."""
    from dsdash.provenance import local_date

    return local_date(day)


def default_from(dates: list) -> int:
    """The index in ``dates[:-1]`` of the round a change is read from by default: the previous
    one (``dates`` sorted, two or more); the change is read to the latest."""
    return len(dates) - 2


def one_round_text(group: str) -> str:
    """
    >>> one_round_text("idp")
    'IDPs: one round only, no change to show.'
    """
    return _("{group}: one round only, no change to show.").format(group=group_label(group))


def no_rounds_text(admin_caption: str) -> str:
    return _("{caption} Load two or more DTM Master List rounds (page 'Load your data') to see the trend by governorate "
             "and district and the sites that appeared, closed, rose or fell.").format(caption=admin_caption)


def index_heading(label: str) -> str:
    """
    >>> index_heading("Return Index")
    'DTM Return Index'
    """
    return _("DTM {index}").format(index=_(label))


def hotspot_rule_caption(rule: str) -> str:
    return _("The DTM rule: {rule}.").format(rule=_(rule))


def hotspot_source_caption(citation: str) -> str:
    return _("Source: {citation} · 2020 · returnee individuals living in the hotspot sub-districts.").format(
        citation=citation)


def hotspot_file_caption() -> str:
    return _("A CSV or Excel file with columns: sub-district, livelihoods and basic services severity, safety and "
             "social cohesion severity (high / medium / low), returnees; governorate and district optional.")


def obstacles_caption() -> str:
    return _("RWG Protracted Displacement Framework, as in the IOM FVM brief of 18 May 2023: movement support for "
             "category 1, advocacy for categories 2 and 3.")

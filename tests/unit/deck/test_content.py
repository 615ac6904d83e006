"""What the deck shows before it is drawn: the area a name resolves to, the map's lens, and the
key figures with their change since the previous round."""

import pandas as pd
import pytest

from dsdash.deck.build import deck_outline
from dsdash.deck.content import area_filters, area_options, deck_content, map_lens
from dsdash.deck.slides import SLIDE_TITLES
from dsdash.filters import Filters


def test_area_resolution(ds):
    assert area_filters(ds, "West Anbar").coordination_area == ("West Anbar",)
    assert area_filters(ds, "Anbar").admin1 == ("IQG01",)
    assert area_filters(ds, "bzebiz").site_group == ("Bzebiz",)
    assert area_filters(ds, None) == Filters()
    assert "West Anbar" in area_options(ds) and "Al-Anbar" in area_options(ds)
    with pytest.raises(ValueError, match="unknown area 'Atlantis'.*West Anbar"):
        area_filters(ds, "Atlantis")


def test_map_colours_by_coverage_only_when_services_are_chosen(ds):
    assert map_lens(Filters()) == "site_type"
    assert map_lens(Filters(services=("water",))) == "coverage"
    outline = dict(deck_outline(deck_content(ds, filters=Filters(services=("water",)), with_map=False)))
    assert "coloured by coverage of the chosen services" in outline[SLIDE_TITLES["map"]][0]


def test_site_figures_show_the_change_since_the_previous_population_round(ds):
    """A later round of two sites: it is the current picture (the other 26 sites are closed),
    and the change names the previous round's date."""
    pop = ds.population
    later = pop[pop["site_id"].isin(["ANB-01", "ANB-02"])].copy()  # 42 and 342 individuals on 10 Dec 2023
    later["reference_date"] = pd.Timestamp("2024-04-30")
    later["dtm_round"] = pd.array([132, 132], dtype="Int64")
    later["individuals"] = pd.array([60, 300], dtype="Int64")
    later["households"] = pd.array([10, 50], dtype="Int64")
    ds2 = ds.with_tables(population=pd.concat([pop, later], ignore_index=True).astype(pop.dtypes.to_dict()))
    figs = {k.label: k for k in deck_content(ds2, with_map=False).figures}
    assert figs["Individuals"].value == 60 + 300
    assert figs["Individuals"].change == 60 + 300 - 18_882
    assert figs["Individuals"].change_text == "-18,522 since 10 Dec 2023"
    assert figs["Households"].change == 10 + 50 - 3147
    assert (figs["Sites"].value, figs["Sites"].change) == (2, 2 - 28)
    assert "round 132" in figs["Individuals"].date and "30 Apr 2024" in figs["Individuals"].date
    assert deck_content(ds, with_map=False).figures[2].change is None  # one round only: no change claimed

from dsdash.filters import Filters
from dsdash.figures import index_figures, national_figures, site_figures


def test_site_figures_carry_seed_totals_and_provenance(ds):
    sites, hh, ind = site_figures(ds)
    assert (sites.value, hh.value, ind.value) == (28, 3147, 18882)
    assert ind.text == "18,882"
    assert "households × 6" in ind.method and "latest round of each group" in ind.method
    assert ind.source.startswith("DSTWG monthly meeting, 13 December 2023")  # the citation, not a file name
    assert "10 Dec 2023" in ind.date and ind.change is None


def test_site_figures_follow_filters(ds):
    sites, hh, ind = site_figures(ds, Filters(site_group=("Rutba",)))
    assert sites.value == 6 and hh.value == 57 + 52 + 64 + 54 + 67 + 30 and ind.value == hh.value * 6


def test_national_figures(ds):
    idp, ret = national_figures(ds)
    assert idp.value == 1_098_913 and idp.change == 1_098_913 - 1_123_663
    assert "round 132" in idp.date and "30 Apr 2024" in idp.date and idp.change_text == "-24,750 since round 131, 31 Dec 2023"
    assert "households × 6" in idp.method and "IOM" in idp.source
    assert ret.value == 4_871_916


def test_index_figures(ds):
    ri, di = index_figures(ds)
    assert ri.value == 12 and "round 23" in ri.date and "609,954" in ri.method
    assert di.value == 5 and di.change == -1 and di.change_text == "-1 points since round 8 (data to Dec 2023)"
    assert [ri.method, di.method] == ["share of returnees in locations of severe (high) severity; 609,954 returnees",
                                      "share of IDPs in locations of severe (high) severity; 48,504 IDPs"]


def test_index_figures_methods_read_in_arabic(ds):
    """The method line under the index figures: the Arabic separator, the population in its right form
    (it read 'نسبة النازحون …; 48,504 النازحون': an English semicolon and a nominative after نسبة)."""
    from dsdash.i18n import language

    with language("ar"):
        ri, di = index_figures(ds)
    assert [ri.method, di.method] == ["نسبة العائدين في مواقع ذات شدّة عالية؛ العائدون فيها: 609,954",
                                      "نسبة النازحين في مواقع ذات شدّة عالية؛ النازحون فيها: 48,504"]

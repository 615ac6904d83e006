"""The profile of one site: who lives there, who serves it, what is missing, what is near.

Built from the active Dataset only:

- population: every population row of the site (all rounds and groups), oldest first;
  a trend figure only when there are at least two dates.
- partners: presence rows that reach the site (directly, or through its site group,
  district or governorate, spread by :func:`dsdash.coverage.presence.expand_to_sites`),
  with their start and end dates and what they do on ``as_of`` (the presence model's
  :func:`~dsdash.coverage.presence.row_states`).
- needs: reported needs that reach the site the same way.
- nearby: other sites within a radius, distances in km (:func:`dsdash.spatial.nearby_sites`).

Names (site, partner) stay plain strings: pages show them as text.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd
import plotly.express as px

from dsdash.coverage.presence import (
    ROW_ENDED,
    ROW_END_UNKNOWN,
    ROW_ENDED_UNDATED,
    ROW_INCONSISTENT,
    ROW_NOT_STARTED,
    ROW_UNSTARTED,
    PresenceDays,
    day,
    expand_to_sites,
    row_states,
)
from dsdash.dataset import Dataset
from dsdash.provenance import short_source
from dsdash.i18n import N_, _, current, ngettext
from dsdash.provenance import local_date
from dsdash.schema import (
    COLOURS,
    translated,
    GOVERNORATES,
    district_name,
    INDIVIDUALS_METHOD_LABELS,
    POPULATION_GROUP_LABELS,
    SERVICE_LABELS,
    SITE_TYPE_LABELS,
    Service,
    governorate_name,
)
from dsdash.spatial import nearby_sites

SCOPE_WORDS = {"site": N_("this site"), "site_group": N_("site group"), "district": N_("district"),
               "governorate": N_("governorate")}


@dataclass
class SiteProfile:
    site_id: str
    name: str
    name_ar: str
    facts: pd.DataFrame  # field, value (plain text)
    population: pd.DataFrame  # reference_date, population_group, households, individuals, method, dtm_round, source
    # service, partner, partner_type, reaches_via, start_date, end_date, on_as_of, handover_to, source
    partners: pd.DataFrame
    needs: pd.DataFrame  # service, severity, note, reported_on, reaches_via, source
    nearby: pd.DataFrame  # site_id, site_name, distance_km, admin2_name, site_type
    as_of: dt.date | None

    @property
    def several_rounds(self) -> bool:
        return self.population["reference_date"].dropna().nunique() >= 2


def _via(row: pd.Series, site: pd.Series) -> str:
    """How a presence or need row reaches the site: 'this site', 'site group Bzebiz',
    'district Al-Falluja (IQG01Q01)', 'governorate Al-Anbar (IQG01)'."""
    scope, sid = row["scope"], str(row["scope_id"])
    word = _(SCOPE_WORDS.get(scope, scope))
    if scope == "site":
        return word
    if scope == "district" and isinstance(site.get("admin2_name"), str):
        return f"{word} {district_name(sid, site['admin2_name'])} ({sid})"
    if scope == "governorate":
        return f"{word} {governorate_name(sid)} ({sid})"
    return f"{word} {sid}"


def _service_order(s: pd.Series) -> pd.Series:
    order = {v: i for i, v in enumerate(Service.values())}
    return s.map(order).fillna(len(order))


def partner_states(rows: pd.DataFrame, as_of: dt.date | None) -> list[str]:
    """What each presence row does on ``as_of``, in words: 'serving (ends …, in N days)',
    'serving (no end date)', 'starts …', 'ended …', 'ended (date not stated)', 'end date not read: not
    counted as serving', 'planned, not started (no start date)'."""
    if as_of is None:
        return [_("date unknown")] * len(rows)
    d = pd.Timestamp(as_of)
    codes = row_states(PresenceDays.of(rows), day(as_of))
    out = []
    for code, start, end in zip(codes, rows["start_date"], rows["end_date"]):
        if code == ROW_ENDED_UNDATED:
            out.append(_("ended (date not stated)"))
        elif code == ROW_END_UNKNOWN:  # an end written but not read: never counted as serving
            out.append(_("end date not read: not counted as serving"))
        elif code == ROW_UNSTARTED:
            out.append(_("planned, not started (no start date)"))
        elif code == ROW_INCONSISTENT:
            out.append(_("never serves (starts {start}, after its end {end})").format(
                start=local_date(pd.Timestamp(start)), end=local_date(pd.Timestamp(end))))
        elif code == ROW_NOT_STARTED:
            out.append(_("starts {date}").format(date=local_date(pd.Timestamp(start))))
        elif code == ROW_ENDED:
            out.append(_("ended {date}").format(date=local_date(pd.Timestamp(end))))
        elif pd.notna(end):
            out.append(_("serving (ends {date}, in {n} days)").format(date=local_date(pd.Timestamp(end)),
                                                                       n=(pd.Timestamp(end) - d).days))
        else:
            out.append(_("serving (no end date)"))
    return out


def partner_state(start, end, status: str, as_of: dt.date | None) -> str:
    """:func:`partner_states` of one row.

    Examples:
        >>> import datetime as dt
        >>> partner_state(pd.NaT, pd.Timestamp("2024-04-30"), "scheduled_end", dt.date(2023, 12, 10))
        'serving (ends 30 Apr 2024, in 142 days)'
        >>> partner_state(pd.NaT, pd.Timestamp("2023-09-30"), "ended", dt.date(2023, 12, 10))
        'ended 30 Sep 2023'
    """
    row = pd.DataFrame({"start_date": pd.Series([start], dtype="datetime64[s]"),
                        "end_date": pd.Series([end], dtype="datetime64[s]"), "status": [status]})
    return partner_states(row, as_of)[0]


def _reaching(rows: pd.DataFrame, one: pd.DataFrame, site: pd.Series, then: str, columns) -> pd.DataFrame:
    """The rows (presence or needs) that reach one site, by service then ``then``: service
    label, the row's own ``columns(rows)``, how each reaches the site, and its source."""
    ex, _unused = expand_to_sites(rows, one)
    ex = ex.assign(_o=_service_order(ex["service"])).sort_values(["_o", then], kind="stable")
    out = {"service": ex["service"].map(translated(SERVICE_LABELS)).fillna(ex["service"]), **columns(ex)}
    out["reaches_via"] = [_via(r, site) for _, r in ex.iterrows()]
    out["source"] = ex["source"].map(short_source, na_action="ignore")
    return pd.DataFrame(out).reset_index(drop=True)


def site_profile(ds: Dataset, site_id: str, *, as_of: dt.date | None = None,
                 nearby_km: float = 25.0, nearby_limit: int = 10) -> SiteProfile | None:
    """The profile of ``site_id`` in ``ds`` (None when the site is not in the sites table)."""
    sites = ds.sites
    row = sites[sites["site_id"] == site_id]
    if row.empty:
        return None
    s = row.iloc[0]
    as_of = as_of or ds.latest_date()
    one = sites[sites["site_id"] == site_id]

    def txt(v) -> str:
        return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)

    en = current() == "en"
    gov = txt(s.get("admin1_name")) or governorate_name(txt(s.get("admin1_code")))
    if not en and txt(s.get("admin1_code")) in GOVERNORATES:
        gov = governorate_name(txt(s.get("admin1_code")))
    dist = txt(s.get("admin2_name")) if en else district_name(txt(s.get("admin2_code")), txt(s.get("admin2_name")))
    facts = pd.DataFrame([
        (_("Site"), txt(s["site_name"])),
        (_("Arabic name"), txt(s.get("site_name_ar")) or _("not stated")),
        (_("Site ID"), txt(s["site_id"])),
        (_("Governorate"), gov),
        (_("District"), f"{dist} ({txt(s.get('admin2_code'))})"),
        (_("Site type"), _(SITE_TYPE_LABELS.get(txt(s["site_type"]), txt(s["site_type"])))
         + (f" ({txt(s.get('site_type_basis'))})" if txt(s.get("site_type_basis")) else "")),
        (_("Site group"), txt(s.get("site_group")) or _("none")),
        (_("Coordination area (ABC/JCF)"), txt(s.get("coordination_area")) or _("not stated")),
        (_("Coordinates"), f"{float(s['latitude']):.5f}, {float(s['longitude']):.5f}"
         if pd.notna(s["latitude"]) and pd.notna(s["longitude"]) else _("not stated")),
        (_("Source"), short_source(txt(s.get("source")))),
    ], columns=["field", "value"])

    pop = ds.population[ds.population["site_id"] == site_id].sort_values(
        ["reference_date", "population_group"], kind="stable")
    population = pd.DataFrame({
        "reference_date": pop["reference_date"].dt.date,
        "population_group": pop["population_group"].map(translated(POPULATION_GROUP_LABELS)).fillna(pop["population_group"]),
        "households": pop["households"],
        "individuals": pop["individuals"],
        "method": pop["individuals_method"].map(translated(INDIVIDUALS_METHOD_LABELS)).fillna(pop["individuals_method"]),
        "dtm_round": pop["dtm_round"],
        "source": pop["source"].map(short_source, na_action="ignore"),
    }).reset_index(drop=True)

    partners = _reaching(ds.presence, one, s, "partner", lambda r: {
        "partner": r["partner"], "partner_type": r["partner_type"], "reaches_via": None,
        "start_date": r["start_date"].dt.date, "end_date": r["end_date"].dt.date,
        "on_as_of": partner_states(r, as_of), "handover_to": r["handover_to"]})
    needs = _reaching(ds.needs, one, s, "reported_on", lambda r: {
        "severity": r["severity"], "note": r["note"], "reported_on": r["reported_on"].dt.date, "reaches_via": None})

    return SiteProfile(
        site_id=str(site_id), name=txt(s["site_name"]), name_ar=txt(s.get("site_name_ar")), facts=facts,
        population=population, partners=partners, needs=needs,
        nearby=nearby_sites(sites, site_id, radius_km=nearby_km, limit=nearby_limit), as_of=as_of,
    )


def population_trend_figure(profile: SiteProfile):
    """Individuals over time per population group (plotly), or None with fewer than two dates."""
    if not profile.several_rounds:
        return None
    pop = profile.population
    colours = {_(POPULATION_GROUP_LABELS.get(k, k)): v for k, v in COLOURS.items() if k in POPULATION_GROUP_LABELS}
    fig = px.line(pop, x="reference_date", y="individuals", color="population_group", markers=True,
                  color_discrete_map=colours,
                  labels={"reference_date": _("count date"), "individuals": _("individuals"), "population_group": ""})
    fig.update_layout(height=280, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      title={"text": _("Individuals over time"), "font": {"size": 14}})
    return fig


def site_options(points: pd.DataFrame) -> dict[str, str]:
    """site_id → 'name · Arabic name (site_id)', largest sites first, for a site picker (typing in
    it finds a site by its English or Arabic name)."""
    p = points.sort_values("individuals", ascending=False, na_position="last", kind="stable")
    ar = p["site_name_ar"] if "site_name_ar" in p.columns else pd.Series(pd.NA, index=p.index)
    out = {}
    for i, n, a in zip(p["site_id"], p["site_name"], ar):
        a = "" if a is None or pd.isna(a) else str(a).strip()
        out[str(i)] = f"{n} · {a} ({i})" if a else f"{n} ({i})"
    return out


_AR_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"})


def name_key(text: object) -> str:
    """A name as searched: case, accents, Arabic diacritics, tatweel and hamza/alef/ta marbuta
    variants, punctuation and spaces ignored.

    Examples:
        >>> name_key("Kilo 18 / AL-Karama") == name_key("kilo18 al karama")
        True
        >>> name_key("الأنبار") == name_key("الانبار")
        True
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(ch for ch in s if not unicodedata.combining(ch) or "\u0600" <= ch <= "\u06ff")
    s = _AR_DIACRITICS.sub("", s).translate(_AR_LETTERS).casefold()
    return "".join(ch for ch in s if ch.isalnum())


def search_sites(points: pd.DataFrame, query: str) -> list[str]:
    """site_ids whose English or Arabic name (or site_id) contains ``query`` (:func:`name_key`),
    names that start with it first, then the largest sites."""
    q = name_key(query)
    if not q:
        return []
    p = points.sort_values("individuals", ascending=False, na_position="last", kind="stable")
    ar = p["site_name_ar"] if "site_name_ar" in p.columns else pd.Series("", index=p.index)
    first, then = [], []
    for i, n, a in zip(p["site_id"], p["site_name"], ar):
        keys = [name_key(n), name_key(a), name_key(i)]
        if any(k.startswith(q) for k in keys if k):
            first.append(str(i))
        elif any(q in k for k in keys if k):
            then.append(str(i))
    return first + then

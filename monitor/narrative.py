"""Een leesbare samenvatting: a few sentences about a region, generated from its numbers.

The rule (also on the 'Over de data' page): a difference is stated only when it is larger
than the indicator's uncertainty

    u = max(half a unit of the published precision,  0.25 x 1.4826 x MAD)

where the first term is CBS's rounding (a figure published with one decimal can be 0.05 off)
and the MAD is the median absolute deviation of the indicator over the regions of the
comparison group (a robust spread: a difference much smaller than the usual difference between
regions is not worth a sentence). Smaller differences read 'geen duidelijk verschil'. A region
is called the highest or lowest of its group only when it is more than u beyond every other.
Every number in a sentence is one shown on the same page: the value and the Nederland value
with the decimals of the tables, and the size of the group (the rank column's 'n').
Estimated values, values converted from older municipal boundaries, a missing figure and a
figure withheld for low coverage are said so.

No Streamlit here: the profile page and the report call `region_narrative`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from monitor import queries, regions
from monitor.i18n import text_of
from monitor.memo import memo
from monitor.numbers import format_value
from monitor.regions import Region

INDICATORS = ("werkloosheid_pct", "netto_arbeidsparticipatie_pct", "banen_per_1000_inwoners",
              "hbo_wo_pct")
SPREAD_SHARE = 0.25
ROBUST_SCALE = 1.4826

GROUPS = {
    "gemeente": {"nl": "gemeenten", "en": "municipalities"},
    "provincie": {"nl": "provincies", "en": "provinces"},
    "corop": {"nl": "COROP-gebieden", "en": "COROP regions"},
    "arbeidsmarktregio": {"nl": "arbeidsmarktregio's", "en": "labour-market regions"},
    "proeftuin": {"nl": "proeftuinen", "en": "pilot regions"},
}

TEXTS = {
    "value": {"nl": "{title} ({year}): {value}", "en": "{title} ({year}): {value}"},
    "highest": {"nl": "de hoogste van de {n} {group}", "en": "the highest of the {n} {group}"},
    "lowest": {"nl": "de laagste van de {n} {group}", "en": "the lowest of the {n} {group}"},
    "above": {"nl": "hoger dan Nederland ({nl})", "en": "higher than the Netherlands ({nl})"},
    "below": {"nl": "lager dan Nederland ({nl})", "en": "lower than the Netherlands ({nl})"},
    "same": {"nl": "geen duidelijk verschil met Nederland ({nl})",
             "en": "no clear difference from the Netherlands ({nl})"},
    "and": {"nl": " en ", "en": " and "},
    "missing": {"nl": "{title} ({year}): geen cijfer.", "en": "{title} ({year}): no figure."},
    "low_coverage": {
        "nl": "{title} ({year}): geen cijfer, te weinig gemeenten van de regio hebben gegevens.",
        "en": "{title} ({year}): no figure, too few of the region's municipalities have data."},
    "estimated": {"nl": "Dit cijfer is geschat.", "en": "This figure is estimated."},
    "break": {"nl": "Let op: de reeks heeft een breuk in {year}; jaren ervoor zijn niet "
                    "vergelijkbaar (zie Trends).",
              "en": "Note: the series has a break in {year}; earlier years do not compare "
                    "(see Trends)."},
    "converted": {"nl": "Omgerekend naar de gemeentegrenzen van 2024 (herindeling).",
                  "en": "Converted to the 2024 municipal boundaries (merger)."},
}


@dataclass(frozen=True)
class Fact:
    """What a sentence may use: only numbers that are on the page."""

    title: str
    unit: str
    decimals: int
    year: int
    value: float | None
    nl_value: float | None = None  # None: no comparison with Nederland (e.g. for Nederland)
    others: tuple[float, ...] = ()  # the other regions of the group (for highest/lowest)
    group: str | None = None  # level of the group, None: no highest/lowest
    spread_values: tuple[float, ...] = ()  # the regions the robust spread is taken over
    status: str = "ok"
    is_estimated: bool = False
    is_converted: bool = False
    break_year: int | None = None  # the latest declared break in the series up to `year`


def phrase(key: str, lang: str, **kwargs) -> str:
    """One template in the language."""
    return text_of(TEXTS, key, lang, **kwargs)


def uncertainty(decimals: int, spread_values: tuple[float, ...] | list[float]) -> float:
    """max(half a unit of the published precision, 0.25 x robust spread across regions)."""
    rounding = 0.5 * 10 ** (-int(decimals))
    values = pd.Series(spread_values, dtype=float).dropna()
    if len(values) < 3:
        return rounding
    mad = (values - values.median()).abs().median() * ROBUST_SCALE
    return max(rounding, SPREAD_SHARE * mad)


def compare(value: float, reference: float, u: float) -> str:
    """'above', 'below' or 'same' (the difference is not larger than u)."""
    if value - reference > u:
        return "above"
    if reference - value > u:
        return "below"
    return "same"


def extreme(value: float, others: tuple[float, ...], u: float) -> str | None:
    """'highest' or 'lowest' when the value is more than u beyond every other region."""
    others = [o for o in others if o is not None and not pd.isna(o)]
    if not others:
        return None
    if value - max(others) > u:
        return "highest"
    if min(others) - value > u:
        return "lowest"
    return None


def sentence(fact: Fact, lang: str) -> str:
    """One sentence about one indicator."""
    if fact.value is None or pd.isna(fact.value):
        key = "low_coverage" if fact.status == "low_coverage" else "missing"
        return phrase(key, lang, title=fact.title, year=fact.year)
    u = uncertainty(fact.decimals, fact.spread_values)
    head = phrase("value", lang, title=fact.title, year=fact.year,
                  value=format_value(fact.value, fact.decimals, fact.unit, lang=lang))
    parts = []
    side = extreme(fact.value, fact.others, u) if fact.group else None
    if side:
        parts.append(phrase(side, lang, n=len(fact.others) + 1, group=GROUPS[fact.group][lang]))
    if fact.nl_value is not None and not pd.isna(fact.nl_value):
        nl = format_value(fact.nl_value, fact.decimals, lang=lang)
        parts.append(phrase(compare(fact.value, fact.nl_value, u), lang, nl=nl))
    text = head + (", " + phrase("and", lang).join(parts) if parts else "") + "."
    notes = [phrase(k, lang) for k, flag in (("estimated", fact.is_estimated),
                                             ("converted", fact.is_converted)) if flag]
    if fact.break_year:
        notes.append(phrase("break", lang, year=fact.break_year))
    return " ".join([text, *notes])


# --- the data ----------------------------------------------------------------------------------

def group_values(code: str, level: str, indicator_id: str, year: int) -> tuple[float, ...]:
    """The values of the other regions of the group (pilot regions: the other pilots'
    default variants), in that year."""
    frame = queries.values_by_level(indicator_id, year, level)
    if level == "proeftuin":
        pilots = queries.regions("proeftuin").set_index("region_code")["pilot_id"]
        own = pilots.get(code)
        frame = frame[frame["region_code"].map(pilots) != own]
    frame = frame[frame["region_code"] != code]
    return tuple(float(v) for v in frame["value"].dropna())


def fact_for(region: Region, indicator_id: str, rows: pd.DataFrame, lang: str,
             group: str | None) -> Fact:
    """The fact of one indicator in its latest year with gemeente data."""
    code = region.code
    meta = queries.indicator_row(indicator_id)
    year = queries.latest_years()[indicator_id]
    mine = rows[(rows["indicator_id"] == indicator_id) & (rows["year"] == year)]
    row = mine.iloc[0] if len(mine) else None
    nl = None
    if code != "NL01":
        nl_rows = queries.values_for_regions(("NL01",), indicator_id, year)
        nl = float(nl_rows["value"].iloc[0]) if len(nl_rows) else None
    spread_level = region.level if region.level in GROUPS else "proeftuin"
    value = None if row is None or pd.isna(row["value"]) else float(row["value"])
    return Fact(
        title=str(meta[f"title_{lang}"]), unit=str(meta[f"unit_{lang}"]),
        decimals=int(meta["decimals"]), year=int(year), value=value, nl_value=nl,
        others=group_values(code, group, indicator_id, year) if group else (),
        group=group, spread_values=group_values(code, spread_level, indicator_id, year),
        status=str(row["status"]) if row is not None else "missing",
        is_estimated=bool(row is not None and row.get("is_estimated") is True),
        is_converted=bool(row is not None and row.get("is_converted") is True),
        **latest_break(indicator_id, int(year)))


def latest_break(indicator_id: str, year: int) -> dict:
    """The latest declared break in the series up to `year` (as the Trends page marks it);
    its reason is not repeated: it quotes numbers that are not on the profile."""
    breaks = queries.series_breaks(indicator_id)
    breaks = breaks[breaks["year"] <= year]
    if breaks.empty:
        return {}
    last = breaks.iloc[-1]
    return {"break_year": int(last["year"])}


@memo  # a few hundred ms of every profile rerun: once per region
def region_narrative(region: Region, lang: str = "nl", with_rank: bool = True,
                     indicators: tuple[str, ...] = INDICATORS) -> list[str]:
    """The sentences about a region. with_rank: say 'highest/lowest of the n <level>' (only
    where the page shows that group, e.g. the rank column of the profile)."""
    group = region.level if with_rank and region.level in GROUPS else None
    rows = regions.values((region,))
    known = set(queries.latest_years())
    return [sentence(fact_for(region, ind, rows, lang, group), lang)
            for ind in indicators if ind in known]

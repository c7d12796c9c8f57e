"""Vergelijkbare regio's: the regions most like a given one on its structure.

Method (also on the 'Over de data' page):
- Context: the indicators the registry marks `peer_context` (size, density, age, education,
  jobs per inhabitant), each in its latest year with gemeente data; sizes and densities as
  natural logarithms (`log`), the others as published (`linear`).
- Standardised over the comparison set (gemeenten, a level, or the pilot regions): z = (x -
  median) / (1.4826 x MAD), a robust z-score that one very large city does not stretch; where
  the MAD is 0, the standard deviation is used; an indicator without spread is left out.
- Distance: the root mean square of the differences in z over the indicators both regions
  have (Euclidean distance divided by the square root of their number, so that a missing
  indicator does not make a region look closer). A region is compared only when it has at
  least half of the indicators; an indicator the chosen region lacks is left out for all.
- Ties are broken by region code, so the result does not depend on the order of the input.
- A composed region is aggregated by the same rule as every stored region
  (queries.custom_values), and is then treated like any other region.

No Streamlit here: the page and the report call these functions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from monitor import queries, regions
from monitor.i18n import text_of
from monitor.memo import memo
from monitor.numbers import format_value
from monitor.regions import Region

ROBUST_SCALE = 1.4826  # MAD x 1.4826 estimates the standard deviation of a normal distribution
MIN_SHARE = 0.5  # a candidate needs at least this share of the context indicators
COMPARISON_SETS = ("gemeente", "provincie", "corop", "arbeidsmarktregio", "proeftuin")
DEFAULT_K = 5
MAX_K = 10


@dataclass(frozen=True)
class Peers:
    """The nearest regions of one region and why they are near."""

    target: str  # the region code (CUSTOM for a composed region)
    comparison: str  # the comparison set (a level)
    table: pd.DataFrame  # region_code, distance, n_indicators (nearest first)
    explanation: pd.DataFrame  # indicator_id, value, peer_median, mean_abs_z, sign
    years: dict  # indicator_id -> year used


# --- pure functions --------------------------------------------------------------------------

def transform(wide: pd.DataFrame, transforms: dict[str, str]) -> pd.DataFrame:
    """Context values on the scale they are compared on: log where declared (values <= 0 have
    no logarithm and count as missing)."""
    out = wide[list(transforms)].astype(float)
    for ind, kind in transforms.items():
        if kind == "log":
            out[ind] = np.log(out[ind].where(out[ind] > 0))
    return out


def robust_scale(values: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Centre (median) and spread (1.4826 x MAD, else the standard deviation) per column of
    the comparison set; a column without spread gets NaN and drops out."""
    centre = values.median()
    mad = (values - centre).abs().median() * ROBUST_SCALE
    spread = mad.where(mad > 0, values.std(ddof=0))
    return centre, spread.where(spread > 0)


def standardise(values: pd.DataFrame, centre: pd.Series, spread: pd.Series) -> pd.DataFrame:
    """z = (x - centre) / spread, per column."""
    return (values - centre) / spread


def distances(target_z: pd.Series, candidates_z: pd.DataFrame,
              min_share: float = MIN_SHARE) -> pd.DataFrame:
    """Root mean square z-difference of every candidate to the target over the indicators
    both have; NaN where a candidate has fewer than `min_share` of the target's indicators.
    Sorted nearest first, ties by region code."""
    usable = target_z.dropna().index
    diff = candidates_z[usable].sub(target_z[usable], axis=1)
    n = diff.notna().sum(axis=1)
    rms = np.sqrt((diff**2).sum(axis=1) / n.where(n > 0))
    enough = n >= max(1, math.ceil(min_share * len(usable)))
    frame = pd.DataFrame({"region_code": candidates_z.index, "distance": rms.where(enough),
                          "n_indicators": n}).reset_index(drop=True)
    return frame.sort_values(["distance", "region_code"], na_position="last",
                             kind="mergesort").reset_index(drop=True)


def nearest(target_z: pd.Series, candidates_z: pd.DataFrame, k: int,
            exclude: frozenset[str] | set[str] = frozenset()) -> pd.DataFrame:
    """The k nearest candidates (not in `exclude`) with a distance."""
    frame = distances(target_z, candidates_z.loc[~candidates_z.index.isin(list(exclude))])
    return frame.dropna(subset=["distance"]).head(k).reset_index(drop=True)


def explain(target: pd.Series, target_z: pd.Series, peers: pd.DataFrame,
            peers_z: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: the region's value, the peers' median value, the mean absolute
    z-difference to the peers (small: what makes them similar; large: where the region
    differs) and its sign (+1: the region is higher than the peers' median)."""
    usable = target_z.dropna().index
    mean_abs = peers_z[usable].sub(target_z[usable], axis=1).abs().mean()
    median = peers[usable].median()
    sign = np.sign(target[usable].astype(float) - median)
    frame = pd.DataFrame({"indicator_id": usable, "value": target[usable].to_numpy(float),
                          "peer_median": median.to_numpy(float),
                          "mean_abs_z": mean_abs.to_numpy(float),
                          "sign": sign.to_numpy(float)})
    return frame.sort_values(["mean_abs_z", "indicator_id"], kind="mergesort"
                             ).reset_index(drop=True)


# --- the data --------------------------------------------------------------------------------

def context_transforms() -> dict[str, str]:
    """indicator_id -> 'linear' or 'log', for the registry's peer_context indicators."""
    meta = queries.indicators()
    if "peer_context" not in meta:  # a warehouse built before the flag existed
        return {}
    meta = meta[meta["peer_context"].notna()]
    return dict(zip(meta["indicator_id"], meta["peer_context"], strict=True))


def context_years() -> dict[str, int]:
    """The year used per context indicator: its latest year with gemeente data."""
    latest = queries.latest_years()
    return {ind: latest[ind] for ind in context_transforms() if ind in latest}


def comparison_values(comparison: str) -> pd.DataFrame:
    """Context values of every region of a comparison set (wide: region_code x indicator);
    pilot regions in their default variant."""
    columns = {}
    for ind, year in context_years().items():
        frame = queries.values_by_level(ind, year, comparison)
        columns[ind] = frame.set_index("region_code")["value"]
    return pd.DataFrame(columns)


def region_context(region: Region) -> pd.Series:
    """One region's context values (stored, or composed and aggregated at run time)."""
    years = context_years()
    values = regions.values((region,))
    values = values[values["indicator_id"].map(years) == values["year"]]
    return values.set_index("indicator_id")["value"].reindex(list(years)).astype(float)


def same_region(region: Region, candidates: pd.Index) -> set[str]:
    """Candidates that are the region itself: the same code, the same gemeenten (a composed
    region equal to a stored one), or another variant of the same pilot region."""
    code, own = region.code, frozenset(region.members)
    stored = queries.regions().set_index("region_code")
    pilot = stored["pilot_id"].get(code) if code in stored.index else None
    sizes = stored["n_gemeenten"]
    same = {code}
    for cand in candidates:
        if sizes.get(cand) == len(own) and frozenset(queries.members(cand)) == own:
            same.add(cand)
        elif pd.notna(pilot) and pilot and stored["pilot_id"].get(cand) == pilot:
            same.add(cand)
    return same


def default_comparison(level: str) -> str:
    """The comparison set shown first: the region's own level; a composed region or
    Nederland: the pilot regions (regions made of several gemeenten, like most composed
    ones)."""
    return level if level in COMPARISON_SETS else "proeftuin"


@memo  # a few hundred ms of every profile rerun: once per region
def find_peers(region: Region, comparison: str | None = None, k: int = DEFAULT_K,
               include_self: bool = False) -> Peers:
    """The k regions of the comparison set most like the region on its context."""
    if comparison not in COMPARISON_SETS:
        comparison = default_comparison(region.level)
    transforms = context_transforms()
    raw = comparison_values(comparison)
    target_raw = region_context(region)
    values = transform(raw, transforms)
    target = transform(target_raw.to_frame().T, transforms).iloc[0]
    centre, spread = robust_scale(values)
    z = standardise(values, centre, spread).dropna(axis=1, how="all")
    target_z = standardise(target.to_frame().T, centre, spread).iloc[0].reindex(z.columns)
    exclude = set() if include_self else same_region(region, z.index)
    table = nearest(target_z, z, max(1, min(int(k), MAX_K)), exclude)
    explanation = explain(target_raw, target_z, raw.loc[table["region_code"]],
                          z.loc[table["region_code"]])
    return Peers(region.code, comparison, table, explanation, context_years())


# --- texts -----------------------------------------------------------------------------------

TEXTS = {
    "similar": {"nl": "Ze lijken het meest op {name} in: {items}.",
                "en": "They are most like {name} in: {items}."},
    "differs": {"nl": "{name} verschilt het meest van hen in: {items}.",
                "en": "{name} differs most from them in: {items}."},
    "higher": {"nl": "hoger", "en": "higher"}, "lower": {"nl": "lager", "en": "lower"},
    "item": {"nl": "{title} {direction} ({value} tegen een mediaan van {median})",
             "en": "{title} {direction} ({value} against a median of {median})"},
    "none": {"nl": "Voor deze regio zijn te weinig kenmerken bekend om vergelijkbare regio's "
                   "te vinden.",
             "en": "Too few characteristics of this region are known to find similar "
                   "regions."},
}


def phrase(key: str, lang: str, **kwargs) -> str:
    """One sentence template in the language."""
    return text_of(TEXTS, key, lang, **kwargs)


def explanation_text(peers: Peers, name: str, lang: str, n_items: int = 2) -> str:
    """Two sentences: the indicators that make the peers similar, and where the region
    differs most (with its value and the peers' median, as shown in the table)."""
    if peers.table.empty:
        return phrase("none", lang)
    meta = queries.indicators().set_index("indicator_id")
    frame = peers.explanation
    similar = ", ".join(meta.loc[i, f"title_{lang}"] for i in frame["indicator_id"][:n_items])
    items = []
    for _, row in frame.iloc[::-1].head(n_items).iterrows():
        m = meta.loc[row["indicator_id"]]
        decimals, unit = int(m["decimals"]), m[f"unit_{lang}"]
        items.append(phrase(
            "item", lang, title=m[f"title_{lang}"],
            direction=phrase("higher" if row["sign"] > 0 else "lower", lang),
            value=format_value(row["value"], decimals, lang=lang),
            median=format_value(row["peer_median"], decimals, unit, lang=lang)))
    return " ".join([phrase("similar", lang, name=name, items=similar),
                     phrase("differs", lang, name=name, items="; ".join(items))])


def peer_codes(peers: Peers) -> tuple[str, ...]:
    """The region followed by its peers: the regions to compare."""
    return (peers.target, *peers.table["region_code"])


def peer_table(peers: Peers, lang: str) -> pd.DataFrame:
    """The peers for display: name, distance (2 decimals, as text) and inhabitants."""
    regions = queries.regions().set_index("region_code")
    codes = list(peers.table["region_code"])
    return pd.DataFrame({
        "region_code": codes,
        "name": [str(regions.loc[c, "region_name"]) for c in codes],
        "distance": [format_value(d, 2, lang=lang) for d in peers.table["distance"]],
        "population": [format_value(regions.loc[c, "population"], 0, lang=lang)
                       for c in codes],
    })


def context_titles(lang: str) -> str:
    """The context indicators by title, for the method text."""
    meta = queries.indicators().set_index("indicator_id")
    return ", ".join(str(meta.loc[i, f"title_{lang}"]) for i in context_transforms())


def export_frame(peers: Peers, region: Region, lang: str) -> pd.DataFrame:
    """The region and its peers for download: distance and every context value (the numbers
    the distance is computed from), one row per region, the region first."""
    meta = queries.indicators().set_index("indicator_id")
    raw = comparison_values(peers.comparison)
    names = queries.regions().set_index("region_code")["region_name"]
    rows = [{"region_code": region.code, "region": region.name, "distance": 0.0,
             **region_context(region).to_dict()}]
    for code, distance in zip(peers.table["region_code"], peers.table["distance"], strict=True):
        rows.append({"region_code": code, "region": str(names.get(code, code)),
                     "distance": round(float(distance), 4), **raw.loc[code].to_dict()})
    frame = pd.DataFrame(rows)
    titles = {i: f"{meta.loc[i, f'title_{lang}']} ({peers.years.get(i, '')})"
              for i in context_transforms()}
    return frame.rename(columns=titles)

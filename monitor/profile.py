"""A region's figures for profile views: stored regions and composed ones alike."""

from __future__ import annotations

import pandas as pd

from monitor import queries
from monitor.i18n import current_lang, t
from monitor.maps import format_value

HEADLINE = ("bevolking", "werkloosheid_pct", "netto_arbeidsparticipatie_pct",
            "banen_per_1000_inwoners", "hbo_wo_pct", "woz_gemiddeld",
            "misdrijven_per_1000_inwoners", "zonnepanelen_kw_per_inwoner")


def region_name(code: str, custom_name: str = "") -> str:
    """Display name of a region code (composed: its given name)."""
    if code == queries.CUSTOM:
        return custom_name or t("level_custom")
    frame = queries.regions()
    row = frame.loc[frame["region_code"] == code, "region_name"]
    return row.iloc[0] if len(row) else code


def factor_titles() -> dict[str, str]:
    """Scored factors in order: id -> title in the current language."""
    frame = queries.factors()
    frame = frame[frame["scored"]]
    return dict(zip(frame["factor_id"], frame[f"title_{current_lang()}"], strict=True))


def region_values(code: str, custom_codes: tuple[str, ...] = ()) -> pd.DataFrame:
    """Every indicator value of one region over all years."""
    if code == queries.CUSTOM:
        return queries.custom_values(custom_codes)
    return queries.values_for_regions((code,))


def region_factor_profile(codes: tuple[str, ...], custom_codes: tuple[str, ...] = ()
                          ) -> pd.DataFrame:
    """Latest factor scores (factor_id, region_code, score) for stored and composed regions."""
    stored = tuple(c for c in codes if c != queries.CUSTOM)
    parts = [queries.factor_profile(stored)] if stored else []
    if queries.CUSTOM in codes and custom_codes:
        parts.append(queries.custom_factor_profile(custom_codes))
    if not parts:
        return pd.DataFrame(columns=["factor_id", "region_code", "score"])
    frame = pd.concat(parts, ignore_index=True)
    order = {c: i for i, c in enumerate(codes)}
    return frame.assign(o=frame["region_code"].map(order)).sort_values("o").drop(columns="o")


def latest(values: pd.DataFrame) -> pd.DataFrame:
    """Each indicator's latest year with a value (or its latest row when there is none)."""
    ranked = values.assign(has=values["value"].notna()).sort_values(["indicator_id", "has",
                                                                      "year"])
    return ranked.groupby("indicator_id").tail(1).drop(columns="has")


def headline_table(code: str, custom_codes: tuple[str, ...] = ()) -> pd.DataFrame:
    """Headline indicators: region and Nederland side by side, latest year."""
    meta = queries.indicators().set_index("indicator_id")
    mine = latest(region_values(code, custom_codes)).set_index("indicator_id")
    nl = queries.values_for_regions(("NL01",)).set_index(["indicator_id", "year"])["value"]
    lang = current_lang()
    rows = []
    for ind in HEADLINE:
        if ind not in mine.index:
            continue
        row, m = mine.loc[ind], meta.loc[ind]
        year = int(row["year"])
        rows.append({
            t("indicator"): m[f"title_{lang}"], t("year"): year,
            region_name(code): format_value(row["value"], int(m["decimals"]), m[f"unit_{lang}"]),
            t("netherlands"): format_value(nl.get((ind, year)), int(m["decimals"]),
                                           m[f"unit_{lang}"]),
        })
    return pd.DataFrame(rows)

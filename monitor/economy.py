"""Economisch profiel: location quotients per sector and the digitalisation proxies.

Location quotient of sector s in region r:  LQ = (jobs_r,s / jobs_r) / (jobs_NL,s / jobs_NL).
Both shares are registry indicators (banen_sbi_*_pct and ict_banen_pct for SBI J), so the
region's share is Σ sector jobs / Σ all jobs over its gemeenten: the same aggregation rule and
coverage rule as every indicator, for stored and composed regions alike. LQ > 1: the sector
is relatively larger in the region than in the Netherlands. Computed in the latest year in
which both the region and Nederland have the share. The offline snapshot has no sector split:
the indicators are then data gaps and the app says so instead of drawing an empty chart.

No Streamlit here.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from monitor import queries, regions
from monitor.numbers import format_value
from monitor.regions import Region

SECTOR_PREFIX = "banen_sbi_"
ICT_SECTOR = "ict_banen_pct"
DIGITAL = ("ict_banen_pct", "ict_vestigingen_pct", "ict_beroepen_pct")
ABOVE_COLOR = "#0072B2"
BELOW_COLOR = "#9ecae1"


def sbi_code(slice_label: str) -> str:
    """'BedrijfstakkenBranchesSBI2008=B-F Nijverheid en energie' -> 'B-F'."""
    return str(slice_label).split("=", 1)[-1].split(" ", 1)[0]


def sector_meta() -> pd.DataFrame:
    """The sector-share indicators in SBI order, with their SBI code and availability."""
    meta = queries.indicators()
    meta = meta[meta["indicator_id"].str.startswith(SECTOR_PREFIX)
                | (meta["indicator_id"] == ICT_SECTOR)].copy()
    meta["sbi"] = meta["source_slice"].map(sbi_code)
    meta["available"] = meta["data_gap"].isna()
    return meta.sort_values("sbi").reset_index(drop=True)


def has_sector_data() -> bool:
    """Whether this warehouse holds jobs by sector (live CBS does; the snapshot does not)."""
    return bool(sector_meta()["available"].any())


def location_quotients(region: pd.DataFrame, nl: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """Per sector indicator: the latest year with both shares, the shares and LQ = region share
    / Nederland share. Inputs: (indicator_id, year, value) rows."""
    rows = []
    for ind in ids:
        mine = region[(region["indicator_id"] == ind)].dropna(subset=["value"])
        theirs = nl[(nl["indicator_id"] == ind)].dropna(subset=["value"])
        both = mine.merge(theirs, on="year", suffixes=("", "_nl"))
        both = both[both["value_nl"] > 0]
        if both.empty:
            continue
        last = both.sort_values("year").iloc[-1]
        rows.append({"indicator_id": ind, "year": int(last["year"]),
                     "share": float(last["value"]), "nl_share": float(last["value_nl"]),
                     "lq": float(last["value"]) / float(last["value_nl"])})
    return pd.DataFrame(rows, columns=["indicator_id", "year", "share", "nl_share", "lq"])


def region_quotients(region: Region) -> pd.DataFrame:
    """The region's location quotients of every available sector, in SBI order."""
    meta = sector_meta()
    ids = list(meta.loc[meta["available"], "indicator_id"])
    frame = location_quotients(regions.values((region,)),
                               queries.values_for_regions(("NL01",)), ids)
    return frame.merge(meta[["indicator_id", "sbi", "title_nl", "title_en"]],
                       on="indicator_id").sort_values("sbi").reset_index(drop=True)


def quotient_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Display texts: sector, year, region share, Nederland share, LQ (2 decimals)."""
    return pd.DataFrame({
        "sector": [f"{s} {t}" for s, t in zip(frame["sbi"], frame[f"title_{lang}"],
                                             strict=True)],
        "year": frame["year"].astype(str),
        "share": [format_value(v, 1, "%", lang=lang) for v in frame["share"]],
        "nl_share": [format_value(v, 1, "%", lang=lang) for v in frame["nl_share"]],
        "lq": [format_value(v, 2, lang=lang) for v in frame["lq"]],
    })


def specialisation_chart(frame: pd.DataFrame, lang: str, axis_title: str,
                         height: int = 380) -> go.Figure:
    """Horizontal bars of the location quotients around 1 (= as in Nederland), largest on
    top; darker where the sector is relatively larger than in Nederland."""
    frame = frame.sort_values("lq")
    labels = [f"{s} {t}" for s, t in zip(frame["sbi"], frame[f"title_{lang}"], strict=True)]
    colors = [ABOVE_COLOR if v >= 1 else BELOW_COLOR for v in frame["lq"]]
    texts = [format_value(v, 2, lang=lang) for v in frame["lq"]]
    fig = go.Figure(go.Bar(x=frame["lq"] - 1, y=labels, base=1, orientation="h",
                           marker_color=colors, text=texts, textposition="outside",
                           hovertemplate="%{y}: %{text}<extra></extra>"))
    fig.add_vline(x=1, line_color="#333333", line_width=1)
    fig.update_layout(height=height, margin={"l": 10, "r": 40, "t": 10, "b": 40},
                      xaxis_title=axis_title, showlegend=False, plot_bgcolor="#ffffff")
    fig.update_xaxes(gridcolor="#e5e5e5", zeroline=False)
    return fig


def digital_values(region: Region) -> pd.DataFrame:
    """The digitalisation proxies with data: latest year, the region's and Nederland's."""
    meta = queries.indicators().set_index("indicator_id")
    ids = [i for i in DIGITAL if i in meta.index and pd.isna(meta.loc[i, "data_gap"])]
    frame = location_quotients(regions.values((region,)),
                               queries.values_for_regions(("NL01",)), ids)
    return frame.drop(columns="lq")


def digital_lines(region: Region, lang: str, netherlands: str) -> list[str]:
    """'Title (year): 4,2 % · Nederland 5,0 %' per digitalisation proxy with data."""
    titles = queries.indicators().set_index("indicator_id")[f"title_{lang}"]
    return [f"{titles[r['indicator_id']]} ({r['year']}): "
            f"{format_value(r['share'], 1, '%', lang=lang)} · {netherlands} "
            f"{format_value(r['nl_share'], 1, '%', lang=lang)}"
            for _, r in digital_values(region).iterrows()]

"""Choropleth maps: quantile classes, colour-blind-safe palettes by direction, visible gaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from monitor.i18n import t

NL_CENTER = {"lat": 52.2, "lon": 5.3}
MISSING_COLOR = "#bdbdbd"
OUTLINE_COLOR = "#111111"
# ColorBrewer sequential schemes (colour-blind safe); the darkest class is the best one.
PALETTES = {
    "higher_is_better": ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
    "lower_is_better": ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
    "neutral": ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"],
}


def class_breaks(values: pd.Series, k: int = 5) -> list[float]:
    """Quantile class edges over the non-missing values (fewer classes when values repeat)."""
    data = values.dropna().to_numpy(dtype=float)
    if len(data) == 0:
        return []
    edges = np.unique(np.quantile(data, np.linspace(0, 1, k + 1)))
    return edges.tolist() if len(edges) > 1 else [edges[0], edges[0]]


def assign_classes(values: pd.Series, edges: list[float], direction: str) -> pd.Series:
    """Class index per value (0 = worst ... n-1 = best); -1 for missing values."""
    if not edges:
        return pd.Series(-1, index=values.index)
    n = max(len(edges) - 1, 1)
    idx = np.clip(np.searchsorted(edges[1:-1], values.to_numpy(dtype=float), side="right"),
                  0, n - 1)
    if direction == "lower_is_better":
        idx = n - 1 - idx
    return pd.Series(np.where(values.isna(), -1, idx), index=values.index)


def format_value(value: float | None, decimals: int, unit: str = "") -> str:
    """A number in Dutch-style notation for hover and tables, with its unit."""
    if value is None or pd.isna(value):
        return t("no_value")
    text = f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")
    return f"{text} {unit}".strip()


def class_labels(edges: list[float], decimals: int, direction: str) -> list[str]:
    """Legend labels 'a – b' per class, ordered worst to best."""
    labels = [f"{format_value(a, decimals)} – {format_value(b, decimals)}"
              for a, b in zip(edges[:-1], edges[1:], strict=False)]
    return labels[::-1] if direction == "lower_is_better" else labels


def palette(direction: str, n: int) -> list[str]:
    """n colours of the direction's palette, light (worst) to dark (best)."""
    colours = PALETTES.get(direction, PALETTES["neutral"])
    picks = np.linspace(0, len(colours) - 1, n).round().astype(int) if n > 1 else [len(colours) - 1]
    return [colours[i] for i in picks]


def class_trace(frame, geojson, cls: int, colour: str, label: str, hover: str) -> go.Choroplethmap:
    """One legend entry: the regions of one class in one colour."""
    part = frame[frame["class"] == cls]
    return go.Choroplethmap(
        geojson=geojson, locations=part["region_code"], z=np.ones(len(part)),
        featureidkey="id", colorscale=[[0, colour], [1, colour]], showscale=False,
        marker={"line": {"width": 0.4, "color": "#ffffff"}}, name=label, showlegend=True,
        customdata=part[["region_name", "value_text", "rank_text"]].to_numpy(),
        hovertemplate=hover,
    )


def outline_trace(geojson: dict, codes: list[str], names: list[str]) -> go.Choroplethmap:
    """Pilot regions (or a highlight) drawn as thick outlines over the classes."""
    return go.Choroplethmap(
        geojson=geojson, locations=codes, z=np.zeros(len(codes)), featureidkey="id",
        colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False,
        marker={"line": {"width": 2.5, "color": OUTLINE_COLOR}}, name=t("level_proeftuin"),
        showlegend=bool(codes), customdata=np.array(names)[:, None] if names else None,
        hovertemplate="%{customdata[0]}<extra></extra>", hoverinfo="skip",
    )


def choropleth(frame: pd.DataFrame, geojson: dict, indicator: dict, *, outline: dict | None = None,
               height: int = 620, k: int = 5) -> go.Figure:
    """A classed map of frame[region_code, region_name, value, rank, n_ranked]."""
    direction = indicator["direction"]
    decimals = int(indicator["decimals"])
    unit = indicator["unit"]
    edges = class_breaks(frame["value"], k)
    data = frame.assign(**{"class": assign_classes(frame["value"], edges, direction)})
    data["value_text"] = [format_value(v, decimals, unit) for v in data["value"]]
    data["rank_text"] = [f"{t('rank')} {int(r)} / {n}" if pd.notna(r) else ""
                         for r, n in zip(data["rank"], data["n_ranked"], strict=True)]
    hover = "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>"
    n = max(len(edges) - 1, 1)
    colours = palette(direction, n)
    labels = class_labels(edges, decimals, direction) if edges else []
    fig = go.Figure()
    for cls in range(n - 1, -1, -1):
        if (data["class"] == cls).any():
            fig.add_trace(class_trace(data, geojson, cls, colours[cls], labels[cls], hover))
    if (data["class"] == -1).any():
        fig.add_trace(class_trace(data, geojson, -1, MISSING_COLOR, t("no_value"), hover))
    if outline:
        fig.add_trace(outline_trace(outline["geojson"], outline["codes"], outline["names"]))
    fig.update_layout(
        map={"style": "white-bg", "center": NL_CENTER, "zoom": 6.2},
        margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=height,
        legend={"title": {"text": unit}, "x": 0.01, "y": 0.99, "bgcolor": "rgba(255,255,255,0.85)"},
    )
    return fig

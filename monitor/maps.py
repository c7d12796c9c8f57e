"""Choropleth maps: quantile classes, colour-blind-safe palettes by direction, visible gaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from monitor.i18n import current_lang, t

NL_CENTER = {"lat": 52.15, "lon": 5.3}
MISSING_COLOR = "#bdbdbd"
MISSING_LINE = "#7f7f7f"
BACKGROUND_COLOR = "#eeeeee"
OUTLINE_COLOR = "#111111"
HIGHLIGHT_COLOR = "#d55e00"  # Okabe-Ito vermilion: stands out against the blue-green classes
FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 15}
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


def format_value(value: float | None, decimals: int, unit: str = "",
                 lang: str | None = None) -> str:
    """A number for hover, legend and tables, with its unit: '1 234,5' in Dutch, '1,234.5' in
    English (lang: the session's language unless given)."""
    if value is None or pd.isna(value):
        return t("no_value")
    text = f"{value:,.{decimals}f}"
    if (lang or current_lang()) != "en":
        text = text.replace(",", " ").replace(".", ",")
    return f"{text} {unit}".strip()


def class_labels(edges: list[float], decimals: int, direction: str) -> list[str]:
    """Legend labels 'a – b' per class, ordered worst to best."""
    ends = [(format_value(a, decimals), format_value(b, decimals))
            for a, b in zip(edges[:-1], edges[1:], strict=False)]
    labels = [a if a == b else f"{a} – {b}" for a, b in ends]
    return labels[::-1] if direction == "lower_is_better" else labels


def palette(direction: str, n: int) -> list[str]:
    """n colours of the direction's palette, light (worst) to dark (best)."""
    colours = PALETTES.get(direction, PALETTES["neutral"])
    picks = np.linspace(0, len(colours) - 1, n).round().astype(int) if n > 1 else [len(colours) - 1]
    return [colours[i] for i in picks]


def subset(geojson: dict, codes) -> dict:
    """The features of the given region codes only (each trace carries just its own shapes)."""
    wanted = set(codes)
    return {"type": "FeatureCollection",
            "features": [f for f in geojson["features"] if f["id"] in wanted]}


def class_trace(frame, geojson, cls: int, colour: str, label: str, hover: str) -> go.Choroplethmap:
    """One legend entry: the regions of one class in one colour."""
    part = frame[frame["class"] == cls]
    line = MISSING_LINE if cls == -1 else "#ffffff"
    return go.Choroplethmap(
        geojson=subset(geojson, part["region_code"]), locations=part["region_code"],
        z=np.ones(len(part)), featureidkey="id", colorscale=[[0, colour], [1, colour]],
        showscale=False, marker={"line": {"width": 0.5, "color": line}}, name=label,
        showlegend=True, legendgroup="classes",
        customdata=part[["region_name", "value_text", "rank_text"]].to_numpy(),
        hovertemplate=hover,
    )


def outline_trace(geojson: dict, codes: list[str], name: str, width: float,
                  colour: str = OUTLINE_COLOR) -> go.Choroplethmap:
    """Regions drawn as outlines only (no fill, no hover, no clicks) over the classes."""
    return go.Choroplethmap(
        geojson=subset(geojson, codes), locations=codes, z=np.zeros(len(codes)),
        featureidkey="id", colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
        showscale=False, marker={"line": {"width": width, "color": colour}}, name=name,
        showlegend=False, hoverinfo="skip",
    )


def background_trace(geojson: dict) -> go.Choroplethmap:
    """Light context shapes under regions that do not cover the country (pilot regions)."""
    codes = [f["id"] for f in geojson["features"]]
    return go.Choroplethmap(
        geojson=geojson, locations=codes, z=np.zeros(len(codes)), featureidkey="id",
        colorscale=[[0, BACKGROUND_COLOR], [1, BACKGROUND_COLOR]], showscale=False,
        marker={"line": {"width": 0.8, "color": "#ffffff"}}, showlegend=False, hoverinfo="skip",
    )


def legend_line(name: str, width: float, colour: str) -> go.Scattermap:
    """A legend entry showing an outline as a line (a transparent area has no visible swatch)."""
    return go.Scattermap(lat=[None], lon=[None], mode="lines", name=name, showlegend=True,
                         line={"width": width, "color": colour}, hoverinfo="skip")


def outline_traces(outline: dict) -> list[go.BaseTraceType]:
    """Pilot-region outlines, and a bolder coloured one for the highlighted region."""
    codes = list(outline["codes"])
    label = outline.get("label") or t("level_proeftuin")
    traces = [outline_trace(outline["geojson"], codes, label, 2.0),
              legend_line(label, 2.5, OUTLINE_COLOR)]
    chosen = outline.get("highlight")
    if chosen in codes:
        name = outline["names"][codes.index(chosen)]
        traces += [outline_trace(outline["geojson"], [chosen], name, 5.0, HIGHLIGHT_COLOR),
                   legend_line(name, 5.0, HIGHLIGHT_COLOR)]
    return traces


def legend_title(unit: str, direction: str, size: int) -> str:
    """Legend heading: the unit, and what dark means for this indicator."""
    hint = t("map_dark_high") if direction == "neutral" else t("map_dark_best")
    return f"<b>{unit}</b><br><span style='font-size:{size}px'>{hint}</span>"


def prepare(frame: pd.DataFrame, edges: list[float], direction: str, decimals: int,
            unit: str) -> pd.DataFrame:
    """The frame with class index and hover texts."""
    data = frame.assign(**{"class": assign_classes(frame["value"], edges, direction)})
    data["value_text"] = [format_value(v, decimals, unit) for v in data["value"]]
    data["rank_text"] = [f"{t('rank')} {int(r)} / {n}" if pd.notna(r) else ""
                         for r, n in zip(data["rank"], data["n_ranked"], strict=True)]
    return data


def choropleth(frame: pd.DataFrame, geojson: dict, indicator: dict, *, outline: dict | None = None,
               height: int = 640, k: int = 5, font_size: int = 15,
               background: dict | None = None) -> go.Figure:
    """A classed map of frame[region_code, region_name, value, rank, n_ranked].

    indicator: direction, decimals, unit. outline: geojson, codes, names, optional label and
    highlight (one of the codes, drawn bolder). background: context shapes drawn first, without
    hover. The zoom grows with the height so the Netherlands fills the map."""
    direction = indicator["direction"]
    decimals = int(indicator["decimals"])
    unit = indicator["unit"]
    edges = class_breaks(frame["value"], k)
    data = prepare(frame, edges, direction, decimals, unit)
    hover = "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>"
    n = max(len(edges) - 1, 1)
    colours = palette(direction, n)
    labels = class_labels(edges, decimals, direction) if edges else []
    fig = go.Figure(background_trace(background) if background else None)
    for cls in range(n - 1, -1, -1):
        if (data["class"] == cls).any():
            fig.add_trace(class_trace(data, geojson, cls, colours[cls], labels[cls], hover))
    if (data["class"] == -1).any():
        fig.add_trace(class_trace(data, geojson, -1, MISSING_COLOR, t("no_value"), hover))
    if outline and outline["codes"]:
        fig.add_traces(outline_traces(outline))
    text = {"size": font_size, "color": "#262730"}
    fig.update_layout(
        map={"style": "white-bg", "center": NL_CENTER,
             "zoom": round(6.4 + float(np.log2(height / 640)), 2)},
        margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=height, font=FONT,
        legend={"title": {"text": legend_title(unit, direction, font_size - 1),
                          "font": text},
                "x": 0.01, "y": 0.99, "bgcolor": "rgba(255,255,255,0.9)", "font": text,
                "itemclick": False, "itemdoubleclick": False},
        hoverlabel={"font": {"size": font_size + 1, "color": "#111111"}, "bgcolor": "#ffffff",
                    "bordercolor": "#555555"},
    )
    return fig


def status_text(row: pd.Series, aggregable: bool) -> str:
    """Why a region has no value (or that its value is CBS's own / estimated), in words."""
    status = row.get("status")
    if pd.isna(row["value"]):
        if status == "missing" or (pd.isna(status) and row["region_level"] == "gemeente"):
            return t("status_missing")
        if pd.isna(status) and not aggregable:
            return t("status_not_aggregable")
        if status == "low_coverage" or pd.isna(status):  # no row: none of its gemeenten has one
            coverage = 0.0 if pd.isna(row["coverage"]) else float(row["coverage"])
            return t("status_low_coverage", coverage=coverage)
        return t("map_status_not_computable")
    if status == "published":
        return t("map_status_published")
    return t("map_status_estimated") if row.get("is_estimated") else ""


def value_table(frame: pd.DataFrame, aggregable: bool) -> pd.DataFrame:
    """The map's numbers as a table: name, value, rank, coverage, estimated, explanation."""
    table = frame[["region_code", "region_name", "value", "rank", "coverage"]].copy()
    has_value = frame["value"].notna()
    table["is_estimated"] = frame["is_estimated"].fillna(False).astype(bool) & has_value
    table["note"] = [status_text(row, aggregable) for _, row in frame.iterrows()]
    return table.sort_values(["rank", "region_name"], na_position="last").reset_index(drop=True)

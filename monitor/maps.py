"""Choropleth maps: quantile classes, colour-blind-safe palettes by direction, visible gaps."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely.geometry

from monitor.i18n import t
from monitor.numbers import NO_VALUE, format_value

MISSING_COLOR = "#dcdcdc"  # lighter than every class, so 'no value' is told apart by lightness
MISSING_LINE = "#7f7f7f"
BACKGROUND_COLOR = "#f3f3f3"
OUTLINE_COLOR = "#111111"
HIGHLIGHT_COLOR = "#d55e00"  # Okabe-Ito vermilion: stands out against the blue-green classes
LABEL_COLOR = "#111111"
FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 15}
# ColorBrewer sequential schemes (colour-blind safe), the five darker steps of the 7-class
# YlGnBu and Purples: the lightest class is 1.8:1 against white (YlGnBu's own lightest,
# #ffffcc, is 1.03:1 and vanishes on a projector). The darkest class is the best one.
PALETTES = {
    "higher_is_better": ["#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"],
    "lower_is_better": ["#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"],
    "neutral": ["#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#4a1486"],
}
MIN_CLASS_STEPS = 2  # a class spans at least two published values (2.9-3.0 suggests too much)


def class_breaks(values: pd.Series, k: int = 5, decimals: int | None = None) -> list[float]:
    """Quantile class edges over the non-missing values (fewer classes when values repeat).

    With `decimals` (the precision CBS publishes) the edges are rounded to it and a class
    narrower than MIN_CLASS_STEPS published steps merges into its neighbour: breaks never
    suggest differences smaller than CBS can tell."""
    data = values.dropna().to_numpy(dtype=float)
    if len(data) == 0:
        return []
    if decimals is not None:
        data = np.round(data, int(decimals))
    edges = np.unique(np.quantile(data, np.linspace(0, 1, k + 1)))
    if decimals is not None and len(edges) > 2:
        edges = published_edges(edges, 10.0 ** -int(decimals), int(decimals))
    return edges.tolist() if len(edges) > 1 else [edges[0], edges[0]]


def published_edges(edges: np.ndarray, step: float, decimals: int) -> np.ndarray:
    """Inner edges rounded to the published step, classes narrower than MIN_CLASS_STEPS
    steps merged (the outer edges are the data's own minimum and maximum)."""
    low, high = float(edges[0]), float(edges[-1])
    min_width = MIN_CLASS_STEPS * step - step / 10
    kept = [low]
    for edge in np.round(edges[1:-1], decimals):
        if edge - kept[-1] >= min_width and high - edge >= min_width - step:
            kept.append(float(edge))
    return np.array([*kept, high])


def assign_classes(values: pd.Series, edges: list[float], direction: str,
                   decimals: int | None = None) -> pd.Series:
    """Class index per value (0 = worst ... n-1 = best); -1 for missing values. With
    `decimals` a value is classed as published (rounded), so it sits in the class its label
    names."""
    if not edges:
        return pd.Series(-1, index=values.index)
    n = max(len(edges) - 1, 1)
    data = values.to_numpy(dtype=float)
    if decimals is not None:
        data = np.round(data, int(decimals))
    idx = np.clip(np.searchsorted(edges[1:-1], data, side="right"), 0, n - 1)
    if direction == "lower_is_better":
        idx = n - 1 - idx
    return pd.Series(np.where(values.isna(), -1, idx), index=values.index)


def class_labels(edges: list[float], decimals: int, direction: str) -> list[str]:
    """Legend labels 'a – b' per class, ordered worst to best. The ranges do not overlap: a
    class ends one published step below the next one's start (values are classed rounded)."""
    step = 10.0 ** -int(decimals)
    last = len(edges) - 2
    ends = [(format_value(a, decimals), format_value(b if i == last else b - step, decimals))
            for i, (a, b) in enumerate(zip(edges[:-1], edges[1:], strict=False))]
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


def class_trace(frame, geojson, cls: int, colour: str, label: str, hover: str) -> go.Choropleth:
    """One legend entry: the regions of one class in one colour."""
    part = frame[frame["class"] == cls]
    line = MISSING_LINE if cls == -1 else "#ffffff"
    return go.Choropleth(
        geojson=subset(geojson, part["region_code"]), locations=part["region_code"],
        z=np.ones(len(part)), featureidkey="id", colorscale=[[0, colour], [1, colour]],
        showscale=False, marker={"line": {"width": 0.5, "color": line}}, name=label,
        showlegend=True, legendgroup="classes",
        customdata=part[["region_name", "value_text", "rank_text"]].to_numpy(),
        hovertemplate=hover,
    )


def outline_trace(geojson: dict, codes: list[str], name: str, width: float,
                  colour: str = OUTLINE_COLOR) -> go.Scattergeo:
    """Regions drawn as outlines only, over the classes: lines, not transparent areas, so a
    click inside goes to the region beneath (an SVG area on top would catch it)."""
    lon: list[float | None] = []
    lat: list[float | None] = []
    for feature in subset(geojson, codes)["features"]:
        for ring in rings(feature["geometry"]):
            lon += [p[0] for p in ring] + [None]
            lat += [p[1] for p in ring] + [None]
    return go.Scattergeo(lon=lon, lat=lat, mode="lines", name=name, showlegend=False,
                         line={"width": width, "color": colour}, hoverinfo="skip")


def rings(geometry: dict) -> list[list]:
    """The outer rings of a (Multi)Polygon."""
    if geometry["type"] == "Polygon":
        return geometry["coordinates"][:1]
    return [polygon[0] for polygon in geometry["coordinates"]]


def background_trace(geojson: dict) -> go.Choropleth:
    """Light context shapes under regions that do not cover the country (pilot regions)."""
    codes = [f["id"] for f in geojson["features"]]
    return go.Choropleth(
        geojson=geojson, locations=codes, z=np.zeros(len(codes)), featureidkey="id",
        colorscale=[[0, BACKGROUND_COLOR], [1, BACKGROUND_COLOR]], showscale=False,
        marker={"line": {"width": 0.8, "color": "#ffffff"}}, showlegend=False, hoverinfo="skip",
    )


def legend_line(name: str, width: float, colour: str) -> go.Scattergeo:
    """A legend entry showing an outline as a line (a transparent area has no visible swatch)."""
    return go.Scattergeo(lat=[None], lon=[None], mode="lines", name=name, showlegend=True,
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


def short_name(name: str) -> str:
    """A region's name short enough for a label on the map ('Metropoolregio Amsterdam (MRA)'
    -> 'Metropoolregio Amsterdam', 'U10 / U16 (regio Utrecht)' -> 'U10')."""
    return name.split(" (")[0].split(" / ")[0].strip() or name


def label_point(geometry: dict) -> tuple[float, float]:
    """Where a region's name goes: the centre of its largest part when that lies inside it,
    else a point surely inside (a ring-shaped or bent region's centre may lie outside)."""
    shape = shapely.geometry.shape(geometry)
    parts = list(getattr(shape, "geoms", [shape]))
    largest = max(parts, key=lambda part: part.area)
    point = largest.centroid if largest.contains(largest.centroid) else \
        largest.representative_point()
    return float(point.x), float(point.y)


def region_labels(geojson: dict, names: dict[str, str], values: dict[str, str] | None = None
                  ) -> list[tuple[float, float, str, str]]:
    """(lon, lat, short name wrapped over lines, alignment) for every region of `names` in
    the geometry; with `values`, each region's value on the line under its name (or alone,
    where its name is ''). Two labels close together are pushed apart: the western one ends
    at its point ('left'), the eastern one starts there ('right')."""
    points = []
    for feature in geojson["features"]:
        if feature["id"] in names:
            lon, lat = label_point(feature["geometry"])
            lines = textwrap.wrap(short_name(names[feature["id"]]), 14)
            if values is not None:
                lines.append(values.get(feature["id"], NO_VALUE))
            points.append([lon, lat, "\n".join(lines), "center"])
    for one in points:
        for other in points:
            if 0 < other[0] - one[0] < 0.9 and abs(other[1] - one[1]) < 0.35:
                one[3], other[3] = "left", "right"
    return [tuple(p) for p in points]


def value_labels(frame: pd.DataFrame, geojson: dict, decimals: int, named: bool = False
                 ) -> list[tuple[float, float, str, str]]:
    """Every region's value of `frame` (region_code, region_name, value) as a label on the
    map, at CBS's precision in the session's notation ('–' without one), under the region's
    short name when `named`."""
    values = {code: format_value(v, decimals) if pd.notna(v) else NO_VALUE
              for code, v in zip(frame["region_code"], frame["value"], strict=True)}
    names = (dict(zip(frame["region_code"], frame["region_name"], strict=True)) if named
             else dict.fromkeys(values, ""))
    return region_labels(geojson, names, values)


def label_trace(labels: list[tuple[float, float, str, str]], size: int) -> go.Scattergeo:
    """Region names on the map, dark on a white halo so they read on every class colour."""
    lon, lat, text, align = zip(*labels, strict=True)
    return go.Scattergeo(lon=lon, lat=lat, text=[s.replace("\n", "<br>") for s in text],
                         textposition=[f"middle {a}" for a in align], mode="text",
                         showlegend=False, hoverinfo="skip",
                         textfont={"size": size, "color": LABEL_COLOR, "weight": "bold",
                                   "shadow": "0 0 3px #fff, 0 0 3px #fff"})


def anchor_trace() -> go.Scattergeo:
    """An invisible point inside the Netherlands, drawn as the FIRST trace of every map.

    plotly.js (3.x, geo.js) fetches the world topojson from cdn.plot.ly when the first trace
    of a geo subplot has a `locationmode`, which a choropleth always has ('geojson-id'), even
    with every base layer off. A scatter of lon/lat has none, so with it first nothing leaves
    the server's origin (tests/test_browser.py records every request)."""
    return go.Scattergeo(lon=[5.3], lat=[52.2], mode="markers", showlegend=False,
                         marker={"size": 1, "opacity": 0}, hoverinfo="skip")


def geo_layout() -> dict:
    """A map without WebGL and without a basemap: plotly's SVG 'geo' subplot, fitted to the
    regions drawn. No base layers (land, coasts, countries) are drawn, so plotly.js fetches
    no world topojson from its CDN; Mercator, as web maps and the PNG figures project."""
    return {"visible": False, "fitbounds": "locations", "projection": {"type": "mercator"},
            "bgcolor": "rgba(0,0,0,0)", "domain": {"x": [0, 1], "y": [0, 1]}}


def legend_title(unit: str, direction: str, size: int) -> str:
    """Legend heading: the unit, and what dark means for this indicator."""
    hint = t("map_dark_high") if direction == "neutral" else t("map_dark_best")
    return f"<b>{unit}</b><br><span style='font-size:{size}px'>{hint}</span>"


def prepare(frame: pd.DataFrame, edges: list[float], direction: str, decimals: int,
            unit: str) -> pd.DataFrame:
    """The frame with class index and hover texts."""
    data = frame.assign(**{"class": assign_classes(frame["value"], edges, direction,
                                                   decimals)})
    data["value_text"] = [format_value(v, decimals, unit) for v in data["value"]]
    data["rank_text"] = [f"{t('rank')} {int(r)} / {n}" if pd.notna(r) else ""
                         for r, n in zip(data["rank"], data["n_ranked"], strict=True)]
    if "hover_note" in data:  # a note of its own (the wijk map: what the code means)
        data["rank_text"] = data["hover_note"].fillna("").astype(str)
    return data


def choropleth(frame: pd.DataFrame, geojson: dict, indicator: dict, *, outline: dict | None = None,
               height: int | None = 640, k: int = 5, font_size: int = 15,
               background: dict | None = None, labels: list | None = None,
               legend_side: bool = False, label_size: int | None = None) -> go.Figure:
    """A classed map of frame[region_code, region_name, value, rank, n_ranked].

    indicator: direction, decimals, unit. outline: geojson, codes, names, optional label and
    highlight (one of the codes, drawn bolder). background: context shapes drawn first, without
    hover. labels: (lon, lat, text) names drawn on the map, at label_size (default: font_size).
    height None: as high as the element
    showing it. The map fits its regions into whatever space it gets. The legend goes under
    the map (never over it, however narrow the screen), or, with legend_side, in a column of
    its own on the left (a wide projector screen has room beside the country, not under it)."""
    direction = indicator["direction"]
    decimals = int(indicator["decimals"])
    unit = indicator["unit"]
    edges = class_breaks(frame["value"], k, decimals)
    data = prepare(frame, edges, direction, decimals, unit)
    hover = "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>"
    n = max(len(edges) - 1, 1)
    colours = palette(direction, n)
    legend_labels = class_labels(edges, decimals, direction) if edges else []
    fig = go.Figure(anchor_trace())
    if background:
        fig.add_trace(background_trace(background))
    for cls in range(n - 1, -1, -1):
        if (data["class"] == cls).any():
            fig.add_trace(class_trace(data, geojson, cls, colours[cls], legend_labels[cls],
                                      hover))
    if (data["class"] == -1).any():
        fig.add_trace(class_trace(data, geojson, -1, MISSING_COLOR, t("no_value"), hover))
    if outline and outline["codes"]:
        fig.add_traces(outline_traces(outline))
    if labels:
        fig.add_trace(label_trace(labels, label_size or font_size))
    geo = geo_layout()
    if legend_side:
        geo["domain"] = {"x": [0.27, 1], "y": [0, 1]}
    fig.update_layout(
        geo=geo, margin={"l": 0, "r": 0, "t": 0, "b": 0}, font=FONT,
        legend=legend_layout(unit, direction, font_size, legend_side),
        hoverlabel={"font": {"size": font_size + 1, "color": "#111111"}, "bgcolor": "#ffffff",
                    "bordercolor": "#555555"},
        dragmode=False,
    )
    if height:
        fig.update_layout(height=height)
    return fig


def legend_layout(unit: str, direction: str, font_size: int, side: bool) -> dict:
    """The legend: a column at the top left, or rows under the map."""
    text = {"size": font_size, "color": "#262730"}
    title = legend_title("<br>".join(textwrap.wrap(unit, 22)) if side else unit, direction,
                         font_size - 1)
    place = ({"x": 0, "y": 1, "xanchor": "left", "yanchor": "top"} if side else
             # one column under the map, title above it: in rows (and with the title 'top
             # left', which indents the entries by the title's width) the outline's entry was
             # cut off at the right on a phone and beside the sidebar at 1024 px
             {"orientation": "v", "x": 0, "y": 0, "xanchor": "left", "yanchor": "top",
              "title": {"side": "top"}})
    return {"title": {"text": title, "font": text, **place.pop("title", {})}, **place,
            "bgcolor": "rgba(255,255,255,0.9)", "font": text, "itemclick": False,
            "itemdoubleclick": False}


# statuses that say why there is no value, each with its own sentence
NO_VALUE_STATUS = {"unreliable": "status_unreliable", "incomplete_sum": "status_incomplete_sum",
                   "other_boundaries": "status_other_boundaries",
                   "other_territory": "status_other_territory"}


MAX_NAMED = 5


def missing_phrase(names, most: int | None = MAX_NAMED) -> str:
    """'ontbreekt: Zwolle', 'ontbreken: Zwolle, Kampen en 3 andere' ('' for none); every
    name when `most` is None."""
    names = [str(n) for n in names] if isinstance(names, list | tuple | np.ndarray) else []
    if not names:
        return ""
    most = len(names) if most is None else most
    shown = ", ".join(names[:most])
    if len(names) > most:
        shown = t("missing_more", names=shown, n=len(names) - most)
    return t("missing_one" if len(names) == 1 else "missing_many", names=shown)


def status_text(row: pd.Series, aggregable: bool) -> str:
    """Why a region has no value (or that its value is CBS's own / estimated), in words."""
    status = row.get("status")
    if pd.isna(row["value"]):
        if status == "missing" or (pd.isna(status) and row["region_level"] == "gemeente"):
            return t("status_missing")
        if pd.isna(status) and not aggregable:
            return t("status_not_aggregable")
        if status in NO_VALUE_STATUS:
            return t(NO_VALUE_STATUS[status])
        if status == "low_coverage" or pd.isna(status):  # no row: none of its gemeenten has one
            coverage = 0.0 if pd.isna(row["coverage"]) else float(row["coverage"])
            text = t("status_low_coverage", coverage=coverage)
            missing = missing_phrase(row.get("missing"))
            return f"{text} {missing[0].upper()}{missing[1:]}." if missing else text
        return t("map_status_not_computable")
    notes = [t("map_status_published")] if status == "published" else []
    if row.get("is_estimated"):
        notes.append(t("map_status_estimated"))
    notes += [filled_phrase(f) for f in as_list(row.get("filled"))]
    return " ".join(notes)


def as_list(value) -> list:
    """A list column's cell as a list (None or NaN: empty)."""
    return list(value) if isinstance(value, list | tuple | np.ndarray) else []


def filled_phrase(item: str) -> str:
    """'Zwolle: 85830ENG' -> 'Zwolle: cijfer uit CBS-tabel 85830ENG.'"""
    name, _, table = str(item).rpartition(": ")
    return t("note_filled", names=name, table=table) + "."


def value_table(frame: pd.DataFrame, aggregable: bool) -> pd.DataFrame:
    """The map's numbers as a table: name, value, rank, coverage, estimated, explanation."""
    table = frame[["region_code", "region_name", "value", "rank", "coverage"]].copy()
    has_value = frame["value"].notna()
    table["is_estimated"] = frame["is_estimated"].fillna(False).astype(bool) & has_value
    table["note"] = [status_text(row, aggregable) for _, row in frame.iterrows()]
    return table.sort_values(["rank", "region_name"], na_position="last").reset_index(drop=True)

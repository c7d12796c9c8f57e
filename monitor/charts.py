"""Chart builders: frames in, plotly figures out (no queries, no Streamlit)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from monitor.i18n import t
from monitor.maps import PALETTES
from monitor.numbers import at_precision, digits, format_cells, separators

# Okabe-Ito: a qualitative palette that stays distinct for colour-blind readers.
QUALITATIVE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
               "#000000", "#999999", "#882255", "#44AA99", "#117733"]
NL_COLOR = "#555555"
FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 14}


def base_layout(fig: go.Figure, height: int, title: str | None = None) -> go.Figure:
    """Common layout: readable font, margins, optional title."""
    fig.update_layout(height=height, font=FONT, margin={"l": 10, "r": 10, "t": 40 if title else 10,
                                                        "b": 10},
                      title={"text": title} if title else None, plot_bgcolor="white")
    return fig


def factor_detail(row: pd.Series) -> str:
    """Hover text under a factor score: partial (n of m indicators) and the years it rests on."""
    parts = []
    if bool(row.get("is_partial", False)) and pd.notna(row.get("n_expected")):
        parts.append(t("factor_partial", n=int(row["n_indicators"]), m=int(row["n_expected"])))
    first, last = row.get("first_year"), row.get("last_year")
    if pd.notna(first) and pd.notna(last):
        years = str(int(first)) if first == last else f"{int(first)}-{int(last)}"
        parts.append(t("factor_years", years=years))
    return "".join(f"<br>{p}" for p in parts)


def factor_bars(profile: pd.DataFrame, names: dict[str, str], factor_titles: dict[str, str],
                height: int = 420) -> go.Figure:
    """Horizontal grouped bars: factor scores (0-10) per region (profile: factor_id, region_code,
    score)."""
    fig = go.Figure()
    order = list(factor_titles)
    for i, (code, part) in enumerate(profile.groupby("region_code", sort=False)):
        part = part.set_index("factor_id").reindex(order)
        colour = NL_COLOR if code == "NL01" else QUALITATIVE[i % len(QUALITATIVE)]
        partial = (part["is_partial"].fillna(False).astype(bool) if "is_partial" in part
                   else pd.Series(False, index=part.index))
        fig.add_trace(go.Bar(
            y=[factor_titles[f] for f in order], x=part["score"], orientation="h",
            name=names.get(code, code), marker_color=colour,
            marker_pattern_shape=["/" if p else "" for p in partial],
            customdata=[factor_detail(row) for _, row in part.iterrows()],
            hovertemplate="%{y}: %{x:.1f}%{customdata}<extra>" + names.get(code, code)
            + "</extra>"))
    scored = set(profile.dropna(subset=["score"])["factor_id"])
    for factor in order:
        if factor not in scored:  # say it, rather than leave an empty row
            fig.add_annotation(x=0.2, y=factor_titles[factor], text=t("no_data_in_source"),
                               showarrow=False, xanchor="left", font={"color": "#555555"})
    fig.update_layout(barmode="group", xaxis={"range": [0, 10], "title": t("score")},
                      yaxis={"autorange": "reversed"}, legend={"orientation": "h", "y": -0.15})
    return base_layout(fig, height)


def radar(profile: pd.DataFrame, names: dict[str, str], factor_titles: dict[str, str],
          height: int = 460) -> go.Figure:
    """Radar of factor scores per region."""
    fig = go.Figure()
    order = list(factor_titles)
    for i, (code, part) in enumerate(profile.groupby("region_code", sort=False)):
        part = part.set_index("factor_id").reindex(order)
        theta = [factor_titles[f] for f in order]
        colour = NL_COLOR if code == "NL01" else QUALITATIVE[i % len(QUALITATIVE)]
        fig.add_trace(go.Scatterpolar(r=list(part["score"]) + [part["score"].iloc[0]],
                                      theta=theta + [theta[0]], name=names.get(code, code),
                                      line={"color": colour}, fill="none"))
    # the ring numbers sit halfway between the first two spokes, not on a factor's line
    fig.update_layout(polar={"radialaxis": {"range": [0, 10], "angle": 180 / max(len(order), 1),
                                            "tickangle": 0}},
                      legend={"orientation": "h", "y": -0.1})
    return base_layout(fig, height)


def value_bars(frame: pd.DataFrame, unit: str, decimals: int, title: str | None = None,
               height: int = 380, colours: dict[str, str] | None = None) -> go.Figure:
    """Bars of one indicator for several regions (frame: region_code, region_name, value);
    Nederland (NL01) grey, with a dashed reference line."""
    data = frame.dropna(subset=["value"]).sort_values("value")
    data = data.assign(value=at_precision(data["value"], decimals))
    places = digits(decimals)
    colours = colours or {}
    marker = [NL_COLOR if c == "NL01" else colours.get(c, QUALITATIVE[0])
              for c in data["region_code"]]
    fig = go.Figure(go.Bar(x=data["value"], y=data["region_name"], orientation="h",
                           marker_color=marker, texttemplate=f"%{{x:,.{places}f}}",
                           textposition="auto", cliponaxis=False,
                           hovertemplate=f"%{{y}}: %{{x:,.{places}f}} {unit}<extra></extra>"))
    nl = data.loc[data["region_code"] == "NL01", "value"]
    if len(nl):
        fig.add_vline(x=float(nl.iloc[0]), line={"color": NL_COLOR, "dash": "dash", "width": 1.5})
    fig.update_layout(xaxis={"title": unit, "rangemode": "tozero"}, yaxis={"title": None},
                      separators=separators())
    fig = base_layout(fig, max(height, 40 * len(data) + 90), title)
    fig.update_layout(margin={"r": 50})
    return fig


def scatter(frame: pd.DataFrame, x_title: str, y_title: str, height: int = 540,
            background: pd.DataFrame | None = None, colours: dict[str, str] | None = None,
            reference: tuple[float, float] | None = None,
            decimals: tuple[int, int] = (1, 1), background_name: str = "") -> go.Figure:
    """Two indicators against each other, bubble area by population (frame: region_code,
    region_name, x, y, population); optional grey background regions and Nederland lines."""
    def shown(part: pd.DataFrame) -> pd.DataFrame:
        return part.assign(x=at_precision(part["x"], decimals[0]),
                           y=at_precision(part["y"], decimals[1]))

    data = shown(frame.dropna(subset=["x", "y"]))
    back = (shown(background.dropna(subset=["x", "y"])) if background is not None
            else data.iloc[0:0])
    peak = pd.concat([data["population"], back["population"]]).astype(float).max()
    sizeref = 2 * (peak if peak and peak > 0 else 1) / 55 ** 2
    hover = (f"%{{text}}<br>{x_title}: %{{x:,.{digits(decimals[0])}f}}<br>"
             f"{y_title}: %{{y:,.{digits(decimals[1])}f}}<extra></extra>")
    fig = go.Figure()
    if len(back):
        fig.add_trace(go.Scatter(
            x=back["x"], y=back["y"], mode="markers", text=back["region_name"],
            name=background_name, hovertemplate=hover,
            marker={"size": back["population"].fillna(0), "sizemode": "area", "sizeref": sizeref,
                    "sizemin": 3, "color": "#c8c8c8", "opacity": 0.6, "line": {"width": 0}}))
    colours = colours or {}
    fig.add_trace(go.Scatter(
        x=data["x"], y=data["y"], mode="markers+text", text=data["region_name"],
        textposition=label_positions(data["x"]), showlegend=False, hovertemplate=hover,
        marker={"size": data["population"].fillna(0), "sizemode": "area", "sizeref": sizeref,
                "sizemin": 6, "opacity": 0.85, "line": {"width": 1, "color": "#333333"},
                "color": [colours.get(c, QUALITATIVE[0]) for c in data["region_code"]]}))
    if reference is not None:
        line = {"color": NL_COLOR, "dash": "dash", "width": 1.2}
        fig.add_vline(x=reference[0], line=line)
        fig.add_hline(y=reference[1], line=line, annotation_text=t("netherlands"),
                      annotation_position="top left")
    ref_x, ref_y = (pd.Series([v], dtype=float) for v in (reference or (None, None)))
    fig.update_layout(xaxis={"title": x_title, "gridcolor": "#eeeeee",
                             "range": padded_range(pd.concat([data["x"], back["x"], ref_x]),
                                                   0.12)},
                      yaxis={"title": y_title, "gridcolor": "#eeeeee",
                             "range": padded_range(pd.concat([data["y"], back["y"], ref_y]),
                                                   0.1)},
                      separators=separators(),
                      legend={"orientation": "h", "y": -0.18})
    return base_layout(fig, height)


def label_positions(x: pd.Series) -> list[str]:
    """Where a bubble's name goes: above it, leaning inwards near the left and right edges so
    a long name ('Metropoolregio Amsterdam') is not cut off at the chart's border."""
    low, high = float(x.min()) if len(x) else 0.0, float(x.max()) if len(x) else 0.0
    span = high - low or 1.0
    return ["top left" if (v - low) / span > 0.7 else "top right" if (v - low) / span < 0.3
            else "top center" for v in x.astype(float)]


def padded_range(values: pd.Series, share: float) -> list[float] | None:
    """An axis range around the values with room on both sides for bubbles and labels."""
    values = values.dropna().astype(float)
    if values.empty:
        return None
    low, high = float(values.min()), float(values.max())
    pad = (high - low) * share or abs(high) * share or 1.0
    return [low - pad, high + pad]


def line_trace(code: str, part: pd.DataFrame, years: list[int], colour: str,
               decimals: int, breaks: tuple[int, ...] = ()) -> go.Scatter:
    """One region's line: a gap where a year has no value or a break in the series falls
    (no line across it), hollow markers on flagged values."""
    part = part.drop_duplicates("year").set_index("year").reindex(years)
    gaps = [b - 0.5 for b in breaks if years and years[0] < b <= years[-1]]
    if gaps:
        part = pd.concat([part, pd.DataFrame(index=gaps)]).sort_index()
        years = list(part.index)
    flagged = (part["flagged"] if "flagged" in part else pd.Series(False, index=part.index))
    flagged = flagged.fillna(False).astype(bool)
    colour = NL_COLOR if code == "NL01" else colour
    name = part["region_name"].dropna().iloc[0]
    return go.Scatter(
        x=years, y=at_precision(part["value"], decimals), mode="lines+markers", name=name,
        connectgaps=False,
        line={"color": colour, "width": 3, "dash": "dash" if code == "NL01" else "solid"},
        marker={"size": 9, "color": ["#ffffff" if f else colour for f in flagged],
                "line": {"width": 2, "color": colour}},
        hovertemplate=f"{name}: %{{y:,.{digits(decimals)}f}}<extra></extra>")


def lines(frame: pd.DataFrame, y_title: str, height: int = 460,
          colours: dict[str, str] | None = None, decimals: int = 1,
          reference: float | None = None, title: str | None = None,
          breaks: tuple[int, ...] = ()) -> go.Figure:
    """Time series per region (frame: region_code, region_name, year, value, optional flagged);
    every year of the span is on the axis, so a missing year stays a gap (never interpolated).
    A break in the series (the first year on a new basis) is a dotted vertical marker and no
    line crosses it."""
    fig = go.Figure()
    data = frame.dropna(subset=["year"])
    years = (list(range(int(data["year"].min()), int(data["year"].max()) + 1)) if len(data)
             else [])
    colours = colours or {}
    for i, (code, part) in enumerate(data.groupby("region_code", sort=False)):
        colour = colours.get(code, QUALITATIVE[i % len(QUALITATIVE)])
        fig.add_trace(line_trace(code, part, years, colour, decimals, breaks))
    for year in breaks:
        if years and years[0] < year <= years[-1]:
            fig.add_vline(x=year - 0.5, line={"color": "#555555", "dash": "dot", "width": 1.5},
                          annotation_text=t("trends_break_marker"),
                          annotation_position="top")
    if reference is not None:
        fig.add_hline(y=reference, line={"color": NL_COLOR, "width": 1})
    # no 'Jaar' under the years: it says nothing the ticks do not, and with large type (a
    # projector) or turned ticks (a phone) it ran into the legend under it
    fig.update_layout(xaxis={"title": None, "dtick": 1, "gridcolor": "#eeeeee"},
                      yaxis={"title": y_title, "gridcolor": "#eeeeee"}, separators=separators(),
                      legend={"orientation": "h", "y": -0.2}, hovermode="x unified")
    return base_layout(fig, height, title)


# --- vergelijken / trends ---------------------------------------------------------------------


# Region colours in order of choice: the low-contrast yellow and the grey (near Nederland) last.
REGION_COLOURS = [c for c in QUALITATIVE if c not in ("#F0E442", "#999999")] + ["#F0E442",
                                                                                 "#999999"]


def region_colours(codes: tuple[str, ...] | list[str]) -> dict[str, str]:
    """A fixed colour per chosen region (Nederland grey), the same in every chart of a page."""
    others = [c for c in codes if c != "NL01"]
    colours = {c: REGION_COLOURS[i % len(REGION_COLOURS)] for i, c in enumerate(others)}
    return {**colours, "NL01": NL_COLOR}


def short_name(name: str, level: str, limit: int = 40) -> str:
    """A pilot region's name without its long explanation in brackets ('Metropoolregio
    Amsterdam (MRA)' -> 'Metropoolregio Amsterdam'), cut at `limit` characters."""
    if level != "proeftuin":
        return name
    base, sep, variant = name.partition(": ")
    text = base.split(" (")[0] + sep + variant
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def unique_labels(names: dict[str, str], long_names: dict[str, str],
                  reserved: tuple[str, ...] = ()) -> dict[str, str]:
    """Short names, or the long one where two regions share a name (gemeente and provincie
    Utrecht) or a name is taken by another column (`reserved`), so labels stay distinct."""
    seen = pd.Series(list(names.values()) + list(reserved)).value_counts()
    return {code: long_names.get(code, name) if seen[name] > 1 else name
            for code, name in names.items()}


def score_colours(score: float) -> tuple[str, str] | None:
    """(background, text) colours of a 0-10 score on the maps' sequential palette (dark =
    favourable), the text readable on it; None without a score. Tables on screen and the
    pictures (monitor.figures) colour scores alike."""
    if score is None or pd.isna(score):
        return None
    scheme = PALETTES["higher_is_better"]
    pos = min(max(float(score), 0.0), 10.0) / 10 * (len(scheme) - 1)
    i = min(int(pos), len(scheme) - 2)
    low, high = (tuple(int(c[k:k + 2], 16) for k in (1, 3, 5)) for c in scheme[i:i + 2])
    rgb = [round(a + (b - a) * (pos - i)) for a, b in zip(low, high, strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*rgb), readable_text_colour(rgb)


def score_style(score: float) -> str:
    """CSS for a table cell by its 0-10 score (score_colours); no colour without a score."""
    colours = score_colours(score)
    return "" if colours is None else "background-color: {}; color: {}".format(*colours)


def relative_luminance(rgb) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour (0-255 channels)."""
    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def readable_text_colour(rgb) -> str:
    """White or black text, whichever contrasts more with the background (WCAG ratio; the
    palette's middle blue reaches 4.5:1 only with pure black)."""
    bg = relative_luminance(rgb)
    on_white = 1.05 / (bg + 0.05)
    on_black = (bg + 0.05) / 0.05
    return "#ffffff" if on_white >= on_black else "#000000"


def compare_table(values: pd.DataFrame, rows: pd.DataFrame, columns: dict[str, str],
                  headers: tuple[str, str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Indicators (rows) x regions (columns): formatted values, and aligned the scores behind
    the colours. values: indicator_id, region_code, value, score; rows (in order): indicator_id,
    factor, label, year, decimals; columns: region code -> column name; headers: names of the
    factor, indicator and year columns."""
    keyed = values.drop_duplicates(["indicator_id", "region_code"]).set_index(
        ["indicator_id", "region_code"])
    order = {"index": list(rows["indicator_id"]), "columns": list(columns)}
    value = keyed["value"].astype(float).unstack().reindex(**order)
    score = keyed["score"].astype(float).unstack().reindex(**order)
    text = format_cells(value, rows["decimals"]).rename(columns=columns)
    lead = pd.DataFrame({headers[0]: list(rows["factor"]), headers[1]: list(rows["label"]),
                         headers[2]: [int(y) for y in rows["year"]]}, index=value.index)
    display = pd.concat([lead, text], axis=1).reset_index(drop=True)
    scores = pd.concat([lead.assign(**{h: float("nan") for h in headers}),
                        score.rename(columns=columns)], axis=1).reset_index(drop=True)
    return display, scores


def compare_styler(display: pd.DataFrame, scores: pd.DataFrame):
    """The comparison table with each region cell coloured by its score."""
    css = scores.map(score_style)
    return display.style.apply(lambda _: css, axis=None)

"""Chart builders: frames in, plotly figures out (no queries, no Streamlit)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from monitor.i18n import t

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


def factor_bars(profile: pd.DataFrame, names: dict[str, str], factor_titles: dict[str, str],
                height: int = 420) -> go.Figure:
    """Horizontal grouped bars: factor scores (0-10) per region (profile: factor_id, region_code,
    score)."""
    fig = go.Figure()
    order = list(factor_titles)
    for i, (code, part) in enumerate(profile.groupby("region_code", sort=False)):
        part = part.set_index("factor_id").reindex(order)
        colour = NL_COLOR if code == "NL01" else QUALITATIVE[i % len(QUALITATIVE)]
        fig.add_trace(go.Bar(
            y=[factor_titles[f] for f in order], x=part["score"], orientation="h",
            name=names.get(code, code), marker_color=colour,
            hovertemplate="%{y}: %{x:.1f}<extra>" + names.get(code, code) + "</extra>"))
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
    fig.update_layout(polar={"radialaxis": {"range": [0, 10]}},
                      legend={"orientation": "h", "y": -0.1})
    return base_layout(fig, height)


def value_bars(frame: pd.DataFrame, unit: str, decimals: int, title: str | None = None,
               height: int = 380) -> go.Figure:
    """Bars of one indicator for several regions (frame: region_name, value)."""
    data = frame.dropna(subset=["value"]).sort_values("value")
    colours = [NL_COLOR if c == "NL01" else QUALITATIVE[0] for c in data["region_code"]]
    fig = go.Figure(go.Bar(x=data["value"], y=data["region_name"], orientation="h",
                           marker_color=colours, texttemplate=f"%{{x:,.{decimals}f}}",
                           hovertemplate=f"%{{y}}: %{{x:,.{decimals}f}} {unit}<extra></extra>"))
    fig.update_layout(xaxis={"title": unit}, yaxis={"title": None})
    return base_layout(fig, max(height, 40 * len(data) + 80), title)


def scatter(frame: pd.DataFrame, x_title: str, y_title: str, height: int = 480) -> go.Figure:
    """Two indicators against each other, bubbles sized by population (frame: region_name,
    x, y, population)."""
    data = frame.dropna(subset=["x", "y"])
    size = data["population"].fillna(0).clip(lower=1) ** 0.5
    fig = go.Figure(go.Scatter(
        x=data["x"], y=data["y"], mode="markers+text", text=data["region_name"],
        textposition="top center",
        marker={"size": size, "sizemode": "area", "sizeref": 2 * size.max() / 60 ** 2 if len(size)
                else 1, "color": QUALITATIVE[0], "opacity": 0.7, "line": {"width": 1}},
        hovertemplate="%{text}<br>" + x_title + ": %{x}<br>" + y_title + ": %{y}<extra></extra>"))
    fig.update_layout(xaxis={"title": x_title}, yaxis={"title": y_title})
    return base_layout(fig, height)


def lines(frame: pd.DataFrame, y_title: str, height: int = 460) -> go.Figure:
    """Time series per region (frame: region_code, region_name, year, value); a missing year
    stays a gap."""
    fig = go.Figure()
    years = sorted(frame["year"].unique())
    for i, (code, part) in enumerate(frame.groupby("region_code", sort=False)):
        part = part.set_index("year").reindex(years)
        colour = NL_COLOR if code == "NL01" else QUALITATIVE[i % len(QUALITATIVE)]
        name = frame.loc[frame["region_code"] == code, "region_name"].iloc[0]
        fig.add_trace(go.Scatter(x=years, y=part["value"], mode="lines+markers", name=name,
                                 connectgaps=False, line={"color": colour, "width": 3,
                                                          "dash": "dash" if code == "NL01"
                                                          else "solid"}))
    fig.update_layout(xaxis={"title": t("year"), "dtick": 1}, yaxis={"title": y_title},
                      legend={"orientation": "h", "y": -0.2}, hovermode="x unified")
    return base_layout(fig, height)

"""Figures as files: the map and charts as PNG (downloads) and SVG (the region report).

Why matplotlib, not plotly's own image export (kaleido), measured here (2 cores, Debian
chromium 14x, gemeente map of werkloosheid_pct at 1200x900 px):
- kaleido 1.5 works offline: it drives a Chrome through choreographer and finds Debian's
  chromium on PATH (or BROWSER_PATH). But one PNG of the map took 5.8 s in a fresh process and
  3.3-4.8 s warm (kaleido.start_sync_server): the map is MapLibre/WebGL drawn in software.
  Every app server would also need a ~300 MB Chromium (scripts/run.sh installs none; only the
  test script does) and a browser process per export.
- matplotlib draws the same GeoJSON with the same quantile classes, colours and outlines in
  0.2 s in a fresh process (+1.1 s import) and 0.11-0.14 s warm, from PyPI wheels alone (~12 MB
  with its dependencies), no browser, the same on every machine and in CI; its DejaVu Sans font
  ships with it, so the text renders offline (IPAexGothic from a PyPI wheel draws the CJK and
  full-width glyphs DejaVu Sans lacks: monitor.fonts).
The price is that a chart is drawn twice (plotly on screen, matplotlib here) from the same
inputs: classes, colours and labels come from monitor.maps and monitor.charts, not copies.

Rendering needs no Streamlit: a download button collects everything (texts in the session's
language) while the page runs and draws only when clicked, on a thread without a session.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import textwrap
import threading
import unicodedata

import matplotlib

matplotlib.use("Agg")  # no display: files only

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch, Rectangle  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from monitor import charts, fonts, maps  # noqa: E402

DPI = 120
MAP_SIZE = (1920, 1080)  # a projector's native size; prints well in A4 landscape too
CHART_SIZE = (1600, 900)
TEXT = "#1a1a1a"
MUTED = "#444444"  # 9.7:1 on white
FONT = fonts.LATIN  # ships with matplotlib: the same glyphs everywhere, offline
# DejaVu Sans first, IPAexGothic per glyph it lacks (a CJK or full-width region name).
# Plain text everywhere: a '$' in a region name must not start mathtext; SVG keeps real text
# (smaller, selectable, readable by screen readers); fixed ids make SVG output reproducible.
RC = {"text.parse_math": False, "svg.fonttype": "none", "svg.hashsalt": "rem",
      "font.family": list(fonts.matplotlib_families()), "axes.unicode_minus": False}
_lock = threading.Lock()  # rcParams are global: one drawing at a time across sessions


# --- geometry ----------------------------------------------------------------------------------

def mercator(lat: np.ndarray) -> np.ndarray:
    """Web-Mercator y in degrees (as the app's maps project), so shapes look the same."""
    return np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))


def feature_path(geometry: dict) -> MplPath:
    """A (Multi)Polygon as one compound path: holes stay holes."""
    polygons = (geometry["coordinates"] if geometry["type"] == "MultiPolygon"
                else [geometry["coordinates"]])
    verts, codes = [], []
    for polygon in polygons:
        for ring in polygon:
            xy = np.asarray(ring, dtype=float)
            xy = np.column_stack([xy[:, 0], mercator(xy[:, 1])])
            kind = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
            kind[0], kind[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            verts.append(xy)
            codes.append(kind)
    if not verts:
        return MplPath(np.zeros((0, 2)))
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def feature_bounds(geojson: dict) -> dict[str, tuple[float, float, float, float]]:
    """(min_lon, min_lat, max_lon, max_lat) per feature id."""
    out = {}
    for feature in geojson["features"]:
        geometry = feature["geometry"]
        polygons = (geometry["coordinates"] if geometry["type"] == "MultiPolygon"
                    else [geometry["coordinates"]])
        xy = np.concatenate([np.asarray(ring, dtype=float) for p in polygons for ring in p])
        out[feature["id"]] = (*xy.min(axis=0), *xy.max(axis=0))
    return out


def draw_regions(ax, geojson: dict, fills: dict[str, str] | str, edge: str, width: float,
                 zorder: int = 1) -> None:
    """Fill the features of a FeatureCollection (one colour, or a colour per feature id)."""
    features = [f for f in geojson["features"]
                if isinstance(fills, str) or f["id"] in fills]
    if not features:
        return
    paths = [feature_path(f["geometry"]) for f in features]
    faces = [fills if isinstance(fills, str) else fills[f["id"]] for f in features]
    ax.add_collection(PathCollection(paths, facecolors=faces, edgecolors=edge,
                                     linewidths=width, zorder=zorder))


def draw_outlines(ax, geojson: dict, colour: str, width: float, zorder: int = 3) -> None:
    """Region boundaries as lines only."""
    paths = [feature_path(f["geometry"]) for f in geojson["features"]]
    if paths:
        ax.add_collection(PathCollection(paths, facecolors="none", edgecolors=colour,
                                         linewidths=width, zorder=zorder))


def fit_view(ax, bounds: tuple[float, float, float, float] | None, pad: float = 0.03) -> None:
    """Zoom the axes to lon/lat bounds with a margin, equal scale on the Mercator plane, the
    view widened to the axes' shape so the neighbours show around the region."""
    if bounds is None:
        ax.autoscale_view()
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    else:
        x0, x1 = bounds[0], bounds[2]
        y0, y1 = mercator(np.array([bounds[1], bounds[3]]))
        dx, dy = (x1 - x0) * pad + 1e-3, (y1 - y0) * pad + 1e-3
        x0, x1, y0, y1 = x0 - dx, x1 + dx, y0 - dy, y1 + dy
    box = ax.get_position()
    fig = ax.get_figure()
    shape = box.height * fig.get_figheight() / (box.width * fig.get_figwidth())
    cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0
    w, h = max(w, h / shape), max(h, w * shape)
    ax.set_xlim(cx - w / 2, cx + w / 2)
    ax.set_ylim(cy - h / 2, cy + h / 2)
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()


# --- output ------------------------------------------------------------------------------------

def new_figure(size: tuple[int, int] = CHART_SIZE, dpi: int = DPI) -> Figure:
    """A white figure of `size` pixels (no pyplot: no global state, safe in threads)."""
    return Figure(figsize=(size[0] / dpi, size[1] / dpi), dpi=dpi, facecolor="white")


def to_png(fig: Figure) -> bytes:
    """The figure as PNG bytes, exactly its pixel size."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", facecolor="white", metadata={"Software": None})
    return buf.getvalue()


def to_screen_svg(fig: Figure) -> str:
    """The figure as a standalone SVG for the screen (monitor.show): cropped to what is drawn
    (a picture on a page carries no title or footer of its own), no metadata, fixed ids;
    text on a white halo stays text (see native_halos)."""
    halos = native_halos(fig)
    buf = io.StringIO()
    fig.savefig(buf, format="svg", facecolor="white", bbox_inches="tight", pad_inches=0.08,
                metadata={"Creator": None, "Date": None, "Format": None, "Type": None})
    svg = SVG_META.sub("", SVG_HEAD.sub("<svg", buf.getvalue(), count=1))
    for gid, style in halos.items():
        svg = svg.replace(f'<g id="{gid}">', f'<g id="{gid}" style="{style}">', 1)
    return svg


def native_halos(fig: Figure) -> dict[str, str]:
    """Texts on a white halo (a matplotlib withStroke path effect), drawn by SVG itself: a
    path effect makes matplotlib write the text as outlines, twice (a bar chart's values or a
    scatter's names were 50-240 kB of an SVG that is otherwise 15 kB, sent with every change
    of a page). Each such text loses its path effect and gets an id; returns id -> the SVG
    style that strokes it the same way (stroke of the same width and colour under the fill)."""
    halos = {}
    for i, text in enumerate(fig.findobj(Text)):
        effects = text.get_path_effects()
        stroke = getattr(effects[0], "_gc", None) if len(effects) == 1 else None
        if not isinstance(effects[0] if effects else None, patheffects.withStroke) or \
                not isinstance(stroke, dict) or set(stroke) != {"linewidth", "foreground"}:
            continue
        gid = f"halo_{i}"
        text.set_path_effects([])
        text.set_gid(gid)
        colour = to_hex(stroke["foreground"])
        halos[gid] = (f"paint-order: stroke; stroke: {colour}; "
                      f"stroke-width: {float(stroke['linewidth']):g}; stroke-linejoin: round")
    return halos


SVG_HEAD = re.compile(r"^.*?<svg\b", re.DOTALL)
SVG_NS = re.compile(r'\s+xmlns(:\w+)?="[^"]*"')
SVG_META = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)


def to_svg(fig: Figure, label: str) -> str:
    """The figure as inline SVG for an HTML page: no XML prologue, no namespace or metadata
    URLs (HTML needs none), scalable to its container, named for screen readers."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", facecolor="white",
                metadata={"Creator": None, "Date": None, "Format": None, "Type": None})
    svg = SVG_META.sub("", SVG_HEAD.sub("<svg", buf.getvalue(), count=1))
    svg = SVG_NS.sub("", svg)
    svg = re.sub(r'<svg\b([^>]*?)\swidth="[^"]*"\s+height="[^"]*"', r"<svg\1", svg, count=1)
    return svg.replace("<svg", f'<svg role="img" aria-label="{html_attr(label)}" '
                       'preserveAspectRatio="xMidYMid meet"', 1)


def html_attr(text: str) -> str:
    """Text made safe for a double-quoted HTML attribute."""
    import html

    return html.escape(str(text), quote=True)


def render(draw, *args, fmt: str = "png", label: str = "", **kwargs) -> bytes | str:
    """Run a draw function (returns a Figure) under the house style; PNG bytes or SVG text
    (fmt "svg": inline in an HTML page; "screen": a cropped picture for the app's pages)."""
    with _lock, matplotlib.rc_context(RC):
        fig = draw(*args, **kwargs)
        if fmt == "screen":
            return to_screen_svg(fig)
        return to_png(fig) if fmt == "png" else to_svg(fig, label)


def heading(fig: Figure, title: str, subtitle: str = "", size: float = 26) -> None:
    """Title (bold) and subtitle at the top left of the picture, each wrapped to the picture's
    width (a long title takes a second line and pushes the subtitle down)."""
    width_pt = fig.get_figwidth() * 72 * 0.96
    title = textwrap.fill(str(title), max(int(width_pt / (size * 0.64)), 20))
    fig.text(0.02, 0.965, title, fontsize=size, weight="bold", color=TEXT, va="top")
    if subtitle:
        lines = title.count("\n")
        subtitle = textwrap.fill(str(subtitle), max(int(width_pt / (size * 0.62 * 0.56)), 20))
        fig.text(0.02, 0.965 - size * (1.55 + 1.2 * lines) / fig.get_figheight() / 72,
                 subtitle, fontsize=size * 0.62, color=MUTED, va="top")


def footer(fig: Figure, text: str, size: float = 12) -> None:
    """Source and dates along the bottom of the picture."""
    fig.text(0.02, 0.022, text, fontsize=size, color=MUTED, va="bottom")


def source_text(tables: list[str], built: str, made: str, texts: dict) -> str:
    """'Bron: CBS, tabel X (StatLine), CC BY 4.0 · data gebouwd D · gemaakt D'."""
    table = texts["source"].format(tables=", ".join(dict.fromkeys(t for t in tables if t)))
    return f"{table} · {texts['built'].format(built=built)} · {texts['made'].format(made=made)}"


def today() -> str:
    """The date a figure is made (local), ISO."""
    return dt.date.today().isoformat()


def slug(text: str) -> str:
    """A filename-safe lower-case ascii part: 'Noordoost Fryslân' -> 'noordoost_fryslan'."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60] or "x"


def filename(*parts, ext: str = "png") -> str:
    """'kaart_werkloosheid_pct_gemeente_2024_2026-11-22.png' from its parts."""
    return "_".join(slug(p) if not re.fullmatch(r"\d{4}-\d\d-\d\d", str(p)) else str(p)
                    for p in parts if str(p)) + f".{ext}"


# --- the map -----------------------------------------------------------------------------------

def map_spec(frame: pd.DataFrame, geojson: dict, indicator: dict, *, title: str,
             subtitle: str, legend_title: str, footer_text: str, no_value: str,
             outline: dict | None = None, background: dict | None = None, k: int = 5,
             names: list | None = None, name_size: float = 15) -> dict:
    """Everything the map picture shows, decided from the same classes as maps.choropleth:
    fills per region, legend entries (best first, then 'no value', then outlines), texts.
    indicator: direction, decimals, unit; outline as for maps.choropleth; names as
    maps.region_labels gives them (region names, or values, drawn on the map) at name_size."""
    direction, decimals = indicator["direction"], int(indicator["decimals"])
    edges = maps.class_breaks(frame["value"], k, decimals)
    classes = maps.assign_classes(frame["value"], edges, direction, decimals)
    n = max(len(edges) - 1, 1)
    colours = maps.palette(direction, n)
    labels = maps.class_labels(edges, decimals, direction) if edges else []
    fills = {code: (maps.MISSING_COLOR if c < 0 else colours[c])
             for code, c in zip(frame["region_code"], classes, strict=True)}
    legend = [(colours[c], labels[c], "patch") for c in range(n - 1, -1, -1)
              if (classes == c).any()]
    if (classes < 0).any():
        legend.append((maps.MISSING_COLOR, no_value, "patch"))
    lines = []
    if outline and outline.get("codes"):
        lines.append((maps.subset(outline["geojson"], outline["codes"]), maps.OUTLINE_COLOR, 1.6))
        legend.append((maps.OUTLINE_COLOR, outline.get("label", ""), "line"))
        chosen = outline.get("highlight")
        if chosen in outline["codes"]:
            name = outline["names"][list(outline["codes"]).index(chosen)]
            lines.append((maps.subset(outline["geojson"], [chosen]), maps.HIGHLIGHT_COLOR, 4.0))
            legend.append((maps.HIGHLIGHT_COLOR, name, "line"))
    return {"geojson": maps.subset(geojson, fills), "fills": fills, "legend": legend,
            "legend_title": legend_title, "lines": lines, "background": background,
            "title": title, "subtitle": subtitle, "footer": footer_text,
            "names": names or [], "name_size": name_size}


def draw_map(spec: dict, size: tuple[int, int] = MAP_SIZE) -> Figure:
    """The classed map with title, legend, source and date in the picture."""
    fig = new_figure(size)
    heading(fig, spec["title"], spec["subtitle"])
    # on a projector (fill_height: no title or footer in the picture, the page shows them)
    # the map takes the picture's whole height
    bottom, top = (0.01, 0.99) if spec.get("fill_height") else (0.06, 0.86)
    ax = fig.add_axes((0.01, bottom, 0.58, top - bottom))
    if spec["background"]:
        draw_regions(ax, spec["background"], maps.BACKGROUND_COLOR, "#ffffff", 0.8, zorder=0)
    draw_regions(ax, spec["geojson"], spec["fills"], "#ffffff", 0.45)
    for geojson, colour, width in spec["lines"]:
        draw_outlines(ax, geojson, colour, width)
    ax.autoscale_view()
    fit_view(ax, None)
    for lon, lat, text, align in spec.get("names", []):  # region names, on a white halo
        ha = {"left": "right", "right": "left"}.get(align, "center")  # as maps.label_trace
        # on screen the halo is SVG's own stroke and the name or value stays text (native_halos)
        ax.text(lon, float(mercator(np.array([lat]))[0]), text, ha=ha, va="center",
                fontsize=spec.get("name_size", 15), fontweight="bold", color=maps.LABEL_COLOR,
                zorder=5,
                path_effects=[patheffects.withStroke(linewidth=3.5, foreground="white")])
    handles = [Patch(facecolor=c, edgecolor="#777777", linewidth=0.6, label=label)
               if kind == "patch" else Line2D([], [], color=c, linewidth=3, label=label)
               for c, label, kind in spec["legend"]]
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.6, 0.8), frameon=False,
               title=spec["legend_title"], fontsize=17, title_fontsize=17, alignment="left",
               handlelength=1.6, handleheight=1.1, labelspacing=0.55, labelcolor=TEXT)
    footer(fig, spec["footer"])
    return fig


def map_png(spec: dict, size: tuple[int, int] = MAP_SIZE) -> bytes:
    """The map picture as PNG."""
    return render(draw_map, spec, size)


# --- factor scores -----------------------------------------------------------------------------

def draw_factor_bars(scores: pd.DataFrame, names: dict[str, str], titles: dict[str, str],
                     texts: dict, size: tuple[int, int] = CHART_SIZE) -> Figure:
    """Grouped horizontal bars of factor scores (0-10) per region, values written at the bars
    (scores: factor_id, region_code, score; titles: factor id -> label, in order)."""
    fig = new_figure(size)
    heading(fig, texts["title"], texts.get("subtitle", ""), size=24)
    ax = fig.add_axes((0.27, 0.16, 0.68, 0.6))
    codes = list(dict.fromkeys(scores["region_code"]))
    factors = list(titles)
    height = 0.8 / max(len(codes), 1)
    keyed = scores.drop_duplicates(["factor_id", "region_code"]).set_index(
        ["factor_id", "region_code"])["score"]
    for i, code in enumerate(codes):
        colour = charts.NL_COLOR if code == "NL01" else charts.QUALITATIVE[i % 12]
        ys = np.arange(len(factors)) - 0.4 + height * (i + 0.5)
        values = [keyed.get((f, code), np.nan) for f in factors]
        ax.barh(ys, np.nan_to_num(values), height=height * 0.92, color=colour,
                label=names.get(code, code))
        for y, v in zip(ys, values, strict=True):
            if not pd.isna(v):
                ax.text(v + 0.1, y, texts["number"](v), va="center", fontsize=12, color=TEXT)
    for j, factor in enumerate(factors):
        if not any(pd.notna(keyed.get((factor, c), np.nan)) for c in codes):
            ax.text(0.15, j, texts["no_data"], va="center", fontsize=13, color=MUTED)
    style_axis(ax, factors, titles)
    ax.set_xlim(0, 10.6)
    ax.set_xlabel(texts["axis"], fontsize=14, color=TEXT)
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.01), ncol=min(len(codes), 4),
              frameon=False, fontsize=14)
    footer(fig, texts["footer"])
    return fig


def style_axis(ax, factors: list[str], titles: dict[str, str]) -> None:
    """Factor labels on the y axis (first at the top), light grid, no box."""
    ax.set_yticks(np.arange(len(factors)), [titles[f].replace("<br>", "\n") for f in factors],
                  fontsize=14, color=TEXT)
    ax.invert_yaxis()
    ax.tick_params(axis="x", labelsize=13, colors=TEXT)
    ax.grid(axis="x", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


def draw_factor_radar(scores: pd.DataFrame, names: dict[str, str], titles: dict[str, str],
                      texts: dict, size: tuple[int, int] = (1000, 760)) -> Figure:
    """The factor scores (0-10) as a radar, a closed line per region (Nederland grey), the
    first factor at the top, going round clockwise as on screen (monitor.charts.radar)."""
    fig = new_figure(size, dpi=100)
    ax = fig.add_axes((0.2, 0.16, 0.6, 0.72), projection="polar")
    factors = list(titles)
    angles = np.linspace(0, 2 * np.pi, len(factors), endpoint=False)
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    keyed = scores.drop_duplicates(["factor_id", "region_code"]).set_index(
        ["factor_id", "region_code"])["score"]
    for i, code in enumerate(dict.fromkeys(scores["region_code"])):
        colour = charts.NL_COLOR if code == "NL01" else charts.QUALITATIVE[i % 12]
        values = [keyed.get((f, code), np.nan) for f in factors]
        ax.plot(np.append(angles, angles[0]), values + values[:1], color=colour, linewidth=2.4,
                marker="o", markersize=4, label=names.get(code, code))
    ax.set_xticks(angles, [titles[f].replace("<br>", "\n") for f in factors], fontsize=13,
                  color=TEXT)
    ax.tick_params(axis="x", pad=14)
    ax.set_ylim(0, 10)
    ax.set_yticks([2, 4, 6, 8, 10], ["2", "4", "6", "8", "10"], fontsize=10, color=MUTED)
    ax.set_rlabel_position(180 / max(len(factors), 1))
    ax.grid(color="#dddddd", linewidth=0.8)
    ax.spines["polar"].set_color("#cccccc")
    fig.legend(loc="lower center", ncol=min(len(names), 4), frameon=False, fontsize=13,
               bbox_to_anchor=(0.5, 0.0))
    return fig


def draw_factor_strip(scores: pd.DataFrame, code: str, titles: dict[str, str], texts: dict,
                      size: tuple[int, int] = (1000, 520)) -> Figure:
    """Per factor: the other regions as grey dots, Nederland as a dark diamond, the region as a
    large blue dot with its score (scores: factor_id, region_code, score)."""
    fig = new_figure(size, dpi=100)
    ax = fig.add_axes((0.3, 0.17, 0.66, 0.78))
    factors = list(titles)
    keyed = scores.drop_duplicates(["factor_id", "region_code"]).set_index(
        ["factor_id", "region_code"])["score"]
    ys = {f: j for j, f in enumerate(factors)}
    others = scores[~scores["region_code"].isin([code, "NL01"]) & scores["factor_id"].isin(ys)]
    ax.scatter(others["score"], others["factor_id"].map(ys), s=70, color="#b0b0b0",
               edgecolors="#777777", linewidths=0.6, label=texts["others"], zorder=2)
    for key, marker, colour, area, label in (
            ("NL01", "D", charts.NL_COLOR, 90, texts["netherlands"]),
            (code, "o", charts.QUALITATIVE[0], 190, texts["region"])):
        values = [keyed.get((f, key), np.nan) for f in factors]
        ax.scatter(values, range(len(factors)), s=area, marker=marker, color=colour,
                   edgecolors="white", linewidths=1, label=label, zorder=3)
        if key == code:
            for j, v in enumerate(values):
                if pd.notna(v):
                    ax.text(v, j - 0.32, texts["number"](v), ha="center", fontsize=12,
                            color=TEXT, weight="bold")
    for f, j in ys.items():
        if not any(pd.notna(v) for v in keyed.loc[keyed.index.get_level_values(0) == f]):
            ax.text(0.1, j, texts["no_data"], va="center", fontsize=12, color=MUTED)
    style_axis(ax, factors, titles)
    ax.set_xlim(-0.3, 10.3)
    ax.set_ylim(len(factors) - 0.5, -0.75)
    ax.set_xlabel(texts["axis"], fontsize=12, color=TEXT)
    ax.legend(loc="upper center", bbox_to_anchor=(0.4, -0.1), ncol=3, frameon=False,
              fontsize=12)
    return fig


# --- comparison (Vergelijken) -----------------------------------------------------------------

def draw_score_grid(scores: pd.DataFrame, texts: dict, size: tuple[int, int] = CHART_SIZE
                    ) -> Figure:
    """The factor-score heatmap of Vergelijken: a region per row (its name at the left), a
    factor per column, each cell coloured by its 0-10 score as on screen, the score written in
    ('–' without one). scores: index region names, columns factor titles."""
    fig = new_figure(size)
    heading(fig, texts["title"], texts.get("subtitle", ""), size=24)
    rows, cols = list(scores.index), list(scores.columns)
    top = 0.72 if max((len(c) for c in cols), default=0) > 14 else 0.76
    ax = fig.add_axes((0.27, 0.1, 0.71, top - 0.1))
    for i in range(len(rows)):
        for j in range(len(cols)):
            value = scores.iloc[i, j]
            fill, ink = charts.score_colours(value) or ("#ffffff", TEXT)
            ax.add_patch(Rectangle((j, i), 1, 1, facecolor=fill,
                                                      edgecolor="white", linewidth=2))
            ax.text(j + 0.5, i + 0.5, texts["no_value"] if pd.isna(value)
                    else texts["number"](value), ha="center", va="center", fontsize=15,
                    color=ink)
    ax.set_xlim(0, len(cols))
    ax.set_ylim(len(rows), 0)
    # long names ('Gelderse Corridor (lidmaatschap onzeker)') take two lines, not the margin
    ax.set_yticks(np.arange(len(rows)) + 0.5, [textwrap.fill(str(r), 30) for r in rows],
                  fontsize=13 if len(rows) > 8 else 14, color=TEXT, linespacing=1.0)
    ax.xaxis.tick_top()
    # a column is ~160 px wide (7 factors): 14 characters of 12 pt a line, words kept whole
    ax.set_xticks(np.arange(len(cols)) + 0.5,
                  [textwrap.fill(str(c).replace("<br>", " "), 14, break_long_words=False)
                   for c in cols], fontsize=12, color=TEXT)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    footer(fig, texts["footer"])
    return fig


def draw_value_bars(frame: pd.DataFrame, texts: dict, size: tuple[int, int] = CHART_SIZE
                    ) -> Figure:
    """One indicator per region as horizontal bars, the highest on top, the value at each bar,
    Nederland grey with a dashed line (frame: region_name, value, colour, is_nl; values already
    at their published precision)."""
    fig = new_figure(size)
    heading(fig, texts["title"], texts.get("subtitle", ""), size=24)
    data = frame.dropna(subset=["value"]).sort_values("value")
    ax = fig.add_axes((0.27, 0.15, 0.66, 0.66))
    ys = np.arange(len(data))
    ax.barh(ys, data["value"], height=0.72, color=list(data["colour"]))
    peak = float(data["value"].abs().max()) if len(data) else 1.0
    for y, v in zip(ys, data["value"], strict=True):
        ax.text(v + peak * 0.01 if v >= 0 else v - peak * 0.01, y, texts["number"](v),
                va="center", ha="left" if v >= 0 else "right", fontsize=13, color=TEXT,
                path_effects=[patheffects.withStroke(linewidth=3, foreground="white")])
    nl = data.loc[data["is_nl"], "value"]
    if len(nl):
        ax.axvline(float(nl.iloc[0]), color=charts.NL_COLOR, linestyle="--", linewidth=1.5)
    ax.set_yticks(ys, [textwrap.fill(str(n), 30) for n in data["region_name"]],
                  fontsize=13 if len(data) > 8 else 14, color=TEXT, linespacing=1.0)
    ax.set_xlim(min(0.0, float(data["value"].min()) * 1.12 if len(data) else 0.0),
                max(peak * 1.12, 1e-9))
    ax.set_xlabel(texts["axis"], fontsize=14, color=TEXT)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(
        lambda v, _: texts["axis_number"](v)))
    ax.tick_params(axis="x", labelsize=13, colors=TEXT)
    ax.grid(axis="x", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    footer(fig, texts["footer"])
    return fig


def draw_scatter(points: pd.DataFrame, background: pd.DataFrame | None,
                 reference: tuple[float, float] | None, texts: dict,
                 size: tuple[int, int] = CHART_SIZE) -> Figure:
    """Two indicators against each other: the chosen regions as named bubbles (area by
    population, as on screen), the other regions of the level in grey, Nederland as dashed
    lines. points/background: region_name, x, y, population (+ colour for points)."""
    fig = new_figure(size)
    heading(fig, texts["title"], texts.get("subtitle", ""), size=24)
    ax = fig.add_axes((0.1, 0.17, 0.86, 0.64))
    data = points.dropna(subset=["x", "y"])
    back = background.dropna(subset=["x", "y"]) if background is not None else data.iloc[0:0]
    peak = pd.concat([data["population"], back["population"]]).astype(float).max()
    scale = 2500 / (peak if peak and peak > 0 else 1)  # the largest bubble: 2500 pt² of area
    if len(back):
        ax.scatter(back["x"], back["y"], s=np.maximum(back["population"].fillna(0) * scale, 9),
                   color="#c8c8c8", alpha=0.6, linewidths=0, label=texts.get("others") or None)
    areas = np.maximum(data["population"].fillna(0).astype(float) * scale, 36)
    ax.scatter(data["x"], data["y"], s=areas, color=list(data["colour"]), alpha=0.85,
               edgecolors="#333333", linewidths=1, zorder=3)
    for (_, row), area in zip(data.iterrows(), areas, strict=True):  # the name above its bubble
        ax.annotate(str(row["region_name"]), (row["x"], row["y"]),
                    xytext=(0, np.sqrt(area / np.pi) + 3),
                    textcoords="offset points", ha="center", va="bottom", fontsize=12,
                    color=TEXT, zorder=4,
                    path_effects=[patheffects.withStroke(linewidth=3, foreground="white")])
    if reference is not None:
        ax.axvline(reference[0], color=charts.NL_COLOR, linestyle="--", linewidth=1.2)
        ax.axhline(reference[1], color=charts.NL_COLOR, linestyle="--", linewidth=1.2)
        ax.annotate(texts["netherlands"], (0, reference[1]), xycoords=("axes fraction", "data"),
                    xytext=(4, 4), textcoords="offset points", fontsize=12,
                    color=charts.NL_COLOR)
    # axis titles wrapped to the axis' own length (a long indicator name, unit and year were
    # cut at the picture's edge): characters of 14 pt are about 0.6 x 14 pt wide
    box = ax.get_position()
    width_pt, height_pt = (box.width * size[0] / DPI * 72, box.height * size[1] / DPI * 72)
    ax.set_xlabel(textwrap.fill(texts["x_axis"], max(int(width_pt / 8.4), 20)), fontsize=14,
                  color=TEXT)
    ax.set_ylabel(textwrap.fill(texts["y_axis"], max(int(height_pt / 8.4), 20)), fontsize=14,
                  color=TEXT)
    for axis, fmt in ((ax.xaxis, texts["x_number"]), (ax.yaxis, texts["y_number"])):
        axis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _, f=fmt: f(v)))
    ax.tick_params(labelsize=13, colors=TEXT)
    ax.margins(0.1)
    ax.grid(color="#eeeeee", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if len(back) and texts.get("others"):
        ax.legend(loc="best", frameon=True, framealpha=0.9, fontsize=12, markerscale=0.4)
    footer(fig, texts["footer"])
    return fig


# --- trends and the region map (report) --------------------------------------------------------

def draw_trends(panels: list[dict], texts: dict, size: tuple[int, int] = (1000, 640)) -> Figure:
    """Small multiples: per panel (title, unit, years, series: [(name, values, colour, dash)])
    a line chart; a year without a value stays a gap."""
    fig = new_figure(size, dpi=100)
    n = len(panels)
    cols = 2 if n > 1 else 1
    rows = int(np.ceil(n / cols)) or 1
    grid = fig.add_gridspec(rows, cols, left=0.07, right=0.98, top=0.9, bottom=0.13,
                            hspace=0.6, wspace=0.2)
    for i, panel in enumerate(panels):
        ax = fig.add_subplot(grid[i // cols, i % cols])
        for name, values, colour, dashed in panel["series"]:
            ax.plot(panel["years"], values, color=colour, linewidth=2.4,
                    linestyle="--" if dashed else "-", marker="o", markersize=4, label=name)
        ax.set_title(textwrap.fill(panel_title(panel), 48), fontsize=12, color=TEXT,
                     loc="left")
        ax.tick_params(labelsize=10, colors=TEXT)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True, nbins=6))
        if len(panel["years"]) == 1:  # one year: that year, not a century around it
            year = panel["years"][0]
            ax.set_xlim(year - 1, year + 1)
            ax.set_xticks([year])
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(
            lambda v, _: texts["axis_number"](v)))
        ax.grid(color="#e5e5e5", linewidth=0.8)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if i == 0:
            handles, labels = ax.get_legend_handles_labels()
            fig.legend(handles, labels, loc="lower center", ncol=len(labels), frameon=False,
                       fontsize=12)
    return fig


def trend_series(plotted: pd.DataFrame, names: dict[str, str], colours: dict[str, str]
                 ) -> tuple[list[int], list[tuple]]:
    """The years and, per region with values, (name, values by year, colour, is Nederland)
    that draw_trends and draw_trend_picture take. plotted: region_code, year, value."""
    years = sorted(int(y) for y in plotted["year"].unique())
    series = []
    for code, name in names.items():
        values = plotted[plotted["region_code"] == code].set_index("year")["value"]
        if len(values):
            series.append((name, [float(values.get(y, float("nan"))) for y in years],
                           colours.get(code, "#555555"), code == "NL01"))
    return years, series


def draw_trend_picture(panel: dict, texts: dict, size: tuple[int, int] = CHART_SIZE) -> Figure:
    """One indicator's lines over the years as a picture on its own: title, the lines (the
    unit above them), the legend, and source and date along the bottom."""
    fig = draw_trends([panel], texts, size)
    fig.subplots_adjust(top=0.84, bottom=0.2)
    heading(fig, texts["title"], size=24)
    if fig.legends:  # under the year labels, never over the lines
        legend, ax = fig.legends[0], fig.axes[0]
        legend.set_loc("upper center")
        legend.set_bbox_to_anchor((0.5, -0.09), transform=ax.transAxes)
    footer(fig, texts["footer"])
    return fig


def panel_title(panel: dict) -> str:
    """'Title (unit)', or the title alone when the unit only repeats it."""
    unit = str(panel["unit"])
    return panel["title"] if unit.lower() == str(panel["title"]).lower() else \
        f"{panel['title']} ({unit})"


def draw_region_map(geojson: dict, members: list[str], colour: str = "#56B4E9",
                    size: tuple[int, int] = (700, 620)) -> Figure:
    """The region's gemeenten in colour among their neighbours in grey (geojson: gemeenten)."""
    fig = new_figure(size, dpi=100)
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    bounds = feature_bounds(geojson)
    chosen = np.array([bounds[c] for c in members if c in bounds])
    view = ((chosen[:, 0].min(), chosen[:, 1].min(), chosen[:, 2].max(), chosen[:, 3].max())
            if len(chosen) else None)
    draw_regions(ax, geojson, {c: colour for c in members}, "#1f3b57", 0.9, zorder=1)
    fit_view(ax, view, pad=0.08)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    lat0, lat1 = (float(np.degrees(2 * np.arctan(np.exp(np.radians(y)))) - 90) for y in (y0, y1))
    shown = (x0, lat0, x1, lat1)
    near = [f for f in geojson["features"] if overlaps(bounds[f["id"]], shown, margin=0)]
    draw_regions(ax, {"type": "FeatureCollection", "features": near}, "#e6e6e6", "#ffffff",
                 0.8, zorder=0)
    return fig


def overlaps(a: tuple, b: tuple, margin: float = 0.25) -> bool:
    """Whether two lon/lat boxes overlap (b widened by a share `margin` of its size)."""
    dx, dy = (b[2] - b[0]) * margin, (b[3] - b[1]) * margin
    return not (a[2] < b[0] - dx or a[0] > b[2] + dx or a[3] < b[1] - dy or a[1] > b[3] + dy)


def built_date() -> str:
    """The warehouse's build date (YYYY-MM-DD) and its release, where recorded."""
    from monitor import db, queries

    day = str(queries.build_meta().get("built_at", ""))[:10]
    release = db.release_id()
    return f"{day}, release {release}" if release else day


def fig_texts() -> dict:
    """The source and date phrases of a picture's footer, in the session's language."""
    from monitor.i18n import t

    return {"source": t("fig_source"), "built": t("fig_built"), "made": t("fig_made")}


def readable(fig, present: bool, size: int = 20):
    """A plotly chart with dark text and, on a projector, large type. Show it with theme=None:
    Streamlit's theme greys the axis labels in the browser (3.7:1 on white; AA asks 4.5:1)
    whatever the figure says."""
    # white ground and light grid set directly: applying the 'plotly_white' template object
    # costs ~0.1 s on every run
    fig.update_layout(paper_bgcolor="white", plot_bgcolor="white", font={"color": TEXT},
                      legend={"font": {"color": TEXT}, "yanchor": "top", "y": -0.2})
    for axes in (fig.update_xaxes, fig.update_yaxes):
        axes(tickfont={"color": TEXT}, title={"font": {"color": TEXT}}, automargin=True,
             gridcolor="#e5e5e5", zerolinecolor="#cccccc")
    fig.update_polars(angularaxis={"tickfont": {"color": TEXT}},
                      radialaxis={"tickfont": {"color": TEXT}})
    if present:
        fig.update_layout(font={"size": size}, legend={"font": {"size": size}},
                          xaxis={"title": {"font": {"size": size}}, "tickfont": {"size": size}},
                          yaxis={"tickfont": {"size": size}})
        # a radar's factor names are what the room reads: larger than the body text; its
        # 0-10 ring numbers smaller, on a spoke-free angle so they cross no factor line
        fig.update_polars(angularaxis={"tickfont": {"size": round(size * 1.2)}},
                          radialaxis={"tickfont": {"size": round(size * 0.8)}})
    return fig

"""Static first: how a page shows a chart or a table (issue 23).

A full page load in the browser pays for starting every frontend component the page uses:
plotly.js (4.7 MB, evaluated on every load) for a chart, the data grid's chunk for an
st.dataframe (bench/RESULTS.md: hello-world with one small chart 1.23x, with one table 1.59x).
So a page is first drawn without them:

- `chart`: the chart as a picture, drawn offline by the same `monitor.figures` function as its
  PNG download (an SVG, crisp on a projector), built once per view and shared by every session
  (`picture`). Beneath it a button brings in the interactive plotly chart (hover values,
  zoom, clicking a region) for this chart in this session; from then on it stays interactive
  until the person goes back to the picture.
- `table`: a plain HTML table (one st.html string, every text escaped), sortable by clicking
  (or Enter on) a column header where people sort (`sortable=True`: a small script, the same
  for every table); in a scroll box when long. The data grid stays only where its own
  features are used (on these pages sorting was the one people used).

Pages call these instead of st.plotly_chart and st.dataframe; they decide nothing about what
a chart or table shows (that stays in the builders and the pages).
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser

import pandas as pd
import streamlit as st

from monitor import db, figures, numbers
from monitor.i18n import t

LIVE = "live_"  # session state: LIVE + key is True while that chart is interactive
# On a projector a picture fits the box the page sized for its chart or map (app.PRESENT_CSS).
PRESENT_PICTURE_CSS = """<style>
.st-key-present_map img {max-height: calc(100vh - 250px);}
.st-key-present_chart img {max-height: calc(100vh - 370px);}
.st-key-present_map img, .st-key-present_chart img
  {width: auto !important; max-width: 100%; object-fit: contain;}
</style>"""
# Pictures are small (a chart 20-60 kB of SVG, the gemeente map ~400 kB): 96 views at most,
# for an hour, outside the data cache's byte budget (README, "Memory").
PICTURE_LIMITS = {"max_entries": 96, "ttl": 3600}


@st.cache_resource(show_spinner=False, **PICTURE_LIMITS)
def _shared_picture(view: str, version: str, _make: Callable[[], str]) -> str:
    """One picture per view and warehouse version, the same text for every session."""
    return _make()


def fingerprint(value, digest) -> None:
    """Feed what decides a picture into a hash: frames by content, callables (number
    formatters) by what they write, everything else by repr."""
    if isinstance(value, pd.DataFrame | pd.Series):
        columns = list(value.columns) if isinstance(value, pd.DataFrame) else [value.name]
        digest.update(repr((columns, list(value.index))).encode())
        try:
            digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
        except TypeError:  # unhashable cells (lists): by their text
            digest.update(value.to_json().encode())
    elif isinstance(value, dict):
        for key in value:
            digest.update(repr(key).encode())
            fingerprint(value[key], digest)
    elif isinstance(value, list | tuple):
        digest.update(b"[")
        for item in value:
            fingerprint(item, digest)
        digest.update(b"]")
    elif callable(value):
        digest.update(getattr(value, "__qualname__", "fn").encode())
        for probe in (-1234.5678, 0.5):
            try:
                digest.update(repr(value(probe)).encode())
            except Exception:  # noqa: BLE001 - a callable of another kind: its name says enough
                break
    else:
        digest.update(repr(value).encode())


def picture(draw: Callable, *args, view: tuple | None = None, **kwargs) -> str:
    """A monitor.figures draw function's figure as a screen SVG, once per view and warehouse
    version for all sessions. `view` names what decides the picture when the caller knows it
    (cheaper than hashing a map's geometry); otherwise the arguments are hashed."""
    digest = hashlib.sha1(f"{draw.__module__}.{draw.__qualname__}".encode())
    fingerprint(view if view is not None else (args, kwargs), digest)
    return _shared_picture(digest.hexdigest(), db.data_version(),
                           functools.partial(figures.render, draw, *args, fmt="screen",
                                             **kwargs))


def set_live(key: str, on: bool) -> None:
    """Callback: this chart interactive (or a picture again) in this session."""
    st.session_state[LIVE + key] = on


def is_live(key: str) -> bool:
    """Whether the chart `key` is shown interactive in this session."""
    return bool(st.session_state.get(LIVE + key))


def chart(key: str, figure: Callable[[], object], still: Callable[[], str], *, alt: str,
          live_label: str | None = None, plot_key: str | None = None, **plotly_kwargs):
    """A chart: its picture first (`still()`: an SVG, e.g. from `picture`), and on request the
    interactive plotly chart (`figure()`, built only then). Returns the plotly chart's value
    (the selection event where `on_select` is given) when interactive, else None.
    plot_key: the plotly element's own key (its selection lives under it), if not derived."""
    if is_live(key):
        value = st.plotly_chart(figure(), key=plot_key or f"plot_{key}", **plotly_kwargs)
        st.button(t("show_still"), key=f"still_{key}", on_click=set_live, args=(key, False),
                  type="tertiary", icon=":material/image:")
        return value
    if st.session_state.get("present"):
        st.markdown(PRESENT_PICTURE_CSS, unsafe_allow_html=True)  # static CSS, no user input
    st.image(still(), alt=alt, width="stretch")
    st.button(live_label or t("show_live"), key=f"{LIVE}{key}_on", on_click=set_live,
              args=(key, True), type="tertiary", icon=":material/touch_app:",
              help=t("show_live_help"))
    return None


# Click (or Enter on) a header of a table in a container keyed 'sortable_*': its rows sort by
# that column, numbers as numbers (Dutch or English notation, as the page's language), missing
# values ('–', '') last; again: the other way round. aria-sort says the order to a screen
# reader. One listener per browser tab; headers become focusable as tables appear.
SORT_JS = """<script>
if (!window.remSortable) {
  window.remSortable = true;
  const HEAD = '.rem-table.sortable thead th';
  const MISSING = new Set(['', '–', '-', 'nan', 'None']);
  const number = (text) => {
    const nl = (document.documentElement.lang || 'nl') === 'nl';
    // digit groups may be set apart by spaces ('16 948' in Dutch): part of the number
    const m = text.replace(/\\u2212/g, '-').match(/^[-+]?[€\\s]*-?\\d[\\d.,\\s]*/);
    if (!m) return null;
    let s = m[0].replace(/[€\\s+]/g, '');
    s = nl ? s.replace(/\\./g, '').replace(',', '.') : s.replace(/,/g, '');
    const v = parseFloat(s);
    return Number.isNaN(v) ? null : v;
  };
  const sortBy = (th) => {
    const table = th.closest('table');
    const body = table && table.tBodies[0];
    if (!body) return;
    if (window.remAllRows) window.remAllRows(table.closest('.rem-table'));  // sort them all
    const col = [...th.parentNode.children].indexOf(th);
    const dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
    th.parentNode.querySelectorAll('th').forEach(h => h.removeAttribute('aria-sort'));
    th.setAttribute('aria-sort', dir);
    const rows = [...body.rows].map((row, i) => {
      const cell = row.cells[col];
      return {row, i, text: cell ? cell.innerText.trim() : ''};
    });
    const given = rows.filter(r => !MISSING.has(r.text));
    const numeric = given.length > 0 && given.every(r => number(r.text) !== null);
    const sign = dir === 'ascending' ? 1 : -1;
    const lang = document.documentElement.lang || 'nl';
    rows.sort((a, b) => {
      const am = MISSING.has(a.text), bm = MISSING.has(b.text);
      if (am || bm) return am === bm ? a.i - b.i : (am ? 1 : -1);
      const c = numeric ? number(a.text) - number(b.text)
                        : a.text.localeCompare(b.text, lang, {numeric: true});
      return c === 0 ? a.i - b.i : sign * c;
    });
    rows.forEach(r => body.appendChild(r.row));
  };
  document.addEventListener('click', (e) => {
    const th = e.target.closest(HEAD);
    if (th) sortBy(th);
  });
  document.addEventListener('keydown', (e) => {
    const th = e.target.closest && e.target.closest(HEAD);
    if (th && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); sortBy(th); }
  });
  const mark = () => document.querySelectorAll(HEAD).forEach(th => {
    if (!th.hasAttribute('tabindex')) { th.tabIndex = 0; th.title = th.title || '⇅'; }
  });
  let queued = false;
  new MutationObserver(() => {
    if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; mark(); }); }
  }).observe(document.body, {childList: true, subtree: true});
  mark();
}
</script>"""
TABLE_CSS = """<style>
.rem-table {overflow-x: auto;}
.rem-table table {border-collapse: collapse; width: 100%; font-size: 0.875rem;
  line-height: 1.35;}
.rem-table th, .rem-table td {padding: 0.3rem 0.55rem; border-bottom: 1px solid #e6e6ea;
  text-align: left; vertical-align: top; white-space: normal; overflow-wrap: break-word;
  hyphens: auto;}
.rem-table thead th {color: #4a4a55; font-weight: 600; position: sticky; top: 0;
  background: #ffffff; z-index: 1;}
.rem-table td.num {text-align: right; white-space: nowrap;}
.rem-table tbody th {font-weight: 400;}
.rem-table a {color: #1f4e79;}
.rem-table.sortable thead th {cursor: pointer; user-select: none;}
.rem-table.sortable thead th[aria-sort="ascending"]::after {content: " ▲";}
.rem-table.sortable thead th[aria-sort="descending"]::after {content: " ▼";}
.rem-table.sortable thead th:focus-visible {outline: 2px solid #1f4e79;}
.rem-more {display: flex; flex-wrap: wrap; gap: 0.4rem 0.75rem; align-items: center;
  padding: 0.5rem 0.55rem; font-size: 0.875rem;}
.rem-more button {font: inherit; padding: 0.3rem 0.75rem; border-radius: 0.5rem;
  border: 1px solid rgba(128, 128, 128, 0.45); background: transparent; color: inherit;
  cursor: pointer;}
.rem-more button:hover, .rem-more button:focus-visible {border-color: currentColor;}
</style>"""
# a number, with '%' or the provisional mark of a figure CBS calls Voorlopig ('4,2 (v)')
# A long table is sent whole but drawn in part: its first rows as HTML, the others as one JSON
# text (<script type="application/json">, never run) that the browser turns into rows only
# when asked: 'Alle N rijen tonen', or a click on a header of a sortable table (sorting takes
# in every row). On a full page load every drawn cell costs the browser time (sanitising,
# parsing, styling, layout: ~0.06 ms a cell here, Wijken's 400 x 17 table 0.44 s of CPU);
# a JSON text is one node. Tables up to FIRST_CELLS cells (at least MIN_FIRST_ROWS rows),
# or only SLACK_ROWS rows longer, are drawn whole.
FIRST_CELLS = 480
MIN_FIRST_ROWS = 25
SLACK_ROWS = 20
MORE_JS = """<script>
if (!window.remAllRows) {
  window.remAllRows = (wrap) => {
    const rest = wrap && wrap.querySelector('script.rem-rest');
    if (!rest) return;
    const body = wrap.querySelector('table').tBodies[0];
    body.insertAdjacentHTML('beforeend', JSON.parse(rest.textContent).join(''));
    rest.remove();
    const more = wrap.querySelector('.rem-more');
    if (more) more.remove();
  };
  document.addEventListener('click', (event) => {
    const button = event.target.closest('.rem-more button');
    if (button) window.remAllRows(button.closest('.rem-table'));
  });
}
</script>"""
# a number, maybe with '%', a footnote star (Vergelijken's partial scores) or '(v)'/'(p)'
NUMERIC_CELL = re.compile(r"^[-−+]?[€\s]*-?[\d.,\u00a0 ]*\d[\d.,\u00a0 ]*\s*%?\*?"
                          r"(?:\s\([vp]\))?$")


def cell_html(value, link: re.Pattern | None) -> str:
    """One cell's text, escaped; an https address as a link named by `link`'s first group."""
    missing = value is None or (isinstance(value, float) and pd.isna(value))
    text = "" if missing else str(value)
    if link is not None and text.startswith("https://"):
        match = link.search(text)
        name = match.group(1) if match else text
        return (f'<a href="{html.escape(text, quote=True)}" target="_blank">'
                f"{html.escape(name)}</a>")
    return html.escape(text)


def first_rows(n_rows: int, n_columns: int) -> int | None:
    """How many rows of a table to draw at first (None: all of them)."""
    first = max(MIN_FIRST_ROWS, FIRST_CELLS // max(n_columns, 1))
    return first if n_rows > first + SLACK_ROWS else None


def table_html(frame: pd.DataFrame, *, sortable: bool, alt: str | None, hide_index: bool,
               styles: pd.DataFrame | None = None, links: dict[str, str] | None = None,
               first: int | None = None) -> str:
    """The frame as an HTML table: headers in <thead>, a row per record, numbers aligned
    right; per cell css from `styles` (same shape); `links`: column -> pattern whose first
    group names an address; the hidden index kept as each row's data-key (read_tables).
    `first`: only so many rows drawn, the others kept as JSON with a button that draws them
    (MORE_JS; the page must allow the script)."""
    patterns = {c: re.compile(p) for c, p in (links or {}).items()}
    columns = list(frame.columns)
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in columns)
    if not hide_index:
        head = f'<th scope="col">{html.escape(str(frame.index.name or ""))}</th>' + head
    rows = []
    for i, (key, record) in enumerate(zip(frame.index, frame.itertuples(index=False),
                                          strict=True)):
        cells = [] if hide_index else [f'<th scope="row">{html.escape(str(key))}</th>']
        for j, value in enumerate(record):
            text = cell_html(value, patterns.get(columns[j]))
            css = "" if styles is None else str(styles.iat[i, j] or "")
            style = f' style="{html.escape(css, quote=True)}"' if css else ""
            kind = ' class="num"' if NUMERIC_CELL.match(html.unescape(text)) else ""
            cells.append(f"<td{kind}{style}>{text}</td>")
        rows.append(f'<tr data-key="{html.escape(str(key), quote=True)}">{"".join(cells)}</tr>')
    label = f' aria-label="{html.escape(alt, quote=True)}"' if alt else ""
    index = html.escape(str(frame.index.name or ""), quote=True)
    rest = ""
    if first is not None and len(rows) > first:
        # '<' written as its JSON escape: nothing in the text can end the script element
        data = json.dumps(rows[first:], ensure_ascii=False).replace("<", "\\u003c")
        n = numbers.format_value(len(rows), 0)
        note = t("table_first_sortable" if sortable else "table_first",
                 shown=numbers.format_value(first, 0), n=n)
        rest = (f'<script type="application/json" class="rem-rest">{data}</script>'
                f'<div class="rem-more"><span>{html.escape(note)}</span>'
                f'<button type="button">{html.escape(t("table_show_all", n=n))}</button></div>')
        rows = rows[:first]
    # focusable: a table wider than the screen scrolls sideways, by keyboard too
    return (f'<div class="rem-table{" sortable" if sortable else ""}" tabindex="0">'
            f'<table{label} data-index="{index}" data-hide-index="{int(hide_index)}">'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>{rest}'
            f'</div>')


def table(frame: pd.DataFrame, *, key: str, sortable: bool = False, height: int | None = None,
          alt: str | None = None, hide_index: bool = True, styles: pd.DataFrame | None = None,
          links: dict[str, str] | None = None) -> None:
    """A plain HTML table, sortable by its headers where `sortable`, in a scroll box of
    `height` px when given (the headers stay in view). Streamlit's st.table draws a React
    element per cell (342 rows took seconds to draw here); one HTML string takes
    milliseconds. Every text is escaped: only the fixed css and sort script are markup. A
    long table draws its first rows and the others on request (`first_rows`, MORE_JS)."""
    first = first_rows(len(frame), len(frame.columns) + (0 if hide_index else 1))
    body = TABLE_CSS + (SORT_JS if sortable else "") + (MORE_JS if first else "") + table_html(
        frame, sortable=sortable, alt=alt, hide_index=hide_index, styles=styles, links=links,
        first=first)
    box = st.container(key=f"{'sortable' if sortable else 'table'}_{key}",
                       height=height or "content", border=False if height is None else None)
    with box:
        st.html(body, unsafe_allow_javascript=sortable or first is not None)


class TableReader(HTMLParser):
    """Collects the rows of the tables table_html writes (read_tables)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self.cell: list[str] | None = None
        self.row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"index": attrs.get("data-index", ""),
                                "hide": attrs.get("data-hide-index") == "1",
                                "head": None, "rows": [], "keys": []})
        elif tag == "tr" and self.tables:
            self.row = []
            if "data-key" in attrs:
                self.tables[-1]["keys"].append(attrs["data-key"])
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append("".join(self.cell))
            self.cell = None
        elif tag == "tr" and self.row is not None and self.tables:
            current = self.tables[-1]
            if current["head"] is None:
                current["head"] = self.row
            else:
                current["rows"].append(self.row)
            self.row = None


# the rows a long table keeps for later (table_html), put back where they belong
REST = re.compile(r'</tbody></table><script type="application/json" class="rem-rest">(.*?)'
                  r'</script>', re.S)


def read_tables(body: str) -> list[pd.DataFrame]:
    """The tables of an HTML body written by `table`, back as frames of their text (the
    hidden index restored), every row of a long one: for scripts and tests that read what a
    page shows."""
    reader = TableReader()
    reader.feed(REST.sub(lambda m: "".join(json.loads(m.group(1))) + "</tbody></table>", body))
    frames = []
    for found in reader.tables:
        head, rows = found["head"] or [], found["rows"]
        if found["hide"]:
            frame = pd.DataFrame(rows, columns=head)
            frame.index = pd.Index(found["keys"], name=found["index"] or None)
        else:
            frame = pd.DataFrame([r[1:] for r in rows], columns=head[1:],
                                 index=pd.Index([r[0] for r in rows], name=head[0] or None))
        frames.append(frame)
    return frames


# A text to copy (the 'link met vaste cijfers' under every page): the text in a code box, one
# click selects all of it, and a button beside it copies it. st.code would do the same, but it
# loads Streamlit's syntax highlighter on every full page load: hello-world with one st.code
# drew in 1.65-2.0x the plain page's time (0.41 -> 0.68 s), this st.html in 0.97-1.07x.
COPY_CSS = """<style>
.rem-copy {display: flex; gap: 0.5rem; align-items: flex-start; flex-wrap: wrap;}
.rem-copy code {flex: 1 1 18rem; padding: 0.55rem 0.75rem; border-radius: 0.5rem;
  background: rgba(128, 128, 128, 0.12); color: inherit; font-size: 0.85rem;
  line-height: 1.45; overflow-wrap: anywhere; white-space: pre-wrap; user-select: all;}
.rem-copy button {font: inherit; font-size: 0.875rem; padding: 0.35rem 0.75rem;
  border-radius: 0.5rem; border: 1px solid rgba(128, 128, 128, 0.45);
  background: transparent; color: inherit; cursor: pointer;}
.rem-copy button:hover, .rem-copy button:focus-visible {border-color: currentColor;}
</style>"""
# One listener per browser tab: the clipboard where the browser allows it (a secure origin),
# else the selected text copied the older way; the button then says it is done.
COPY_JS = """<script>
if (!window.remCopy) {
  window.remCopy = true;
  document.addEventListener('click', (event) => {
    const button = event.target.closest('.rem-copy button');
    if (!button) return;
    const code = button.parentNode.querySelector('code');
    const done = () => { button.textContent = button.dataset.done; };
    const fallback = () => {
      const range = document.createRange();
      range.selectNodeContents(code);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      if (document.execCommand('copy')) done();
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(code.innerText).then(done, fallback);
    } else {
      fallback();
    }
  });
}
</script>"""


def copyable(text: str) -> None:
    """`text` (a link) in a box to copy it from, with a copy button (the text escaped)."""
    st.html(f'{COPY_CSS}<div class="rem-copy"><code>{html.escape(text)}</code>'
            f'<button type="button" data-done="{html.escape(t("copy_done"), quote=True)}">'
            f'{html.escape(t("copy_text"))}</button></div>{COPY_JS}',
            unsafe_allow_javascript=True)


BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(values) -> str:
    """A series as a line of block characters (low to high), gaps as spaces: the trend
    column of a plain table ('' without at least two values)."""
    values = [None if v is None or pd.isna(v) else float(v) for v in (values or [])]
    given = [v for v in values if v is not None]
    if len(given) < 2:
        return ""
    low, high = min(given), max(given)
    span = (high - low) or 1.0
    return "".join(" " if v is None else BLOCKS[round((v - low) / span * (len(BLOCKS) - 1))]
                   for v in values)

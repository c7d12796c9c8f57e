"""AppTest: the Kaart page maps any indicator at every level, with the same numbers beneath."""

from __future__ import annotations

import json

import duckdb
import pytest
from fixtures import shown_tables

from monitor.numbers import format_value

PAGE = "pages/kaart.py"
LEVELS = ("gemeente", "provincie", "corop", "arbeidsmarktregio", "proeftuin")


@pytest.fixture
def run_kaart(run_page):
    """run_page for the Kaart page (through app.py: language, notices and navigation apply)."""

    def run(**params):
        return run_page(PAGE, **params)

    return run


def figure(at) -> dict:
    """The interactive map's plotly figure as sent to the browser: the page first shows a
    picture (monitor.show); the button under it brings in the interactive map."""
    if not at.get("plotly_chart"):
        at.button(key="live_kaart_map_on").click().run()
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def picture(at) -> str:
    """The map picture the page shows first: an SVG data URL."""
    return at.get("image")[0].proto.imgs[0].url


def shown_table(at):
    """The map's numbers as displayed (text per cell), by region name."""
    frame = shown_tables(at)[0]
    return frame.set_index(frame.columns[0])


def test_every_level_renders(run_kaart):
    for level in LEVELS:
        at = run_kaart(indicator="werkloosheid_pct", year="2024", level=level)
        assert not at.exception, level
        assert not at.warning, level
        assert at.segmented_control[0].value == level
        assert len(shown_tables(at)[0]) > 0
        # first a picture: no plotly.js to wait for (issue 23)
        assert not at.get("plotly_chart") and picture(at).startswith("data:image/svg+xml")
        types = {tr["type"] for tr in figure(at)["data"]}
        # SVG map, no WebGL; no base layers, so plotly.js fetches no world map from its CDN
        assert "choropleth" in types and types <= {"choropleth", "scattergeo"}
        assert figure(at)["layout"]["geo"]["visible"] is False
        assert figure(at)["data"][0]["type"] == "scattergeo"  # see maps.anchor_trace


def test_table_value_matches_warehouse(run_kaart, warehouse):
    at = run_kaart(indicator="werkloosheid_pct", year="2023", level="provincie")
    con = duckdb.connect(str(warehouse), read_only=True)
    value, unit = con.execute(
        "select v.value, i.unit_nl from indicator_value v join indicator i using (indicator_id) "
        "where v.indicator_id = 'werkloosheid_pct' and v.region_code = 'PV26' and v.year = 2023"
    ).fetchone()
    con.close()
    shown = shown_table(at)
    assert shown.loc["Utrecht", "Waarde"] == format_value(value, 1, lang="nl")
    assert unit in at.title[0].value
    assert "2023" in at.title[0].value


def test_long_table_draws_its_first_rows_and_keeps_the_rest(run_kaart):
    """All 342 gemeenten of 2024 are sent; the browser draws the best 80 at first (issue 23:
    each drawn cell costs a full page load time), with a note and a button for all rows."""
    at = run_kaart(indicator="werkloosheid_pct", year="2024", level="gemeente")
    body = next(h.proto.body for h in at.get("html") if "rem-table sortable" in h.proto.body)
    drawn = body.split('class="rem-rest"')[0]
    assert drawn.count("<tr data-key=") == 80
    assert "De eerste 80 van 342 rijen; sorteren op een kolom neemt alle rijen mee." in body
    assert "Alle 342 rijen tonen</button>" in body
    table = shown_table(at)  # read back whole: the drawn rows and the kept ones
    assert len(table) == 342 and table.index.is_unique
    ranks = [int(r) for r in table.iloc[:80, 1] if r]  # the drawn rows: the best by rank
    assert ranks[0] == 1 and ranks == sorted(ranks) and len(ranks) == 80


def test_bad_parameters_give_notice_and_default(run_kaart):
    at = run_kaart(indicator="drop table", year="20x4", level="wijk", highlight="PR_nope")
    assert not at.exception
    warned = " ".join(w.value for w in at.warning)
    for name in ("indicator", "year", "level", "highlight"):
        assert f"'{name}'" in warned
    assert at.selectbox(key="indicator").value == "werkloosheid_pct"
    assert at.segmented_control[0].value == "gemeente"
    assert at.selectbox(key="map_highlight").value == "none"
    assert "2024" in at.title[0].value


def test_missing_values_get_a_legend_entry(run_kaart, warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    year, n_values = con.execute(
        "select year, count(*) from gm_value where indicator_id = 'afstand_bibliotheek_km' "
        "and value is not null group by year order by year desc limit 1").fetchone()
    con.close()
    assert n_values < 342  # the case: some gemeenten have no figure
    at = run_kaart(indicator="afstand_bibliotheek_km", year=str(year), level="gemeente")
    names = [tr.get("name") for tr in figure(at)["data"]]
    assert "geen waarde" in names
    notes = shown_tables(at)[0]["Toelichting"]
    assert (notes == "Het CBS publiceert hier geen cijfer.").sum() == 342 - n_values
    full = figure(run_kaart(indicator="werkloosheid_pct", year="2024", level="gemeente"))
    assert "geen waarde" not in [tr.get("name") for tr in full["data"]]


def test_gemeente_map_payload_stays_small(run_kaart):
    at = run_kaart(indicator="werkloosheid_pct", level="gemeente", highlight="PR_twente")
    figure(at)
    assert len(at.get("plotly_chart")[0].proto.spec) < 300_000
    assert "Twente" in " ".join(m.value for m in at.markdown)


def test_english(run_kaart, warehouse):
    at = run_kaart(indicator="werkloosheid_pct", level="provincie", lang="en")
    assert not at.exception
    assert at.title[0].value.startswith("Unemployment, 2024")
    assert "Source: CBS, table 86088NED" in at.caption[0].value
    con = duckdb.connect(str(warehouse), read_only=True)
    (value,) = con.execute("select value from indicator_value where indicator_id = "
                           "'werkloosheid_pct' and region_code = 'PV26' and year = 2024").fetchone()
    con.close()
    shown = shown_table(at)
    assert shown.loc["Utrecht", "Value"] == format_value(value, 1, lang="en")
    assert "." in shown.loc["Utrecht", "Value"]


def test_choosing_a_region_opens_its_profile(run_kaart):
    at = run_kaart(indicator="werkloosheid_pct", level="provincie", present="1")
    at.selectbox(key="map_open").select("PV26").run()
    assert at.query_params.get("region") == "PV26"
    assert at.query_params.get("present") == "1"
    # the chosen indicator travels along (issue 22: state follows a person), so the way back
    # to Kaart shows the same map
    assert at.query_params.get("indicator") == "werkloosheid_pct"

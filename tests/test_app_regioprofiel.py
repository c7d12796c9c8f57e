"""AppTest: the Regioprofiel page shows any region's figures, checked against the warehouse."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

import duckdb
import pandas as pd
import pytest
from fixtures import shown_tables

from etl.registry import load_registry
from monitor.numbers import format_value

PAGE = "pages/regioprofiel.py"


def indicator_rows(at) -> pd.DataFrame:
    """The page's table of every indicator (a plain table, indexed by indicator id), its
    columns by what they hold."""
    frame = next(d for d in shown_tables(at) if d.index.name == "indicator_id")
    return frame.set_axis(["title", "value_text", "nl_text", "year", "rank_text", "trend",
                           "years", "note", "factor"], axis=1)


def latest_value(warehouse, region: str, indicator: str) -> tuple[int, float]:
    """(year, value) of a region's latest value of an indicator, straight from the warehouse."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select year, value from indicator_value where indicator_id = ? and region_code = ? "
            "and value is not null order by year desc limit 1", [indicator, region]).fetchone()


@pytest.mark.parametrize("params", [
    {"region": "PR_mra"}, {"region": "PV29"}, {"region": "GM0363"}, {"region": "NL01"},
    {"region": "PR_gelderse_corridor__corop_15_16"},
    {"region": "CUSTOM", "custom": "GM0363,GM0362", "custom_name": "Amstel"},
])
def test_profile_renders(run_page, params):
    at = run_page(PAGE, **params)
    assert not at.exception
    assert at.title[0].value
    table = indicator_rows(at)
    # every indicator, data or not; the sector shares are in the economic profile instead
    shown = [i for i in load_registry().indicators if not i.id.startswith("banen_sbi_")]
    assert len(table) == len(shown)
    # factor profile and member map: first pictures, no plotly.js to wait for (issue 23)
    assert len(at.get("image")) == 2 and not at.get("plotly_chart")


def test_pilot_value_matches_warehouse(run_page, warehouse):
    at = run_page(PAGE, region="PR_zeeland")
    assert not at.exception
    year, value = latest_value(warehouse, "PR_zeeland", "werkloosheid_pct")
    row = indicator_rows(at).loc["werkloosheid_pct"]
    assert row["year"] == str(year)
    assert row["value_text"] == format_value(value, 1, "% van de beroepsbevolking")
    assert [m.value for m in at.metric][:2] == ["Proeftuin", "13"]
    assert row["rank_text"].endswith("/ 10")  # among the ten default pilot regions
    assert len(row["trend"]) >= 10


def test_province_rank_is_its_rank_among_the_twelve(run_page, warehouse):
    at = run_page(PAGE, region="PV29")
    year, _ = latest_value(warehouse, "PV29", "werkloosheid_pct")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        frame = con.execute(
            "select v.region_code, v.value from indicator_value v join region r "
            "using (region_code) where r.region_level = 'provincie' and v.year = ? "
            "and v.indicator_id = 'werkloosheid_pct'", [year]).df()
    assert len(frame) == 12
    expected = int(frame["value"].rank(method="min").loc[frame["region_code"] == "PV29"].iloc[0])
    assert indicator_rows(at).loc["werkloosheid_pct", "rank_text"] == f"{expected} / 12"


def test_composed_zeeland_equals_pilot_zeeland(run_page, warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        members = [c for (c,) in con.execute(
            "select gemeente_code from region_membership where region_code = 'PR_zeeland'"
        ).fetchall()]
    assert len(members) == 13
    pilot = indicator_rows(run_page(PAGE, region="PR_zeeland"))
    at = run_page(PAGE, region="CUSTOM", custom=",".join(members), custom_name="Mijn Zeeland")
    assert not at.exception
    assert at.title[0].value == "Mijn Zeeland"
    mine = indicator_rows(at)
    for indicator in ("werkloosheid_pct", "banen_per_1000_inwoners", "bevolking"):
        assert mine.loc[indicator, "value_text"] == pilot.loc[indicator, "value_text"]
    assert mine.loc["werkloosheid_pct", "rank_text"] == "–"  # a composed region is not ranked
    assert "mediaan" in mine.loc["mediaan_vermogen", "note"]  # medians do not add up


def test_status_notes(run_page):
    at = run_page(PAGE, region="PR_gelderse_corridor")
    table = indicator_rows(at)
    assert table.loc["ict_banen_pct", "note"] == "geen data in deze bron"
    assert table.loc["ict_banen_pct", "value_text"] == "geen waarde"
    zwolle = indicator_rows(run_page(PAGE, region="PR_regio_zwolle"))
    # Zwolle (16.5% of the region's inhabitants) is missing from 80305ned: in 2023 its GP
    # distance comes from 85830ENG (and says so); the library distance is in neither table
    assert zwolle.loc["afstand_huisarts_km", "note"] == "Zwolle: cijfer uit CBS-tabel 85830ENG"
    assert zwolle.loc["afstand_bibliotheek_km", "note"] == \
        "dekking 84% (< 95%); ontbreekt: Zwolle"
    assert "mediaan" in table.loc["mediaan_gestandaardiseerd_inkomen", "note"]
    published = indicator_rows(run_page(PAGE, region="PV29")).loc["mediaan_vermogen", "note"]
    assert published == "gepubliceerd door CBS"
    captions = " ".join(c.value for c in at.caption)
    assert "Digitalisering: geen data in deze bron" in captions


def test_low_confidence_pilot_says_so_and_links_variants(run_page):
    at = run_page(PAGE, region="PR_gelderse_corridor")
    assert any("onzeker" in w.value for w in at.warning)
    links = at.get("page_link")
    assert any("COROP" in link.proto.label for link in links)
    assert not run_page(PAGE, region="PR_zeeland").warning


def test_all_pilots_toggle_goes_into_url(run_page):
    at = run_page(PAGE, region="PR_twente")
    at.toggle(key="profile_all").set_value(True).run()
    assert not at.exception
    assert at.query_params.get("pilots") == "all"
    at.button(key="live_profile_factors_on").click().run()
    figure = at.get("plotly_chart")[0].proto.spec
    assert figure.count('"type":"scatterpolar"') == 11  # region, Nederland and 9 other pilots


def test_unknown_custom_region_falls_back(run_page):
    at = run_page(PAGE, region="CUSTOM")  # no members: not a valid region
    assert not at.exception
    assert at.title[0].value == "Metropoolregio Amsterdam (MRA)"
    assert any("'region'" in w.value for w in at.warning)


def test_profile_in_english(run_page):
    at = run_page(PAGE, region="PV27", lang="en")
    assert not at.exception
    assert [m.label for m in at.metric][0] == "Level"
    assert indicator_rows(at).loc["werkloosheid_pct", "value_text"].endswith(
        "% of the labour force")


def peer_frame(at) -> pd.DataFrame:
    """The 'Vergelijkbare regio's' table of the page."""
    frame = next(d for d in shown_tables(at) if d.index.name == "region_code")
    return frame.set_axis(["name", "distance", "population"], axis=1).reset_index()


@pytest.mark.parametrize("params, n", [
    ({"region": "PV29"}, 5), ({"region": "GM0363", "peer_k": "3"}, 3),
    ({"region": "CR17", "peer_set": "gemeente"}, 5), ({"region": "AM12"}, 5),
    ({"region": "PR_zeeland"}, 5), ({"region": "NL01", "peer_set": "provincie"}, 5),
    ({"region": "CUSTOM", "custom": "GM0363,GM0362", "custom_name": "Amstel"}, 5),
])
def test_profile_shows_similar_regions_for_every_kind_of_region(run_page, params, n):
    at = run_page(PAGE, **params)
    assert not at.exception
    assert "Vergelijkbare regio's" in [h.value for h in at.subheader]
    frame = peer_frame(at)
    assert len(frame) == n
    assert params["region"] not in set(frame["region_code"])
    texts = " ".join(m.value for m in at.markdown)
    assert "Ze lijken het meest op" in texts


def test_peer_links_carry_the_region_and_its_peers(run_page):
    at = run_page(PAGE, region="PV29", peer_set="provincie", peer_k="4")
    assert not at.exception
    frame = peer_frame(at)
    links = {link.proto.label: link.proto for link in at.get("page_link")}
    expected = ",".join(["PV29", *frame["region_code"]])
    for label, page in [("Vergelijk met deze regio's", "vergelijken"),
                        ("Trends van deze regio's", "trends")]:
        assert links[label].page == page
        assert parse_qs(links[label].query_string)["regions"] == [expected]


def test_composed_region_peer_link_carries_its_gemeenten(run_page):
    at = run_page(PAGE, region="CUSTOM", custom="GM0363,GM0362", custom_name="Amstel")
    links = {link.proto.label: link.proto for link in at.get("page_link")}
    query = parse_qs(links["Vergelijk met deze regio's"].query_string)
    assert query["regions"][0].startswith("CUSTOM,")
    assert query["custom"] == ["GM0363,GM0362"] and query["custom_name"] == ["Amstel"]


def test_peers_follow_the_comparison_choice_and_language(run_page):
    at = run_page(PAGE, region="PV29", lang="en")
    assert not at.exception
    assert "Similar regions" in [h.value for h in at.subheader]
    assert "They are most like" in " ".join(m.value for m in at.markdown)
    at = run_page(PAGE, region="PV29")
    at.selectbox(key="peer_set").set_value("proeftuin").run()
    assert not at.exception
    assert at.query_params["peer_set"] == "proeftuin"
    pilots = set(peer_frame(at)["region_code"])
    assert len(pilots) == 5 and all(c.startswith("PR_") for c in pilots)


@pytest.mark.parametrize("params, first", [
    ({"region": "PR_zeeland"}, "- Werkloosheid (2024): 2,9 % van de beroepsbevolking, de laagste "
                               "van de 10 proeftuinen en lager dan Nederland (3,7)."),
    ({"region": "PV29", "lang": "en"}, "- Unemployment (2024): 2.9 % of the labour force, the "
                                       "lowest of the 12 provinces and lower than the "
                                       "Netherlands (3.7)."),
    ({"region": "CUSTOM", "custom": "GM0363,GM0362", "custom_name": "Amstel"},
     "- Werkloosheid (2024): "),
])
def test_profile_opens_with_the_summary(run_page, params, first):
    """Zeeland 2024: 2.9% unemployment, as CBS publishes it; Nederland 3.7%."""
    at = run_page(PAGE, **params)
    assert not at.exception
    summary = next(m.value for m in at.markdown if m.value.startswith("- "))
    assert summary.startswith(first)
    assert summary.count("\n- ") == 3  # four indicators
    if params["region"] == "CUSTOM":
        assert "proeftuinen" not in summary  # no rank for a composed region: none on the page


def test_peers_can_be_downloaded(run_page):
    at = run_page(PAGE, region="PV29", peer_set="provincie")
    labels = [b.proto.label for b in at.get("download_button")]
    keys = [b.proto.id for b in at.get("download_button")]
    assert any("peers_csv" in k for k in keys) and any("peers_xlsx" in k for k in keys), labels


def test_culture_distances_on_the_profile(run_page, warehouse):
    """Culture and facilities (80305ned) in the profile's indicator table, as stored."""
    at = run_page(PAGE, region="PV29")
    rows = indicator_rows(at)
    for ind, title in [("afstand_museum_km", "Afstand tot museum"),
                       ("afstand_bioscoop_km", "Afstand tot bioscoop")]:
        year, value = latest_value(warehouse, "PV29", ind)
        assert rows.loc[ind, "title"] == title
        assert rows.loc[ind, "value_text"].lstrip("≈ ") == format_value(value, 1, "km")
        assert rows.loc[ind, "year"] == str(year)


def test_peer_link_opens_vergelijken_and_trends_with_the_regions(run_page):
    at = run_page(PAGE, region="PV29", peer_set="provincie", peer_k="3")
    links = {link.proto.label: link.proto for link in at.get("page_link")}
    regions = parse_qs(links["Vergelijk met deze regio's"].query_string)["regions"][0]
    for page in ("pages/vergelijken.py", "pages/trends.py"):
        target = run_page(page, regions=regions)
        assert not target.exception
        assert target.query_params.get("regions", regions) == regions
        picked = [m for m in target.multiselect if m.key == "regions"]
        assert picked and list(picked[0].value) == regions.split(",")


def test_profile_shows_how_the_ranking_moves(run_page):
    """The profile compares the region with Nederland (and the pilots when asked) under other
    weights and with each indicator left out; the default is marked."""
    at = run_page(PAGE, region="PR_zeeland", pilots="all", factor="arbeidsmarkt")
    assert not at.exception
    table = next(d for d in shown_tables(at)
                 if any("standaard" in str(i) for i in d.index))
    assert list(table.index)[0] == "standaardgewichten (standaard)"
    assert sum(str(i).startswith("zonder ") for i in table.index) == 4
    assert len(table.columns) >= 10  # Zeeland, Nederland and the other pilot regions


@pytest.mark.parametrize("lang, score", [("nl", r"^[0-9]+ \([0-9]+,[0-9]\)$"),
                                         ("en", r"^[0-9]+ \([0-9]+\.[0-9]\)$")])
def test_ranking_of_one_region_is_among_the_pilots_in_the_readers_notation(run_page, lang,
                                                                          score):
    """Beside Nederland alone a rank says nothing ('1 / 2'): one region is ranked among the ten
    pilot regions, its scores written as the reader writes numbers ('1 (6,6)' in Dutch)."""
    at = run_page(PAGE, region="PV29", factor="arbeidsmarkt",
                  **({"lang": "en"} if lang == "en" else {}))
    assert not at.exception and not at.error
    table = next(d for d in shown_tables(at)
                 if any("standaard" in str(i) or "default" in str(i) for i in d.index))
    assert len(table.columns) == 11  # provincie Zeeland and the ten pilot regions
    assert len(set(table.columns)) == 11  # the pilot Zeeland told apart from the provincie
    assert "Nederland" not in table.columns and "Netherlands" not in table.columns
    cells = [c for c in table.to_numpy().ravel() if c != "–"]
    assert cells and all(re.fullmatch(score, c) for c in cells), cells[:3]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_pilot_description_and_delineations_in_the_readers_language(run_page, lang):
    """'Over deze proeftuin' and the other delineations are written in the page's language
    (the reference list describes the pilots in English and names delineations in Dutch)."""
    at = run_page(PAGE, region="PR_twente", **({"lang": "en"} if lang == "en" else {}))
    assert not at.exception
    about = " ".join(e.value for e in at.get("text"))
    if lang == "nl":
        assert "Samenwerking van de 14 Twentse gemeenten" in about
        assert "Cooperation" not in about
    else:
        assert "Cooperation of the 14 municipalities of Twente" in about
    links = [str(e.proto.label) for e in at.get("page_link")]
    variant = next(label for label in links if "Netwerkstad" in label)
    assert variant == ("Netwerkstad Twente (5 stedelijke gemeenten)" if lang == "nl"
                       else "Netwerkstad Twente (5 urban municipalities)")

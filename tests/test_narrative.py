"""The readable summary: literal expected sentences on hand-made inputs (the numbers below are
invented for the test, not CBS figures), and on the warehouse for every kind of region."""

from __future__ import annotations

import re

import pytest

from monitor import narrative, queries, regions
from monitor.narrative import Fact

# Invented figures: an unemployment-like rate with one decimal, and ten other regions.
OTHERS = (3.3, 3.4, 3.5, 3.6, 3.7, 3.8, 3.9, 4.0, 4.1)
BASE = {"title": "Werkloosheid", "unit": "%", "decimals": 1, "year": 2024,
        "others": OTHERS, "group": "proeftuin", "spread_values": OTHERS}


def fact(**changes) -> Fact:
    return Fact(**{**BASE, **changes})


def test_below_the_netherlands_and_lowest_of_the_group():
    assert narrative.sentence(fact(value=2.9, nl_value=3.7), "nl") == (
        "Werkloosheid (2024): 2,9 %, de laagste van de 10 proeftuinen en lager dan "
        "Nederland (3,7).")
    assert narrative.sentence(fact(value=2.9, nl_value=3.7), "en") == (
        "Werkloosheid (2024): 2.9 %, the lowest of the 10 pilot regions and lower than the "
        "Netherlands (3.7).")


def test_above_the_netherlands_not_extreme():
    assert narrative.sentence(fact(value=4.0, nl_value=3.5), "nl") == (
        "Werkloosheid (2024): 4,0 %, hoger dan Nederland (3,5).")


def test_highest_of_the_group():
    assert narrative.sentence(fact(value=4.6, nl_value=3.7), "nl") == (
        "Werkloosheid (2024): 4,6 %, de hoogste van de 10 proeftuinen en hoger dan "
        "Nederland (3,7).")


def test_no_clear_difference_within_the_uncertainty():
    # spread: MAD of OTHERS is 0.2 -> u = 0.25 x 1.4826 x 0.2 = 0.074; 3.75 vs 3.7: same
    assert narrative.uncertainty(1, OTHERS) == pytest.approx(0.25 * 1.4826 * 0.2)
    assert narrative.sentence(fact(value=3.75, nl_value=3.7, group=None), "nl") == (
        "Werkloosheid (2024): 3,8 %, geen duidelijk verschil met Nederland (3,7).")
    assert narrative.sentence(fact(value=3.75, nl_value=3.7, group=None), "en") == (
        "Werkloosheid (2024): 3.8 %, no clear difference from the Netherlands (3.7).")


def test_rounding_alone_is_the_floor_of_the_uncertainty():
    # no spread known: half a unit of the last decimal (0.05): 3.74 vs 3.7 is no difference
    assert narrative.uncertainty(1, ()) == 0.05
    assert narrative.sentence(fact(value=3.74, nl_value=3.7, group=None, spread_values=()),
                              "nl").endswith("geen duidelijk verschil met Nederland (3,7).")
    assert "hoger dan Nederland" in narrative.sentence(
        fact(value=3.8, nl_value=3.7, group=None, spread_values=()), "nl")


def test_not_the_lowest_when_the_gap_is_within_the_uncertainty():
    text = narrative.sentence(fact(value=3.28, nl_value=3.7), "nl")
    assert "laagste" not in text and text.endswith("lager dan Nederland (3,7).")


def test_missing_and_low_coverage():
    assert narrative.sentence(fact(value=None, nl_value=3.7), "nl") == (
        "Werkloosheid (2024): geen cijfer.")
    assert narrative.sentence(fact(value=None, status="low_coverage"), "en") == (
        "Werkloosheid (2024): no figure, too few of the region's municipalities have data.")


def test_estimated_and_converted_are_said():
    text = narrative.sentence(fact(value=2.9, nl_value=None, group=None, is_estimated=True,
                                   is_converted=True), "nl")
    assert text == ("Werkloosheid (2024): 2,9 %. Dit cijfer is geschat. Omgerekend naar de "
                    "gemeentegrenzen van 2024 (herindeling).")


def test_a_break_in_the_series_is_said():
    assert narrative.sentence(fact(value=2.9, nl_value=None, group=None, break_year=2021),
                              "nl") == ("Werkloosheid (2024): 2,9 %. Let op: de reeks heeft een "
                                        "breuk in 2021; jaren ervoor zijn niet vergelijkbaar "
                                        "(zie Trends).")


# --- on the warehouse --------------------------------------------------------------------------


def numbers(text: str) -> set[str]:
    """The numbers in a text (Dutch notation), years included."""
    return set(re.findall(r"\d+(?: \d{3})*(?:,\d+)?", text))


@pytest.mark.integration
def test_break_of_a_declared_series_reaches_the_sentence(lib):
    """afstand_overstapstation_km has declared breaks (2019, 2021): the latest is named."""
    region = regions.stored("PV29")
    text = narrative.region_narrative(region, "nl", indicators=("afstand_overstapstation_km",))
    assert text[0].endswith("Let op: de reeks heeft een breuk in 2021; jaren ervoor zijn niet "
                            "vergelijkbaar (zie Trends).")


@pytest.mark.integration
def test_zeeland_unemployment_against_cbs_figures(lib, con):
    """CBS publishes Zeeland 2024 unemployment as 2.9% and Nederland's as 3.7%."""
    first = narrative.region_narrative(regions.stored("PR_zeeland"), "nl")[0]
    assert first == ("Werkloosheid (2024): 2,9 % van de beroepsbevolking, de laagste van de "
                     "10 proeftuinen en lager dan Nederland (3,7).")
    cbs = con.execute("select value from stg_cbs_value where table_id = '86088NED' and measure "
                      "= 'Werkloosheidspercentage_13' and region_code = 'NL01' and year = 2024 "
                      "and slice = 'Persoonskenmerken=Totaal personen'").fetchone()[0]
    assert cbs == pytest.approx(3.7)


@pytest.mark.integration
@pytest.mark.parametrize("code", ["GM0363", "PV29", "CR17", "AM12", "PR_mra", "NL01", "CUSTOM"])
def test_every_number_in_the_text_is_a_shown_value(lib, code):
    custom = ("GM0363", "GM0362") if code == "CUSTOM" else ()
    region = regions.composed("", custom) if custom else regions.stored(code)
    texts = narrative.region_narrative(region, "nl")
    assert len(texts) == len(narrative.INDICATORS)
    values = (queries.custom_values(custom) if custom else queries.values_for_regions((code,)))
    nl = queries.values_for_regions(("NL01",))
    for ind, text in zip(narrative.INDICATORS, texts, strict=True):
        meta = queries.indicator_row(ind)
        year = queries.latest_years()[ind]
        shown = {str(year)}
        for frame in (values, nl):
            value = frame[(frame["indicator_id"] == ind) & (frame["year"] == year)]["value"]
            if len(value):
                shown.add(f"{value.iloc[0]:,.{int(meta['decimals'])}f}".replace(",", " ")
                          .replace(".", ","))
        shown |= {"10", "12", "40", "35", "342"}  # group sizes (the rank column's n)
        words = text.replace(meta["unit_nl"], "").replace(meta["title_nl"], "")
        assert numbers(words) <= shown, (text, shown)

"""The indicator registry is complete and true to the CBS snapshot (datasette test_docs pattern)."""

from __future__ import annotations

import copy
import re

import pandas as pd
import pytest
import yaml

from etl.catalog import get_table
from etl.registry import (
    FACTOR_COLUMNS,
    FRAME_COLUMNS,
    INDICATOR_FIELDS,
    REGISTRY_FILE,
    Indicator,
    Operand,
    RegistryError,
    factor_frame,
    load_registry,
    registry_frame,
)
from etl.stage import stage_table

REGISTRY = load_registry()
RAW = yaml.safe_load(REGISTRY_FILE.read_text(encoding="utf-8"))
FACTOR_IDS = ["arbeidsmarkt", "human_capital", "ondernemerschap", "bereikbaarheid",
              "digitalisering", "duurzaamheid", "woon_leefklimaat", "context"]
GAP_FACTOR = "digitalisering"
# id -> (aggregation, numerator table, numerator key, denominator table, denominator key)
FIXED = {
    "bevolking": ("sum", "85644NED", "Bevolking_1", None, None),
    "werkloosheid_pct": ("weighted_mean", "86088NED", "Werkloosheidspercentage_13",
                         "86088NED", "Beroepsbevolking_2"),
    "netto_arbeidsparticipatie_pct": ("weighted_mean", "86088NED", "NettoArbeidsparticipatie_16",
                                      "86088NED", "BeroepsEnNietBeroepsbevolking_1"),
    "banen_per_1000_inwoners": ("ratio", "83582NED", "BanenVanWerknemersInDecember_1",
                                "85644NED", "Bevolking_1"),
    "hbo_wo_pct": ("weighted_mean", "85525NED", "k_3HboWo_4", "85525NED", "Bevolking_1"),
    "woz_gemiddeld": ("weighted_mean", "85036NED", "GemiddeldeWOZWaardeVanWoningen_1",
                      "82900NED", "TotaleWoningvoorraad_1"),
    "misdrijven_per_1000_inwoners": ("weighted_mean", "83648NED",
                                     "GeregistreerdeMisdrijvenPer1000Inw_3",
                                     "85644NED", "Bevolking_1"),
    "zonnepanelen_kw_per_inwoner": ("ratio", "85005NED", "OpgesteldVermogenVanZonnepanelen_2",
                                    "85644NED", "Bevolking_1"),
}
DIGITAL_PROXIES = {
    "ict_banen_pct": ("83582NED", "J Informatie en communicatie"),
    "ict_vestigingen_pct": ("81575NED", "J Informatie en communicatie"),
    "ict_beroepen_pct": ("86086NED", "08 ICT beroepen"),
}


def ids(items) -> list[str]:
    """Test ids from entries or indicators."""
    return [i.id if isinstance(i, Indicator) else i["id"] for i in items]


def operands(ind: Indicator) -> list[Operand]:
    """The numerator and, when present, the denominator."""
    return [op for op in (ind.numerator, ind.denominator) if op is not None]


# --------------------------------------------------------------------------- completeness

def test_registry_has_the_factors_in_order_and_enough_indicators():
    assert [f.id for f in REGISTRY.factors] == FACTOR_IDS
    assert [f.id for f in REGISTRY.factors if not f.scored] == ["context"]
    assert len(REGISTRY.indicators) >= 30


@pytest.mark.parametrize("entry", RAW["factors"], ids=ids(RAW["factors"]))
def test_factor_entry_complete(entry):
    assert {"id", "title", "description", "scored"} <= entry.keys()
    for field in ("title", "description"):
        assert {lang: bool(str(entry[field].get(lang, "")).strip()) for lang in ("nl", "en")} \
            == {"nl": True, "en": True}, f"{entry['id']}.{field} lacks nl or en"


@pytest.mark.parametrize("entry", RAW["indicators"], ids=ids(RAW["indicators"]))
def test_indicator_entry_complete(entry):
    """Every required field written out (none left to a default), both languages non-empty."""
    missing = INDICATOR_FIELDS - entry.keys()
    assert not missing, f"{entry['id']} lacks {sorted(missing)}"
    for field in ("title", "definition", "unit", "note"):
        for lang in ("nl", "en"):
            text = entry[field].get(lang)
            assert isinstance(text, str) and text.strip(), f"{entry['id']}.{field}.{lang} empty"
    assert entry["title"]["nl"] != entry["definition"]["nl"], "definition repeats the title"


@pytest.mark.parametrize("factor", [f for f in FACTOR_IDS if f not in (GAP_FACTOR, "context")])
def test_scored_factor_has_two_indicators_with_data(factor):
    with_data = [i for i in REGISTRY.by_factor(factor) if not i.data_gap]
    scorable = [i for i in with_data if i.direction != "neutral"]
    assert len(with_data) >= 2 and len(scorable) >= 2, f"{factor}: {ids(with_data)}"


def test_digitalisation_proxies_are_declared_gaps():
    """No per-gemeente digitalisation data in this source: every proxy says so."""
    digital = REGISTRY.by_factor(GAP_FACTOR)
    assert {i.id for i in digital} == set(DIGITAL_PROXIES)
    for ind in digital:
        table, title = DIGITAL_PROXIES[ind.id]
        assert ind.data_gap and ind.aggregation == "ratio" and ind.scale == 100
        assert ind.numerator.table == ind.denominator.table == table
        assert title in ind.numerator.slice.values()


def test_context_indicators_are_neutral():
    assert {i.direction for i in REGISTRY.by_factor("context")} == {"neutral"}


@pytest.mark.parametrize("indicator_id", sorted(FIXED))
def test_fixed_indicator(indicator_id):
    aggregation, num_table, num_key, den_table, den_key = FIXED[indicator_id]
    ind = REGISTRY.indicator(indicator_id)
    assert (ind.aggregation, ind.numerator.table, ind.numerator.key) == (aggregation, num_table,
                                                                         num_key)
    den = ind.denominator
    got = (den.table, den.key) if den else (None, None)
    assert got == (den_table, den_key)


def test_fixed_indicator_units():
    assert REGISTRY.indicator("woz_gemiddeld").numerator.factor == 1000
    assert REGISTRY.indicator("banen_per_1000_inwoners").numerator.factor == 1000
    assert REGISTRY.indicator("banen_per_1000_inwoners").scale == 1000
    assert REGISTRY.indicator("zonnepanelen_kw_per_inwoner").numerator.slice == {
        "SectorEnVermogensklasse": "Alle economische activiteit en woningen"}
    assert REGISTRY.indicator("hbo_wo_pct").numerator.slice["Leeftijd"] == "15 tot 75 jaar"


def test_medians_do_not_aggregate():
    for ind in REGISTRY.indicators:
        if ind.numerator.key.startswith("Mediaan"):
            assert ind.aggregation == "none", ind.id


def test_gap_slices_are_optional_in_tables_yaml():
    """A slice missing from the source must be optional, or staging the table would fail."""
    for ind in REGISTRY.indicators:
        if ind.data_gap:
            spec = get_table(ind.numerator.table)
            declared = {s.label: s.optional for s in spec.slices}
            assert declared[ind.numerator.slice_label], ind.id


def test_registry_frame_has_one_flat_row_per_indicator():
    frame = registry_frame(REGISTRY)
    assert list(frame.columns) == FRAME_COLUMNS
    assert frame["indicator_id"].tolist() == ids(REGISTRY.indicators)
    assert frame["indicator_id"].is_unique
    assert frame["statline_url"].str.fullmatch(
        r"https://opendata\.cbs\.nl/#/CBS/nl/dataset/\w+/table").all()
    row = frame.set_index("indicator_id").loc["werkloosheid_pct"]
    assert row["source_slice"] == "Persoonskenmerken=Totaal personen"
    assert row["denominator_key"] == "Beroepsbevolking_2"
    assert frame.loc[frame["aggregation"] == "sum", "denominator_key"].isna().all()


def test_peer_context_is_structure_not_outcome():
    """Similar regions are found on structure (size, density, age, education, jobs): neutral
    context or human capital, never an outcome the monitor scores as better or worse
    elsewhere; sizes and densities as logarithms."""
    peers = {i.id: i for i in REGISTRY.indicators if i.peer_context}
    assert {"bevolking", "omgevingsadressendichtheid", "hbo_wo_pct",
            "banen_per_1000_inwoners"} <= set(peers)
    assert len(peers) >= 5
    assert peers["bevolking"].peer_context == "log"
    assert all(i.data_gap is None for i in peers.values())
    assert not {"werkloosheid_pct", "gem_gestandaardiseerd_inkomen",
                "misdrijven_per_1000_inwoners"} & set(peers)
    frame = registry_frame(REGISTRY).set_index("indicator_id")
    assert frame.loc["bevolking", "peer_context"] == "log"
    assert pd.isna(frame.loc["werkloosheid_pct", "peer_context"])


def test_factor_frame():
    frame = factor_frame(REGISTRY)
    assert list(frame.columns) == FACTOR_COLUMNS
    assert frame["factor_id"].tolist() == FACTOR_IDS
    assert frame["sort_order"].tolist() == list(range(1, len(FACTOR_IDS) + 1))


# ------------------------------------------------------------------- true to the snapshot

@pytest.fixture(scope="module")
def gemeente_data(bundle_table):
    """Per table (staged once): its measure keys and the annual years with GM values."""
    cache: dict[str, dict] = {}

    def lookup(table_id: str) -> dict:
        if table_id not in cache:
            spec = get_table(table_id)
            raw = bundle_table(spec.id)
            rows, _ = stage_table(raw, spec)
            gm = rows[(rows["region_type"] == "GM") & (rows["period_type"] == "JJ")]
            years = gm.groupby(["measure", "slice"])["year"].agg(set).to_dict()
            cache[table_id] = {"measures": set(raw.measure_keys), "years": years}
        return cache[table_id]

    return lookup


def years_with_data(lookup, op: Operand) -> set[int]:
    """Annual years with at least one non-null gemeente value for the operand."""
    return lookup(op.table)["years"].get((op.key, op.slice_label), set())


@pytest.mark.parametrize("ind", REGISTRY.indicators, ids=ids(REGISTRY.indicators))
def test_operand_keys_exist_in_their_tables(ind, gemeente_data):
    for op in operands(ind):
        assert op.key in gemeente_data(op.table)["measures"], f"{op.key} not in {op.table}"


@pytest.mark.parametrize("ind", [i for i in REGISTRY.indicators if not i.data_gap],
                         ids=ids(i for i in REGISTRY.indicators if not i.data_gap))
def test_operands_have_gemeente_values(ind, gemeente_data):
    """Numerator and denominator hold gemeente values in their slices, in a common year."""
    spans = [years_with_data(gemeente_data, op) for op in operands(ind)]
    for op, years in zip(operands(ind), spans, strict=True):
        assert years, f"{op.table} {op.key} [{op.slice_label}] has no GM values"
    assert set.intersection(*spans), f"{ind.id}: numerator and denominator share no year"


@pytest.mark.parametrize("ind", [i for i in REGISTRY.indicators if i.data_gap],
                         ids=ids(i for i in REGISTRY.indicators if i.data_gap))
def test_data_gap_is_real(ind, gemeente_data):
    """If the source gains the data, the gap claim is false: remove data_gap then."""
    found = years_with_data(gemeente_data, ind.numerator)
    assert not found, f"{ind.id} claims a data gap but {ind.numerator.table} has values: {found}"


# ------------------------------------------------------------------------- loader errors

VALID_SNIPPET = {  # hand-made fixture, not CBS data: one factor, one indicator
    "factors": [{"id": "arbeidsmarkt", "title": {"nl": "Arbeidsmarkt", "en": "Labour market"},
                 "description": {"nl": "Werk.", "en": "Work."}, "scored": True}],
    "indicators": [{
        "id": "test_ratio", "factor": "arbeidsmarkt",
        "title": {"nl": "Proef", "en": "Test"},
        "definition": {"nl": "Een proef.", "en": "A test."},
        "unit": {"nl": "%", "en": "%"}, "source": "86088NED",
        "slice": {"Persoonskenmerken": "Totaal personen"},
        "numerator": "WerkzameBeroepsbevolking_3", "denominator": "Beroepsbevolking_2",
        "scale": 100, "aggregation": "ratio", "direction": "higher_is_better", "decimals": 1,
        "note": {"nl": "Geen.", "en": "None."}, "data_gap": None,
    }],
}


def write_registry(tmp_path, mutate=None):
    """Write the hand-made snippet, optionally mutated, and return its path."""
    data = copy.deepcopy(VALID_SNIPPET)
    if mutate:
        mutate(data["indicators"][0])
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_hand_made_snippet_loads(tmp_path):
    registry = load_registry(write_registry(tmp_path))
    ind = registry.indicator("test_ratio")
    assert ind.denominator.slice == {"Persoonskenmerken": "Totaal personen"}  # defaulted
    assert registry.by_factor("arbeidsmarkt") == (ind,)


def set_field(name, value):
    """A mutation setting one field of the indicator."""
    return lambda entry: entry.__setitem__(name, value)


def drop_english_title(entry):
    del entry["title"]["en"]


BROKEN = {
    "unknown factor": (set_field("factor", "onbekend"), "factor"),
    "missing English title": (drop_english_title, "title"),
    "ratio without denominator": (set_field("denominator", None), "denominator"),
    "undeclared slice": (set_field("slice", {"Persoonskenmerken": "Mannen"}), "slice"),
    "undeclared measure": (set_field("numerator", "Werknemer_99"), "numerator"),
    "unknown table": (set_field("source", "99999NED"), "source"),
    "weight on other boundaries": (
        lambda e: e.update(aggregation="weighted_mean", denominator="Bevolking_1",
                           denominator_source="85644NED",
                           denominator_slice={"Geslacht": "Totaal mannen en vrouwen",
                                              "Leeftijd": "Totaal", "Nationaliteit": "Totaal"}),
        "denominator_source"),
    "unknown field": (set_field("denominater", "x"), "denominater"),
    "unknown peer transform": (set_field("peer_context", "sqrt"), "peer_context"),
    "peer context without data": (
        lambda e: e.update(peer_context="linear",
                           data_gap={"nl": "niet in deze bron", "en": "not in this source"}),
        "peer_context"),
    "data gap in English only": (set_field("data_gap", "not in this source"), "data_gap"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_loader_names_indicator_and_field(tmp_path, case):
    mutate, field = BROKEN[case]
    path = write_registry(tmp_path, mutate)
    with pytest.raises(RegistryError, match=rf"'test_ratio'.*'{re.escape(field)}'"):
        load_registry(path)


def test_loader_rejects_duplicate_ids(tmp_path):
    data = copy.deepcopy(VALID_SNIPPET)
    data["indicators"].append(copy.deepcopy(data["indicators"][0]))
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(RegistryError, match="test_ratio.*duplicate"):
        load_registry(path)


def english_texts(entry: dict) -> str:
    """Every English text of a registry entry, whitespace made single."""
    found = []

    def walk(value, key=""):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif key == "en" and isinstance(value, str):
            found.append(value)

    walk(entry)
    return " ".join(" ".join(found).split())


def dutch_categories(entry: dict) -> set[str]:
    """The CBS category titles an entry names in Dutch: its slices' categories and the ones
    its Dutch data-gap reason quotes ('Totaal', '01 Pedagogische beroepen')."""
    titles = set()
    for key in ("slice", "denominator_slice"):
        titles |= {str(v) for v in (entry.get(key) or {}).values()}
    gap = (entry.get("data_gap") or {}).get("nl") or ""
    titles |= set(re.findall(r"'([^']+)'", " ".join(gap.split())))
    return titles - {"Definitief", "Voorlopig"}  # CBS's status names stay Dutch (a name)


@pytest.mark.parametrize("entry", RAW["indicators"], ids=ids(RAW["indicators"]))
def test_english_texts_name_cbs_categories_in_english(entry):
    """The English UI shows each indicator's definition, note and data-gap reason: a CBS
    category there is named in English ('J Information and communication'), not with its
    Dutch title ('J Informatie en communicatie'), which stays the data key in `slice`."""
    english = english_texts(entry)
    leaks = [title for title in dutch_categories(entry)
             if re.search(rf"(?<!\w){re.escape(title)}(?!\w)", english)]
    assert not leaks, leaks

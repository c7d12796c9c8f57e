"""All UI texts in Dutch (default) and English, and the current language."""

from __future__ import annotations

import streamlit as st

LANGS = ("nl", "en")
DEFAULT_LANG = "nl"

# One dictionary for the whole app, in sections per page. Keys are English identifiers.
TEXTS: dict[str, dict[str, str]] = {
    # --- shell -------------------------------------------------------------------------
    "app_title": {"nl": "Regio Ecosysteem Monitor", "en": "Regional Ecosystem Monitor"},
    "app_tagline": {
        "nl": "De economie van een regio als ecosysteem: arbeidsmarkt, human capital, "
              "ondernemerschap, bereikbaarheid, digitalisering, duurzaamheid en woon- en "
              "leefklimaat, per gemeente en regio, op open data van het CBS.",
        "en": "A region's economy seen as an ecosystem: labour market, human capital, "
              "entrepreneurship, accessibility, digitalisation, sustainability and quality "
              "of living, per municipality and region, on open CBS data.",
    },
    "language": {"nl": "Taal", "en": "Language"},
    "presentation_mode": {"nl": "Presentatiemodus", "en": "Presentation mode"},
    "page_overview": {"nl": "Overzicht", "en": "Overview"},
    "page_map": {"nl": "Kaart", "en": "Map"},
    "page_profile": {"nl": "Regioprofiel", "en": "Region profile"},
    "page_compare": {"nl": "Vergelijken", "en": "Compare"},
    "page_trends": {"nl": "Trends", "en": "Trends"},
    "page_about": {"nl": "Over de data", "en": "About the data"},
    "page_export": {"nl": "Data-export", "en": "Data export"},
    "page_compose": {"nl": "Eigen regio", "en": "Custom region"},
    "source_line": {"nl": "Bron: CBS (StatLine), PDOK; CC BY 4.0. Gebouwd {built}.",
                    "en": "Source: CBS (StatLine), PDOK; CC BY 4.0. Built {built}."},
    # --- shared widgets and messages -----------------------------------------------------
    "region": {"nl": "Regio", "en": "Region"},
    "regions": {"nl": "Regio's", "en": "Regions"},
    "indicator": {"nl": "Indicator", "en": "Indicator"},
    "indicators": {"nl": "Indicatoren", "en": "Indicators"},
    "year": {"nl": "Jaar", "en": "Year"},
    "level": {"nl": "Niveau", "en": "Level"},
    "factor": {"nl": "Factor", "en": "Factor"},
    "value": {"nl": "Waarde", "en": "Value"},
    "unit": {"nl": "Eenheid", "en": "Unit"},
    "rank": {"nl": "Rang", "en": "Rank"},
    "score": {"nl": "Score (0-10)", "en": "Score (0-10)"},
    "coverage": {"nl": "Dekking", "en": "Coverage"},
    "netherlands": {"nl": "Nederland", "en": "Netherlands"},
    "no_value": {"nl": "geen waarde", "en": "no value"},
    "estimated": {"nl": "geschat", "en": "estimated"},
    "status_low_coverage": {
        "nl": "Geen waarde: minder dan 95% van de inwoners woont in een gemeente met een "
              "cijfer ({coverage:.0%}).",
        "en": "No value: less than 95% of the inhabitants live in a municipality with a "
              "figure ({coverage:.0%}).",
    },
    "status_not_aggregable": {
        "nl": "Geen waarde: een mediaan laat zich niet optellen over gemeenten; het CBS "
              "publiceert hem alleen voor gemeenten, provincies, COROP en Nederland.",
        "en": "No value: a median cannot be added up over municipalities; CBS publishes it "
              "only for municipalities, provinces, COROP and the Netherlands.",
    },
    "status_data_gap": {"nl": "Geen data in deze bron: {reason}",
                        "en": "No data in this source: {reason}"},
    "status_missing": {"nl": "Het CBS publiceert hier geen cijfer.",
                       "en": "CBS publishes no figure here."},
    "param_notice": {"nl": "De link bevatte een onbekende of ongeldige waarde voor '{name}' "
                           "({value}); de standaard wordt getoond.",
                     "en": "The link held an unknown or invalid value for '{name}' ({value}); "
                           "showing the default."},
    "no_data_title": {"nl": "Er is nog geen data", "en": "There is no data yet"},
    "no_data_body": {
        "nl": "De warehouse (`{path}`) bestaat nog niet. Bouw hem hier, of op de commandoregel "
              "met `python -m etl build` (offline: `--snapshot MAP` of de omgevingsvariabele "
              "`REM_SNAPSHOT_DIR`, een map met `cbs/` en `geo/`).",
        "en": "The warehouse (`{path}`) does not exist yet. Build it here, or on the command "
              "line with `python -m etl build` (offline: `--snapshot DIR` or the environment "
              "variable `REM_SNAPSHOT_DIR`, a folder holding `cbs/` and `geo/`).",
    },
    "build_now": {"nl": "Data bouwen", "en": "Build data"},
    "build_failed": {"nl": "Bouwen mislukt: {error}", "en": "Build failed: {error}"},
    "build_done": {"nl": "Klaar: {summary}", "en": "Done: {summary}"},
    "download_csv": {"nl": "Download CSV", "en": "Download CSV"},
    "download_xlsx": {"nl": "Download Excel", "en": "Download Excel"},
    "download_png": {"nl": "Download PNG", "en": "Download PNG"},
    # --- levels --------------------------------------------------------------------------
    "level_land": {"nl": "Nederland", "en": "Netherlands"},
    "level_provincie": {"nl": "Provincie", "en": "Province"},
    "level_corop": {"nl": "COROP-gebied", "en": "COROP region"},
    "level_arbeidsmarktregio": {"nl": "Arbeidsmarktregio", "en": "Labour-market region"},
    "level_gemeente": {"nl": "Gemeente", "en": "Municipality"},
    "level_proeftuin": {"nl": "Proeftuin", "en": "Pilot region"},
    "level_custom": {"nl": "Eigen regio", "en": "Custom region"},
}


def current_lang() -> str:
    """The language of this session (set from the URL or the switch)."""
    lang = st.session_state.get("lang", DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, **kwargs) -> str:
    """The text for `key` in the current language, formatted with kwargs."""
    entry = TEXTS.get(key)
    if entry is None:
        return key
    text = entry.get(current_lang()) or entry[DEFAULT_LANG]
    return text.format(**kwargs) if kwargs else text


def pick(values: dict | None, fallback: str = "") -> str:
    """Choose the current language from a {'nl': ..., 'en': ...} pair (or *_nl/_en row)."""
    if not values:
        return fallback
    return values.get(current_lang()) or values.get(DEFAULT_LANG) or fallback


def col(row, name: str) -> str:
    """The current-language column of a row: col(row, 'title') reads title_nl or title_en."""
    value = row.get(f"{name}_{current_lang()}") if hasattr(row, "get") else None
    return value if value else row.get(f"{name}_{DEFAULT_LANG}", "")

TEXTS.update({
    # --- overzicht -----------------------------------------------------------------------
    "overview_headlines": {"nl": "Kerncijfers: {name}", "en": "Key figures: {name}"},
    "overview_profile": {"nl": "Ecosysteemprofiel (score 0-10)",
                         "en": "Ecosystem profile (score 0-10)"},
    "overview_profile_note": {
        "nl": "Score per factor: gemiddelde van de indicatorscores (0 = bij de zwakste 5% "
              "van de gemeenten, 10 = bij de sterkste 5%), laatste jaar per indicator.",
        "en": "Score per factor: mean of the indicator scores (0 = among the weakest 5% of "
              "municipalities, 10 = among the strongest 5%), latest year per indicator.",
    },
    "overview_built": {"nl": "Data gebouwd {built} (UTC) uit {source}.",
                       "en": "Data built {built} (UTC) from {source}."},
})

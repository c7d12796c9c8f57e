"""All UI texts in Dutch (default) and English, and the current language."""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
from collections.abc import Iterator

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
    "page_wijken": {"nl": "Wijken", "en": "Districts"},
    "page_export": {"nl": "Data-export", "en": "Data export"},
    "page_compose": {"nl": "Eigen regio", "en": "Custom region"},
    "source_line": {"nl": "Bron: CBS (StatLine), PDOK; CC BY 4.0. Gebouwd {built}.",
                    "en": "Source: CBS (StatLine), PDOK; CC BY 4.0. Built {built}."},
    # --- shared widgets and messages -----------------------------------------------------
    "region": {"nl": "Regio", "en": "Region"},
    "regions": {"nl": "Regio's", "en": "Regions"},
    "indicator": {"nl": "Indicator", "en": "Indicator"},
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
    "status_unreliable": {
        "nl": "Geen waarde: te weinig werkenden voor een betrouwbaar cijfer (het CBS rondt de "
              "aantallen af op duizendtallen).",
        "en": "No value: too few workers for a reliable figure (CBS rounds the counts to "
              "thousands).",
    },
    "status_incomplete_sum": {
        "nl": "Geen waarde: een totaal telt alleen als alle gemeenten een cijfer hebben; hier "
              "ontbreekt er minstens één.",
        "en": "No value: a total only counts when every municipality has a figure; at least "
              "one is missing here.",
    },
    "status_other_territory": {
        "nl": "Geen waarde: in dit jaar had de regio een andere samenstelling dan de gemeenten "
              "van nu; de variant 'grondgebied 2024' rekent de huidige gemeenten terug.",
        "en": "No value: in this year the region had another membership than today's "
              "municipalities; the variant '2024 territory' back-casts today's municipalities.",
    },
    "low_confidence_mark": {"nl": "samenstelling onzeker", "en": "membership uncertain"},
    "status_other_boundaries": {
        "nl": "Geen waarde: het CBS publiceert dit cijfer voor dit jaar op een andere indeling "
              "van de regio, en een mediaan laat zich niet uit gemeenten optellen.",
        "en": "No value: CBS publishes this figure for this year on another division of the "
              "region, and a median cannot be added up from municipalities.",
    },
    "export_no_value_region": {
        "nl": "Geen waarde: het CBS publiceert hier geen cijfer, of te weinig gemeenten van "
              "de regio hebben er een.",
        "en": "No value: CBS publishes no figure here, or too few of the region's "
              "municipalities have one."},
    "status_missing": {"nl": "Het CBS publiceert hier geen cijfer.",
                       "en": "CBS publishes no figure here."},
    "param_notice": {"nl": "De link bevatte een onbekende of ongeldige waarde voor '{name}' "
                           "({value}); de standaard wordt getoond.",
                     "en": "The link held an unknown or invalid value for '{name}' ({value}); "
                           "showing the default."},
    "no_data_title": {"nl": "Er is nog geen data", "en": "There is no data yet"},
    "no_data_body": {
        "nl": "De database met de cijfers is nog niet gebouwd. Bouw hem hier uit de CBS-gegevens "
              "die met de monitor zijn meegeleverd: dat duurt minder dan een minuut en heeft "
              "geen internet nodig.",
        "en": "The database with the figures has not been built yet. Build it here from the "
              "CBS data shipped with the monitor: it takes less than a minute and needs no "
              "internet connection.",
    },
    "build_now": {"nl": "Data bouwen", "en": "Build data"},
    "build_failed": {"nl": "Bouwen mislukt: {error}", "en": "Build failed: {error}"},
    "app_error": {
        "nl": "Er ging iets mis bij het maken van deze pagina. Probeer het opnieuw of kies een "
              "andere pagina; de beheerder vindt de details in het logboek van de server.",
        "en": "Something went wrong while making this page. Please try again or choose another "
              "page; the administrator finds the details in the server's log.",
    },
    "build_done": {"nl": "Klaar: de cijfers staan klaar.", "en": "Done: the figures are ready."},
    "build_read_only": {
        "nl": "De gegevens kunnen niet worden gebouwd: de server mag niet schrijven in zijn "
              "gegevensmap (alleen-lezen of vol). De beheerder maakt die map schrijfbaar, of "
              "bouwt de gegevens elders en wijst de server daarheen; daarna werkt deze knop.",
        "en": "The data cannot be built: the server may not write in its data folder (read-only "
              "or full). The administrator makes that folder writable, or builds the data "
              "elsewhere and points the server there; then this button works.",
    },
    # app.py: the warehouse file itself fails (the command that repairs it is shown beneath).
    "warehouse_damaged": {
        "nl": "Het gegevensbestand van deze server is beschadigd of onvolledig (leeg, afgebroken "
              "tijdens het kopiëren, of geen database), dus er zijn geen cijfers te tonen. De "
              "beheerder herstelt het door de gegevens opnieuw te bouwen met deze opdracht:",
        "en": "This server's data file is damaged or incomplete (empty, cut off while copying, "
              "or not a database), so there are no figures to show. The administrator repairs "
              "it by building the data again with this command:",
    },
    "warehouse_old": {
        "nl": "Het gegevensbestand van deze server is door een oudere versie van de monitor "
              "gemaakt en mist wat deze pagina nodig heeft. De beheerder maakt het opnieuw met "
              "deze opdracht:",
        "en": "This server's data file was made by an older version of the monitor and lacks "
              "what this page needs. The administrator makes it again with this command:",
    },
    # monitor/budget.py: a heavy export refused (shown under the download button).
    "export_busy_session": {
        "nl": "Er wordt al een groot bestand voor u gemaakt. Wacht tot die download klaar is en "
              "probeer het dan opnieuw.",
        "en": "A large file is already being made for you. Wait until that download is done, "
              "then try again.",
    },
    "export_busy_server": {
        "nl": "De server maakt nu al enkele grote bestanden voor anderen. Probeer het over een "
              "minuut opnieuw, of kies een kleinere selectie.",
        "en": "The server is already making several large files for others. Try again in a "
              "minute, or choose a smaller selection.",
    },
    # A replica behind serve.sh stopped and the balancer moved this browser to another one.
    "session_moved": {
        "nl": "De server die uw sessie bewaarde is weggevallen; u bent overgezet naar een andere "
              "en begint een nieuwe sessie. Wat in de link staat (regio, indicator, jaar, een "
              "samengestelde regio) is bewaard; een geladen bestand of een half gemaakte keuze "
              "buiten de link moet u opnieuw doen.",
        "en": "The server that held your session went away; you were moved to another one and "
              "start a new session. What the link holds (region, indicator, year, a composed "
              "region) is kept; an uploaded file or a choice outside the link must be made again.",
    },
    # --- provenance (monitor/provenance.py): never a filesystem path ----------------------
    "prov_cbs": {"nl": "CBS StatLine", "en": "CBS StatLine"},
    "prov_build_bundle": {"nl": "CBS StatLine, opgehaald op {date} (meegeleverde gegevens)",
                          "en": "CBS StatLine, retrieved on {date} (data shipped with the "
                                "monitor)"},
    "prov_build_snapshot": {"nl": "CBS StatLine, opgehaald op {date} (offline kopie)",
                            "en": "CBS StatLine, retrieved on {date} (offline copy)"},
    "prov_build_live": {"nl": "CBS StatLine (live opgehaald op {date})",
                        "en": "CBS StatLine (retrieved live on {date})"},
    "prov_table": {"nl": "CBS StatLine, tabel {table}", "en": "CBS StatLine, table {table}"},
    "prov_table_bundle": {"nl": "CBS StatLine, tabel {table}, opgehaald op {date} "
                                "(meegeleverde gegevens)",
                          "en": "CBS StatLine, table {table}, retrieved on {date} (data "
                                "shipped with the monitor)"},
    "prov_table_snapshot": {"nl": "CBS StatLine, tabel {table}, opgehaald op {date} "
                                  "(offline kopie)",
                            "en": "CBS StatLine, table {table}, retrieved on {date} (offline "
                                  "copy)"},
    "prov_table_live": {"nl": "CBS StatLine, tabel {table} (live opgehaald op {date})",
                        "en": "CBS StatLine, table {table} (retrieved live on {date})"},
    "col_origin": {"nl": "Herkomst", "en": "Origin"},
    # --- low coverage: which gemeenten have no figure (monitor.maps.missing_phrase) --------
    "missing_one": {"nl": "ontbreekt: {names}", "en": "missing: {names}"},
    "missing_many": {"nl": "ontbreken: {names}", "en": "missing: {names}"},
    "missing_more": {"nl": "{names} en {n} andere", "en": "{names} and {n} more"},
    # --- levels --------------------------------------------------------------------------
    "level_land": {"nl": "Nederland", "en": "Netherlands"},
    "level_provincie": {"nl": "Provincie", "en": "Province"},
    "level_corop": {"nl": "COROP-gebied", "en": "COROP region"},
    "level_arbeidsmarktregio": {"nl": "Arbeidsmarktregio", "en": "Labour-market region"},
    "level_gemeente": {"nl": "Gemeente", "en": "Municipality"},
    "level_proeftuin": {"nl": "Proeftuin", "en": "Pilot region"},
    "level_custom": {"nl": "Eigen regio", "en": "Custom region"},
    "variant_of_pilot": {"nl": "Andere afbakening van de proeftuin",
                         "en": "Other delineation of the pilot region"},
}


_thread = threading.local()


@contextlib.contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Inside: current_lang() is `lang` on this thread. A download is made when clicked, on a
    server thread without the session: its maker runs in the language of the page that
    offered it (and reads no session state, which Streamlit logs as a warning there)."""
    before = getattr(_thread, "lang", None)
    _thread.lang = lang if lang in LANGS else DEFAULT_LANG
    try:
        yield
    finally:
        _thread.lang = before


def current_lang() -> str:
    """The language of this session (set from the URL or the switch); outside the app (a
    script, a notebook) the default. Streamlit is not imported here: the data layer uses this
    module and runs without it."""
    forced = getattr(_thread, "lang", None)
    if forced:
        return forced
    st = sys.modules.get("streamlit")
    lang = st.session_state.get("lang", DEFAULT_LANG) if st is not None else DEFAULT_LANG
    return lang if lang in LANGS else DEFAULT_LANG


class MissingText(KeyError):
    """A text key that is not in the table (raised in tests and with REM_STRICT_TEXTS=1)."""


def strict() -> bool:
    """Whether an unknown key is an error: under pytest, or when asked for. For users it
    shows as the key itself rather than breaking the page."""
    return "PYTEST_CURRENT_TEST" in os.environ or os.environ.get("REM_STRICT_TEXTS") == "1"


def text_of(texts: dict[str, dict[str, str]], key: str, lang: str, **kwargs) -> str:
    """The `lang` text of `key` in a {key: {'nl': ..., 'en': ...}} table, formatted."""
    entry = texts.get(key)
    if entry is None and strict():
        raise MissingText(key)
    entry = entry or {}
    text = entry.get(lang) or entry.get(DEFAULT_LANG) or key
    return text.format(**kwargs) if kwargs else text


def tr(key: str, lang: str, **kwargs) -> str:
    """The text for `key` in a given language (also outside a script run, e.g. when a
    download is made), formatted with kwargs."""
    return text_of(TEXTS, key, lang, **kwargs)


MARKDOWN_SPECIAL = re.compile(r"([\\$*_\[\]`~<>|#])")


def plain_md(text: object) -> str:
    """Text from the warehouse or registry (a region name) made to read literally in
    Streamlit's Markdown: no LaTeX ($), colour or other directives (:red[..]), emphasis, links
    or HTML. Parentheses and colons alone need nothing ('Bergen (NH.)' stays as it is)."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def t(key: str, **kwargs) -> str:
    """The text for `key` in the current language, formatted with kwargs."""
    return tr(key, current_lang(), **kwargs)


def col(row, name: str) -> str:
    """The current-language column of a row: col(row, 'title') reads title_nl or title_en."""
    value = row.get(f"{name}_{current_lang()}") if hasattr(row, "get") else None
    return value if value else row.get(f"{name}_{DEFAULT_LANG}", "")

def gap_reason(row, lang: str | None = None) -> str | None:
    """Why an indicator has no data in this source, in the given (or the session's) language;
    None when it has data."""
    english = row.get("data_gap")
    if not isinstance(english, str):
        return None
    dutch = row.get("data_gap_nl")
    return dutch if (lang or current_lang()) == "nl" and isinstance(dutch, str) else english


# --- releases: pinned links, what changed, Voorlopig (monitor/releases.py, pages/veranderd.py) --
KINDS_NL_EN = {
    "revised": ("Herzien", "Revised", "cijfers herzien", "figures revised"),
    "appeared": ("Nu een cijfer", "Now a figure", "cijfers erbij", "figures added"),
    "disappeared": ("Geen cijfer meer", "No longer a figure", "cijfers vervallen",
                    "figures withdrawn"),
    "restated": ("Herberekend (herindeling)", "Restated (merger)", "cijfers herberekend na "
                 "een herindeling", "figures restated after a merger"),
    "year_added": ("Nieuw jaar", "New year", "nieuwe jaren", "new years"),
    "year_dropped": ("Jaar vervallen", "Year dropped", "vervallen jaren", "dropped years"),
    "status": ("Status gewijzigd", "Status changed", "statuswijzigingen (voorlopig, "
               "definitief)", "status changes (provisional, final)"),
    "method": ("Andere methode", "Method changed", "methodewijzigingen",
               "method changes"),
    "indicator_added": ("Nieuwe indicator", "New indicator", "nieuwe indicatoren",
                        "new indicators"),
    "indicator_removed": ("Indicator vervallen", "Indicator removed", "vervallen indicatoren",
                          "removed indicators"),
    "composition": ("Andere samenstelling", "Composition changed", "regio's anders samengesteld",
                    "regions composed differently"),
    "territory": ("Ander gebied", "Territory changed", "gebiedswijzigingen",
                  "territory changes"),
    "region_added": ("Nieuwe regio", "New region", "nieuwe regio's", "new regions"),
    "region_removed": ("Regio vervallen", "Region removed", "vervallen regio's",
                       "removed regions"),
}
TEXTS.update({f"change_{k}": {"nl": v[0], "en": v[1]} for k, v in KINDS_NL_EN.items()})
TEXTS.update({f"changes_count_{k}": {"nl": "{n} " + v[2], "en": "{n} " + v[3]}
              for k, v in KINDS_NL_EN.items()})
# one of a kind: "1 nieuwe indicator", not "1 nieuwe indicatoren"
TEXTS.update({f"changes_one_{k}": {"nl": "1 " + nl, "en": "1 " + en} for k, (nl, en) in {
    "revised": ("cijfer herzien", "figure revised"),
    "appeared": ("cijfer erbij", "figure added"),
    "disappeared": ("cijfer vervallen", "figure withdrawn"),
    "restated": ("cijfer herberekend na een herindeling", "figure restated after a merger"),
    "year_added": ("nieuw jaar", "new year"),
    "year_dropped": ("vervallen jaar", "dropped year"),
    "status": ("statuswijziging (voorlopig, definitief)", "status change (provisional, final)"),
    "method": ("methodewijziging", "method change"),
    "indicator_added": ("nieuwe indicator", "new indicator"),
    "indicator_removed": ("vervallen indicator", "removed indicator"),
    "composition": ("regio anders samengesteld", "region composed differently"),
    "territory": ("gebiedswijziging", "territory change"),
    "region_added": ("nieuwe regio", "new region"),
    "region_removed": ("vervallen regio", "removed region"),
}.items()})
TEXTS.update({
    "change_detail_method": {"nl": "gewijzigd: {detail}", "en": "changed: {detail}"},
    "change_detail_composition": {"nl": "gemeenten erbij (+) en eraf (−): {detail}",
                                  "en": "municipalities added (+) and removed (−): {detail}"},
    "change_detail_restated": {"nl": "{detail}", "en": "{detail}"},
    "change_detail_territory": {"nl": "{detail}", "en": "{detail}"},
    "change_detail_status": {"nl": "{detail}", "en": "{detail}"},
    "status_word_voorlopig": {"nl": "voorlopig", "en": "provisional"},
    "status_word_definitief": {"nl": "definitief", "en": "final"},
    "status_word_unknown": {"nl": "onbekend", "en": "unknown"},
    "changes_none": {
        "nl": "Niets veranderd: geen cijfer buiten de afronding van het CBS, geen jaar, status, "
              "methode of regio-indeling.",
        "en": "Nothing changed: no figure beyond CBS's rounding, no year, status, method or "
              "region composition."},
    "changes_some": {"nl": "Veranderd: {parts}.", "en": "Changed: {parts}."},
    "changes_unknown": {
        "nl": "Wat er sindsdien precies veranderd is, weten we niet meer: die release en de "
              "lijst van wijzigingen worden niet meer bewaard.",
        "en": "What exactly changed since then is no longer known: that release and its list "
              "of changes are no longer kept."},
    "release_link_title": {"nl": "Link met vaste cijfers", "en": "Link with fixed figures"},
    "release_link_body": {
        "nl": "Deze link toont deze weergave altijd met de cijfers van release {id} ({date}), "
              "ook nadat er nieuwere cijfers zijn gekomen. Een gewone link toont altijd de "
              "nieuwste cijfers.",
        "en": "This link always shows this view with the figures of release {id} ({date}), "
              "also after newer figures have arrived. A plain link always shows the newest "
              "figures."},
    "release_link_none": {
        "nl": "Deze gegevens zijn gebouwd voordat releases werden bijgehouden: bouw ze opnieuw "
              "om een link met vaste cijfers te kunnen geven.",
        "en": "This data was built before releases were recorded: rebuild it to get a link "
              "with fixed figures."},
    "release_pinned_newer": {
        "nl": "Je bekijkt de vaste cijfers van release {id}. Er zijn nieuwere cijfers: "
              "release {new}.",
        "en": "You are looking at the fixed figures of release {id}. Newer figures "
              "exist: release {new}."},
    "release_pinned_current": {
        "nl": "Vaste cijfers van release {id}; dit zijn de nieuwste.",
        "en": "Fixed figures of release {id}; these are the newest."},
    "release_unkept": {
        "nl": "Release {id} wordt niet meer bewaard. Je ziet hieronder de nieuwste cijfers "
              "(release {new}).",
        "en": "Release {id} is no longer kept. Below are the newest figures (release "
              "{new})."},
    "release_show_newest": {"nl": "Nieuwste cijfers bekijken", "en": "Show the newest figures"},
    "release_show_changes": {"nl": "Wat is er veranderd?", "en": "What has changed?"},
    "page_changes": {"nl": "Wat is er veranderd", "en": "What has changed"},
    "changes_title": {"nl": "Wat is er veranderd tussen twee releases",
                      "en": "What changed between two releases"},
    "changes_intro": {
        "nl": "Elke verversing van de gegevens is een release. Hier zie je per regio en "
              "indicator wat er tussen twee releases veranderde: cijfers die meer dan de "
              "afronding van het CBS verschillen, nieuwe en vervallen jaren, voorlopige cijfers "
              "die definitief werden, andere methodes en een andere samenstelling van regio's.",
        "en": "Every refresh of the data is a release. Here you see, per region and indicator, "
              "what changed between two releases: figures that differ beyond CBS's rounding, "
              "new and dropped years, provisional figures that became final, changed methods "
              "and changed region compositions."},
    "changes_from": {"nl": "Van release", "en": "From release"},
    "changes_to": {"nl": "Naar release", "en": "To release"},
    "changes_release_option": {"nl": "{id} (gebouwd {date} UTC){flag}",
                               "en": "{id} (built {date} UTC){flag}"},
    "changes_flag_newest": {"nl": ", nieuwste", "en": ", newest"},
    "changes_flag_gone": {"nl": ", niet meer bewaard", "en": ", no longer kept"},
    "changes_only_one": {
        "nl": "Er is nog maar één release ({id}); na de volgende verversing kun je hier zien "
              "wat er veranderde.",
        "en": "There is only one release so far ({id}); after the next refresh you can see "
              "here what changed."},
    "changes_col_what": {"nl": "Wat", "en": "What"},
    "changes_col_region": {"nl": "Regio", "en": "Region"},
    "changes_col_indicator": {"nl": "Indicator", "en": "Indicator"},
    "changes_col_year": {"nl": "Jaar", "en": "Year"},
    "changes_col_was": {"nl": "Was", "en": "Was"},
    "changes_col_now": {"nl": "Nu", "en": "Now"},
    "changes_col_detail": {"nl": "Toelichting", "en": "Detail"},
    "changes_rounding": {
        "nl": "Een cijfer telt als herzien wanneer het, afgerond zoals het CBS het publiceert "
              "(de decimalen van de indicator), anders is.",
        "en": "A figure counts as revised when it differs once rounded as CBS publishes it "
              "(the indicator's decimals)."},
    "voorlopig_note": {
        "nl": "Voorlopig: het CBS noemt {title} {year} voorlopig; het cijfer kan nog worden "
              "herzien.",
        "en": "Provisional: CBS marks {title} {year} as provisional; the figure may still be "
              "revised."},
    "export_meta_release": {"nl": "Release", "en": "Release"},
    "export_meta_release_link": {"nl": "Link met vaste cijfers", "en": "Link with fixed figures"},
    "note_voorlopig": {"nl": "voorlopig cijfer (CBS)", "en": "provisional figure (CBS)"},
    "col_cbs_status": {"nl": "Status CBS", "en": "CBS status"},
    "col_cbs_status_year": {"nl": "Status CBS {year}", "en": "CBS status {year}"},
    "voorlopig_mark": {"nl": "v", "en": "p"},
    "voorlopig_year": {"nl": "{year} (voorlopig)", "en": "{year} (provisional)"},
    "voorlopig_legend": {
        "nl": "{mark} voorlopig: het CBS noemt dit cijfer voorlopig; het kan nog worden "
              "herzien.",
        "en": "{mark} provisional: CBS marks this figure as provisional; it may still be "
              "revised."},
    "legend_cbs_voorlopig": {
        "nl": "het CBS noemt dit cijfer voorlopig; het kan nog worden herzien",
        "en": "CBS marks this figure as provisional; it may still be revised"},
    "legend_cbs_definitief": {"nl": "het CBS noemt dit cijfer definitief",
                              "en": "CBS marks this figure as final"},
    "legend_cbs_unknown": {
        "nl": "de bron zegt niet of dit cijfer voorlopig of definitief is",
        "en": "the source does not say whether this figure is provisional or final"},
    "export_col_cbs_status_year": {
        "nl": "status van het CBS voor de cijfers van {year} (de kolom met de waarden van dat "
              "jaar)",
        "en": "CBS's status for the figures of {year} (the column with that year's values)"},
    "col_release": {"nl": "Release", "en": "Release"},
    "col_release_link": {"nl": "Link met vaste cijfers", "en": "Link with fixed figures"},
    "export_col_release_link": {
        "nl": "de link met vaste cijfers: opent de pagina met deze keuze (indicator, jaar, "
              "regio's) en precies de cijfers van deze release",
        "en": "the link with fixed figures: opens the page with this choice (indicator, year, "
              "regions) and exactly the figures of this release"},
    "export_col_release": {
        "nl": "de release (gegevensversie) waaruit deze cijfers komen; een link met "
              "release=<deze waarde> toont precies deze cijfers",
        "en": "the release (data version) these figures come from; a link with "
              "release=<this value> shows exactly these figures"},
    "export_col_cbs_status": {
        "nl": "status van het CBS voor dit jaar: voorlopig, definitief of onbekend (de bron "
              "zegt het niet)",
        "en": "CBS's status for this year: provisional, final or unknown (the source does not "
              "say)"},
})

TEXTS.update({
    # --- overzicht -----------------------------------------------------------------------
    "overview_headlines": {"nl": "Kerncijfers: {name}", "en": "Key figures: {name}"},
    "home_do_title": {"nl": "Wat je hier kunt doen", "en": "What you can do here"},
    "home_do_map": {"nl": "Eén cijfer op de kaart, per gemeente of regio.",
                    "en": "One figure on the map, per municipality or region."},
    "home_do_compare": {"nl": "Regio's naast elkaar: scores en cijfers.",
                        "en": "Regions side by side: scores and figures."},
    "home_do_profile": {"nl": "Alles over één regio, met rapport om te downloaden.",
                        "en": "Everything about one region, with a report to download."},
    "home_do_wijken": {"nl": "Kijk in een gemeente of regio: kaart en cijfers per wijk.",
                       "en": "Look inside a municipality or region: map and figures per "
                             "district."},
    "about_fill": {
        "nl": "Tabel {table} mist in {year} {names}: hun {n} afstanden komen uit CBS-tabel "
              "{source}, die dezelfde cijfers publiceert (gelijk voor elke gemeente die beide "
              "tabellen hebben); dat staat overal waar zo'n cijfer wordt getoond.",
        "en": "Table {table} lacks {names} in {year}: their {n} distances come from CBS table "
              "{source}, which publishes the same figures (equal for every municipality both "
              "tables have); this is said wherever such a figure is shown."},
    "profile_wijken_link": {"nl": "De wijken van deze regio: kaart en cijfers per wijk",
                            "en": "The districts of this region: map and figures per district"},
    "export_wijken_link": {
        "nl": "Cijfers per wijk en buurt: op de pagina Wijken, per gemeente of regio te "
              "downloaden",
        "en": "Figures per district and neighbourhood: on the Districts page, to download per "
              "municipality or region"},
    "home_do_compose": {"nl": "Stel je eigen regio samen uit gemeenten.",
                        "en": "Compose your own region from municipalities."},
    "home_do_export": {"nl": "Download de cijfers (CSV, Excel, Parquet).",
                       "en": "Download the figures (CSV, Excel, Parquet)."},
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

TEXTS.update({
    # --- kaart ---------------------------------------------------------------------------
    "map_dark_best": {"nl": "donker = gunstiger", "en": "dark = more favourable"},
    "map_dark_high": {"nl": "donker = hoger", "en": "dark = higher"},
    "map_title": {"nl": "{title}, {year}", "en": "{title}, {year}"},
    "map_source": {"nl": "Bron: CBS, tabel {table}", "en": "Source: CBS, table {table}"},
    "map_highlight": {"nl": "Proeftuin uitlichten", "en": "Highlight a pilot region"},
    "map_highlight_none": {"nl": "geen", "en": "none"},
    "map_pilots_outlined": {"nl": "Proeftuinen (omlijnd)", "en": "Pilot regions (outlined)"},
    "map_members": {"nl": "**{name}** ({n} gemeenten): {members}",
                    "en": "**{name}** ({n} municipalities): {members}"},
    "map_highlight_value": {"nl": "Waarde: {value}; rang {rank} van {n} proeftuinen.",
                            "en": "Value: {value}; rank {rank} of {n} pilot regions."},
    "map_present_value": {"nl": "**{name}: {value}** · rang {rank} van {n} proeftuinen",
                          "en": "**{name}: {value}** · rank {rank} of {n} pilot regions"},
    "map_present_no_value": {"nl": "**{name}**: {reason}", "en": "**{name}**: {reason}"},
    "map_click_hint": {"nl": "Klik op een gebied om het regioprofiel te openen.",
                       "en": "Click an area to open its region profile."},
    "map_open_profile": {"nl": "Open het profiel van", "en": "Open the profile of"},
    "map_open_placeholder": {"nl": "kies een regio…", "en": "choose a region…"},
    "map_table_title": {"nl": "De cijfers achter de kaart", "en": "The figures behind the map"},
    "map_col_rank": {"nl": "Rang (1 = gunstigst)", "en": "Rank (1 = most favourable)"},
    "map_col_rank_neutral": {"nl": "Rang (1 = hoogst)", "en": "Rank (1 = highest)"},
    "map_col_note": {"nl": "Toelichting", "en": "Note"},
    "map_n_missing": {"nl": "{n} van {total} gebieden zonder waarde (grijs).",
                      "en": "{n} of {total} areas without a value (grey)."},
    "map_no_values": {"nl": "Op dit niveau is er voor {year} geen enkele waarde.",
                      "en": "There is no value at all at this level for {year}."},
    "map_status_published": {"nl": "Gepubliceerd door het CBS (niet uit gemeenten opgeteld).",
                             "en": "Published by CBS (not added up from municipalities)."},
    "map_status_estimated": {
        "nl": "Geschat: een bevolkingsaandeel (gesplitste gemeente) zit in dit cijfer.",
        "en": "Estimated: a population share (split municipality) went into this figure.",
    },
    "map_status_not_computable": {
        "nl": "Geen waarde: voor dit jaar ontbreken de gegevens om de gemeentecijfers op te "
              "tellen.",
        "en": "No value: the data needed to add up the municipal figures are lacking for "
              "this year.",
    },
    "map_digital_gap": {
        "nl": "De factor **Digitalisering** heeft in deze bron geen cijfers en staat daarom "
              "niet in de keuzelijst: het CBS publiceert ze alleen live (sector SBI J "
              "'Informatie en communicatie', ICT-beroepen).",
        "en": "The factor **Digitalisation** has no figures in this source and is therefore "
              "not in the list: CBS publishes them only live (sector SBI J 'Information and "
              "communication', ICT occupations).",
    },
})

TEXTS.update({
    # --- over de data --------------------------------------------------------------------
    "about_intro": {
        "nl": "Alle cijfers zijn open data van het CBS (StatLine), per gemeente op de "
              "gemeentelijke indeling van 2024 en van daaruit opgeteld naar regio's. Hieronder "
              "per indicator de definitie, eenheid, bron, dekking en rekenwijze.",
        "en": "All figures are open CBS data (StatLine), per municipality on the 2024 "
              "municipal division and added up from there to regions. Below, per indicator: "
              "definition, unit, source, coverage and how it is computed.",
    },
    "about_method": {"nl": "Rekenwijze en scores", "en": "Method and scores"},
    "about_method_body": {
        "nl": "**Eerst het cijfer van het CBS.** Voor provincies, COROP-gebieden, "
              "arbeidsmarktregio's en Nederland tonen we het eigen cijfer van het CBS "
              "(*gepubliceerd door CBS*) waar het CBS dat in dezelfde tabel publiceert voor "
              "hetzelfde gebied. Het CBS publiceert een regio op de indeling van dat jaar; "
              "we controleren of dat gebied het gebied van 2024 is: Nederland altijd; "
              "2022-2024 met de gemeentelijst van 'Gebieden in Nederland' van dat jaar; "
              "provincies en COROP 2014-2021 met het inwonertal (binnen 0,1%). Bij twijfel "
              "rekenen we uit gemeenten (*berekend uit gemeenten*), zoals voor proeftuinen "
              "en eigen regio's. Het uit gemeenten berekende cijfer blijft in de database "
              "als controle naast het CBS-cijfer; tests houden het verschil per indicator "
              "binnen een vaste grens.\n\n**Optellen uit gemeenten.** Een percentage of "
              "gemiddelde wordt nooit gemiddeld: een regio krijgt Σ teller / Σ noemer. Waar "
              "het CBS een percentage publiceert (bijv. werkloosheid) wegen we dat met de "
              "gepubliceerde noemer. Medianen laten zich niet optellen: die tonen we alleen "
              "waar het CBS ze publiceert. Een totaal (inwoners, banen, woningen) telt "
              "alleen als álle gemeenten een cijfer hebben; een percentage of gemiddelde "
              "als 95% van de inwoners in een gemeente met een cijfer woont (*dekking*). "
              "Anders geen waarde, met de reden.\n\n**Betrouwbaarheid.** Aandelen uit "
              "aantallen die het CBS op duizendtallen afrondt (werkenden met een beroep op "
              "hoog niveau) tonen en scoren we niet voor een gemeente met minder dan 10.000 "
              "werkenden.\n\n**Precisie.** Waarden staan op de precisie van het CBS (WOZ op "
              "1.000 euro, inkomens op 100 euro, percentages op één decimaal); de database "
              "en de lange export houden de volle precisie.\n\n**Herindelingen.** Tabellen "
              "op de indeling van elk jaar zijn omgerekend naar 2024: tellers en noemers "
              "van samengevoegde gemeenten worden opgeteld (*omgerekend*); alleen een "
              "gesplitste gemeente (Littenseradiel, Winsum, Haaren) wordt naar inwoners "
              "verdeeld (*geschat*).\n\n**Breuken in reeksen.** Waar een CBS-reeks van "
              "basis verandert (afstand tot een overstapstation 2019 en 2021, "
              "kinderdagverblijf 2018, mediaan vermogen 2022) tekent Trends een stippellijn "
              "zonder lijn eroverheen, loopt een index er niet overheen en markeren exports "
              "het jaar.\n\n**Proeftuinen door de tijd.** Regio Groningen-Assen heeft haar "
              "7 gemeenten sinds 2019; daarvóór toont de standaardvariant geen waarde. De "
              "variant 'grondgebied 2024' rekent de huidige gemeenten terug, en zegt dat. "
              "De samenstelling van de Gelderse Corridor is onzeker; dat staat bij de "
              "naam.\n\n**Scores (0-10).** Per indicator en jaar de min-max-schaal over "
              "alle gemeenten na afkappen op het 5e en 95e percentiel, omgedraaid waar "
              "lager beter is; elke regio op dezelfde schaal. Een factorscore is het "
              "gewogen gemiddelde van de indicatorscores. Sterk samenhangende maten wegen "
              "samen als één: de drie opleidingsmaten elk een derde; het mediane inkomen "
              "wordt getoond maar niet gescoord. Heeft een regio niet alle indicatoren van "
              "een factor, dan is de score *gedeeltelijk* en staat dat erbij (gearceerd, "
              "met het aantal). Neutrale indicatoren en context tellen niet mee. Opgeteld "
              "en gescoord wordt met één set regels, als macro's opgeslagen in de "
              "database.",
        "en": "**CBS's figure first.** For provinces, COROP regions, labour-market regions "
              "and the Netherlands we show CBS's own figure (*published by CBS*) where CBS "
              "publishes it in the same table for the same area. CBS publishes a region on "
              "the division of that year; we check that this area is the 2024 one: the "
              "Netherlands always; 2022-2024 with the municipality list of that year's "
              "'Gebieden in Nederland'; provinces and COROP 2014-2021 with the population "
              "(within 0.1%). When unsure we calculate from municipalities (*calculated "
              "from municipalities*), as for pilot and custom regions. The figure "
              "calculated from municipalities stays in the warehouse beside CBS's as a "
              "cross-check; tests keep the difference per indicator within a stated "
              "bound.\n\n**Adding up municipalities.** A percentage or average is never "
              "averaged: a region gets Σ numerator / Σ denominator. Where CBS publishes a "
              "rate (e.g. unemployment) we weight it by its published denominator. Medians "
              "do not add up: we show them only where CBS publishes them. A total "
              "(inhabitants, jobs, dwellings) counts only when every municipality has a "
              "figure; a percentage or average when 95% of the inhabitants live in a "
              "municipality with a figure (*coverage*). Otherwise no value, with the "
              "reason.\n\n**Reliability.** Shares built from counts CBS rounds to thousands "
              "(workers in high-skill occupations) are neither shown nor scored for a "
              "municipality with fewer than 10,000 workers.\n\n**Precision.** Values are "
              "shown at CBS's precision (WOZ to EUR 1,000, incomes to EUR 100, percentages "
              "to one decimal); the warehouse and the long export keep full "
              "precision.\n\n**Mergers.** Tables on each year's own division are converted "
              "to 2024: numerators and denominators of merged municipalities are added up "
              "(*converted*); only a split municipality (Littenseradiel, Winsum, Haaren) is "
              "shared out by population (*estimated*).\n\n**Breaks in series.** Where a CBS "
              "series changes basis (distance to a transfer station 2019 and 2021, "
              "childcare 2018, median wealth 2022) Trends draws a dotted line with no line "
              "across it, an index does not run across it and exports flag the "
              "year.\n\n**Pilot regions through time.** Regio Groningen-Assen has had its 7 "
              "municipalities since 2019; before that the default variant shows no value. "
              "The variant '2024 territory' back-casts today's municipalities, and says so. "
              "The membership of the Gelderse Corridor is uncertain; its name says "
              "so.\n\n**Scores (0-10).** Per indicator and year, min-max over all "
              "municipalities after clipping at the 5th and 95th percentile, turned round "
              "where lower is better; every region on the same scale. A factor score is the "
              "weighted mean of its indicator scores. Strongly related measures weigh "
              "together as one: the three education measures a third each; the median "
              "income is shown but not scored. A region lacking an indicator of a factor "
              "gets a *partial* score that says so (hatched, with the count). Neutral "
              "indicators and context are not scored. Aggregation and scoring follow one "
              "set of rules, stored as macros in the warehouse.",
    },
    "about_factors": {"nl": "De factoren van het ecosysteem", "en": "The ecosystem factors"},
    "about_build": {"nl": "Herkomst van deze data", "en": "Provenance of this data"},
    "about_attribution": {
        "nl": "Bron: CBS, StatLine (open data, CC BY 4.0). Grenzen: CBS/PDOK "
              "gebiedsindelingen (CC BY 4.0). Proeftuin-indelingen: samengesteld uit de "
              "openbare opgaven van de regio's zelf; de bron per proeftuin staat in het "
              "regioprofiel onder 'Over deze proeftuin'.",
        "en": "Source: CBS, StatLine (open data, CC BY 4.0). Boundaries: CBS/PDOK "
              "gebiedsindelingen (CC BY 4.0). Pilot-region memberships: compiled from the "
              "regions' own public statements; each pilot region's source is in its profile "
              "under 'About this pilot region'.",
    },
    "col_definition": {"nl": "Definitie", "en": "Definition"},
    "col_source": {"nl": "Bron (CBS-tabel)", "en": "Source (CBS table)"},
    "col_years": {"nl": "Jaren", "en": "Years"},
    "col_coverage_latest": {"nl": "Gemeenten (laatste jaar)", "en": "Municipalities (latest)"},
    "col_aggregation": {"nl": "Optelregel", "en": "Aggregation"},
    "col_direction": {"nl": "Richting", "en": "Direction"},
    "col_note": {"nl": "Kanttekening", "en": "Caveat"},
    "agg_ratio": {"nl": "Σ teller / Σ noemer", "en": "Σ numerator / Σ denominator"},
    "agg_weighted_mean": {"nl": "gewogen gemiddelde", "en": "weighted mean"},
    "agg_sum": {"nl": "som", "en": "sum"},
    "agg_none": {"nl": "niet optelbaar (mediaan)", "en": "not additive (median)"},
    "dir_higher_is_better": {"nl": "hoger is beter", "en": "higher is better"},
    "dir_lower_is_better": {"nl": "lager is beter", "en": "lower is better"},
    "dir_neutral": {"nl": "neutraal", "en": "neutral"},
    "no_data_in_source": {"nl": "geen data in deze bron", "en": "no data in this source"},
    "col_table": {"nl": "Tabel", "en": "Table"},
    "col_title": {"nl": "Titel", "en": "Title"},
    "col_rows": {"nl": "Rijen", "en": "Rows"},
    "col_modified": {"nl": "Gewijzigd door CBS", "en": "Modified by CBS"},
    "col_left_out": {"nl": "Weggelaten", "en": "Left out"},
    "left_out_aggregates": {"nl": "{n} rijen zonder gemeente", "en": "{n} rows of no gemeente"},
    "left_out_early": {"nl": "{n} rijen van gemeenten vóór 2010",
                       "en": "{n} rows of gemeenten before 2010"},
    "about_left_out_note": {
        "nl": "Weggelaten: CBS publiceert ook rijen die bij geen gemeente horen (‘niet in te "
              "delen’, buitenland); die tellen nergens mee. Gemeenten die vóór 2010 zijn "
              "opgeheven staan niet in onze lijst van historische gemeenten (die begint in "
              "2010) en zijn daarom niet op de indeling van 2024 te plaatsen: hun rijen zijn "
              "weggelaten, zodat de regio's van vóór 2010 daar onvolledig kunnen zijn.",
        "en": "Left out: CBS also publishes rows that belong to no gemeente ('niet in te "
              "delen', abroad); they count nowhere. Gemeenten dissolved before 2010 are not in "
              "our list of historic gemeenten (it starts in 2010), so they cannot be placed on "
              "the 2024 division: their rows are left out, and regions before 2010 may be "
              "incomplete there.",
    },
})

TEXTS.update({
    # --- regioprofiel / eigen regio ----------------------------------------------------------
    "variant_default": {"nl": "standaardvariant", "en": "default variant"},
    "factor_no_data": {"nl": "geen data in deze bron", "en": "no data in this source"},
    "note_published": {"nl": "gepubliceerd door CBS", "en": "published by CBS"},
    "note_unreliable": {"nl": "te weinig werkenden voor een betrouwbaar cijfer",
                        "en": "too few workers for a reliable figure"},
    "note_incomplete_sum": {"nl": "totaal onvolledig: niet alle gemeenten hebben een cijfer",
                            "en": "incomplete total: not every municipality has a figure"},
    "note_other_territory": {"nl": "regio had toen een andere samenstelling",
                             "en": "the region had another membership then"},
    "note_other_boundaries": {"nl": "CBS-cijfer op een andere regio-indeling",
                              "en": "CBS figure on another regional division"},
    "note_estimated": {"nl": "geschat", "en": "estimated"},
    "note_converted": {"nl": "omgerekend (herindeling)", "en": "converted (merger)"},
    "note_not_aggregable": {"nl": "mediaan: niet optelbaar", "en": "median: not additive"},
    "note_low_coverage": {"nl": "dekking {coverage:.0%} (< 95%)",
                          "en": "coverage {coverage:.0%} (< 95%)"},
    "note_missing": {"nl": "geen cijfer van het CBS", "en": "no figure from CBS"},
    "note_filled": {"nl": "{names}: cijfer uit CBS-tabel {table}",
                    "en": "{names}: figure from CBS table {table}"},
    "profile_notes_full": {"nl": "Toelichting bij de tabel, voluit",
                           "en": "Notes on the table, in full"},
    "profile_notes_legend": {
        "nl": "Toelichting: *gepubliceerd door CBS*: voor provincies, COROP-gebieden, "
              "arbeidsmarktregio's en Nederland staat het eigen cijfer van het CBS, waar het "
              "CBS dat in dezelfde tabel voor hetzelfde gebied publiceert; anders is het "
              "*berekend uit gemeenten*. *Geschat* (≈): er ging een bevolkingsaandeel "
              "(gesplitste gemeente) in het cijfer. *Omgerekend*: cijfers van heringedeelde "
              "gemeenten zijn opgeteld tot hun opvolger in de indeling van 2024. *Dekking*: "
              "het deel van de inwoners dat in een gemeente met een cijfer woont; onder 95% "
              "wordt geen waarde getoond, en een totaal (inwoners, banen, woningen) alleen als "
              "alle gemeenten een cijfer hebben. Een *mediaan* laat zich niet optellen over "
              "gemeenten: het CBS publiceert hem voor gemeenten en de grotere regio's, niet "
              "voor proeftuinen en eigen regio's. Nederland staat in dezelfde eenheid als de "
              "waarde.",
        "en": "Notes: *published by CBS*: for provinces, COROP regions, labour-market "
              "regions and the Netherlands the figure is CBS's own, where CBS publishes it in "
              "the same table for the same area; otherwise it is *calculated from "
              "municipalities*. *Estimated* (≈): a population share (a split municipality) "
              "went into the figure. *Converted*: figures of merged municipalities are added "
              "up into their successor in the 2024 division. *Coverage*: the share of "
              "inhabitants living in a municipality with a figure; below 95% no value is "
              "shown, and a total (inhabitants, jobs, dwellings) only when every municipality "
              "has a figure. A *median* cannot be added up over municipalities: CBS publishes "
              "it for municipalities and the larger regions, not for pilot regions and custom "
              "regions. The Netherlands is in the same unit as the value.",
    },
    "note_no_figure_for": {"nl": "geen cijfer voor {year}", "en": "no figure for {year}"},
    "profile_level": {"nl": "Niveau", "en": "Level"},
    "profile_members": {"nl": "Gemeenten", "en": "Municipalities"},
    "profile_population": {"nl": "Inwoners (1 jan. 2024)",
                           "en": "Inhabitants (1 Jan 2024)"},
    "profile_variant": {"nl": "Variant", "en": "Variant"},
    "profile_description": {"nl": "Over deze proeftuin", "en": "About this pilot region"},
    "profile_confidence": {"nl": "Zekerheid over de samenstelling: **{level}**",
                           "en": "Confidence in the membership: **{level}**"},
    "confidence_low": {"nl": "laag", "en": "low"},
    "confidence_medium": {"nl": "middel", "en": "medium"},
    "confidence_high": {"nl": "hoog", "en": "high"},
    "profile_confidence_low": {
        "nl": "Let op: de samenstelling van deze proeftuin is onzeker (zekerheid: laag). De "
              "gemeenten zijn een aanname; lees de cijfers als indicatie.",
        "en": "Note: the membership of this pilot region is uncertain (confidence: low). The "
              "municipalities are an assumption; read the figures as indicative.",
    },
    "profile_variants": {"nl": "Andere afbakening van deze proeftuin:",
                         "en": "Other delineation of this pilot region:"},
    "profile_custom_caption": {
        "nl": "Zelf samengestelde regio: de cijfers worden bij het openen uit de gemeenten "
              "berekend, met dezelfde regels als voor elke regio.",
        "en": "Composed region: the figures are computed from its municipalities when opened, "
              "by the same rules as for every region.",
    },
    "profile_edit_custom": {"nl": "Deze eigen regio bewerken", "en": "Edit this custom region"},
    "profile_factors": {"nl": "Ecosysteemprofiel (score 0-10)",
                        "en": "Ecosystem profile (score 0-10)"},
    "profile_all_pilots": {"nl": "Alle proeftuinen tonen", "en": "Show all pilot regions"},
    "profile_chart": {"nl": "Weergave", "en": "Chart"},
    "chart_radar": {"nl": "Radar", "en": "Radar"},
    "chart_bars": {"nl": "Staven", "en": "Bars"},
    "profile_factor_note": {
        "nl": "Score per factor: gemiddelde van de indicatorscores (0 = bij de zwakste 5% van "
              "de gemeenten, 10 = bij de sterkste 5%), laatste jaar per indicator.",
        "en": "Score per factor: mean of the indicator scores (0 = among the weakest 5% of "
              "municipalities, 10 = among the strongest 5%), latest year per indicator.",
    },
    "profile_factor_empty": {
        "nl": "{factors}: geen data in deze bron; geen van de indicatoren heeft cijfers, "
              "dus er is geen score.",
        "en": "{factors}: no data in this source; none of its indicators has figures, so "
              "there is no score.",
    },
    "profile_no_scores": {"nl": "Voor deze regio zijn geen factorscores te berekenen.",
                          "en": "No factor scores can be computed for this region."},
    "profile_indicators": {"nl": "Alle indicatoren", "en": "All indicators"},
    "profile_table_note": {
        "nl": "Per indicator het laatste jaar met een cijfer (kolom Jaar) en Nederland in "
              "hetzelfde jaar. Rang: 1 = best (bij neutrale indicatoren: hoogste) onder de "
              "regio's van hetzelfde niveau; proeftuinen onder de proeftuinen. ≈ = geschat.",
        "en": "Per indicator the latest year with a figure (column Year) and the Netherlands "
              "in the same year. Rank: 1 = best (neutral indicators: highest) among regions "
              "of the same level; pilot regions among the pilot regions. ≈ = estimated.",
    },
    "profile_no_rank_custom": {"nl": "Een eigen regio krijgt geen rang.",
                               "en": "A custom region is not ranked."},
    "profile_col_trend": {"nl": "Verloop", "en": "Trend"},
    "profile_col_years": {"nl": "Jaren", "en": "Years"},
    "profile_col_note": {"nl": "Toelichting", "en": "Note"},
    "profile_col_code": {"nl": "Code", "en": "Code"},
    "profile_col_name": {"nl": "Naam", "en": "Name"},
    "profile_col_population": {"nl": "Inwoners", "en": "Inhabitants"},
    "profile_members_title": {"nl": "Gemeenten in deze regio ({n})",
                              "en": "Municipalities in this region ({n})"},
    # eigen regio
    "compose_intro": {
        "nl": "Stel een regio samen uit gemeenten (indeling 2024). De regio staat in de link "
              "van de pagina: deel die, en elke pagina toont hem als 'Eigen regio', berekend "
              "met dezelfde regels als elke andere regio.",
        "en": "Build a region from municipalities (2024 division). The region is kept in the "
              "page's link: share it, and every page shows it as 'Custom region', computed by "
              "the same rules as any other region.",
    },
    "compose_name": {"nl": "Naam van de regio", "en": "Name of the region"},
    "compose_name_cleaned": {
        "nl": "De naam is opgeschoond tot gewone tekst (alleen letters, cijfers, spaties en "
              "- ' . , ( ) & /): '{name}'.",
        "en": "The name was cleaned to plain text (only letters, digits, spaces and "
              "- ' . , ( ) & /): '{name}'.",
    },
    "compose_start": {"nl": "Begin met de gemeenten van", "en": "Start from the municipalities of"},
    "compose_start_none": {"nl": "(kies een regio)", "en": "(choose a region)"},
    "compose_replace": {"nl": "Vervang de leden", "en": "Replace the members"},
    "compose_add": {"nl": "Voeg toe", "en": "Add"},
    "compose_clear": {"nl": "Alles wissen", "en": "Clear all"},
    "compose_members": {"nl": "Gemeenten", "en": "Municipalities"},
    "compose_members_help": {"nl": "Typ om te zoeken; maximaal {n} gemeenten.",
                             "en": "Type to search; at most {n} municipalities."},
    "compose_empty": {
        "nl": "Nog geen gemeenten gekozen: begin met een bestaande regio, kies gemeenten of "
              "laad een lijst.",
        "en": "No municipalities chosen yet: start from an existing region, pick "
              "municipalities or upload a list.",
    },
    "compose_unknown": {
        "nl": "Onbekende gemeentecodes geweigerd (indeling 2024): {codes}.",
        "en": "Unknown municipality codes refused (2024 division): {codes}.",
    },
    "compose_duplicates": {"nl": "Dubbele gemeenten verwijderd: {codes}.",
                           "en": "Duplicate municipalities removed: {codes}."},
    "compose_summary": {
        "nl": "**{name}** · gemeenten: {n} · inwoners (1 januari 2024): {population}",
        "en": "**{name}** · municipalities: {n} · inhabitants (1 January 2024): {population}",
    },
    "compose_open_profile": {"nl": "Open in Regioprofiel", "en": "Open in Region profile"},
    "compose_open_compare": {"nl": "Open in Vergelijken", "en": "Open in Compare"},
    "compose_upload": {"nl": "Lijst laden (CSV)", "en": "Upload a list (CSV)"},
    "compose_upload_help": {
        "nl": "Eén kolom met gemeentecodes (GM0363 of 0363) of gemeentenamen, één per regel; "
              "een kopregel mag. Namen zoals het CBS ze in 2024 schrijft, of zonder "
              "toevoeging als dat eenduidig is ('Hengelo' voor 'Hengelo (O.)'). Hoofdletters "
              "maken niet uit. Maximaal 100 kB.",
        "en": "One column of municipality codes (GM0363 or 0363) or names, one per line; a "
              "header line is fine. Names as CBS writes them in 2024, or without the suffix "
              "when unambiguous ('Hengelo' for 'Hengelo (O.)'). Case does not matter. At most "
              "100 kB.",
    },
    "upload_too_large": {"nl": "Het bestand is groter dan 100 kB; het is niet gelezen.",
                         "en": "The file is larger than 100 kB; it was not read."},
    "upload_encoding": {
        "nl": "Het bestand is geen leesbare tekst (codering). Sla het op als 'CSV UTF-8'.",
        "en": "The file is not readable text (encoding). Save it as 'CSV UTF-8'.",
    },
    "upload_cp1252": {"nl": "Het bestand is gelezen als Windows-1252 (geen UTF-8).",
                      "en": "The file was read as Windows-1252 (not UTF-8)."},
    "upload_columns": {
        "nl": "Het bestand moet één kolom hebben, maar regel {line} heeft er {n}. Laat alleen "
              "de kolom met codes of namen staan.",
        "en": "The file must have one column, but line {line} has {n}. Keep only the column "
              "of codes or names.",
    },
    "upload_empty": {"nl": "Het bestand bevat geen gemeenten.",
                     "en": "The file holds no municipalities."},
    "upload_found": {"nl": "{n} gemeenten herkend.", "en": "{n} municipalities recognised."},
    "upload_unknown": {"nl": "Niet herkend (geen gemeente in 2024): {entries}.",
                       "en": "Not recognised (no municipality in 2024): {entries}."},
    "upload_ambiguous": {
        "nl": "'{entry}' past bij meer dan één gemeente ({options}); gebruik de volledige "
              "naam of de code.",
        "en": "'{entry}' matches more than one municipality ({options}); use the full name "
              "or the code.",
    },
    "upload_duplicates": {"nl": "Dubbel in de lijst (één keer meegenomen): {entries}.",
                          "en": "Listed twice (taken once): {entries}."},
    "upload_replace": {"nl": "Gebruik deze lijst", "en": "Use this list"},
    "upload_add": {"nl": "Voeg deze lijst toe", "en": "Add this list"},
})

TEXTS.update({
    # --- vergelijken / trends ------------------------------------------------------------
    "compare_title": {"nl": "Regio's vergelijken", "en": "Compare regions"},
    "compare_intro": {
        "nl": "Zet 2 tot 12 regio's naast elkaar: proeftuinen, provincies, COROP-gebieden, "
              "arbeidsmarktregio's, gemeenten of een eigen regio. Nederland staat er steeds "
              "bij als referentie.",
        "en": "Put 2 to 12 regions side by side: pilot regions, provinces, COROP regions, "
              "labour-market regions, municipalities or a custom region. The Netherlands is "
              "always shown for reference.",
    },
    "compare_too_few": {
        "nl": "Kies minstens twee regio's om te vergelijken (hierboven, maximaal twaalf).",
        "en": "Choose at least two regions to compare (above, at most twelve).",
    },
    "compare_factors_title": {"nl": "Factorscores per regio (0-10)",
                              "en": "Factor scores per region (0-10)"},
    "compare_factors_note": {
        "nl": "Donkerder = gunstiger. Een score is het gemiddelde van de indicatorscores van "
              "een factor, 0-10 over alle gemeenten; *: gedeeltelijke score (niet elke "
              "indicator heeft een cijfer); '–': geen score, de reden staat hieronder.",
        "en": "Darker = more favourable. A score is the mean of a factor's indicator scores, "
              "0-10 over all municipalities; *: partial score (not every indicator has a "
              "figure); '–': no score, the reason is given below."},
    "factor_no_score": {
        "nl": "geen score: geen van de indicatoren heeft een waarde voor deze regio",
        "en": "no score: none of the indicators has a value for this region"},
    "factor_no_score_members": {
        "nl": "geen score: te weinig dekking (minder dan 95% van de inwoners in gemeenten met "
              "een cijfer); {names}",
        "en": "no score: too little coverage (less than 95% of the inhabitants in "
              "municipalities with a figure); {names}"},
    "compare_all_pilots": {"nl": "Alle proeftuinen", "en": "All pilot regions"},
    "compare_table_title": {"nl": "Alle indicatoren, laatste jaar",
                            "en": "All indicators, latest year"},
    "compare_table_note": {
        "nl": "Elke indicator in het laatste jaar met cijfers (kolom Jaar); de eenheid staat "
              "bij de indicator. Kleur: score 0-10 ten opzichte van alle gemeenten, van licht "
              "(bij de zwakste 5%) tot donkerblauw (bij de sterkste 5%); waar lager beter is, "
              "is dat al verrekend. Geen kleur: contextindicator zonder score. – : geen waarde "
              "(een mediaan laat zich niet optellen over gemeenten, of te weinig dekking).",
        "en": "Each indicator in its latest year with figures (column Year); the unit is given "
              "with the indicator. Colour: score 0-10 against all municipalities, from light "
              "(among the weakest 5%) to dark blue (among the strongest 5%); where lower is "
              "better this is already taken into account. No colour: context indicator without "
              "a score. – : no value (a median cannot be added up over municipalities, or too "
              "little coverage).",
    },
    "compare_indicator_label": {"nl": "{title} ({unit})", "en": "{title} ({unit})"},
    "compare_bars_title": {"nl": "Eén indicator per regio", "en": "One indicator per region"},
    "compare_bars_note": {"nl": "Grijs en stippellijn: Nederland. Eenheid: {unit}; {year}.",
                          "en": "Grey and dashed line: the Netherlands. Unit: {unit}; {year}."},
    "compare_no_value_for": {"nl": "Geen waarde voor {names}.", "en": "No value for {names}."},
    "compare_scatter_title": {"nl": "Twee indicatoren tegen elkaar",
                              "en": "Two indicators against each other"},
    "compare_scatter_intro": {
        "nl": "x-as: de indicator en het jaar van de staafgrafiek hierboven; y-as: kies hier.",
        "en": "x axis: the indicator and year of the bar chart above; y axis: choose here.",
    },
    "compare_indicator_y": {"nl": "Indicator (y-as)", "en": "Indicator (y axis)"},
    "compare_scatter_background": {"nl": "Toon alle regio's van dit niveau ({level}) in grijs",
                                   "en": "Show all regions of this level ({level}) in grey"},
    "compare_scatter_others": {"nl": "Overige regio's: {level}", "en": "Other regions: {level}"},
    "compare_scatter_note": {
        "nl": "Bolgrootte (oppervlak): inwoners op 1 januari 2024. Stippellijnen: Nederland. "
              "Jaar x-as: {x_year}; y-as: {y_year} (het gekozen jaar, of het laatste jaar "
              "ervoor met cijfers).",
        "en": "Bubble size (area): inhabitants on 1 January 2024. Dashed lines: the Netherlands. "
              "Year x axis: {x_year}; y axis: {y_year} (the chosen year, or the latest year "
              "before it with figures).",
    },
    "compare_axis": {"nl": "{title} ({unit}), {year}", "en": "{title} ({unit}), {year}"},
    "trends_title": {"nl": "Trends", "en": "Trends"},
    "trends_intro": {
        "nl": "Het verloop van een indicator door de jaren, in waarden of als index "
              "(basisjaar = 100), voor de gekozen regio's naast Nederland.",
        "en": "An indicator over the years, as values or as an index (base year = 100), for "
              "the chosen regions beside the Netherlands.",
    },
    "trends_no_regions": {"nl": "Kies minstens één regio.", "en": "Choose at least one region."},
    "trends_mode": {"nl": "Weergave", "en": "Show"},
    "trends_mode_value": {"nl": "Waarden", "en": "Values"},
    "trends_mode_index": {"nl": "Index (basisjaar = 100)", "en": "Index (base year = 100)"},
    "trends_base": {"nl": "Basisjaar", "en": "Base year"},
    "trends_base_help": {
        "nl": "Alleen jaren waarin elke gekozen regio een waarde heeft.",
        "en": "Only years in which every chosen region has a value.",
    },
    "trends_index_axis": {"nl": "Index ({base} = 100)", "en": "Index ({base} = 100)"},
    "trends_no_data": {
        "nl": "Geen waarden voor deze indicator in de gekozen regio's.",
        "en": "No values for this indicator in the chosen regions.",
    },
    "trends_break_marker": {"nl": "breuk", "en": "break"},
    "sens_title": {"nl": "Hoe gevoelig is de rangorde?", "en": "How sensitive is the ranking?"},
    "sens_intro": {
        "nl": "Per factor: de plaats (1 = hoogste score) en de score van elke regio onder de "
              "standaardgewichten, gelijke gewichten, uw eigen gewichten en met telkens één "
              "indicator weggelaten. Verschuift de volgorde sterk, lees de factorscore dan "
              "met voorzichtigheid.",
        "en": "Per factor: the place (1 = highest score) and the score of each region under "
              "the default weights, equal weights, your own weights and with each indicator "
              "left out in turn. If the order moves a lot, read the factor score with care.",
    },
    "sens_default": {"nl": "standaardgewichten (standaard)", "en": "default weights (default)"},
    "sens_equal": {"nl": "gelijke gewichten", "en": "equal weights"},
    "sens_scenario": {"nl": "Weging", "en": "Weighting"},
    "sens_own": {"nl": "uw eigen gewichten", "en": "your own weights"},
    "sens_without": {"nl": "zonder {indicator}", "en": "without {indicator}"},
    "sens_own_weights": {"nl": "Eigen gewichten instellen", "en": "Set your own weights"},
    "sens_weight_label": {"nl": "{indicator} (standaard {default})",
                          "en": "{indicator} (default {default})"},
    "sens_note": {
        "nl": "Cel: plaats (score 0-10). Uw gewichten staan in de link van deze pagina; de "
              "standaardgewichten staan op de pagina Over de data.",
        "en": "Cell: place (score 0-10). Your weights are kept in this page's link; the "
              "default weights are on the About the data page.",
    },
    "factor_partial": {
        "nl": "gedeeltelijk: {n} van {m} indicatoren (gearceerd)",
        "en": "partial: {n} of {m} indicators (hatched)",
    },
    "factor_years": {"nl": "cijfers uit {years}", "en": "figures from {years}"},
    "factor_partial_note": {
        "nl": "Gearceerde balk: gedeeltelijke score, niet alle indicatoren van de factor hebben "
              "een cijfer voor deze regio (gewicht en jaren per indicator: zie de tabellen "
              "hieronder).",
        "en": "Hatched bar: partial score, not every indicator of the factor has a figure for "
              "this region (weights and years per indicator: see the tables below).",
    },
    "trends_break_note": {
        "nl": "Breuk in de reeks vanaf {year} (stippellijn; geen lijn eroverheen, en een index "
              "loopt er niet overheen): {reason}",
        "en": "Break in the series from {year} (dotted line; no line across it, and an index "
              "does not run across it): {reason}",
    },
    "trends_gaps_note": {
        "nl": "Een jaar zonder cijfer blijft open in de lijn: er wordt niet geïnterpoleerd.",
        "en": "A year without a figure stays open in the line: nothing is interpolated.",
    },
    "trends_flags_marker": {
        "nl": "Open rondjes: omgerekende of geschatte waarden.",
        "en": "Hollow markers: converted or estimated values.",
    },
    "trends_converted": {
        "nl": "Omgerekend naar de gemeentelijke indeling van 2024 (herindeling): {items}.",
        "en": "Converted to the 2024 municipal division (municipal merger): {items}.",
    },
    "trends_estimated": {
        "nl": "Geschat (gedeeld naar bevolking bij een gemeentesplitsing, of dekking onder "
              "100%): {items}.",
        "en": "Estimated (shared out by population where a municipality was split, or "
              "coverage below 100%): {items}.",
    },
    "trends_no_base": {"nl": "Geen waarde in {base}, dus geen index voor: {names}.",
                       "en": "No value in {base}, so no index for: {names}."},
    "trends_no_value": {"nl": "Geen waarden voor: {names}.", "en": "No values for: {names}."},
    "trends_table_title": {"nl": "De cijfers in de grafiek", "en": "The figures in the chart"},
    "trends_table_unit": {"nl": "Eenheid: {unit}. – : geen waarde.",
                          "en": "Unit: {unit}. – : no value."},
})

TEXTS.update({
    # --- export ----------------------------------------------------------------------------
    "export_intro": {
        "nl": "Neem de cijfers mee: kies regio's (hele niveaus of losse regio's, ook "
              "proeftuinvarianten en je eigen regio), indicatoren en jaren, en download één "
              "bestand in lang formaat: een rij per regio, indicator en jaar.",
        "en": "Take the numbers with you: choose regions (whole levels or single regions, pilot "
              "variants and your custom region included), indicators and years, and download "
              "one long-format file: a row per region, indicator and year.",
    },
    "export_levels": {"nl": "Hele niveaus", "en": "Whole levels"},
    "export_levels_help": {
        "nl": "Alle regio's van een niveau; bij proeftuinen ook alle varianten.",
        "en": "Every region of a level; for pilot regions every variant too.",
    },
    "export_levels_placeholder": {"nl": "Bijv. alle gemeenten", "en": "E.g. every municipality"},
    "export_regions": {"nl": "Losse regio's", "en": "Single regions"},
    "export_regions_placeholder": {"nl": "Zoek een regio", "en": "Search a region"},
    "export_indicators": {"nl": "Indicatoren", "en": "Indicators"},
    "export_all": {"nl": "Alle", "en": "All"},
    "export_none": {"nl": "Geen", "en": "None"},
    "export_years": {"nl": "Jaren", "en": "Years"},
    "export_format": {"nl": "Bestandsformaat", "en": "File format"},
    "export_format_csv": {"nl": "CSV", "en": "CSV"},
    "export_format_xlsx": {"nl": "Excel", "en": "Excel"},
    "export_format_parquet": {"nl": "Parquet", "en": "Parquet"},
    "export_empty": {"nl": "Kies hierboven ten minste één regio (of een heel niveau) en één "
                           "indicator; dan verschijnen hier een voorbeeld en de downloadknop.",
                     "en": "Choose at least one region (or a whole level) and one indicator "
                           "above; a preview and the download button then appear here."},
    "export_empty_regions": {"nl": "Kies ten minste één regio of een heel niveau.",
                             "en": "Choose at least one region or a whole level."},
    "export_empty_indicators": {"nl": "Kies ten minste één indicator.",
                                "en": "Choose at least one indicator."},
    "export_no_rows": {"nl": "Voor deze keuze zijn er geen cijfers in deze jaren.",
                       "en": "There are no figures for this choice in these years."},
    "export_too_many": {
        "nl": "Deze keuze geeft {n} rijen; een export is ten hoogste {most} rijen (de hele "
              "database past). Kies minder regio's, indicatoren of jaren.",
        "en": "This choice gives {n} rows; an export holds at most {most} rows (the whole "
              "warehouse fits). Choose fewer regions, indicators or years.",
    },
    "export_count": {"nl": "**Rijen: {rows}** · regio's: {regions} · indicatoren: {indicators} · "
                           "jaren: {first}–{last}",
                     "en": "**Rows: {rows}** · regions: {regions} · indicators: {indicators} · "
                           "years: {first}–{last}"},
    "export_preview": {"nl": "Voorbeeld: de eerste {n} rijen.",
                       "en": "Preview: the first {n} rows."},
    "export_xlsx_too_many": {
        "nl": "Deze keuze geeft {n} rijen; een Excel-bestand is ten hoogste {most} rijen, zodat "
              "het maken ervan niemand anders ophoudt. Kies minder regio's, indicatoren of "
              "jaren, of kies CSV of Parquet (tot {all} rijen).",
        "en": "This choice gives {n} rows; an Excel file holds at most {most} rows, so that "
              "making it holds up no one else. Choose fewer regions, indicators or years, or "
              "choose CSV or Parquet (up to {all} rows).",
    },
    "export_licence_note": {
        "nl": "Bron: CBS, StatLine (CC BY 4.0); grenzen CBS/PDOK (CC BY 4.0). Vermeld de bron "
              "als je de cijfers gebruikt. Het Excel-bestand heeft een tabblad 'Bronnen en "
              "definities' met per indicator de definitie, de CBS-tabel en de optelregel.",
        "en": "Source: CBS, StatLine (CC BY 4.0); boundaries CBS/PDOK (CC BY 4.0). Credit the "
              "source when you use the figures. The Excel file has a sheet 'Sources and "
              "definitions' with each indicator's definition, CBS table and aggregation rule.",
    },
    "export_n_indicators": {"nl": "{n}-indicatoren", "en": "{n}-indicators"},
    "export_button_csv": {"nl": "Download als CSV", "en": "Download as CSV"},
    "export_button_xlsx": {"nl": "Download als Excel", "en": "Download as Excel"},
    "export_button_parquet": {"nl": "Download als Parquet", "en": "Download as Parquet"},
    "export_help_csv": {
        "nl": "Standaard-CSV (RFC 4180) voor Python, R, DuckDB of een statistiekpakket: komma "
              "als scheidingsteken, decimale punt, UTF-8 zonder BOM, één kopregel met "
              "machineleesbare kolomnamen. Het bestand 'Beschrijving' legt elke kolom uit.",
        "en": "Standard CSV (RFC 4180) for Python, R, DuckDB or a statistics package: comma "
              "separator, decimal point, UTF-8 without BOM, one header row with "
              "machine-readable column names. The 'Description' file explains every column.",
    },
    "export_button_csv_excel": {"nl": "Download als CSV voor Excel",
                                "en": "Download as CSV for Excel"},
    "export_help_csv_excel": {
        "nl": "CSV voor Nederlandse Excel: puntkomma als scheidingsteken, decimale komma, "
              "UTF-8 met BOM (zodat Excel 'Fryslân' goed leest), kolomnamen in het Nederlands.",
        "en": "CSV for Excel: comma separator, decimal point, UTF-8 with BOM (so that Excel "
              "reads 'Fryslân' correctly), column names in English.",
    },
    "export_button_datapackage": {"nl": "Download de beschrijving (JSON)",
                                  "en": "Download the description (JSON)"},
    "export_help_datapackage": {
        "nl": "Machineleesbare beschrijving van de standaard-CSV (Frictionless Data Package): "
              "kolommen, typen, eenheden, definities, CBS-tabellen, licentie, build en de "
              "betekenis van elke status. Zet hem naast de CSV; `frictionless validate` "
              "controleert ze samen.",
        "en": "Machine-readable description of the standard CSV (Frictionless Data Package): "
              "columns, types, units, definitions, CBS tables, licence, build and the meaning "
              "of every status. Keep it beside the CSV; `frictionless validate` checks both.",
    },
    "export_format_csv_excel": {"nl": "CSV voor Excel", "en": "CSV for Excel"},
    "export_help_xlsx": {
        "nl": "De cijfers van deze tabel als Excel-bestand, met een tabblad 'Bronnen en "
              "definities' (definities, CBS-tabellen, optelregels, bouwdatum, licentie).",
        "en": "The figures of this table as an Excel file, with a sheet 'Sources and "
              "definitions' (definitions, CBS tables, aggregation rules, build date, licence).",
    },
    "export_help_parquet": {
        "nl": "Parquet: getypeerde kolommen voor Python, R of DuckDB.",
        "en": "Parquet: typed columns for Python, R or DuckDB.",
    },
    "export_sheet_data": {"nl": "Data", "en": "Data"},
    "export_sheet_sources": {"nl": "Bronnen en definities", "en": "Sources and definitions"},
    "export_src_title": {"nl": "Titel", "en": "Title"},
    "export_src_definition": {"nl": "Definitie", "en": "Definition"},
    "export_src_unit": {"nl": "Eenheid", "en": "Unit"},
    "export_src_table": {"nl": "CBS-tabel", "en": "CBS table"},
    "export_src_link": {"nl": "StatLine", "en": "StatLine"},
    "export_src_aggregation": {"nl": "Optelregel voor regio's", "en": "Aggregation to regions"},
    "export_src_caveat": {"nl": "Kanttekening", "en": "Caveat"},
    "export_agg_ratio": {
        "nl": "Σ teller / Σ noemer over de gemeenten van de regio",
        "en": "Σ numerator / Σ denominator over the region's municipalities",
    },
    "export_agg_weighted_mean": {
        "nl": "gewogen gemiddelde van de gemeentecijfers (gewicht: het door het CBS "
              "gepubliceerde aantal)",
        "en": "weighted mean of the municipal figures (weight: the count CBS publishes)",
    },
    "export_agg_sum": {"nl": "som over de gemeenten", "en": "sum over the municipalities"},
    "export_agg_none": {
        "nl": "niet optelbaar (mediaan): alleen het cijfer dat het CBS zelf publiceert",
        "en": "not additive (median): only the figure CBS itself publishes",
    },
    "export_caveat_median": {
        "nl": "Een mediaan laat zich niet optellen: proeftuinen en eigen regio's hebben geen "
              "waarde.",
        "en": "A median does not add up: pilot and custom regions have no value.",
    },
    "export_meta_licence": {"nl": "Bron en licentie", "en": "Source and licence"},
    "export_licence": {
        "nl": "Bron: CBS, StatLine (CC BY 4.0); grenzen CBS/PDOK (CC BY 4.0)",
        "en": "Source: CBS, StatLine (CC BY 4.0); boundaries CBS/PDOK (CC BY 4.0)",
    },
    "export_meta_built": {"nl": "Data gebouwd op (UTC)", "en": "Data built on (UTC)"},
    "export_meta_source": {"nl": "Bron van de build", "en": "Source of the build"},
    "export_meta_code": {"nl": "Codeversie", "en": "Code version"},
    "export_meta_boundaries": {"nl": "Gebiedsindeling", "en": "Boundaries"},
    "export_boundaries": {"nl": "gemeentelijke indeling {year}",
                          "en": "municipal division of {year}"},
    "export_meta_exported": {"nl": "Geëxporteerd op", "en": "Exported on"},
    "export_meta_columns": {"nl": "Kolommen", "en": "Columns"},
    "export_col_coverage": {
        "nl": "aandeel (0-1) van de inwoners van de regio dat in een gemeente met een cijfer "
              "woont; onder 0,95 geen waarde",
        "en": "share (0-1) of the region's inhabitants living in a municipality with a figure; "
              "below 0.95 no value",
    },
    "export_col_estimated": {
        "nl": "geschat: gedeeld naar bevolking bij een gemeentesplitsing",
        "en": "estimated: shared out by population where a municipality was split",
    },
    "export_col_break": {
        "nl": "breuk in de reeks: vanaf dit jaar een andere basis bij het CBS, niet "
              "vergelijkbaar met het jaar ervoor",
        "en": "break in the series: from this year on another basis at CBS, not comparable "
              "with the year before",
    },
    "export_col_source": {
        "nl": "published: gepubliceerd door CBS (het eigen cijfer van het CBS voor deze regio); "
              "aggregated: berekend uit gemeenten",
        "en": "published: published by CBS (CBS's own figure for this region); aggregated: "
              "calculated from municipalities",
    },
    "export_col_converted": {
        "nl": "omgerekend naar de gemeentelijke indeling van 2024 (herindeling)",
        "en": "converted to the 2024 municipal division (municipal merger)",
    },
    "export_col_status": {
        "nl": "ok; published (gepubliceerd door CBS); low_coverage (geen waarde: dekking "
              "onder 0,95); incomplete_sum (geen waarde: een totaal zonder alle gemeenten); "
              "unreliable (geen waarde: te kleine aantallen); other_boundaries (geen waarde: "
              "CBS-mediaan op een andere indeling); missing (het CBS publiceert geen cijfer)",
        "en": "ok; published (published by CBS); low_coverage (no value: coverage below 0.95); "
              "incomplete_sum (no value: a total without every municipality); unreliable (no "
              "value: counts too small); other_boundaries (no value: CBS median on another "
              "division); missing (CBS publishes no figure)",
    },
    "export_col_score": {
        "nl": "score 0-10 ten opzichte van alle gemeenten (5e-95e percentiel); waar lager "
              "beter is, omgedraaid",
        "en": "score 0-10 against all municipalities (5th-95th percentile); turned round where "
              "lower is better",
    },
    "export_col_unit": {"nl": "eenheid van de waarde op deze rij",
                        "en": "unit of the value on this row"},
    "export_col_rank": {"nl": "rang onder de regio's van dit niveau",
                        "en": "rank among the regions of this level"},
})

TEXTS.update({
    # --- figures / report ----------------------------------------------------------------
    "fig_download_png": {"nl": "Download als PNG", "en": "Download as PNG"},
    "fig_download_help": {
        "nl": "Een afbeelding met titel, legenda, bron en datum: voor een presentatie, een "
              "verslag of de muur.",
        "en": "A picture with title, legend, source and date: for a presentation, a report "
              "or the wall.",
    },
    "fig_source": {"nl": "Bron: CBS, tabel {tables} (StatLine); CC BY 4.0",
                   "en": "Source: CBS, table {tables} (StatLine); CC BY 4.0"},
    "fig_source_all": {"nl": "Bron: CBS (StatLine), open data; CC BY 4.0",
                       "en": "Source: CBS (StatLine), open data; CC BY 4.0"},
    "fig_built": {"nl": "data gebouwd {built}", "en": "data built {built}"},
    "fig_made": {"nl": "gemaakt {made}", "en": "made {made}"},
    "fig_map_subtitle": {"nl": "Per {level} · {unit}", "en": "By {level} · {unit}"},
    "fig_profile_title": {"nl": "Ecosysteemprofiel: {name}", "en": "Ecosystem profile: {name}"},
    "fig_profile_subtitle": {
        "nl": "Score per factor, 0-10 (10 = bij de sterkste 5% van de gemeenten), naast Nederland",
        "en": "Score per factor, 0-10 (10 = among the strongest 5% of municipalities), beside "
              "the Netherlands",
    },
    "fig_file_map": {"nl": "kaart", "en": "map"},
    "fig_file_profile": {"nl": "ecosysteemprofiel", "en": "ecosystem_profile"},
    "fig_alt_map": {
        "nl": "Kaart van Nederland per {level}: {title}, {year}, in kleurklassen (donker = "
              "{hint}). De cijfers staan in de tabel onder de kaart.",
        "en": "Map of the Netherlands by {level}: {title}, {year}, in colour classes (dark = "
              "{hint}). The figures are in the table below the map.",
    },
    "fig_alt_profile": {
        "nl": "Staafdiagram: score per ecosysteemfactor (0-10) van {name} en Nederland. De "
              "cijfers staan in de tabel eronder.",
        "en": "Bar chart: score per ecosystem factor (0-10) of {name} and the Netherlands. The "
              "figures are in the table below it.",
    },
    "fig_file_factors": {"nl": "factorscores", "en": "factor_scores"},
    "fig_file_bars": {"nl": "vergelijking", "en": "comparison"},
    "fig_file_scatter": {"nl": "spreiding", "en": "scatter"},
    "fig_factors_subtitle": {
        "nl": "Score per factor, 0-10 (10 = bij de sterkste 5% van de gemeenten); donkerder = "
              "gunstiger; –: geen data in deze bron",
        "en": "Score per factor, 0-10 (10 = among the strongest 5% of municipalities); darker = "
              "more favourable; –: no data in this source",
    },
    "fig_scatter_title": {"nl": "{x} en {y}", "en": "{x} and {y}"},
    "fig_scatter_subtitle": {
        "nl": "Bolgrootte (oppervlak): inwoners op 1 januari 2024 · stippellijnen: Nederland",
        "en": "Bubble size (area): inhabitants on 1 January 2024 · dashed lines: the "
              "Netherlands",
    },
    "fig_hint_best": {"nl": "gunstiger", "en": "more favourable"},
    "fig_hint_high": {"nl": "hoger", "en": "higher"},
    "overview_scores_table": {"nl": "De scores in de grafiek", "en": "The scores in the chart"},
    "present_controls": {"nl": "Instellingen", "en": "Settings"},
    "present_exit": {"nl": "Presentatie verlaten", "en": "Leave presentation"},
    "report_button": {"nl": "Regiorapport (HTML)", "en": "Region report (HTML)"},
    "report_help": {
        "nl": "Eén zelfstandig HTML-bestand met het profiel van deze regio: opent zonder "
              "internet in elke browser en drukt netjes af als PDF.",
        "en": "One self-contained HTML file with this region's profile: opens without the "
              "internet in any browser and prints cleanly to PDF.",
    },
    "report_file": {"nl": "regiorapport", "en": "region_report"},
    "report_button_pdf": {"nl": "Regiorapport (PDF)", "en": "Region report (PDF)"},
    "report_help_pdf": {
        "nl": "Hetzelfde rapport als PDF, om bij een agenda te voegen of af te drukken.",
        "en": "The same report as a PDF, to attach to an agenda or to print.",
    },
    "report_statline_pdf": {
        "nl": "Elke tabel staat op CBS StatLine ({url}) onder haar tabelnummer.",
        "en": "Each table is on CBS StatLine ({url}) under its table number.",
    },
    "report_title": {"nl": "Regiorapport: {name}", "en": "Region report: {name}"},
    "report_level": {"nl": "Niveau", "en": "Level"},
    "report_members": {"nl": "Gemeenten", "en": "Municipalities"},
    "report_population": {"nl": "Inwoners (1 januari 2024)",
                          "en": "Inhabitants (1 January 2024)"},
    "report_built": {"nl": "Data gebouwd", "en": "Data built"},
    "report_made": {"nl": "Rapport gemaakt", "en": "Report made"},
    "report_cooperation": {"nl": "Samenwerking", "en": "Cooperation"},
    "report_confidence": {"nl": "Zekerheid van de indeling", "en": "Confidence in the membership"},
    "report_composed": {
        "nl": "Een zelf samengestelde regio: de naam en de gemeenten zijn door de gebruiker "
              "gekozen; de cijfers zijn met dezelfde regels opgeteld als elke regio.",
        "en": "A region composed by the user, who chose its name and municipalities; its "
              "figures are added up by the same rules as every region.",
    },
    "report_contents": {"nl": "Inhoud", "en": "Contents"},
    "report_print_hint": {"nl": "Afdrukken of bewaren als PDF: Ctrl+P (Mac: Cmd+P).",
                          "en": "Print or save as PDF: Ctrl+P (Mac: Cmd+P)."},
    "report_factors": {"nl": "Ecosysteemfactoren (score 0-10)",
                       "en": "Ecosystem factors (score 0-10)"},
    "report_factors_intro": {
        "nl": "Score per factor: het gemiddelde van de indicatorscores (0 = bij de zwakste 5% "
              "van de gemeenten, 10 = bij de sterkste 5%), in het laatste jaar van elke "
              "indicator; naast Nederland en de andere proeftuinen (standaardindeling).",
        "en": "Score per factor: the mean of the indicator scores (0 = among the weakest 5% of "
              "municipalities, 10 = among the strongest 5%), in each indicator's latest year; "
              "beside the Netherlands and the other pilot regions (default variants).",
    },
    "report_factors_alt": {
        "nl": "Puntdiagram van de factorscores: {name} (blauw), Nederland (donkere ruit) en de "
              "andere proeftuinen (grijs). De cijfers staan in de tabel eronder.",
        "en": "Dot plot of the factor scores: {name} (blue), the Netherlands (dark diamond) "
              "and the other pilot regions (grey). The figures are in the table below.",
    },
    "report_others": {"nl": "andere proeftuinen", "en": "other pilot regions"},
    "report_indicators": {"nl": "Kerncijfers", "en": "Key figures"},
    "report_indicators_intro": {
        "nl": "Laatste jaar van elke indicator, naast Nederland en de andere proeftuinen. "
              "– : geen waarde (bijvoorbeeld minder dan 95% dekking, of een mediaan die zich "
              "niet laat optellen). ≈ : geschat.",
        "en": "Each indicator's latest year, beside the Netherlands and the other pilot "
              "regions. – : no value (e.g. coverage below 95%, or a median that cannot be "
              "added up). ≈ : estimated.",
    },
    "report_map": {"nl": "Kaart", "en": "Map"},
    "report_map_alt": {
        "nl": "Kaart van {name}: de {n} gemeenten in blauw tussen de buurgemeenten in grijs.",
        "en": "Map of {name}: its {n} municipalities in blue among the neighbouring ones in "
              "grey.",
    },
    "report_trends": {"nl": "Ontwikkeling", "en": "Trends"},
    "report_trends_intro": {
        "nl": "{name} (doorgetrokken) en Nederland (gestippeld). Een jaar zonder cijfer blijft "
              "open: er wordt niet geïnterpoleerd.",
        "en": "{name} (solid) and the Netherlands (dashed). A year without a figure stays "
              "open: nothing is interpolated.",
    },
    "report_trends_alt": {
        "nl": "Lijndiagrammen van {names} over de jaren, {name} naast Nederland. De cijfers "
              "staan in de tabellen eronder.",
        "en": "Line charts of {names} over the years, {name} beside the Netherlands. The "
              "figures are in the tables below.",
    },
    "report_sources": {"nl": "Bronnen en methode", "en": "Sources and method"},
    "report_tables": {"nl": "CBS-tabellen (StatLine)", "en": "CBS tables (StatLine)"},
    "report_col_table": {"nl": "Tabel", "en": "Table"},
    "report_col_title": {"nl": "Titel", "en": "Title"},
    "report_col_retrieved": {"nl": "Opgehaald", "en": "Retrieved"},
    "report_licence": {
        "nl": "Cijfers: CBS StatLine, open data onder CC BY 4.0 (Bron: CBS). Gemeentegrenzen: "
              "CBS/PDOK gebiedsindelingen, CC BY 4.0.",
        "en": "Figures: CBS StatLine, open data under CC BY 4.0 (Source: CBS). Municipal "
              "boundaries: CBS/PDOK gebiedsindelingen, CC BY 4.0.",
    },
    "report_method": {"nl": "Zo zijn de cijfers gemaakt", "en": "How the figures are made"},
    "report_method_1": {
        "nl": "Alles staat op de gemeentelijke indeling van 2024 (342 gemeenten); cijfers van "
              "samengevoegde gemeenten zijn omgerekend.",
        "en": "Everything is on the 2024 municipal division (342 municipalities); figures of "
              "merged municipalities are converted.",
    },
    "report_method_2": {
        "nl": "De waarde van een regio is Σ teller / Σ noemer over haar gemeenten: "
              "percentages worden nooit gemiddeld; een door het CBS gepubliceerd percentage "
              "weegt met zijn gepubliceerde noemer.",
        "en": "A region's value is Σ numerator / Σ denominator over its municipalities: "
              "percentages are never averaged; a rate CBS publishes is weighted by its "
              "published denominator.",
    },
    "report_method_3": {
        "nl": "Woont minder dan 95% van de inwoners in een gemeente met een cijfer, dan toont "
              "de regio geen waarde. Medianen tellen niet op en staan er alleen waar het CBS "
              "ze publiceert.",
        "en": "Where less than 95% of the inhabitants live in a municipality with a figure, "
              "the region shows no value. Medians do not add up and are shown only where CBS "
              "publishes them.",
    },
    "report_method_4": {
        "nl": "Scores 0-10: min-max tussen het 5e en 95e percentiel van de gemeenten, "
              "omgekeerd waar lager beter is; een factorscore is het gemiddelde van zijn "
              "indicatorscores.",
        "en": "Scores 0-10: min-max between the 5th and 95th percentile of the municipalities, "
              "turned round where lower is better; a factor score is the mean of its "
              "indicator scores.",
    },
    "report_build": {"nl": "Gebouwd {built} (UTC) uit {source}; codeversie {version}.",
                     "en": "Built {built} (UTC) from {source}; code version {version}."},
    "report_footer": {"nl": "Bron: CBS. Regio Ecosysteem Monitor, {made}.",
                      "en": "Source: CBS. Regional Ecosystem Monitor, {made}."},
})

TEXTS.update({
    # --- vergelijkbare regio's (monitor/peers.py) ---------------------------------------------
    "peers_title": {"nl": "Vergelijkbare regio's", "en": "Similar regions"},
    "peers_intro": {
        "nl": "De regio's die qua structuur het meest op {name} lijken: omvang, dichtheid, "
              "leeftijdsopbouw, opleidingsniveau en banen per inwoner. Zo vergelijkt u met "
              "regio's in een vergelijkbare uitgangspositie.",
        "en": "The regions most like {name} in structure: size, density, age structure, "
              "education level and jobs per inhabitant. This compares with regions in a "
              "similar starting position.",
    },
    "peers_set": {"nl": "Vergelijken met", "en": "Compare with"},
    "peers_set_gemeente": {"nl": "alle gemeenten", "en": "all municipalities"},
    "peers_set_provincie": {"nl": "de provincies", "en": "the provinces"},
    "peers_set_corop": {"nl": "de COROP-gebieden", "en": "the COROP regions"},
    "peers_set_arbeidsmarktregio": {"nl": "de arbeidsmarktregio's",
                                    "en": "the labour-market regions"},
    "peers_set_proeftuin": {"nl": "de proeftuinen", "en": "the pilot regions"},
    "peers_k": {"nl": "Aantal regio's", "en": "Number of regions"},
    "peers_col_name": {"nl": "Regio", "en": "Region"},
    "peers_col_distance": {"nl": "Afstand (0 = gelijk)", "en": "Distance (0 = alike)"},
    "peers_col_population": {"nl": "Inwoners", "en": "Inhabitants"},
    "peers_distance_help": {
        "nl": "0 = dezelfde structuur; 1 = gemiddeld één (robuuste) standaardafwijking "
              "verschil per kenmerk. Zie 'Over de data'.",
        "en": "0 = the same structure; 1 = on average one (robust) standard deviation apart "
              "per characteristic. See 'About the data'.",
    },
    "peers_compare": {"nl": "Vergelijk met deze regio's", "en": "Compare with these regions"},
    "peers_trends": {"nl": "Trends van deze regio's", "en": "Trends of these regions"},
    "about_peers": {"nl": "Vergelijkbare regio's", "en": "Similar regions"},
    "about_peers_body": {
        "nl": "Per regio zoeken we de regio's die qua **structuur** het meest lijken, op de "
              "kenmerken die in het indicatorregister als context zijn gemarkeerd: {items}. "
              "Elk kenmerk in zijn laatste jaar met gemeentecijfers; inwoners en "
              "adressendichtheid als logaritme (ze lopen over ordes van grootte). "
              "Uitkomsten die de monitor scoort (werkloosheid, inkomen, veiligheid) tellen "
              "bewust niet mee: dan zegt een vergelijking op die uitkomsten iets.\n\n"
              "**Standaardisatie**: per kenmerk over de gekozen vergelijkingsgroep "
              "(gemeenten, een niveau of de proeftuinen) z = (waarde − mediaan) / (1,4826 × "
              "MAD), een robuuste z-score die één grote stad niet uitrekt; waar de MAD 0 is "
              "de standaardafwijking.\n\n"
              "**Afstand**: de wortel uit het gemiddelde van de gekwadrateerde verschillen in "
              "z over de kenmerken die beide regio's hebben (de euclidische afstand gedeeld "
              "door de wortel van hun aantal). Een regio met minder dan de helft van de "
              "kenmerken wordt niet vergeleken; een kenmerk dat de gekozen regio mist, valt "
              "voor allen weg. Bij gelijke afstand beslist de regiocode, zodat de volgorde "
              "van de invoer niet uitmaakt. De regio zelf, een regio met precies dezelfde "
              "gemeenten en andere varianten van dezelfde proeftuin tellen niet mee.\n\n"
              "**Uitleg**: de kenmerken met het kleinste gemiddelde verschil in z maken de "
              "regio's vergelijkbaar; die met het grootste tonen waar de regio afwijkt. Een "
              "eigen regio wordt eerst met dezelfde regel als elke regio opgeteld.",
        "en": "For each region we look for the regions most alike in **structure**, on the "
              "characteristics the indicator registry marks as context: {items}. Each in its "
              "latest year with municipal figures; inhabitants and address density as "
              "logarithms (they span orders of magnitude). Outcomes the monitor scores "
              "(unemployment, income, safety) are left out on purpose, so that comparing on "
              "those outcomes means something.\n\n"
              "**Standardisation**: per characteristic over the chosen comparison group "
              "(municipalities, a level or the pilot regions) z = (value − median) / (1.4826 "
              "× MAD), a robust z-score that one large city does not stretch; where the MAD "
              "is 0, the standard deviation.\n\n"
              "**Distance**: the root mean square of the differences in z over the "
              "characteristics both regions have (Euclidean distance divided by the square "
              "root of their number). A region with fewer than half of the characteristics "
              "is not compared; a characteristic the chosen region lacks is dropped for all. "
              "Ties are broken by region code, so the order of the input does not matter. "
              "The region itself, a region with exactly the same municipalities and other "
              "variants of the same pilot region are left out.\n\n"
              "**Explanation**: the characteristics with the smallest mean difference in z "
              "make the regions similar; those with the largest show where the region "
              "differs. A custom region is first added up by the same rule as every region.",
    },
    "report_peers": {"nl": "Vergelijkbare regio's", "en": "Similar regions"},
    "report_peers_intro": {
        "nl": "De {k} regio's uit {set} die qua structuur het meest op {name} lijken "
              "(methode: zie 'Over de data'), met de kerncijfers naast elkaar.",
        "en": "The {k} regions of {set} most like {name} in structure (method: see 'About "
              "the data'), with the key figures side by side.",
    },
})

TEXTS.update({
    # --- leesbare samenvatting (monitor/narrative.py) ------------------------------------------
    "narrative_title": {"nl": "In het kort", "en": "In brief"},
    "narrative_caption": {
        "nl": "Uit de cijfers hieronder; een verschil staat er alleen als het groter is dan "
              "de onzekerheid van het cijfer (zie 'Over de data').",
        "en": "From the figures below; a difference is stated only when it is larger than "
              "the figure's uncertainty (see 'About the data').",
    },
    "report_summary": {"nl": "In het kort", "en": "In brief"},
    "report_summary_intro": {
        "nl": "Uit de cijfers van dit rapport; een verschil staat er alleen als het groter is "
              "dan de onzekerheid van het cijfer (afronding van het CBS en de gewone spreiding "
              "tussen regio's).",
        "en": "From the figures of this report; a difference is stated only when it is larger "
              "than the figure's uncertainty (CBS rounding and the usual spread between "
              "regions).",
    },
    "about_narrative": {"nl": "De samenvatting in woorden", "en": "The summary in words"},
    "about_narrative_body": {
        "nl": "Regioprofiel en regiorapport openen met een paar zinnen die uit de getoonde "
              "cijfers worden gemaakt; er komt geen getal in dat niet op de pagina staat. Een "
              "verschil met Nederland wordt alleen genoemd als het groter is dan de "
              "**onzekerheid** u = max(een halve eenheid van de gepubliceerde precisie; "
              "0,25 × 1,4826 × MAD over de regio's van de vergelijkingsgroep). De eerste term "
              "is de afronding van het CBS (een cijfer met één decimaal kan 0,05 afwijken), de "
              "tweede een robuuste maat voor het gewone verschil tussen regio's. Kleinere "
              "verschillen heten 'geen duidelijk verschil'. 'De hoogste' of 'de laagste' van "
              "een groep staat er alleen als de regio meer dan u voorbij elke andere ligt. "
              "Geschatte en omgerekende cijfers (herindeling) en ontbrekende cijfers of te "
              "lage dekking worden genoemd.",
        "en": "The region profile and the region report open with a few sentences made from "
              "the figures shown; no number appears that is not on the page. A difference "
              "from the Netherlands is stated only when it is larger than the "
              "**uncertainty** u = max(half a unit of the published precision; 0.25 × 1.4826 "
              "× MAD over the regions of the comparison group). The first term is CBS's "
              "rounding (a figure with one decimal can be 0.05 off), the second a robust "
              "measure of the usual difference between regions. Smaller differences read "
              "'no clear difference'. 'The highest' or 'the lowest' of a group is said only "
              "when the region lies more than u beyond every other. Estimated and converted "
              "figures (mergers), missing figures and too low coverage are mentioned.",
    },
})

TEXTS.update({
    # --- economisch profiel (monitor/economy.py) -----------------------------------------------
    "economy_title": {"nl": "Economisch profiel en digitalisering",
                      "en": "Economic profile and digitalisation"},
    "economy_absent": {
        "nl": "Banen per sector en ICT-beroepen per gemeente zitten niet in deze gegevensbron "
              "(alleen totalen); met de sectorcijfers van het CBS (tabellen 83582NED, "
              "81575NED, 86086NED) verschijnt hier het economisch profiel.",
        "en": "Jobs by sector and ICT occupations per municipality are not in this data source "
              "(totals only); with CBS's sector figures (tables 83582NED, 81575NED, 86086NED) "
              "the economic profile appears here.",
    },
    "economy_intro": {
        "nl": "Locatiequotiënt: het aandeel van een sector in de banen van {name}, gedeeld door "
              "dat aandeel in Nederland. Boven 1: de sector is hier relatief groter.",
        "en": "Location quotient: a sector's share of {name}'s jobs divided by its share in the "
              "Netherlands. Above 1: the sector is relatively larger here.",
    },
    "economy_axis": {"nl": "Locatiequotiënt (1 = als in Nederland)",
                     "en": "Location quotient (1 = as in the Netherlands)"},
    "economy_col_sector": {"nl": "Sector (SBI)", "en": "Sector (SBI)"},
    "economy_col_share": {"nl": "Aandeel banen", "en": "Share of jobs"},
    "economy_col_nl": {"nl": "Nederland", "en": "Netherlands"},
    "economy_col_lq": {"nl": "Locatiequotiënt", "en": "Location quotient"},
    "economy_digital": {"nl": "Digitalisering", "en": "Digitalisation"},
    "economy_digital_none": {
        "nl": "De digitaliseringsmaten (ICT-banen, -vestigingen en -beroepen) zitten niet in "
              "deze gegevensbron.",
        "en": "The digitalisation measures (ICT jobs, establishments and occupations) are not "
              "in this data source.",
    },
    "about_economy": {"nl": "Economisch profiel (locatiequotiënt)",
                      "en": "Economic profile (location quotient)"},
    "about_economy_body": {
        "nl": "Het **locatiequotiënt** van sector s in regio r is (banen in s in r / alle banen "
              "in r) / (banen in s in Nederland / alle banen in Nederland). Beide aandelen zijn "
              "gewone indicatoren: het regio-aandeel is Σ sectorbanen / Σ alle banen over de "
              "gemeenten, met dezelfde dekkingsregel als elke indicator, ook voor een eigen "
              "regio. Boven 1 is de sector in de regio relatief groter dan landelijk. Het "
              "laatste jaar waarin regio en Nederland beide een aandeel hebben telt. "
              "Digitalisering benaderen we met het aandeel banen en vestigingen in SBI J "
              "(informatie en communicatie) en het aandeel ICT-beroepen. Het CBS publiceert "
              "deze sectorcijfers per gemeente; ontbreken ze in de gegevensbron, dan zegt de "
              "monitor dat in plaats van een lege grafiek te tonen.",
        "en": "The **location quotient** of sector s in region r is (jobs in s in r / all jobs "
              "in r) / (jobs in s in the Netherlands / all jobs in the Netherlands). Both "
              "shares are ordinary indicators: the region's share is Σ sector jobs / Σ all "
              "jobs over its municipalities, with the same coverage rule as every indicator, "
              "custom regions included. Above 1, the sector is relatively larger in the region "
              "than nationally. The latest year in which both the region and the Netherlands "
              "have a share counts. Digitalisation is approximated by the share of jobs and "
              "establishments in SBI J (information and communication) and the share of ICT "
              "occupations. CBS publishes these sector figures per municipality; where the "
              "data source lacks them, the monitor says so instead of drawing an empty chart.",
    },
    "report_economy": {"nl": "Economisch profiel", "en": "Economic profile"},
})

TEXTS.update({
    # --- human column names of the exported files -----------------------------------------
    "col_region_code": {"nl": "Regiocode", "en": "Region code"},
    "col_region_name": {"nl": "Regio", "en": "Region"},
    "col_region_level": {"nl": "Niveau", "en": "Level"},
    "col_indicator_id": {"nl": "Indicatorcode", "en": "Indicator code"},
    "col_indicator": {"nl": "Indicator", "en": "Indicator"},
    "col_unit": {"nl": "Eenheid", "en": "Unit"},
    "col_year": {"nl": "Jaar", "en": "Year"},
    "col_value": {"nl": "Waarde", "en": "Value"},
    "col_coverage": {"nl": "Dekking (0-1)", "en": "Coverage (0-1)"},
    "col_estimated": {"nl": "Geschat", "en": "Estimated"},
    "col_converted": {"nl": "Omgerekend naar indeling 2024", "en": "Converted to 2024 division"},
    "col_status": {"nl": "Status", "en": "Status"},
    "col_origin": {"nl": "Herkomst", "en": "Origin"},
    "col_break": {"nl": "Breuk in de reeks", "en": "Break in the series"},
    "col_note": {"nl": "Toelichting", "en": "Note"},
    "col_factor": {"nl": "Factor", "en": "Factor"},
    "col_rank": {"nl": "Rang", "en": "Rank"},
    "col_rank_best": {"nl": "Rang (1 = beste)", "en": "Rank (1 = best)"},
    "col_rank_highest": {"nl": "Rang (1 = hoogste)", "en": "Rank (1 = highest)"},
    "col_score": {"nl": "score (0-10)", "en": "score (0-10)"},
    "col_reason": {"nl": "reden zonder waarde", "en": "reason for no value"},
    # --- values in the human-readable files (the standard CSV keeps the identifiers) ------
    "export_yes": {"nl": "Ja", "en": "Yes"},
    "export_no": {"nl": "Nee", "en": "No"},
    "export_level_land": {"nl": "land", "en": "country"},
    "export_level_provincie": {"nl": "provincie", "en": "province"},
    "export_level_corop": {"nl": "COROP-gebied", "en": "COROP region"},
    "export_level_arbeidsmarktregio": {"nl": "arbeidsmarktregio", "en": "labour-market region"},
    "export_level_gemeente": {"nl": "gemeente", "en": "municipality"},
    "export_level_proeftuin": {"nl": "proeftuin", "en": "pilot region"},
    "export_level_custom": {"nl": "eigen regio", "en": "custom region"},
    "export_status_ok": {"nl": "berekend", "en": "computed"},
    "export_status_published": {"nl": "CBS-cijfer", "en": "CBS figure"},
    "export_status_low_coverage": {"nl": "lage dekking", "en": "low coverage"},
    "export_status_incomplete_sum": {"nl": "onvolledig totaal", "en": "incomplete total"},
    "export_status_unreliable": {"nl": "onbetrouwbaar", "en": "unreliable"},
    "export_status_other_boundaries": {"nl": "andere indeling", "en": "other division"},
    "export_status_other_territory": {"nl": "andere samenstelling", "en": "other membership"},
    "export_status_missing": {"nl": "geen cijfer", "en": "no figure"},
    "export_source_published": {"nl": "gepubliceerd door het CBS", "en": "published by CBS"},
    "export_source_aggregated": {"nl": "berekend uit gemeenten",
                                 "en": "computed from municipalities"},
    # --- every status a figure can have ---------------------------------------------------
    "legend_ok": {"nl": "berekend uit de gemeenten van de regio",
                  "en": "computed from the region's municipalities"},
    "legend_published": {"nl": "het eigen cijfer van het CBS voor deze regio",
                         "en": "CBS's own figure for this region"},
    "legend_low_coverage": {
        "nl": "geen waarde: minder dan 95% van de inwoners woont in een gemeente met een cijfer",
        "en": "no value: less than 95% of the inhabitants live in a municipality with a figure"},
    "legend_incomplete_sum": {
        "nl": "geen waarde: een totaal telt alleen als alle gemeenten een cijfer hebben",
        "en": "no value: a total only counts when every municipality has a figure"},
    "legend_unreliable": {
        "nl": "geen waarde: te kleine aantallen voor een betrouwbaar cijfer (het CBS rondt af "
              "op duizendtallen)",
        "en": "no value: counts too small for a reliable figure (CBS rounds to thousands)"},
    "legend_other_boundaries": {
        "nl": "geen waarde: het CBS publiceert deze mediaan in dit jaar op een andere indeling, "
              "en een mediaan laat zich niet uit gemeenten optellen",
        "en": "no value: CBS publishes this median for this year on another division, and a "
              "median cannot be added up from municipalities"},
    "legend_other_territory": {
        "nl": "geen waarde: in dit jaar had de regio een andere samenstelling dan de gemeenten "
              "van nu (een afbakening van een proeftuin die pas later geldt); dekking en "
              "'geschat' zeggen dan niets",
        "en": "no value: in this year the region had another membership than today's "
              "municipalities (a pilot region's delineation that holds only later); coverage "
              "and 'estimated' then say nothing"},
    "legend_missing": {"nl": "geen waarde: het CBS publiceert hier geen cijfer",
                       "en": "no value: CBS publishes no figure here"},
    # --- the data package -----------------------------------------------------------------
    "dp_title": {"nl": "Regio Ecosysteem Monitor: cijfers van het CBS per regio",
                 "en": "Regional Ecosystem Monitor: CBS figures per region"},
    "dp_description": {
        "nl": "Beschrijving van {csv}: cijfers van het CBS (StatLine) per regio op de "
              "gemeentelijke indeling van 2024, berekend door de Regio Ecosysteem Monitor "
              "(Σ teller / Σ noemer over de gemeenten). Bron: CBS, CC BY 4.0.",
        "en": "Description of {csv}: figures of CBS (StatLine) per region on the 2024 "
              "municipal division, computed by the Regional Ecosystem Monitor (Σ numerator / "
              "Σ denominator over the municipalities). Source: CBS, CC BY 4.0."},
    "dp_precision_cbs": {"nl": "Afgerond op de precisie waarmee het CBS publiceert.",
                         "en": "Rounded to the precision CBS publishes."},
    "dp_value_full": {
        "nl": "de waarde in volle precisie, zoals berekend (niet afgerond: rond zelf af op "
              "de precisie van het CBS, zie decimalsPublished bij de indicator)",
        "en": "the value at full precision, as computed (not rounded: round it yourself to "
              "CBS's precision, see decimalsPublished of the indicator)"},
    "dp_value_cbs": {"nl": "de waarde, afgerond op de precisie waarmee het CBS publiceert",
                     "en": "the value, rounded to the precision CBS publishes"},
    "dp_value_year": {"nl": "de waarde in {year}, afgerond op de precisie waarmee het CBS "
                            "publiceert",
                      "en": "the value in {year}, rounded to the precision CBS publishes"},
    "dp_reason": {"nl": "waarom de regio hier geen waarde heeft (leeg als er een is)",
                  "en": "why the region has no value here (empty when it has one)"},
    "export_precision_long": {
        "nl": "De waarden staan in dit lange formaat in volle precisie, zoals berekend; de "
              "brede tabellen en het voorbeeld hieronder ronden af op de precisie van het CBS.",
        "en": "In this long format the values are at full precision, as computed; the wide "
              "tables and the preview below are rounded to CBS's precision."},
    "export_precision_wide": {
        "nl": "In het brede formaat staan de waarden op de precisie waarmee het CBS publiceert.",
        "en": "In the wide format the values are at the precision CBS publishes."},
    "export_layout": {"nl": "Vorm", "en": "Layout"},
    "export_layout_long": {"nl": "Lang", "en": "Long"},
    "export_layout_wide": {"nl": "Breed: regio's × jaren", "en": "Wide: regions × years"},
    "export_layout_help": {
        "nl": "Lang: één rij per regio, indicator en jaar, met dekking en status (volle "
              "precisie). Breed: één rij per regio en indicator, een kolom per jaar (op de "
              "precisie van het CBS).",
        "en": "Long: one row per region, indicator and year, with coverage and status (full "
              "precision). Wide: one row per region and indicator, a column per year (at CBS's "
              "precision)."},
    "export_add_pilots": {"nl": "De 10 proeftuinen", "en": "The 10 pilot regions"},
    "compare_all_years": {"nl": "Alle jaren als tabel (regio's × jaren)",
                          "en": "Every year as a table (regions × years)"},
    # --- static first (monitor/show.py) ----------------------------------------------------
    "show_live": {"nl": "Interactief: waarden bij aanwijzen", "en": "Interactive: values on hover"},
    "show_live_map": {"nl": "Interactieve kaart: waarden bij aanwijzen, klik opent het profiel",
                      "en": "Interactive map: values on hover, a click opens the profile"},
    "show_live_help": {"nl": "Laadt de interactieve grafiek; op deze pagina blijft die "
                             "daarna interactief.",
                       "en": "Loads the interactive chart; it stays interactive on this page "
                             "from then on."},
    "show_still": {"nl": "Als afbeelding", "en": "As a picture"},
    "table_first": {"nl": "De eerste {shown} van {n} rijen.",
                    "en": "The first {shown} of {n} rows."},
    "table_first_sortable": {"nl": "De eerste {shown} van {n} rijen; sorteren op een kolom "
                                   "neemt alle rijen mee.",
                             "en": "The first {shown} of {n} rows; sorting by a column takes "
                                   "in all rows."},
    "table_show_all": {"nl": "Alle {n} rijen tonen", "en": "Show all {n} rows"},
    "copy_text": {"nl": "Kopiëren", "en": "Copy"},
    "copy_done": {"nl": "Gekopieerd", "en": "Copied"},
})

TEXTS.update({
    # --- several regions in one go (monitor/widgets.py regions_picker) ---------------------
    "regions_apply": {"nl": "Toepassen", "en": "Apply"},
    "regions_apply_help": {"nl": "Voeg regio's toe of haal ze weg en pas alles in één keer "
                                 "toe.",
                           "en": "Add or remove regions, then apply them all at once."},
})

# --- Wijken: districts and neighbourhoods of a gemeente or region --------------------------------
TEXTS.update({
    "wijk_title": {"nl": "Wijken van {name}", "en": "Districts of {name}"},
    "wijk_intro": {
        "nl": "De wijken van de gemeenten in deze regio, met de cijfers die het CBS per wijk "
              "publiceert: inwoners, bevolkingsdichtheid en woningvoorraad (2024, Kerncijfers "
              "wijken en buurten, tabel 85984NED) en afstanden tot voorzieningen (2023, tabel "
              "85830ENG). Elk cijfer is dat van de wijk zelf: wijken worden niet opgeteld tot "
              "een gemeentecijfer.",
        "en": "The districts (wijken) of the municipalities in this region, with the figures "
              "CBS publishes per district: inhabitants, population density and housing stock "
              "(2024, Kerncijfers wijken en buurten, table 85984NED) and distances to "
              "facilities (2023, table 85830ENG). Every figure is the district's own: "
              "districts are not added up into a municipal figure."},
    "wijk_measure": {"nl": "Cijfer op de kaart", "en": "Figure on the map"},
    "wijk_counts": {"nl": "{wijken} wijken (2024) in {gemeenten} gemeenten.",
                    "en": "{wijken} districts (2024) in {gemeenten} municipalities."},
    "wijk_counts_one": {"nl": "{wijken} wijken (2024).", "en": "{wijken} districts (2024)."},
    "wijk_codes_same": {
        "nl": "Elke wijkcode van 2023 betekent in 2024 dezelfde wijk.",
        "en": "Every district code of 2023 means the same district in 2024."},
    "wijk_codes_changed": {
        "nl": "Wijkcodes die in 2024 iets anders betekenen dan in 2023: {renamed} met een andere "
              "naam, {absent} verdwenen; {new} wijken zijn nieuw in 2024 (zonder cijfers van "
              "2023).",
        "en": "District codes that mean something else in 2024 than in 2023: {renamed} "
              "renamed, {absent} gone; {new} districts are new in 2024 (no 2023 figures)."},
    "wijk_map_2023_note": {
        "nl": "Afstanden zijn van 2023, op de wijkindeling van 2023. Op de kaart van 2024 staat "
              "een afstand alleen bij een wijk waarvan de code in beide jaren dezelfde wijk "
              "is; hernoemde en nieuwe wijken zijn grijs (zie de tabel).",
        "en": "Distances are of 2023, on the 2023 district division. On the 2024 map a distance "
              "is shown only for a district whose code means the same district in both years; "
              "renamed and new districts are grey (see the table)."},
    "wijk_gemeenten_outline": {"nl": "Gemeentegrens", "en": "Municipal boundary"},
    "wijk_table_title": {"nl": "Wijken: cijfers per wijk", "en": "Districts: figures per district"},
    "wijk_table_note": {
        "nl": "Een regel per wijk van 2024; een wijkcode van 2023 die in 2024 een andere naam "
              "heeft of niet meer bestaat, staat met haar cijfers van 2023 op een eigen regel "
              "('(2023)'). Leeg: het CBS geeft geen cijfer (geheim of onbekend), of de wijk "
              "bestond dat jaar niet.",
        "en": "One row per district of 2024; a 2023 district code that has another name in "
              "2024 or no longer exists has its 2023 figures on a row of its own ('(2023)'). "
              "Empty: CBS gives no figure (confidential or unknown), or the district did not "
              "exist that year."},
    "wijk_col_name": {"nl": "Wijk", "en": "District"},
    "wijk_col_code": {"nl": "Code", "en": "Code"},
    "wijk_col_gemeente": {"nl": "Gemeente", "en": "Municipality"},
    "wijk_col_note": {"nl": "Code 2023-2024", "en": "Code 2023-2024"},
    "wijk_status_renamed_2024": {
        "nl": "in 2023 heette deze code '{name}' (mogelijk een ander gebied): cijfers van 2023 "
              "op een eigen regel",
        "en": "in 2023 this code was named '{name}' (possibly another area): 2023 figures on a "
              "row of their own"},
    "wijk_status_renamed_2023": {
        "nl": "naam van 2023; in 2024 heet deze code '{name}' (mogelijk een ander gebied)",
        "en": "2023 name; in 2024 this code is named '{name}' (possibly another area)"},
    "wijk_status_absent": {"nl": "bestaat niet meer in 2024", "en": "no longer exists in 2024"},
    "wijk_status_new": {"nl": "nieuw in 2024: geen cijfers van 2023",
                        "en": "new in 2024: no 2023 figures"},
    "wijk_buurten_title": {"nl": "Buurten (2023)", "en": "Neighbourhoods (2023)"},
    "wijk_buurten_note": {
        "nl": "{n} buurten van 2023 met hun afstanden tot voorzieningen (tabel 85830ENG), per "
              "wijk van 2023. De bron noemt de buurten niet bij naam en levert geen "
              "buurtgrenzen: een tabel, geen kaart.",
        "en": "{n} neighbourhoods (buurten) of 2023 with their distances to facilities "
              "(table 85830ENG), by 2023 district. The source gives no neighbourhood names "
              "and no neighbourhood boundaries: a table, not a map."},
    "wijk_buurten_more": {
        "nl": "De tabel toont de eerste {shown} van {n} buurten; de download bevat ze alle.",
        "en": "The table shows the first {shown} of {n} neighbourhoods; the download holds "
              "them all."},
    "wijk_buurten_show": {"nl": "Toon de {n} buurten in een tabel",
                          "en": "Show the {n} neighbourhoods in a table"},
    "wijk_show_live_map": {"nl": "Interactieve kaart: waarden bij aanwijzen, inzoomen",
                           "en": "Interactive map: values on hover, zoom"},
    "wijk_col_buurt": {"nl": "Buurt (code)", "en": "Neighbourhood (code)"},
    "wijk_col_wijk_2023": {"nl": "Wijk (2023)", "en": "District (2023)"},
    "wijk_none": {"nl": "Geen wijken gevonden voor deze regio.",
                  "en": "No districts found for this region."},
    "wijk_fig_subtitle": {"nl": "Per wijk ({year}), {unit}; grijs: geen cijfer",
                          "en": "Per district ({year}), {unit}; grey: no figure"},
    "wijk_file": {"nl": "wijken", "en": "districts"},
    "wijk_file_buurten": {"nl": "buurten", "en": "neighbourhoods"},
    "report_wijken": {"nl": "Wijken", "en": "Districts"},
    "wijk_report_too_many": {
        "nl": "Deze regio heeft {n} wijken: te veel voor een rapport. De pagina Wijken toont ze "
              "per gemeente of regio, met kaart en tabellen om te downloaden.",
        "en": "This region has {n} districts: too many for a report. The Districts page shows "
              "them per municipality or region, with a map and tables to download."},
    "wijk_report_note": {
        "nl": "Cijfers per wijk van het CBS (inwoners, dichtheid en woningen 2024, tabel "
              "85984NED; afstanden 2023, tabel 85830ENG), niet opgeteld. Hernoemde en "
              "verdwenen wijkcodes van 2023 staan op een eigen regel.",
        "en": "CBS figures per district (inhabitants, density and dwellings 2024, table "
              "85984NED; distances 2023, table 85830ENG), not added up. Renamed and vanished "
              "2023 district codes are on a row of their own."},
    "wijk_m_inwoners": {"nl": "Inwoners", "en": "Inhabitants"},
    "wijk_u_inwoners": {"nl": "inwoners", "en": "inhabitants"},
    "wijk_m_dichtheid": {"nl": "Bevolkingsdichtheid", "en": "Population density"},
    "wijk_u_dichtheid": {"nl": "inwoners per km²", "en": "inhabitants per km²"},
    "wijk_m_woningen": {"nl": "Woningvoorraad", "en": "Housing stock"},
    "wijk_u_woningen": {"nl": "woningen", "en": "dwellings"},
    "wijk_m_huisarts": {"nl": "Afstand tot huisartsenpraktijk", "en": "Distance to GP practice"},
    "wijk_m_supermarkt": {"nl": "Afstand tot grote supermarkt",
                          "en": "Distance to large supermarket"},
    "wijk_m_kinderdagverblijf": {"nl": "Afstand tot kinderdagverblijf",
                                 "en": "Distance to day nursery"},
    "wijk_m_basisschool": {"nl": "Afstand tot basisschool", "en": "Distance to primary school"},
    "wijk_m_voortgezet": {"nl": "Afstand tot voortgezet onderwijs",
                          "en": "Distance to secondary school"},
    "wijk_m_restaurant": {"nl": "Afstand tot restaurant", "en": "Distance to restaurant"},
    "wijk_m_ziekenhuis": {"nl": "Afstand tot ziekenhuis", "en": "Distance to hospital"},
    "wijk_m_oprit": {"nl": "Afstand tot oprit hoofdverkeersweg",
                     "en": "Distance to main road access"},
    "wijk_m_treinstation": {"nl": "Afstand tot treinstation", "en": "Distance to railway station"},
    "wijk_m_overstapstation": {"nl": "Afstand tot belangrijk overstapstation",
                               "en": "Distance to major interchange station"},
})
for _m in ("huisarts", "supermarkt", "kinderdagverblijf", "basisschool", "voortgezet",
           "restaurant", "ziekenhuis", "oprit", "treinstation", "overstapstation"):
    TEXTS[f"wijk_u_{_m}"] = {"nl": "km", "en": "km"}

TEXTS.update({
    "regions_placeholder": {"nl": "Kies of zoek regio's", "en": "Choose or search regions"},
    "compose_members_placeholder": {"nl": "Kies of zoek gemeenten",
                                    "en": "Choose or search municipalities"},
    "sens_among_pilots": {
        "nl": "De rang van deze regio onder de 10 proeftuinen (naast alleen Nederland zegt een "
              "rang niets).",
        "en": "This region's rank among the 10 pilot regions (beside the Netherlands alone a "
              "rank says nothing)."},
})

# --- the pilot regions in the reader's language -----------------------------------------------
# etl/reference/pilot_regions.yaml describes each pilot region once (in English, from the shared
# reference list) and names the other delineations in Dutch; the app says both in the reader's
# language. The pilots' own names (Regio Zwolle, Drechtsteden) are names and stay as they are.
PILOT_ABOUT = {
    "noordoost_fryslan": {
        "nl": "Netwerk Noordoost / Agenda Netwerk NoordOost (ANNO): gemeenten in het noordoosten "
              "van Fryslân met de provincie Fryslân; proeftuin van Maak Verschil 2016-2017.",
        "en": "Netwerk Noordoost / Agenda Netwerk NoordOost (ANNO): municipalities of north-east "
              "Fryslân with the province of Fryslân; Maak Verschil pilot region 2016-2017."},
    "regio_zwolle": {
        "nl": "Lichte netwerksamenwerking van gemeenten rond Zwolle in vier provincies "
              "(Overijssel, Gelderland, Drenthe, Flevoland); proeftuin van Maak Verschil.",
        "en": "Light network cooperation of municipalities around Zwolle across four provinces "
              "(Overijssel, Gelderland, Drenthe, Flevoland); Maak Verschil pilot region."},
    "mra": {
        "nl": "Samenwerking van 30 gemeenten, de provincies Noord-Holland en Flevoland en de "
              "Vervoerregio Amsterdam, in 7 deelregio's; proeftuin van Maak Verschil.",
        "en": "Cooperation of 30 municipalities, the provinces of Noord-Holland and Flevoland "
              "and the Vervoerregio Amsterdam, in 7 sub-regions; Maak Verschil pilot region."},
    "drechtsteden": {
        "nl": "Gemeenschappelijke Regeling Drechtsteden (GRD) / Drechtstedennetwerk, "
              "Zuid-Holland; proeftuin van Maak Verschil.",
        "en": "Gemeenschappelijke Regeling Drechtsteden (GRD, a joint arrangement) / Drechtsteden "
              "network, Zuid-Holland; Maak Verschil pilot region."},
    "zeeland": {
        "nl": "Provincie Zeeland (alle 13 gemeenten); proeftuin van Maak Verschil.",
        "en": "Province of Zeeland (all 13 municipalities); Maak Verschil pilot region."},
    "eindhoven": {
        "nl": "De proeftuin was het Stedelijk Gebied Eindhoven (9 gemeenten, convenant). Het SGE "
              "bestaat nog, naast de Metropoolregio Eindhoven van 21 gemeenten (voorheen SRE, "
              "de Brainportregio).",
        "en": "The pilot region was the Stedelijk Gebied Eindhoven (9 municipalities, covenant). "
              "The SGE still exists alongside the 21-municipality Metropoolregio Eindhoven "
              "(formerly SRE, the Brainport region)."},
    "u10": {
        "nl": "Netwerk van gemeenten in de regio Utrecht; de U10 begon met 10 gemeenten, het "
              "U10-netwerk telt er nu 16 (ook U16 genoemd). Extra regio op de conferentie van "
              "december 2016.",
        "en": "Network of municipalities in the Utrecht region; the U10 started with 10 "
              "municipalities, the U10 network now has 16 (also called U16). Extra region at the "
              "December 2016 conference."},
    "twente": {
        "nl": "Samenwerking van de 14 Twentse gemeenten (provincie Overijssel). Extra regio op "
              "de conferentie van december 2016.",
        "en": "Cooperation of the 14 municipalities of Twente (province of Overijssel). Extra "
              "region at the December 2016 conference."},
    "gelderse_corridor": {
        "nl": "Programma en gebiedsagenda van de provincie Gelderland voor de logistieke "
              "corridor (A15, A12, Waal, Betuweroute) van Gorinchem tot de Duitse grens; "
              "knooppunten Tiel/Medel, Nijmegen/Overbetuwe (Knoop 38), Emmerich/De Liemers. "
              "Extra regio op de conferentie van december 2016.",
        "en": "Programme and area agenda of the province of Gelderland for the logistics "
              "corridor (A15, A12, Waal, Betuweroute) from Gorinchem to the German border; hubs "
              "Tiel/Medel, Nijmegen/Overbetuwe (Knoop 38), Emmerich/De Liemers. Extra region at "
              "the December 2016 conference."},
    "rga": {
        "nl": "Vrijwillige samenwerking (sinds 1996, convenant tot 2030) van gemeenten en de "
              "provincies Groningen en Drenthe; gezamenlijk economisch profiel 2020-2021 "
              "(energie en waterstof, digitalisering, gezondheidseconomie).",
        "en": "Voluntary cooperation (since 1996, covenant to 2030) of municipalities and the "
              "provinces of Groningen and Drenthe; joint economic profile 2020-2021 (energy and "
              "hydrogen, digitalisation, health economy)."},
}
VARIANT_EN = {
    "GRD vóór de toetreding van Hardinxveld-Giessendam":
        "GRD before Hardinxveld-Giessendam joined",
    "Drechtsteden met Gorinchem en Molenlanden (Hoeksche Waard in Zuid-Holland Zuid)":
        "Drechtsteden with Gorinchem and Molenlanden (Hoeksche Waard in Zuid-Holland Zuid)",
    "Metropoolregio Eindhoven / Brainport (21 gemeenten, gelijk aan COROP "
    "Zuidoost-Noord-Brabant)":
        "Metropoolregio Eindhoven / Brainport (21 municipalities, the same as COROP "
        "Zuidoost-Noord-Brabant)",
    "Oorspronkelijke U10 (2014-2016), op de gemeenten van 2024":
        "The original U10 (2014-2016), on the municipalities of 2024",
    "U10 met 12 gemeenten (vóór de toetreding van de 4 Utrecht-West-gemeenten)":
        "U10 with 12 municipalities (before the 4 Utrecht-West municipalities joined)",
    "Netwerkstad Twente (5 stedelijke gemeenten)": "Netwerkstad Twente (5 urban municipalities)",
    "Benadering met COROP-gebieden: Arnhem/Nijmegen en Zuidwest-Gelderland":
        "Approximated by COROP regions: Arnhem/Nijmegen and Zuidwest-Gelderland",
    "grondgebied 2024, ook vóór 2019 teruggerekend (niet de RGA van toen)":
        "2024 territory, back-cast before 2019 too (not the RGA of that time)",
}


def pilot_about(pilot_id: str, lang: str) -> str | None:
    """What a pilot region's cooperation is, in `lang` (None for an unknown pilot)."""
    texts = PILOT_ABOUT.get(pilot_id)
    return texts[lang if lang in LANGS else DEFAULT_LANG] if texts else None


def variant_name(name: str, lang: str) -> str:
    """A pilot region's name, its delineation ('Twente: Netwerkstad Twente (…)') in `lang`."""
    if lang != "en":
        return name
    head, sep, variant = name.partition(": ")
    if sep and variant in VARIANT_EN:
        return f"{head}: {VARIANT_EN[variant]}"
    return VARIANT_EN.get(name, name)

"""Numbers as people read them: Dutch '1 234,5' or English '1,234.5', one rule everywhere
(tables, hover texts, legends, pictures, the report and plotly's axes)."""

from __future__ import annotations

import pandas as pd

from monitor.i18n import current_lang, t

NO_VALUE = "–"  # a table cell without a figure


def at_precision(values, decimals: int):
    """Values rounded to the precision CBS publishes: `decimals` from the registry, negative
    for tens, hundreds, thousands (WOZ -3: EUR 1,000; incomes -2: EUR 100). The one rounding
    rule of what is shown and exported; the warehouse and the long export keep full
    precision. A number, or a pandas Series."""
    if isinstance(values, pd.Series | pd.DataFrame):
        return values.astype(float).round(int(decimals))
    return round(float(values), int(decimals))


def digits(decimals: int) -> int:
    """Digits after the decimal point when showing a value at `decimals` precision."""
    return max(int(decimals), 0)


def format_value(value: float | None, decimals: int, unit: str = "",
                 lang: str | None = None) -> str:
    """A number for hover, legend and tables, with its unit: '1 234,5' in Dutch, '1,234.5' in
    English (lang: the session's language unless given), at CBS's precision (at_precision);
    'geen waarde' when there is none."""
    if value is None or pd.isna(value):
        return t("no_value")
    text = f"{at_precision(value, decimals):,.{digits(decimals)}f}"
    if (lang or current_lang()) != "en":
        text = text.replace(",", " ").replace(".", ",")
    return f"{text} {unit}".strip()


def number(value, decimals: int, lang: str, unit: str = "") -> str:
    """A figure in the language's notation, '–' when there is none."""
    if value is None or pd.isna(value):
        return NO_VALUE
    return format_value(float(value), int(decimals), unit, lang=lang)


def number_format(decimals: int, lang: str):
    """A formatter of plain numbers in the given language (no session state needed later)."""
    return lambda v: format_value(v, decimals, lang=lang)


def separators() -> str:
    """Plotly's decimal and thousands separators, as format_value writes numbers."""
    return ".," if current_lang() == "en" else ", "


def format_cells(values: pd.DataFrame, decimals: pd.Series) -> pd.DataFrame:
    """Values as text in the session's notation, row by row with that row's decimals ('–' for
    none)."""
    return pd.DataFrame({col: [NO_VALUE if pd.isna(v) else format_value(v, int(d))
                               for v, d in zip(values[col], decimals, strict=True)]
                         for col in values.columns}, index=values.index)

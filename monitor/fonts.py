"""The fonts of the PNG figures and the PDF report: DejaVu Sans for Latin text, IPAexGothic as
the fallback for the glyphs DejaVu Sans lacks (CJK ideographs, kana, full-width forms such as
'ＡＢＣ'), so a region a user names '東京 テスト' is drawn with real glyphs, not empty boxes.

IPAexGothic is a TrueType font (IPA Font License v1.0, OSI approved) shipped inside the PyPI
wheel matplotlib-fontja (requirements.txt, so in the hash-locked installs). Only its font file
is used: importing that package would switch every matplotlib text to IPAexGothic. Without the
wheel the figures and the PDF are drawn as before (a CJK name as missing glyphs) and a warning
is logged once; the tests fail in CI without it.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
from pathlib import Path

import matplotlib

LATIN_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"  # matplotlib's DejaVu Sans
LATIN = "DejaVu Sans"
CJK = "IPAexGothic"  # the family name inside ipaexg.ttf
CJK_PACKAGE = "matplotlib_fontja"
CJK_FILE = "fonts/ipaexg.ttf"

log = logging.getLogger(__name__)


@functools.cache
def cjk_path() -> Path | None:
    """IPAexGothic's file in the installed matplotlib-fontja wheel, or None (warned once).
    find_spec locates the package without running its __init__ (which restyles matplotlib)."""
    spec = importlib.util.find_spec(CJK_PACKAGE)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / CJK_FILE
        if path.is_file():
            return path
    log.warning("CJK font missing (pip package matplotlib-fontja, see requirements.txt): names "
                "in Chinese, Japanese or full-width characters are drawn as empty boxes in PNG "
                "and PDF files")
    return None


@functools.cache
def matplotlib_families() -> tuple[str, ...]:
    """The font.family list for matplotlib: DejaVu Sans first, IPAexGothic for each glyph it
    lacks (matplotlib >= 3.6 falls back per glyph), then the generic family."""
    path = cjk_path()
    if path is None:
        return (LATIN, "sans-serif")
    import dataclasses

    from matplotlib import font_manager

    manager = font_manager.fontManager
    manager.addfont(str(path))
    # The font has one weight: registered as bold too, a bold title finds it without a
    # 'Failed to find font weight bold' warning in the server's log (drawn regular, as before).
    regular = next(entry for entry in manager.ttflist if entry.fname == str(path))
    manager.ttflist.append(dataclasses.replace(regular, weight=700))
    return (LATIN, CJK, "sans-serif")


def add_pdf_fonts(pdf, family: str) -> None:
    """DejaVu Sans (regular, bold, italic) as `family` in an fpdf2 document, IPAexGothic as
    its fallback for every style (the font has one weight: bold CJK is drawn regular)."""
    pdf.add_font(family, "", str(LATIN_DIR / "DejaVuSans.ttf"))
    pdf.add_font(family, "B", str(LATIN_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_font(family, "I", str(LATIN_DIR / "DejaVuSans-Oblique.ttf"))
    path = cjk_path()
    if path is not None:
        pdf.add_font(CJK, "", str(path))
        pdf.set_fallback_fonts([CJK], exact_match=False)

"""The fonts of the PNG figures and the PDF report: DejaVu Sans for Latin text, IPAexGothic as
the fallback for the glyphs DejaVu Sans lacks (CJK ideographs, kana, full-width forms such as
'ＡＢＣ'), so a region a user names '東京 テスト' is drawn with real glyphs, not empty boxes.

IPAexGothic is a TrueType font (IPA Font License v1.0, OSI approved) shipped inside the PyPI
wheel matplotlib-fontja (requirements.txt, so in the hash-locked installs). Only its font file
is used: importing that package would switch every matplotlib text to IPAexGothic. Without the
wheel the figures and the PDF are drawn as before (a CJK name as missing glyphs) and a warning
is logged once; the tests fail in CI without it.

IPAexGothic has no Hangul and lacks some simplified Chinese characters ('东', '门'): Debian's
fonts-wqy-microhei (WenQuanYi Micro Hei, installed by scripts/test.sh, run.sh and serve.sh when
root) is the last fallback where it is installed.
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
WIDE = "WenQuanYi Micro Hei"  # Debian's fonts-wqy-microhei: Hangul, all CJK ideographs
WIDE_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

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
def wide_path() -> Path | None:
    """WenQuanYi Micro Hei from Debian's package, or None (then Hangul is not drawn; noted)."""
    if WIDE_PATH.is_file():
        return WIDE_PATH
    log.info("Debian's fonts-wqy-microhei is not installed: Korean names are drawn as empty "
             "boxes in PNG and PDF files (apt-get install fonts-wqy-microhei)")
    return None


def _register_bold_too(manager, path: Path) -> None:
    """The font has one weight: registered as bold too, a bold title finds it without a
    'Failed to find font weight bold' warning in the server's log (drawn regular, as before)."""
    import dataclasses

    regular = next(entry for entry in manager.ttflist if entry.fname == str(path))
    manager.ttflist.append(dataclasses.replace(regular, weight=700))


@functools.cache
def matplotlib_families() -> tuple[str, ...]:
    """The font.family list for matplotlib: DejaVu Sans first, IPAexGothic and WenQuanYi
    Micro Hei (where present) for each glyph it lacks (matplotlib >= 3.6 falls back per glyph),
    then the generic family."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    families = [LATIN]
    for family, path in ((CJK, cjk_path()), (WIDE, wide_path())):
        if path is not None:
            manager.addfont(str(path))
            _register_bold_too(manager, path)
            families.append(family)
    return (*families, "sans-serif")


def add_pdf_fonts(pdf, family: str) -> None:
    """DejaVu Sans (regular, bold, italic) as `family` in an fpdf2 document, IPAexGothic and
    WenQuanYi Micro Hei (where present) as its fallbacks for every style (one weight each: bold
    CJK is drawn regular)."""
    pdf.add_font(family, "", str(LATIN_DIR / "DejaVuSans.ttf"))
    pdf.add_font(family, "B", str(LATIN_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_font(family, "I", str(LATIN_DIR / "DejaVuSans-Oblique.ttf"))
    fallbacks = []
    if cjk_path() is not None:
        pdf.add_font(CJK, "", str(cjk_path()))
        fallbacks.append(CJK)
    if wide_path() is not None:
        pdf.add_font(WIDE, "", str(wide_path()), collection_font_number=0)
        fallbacks.append(WIDE)
    if fallbacks:
        pdf.set_fallback_fonts(fallbacks, exact_match=False)

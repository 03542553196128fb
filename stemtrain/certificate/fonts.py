"""Which fonts draw a certificate's text, and what they cannot draw.

matplotlib takes each glyph from the first family in `FONT_FALLBACK` that has it. Only Debian packages are
needed: ``fonts-noto-core`` (Arabic, Hebrew, Indic, Thai, Ethiopic, Georgian, Armenian, symbols),
``fonts-droid-fallback`` (Chinese, Japanese), ``fonts-nanum`` (Korean) and ``fonts-symbola`` (emoji as outlines, up to Unicode 9).
``fonts-noto-color-emoji`` cannot help: it is a bitmap font, and matplotlib refuses non-scalable fonts.
Missing families are skipped, so a machine without them still renders, with boxes for what it lacks.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import unicodedata
import warnings
from collections.abc import Iterator

__all__ = ["FONT_FALLBACK", "FONT_PACKAGES", "font_families", "missing_glyphs", "quiet_fonts"]

# (family, file name, Debian package). matplotlib takes each glyph from the first family that has it.
FONT_FALLBACK = (
    ("DejaVu Sans", "DejaVuSans.ttf", "bundled with matplotlib"),  # Latin, Greek, Cyrillic, basic Arabic/Hebrew
    ("Noto Sans", "NotoSans-Regular.ttf", "fonts-noto-core"),
    ("Noto Sans Arabic", "NotoSansArabic-Regular.ttf", "fonts-noto-core"),
    ("Noto Sans Hebrew", "NotoSansHebrew-Regular.ttf", "fonts-noto-core"),
    ("Noto Sans Devanagari", "NotoSansDevanagari-Regular.ttf", "fonts-noto-core"),
    ("Noto Sans Bengali", "NotoSansBengali-Regular.ttf", "fonts-noto-core"),
    ("Noto Sans Tamil", "NotoSansTamil-Regular.ttf", "fonts-noto-core"),
    ("Noto Sans Thai", "NotoSansThai-Regular.ttf", "fonts-noto-core"),
    ("Noto Sans Ethiopic", "NotoSansEthiopic-Regular.ttf", "fonts-noto-core"),
    ("Noto Sans Georgian", "NotoSansGeorgian-Regular.ttf", "fonts-noto-core"),
    ("Noto Sans Armenian", "NotoSansArmenian-Regular.ttf", "fonts-noto-core"),
    ("Droid Sans Fallback", "DroidSansFallbackFull.ttf", "fonts-droid-fallback"),  # Chinese, Japanese
    ("NanumGothic", "NanumGothic.ttf", "fonts-nanum"),  # Korean Hangul, which Droid Sans Fallback lacks
    ("Symbola", "Symbola_hint.ttf", "fonts-symbola"),  # emoji as outlines, up to Unicode 9
    ("Noto Sans Symbols2", "NotoSansSymbols2-Regular.ttf", "fonts-noto-core"),
)
FONT_PACKAGES = frozenset(package for _, _, package in FONT_FALLBACK if package.startswith("fonts-"))
_GLYPH_WARNING = r"Glyph .* missing from (current )?font"


@functools.cache
def font_families() -> tuple[str, ...]:
    """The fallback families installed here, in order; fonts installed after matplotlib built its cache are added."""
    from matplotlib import font_manager

    known = {entry.name for entry in font_manager.fontManager.ttflist}
    missing = [(family, filename) for family, filename, _ in FONT_FALLBACK if family not in known]
    if missing:
        files = {os.path.basename(path): path for path in font_manager.findSystemFonts(fontext="ttf")}
        for family, filename in missing:
            if filename in files:
                font_manager.fontManager.addfont(files[filename])
                known.add(family)
    return tuple(family for family, _, _ in FONT_FALLBACK if family in known)


def missing_glyphs(text: str) -> str:
    """The characters of *text* that no installed fallback font can draw (they print as boxes)."""
    from matplotlib import font_manager

    fonts = [font_manager.get_font(font_manager.findfont(font_manager.FontProperties(family=family))) for family in font_families()]
    skip = {"Cf", "Mn", "Me", "Zs", "Cc"}
    return "".join(
        dict.fromkeys(c for c in text if unicodedata.category(c) not in skip and not any(f.get_char_index(ord(c)) for f in fonts))
    )


class _QuietFallback(logging.Filter):
    """Drops matplotlib's note that a fallback font has no bold face (the regular face is used, as intended)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("findfont: Failed to find font weight")


@contextlib.contextmanager
def quiet_fonts() -> Iterator[None]:
    """Keep expected font notes out of the caller's warnings and logs; a box for a missing glyph is documented."""
    logger, quiet = logging.getLogger("matplotlib.font_manager"), _QuietFallback()
    logger.addFilter(quiet)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=_GLYPH_WARNING, category=UserWarning)
            yield
    finally:
        logger.removeFilter(quiet)

"""The certificate page's geometry and the cursor that lays out its centred text blocks, each fitted to its budget."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from .claims import Claims
from .fonts import font_families
from .linebreaks import wrap
from .qr import draw_qr
from .textlayer import CODE_LABEL

__all__ = ["A4", "BLUE", "GREY", "HEIGHT", "SIZES", "TEXT_WIDTH", "VERMILLION", "WIDTH", "Page"]

A4 = (8.27, 11.69)  # inches
WIDTH, HEIGHT = A4[0] * 72, A4[1] * 72  # points; the figure is drawn at 72 dpi, so a pixel is a point
TEXT_WIDTH = WIDTH - 2 * 66
SIZES = (24, 20, 17, 14.5, 12.5, 11, 10, 9, 8, 7, 6)  # a fixed ladder, so matplotlib's font lookups are cached
BLUE, GREY, VERMILLION = "#0072B2", "#555555", "#D55E00"  # Okabe-Ito


class Page:
    """A cursor down the page that places centred text blocks, each shrunk and wrapped to fit its budget."""

    def __init__(self, fig: Any, renderer: Any) -> None:
        self.fig, self.renderer, self.y = fig, renderer, 86.0  # y: points from the top
        self._widths: dict[tuple[str, float, str], float] = {}

    def _props(self, size: float, weight: str = "normal", family: Sequence[str] | None = None) -> Any:
        from matplotlib.font_manager import FontProperties

        return FontProperties(family=list(family or font_families()), size=size, weight=weight)

    def fit(self, text: str, size: float, budget: float, weight: str, shrink_to: float) -> tuple[float, list[str]]:
        """The largest size from *size* down to *shrink_to* at which *text* wraps into *budget* points of height."""
        for step in [size] + [s for s in SIZES if shrink_to <= s < size]:
            lines = wrap(text, functools.partial(self.width, size=step, weight=weight), TEXT_WIDTH)
            if len(lines) * step * 1.25 <= budget:
                break
        return step, lines

    def width(self, line: str, *, size: float, weight: str) -> float:
        """The width of one line in points, remembered: wrapping asks about the same prefixes many times."""
        key = (line, size, weight)
        if key not in self._widths:
            props = self._props(size, weight)
            self._widths[key] = self.renderer.get_text_width_height_descent(line, props, ismath=False)[0]
        return self._widths[key]

    def block(
        self,
        text: str,
        size: float,
        *,
        budget: float,
        gap: float,
        weight: str = "normal",
        color: str = "black",
        shrink_to: float | None = None,
        boxed: bool = False,
    ) -> None:
        """One centred block at the cursor, fitted to *budget* points of height; the cursor moves below it."""
        size, lines = self.fit(text, size, budget, weight, shrink_to or size)
        box = {"boxstyle": "round,pad=0.5", "facecolor": "white", "edgecolor": color, "linewidth": 1.5} if boxed else None
        artist = self.fig.text(
            0.5,
            1 - (self.y + (8 if boxed else 0)) / HEIGHT,
            "\n".join(lines),
            ha="center",
            va="top",
            fontproperties=self._props(size, weight),
            color=color,
            linespacing=1.2,
            parse_math=False,
            bbox=box,
        )
        extent = artist.get_window_extent(self.renderer)
        self.y = HEIGHT - extent.y0 + (14 if boxed else 0) + gap

    def modules(self, modules: Sequence[str], budget: float) -> None:
        """The module list, shortened with "and N more" (the most that fit, by bisection) if small type cannot hold it."""

        def text(shown: int) -> str:
            return ", ".join(modules[:shown]) + (f", and {len(modules) - shown} more" if shown < len(modules) else "")

        def fits(shown: int) -> bool:
            size, lines = self.fit(text(shown), 10.5, budget, "normal", 7)
            return len(lines) * size * 1.25 <= budget

        shown = len(modules)
        if not fits(shown):
            low, high = 1, shown - 1
            while low < high:
                middle = (low + high + 1) // 2
                low, high = (middle, high) if fits(middle) else (low, middle - 1)
            shown = low
        size, _ = self.fit(text(shown), 10.5, budget, "normal", 7)
        self.block(text(shown), size, budget=budget, gap=0, color=GREY)

    def footer(self, claims: Claims, qr_text: str) -> None:
        """The QR code, the verification code and how to check the certificate, along the bottom of the page."""
        size, left, bottom = 150.0, 66.0, 62.0
        draw_qr(self.fig, qr_text, left, bottom, size)
        x = (left + size + 22) / WIDTH
        mono = self._props(19, "bold", ["DejaVu Sans Mono"])
        self.fig.text(x, (bottom + 118) / HEIGHT, CODE_LABEL, fontproperties=self._props(11), parse_math=False)
        self.fig.text(x, (bottom + 92) / HEIGHT, claims.code, fontproperties=mono, parse_math=False)
        lines = [
            f"Signing key id: {claims.key_id}",
            "To check this certificate, run",
            "stemtrain certificate verify FILE.pdf --key ISSUER.pem",
            "with the issuer's published public key. The QR code",
            "and the file attached to this PDF hold the signed data.",
        ]
        self.fig.text(
            x,
            (bottom + 74) / HEIGHT,
            "\n".join(lines),
            va="top",
            fontproperties=self._props(8.5),
            color=GREY,
            linespacing=1.35,
            parse_math=False,
        )

"""The certificate's QR code, drawn as one vector path so it stays sharp at any zoom and in any print.

It carries the envelope token (signed claims and signature), or ``URL#token`` when the issuer has a
verification page. Error correction M when it fits, else L; a token too long for any QR code (a very long
name and many modules) gives a QR code that says the signed data is in the attached file instead.
"""

from __future__ import annotations

from typing import Any

__all__ = ["draw_qr"]


def draw_qr(fig: Any, text: str, left: float, bottom: float, size: float) -> None:
    """The QR code as one vector path (crisp at any zoom), with its quiet zone."""
    import segno
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path
    from matplotlib.transforms import Affine2D

    qr = None
    for level in ("m", "l"):
        try:
            qr = segno.make(text, error=level, micro=False)
            break
        except segno.DataOverflowError:
            continue
    if qr is None:  # too much for any QR code: the attached file still holds everything
        qr = segno.make("stemtrain certificate: the signed data is in the PDF's attached file", micro=False)
    n, border = len(qr.matrix), 4
    unit = size / (n + 2 * border)
    vertices, codes = [], []
    for row_index, row in enumerate(qr.matrix):
        top = bottom + size - (border + row_index) * unit
        column = 0
        while column < n:
            if not row[column]:
                column += 1
                continue
            start = column
            while column < n and row[column]:
                column += 1
            x0, x1 = left + (border + start) * unit, left + (border + column) * unit
            y0 = top - unit * 1.02  # overlap the row below a little: no hairline seams in viewers
            vertices += [(x0, y0), (x1, y0), (x1, top), (x0, top), (x0, y0)]
            codes += [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]
    points = Affine2D().scale(1 / 72) + fig.dpi_scale_trans
    fig.add_artist(Rectangle((left, bottom), size, size, transform=points, facecolor="white", edgecolor="none"))
    fig.add_artist(PathPatch(Path(vertices, codes), transform=points, facecolor="black", edgecolor="none"))

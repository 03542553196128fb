"""The small pieces of the class report's HTML: escaped text, numbers, an embedded figure, a table, the style sheet.

Every text that came from a learner or a bank goes through ``escaped``: HTML-escaped and isolated with ``<bdi>``.
"""

from __future__ import annotations

import base64
import html
import warnings
from collections.abc import Iterable, Sequence

from stemtrain.figures.base import TeachingFigure

__all__ = ["CSS", "decimal", "escaped", "figure_html", "percent", "table_html"]

CSS = """body{font-family:system-ui,'DejaVu Sans',Arial,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;
color:#1a1a1a;line-height:1.45}h1{font-size:1.7rem}h2{margin-top:2.2rem;border-bottom:2px solid #0072B2}
caption{text-align:left;padding:.3rem 0;font-size:.9rem}table{border-collapse:collapse;margin:.6rem 0 1.2rem;font-size:.93rem}
th,td{border:1px solid #bbb;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#e8e8e8}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.pass{background:#dff2e9}td.below{background:#fde7da}table.class td,table.class th{white-space:nowrap}div.wide{overflow-x:auto}
tr.module th{background:#cfe3f2}tr.case td{background:#f3f3f3;font-style:italic}tr.part td:first-child{padding-left:1.6rem}
.warn{background:#fff4d6;border-left:5px solid #E69F00;padding:.5rem 1rem}.flag{color:#8a3b00}
figure{margin:1rem 0}figure img{max-width:100%;height:auto}figcaption{font-size:.9rem;color:#333}
details{margin:.4rem 0}summary{cursor:pointer;font-weight:600}code{font-size:.9em}"""


def escaped(text: object) -> str:
    """Escaped text from a learner or the bank, isolated so right-to-left text cannot reorder its neighbours."""
    return f"<bdi>{html.escape(str(text), quote=True)}</bdi>"


def percent(v: float | None) -> str:
    """A share as a whole percentage, or a dash where the value is undefined."""
    return "–" if v is None else f"{round(100 * v) + 0:.0f} %"


def decimal(v: float | None, digits: int = 2) -> str:
    """A number to ``digits`` places (never "-0.00"), or a dash where the value is undefined."""
    return "–" if v is None else f"{round(v, digits) + 0.0:.{digits}f}"  # + 0.0: no "-0.00"


def figure_html(tf: TeachingFigure) -> str:
    """A figure as an inline PNG with its description as caption, so the page needs no other file."""
    with warnings.catch_warnings():  # an id in an unusual script may miss a glyph; the HTML carries the text
        warnings.filterwarnings("ignore", message="Glyph .* missing from")
        png = base64.b64encode(tf.to_png()).decode("ascii")
    return (
        f'<figure><img src="data:image/png;base64,{png}" alt="{html.escape(tf.title, quote=True)}">'
        f"<figcaption>{html.escape(tf.description)}</figcaption></figure>"
    )


def table_html(head: Sequence[str], rows: Iterable[str], caption: str = "", cls: str = "") -> str:
    """A table with a header row, wrapped so that a wide one scrolls instead of spilling off the page."""
    cap = f"<caption>{caption}</caption>" if caption else ""
    ths = "".join(f'<th scope="col">{h}</th>' for h in head)
    attr = f' class="{cls}"' if cls else ""
    table = f"<table{attr}>{cap}<thead><tr>{ths}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    return f'<div class="wide">{table}</div>'  # a wide table scrolls sideways instead of spilling off the page

"""Bank Markdown as XHTML elements inside an XML document (QTI item bodies, Canvas mattext is text instead).

``stemtrain.markup.render`` gives HTML (``<br>``, ``target``/``rel`` on links); QTI wants well-formed XHTML in its own
namespace with only the attributes its schema knows. The rendered HTML is re-read here with the standard
library's HTML parser and rebuilt as ElementTree elements, keeping the subset banks may use.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from ..markup import render, render_inline

__all__ = ["append_markdown"]

_ALLOWED = {"p": (), "strong": (), "em": (), "ul": (), "ol": (), "li": (), "code": (), "br": (), "a": ("href",)}
_VOID = {"br"}


class _Builder(HTMLParser):
    """Rebuilds an HTML fragment under ``parent``; unknown tags keep their text and lose the tag."""

    def __init__(self, parent: ET.Element, ns: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack = [parent]
        self.ns = ns

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ALLOWED:
            return
        keep = {k: v for k, v in attrs if k in _ALLOWED[tag] and v is not None}
        el = ET.SubElement(self.stack[-1], f"{{{self.ns}}}{tag}" if self.ns else tag, keep)
        if tag not in _VOID:
            self.stack.append(el)

    def handle_endtag(self, tag: str) -> None:
        if tag in _ALLOWED and tag not in _VOID and len(self.stack) > 1:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        node = self.stack[-1]
        if len(node):
            last = node[-1]
            last.tail = (last.tail or "") + data
        else:
            node.text = (node.text or "") + data


def append_markdown(parent: ET.Element, markdown: str, ns: str, *, inline: bool = False) -> ET.Element:
    """Append bank Markdown to ``parent`` as XHTML elements (blocks, or inline content with ``inline``)."""
    builder = _Builder(parent, ns)
    builder.feed(render_inline(markdown) if inline else render(markdown))
    builder.close()
    return parent

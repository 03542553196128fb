"""The words printed on a certificate, and how to read them back out of the PDF's text layer.

The page and the verifier share the labels and formats defined here, so what `pdf` prints is what `verify`
looks for.

Two things stand between a printed name and the text pypdf reads back, and both are handled here:

* matplotlib 3.11 shapes text with libraqm and gives *every* glyph of a multi-glyph cluster the whole
  cluster's text in the PDF's ToUnicode map. A thumbs-up with a skin tone, a flag, a ZWJ family emoji, an
  Arabic letter with a vowel mark or a Devanagari syllable then reads back two or three times.
  `fix_cluster_text` rewrites each such map so one glyph per cluster (the one for the cluster's first
  character, else a ligature, else a glyph with no character of its own) carries the text and the others
  (marks, modifiers, joiners) read as nothing.
* Text in right-to-left scripts is drawn in visual order, and pypdf puts the words of an RTL run back in
  an order of its own. `name_matches` therefore compares RTL names as a multiset of characters, and names
  with multi-character clusters as a set, instead of character by character.

The text layer is not all a reader sees: text can be drawn over the page, or a font's glyphs redrawn.
`page_digest` fingerprints everything the page draws with (content, fonts, resources), so a signature
over it (the page seal) shows that the page is the one the issuer rendered.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from collections import Counter
from datetime import datetime
from typing import Any

__all__ = [
    "CODE_LABEL",
    "DATE_LABEL",
    "NAME_AFTER",
    "NAME_BEFORE",
    "SCORE_LABEL",
    "SELF_STUDY",
    "fix_cluster_text",
    "format_date",
    "format_score",
    "name_matches",
]

NAME_BEFORE = "This certifies that"
NAME_AFTER = "has passed the final assessment of"
SCORE_LABEL = "Score:"
DATE_LABEL = "Issued:"
CODE_LABEL = "Verification code:"
SELF_STUDY = "Self-study, not proctored"
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_score(permille: int) -> str:
    """``87.5 %`` from 875: integer arithmetic, so nothing is lost to float rounding."""
    return f"{permille // 10}.{permille % 10} %"


def format_date(when: datetime) -> str:
    """``12 March 2025, 09:30 UTC``, in English whatever the machine's locale."""
    return f"{when.day} {_MONTHS[when.month - 1]} {when.year}, {when:%H:%M} UTC"


# --- comparing a printed name with the signed one -------------------------------------------------------------


def _is_rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL", "AN")


def _joins_cluster(char: str) -> bool:
    """Characters that make a cluster of more than one code point (and so may come back reordered)."""
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me", "Cf")
        or "\U0001f3fb" <= char <= "\U0001f3ff"  # skin tones
        or "\U0001f1e6" <= char <= "\U0001f1ff"  # regional indicators (flags)
        or "\ufe00" <= char <= "\ufe0f"
    )


def _letters(text: str) -> str:
    """NFC text without white space or invisible format characters."""
    text = unicodedata.normalize("NFC", text)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


def name_matches(printed: str, signed: str) -> bool:
    """Whether the text layer's name region *printed* shows the *signed* name.

    Exact (ignoring white space, where wrapping puts line breaks) for names in left-to-right scripts made of
    single code points; a multiset of characters for right-to-left names (the extractor reorders words); a
    set of characters when a cluster joins several code points. The signature, not this check, is what makes
    a certificate genuine; this check catches a page whose visible name was edited.
    """
    seen, want = _letters(printed), _letters(signed)
    if seen == want:
        return True
    if any(_joins_cluster(c) for c in signed):
        return set(seen) == set(want)
    if any(_is_rtl(c) for c in signed):
        return Counter(seen) == Counter(want)
    return False


# --- the ToUnicode repair -------------------------------------------------------------------------------------

_RANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*\[([^\]]*)\]")
_HEX = re.compile(rb"<([0-9a-fA-F]*)>")
_CMAP_HEAD = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <ffff>
endcodespacerange
"""
_CMAP_TAIL = b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"


def fix_cluster_text(writer: Any) -> None:
    """Repair, in place, the ToUnicode maps of every Type 0 font on every page of a pypdf ``PdfWriter``."""
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            if font.get("/Subtype") == "/Type0" and "/ToUnicode" in font:
                _fix_font(font)


def _fix_font(font: Any) -> None:
    from fontTools.ttLib import TTFont

    descendant = font["/DescendantFonts"][0].get_object()
    cid_to_gid = descendant["/CIDToGIDMap"].get_object().get_data()
    fontfile = descendant["/FontDescriptor"].get_object().get("/FontFile2")
    if fontfile is None:
        return
    tt = TTFont(io.BytesIO(fontfile.get_object().get_data()), lazy=True)
    order = tt.getGlyphOrder()
    chars: dict[str, set[str]] = {}
    for codepoint, glyph in (tt.getBestCmap() or {}).items():
        chars.setdefault(glyph, set()).add(chr(codepoint))
    gdef = tt["GDEF"].table if "GDEF" in tt else None
    classes = gdef.GlyphClassDef.classDefs if gdef is not None and gdef.GlyphClassDef else {}

    stream = font["/ToUnicode"].get_object()
    mapping = _read_cmap(stream.get_data())
    clusters: dict[str, list[int]] = {}
    for code, text in mapping.items():
        if len(text) > 1:
            clusters.setdefault(text, []).append(code)
    changed = False
    for text, codes in clusters.items():
        if len(codes) < 2:
            continue  # a ligature: one glyph, many characters, already right
        glyphs = {}
        for code in codes:
            gid = int.from_bytes(cid_to_gid[2 * code : 2 * code + 2], "big")
            glyphs[code] = order[gid] if gid < len(order) else ""
        carriers = (
            [c for c in codes if text[0] in chars.get(glyphs[c], ())]
            or [c for c in codes if classes.get(glyphs[c]) == 2]  # GDEF class 2: ligature
            or [c for c in codes if not chars.get(glyphs[c]) and classes.get(glyphs[c]) != 3]  # 3: mark
            or codes[:1]
        )
        for code in codes:
            if code not in carriers:
                mapping[code] = ""
                changed = True
    if changed:
        stream.set_data(_write_cmap(mapping))


def _read_cmap(data: bytes) -> dict[int, str]:
    """The bfrange arrays matplotlib writes, as code -> text."""
    mapping: dict[int, str] = {}
    for match in _RANGE.finditer(data):
        start = int(match[1], 16)
        for offset, value in enumerate(_HEX.findall(match[3])):
            mapping[start + offset] = bytes.fromhex(value.decode("ascii")).decode("utf-16-be", "surrogatepass")
    return mapping


def _write_cmap(mapping: dict[int, str]) -> bytes:
    """bfchar entries (which, unlike bfrange arrays, may map a code to nothing: ``<>``)."""
    items = sorted(mapping.items())
    body = []
    for start in range(0, len(items), 100):
        chunk = items[start : start + 100]
        body.append(b"%d beginbfchar\n" % len(chunk))
        body += [b"<%04x> <%s>\n" % (code, text.encode("utf-16-be", "surrogatepass").hex().encode()) for code, text in chunk]
        body.append(b"endbfchar\n")
    return _CMAP_HEAD + b"".join(body) + _CMAP_TAIL


# --- the page's fingerprint -----------------------------------------------------------------------------------

_ENCODING_KEYS = {"/Length", "/Length1", "/Length2", "/Length3", "/Filter", "/DecodeParms"}


def page_digest(page: Any) -> bytes:
    """SHA-256 over what a pypdf page draws: its box, its content and every resource it uses, streams decoded,
    so re-compressing the file changes nothing and drawing anything over it changes everything."""
    digest = hashlib.sha256(b"stemtrain-page/1\0")
    _feed(digest, [page.raw_get(k) if k in page else None for k in ("/MediaBox", "/Resources")], frozenset())
    contents = page.get_contents()
    digest.update(b"content\0" + (contents.get_data() if contents is not None else b""))
    return digest.digest()


def _feed(digest: Any, value: Any, path: frozenset[tuple[int, int]]) -> None:
    """Hash a PDF object tree in a canonical order: dictionary keys sorted, references followed (a reference
    back to an object on the current path hashes as a marker, so cycles end and shared objects still count)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    if isinstance(value, IndirectObject):
        ref = (value.idnum, value.generation)
        if ref in path:
            digest.update(b"cycle\0")
            return
        path, value = path | {ref}, value.get_object()
    if isinstance(value, StreamObject):
        digest.update(b"stream\0" + hashlib.sha256(value.get_data()).digest())
    if isinstance(value, DictionaryObject):
        digest.update(b"{")
        for key in sorted(k for k in value if not (isinstance(value, StreamObject) and k in _ENCODING_KEYS)):
            digest.update(str(key).encode() + b"\0")
            _feed(digest, value.raw_get(key), path)
        digest.update(b"}")
    elif isinstance(value, (ArrayObject, list)):
        digest.update(b"[")
        for item in value:
            _feed(digest, item, path)
        digest.update(b"]")
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        digest.update(f"{float(value):.6g}\0".encode())
    elif value is not None and not isinstance(value, StreamObject):
        digest.update(repr(value).encode("utf-8", "surrogatepass") + b"\0")

"""Verification codes people can read aloud and type: Crockford base32 with a mod-37 check symbol.

Crockford's alphabet leaves out I, L, O and U, so a code never holds two characters that look alike; when
someone types one anyway it is read as the digit it resembles (O as 0, I and L as 1). The check symbol
(value mod 37, Crockford's extra symbols ``*~$=U`` for 32-36) catches every single changed character and
every swap of two neighbouring data characters: 37 is prime, and neither 32 nor 31 is a multiple of it.

A code is 12 data symbols (60 random bits) and the check symbol, shown as ``XXXX-XXXX-XXXX-C``.
"""

from __future__ import annotations

import random
import secrets

__all__ = ["ALPHABET", "CHECK_SYMBOLS", "DATA_LENGTH", "CodeError", "check_symbol", "is_valid", "new_code", "normalise"]

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_SYMBOLS = ALPHABET + "*~$=U"
DATA_LENGTH = 12
_GROUP = 4
_VALUE = {symbol: value for value, symbol in enumerate(CHECK_SYMBOLS)}
_READ_AS = {"O": "0", "I": "1", "L": "1"}
_SEPARATORS = frozenset(" -\t\u00a0")


class CodeError(ValueError):
    """The text is not shaped like a verification code; the message says what is wrong."""


def check_symbol(data: str) -> str:
    """The mod-37 check symbol of the data symbols (already normalised, no hyphens)."""
    total = 0
    for symbol in data:
        total = total * 32 + _VALUE[symbol]
    return CHECK_SYMBOLS[total % 37]


def new_code(rng: random.Random | None = None) -> str:
    """A fresh code, grouped for reading; *rng* makes it reproducible in tests (default: the OS's randomness)."""
    bits = (rng or secrets.SystemRandom()).getrandbits(5 * DATA_LENGTH)
    data = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in reversed(range(DATA_LENGTH)))
    return _group(data + check_symbol(data))


def normalise(text: str) -> str:
    """The canonical ``XXXX-XXXX-XXXX-C`` form of what someone typed; does not judge the check symbol.

    Accepts lower case, spaces and hyphens anywhere, and O, I, L for 0, 1, 1. Raises `CodeError` when the
    length or a character is wrong.
    """
    symbols = [_READ_AS.get(c, c) for c in text.upper() if c not in _SEPARATORS]
    if len(symbols) != DATA_LENGTH + 1:
        raise CodeError(f"a verification code has {DATA_LENGTH + 1} characters, not {len(symbols)}")
    for position, symbol in enumerate(symbols[:DATA_LENGTH], start=1):
        if symbol not in ALPHABET:
            raise CodeError(f"character {position} ({symbol!r}) cannot appear in a verification code")
    if symbols[-1] not in CHECK_SYMBOLS:
        raise CodeError(f"the last character ({symbols[-1]!r}) is not a check symbol")
    return _group("".join(symbols))


def is_valid(text: str) -> bool:
    """True if *text* reads as a code whose check symbol matches (so it holds no typo we can detect)."""
    try:
        compact = normalise(text).replace("-", "")
    except CodeError:
        return False
    return check_symbol(compact[:DATA_LENGTH]) == compact[DATA_LENGTH]


def _group(compact: str) -> str:
    data, check = compact[:DATA_LENGTH], compact[DATA_LENGTH:]
    return "-".join([data[i : i + _GROUP] for i in range(0, DATA_LENGTH, _GROUP)] + [check])

"""Verification codes: the alphabet, the check symbol, typo detection and forgiving input."""

from __future__ import annotations

import random
import re

import pytest

from stemtrain.certificate.code import ALPHABET, CHECK_SYMBOLS, CodeError, check_symbol, is_valid, new_code, normalise

CODE_SHAPE = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z*~$=U]")


def test_alphabet_leaves_out_the_letters_that_look_like_digits_or_spell_words():
    assert len(ALPHABET) == 32 and len(set(ALPHABET)) == 32
    assert not set("ILOU") & set(ALPHABET)
    assert CHECK_SYMBOLS == ALPHABET + "*~$=U"


def test_new_codes_are_grouped_valid_and_reproducible_with_a_seed():
    codes = [new_code(random.Random(seed)) for seed in range(200)]
    assert all(CODE_SHAPE.fullmatch(code) and is_valid(code) for code in codes)
    assert new_code(random.Random(7)) == new_code(random.Random(7))
    assert len(set(codes)) == 200
    assert is_valid(new_code())  # the OS's randomness


def test_check_symbol_is_the_value_mod_37():
    assert check_symbol("000000000000") == "0"
    assert check_symbol("000000000001") == "1"
    assert check_symbol("000000000011") == CHECK_SYMBOLS[33 % 37]  # 1*32 + 1
    assert check_symbol("0000000000ZZ") == CHECK_SYMBOLS[(31 * 32 + 31) % 37]


@pytest.mark.parametrize("seed", range(25))
def test_every_single_changed_character_is_detected(seed):
    compact = new_code(random.Random(seed)).replace("-", "")
    for position in range(len(compact)):
        symbols = ALPHABET if position < 12 else CHECK_SYMBOLS
        for other in symbols:
            if other != compact[position]:
                typo = compact[:position] + other + compact[position + 1 :]
                assert not is_valid(typo), (compact, typo)


@pytest.mark.parametrize("seed", range(25))
def test_every_swap_of_neighbouring_data_characters_is_detected(seed):
    compact = new_code(random.Random(seed)).replace("-", "")
    for i in range(11):
        if compact[i] != compact[i + 1]:
            swapped = compact[:i] + compact[i + 1] + compact[i] + compact[i + 2 :]
            assert not is_valid(swapped), (compact, swapped)


def test_normalise_accepts_what_people_type():
    code = new_code(random.Random(3))
    typed = " ".join(code.replace("-", "").lower())
    assert normalise(typed) == code
    assert normalise(code.replace("-", "")) == code
    assert normalise("oooo-iiii-llll-0") == "0000-1111-1111-0"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("ABCD-EFGH-JKM", "13 characters"),
        ("ABCD-EFGH-JKMN-PQ", "13 characters"),
        ("ABCU-EFGH-JKMN-P", "character 4"),
        ("ABC!-EFGH-JKMN-P", "character 4"),
        ("ABCD-EFGH-JKMN-#", "check symbol"),
    ],
)
def test_normalise_says_what_is_wrong(text, reason):
    with pytest.raises(CodeError, match=reason):
        normalise(text)
    assert not is_valid(text)


def test_u_is_a_check_symbol_only():
    data = next(d for d in ("".join(random.Random(s).choices(ALPHABET, k=12)) for s in range(5000)) if check_symbol(d) == "U")
    assert is_valid(data + "U") and is_valid(data + "u")

"""Identifier checks: GB 32100-2015 (USCC) and GB 11643-1999 (resident id).

Each valid example is checked against an independent formulation of the standard in
this file, not only against the implementation.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from stdnum.cn import uscc as stdnum_uscc

from liuhen.subjects.identifiers import (
    USCC_CHARSET,
    mask_resident_id,
    normalize_plate,
    normalize_resident_id,
    normalize_uscc,
    organisation_code_check_char,
    resident_id_check_char,
    uscc_check_char,
    validate_resident_id,
    validate_uscc,
)

# --- independent formulations ------------------------------------------------------


def uscc_ok_independently(code: str) -> bool:
    # GB 32100-2015: weights are 3^i mod 31; with the check character (weight 1 after
    # the 17 weighted ones) the total is a multiple of 31.
    values = [USCC_CHARSET.index(char) for char in code]
    weighted = sum(value * pow(3, i, 31) for i, value in enumerate(values[:17]))
    return (weighted + values[17]) % 31 == 0


def organisation_code_ok_independently(code: str) -> bool:
    # GB 11714-1997: over the eight body characters (A–Z as 10–35) with weights
    # 3, 7, 9, 10, 5, 8, 4, 2 the check value C9 makes the weighted sum plus C9 a multiple
    # of 11 (10 is written X, 11 is written 0).
    values = [int(char, 36) for char in code[:8]]
    check = 10 if code[8] == "X" else int(code[8])
    weighted = sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    return (weighted + check) % 11 == 0


def resident_id_ok_independently(number: str) -> bool:
    # ISO 7064 MOD 11-2: over all 18 characters with weights 2^(17-i) mod 11 ("X" = 10)
    # the sum is congruent to 1 modulo 11.
    values = [10 if char == "X" else int(char) for char in number]
    return sum(value * pow(2, 17 - i, 11) for i, value in enumerate(values)) % 11 == 1


# --- USCC -----------------------------------------------------------------------------

KNOWN_USCC = ["91110000600037341L", "91350100M000100Y43", "91110108551385082Q"]


@pytest.mark.parametrize("code", KNOWN_USCC)
def test_known_uscc_are_valid(code: str) -> None:
    assert uscc_ok_independently(code)
    assert organisation_code_ok_independently(code[8:17])
    assert stdnum_uscc.is_valid(code)
    assert validate_uscc(code)


def _random_uscc_body(rng: random.Random, authority: str = "9") -> str:
    region = f"{rng.choice([11, 21, 44, 65])}{rng.randrange(10_000):04d}"
    organisation = "".join(rng.choice(USCC_CHARSET) for _ in range(8))
    body = f"{authority}{rng.choice('123')}{region}{organisation}"
    return body + organisation_code_check_char(organisation)


def test_random_codes_agree_with_independent_checks_and_python_stdnum() -> None:
    rng = random.Random(32100)
    for _ in range(500):
        body = _random_uscc_body(rng)
        code = body + uscc_check_char(body)
        assert validate_uscc(code) and uscc_ok_independently(code)
        assert organisation_code_ok_independently(code[8:17])
        assert stdnum_uscc.is_valid(code)
        wrong = next(c for c in USCC_CHARSET if c != code[17])
        assert not validate_uscc(body + wrong) and not uscc_ok_independently(body + wrong)


def test_a_wrong_organisation_code_check_char_is_refused_though_the_last_one_fits() -> None:
    # GB 32100-2015 §4.3: characters 9–17 are the GB 11714 organisation code, check
    # character included; a code re-checksummed only at the end is still wrong.
    rng = random.Random(11714)
    for _ in range(200):
        body = _random_uscc_body(rng)
        wrong_org = next(c for c in "0123456789X" if c != body[16])
        forged = body[:16] + wrong_org
        code = forged + uscc_check_char(forged)
        assert uscc_ok_independently(code)
        assert not organisation_code_ok_independently(code[8:17])
        assert not validate_uscc(code)


def test_an_agricultural_authoritys_code_is_valid() -> None:
    # 农村集体经济组织 are registered by the agriculture authorities: registering
    # authority N (GB 32100-2015 amendment), a prefix python-stdnum does not know.
    body = _random_uscc_body(random.Random(2), authority="N")
    assert validate_uscc(body + uscc_check_char(body))


@pytest.mark.parametrize(
    "code",
    [
        "91110000600037341M",  # wrong check character
        "91110000600037341",  # 17 characters
        "91110000600037341LL",  # 19
        "91110000600037341l",  # lower case is not normalised by the validator
        "9111000060003734IL",  # I is not in the character set
        "9111000060003734OL",  # nor O
        "9111A000600037341G",  # a letter in the region code, check characters fitting
        "B1110000600037341J",  # no registering authority B, check characters fitting
        "",
    ],
)
def test_invalid_uscc(code: str) -> None:
    assert not validate_uscc(code)


def test_uscc_normalisation_folds_full_width_and_spaces() -> None:
    assert normalize_uscc(" ９１１１００００６０００３７３４１ｌ ") == "91110000600037341L"
    assert normalize_uscc("9111 0000 6000 3734 1L") == "91110000600037341L"


# --- resident id ----------------------------------------------------------------------

TODAY = dt.date(2026, 6, 1)


def test_the_standards_example_is_valid() -> None:
    # GB 11643-1999 annex example.
    assert resident_id_ok_independently("11010519491231002X")
    assert validate_resident_id("11010519491231002X", today=TODAY)


def _random_valid_id(rng: random.Random) -> str:
    born = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(30_000))
    body = f"{rng.choice([11, 21, 44, 65])}{rng.randrange(10_000):04d}{born:%Y%m%d}"
    body += f"{rng.randrange(1000):03d}"
    return body + resident_id_check_char(body)


def test_random_numbers_get_a_check_digit_both_formulations_accept() -> None:
    rng = random.Random(11643)
    for _ in range(500):
        number = _random_valid_id(rng)
        assert validate_resident_id(number, today=TODAY)
        assert resident_id_ok_independently(number)
        wrong = next(c for c in "0123456789X" if c != number[17])
        assert not validate_resident_id(number[:17] + wrong, today=TODAY)
        assert not resident_id_ok_independently(number[:17] + wrong)


def _with_check(body: str) -> str:
    return body + resident_id_check_char(body)


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # wrong check digit
        "11010519491231002",  # 17 characters
        "11010519491231002XX",  # 19
        "11010519491231002x",  # lower case x is not normalised by the validator
        "1101051949123100AX",  # a letter in the body
        _with_check("11010519490231002"),  # 31 February
        _with_check("11010518991231002"),  # born before 1900
        _with_check("11010520270101002"),  # born after "today"
        _with_check("91010519491231002"),  # no province 91
        _with_check("01010519491231002"),  # area code starting with 0
    ],
)
def test_invalid_resident_ids(number: str) -> None:
    assert not validate_resident_id(number, today=TODAY)


def test_resident_id_normalisation_and_mask() -> None:
    assert normalize_resident_id(" 11010519491231002x ") == "11010519491231002X"
    assert normalize_resident_id("１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"
    masked = mask_resident_id("11010519491231002X")
    assert masked == "110***********002X"
    assert len(masked) == 18 and "19491231" not in masked


def test_plate_normalisation() -> None:
    assert normalize_plate("辽L·12345") == "辽L12345"
    assert normalize_plate(" 辽l 12345 ") == "辽L12345"

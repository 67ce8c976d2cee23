"""ICAO 9303 machine-readable zones (TD1 and TD3) with correct check digits.

Used by renderer A. Renderer B has its own implementation (synth/renderer_b.py)
so that the two renderers stay independent.
"""

from __future__ import annotations

_WEIGHTS = (7, 3, 1)


def char_value(c: str) -> int:
    if c.isdigit():
        return ord(c) - 48
    if "A" <= c <= "Z":
        return ord(c) - 55
    if c == "<":
        return 0
    raise ValueError(f"not an MRZ character: {c!r}")


def check_digit(field: str) -> str:
    return str(sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(field)) % 10)


def pad(s: str, n: int) -> str:
    s = "".join(c if (c.isalnum() and c.isascii()) else "<" for c in s.upper())
    return (s + "<" * n)[:n]


def name_field(surname: str, given: str, n: int) -> str:
    parts = pad(surname.replace(" ", "<"), n).rstrip("<")
    g = given.replace(" ", "<")
    return pad(parts + "<<" + g, n)


def td3(doc_type: str, state: str, surname: str, given: str, number: str, nationality: str,
        dob: str, sex: str, expiry: str, personal: str) -> tuple[str, str]:
    """Two 44-character lines of a passport data page."""
    l1 = pad(doc_type, 2) + pad(state, 3) + name_field(surname, given, 39)
    num = pad(number, 9)
    pers = pad(personal, 14)
    pers_cd = check_digit(pers) if personal else "<"
    l2 = (num + check_digit(num) + pad(nationality, 3) + dob + check_digit(dob) + sex
          + expiry + check_digit(expiry) + pers + pers_cd)
    composite = l2[0:10] + l2[13:20] + l2[21:43]
    l2 += check_digit(composite)
    assert len(l1) == 44 and len(l2) == 44
    return l1, l2


def td1(doc_type: str, state: str, number: str, optional1: str, dob: str, sex: str,
        expiry: str, nationality: str, optional2: str, surname: str, given: str) -> tuple[str, str, str]:
    """Three 30-character lines of an ID-1 card back."""
    num = pad(number, 9)
    l1 = pad(doc_type, 2) + pad(state, 3) + num + check_digit(num) + pad(optional1, 15)
    l2 = dob + check_digit(dob) + sex + expiry + check_digit(expiry) + pad(nationality, 3) + pad(optional2, 11)
    composite = l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
    l2 += check_digit(composite)
    l3 = name_field(surname, given, 30)
    assert len(l1) == 30 and len(l2) == 30 and len(l3) == 30
    return l1, l2, l3


if __name__ == "__main__":
    # ICAO 9303 part 4 specimen (Anna Maria Eriksson, UTO).
    a, b = td3("P", "UTO", "ERIKSSON", "ANNA MARIA", "L898902C3", "UTO", "740812", "F", "120415", "ZE184226B")
    assert a == "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", a
    assert b == "L898902C36UTO7408122F1204159ZE184226B<<<<<10", b
    # ICAO 9303 part 5 TD1 specimen.
    x, y, z = td1("I", "UTO", "D23145890", "", "740812", "F", "120415", "UTO", "", "ERIKSSON", "ANNA MARIA")
    assert x == "I<UTOD231458907<<<<<<<<<<<<<<<", x
    assert y == "7408122F1204159UTO<<<<<<<<<<<6", y
    assert z == "ERIKSSON<<ANNA<MARIA<<<<<<<<<<", z
    print("mrz ok")

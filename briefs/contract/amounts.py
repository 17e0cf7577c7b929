"""Amounts as users type them in contributions.csv: plain digits, or what is wrong.

Read for every row of the table (a hundred thousand for 2,000 donors); each mistake is told
with what to write instead.
"""

from __future__ import annotations

import re
import unicodedata

AMOUNT = re.compile(r"^[0-9]+(\.[0-9]+)?$")
# No contribution to one organisation comes near this: more is a typing mistake.
TOO_LARGE = 100e9


def parse_amount(text: str) -> tuple[float | None, str]:
    """The amount in a cell, or None with what is wrong and what to write instead."""
    if AMOUNT.match(text):
        value = float(text)
        if not value <= TOO_LARGE:  # inf and nan included
            return None, (f"'{_shorten(text)}' is more than US$ 100 billion, too large to be "
                          "a real contribution — check the digits (US dollars, no decimals "
                          "typed as digits)")
        return value, ""
    ascii_form = ascii_digits(text)
    if ascii_form != text and AMOUNT.match(ascii_form):
        return None, (f"'{text}' is written with full-width or other non-ASCII digits — type "
                      f"it with the digits 0–9: {ascii_form}")
    if text.startswith("-"):
        return None, f"'{text}' is negative — amounts are 0 or more"
    if re.fullmatch(r"\d+,\d{1,2}", text):
        return None, (f"'{text}' is not a number — use a decimal point, not a comma "
                      f"({text.replace(',', '.')})")
    if re.fullmatch(r"\d{1,3}([,. '\u00a0\u202f]\d{3})+([.,]\d+)?", text):
        return None, (f"'{text}' is not a number — use digits with a decimal point, "
                      "no thousands separators")
    if re.fullmatch(r"\d+,\d+", text):
        return None, (f"'{text}' is not a number — use digits with a decimal point, "
                      "no thousands separators or decimal comma")
    return None, (f"'{text}' is not a number — write the amount in US dollars as digits "
                  "with an optional decimal point, such as 9900000")


def ascii_digits(text: str) -> str:
    """The text with every decimal digit of any script (１, ٣, ३) written as 0–9."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c
                   for c in unicodedata.normalize("NFKC", text))


def _shorten(text: str, most: int = 24) -> str:
    return text if len(text) <= most else f"{text[:most]}… ({len(text)} characters)"

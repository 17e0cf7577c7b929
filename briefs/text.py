"""Small rules about words that every stage shares: placeholders, suggestions, plurals,
money and periods.

Each is written once here so that a layout label, a mail template and a message to the user
follow the same syntax and read the same way, and so that the PDF, `briefs diff`, `briefs list`
and the mail print the same figure for the same brief. Nothing here knows about briefs, files
or how a layout is represented: callers pass plain values.
"""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_FORMATTER = string.Formatter()


class PatternError(ValueError):
    """A pattern whose braces do not pair up; the message says how to write one."""


def placeholders(pattern: str) -> list[str]:
    """The placeholder names in a pattern, in order: `{name}`; `{{` and `}}` are braces.

    A format spec or conversion (`{amount:.1f}`, `{name!r}`) is kept in the name returned, so
    that it is reported as unknown rather than silently applied: patterns are data, and the
    values they are filled with are already formatted.
    """
    try:
        parts = list(_FORMATTER.parse(pattern))
    except ValueError as error:
        raise PatternError("has a lone '{' or '}' — placeholders are written {name}; write "
                           "{{ or }} for a brace itself") from error
    names = []
    for _, field, spec, conversion in parts:
        if field is None:
            continue
        names.append(_name(field, spec, conversion))
    return names


def _name(field: str, spec: str | None, conversion: str | None) -> str:
    return field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")


def unknown_placeholders(pattern: str, offered: Iterable[str]) -> list[str]:
    """Messages for each placeholder of `pattern` that is not in `offered`, with a suggestion.

    Raises PatternError for unpaired braces. An empty list means the pattern is good.
    """
    offered = list(offered)
    known = ", ".join("{" + name + "}" for name in offered) or "none"
    return [f"unknown placeholder {{{name}}}{did_you_mean(_bare(name), offered, show=_BRACED)} "
            f"(the placeholders are: {known})"
            for name in placeholders(pattern) if name not in offered]


_BRACED = "{{{}}}"


def _bare(name: str) -> str:
    """The field of a placeholder without its format spec or conversion: what was meant."""
    return name.split("!", 1)[0].split(":", 1)[0]


def fill(pattern: str, values: Mapping[str, str],
         escape: Callable[[str], str] | None = None,
         wrap: Mapping[str, Callable[[str], str]] | None = None,
         escape_pattern: bool = True) -> str:
    """The pattern with each `{name}` replaced by its value.

    `escape` is applied to the literal text and to the values alike (markup: the pattern's
    author and the data are both text), or to the values only with `escape_pattern` False
    (an HTML mail template, whose own text is HTML); `wrap` may then decorate chosen values
    (bold in a PDF paragraph). Placeholders were checked when the pattern was loaded, so a
    missing value is a bug and raises KeyError.
    """
    keep = escape or (lambda text: text)
    out: list[str] = []
    for literal, field, spec, conversion in _FORMATTER.parse(pattern):
        out.append(keep(literal) if escape_pattern else literal)
        if field is None:
            continue
        name = _name(field, spec, conversion)
        value = keep(values[name])
        if wrap and name in wrap:
            value = wrap[name](value)
        out.append(value)
    return "".join(out)


def did_you_mean(word: str, choices: Iterable[str], show: str = "'{}'",
                 cutoff: float = 0.6, otherwise: str = "",
                 spelled: Mapping[str, str] | None = None) -> str:
    """" — did you mean 'X'?" for the closest choice, or `otherwise` when none is close.

    `show` is how a choice is written back to the user, as a `str.format` pattern: "'{}'" for
    a value, "{{{}}}" for a placeholder, "'{{.{}}}'" for a section class. `otherwise` is what
    to say instead, such as " — the donors are: KOR, NOR"; '' says nothing. `spelled` maps
    choices compared in a normalised form (country names) to how they are written.
    """
    near = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    if not near:
        return otherwise
    return f" — did you mean {show.format((spelled or {}).get(near[0], near[0]))}?"


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 brief', '2 briefs', '0 briefs'; `many` for an irregular plural ('3 entries')."""
    return f"{count} {noun(count, word, many)}"


def noun(count: int, word: str, many: str | None = None) -> str:
    """The word alone as it goes with `count`: 'line' or 'lines'; 'is' or 'are' with `many`."""
    return word if count == 1 else (many or word + "s")


# --- figures ---------------------------------------------------------------------------------

PERIOD = "{start}–{end}"
MILLIONS = "{millions}"


def period(span: tuple[int, int], pattern: str = PERIOD) -> str:
    """A span of years as a layout writes it ('2018–2022'); one year alone ('2022') for one.

    An empty pattern (a label left blank) means the default, so a period is never blank.
    """
    start, end = span
    if start == end:
        return str(start)
    return fill(pattern or PERIOD, {"start": str(start), "end": str(end)})


def number(value: float, decimals: int = 1, decimal_mark: str = "", locale: str = "en") -> str:
    """A number with a fixed count of decimals in a language: '1,234.5', '1 234,5'.

    Rounded once, the same way in every language (Python's own rounding of the float), then
    written with the language's decimal mark and grouping (Babel, CLDR data), so a French and
    an English brief never disagree about a digit. `decimal_mark`, when given, replaces the
    language's mark (a layout's explicit choice wins).
    """
    text = _written(f"{value:.{decimals}f}", decimals, locale)
    if decimal_mark and decimals:
        head, _, tail = text.rpartition(_number_format(decimals, locale)[2])
        text = f"{head}{decimal_mark}{tail}"
    return text


@lru_cache(maxsize=4096)
def _written(digits: str, decimals: int, locale: str) -> str:
    """`digits` (the number rounded, as Python writes it) as the language writes it. Babel
    takes ~30 µs a number and a brief writes dozens, the same ones in its chart's
    description, its funding lines and its axes: kept, by everything the text depends on."""
    from decimal import Decimal

    pattern, language, _ = _number_format(decimals, locale)
    return pattern.apply(Decimal(digits), language, decimal_quantization=False)


@lru_cache(maxsize=64)
def _number_format(decimals: int, locale: str) -> tuple[Any, Any, str]:
    """Babel's pattern for `decimals` decimals, the locale and its decimal mark: parsed once,
    since a brief prints dozens of numbers."""
    from babel import Locale
    from babel.numbers import get_decimal_symbol, parse_pattern

    pattern = parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))
    return pattern, Locale.parse(locale), get_decimal_symbol(locale)


def percent(share: float, locale: str = "en") -> str:
    """A share (0.45) as a whole percentage in a language: '45%', '45 %'."""
    pattern, language = _percent_format(locale)
    return pattern.apply(round(share, 2), language)


@lru_cache(maxsize=16)
def _percent_format(locale: str) -> tuple[Any, Any]:
    from babel import Locale

    language = Locale.parse(locale)
    return language.percent_formats[None], language


def millions(amount_usd: float, decimals: int = 1, decimal_mark: str = "",
             locale: str = "en") -> str:
    """An amount in US dollars as millions with a fixed number of decimals: '63.0', '63,04';
    an amount so small that they would print it as nought keeps more, up to three (US$ 12,000
    is '0.012', never '0.0')."""
    while 0 < abs(amount_usd) < 0.5 * 10 ** (6 - decimals) and decimals < 3:
        decimals += 1
    return number(amount_usd / 1e6, decimals, decimal_mark, locale)


def qualifier_text(qualifier: str, words: Mapping[str, str] | None = None) -> str:
    """How a qualifier ('more than', 'about') is printed: the layout's word for it, if any."""
    return (words or {}).get(qualifier, qualifier)


def money(amount_usd: float, qualifier: str = "", pattern: str = MILLIONS, decimals: int = 1,
          decimal_mark: str = "", words: Mapping[str, str] | None = None,
          locale: str = "en") -> str:
    """An amount as printed: 'more than US$ 63.0 million' (qualifier, then the pattern).

    `pattern` holds `{millions}` ('US$ {millions} million' in a PDF, '{millions}' in a table
    headed 'US$ million'); `decimals` and `decimal_mark` come from the layout's labels, so
    every place that prints the same brief prints the same figure; `locale` is the brief's
    language, whose decimal mark and grouping apply unless `decimal_mark` is given.
    """
    text = fill(pattern or MILLIONS,
                {"millions": millions(amount_usd, decimals, decimal_mark, locale)})
    return f"{qualifier_text(qualifier, words)} {text}" if qualifier else text


@dataclass(frozen=True)
class Figures:
    """How one layout writes money and periods, as plain values.

    Built once from a layout's labels (`briefs.layout.figures.figures_of`), then handed to
    whatever prints a figure — the PDF, `briefs diff`, `briefs list`, the mail — so that they
    cannot disagree about decimals, the decimal mark, the qualifier's words or the dash.
    """

    amount: str = "US$ {millions} million"
    decimals: int = 1
    decimal_mark: str = ""  # empty: the language's
    words: tuple[tuple[str, str], ...] = ()  # (qualifier, printed words)
    span: str = PERIOD
    locale: str = "en"  # the brief's language: decimal mark, grouping, percentages

    def money(self, amount_usd: float, qualifier: str = "", pattern: str | None = None) -> str:
        """'more than US$ 63.0 million'; `pattern` replaces the layout's amount pattern."""
        return money(amount_usd, qualifier, self.amount if pattern is None else pattern,
                     self.decimals, self.decimal_mark, dict(self.words), self.locale)

    def millions(self, amount_usd: float) -> str:
        """The bare number in millions: '63.0'."""
        return millions(amount_usd, self.decimals, self.decimal_mark, self.locale)

    def number(self, value: float, decimals: int | None = None) -> str:
        """Any number as this brief writes numbers (a chart's axis: '10', '2,5')."""
        return number(value, self.decimals if decimals is None else decimals,
                      self.decimal_mark, self.locale)

    def percent(self, share: float) -> str:
        """A share as a percentage: '45%', '45 %'."""
        return percent(share, self.locale)

    def qualifier(self, qualifier: str) -> str:
        """The printed words of a qualifier."""
        return qualifier_text(qualifier, dict(self.words))

    def period(self, span: tuple[int, int]) -> str:
        """'2018–2022', or '2022' for one year."""
        return period(span, self.span)


# --- typography per language ----------------------------------------------------------------

NARROW = "\u202f"
_BEFORE = re.compile(r"(?<=[^\s;:!?])[ \u00a0\u202f]?([;:!?])(?=\s|$|[»)\]])")
_OPEN = re.compile(r"«[ \u00a0\u202f]?")
_CLOSE = re.compile(r"[ \u00a0\u202f]?»")


def french_spacing(text: str) -> str:
    """French punctuation spacing: a narrow no-break space before ; : ! ? and inside « ».

    Only before punctuation that ends a word (followed by a space or the end), so that
    `https://`, `10:30` and `?!` are left alone; an ordinary space typed there becomes the
    narrow one, so a line never breaks before the colon.
    """
    text = _BEFORE.sub(lambda m: NARROW + m.group(1), text)
    text = _OPEN.sub("«" + NARROW, text)
    return _CLOSE.sub(NARROW + "»", text)


def typography(language: str) -> Callable[[str], str] | None:
    """The spacing rule of a language (French) or None: the text is printed as typed."""
    return french_spacing if language == "fr" else None

"""Small rules about words that every stage shares: placeholders, suggestions, plurals.

Each is written once here so that a layout label, a mail template and a message to the user
follow the same syntax and read the same way. Nothing here knows about briefs or files.
"""

from __future__ import annotations

import difflib
import string
from collections.abc import Callable, Iterable, Mapping

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
    return [f"unknown placeholder {{{name}}}{did_you_mean(name, offered, show=_BRACED)} "
            f"(the placeholders are: {known})"
            for name in placeholders(pattern) if name not in offered]


_BRACED = "{{{}}}"


def fill(pattern: str, values: Mapping[str, str],
         escape: Callable[[str], str] | None = None,
         wrap: Mapping[str, Callable[[str], str]] | None = None) -> str:
    """The pattern with each `{name}` replaced by its value.

    `escape` is applied to the literal text and to the values alike (markup or HTML: the
    pattern's author and the data are both text); `wrap` may then decorate chosen values
    (bold in a PDF paragraph). Placeholders were checked when the pattern was loaded, so a
    missing value is a bug and raises KeyError.
    """
    keep = escape or (lambda text: text)
    out: list[str] = []
    for literal, field, spec, conversion in _FORMATTER.parse(pattern):
        out.append(keep(literal))
        if field is None:
            continue
        name = _name(field, spec, conversion)
        value = keep(values[name])
        if wrap and name in wrap:
            value = wrap[name](value)
        out.append(value)
    return "".join(out)


def did_you_mean(word: str, choices: Iterable[str], show: str = "'{}'",
                 cutoff: float = 0.6) -> str:
    """" — did you mean 'X'?" for the closest choice, or '' when none is close.

    `show` is how a choice is written back to the user, as a `str.format` pattern: "'{}'" for
    a value, "{{{}}}" for a placeholder, "'{{.{}}}'" for a section class.
    """
    near = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f" — did you mean {show.format(near[0])}?" if near else ""


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 brief', '2 briefs', '0 briefs'; `many` for an irregular plural ('3 entries')."""
    return f"{count} {word if count == 1 else (many or word + 's')}"

"""The one way briefs reads YAML: profiles' front matter and layouts.

YAML can say much more than a settings file needs, and some of it is dangerous here:

- aliases (`*name`) repeat a value elsewhere; nested, a few hundred bytes expand to gigabytes
  (an "alias bomb"). A profile or layout has no need for them, so they are refused outright,
  which bounds what a document can expand to by its own size;
- a key written twice silently keeps the second value (`period:` twice: which one did the
  officer mean?), so a repeated key is an error naming both lines.

Messages quote a value through `excerpt`: short and on one line, never a whole value.
"""

from __future__ import annotations

from typing import Any

import yaml

# libyaml's parser when PyYAML was built with it: fast enough to read every profile each run.
# Its messages differ a little from the pure-Python parser's, which `load` reports instead.
_FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
EXCERPT = 40


class YamlProblem(Exception):
    """A document briefs refuses to read: `line` is 0-based in the text given, `key` or ""."""

    def __init__(self, line: int, key: str, message: str, first: int | None = None):
        super().__init__(message)
        self.line, self.key, self.message, self.first = line, key, message, first

    def text(self, offset: int) -> str:
        """The message, with a 0-based line of the text turned into a line of the file."""
        if self.first is None:
            return self.message
        return f"{self.message} (first on line {self.first + offset})"


def excerpt(value: object, limit: int = EXCERPT) -> str:
    """A value as a message may quote it: its repr, on one line, cut to `limit` characters."""
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    text = "".join(c if c.isprintable() else " " for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def compose(text: str, fast: bool = False) -> yaml.Node | None:
    """The document's node tree, checked; raises yaml.YAMLError or YamlProblem."""
    loader = _FAST if fast else yaml.SafeLoader
    if "*" in text:  # an alias is written with '*': without one, no need to look for it
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                raise YamlProblem(event.start_mark.line, "",
                                  f"uses an alias (*{excerpt(event.anchor, 20).strip(chr(39))})"
                                  " — aliases are not allowed here; write the value out in full")
    node = yaml.compose(text, Loader=loader)
    if node is not None:
        _no_repeated_keys(node)
    return node


def _no_repeated_keys(node: yaml.Node) -> None:
    """A key written twice in one mapping is refused, at any depth."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        raise YamlProblem(key.start_mark.line, str(key.value),
                                          "is written twice — keep one", seen[key.value])
                    seen[key.value] = key.start_mark.line
                stack.extend((key, value))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def construct(node: yaml.Node | None) -> Any:
    """Python values of a checked node tree (plain dicts, lists, strings, numbers)."""
    if node is None:
        return None
    return yaml.constructor.SafeConstructor().construct_document(node)


def load(text: str) -> Any:
    """The document's value; raises yaml.YAMLError or YamlProblem.

    Read by libyaml's parser, which is fast; a document it refuses is read again by the
    pure-Python one, whose message (the one users have always seen) is the one raised.
    """
    try:
        node = compose(text, fast=True)
    except yaml.YAMLError:
        node = compose(text)
    return construct(node)

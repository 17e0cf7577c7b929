"""markdown-it's token stream as a tree: the nodes `markdown` reads, made in one pass.

markdown-it-py's own `SyntaxTreeNode` builds the same tree, but each attribute is a property
looked up through its token on every read, each node is made by a recursive constructor, and
`walk()` is a generator of generators; together that was about a sixth of reading a profile's
Markdown. A `Node` copies the five attributes the contract reads once, and the quotes, which
`profilechecks` looks into, are gathered while the tree is made. `tests/test_markdown_speed.py`
holds it to `SyntaxTreeNode`, node by node.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class Node:
    """A node as `SyntaxTreeNode` gives it: a token not nested, or an opening and closing
    pair with what lies between (its `type` without the '_open'), or the root."""

    __slots__ = ("attrs", "children", "content", "map", "tag", "type")

    def __init__(self, token: Any, kind: str, children: list[Node]) -> None:
        self.type = kind
        self.tag: str = token.tag
        self.map: list[int] | None = token.map or None
        self.content: str = token.content
        self.attrs: dict[str, Any] = token.attrs
        self.children = children


def syntax_tree(tokens: Sequence[Any]) -> tuple[list[Node], list[Node]]:
    """The top-level nodes of `tokens` (a complete, balanced stream, as markdown-it gives),
    and every block quote among them at any depth, in the order they open."""
    top: list[Node] = []
    quotes: list[Node] = []
    open_lists = [top]  # the children of each node opened and not yet closed
    for token in tokens:
        nesting = token.nesting
        if nesting < 0:
            open_lists.pop()
            continue
        if nesting > 0:
            node = Node(token, token.type.removesuffix("_open"), [])
            open_lists[-1].append(node)
            open_lists.append(node.children)
            if node.type == "blockquote":
                quotes.append(node)
            continue
        inner = syntax_tree(token.children)[0] if token.children else []
        open_lists[-1].append(Node(token, token.type, inner))
    return top, quotes

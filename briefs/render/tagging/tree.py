"""The structure tree of a tagged PDF, built in reading order before anything is drawn.

Composing a brief creates the elements in the order a listener should hear them (title,
introduction, sections as the profile writes them, the side box where it stands), whatever
page or column they later land in. Drawing only adds content references to elements that
already exist, so the reading order never depends on the layout.

Elements are mutable while a brief is composed and drawn: the kids of an element are known
only when the story is laid out (a paragraph split across a page break gets content on two
pages). Everything else about a brief is frozen.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

# The standard structure types this package writes (ISO 32000-1, 14.8.4); no role map needed.
BLOCK_ROLES = frozenset({
    "Document", "Sect", "Div", "H1", "H2", "H3", "P", "L", "LI", "Lbl", "LBody",
    "BlockQuote", "Figure", "Caption", "Link", "Span",
})


@dataclass(frozen=True)
class ContentRef:
    """A marked-content sequence on one page: `page` counts from 0."""

    page: int
    mcid: int


@dataclass(frozen=True)
class AnnotRef:
    """An annotation (a link's clickable area) that belongs to an element."""

    page: int
    key: int  # the annotation's /StructParent
    name: str  # ReportLab's internal name of the annotation object
    url: str = ""


def _no_parent() -> None:
    return None


@dataclass(eq=False)
class StructElem:
    """One structure element: its role, its attributes and its kids in reading order."""

    role: str
    alt: str | None = None  # replacement text, for figures
    actual: str | None = None  # the real text when what is printed differs (capitals)
    title: str | None = None
    kids: list[StructElem | ContentRef | AnnotRef] = field(default_factory=list)
    # the parent, held weakly: kids holding their parent made each brief's tree a cycle,
    # and all a brief drew (reachable from it) garbage only the cycle collector could free
    _up: Callable[[], StructElem | None] = field(default=_no_parent, repr=False)

    def __post_init__(self) -> None:
        if self.role not in BLOCK_ROLES:
            raise ValueError(f"not a standard structure type: {self.role}")

    @property
    def parent(self) -> StructElem | None:
        return self._up()

    @parent.setter
    def parent(self, parent: StructElem | None) -> None:
        self._up = _no_parent if parent is None else weakref.ref(parent)

    def add(self, role: str, **attrs: str | None) -> StructElem:
        """A new child element, appended after this element's other kids."""
        child = StructElem(role, _up=weakref.ref(self), **attrs)
        self.kids.append(child)
        return child

    def replace_with(self, elements: list[StructElem]) -> None:
        """Put `elements` where this element stands in its parent (a placeholder for text
        laid out later, such as a slot fitted at several type sizes)."""
        assert self.parent is not None
        siblings = self.parent.kids
        at = siblings.index(self)
        siblings[at:at + 1] = elements
        for element in elements:
            element.parent = self.parent
        self.parent = None

    def walk(self) -> Iterator[StructElem]:
        """This element and its descendants, depth first, in reading order (from a stack of
        the elements still to come: a brief's tree is a few levels deep, and a recursive
        walk hands each element up through every level above it)."""
        stack = [self]
        while stack:
            element = stack.pop()
            yield element
            stack.extend(k for k in reversed(element.kids) if isinstance(k, StructElem))


def new_document() -> StructElem:
    """The root of a brief's tree: one Document element."""
    return StructElem("Document")

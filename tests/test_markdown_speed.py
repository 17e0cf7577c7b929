"""The shortcuts of reading a profile's Markdown give what the plain way gives.

Each mechanism of the speed work on reading profiles (issue 15) is held to the code it stands
in for: the parser without its raw-HTML rules to markdown-it's CommonMark parser, the tree the
contract reads to markdown-it's own `SyntaxTreeNode`, and the figures stated in the prose,
found by looking only at paragraphs that could state one, to the search of every sentence.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

# every kind of block and inline the parser knows, raw HTML and entities included, nested
DOCUMENTS = [
    "Intro with **bold**, *italic*, `code`, [a link](https://ilo.org \"t\"), [bad](javascript:x)"
    " and ![alt *text*](pic.png).\nA soft break, a hard one  \nand <https://auto.link>.\n\n"
    "## Heading {.box}\n\nText & <b>tag</b> &amp; &lt;x&gt; &copy; &#169; <!-- c -->\n\n"
    "<div>\nraw html block\n</div>\n\n"
    "- item **one**\n- item two\n  - nested [l](mailto:a@b.org)\n    1. deeper\n\n"
    "3) three\n4) four\n\n> quote\n> > nested quote\n> - list in a quote\n>\n> — Someone\n\n"
    "```python\nfenced\n```\n\n    indented code\n\n---\n\nSetext\n======\n\n##NoSpace\n\n"
    "[ref][r]\n\n[r]: https://ref.example\n\n### Sub *heading*\n\n| a | b |\n|---|---|\n",
    "",
    "> " * 12 + "deep\n\n" + "- " * 12 + "deep\n",
    "Para\r\n# heading right after\r\n> > > quote in quote\r\n\r\n\\*escaped\\* \\# \\[\n",
]


def _node(node: Any) -> tuple:
    return (node.type, node.tag, tuple(node.map) if node.map else None, node.content,
            dict(node.attrs), [_node(child) for child in node.children])


def test_tree_is_markdown_its() -> None:
    """Node by node (type, tag, lines, text, attributes, children), the tree `markdown`
    reads is markdown-it's `SyntaxTreeNode`, and its quotes are the tree's block quotes at
    every depth, in order."""
    from markdown_it.tree import SyntaxTreeNode

    from briefs.contract.markdown import markdown_parser
    from briefs.contract.mdtree import syntax_tree

    for document in DOCUMENTS:
        tokens = markdown_parser().parse(document)
        top, quotes = syntax_tree(tokens)
        theirs = SyntaxTreeNode(tokens)
        assert [_node(n) for n in top] == [_node(n) for n in theirs.children]
        assert [_node(n) for n in quotes] == \
            [_node(n) for n in theirs.walk() if n.type == "blockquote"]
    assert len(syntax_tree(markdown_parser().parse(DOCUMENTS[0]))[1]) == 2


def _tokens(tokens: list) -> list[tuple]:
    return [(t.type, t.tag, t.nesting, t.map, t.content, t.attrs, t.markup, t.info, t.level,
             t.block, t.hidden, _tokens(t.children) if t.children else t.children)
            for t in tokens]


def test_parser_without_raw_html_rules_gives_commonmarks_tokens() -> None:
    """The raw-HTML rules are left out of the parser because, with HTML off, they never
    accept anything: every token is the one CommonMark's parser gives."""
    from markdown_it import MarkdownIt

    from briefs.contract.markdown import markdown_parser

    plain = MarkdownIt("commonmark", {"html": False}).disable("entity")
    for document in DOCUMENTS:
        assert _tokens(markdown_parser().parse(document)) == _tokens(plain.parse(document))


def _every_sentence(body: str) -> list[tuple[int, str, float, float]]:
    """`stated_figures` as it was, every sentence of every paragraph searched."""
    from briefs.contract.prose import figures_in

    found = []
    offset = 0
    for paragraph in re.split(r"(\n\s*\n)", body):
        found.extend(figures_in(paragraph, body, offset))
        offset += len(paragraph)
    return found


# the pieces figures are made of, in upper and lower case, with the dotless i that matches
# an 'i' when case is ignored
PIECES = ["1", "12.5", "0,7", "1234567", " ", "\n", "\n\n", ". ", "! ", "million", "MILLION",
          "mıllion", "Mn", "mn", "millions", "contributions", "Total", "totally", "a", ".", ","]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_stated_figures_are_those_of_every_sentence(body: str) -> None:
    """Paragraphs with no digit before 'million' or 'mn' are skipped unread: the figures
    found, their lines and rounding, are those a search of every sentence finds."""
    from briefs.contract.prose import stated_figures

    assert stated_figures(body) == _every_sentence(body)


def test_stated_figures_found_after_paragraphs_skipped() -> None:
    body = ("No figures here.\n\nNone here either, 5 people.\n\nThe contributions came to "
            "US$ 12.5 million. Total: 3 mn\n\nAnd a total of 7 MILLION contributed.\n")
    assert [(line, written) for line, written, _, _ in _every_sentence(body)] == \
        [(4, "12.5 million"), (4, "3 mn"), (6, "7 MILLION")]
    from briefs.contract.prose import stated_figures

    assert stated_figures(body) == _every_sentence(body)

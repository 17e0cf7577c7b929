"""Tagged PDF (PDF/UA-1) and PDF/A-1b for every brief.

Takes a structure tree built in reading order while a brief is composed (`tree`), flowables
wrapped with the element they draw (`flowable.Tagged`), and gives a canvas (`canvas.
TaggingCanvas`) that marks what it paints and, when saved, writes the structure tree, the
parent tree, bookmarks, XMP metadata and the sRGB output intent (`writer`, `archive`).
"""

from briefs.render.tagging.archive import Archive
from briefs.render.tagging.canvas import TaggingCanvas
from briefs.render.tagging.flowable import Tagged
from briefs.render.tagging.tree import StructElem, new_document

__all__ = ["Archive", "StructElem", "Tagged", "TaggingCanvas", "new_document"]

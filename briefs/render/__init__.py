"""Rendering: one brief and its layout in, PDF bytes out.

Takes a loaded `Brief` and a typed `Layout`; gives the PDF's bytes, page count and fit
problems. Reads no project files and writes nothing: what it needs has been loaded before it is
called. `document.render_pdf` runs the stage in order: `story` (sections into flowables, with
`contributions` for the figures), `slots` (fixed boxes fitted), `decoration` (what every page
draws) and `balance` (the last page's columns made level).
"""

from briefs.render.rlimport import import_paragraph

import_paragraph()  # before any module of the stage imports ReportLab's platypus

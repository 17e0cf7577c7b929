"""The officer's desk (`briefs serve`): a live preview of the project's briefs in a browser.

Takes a project folder; gives a local web app (`create_app`) whose pages show every brief's
state and `check` findings, and a brief's pages, figures and diff, rebuilt as files change.
It reads through the library (build, check, list, diff) and writes only what `briefs build`
writes, under output/; it never sends mail.
"""

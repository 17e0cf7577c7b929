"""Layouts: YAML files checked against the schema and turned into one value per layout.

Takes a layout name and the project folder; gives a `Layout` with every reference checked, or
`file: key.path: ...` problems. The schema here is the one source for validation and for the
generated reference `docs/layouts.md`.
"""

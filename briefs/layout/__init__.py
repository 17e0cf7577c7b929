"""Layouts: YAML files checked against the schema and turned into one value per layout.

Takes a layout name and the project folder; gives a typed `Layout` (`model`) with every
reference resolved — a style's font, a slot's colour, a section's slot — or
`file: key.path: ...` problems. The schema here is the one source for validation, for the
references and label placeholders, and for the generated reference `docs/layouts.md`.
"""

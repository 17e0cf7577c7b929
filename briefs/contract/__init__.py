"""The data contract: the project's tables and profiles, loaded and checked.

Takes the files under a project's `data/` (and `briefs.toml`); gives typed values (`Project`,
`Brief`, `Funding`, ...) or `file:line: field: ...` problems. Never draws, never sends.
"""

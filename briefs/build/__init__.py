"""Building: which briefs need drawing, drawing them in worker processes, storing the PDFs.

Takes a project folder and a selection; gives PDFs under `output/`, the manifest, and an
`Outcome` per brief. Owns the atomic store, the manifest and the project lock.
"""

"""Rendering: one brief and its layout in, PDF bytes out.

Takes a loaded `Brief` and `Layout`; gives the PDF's bytes, page count and fit problems.
Reads no project files and writes nothing: what it needs has been loaded before it is called.
"""

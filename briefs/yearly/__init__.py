"""The yearly cycle: starting next year's edition, comparing editions, listing, new projects.

Takes a loaded project; gives new profile files, differences between editions, and the state
of every brief. Uses the contract and the build store, never the renderer directly.
"""

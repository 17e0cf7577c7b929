"""`python -m briefs`: the briefs command.

Guarded, because a worker started by `spawn` imports this module again (as `__mp_main__`) and
must not run the command a second time.
"""

from briefs.cli.main import main

if __name__ == "__main__":
    main()

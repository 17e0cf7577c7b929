"""`python -m briefs.cli`: the briefs command, guarded like `python -m briefs`."""

from briefs.cli.main import main

if __name__ == "__main__":
    main()

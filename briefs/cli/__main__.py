from briefs.cli.main import main

main()

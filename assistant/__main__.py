"""``python -m assistant`` runs the command-line interface."""

from kommunal.cli.main import main

if __name__ == "__main__":
    main()

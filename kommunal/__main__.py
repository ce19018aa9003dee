"""``python -m kommunal`` runs the command-line interface (as ``python -m assistant`` does)."""

from kommunal.cli.main import main

if __name__ == "__main__":
    main()

"""``python -m newsqa``: the command line (see :mod:`newsqa.cli`)."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())

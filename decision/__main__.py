"""`python -m decision ...`: see decision/cli.py."""

import sys

from decision.cli import main

if __name__ == "__main__":
    sys.exit(main())

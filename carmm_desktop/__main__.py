"""`python -m carmm_desktop` runs the same entry point as the `carmm-desktop` script."""

import sys

from carmm_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())

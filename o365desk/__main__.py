"""`python -m o365desk`: the same entry point as the `o365desk` command."""

import sys

from o365desk.cli import main

sys.exit(main())

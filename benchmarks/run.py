"""`make bench`: runs every benchmark; each prints its figures and a ratio to a baseline."""

import sys

from benchmarks import startup

if __name__ == "__main__":
    sys.exit(startup.main())

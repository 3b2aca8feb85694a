"""`make bench`: runs every benchmark; each prints its figures and a ratio to a baseline."""

import sys

from benchmarks import catalog, responsiveness, scope_browser, startup, windows_memory

if __name__ == "__main__":
    codes = [startup.main(), catalog.main(), scope_browser.main(), responsiveness.main(),
             windows_memory.main()]
    sys.exit(max(codes))

"""Fail when modules of o365desk import each other in a circle (lint step).

Imports made only for type checking count too: a cycle there still means two modules
that can't be understood, changed or tested apart. Prints each cycle once.
"""

from __future__ import annotations

import sys

import grimp


def cycles(package: str = "o365desk") -> list[list[str]]:
    graph = grimp.build_graph(package)
    found: dict[frozenset[str], list[str]] = {}
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if not imported.startswith(package + ".") and imported != package:
                continue
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back:
                chain = [module, *back]
                found.setdefault(frozenset(chain), chain)
    return sorted(found.values(), key=lambda c: (len(c), c))


def main() -> int:
    found = cycles()
    for chain in found:
        print("import cycle: " + " -> ".join(chain), file=sys.stderr)
    if found:
        print(f"{len(found)} import cycle(s) in o365desk: move what both need into a module "
              "of its own, or depend on a Protocol.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

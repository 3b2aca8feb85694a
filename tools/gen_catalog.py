"""Generate o365desk/catalog/data/graph_catalog.json from ../shared/reference.

Usage:
    python tools/gen_catalog.py            write the catalog file
    python tools/gen_catalog.py --check    regenerate in memory; fail if the committed file
                                           differs, or if any of the project's texts equals
                                           or repeats 8+ consecutive words of Microsoft's text

Facts (names, IDs, consent flags, privilege levels, API paths) come from the reference data;
every text comes from o365desk/catalog/descriptions.py and tools/catalog_status.py. Output is
deterministic: the same input gives the same bytes.

File format 1 (read by o365desk/catalog/catalog.py):
    {"format": 1, "source": {...}, "count": N, "paths": [unique API paths, sorted],
     "permissions": [one object per name, sorted case-insensitively], ...}
    A permission's "paths" is a list of path sets {"m": "GET POST", "k": schemes, "p": [...]},
    schemes being letters d (delegated, work), p (delegated, personal), a (application); each
    "p" item is an index into "paths", or [index, least-privileged schemes, [also-required]].
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalog_status import STATUS  # noqa: E402

from o365desk.catalog.descriptions import describe  # noqa: E402
from o365desk.catalog.families import group_for  # noqa: E402

DEFAULT_REFERENCE = ROOT.parent / "shared" / "reference"
OUTPUT = ROOT / "o365desk" / "catalog" / "data" / "graph_catalog.json"
SCHEME_CODES = {"DelegatedWork": "d", "DelegatedPersonal": "p", "Application": "a"}
RUN = 8  # words in a row that may not match Microsoft's text
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


def _id(raw: str | None) -> str | None:
    """GUIDs in lower case (their case carries no meaning); anything else verbatim."""
    return (raw.lower() if GUID.match(raw) else raw) if raw else None


def _source_info(reference: Path) -> dict:
    text = (reference / "SOURCE.md").read_text(encoding="utf-8")
    commit = re.search(r"Snapshot commit:\*\*\s*`([0-9a-f]{40})`", text)
    date = re.search(r"Weekly Permissions sync (\d{4}-\d{2}-\d{2})", text)
    if not commit or not date:
        raise SystemExit("SOURCE.md: snapshot commit or date not found")
    return {"repository": "microsoftgraph/microsoft-graph-devx-content",
            "commit": commit.group(1), "date": date.group(1), "license": "MIT"}


def _codes(schemes) -> str:
    return "".join(sorted({SCHEME_CODES[s] for s in schemes}, key="dpa".index))


def _path_sets(entry: dict, index: dict[str, int]) -> list:
    model = (entry.get("source") or {}).get("permissionsModel") or {}
    sets = []
    for ps in model.get("pathSets", []):
        items = []
        for path, marker in sorted(ps["paths"].items()):
            least, also = "", []
            for part in filter(None, marker.split(";")):
                key, _, value = part.partition("=")
                if key == "least":
                    least = _codes(value.split(","))
                elif key == "AlsoRequires":
                    also = sorted(value.split(","))
                else:
                    raise SystemExit(f"{entry['name']}: unknown path marker {part!r}")
            i = index[path]
            items.append([i, least, also] if also else [i, least] if least else i)
        if items:
            sets.append({"m": " ".join(sorted(ps["methods"])),
                         "k": _codes(ps["schemeKeys"]), "p": items})
    sets.sort(key=lambda s: (s["k"], s["m"], json.dumps(s["p"])))
    return sets


def _shared_ids(entries: list[dict]) -> dict[str, list[tuple[str, str]]]:
    owners: dict[str, list[tuple[str, str]]] = {}
    for e in entries:
        for kind in ("delegated", "application"):
            if e[kind] and e[kind]["id"]:
                owners.setdefault(_id(e[kind]["id"]), []).append((e["name"], kind))
    return {i: o for i, o in owners.items() if len(o) > 1}


def _remarks(entry: dict, shared: dict[str, list[tuple[str, str]]]) -> list[str]:
    flags = entry["flags"]
    out = []
    for kind in ("delegated", "application"):
        variant = entry[kind]
        if variant and variant["id"] and not GUID.match(variant["id"]):
            out.append(f"Microsoft's data gives its {kind} variant an ID that is not a valid "
                       f"GUID ({variant['id']}), so it can't go into an app manifest.")
        others = shared.get(_id(variant["id"]), []) if variant and variant["id"] else []
        others = [f"{n} ({k})" for n, k in others if (n, k) != (entry["name"], kind)]
        if others:
            out.append(f"Microsoft's data gives its {kind} variant the same ID as "
                       f"{', '.join(others)}.")
    if not flags["inPermissionsModel"]:
        out.append("Only older Graph service principal data lists it; Microsoft's current "
                   "permission model does not.")
    if flags["provisionedHiddenOnly"]:
        out.append("Microsoft's deployment data marks every ID of it as hidden, so your "
                   "tenant may not offer it.")
    for scheme in flags["provisionedDisabledSchemes"]:
        kind = "application" if scheme == "Application" else "delegated"
        out.append(f"The {kind} variant is switched off in Microsoft's deployment data.")
    for kind in ("delegated", "application"):
        variant = entry[kind]
        if variant is not None and not variant["id"]:
            article = "an" if kind == "application" else "a"
            out.append(f"Microsoft defines {article} {kind} variant but provisions no ID for "
                       "it, so it can't be granted that way yet.")
    if entry.get("authorizationType") == "RSC":
        out.append("Granted per team, chat or user through resource-specific consent, not "
                   "tenant-wide.")
    return out


def _status(name: str) -> dict:
    state, date, applies_to, note = STATUS.get(name, ("active", "", "", ""))
    return {"state": state, "date": date, "note": note, "applies_to": applies_to}


def build(reference: Path) -> dict:
    entries = json.loads((reference / "graph-permissions.json").read_text(encoding="utf-8"))
    names = {e["name"] for e in entries}
    unknown = sorted(set(STATUS) - names)
    if unknown:
        raise SystemExit(f"catalog_status.py names unknown permissions: {unknown}")
    all_paths = sorted({p for e in entries
                        for ps in ((e.get("source") or {}).get("permissionsModel") or {})
                        .get("pathSets", []) for p in ps["paths"]})
    index = {p: i for i, p in enumerate(all_paths)}
    shared = _shared_ids(entries)
    permissions = []
    for entry in sorted(entries, key=lambda e: (e["name"].casefold(), e["name"])):
        name = entry["name"]
        kinds = tuple(k for k in ("delegated", "application") if entry[k] is not None)
        text = describe(name, kinds)
        record: dict = {"name": name, "group": group_for(name),
                        "description": text.description, "danger": text.danger}
        for kind in ("delegated", "application"):
            src = entry[kind]
            if src is None:
                record[kind] = None
                continue
            admin = True if kind == "application" else src["adminConsentRequired"]
            record[kind] = {"id": _id(src["id"]), "admin": admin,
                            "privilege": src["privilegeLevel"], "reach": text.reach[kind]}
        record["status"] = _status(name)
        record["rsc"] = entry.get("authorizationType") == "RSC"
        record["remarks"] = _remarks(entry, shared)
        record["paths"] = _path_sets(entry, index)
        permissions.append(record)
    return {"format": 1, "source": _source_info(reference), "count": len(permissions),
            "paths": all_paths, "permissions": permissions}


def dumps(catalog: dict) -> str:
    """Compact JSON with one path and one permission per line, so diffs stay readable."""
    def one(value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    head = {k: v for k, v in catalog.items() if k not in ("paths", "permissions")}
    lines = ["{" + one(head)[1:-1] + ","]
    lines.append('"paths":[')
    lines.append(",\n".join(one(p) for p in catalog["paths"]))
    lines.append("],")
    lines.append('"permissions":[')
    lines.append(",\n".join(one(p) for p in catalog["permissions"]))
    lines.append("]}")
    return "\n".join(lines) + "\n"


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.casefold())


def _microsoft_texts(reference: Path) -> set[str]:
    """Every display name and description Microsoft wrote, from all three source files."""
    texts: set[str] = set()

    def walk(value, key=""):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and ("Description" in key or "DisplayName" in key
                                         or key in ("description", "displayName")):
            if value.strip():
                texts.add(value)

    walk(json.loads((reference / "graph-permissions.json").read_text(encoding="utf-8")))
    return texts


def our_texts(catalog: dict) -> list[tuple[str, str]]:
    out = []
    for p in catalog["permissions"]:
        out.append((p["name"], p["description"]))
        if p["danger"]:
            out.append((p["name"], p["danger"]))
        out.extend((p["name"], p[k]["reach"]) for k in ("delegated", "application") if p[k])
        if p["status"]["note"]:
            out.append((p["name"], p["status"]["note"]))
        out.extend((p["name"], r) for r in p["remarks"])
    return out


def text_problems(catalog: dict, reference: Path) -> list[str]:
    microsoft = _microsoft_texts(reference)
    whole = {" ".join(_words(t)) for t in microsoft}
    grams = set()
    for t in microsoft:
        w = _words(t)
        grams.update(tuple(w[i:i + RUN]) for i in range(len(w) - RUN + 1))
    problems = []
    for name, text in our_texts(catalog):
        w = _words(text)
        if " ".join(w) in whole:
            problems.append(f"{name}: equals Microsoft's text: {text!r}")
            continue
        hits = [" ".join(w[i:i + RUN]) for i in range(len(w) - RUN + 1)
                if tuple(w[i:i + RUN]) in grams]
        if hits:
            problems.append(f"{name}: repeats Microsoft's words {hits[0]!r} in {text!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    catalog = build(args.reference)
    text = dumps(catalog)
    if not args.check:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output} ({len(text.encode()):,} bytes, {catalog['count']} "
              "permissions)")
        return 0
    failures = text_problems(catalog, args.reference)
    if not args.output.exists() or args.output.read_text(encoding="utf-8") != text:
        failures.append(f"{args.output} is out of date: run python tools/gen_catalog.py")
    checked = len(our_texts(catalog))
    for failure in failures:
        print(failure)
    print(f"checked {checked} texts of {catalog['count']} permissions: "
          f"{len(failures)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

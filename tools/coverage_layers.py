#!/usr/bin/python3
"""coverage_layers.py SUMMARY.json — the line coverage of src/ per layer, from gcovr's
--json-summary: a layer is a folder directly under src/ with all its subfolders (src/web/core/
counts for web), so the table follows the tree when folders move. Prints a Markdown table,
the lower layers first (docs/ARCHITECTURE.md), then the total."""
import json
import sys

# Bottom-up; a folder not listed comes after them, by name; files directly in src/ last.
ORDER = ["base", "store", "model", "out", "format", "web", "cli"]
ROOT_FILES = "(src/*.c)"


def layer(filename):
    parts = filename.replace("\\", "/").split("/")
    if len(parts) < 2 or parts[0] != "src":
        return None
    return parts[1] if len(parts) > 2 else ROOT_FILES


def rank(name):
    if name == ROOT_FILES:
        return (2, name)
    return (0, "%02d" % ORDER.index(name)) if name in ORDER else (1, name)


def main():
    if len(sys.argv) != 2:
        print("usage: coverage_layers.py SUMMARY.json", file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        files = json.load(f)["files"]
    sums = {}
    for entry in files:
        name = layer(entry["filename"])
        if name is None:
            continue
        run, total = sums.get(name, (0, 0))
        sums[name] = (run + entry["line_covered"], total + entry["line_total"])
    if not sums:
        print("coverage_layers: no file under src/ in %s" % sys.argv[1], file=sys.stderr)
        return 1

    def row(label, run, total):
        pct = "%.1f %%" % (100.0 * run / total) if total else "—"
        print("| %s | %d | %d | %s |" % (label, total, run, pct))

    print("| layer | lines | run | coverage |\n| --- | ---: | ---: | ---: |")
    for name in sorted(sums, key=rank):
        row("src/*.c" if name == ROOT_FILES else "src/%s/" % name, *sums[name])
    row("all of src/", sum(r for r, _ in sums.values()), sum(t for _, t in sums.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

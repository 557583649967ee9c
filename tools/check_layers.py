#!/usr/bin/python3
"""check_layers.py [ROOT] — checks that every #include "…" under ROOT/src goes down the layers of
docs/ARCHITECTURE.md: a folder includes its own files and folders of a lower row of LEVELS, never
a folder of its own row or above. Feature folders of web/ share one row, above web/core, so a
feature includes web/core but not another feature; web/'s root (routes.c) sits above them all.

An include is resolved like the compiler does for quotes: relative to the including file's folder
first, then from the src root ("model/plan/action.h"). Includes that resolve to no file under src/
(system headers in quotes, generated headers) are not checked; <…> includes are never checked.
Does not check: what a file calls without including (implicit declarations are a build error
anyway), nor #include lines inside #if 0.
Prints file:line: message for each violation; exits 1 if there is any, 0 otherwise.
"""
import fnmatch
import os
import re
import sys

# Bottom-up. A folder (relative to src/, '.' for src/ itself) includes folders of lower rows only.
# '*' matches one folder name. The first row whose pattern matches a folder wins, exact names
# before patterns. docs/ARCHITECTURE.md describes the same rows.
LEVELS = [
    ['base'],
    ['store'],
    ['model/core'],   # the records everything refers to: contract, area, status, audit, access…
    ['model/plan'],   # the strategy tree, actions, the counting rule and the edit toolkit
    ['model/sheet', 'model/governance', 'model/import'],
    ['model/*'],      # what builds on them: report, campaign, account…
    ['format/draw'],  # svg, charts, gantt
    ['format/data'],  # csv, ical, mail, text sniffing, data packages
    ['format/*'],     # xlsx (read and write) and doc (pdf, odt, markdown)
    ['web/http'],     # the request and response, multipart bodies, the HTML page frame
    ['web/core'],     # server, router, auth, cache, hash pool, mailer
    ['web/kit'],      # what every feature page uses: forms, filters, the contract loader, JSON
    ['web/*'],        # features: contract, action, governance, report, import, account, api…
    ['web'],          # web/routes.c: the route table sees every feature
    ['cli/*'],        # cli/demo: fixtures the commands load
    ['cli'],
    ['.'],            # src/main.c
]

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def level_of(folder):
    """(row index, row pattern) of a folder, or None when LEVELS does not name it."""
    for i, row in enumerate(LEVELS):
        if folder in row:
            return i, folder
    for i, row in enumerate(LEVELS):
        for pat in row:
            if '*' in pat and fnmatch.fnmatchcase(folder, pat) and \
                    folder.count('/') == pat.count('/'):
                return i, pat
    return None


def resolve(src, path, name):
    """The included file's folder relative to src, or None when it is not a file under src."""
    here = os.path.dirname(path)
    for base in (here, src):
        cand = os.path.normpath(os.path.join(base, name))
        if os.path.isfile(cand):
            rel = os.path.relpath(cand, src)
            if rel.startswith('..'):
                return None
            return os.path.dirname(rel) or '.'
    return None


def check(root):
    src = os.path.join(root, 'src')
    errors = []
    for d, dirs, names in os.walk(src):
        dirs.sort()
        for n in sorted(names):
            if not n.endswith(('.c', '.h')):
                continue
            path = os.path.join(d, n)
            rel = os.path.relpath(path, root)
            folder = os.path.relpath(d, src)
            mine = level_of(folder)
            if mine is None:
                errors.append('%s:1: folder src/%s is not in the LEVELS table of '
                              'tools/check_layers.py' % (rel, folder))
                continue
            with open(path, encoding='utf-8', errors='replace') as fh:
                for lineno, line in enumerate(fh, 1):
                    m = INCLUDE_RE.match(line)
                    if not m:
                        continue
                    target = resolve(src, path, m.group(1))
                    if target is None or target == folder:
                        continue
                    theirs = level_of(target)
                    if theirs is None:
                        errors.append('%s:%d: includes "%s" from src/%s, a folder not in the '
                                      'LEVELS table' % (rel, lineno, m.group(1), target))
                    elif theirs[0] >= mine[0]:
                        how = 'its own row' if theirs[0] == mine[0] else 'a higher layer'
                        errors.append('%s:%d: src/%s includes "%s" of src/%s, %s (see LEVELS in '
                                      'tools/check_layers.py)' % (rel, lineno, folder, m.group(1),
                                                                  target, how))
    return errors


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..')
    errors = check(os.path.normpath(root))
    for e in errors:
        print(e)
    print('check_layers: %d violations' % len(errors), file=sys.stderr)
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())

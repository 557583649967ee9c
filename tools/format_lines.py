#!/usr/bin/python3
"""format_lines.py [--fix] BASE — the C lines (*.c, *.h) added or changed between the commit BASE
and the working tree (tracked files, new ones once `git add`ed), checked with clang-format and
the committed .clang-format: prints the diff clang-format wants and exits 1 when a changed line
is not formatted (0 otherwise); --fix writes the formatted lines into the files instead.
Unlike `git clang-format`, follows renames (git diff -M): a moved file counts only its changed
lines, so moving files never asks to reformat them whole. Run by tools/check_format.sh."""
import difflib
import re
import subprocess
import sys


def changed_ranges(base):
    """{path: [(first, last), …]} of the lines changed since base, in the working tree's files."""
    diff = subprocess.run(['git', 'diff', '-M', '--no-color', '--no-ext-diff', '-U0', base, '--',
                           '*.c', '*.h'], capture_output=True, text=True, check=True).stdout
    ranges, path = {}, None
    for line in diff.splitlines():
        if line.startswith('+++ '):
            name = line[4:]
            path = None if name == '/dev/null' else name[2:]
        elif line.startswith('@@') and path:
            m = re.match(r'@@ -\S+ \+(\d+)(?:,(\d+))? @@', line)
            first, count = int(m.group(1)), int(m.group(2) or 1)
            if count:
                ranges.setdefault(path, []).append((first, first + count - 1))
    return ranges


def main(argv):
    fix = '--fix' in argv
    args = [a for a in argv if a != '--fix']
    if len(args) != 1:
        print('usage: format_lines.py [--fix] BASE', file=sys.stderr)
        return 2
    bad = 0
    for path, ranges in sorted(changed_ranges(args[0]).items()):
        with open(path, encoding='utf-8') as f:
            src = f.read()
        cmd = ['clang-format', '--style=file', '--assume-filename=' + path]
        cmd += ['--lines=%d:%d' % r for r in ranges]
        out = subprocess.run(cmd, input=src, capture_output=True, text=True, check=True).stdout
        if out == src:
            continue
        bad = 1
        if fix:
            with open(path, 'w', encoding='utf-8') as f:
                f.write(out)
            print('formatted', path)
        else:
            sys.stdout.writelines(difflib.unified_diff(src.splitlines(True), out.splitlines(True),
                                                       'a/' + path, 'b/' + path))
    return 0 if fix else bad


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/python3
"""The house checks of tools/ (check_printf.py, check_layers.py, check_format.sh) on small fixture
trees in temporary folders: each must pass a clean sample and fail on each planted violation.
Last line: "tools: N passed, M failed"."""
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
TOOLS = os.path.join(ROOT, 'tools')
PYTHON = sys.executable or '/usr/bin/python3'
passed = failed = 0


def expect(name, ok, detail=''):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print('FAIL %s %s' % (name, detail))


def tree(files):
    d = tempfile.mkdtemp(prefix='house-checks-')
    for path, text in files.items():
        full = os.path.join(d, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'w') as fh:
            fh.write(text)
    return d


def run(cmd, cwd=None):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


# --- check_printf.py -------------------------------------------------------------------------
PRINTF_HEAD = '''#include "str.h"
#define TITLE "Boussole"
struct row { long long id; int n; size_t len; const char *name; double ratio; struct row *up; };
static const char *label_html(int n);
'''
PRINTF_CLEAN = PRINTF_HEAD + '''
static void show(struct buf *b, const struct row *r, int count, const char *name)
{
    long long total = 0;
    size_t sz = 3;
    char nav_html[8] = "";
    struct buf rows_html = {0};
    buf_printf(b, "<p>%h: %d %lld %zu %.1f %c%%</p>", name, count, total, sz, r->ratio, 'x');
    buf_printf(b, "%lld %d %zu %u %j %h", r->id, r->n, r->len, r->name, r->name, r->up->name);
    buf_printf(b, "%s %s %s %s", "lit", TITLE, nav_html, buf_cstr(&rows_html));
    buf_printf(b, "%s %s", label_html(count), count ? "a" : TITLE);
    buf_printf(b, "%d %zu %lld", (int)sz, strlen(name), (long long)count);
    buf_printf(b, count ? "<i>%h</i>" : "<b>%h</b>", name);
    buf_printf(b, "%d %lld %f %zu", count + 1, total * 2 - count, r->ratio / 2, sz + 1);
    for (int i = 0; i < count; i++)
        buf_printf(b, "%d", i);
    buf_printf(b, "%s", r->name); /* printf-raw: plain text, escaped where shown */
}
'''
PRINTF_BAD = {
    'count': 'buf_printf(b, "%d and %d", count);',
    'extra argument': 'buf_printf(b, "%d", count, count);',
    '%d given long long': 'buf_printf(b, "%d", total);',
    '%lld given an int field': 'buf_printf(b, "%lld", r->n);',
    '%d given a field through ->up->': 'buf_printf(b, "%d", r->up->id);',
    '%zu given int': 'buf_printf(b, "%zu", count);',
    '%h given a number': 'buf_printf(b, "%h", r->id);',
    '%f given int': 'buf_printf(b, "%.1f", count);',
    '%d given strlen': 'buf_printf(b, "%d", strlen(name));',
    'raw %s of a parameter': 'buf_printf(b, "<p>%s</p>", name);',
    'raw %s of a field': 'buf_printf(b, "%s", r->name);',
    'raw %s in one ternary branch': 'buf_printf(b, "%s", count ? "a" : name);',
    '%lu read as a URL': 'buf_printf(b, "%lu", sz);',
    'unknown conversion': 'buf_printf(b, "%x", count);',
    'format not a literal': 'buf_printf(b, name, count);',
    'bad branch of a ternary format': 'buf_printf(b, count ? "%h" : "%d", name);',
    '%d given long long arithmetic': 'buf_printf(b, "%d", total + 1);',
    '%lld given int arithmetic': 'buf_printf(b, "%lld", count * 2);',
    '%zu given a for loop int': 'for (int j = 0; j < 2; j++) buf_printf(b, "%zu", j);',
    'aprintf checked too': 'aprintf(a, "%d", total);',
}


# Raw %s of a parameter where it is allowed: a layer that builds no markup, a markup folder's file
# that declares plain text in its leading comment, a buffer named *_text, a printer named *_text.
TEXT_BODY = '''static void show(struct buf *b, struct buf *title_text, const char *name)
{
    buf_printf(title_text, "%s", name);
    buf_printf(b, "%h", name);
}
'''
PRINTF_TEXT_OK = {
    'src/model/label.c': '/* label.c — text. */\n' + PRINTF_HEAD +
    'static void f(struct buf *b, const char *name) { buf_printf(b, "%s", name); }\n',
    'src/cli/out.c': '/* out.c — terminal. */\n' + PRINTF_HEAD +
    'static void f(struct buf *b, const char *name) { buf_printf(b, "%s", name); }\n',
    'src/format/data/mail.c': '/* mail.c — MIME.\n * printf-text: MIME headers. */\n' + PRINTF_HEAD +
    'static void f(struct buf *b, const char *name) { buf_printf(b, "%s", name); }\n',
    'src/web/a/text.c': PRINTF_HEAD + TEXT_BODY,
}
PRINTF_TEXT_BAD = {
    'marker not in the leading comment': ('src/format/data/mail.c', '/* mail.c — MIME. */\n' +
        PRINTF_HEAD + '/* printf-text: too late */\n' +
        'static void f(struct buf *b, const char *name) { buf_printf(b, "%s", name); }\n'),
    'raw %s in format/': ('src/format/draw/svg.c', PRINTF_HEAD +
        'static void f(struct buf *b, const char *name) { buf_printf(b, "%s", name); }\n'),
    'a *_text buffer name does not cover another buffer': ('src/web/a/text.c', PRINTF_HEAD +
        TEXT_BODY.replace('"%h", name', '"%s", name')),
}


def test_printf_text():
    d = tree(dict(PRINTF_TEXT_OK, **{'src/base/str.h': ''}))
    rc, out = run([PYTHON, os.path.join(TOOLS, 'check_printf.py'), d])
    expect('printf: plain-text layers, files and buffers pass', rc == 0, out)
    shutil.rmtree(d)
    for name, (path, text) in PRINTF_TEXT_BAD.items():
        d = tree({path: text})
        rc, out = run([PYTHON, os.path.join(TOOLS, 'check_printf.py'), d])
        expect('printf: ' + name + ' fails', rc == 1 and path + ':' in out, out)
        shutil.rmtree(d)


def test_printf():
    d = tree({'src/base/str.h': '', 'src/web/page.c': PRINTF_CLEAN})
    rc, out = run([PYTHON, os.path.join(TOOLS, 'check_printf.py'), d])
    expect('printf: clean sample passes', rc == 0, out)
    shutil.rmtree(d)
    for name, line in PRINTF_BAD.items():
        body = PRINTF_CLEAN.replace('    buf_printf(b, "%s", r->name); /* printf-raw',
                                    '    ' + line + '\n    buf_printf(b, "%s", r->name); /* printf-raw')
        d = tree({'src/web/page.c': body})
        rc, out = run([PYTHON, os.path.join(TOOLS, 'check_printf.py'), d])
        expect('printf: ' + name + ' fails', rc == 1 and 'src/web/page.c:' in out, out)
        shutil.rmtree(d)


# --- check_layers.py -------------------------------------------------------------------------
LAYERS_CLEAN = {
    'src/base/str.h': '', 'src/base/str.c': '#include "str.h"\n',
    'src/store/db.h': '#include "../base/str.h"\n',
    'src/model/plan/action.c': '#include "action.h"\n#include "../store/db.h"\n#include "base/str.h"\n',
    'src/model/plan/action.h': '',
    'src/format/draw/svg.c': '#include "model/plan/action.h"\n#include <stdio.h>\n',
    'src/web/http/page.h': '#include "format/draw/svg.h"\n', 'src/format/draw/svg.h': '',
    'src/web/action/pages.c': '#include "../http/page.h"\n#include "web/http/page.h"\n'
                              '#include "pages.h"\n#include "generated.h"\n',
    'src/web/action/pages.h': '',
    'src/web/contract/pages.c': '#include "web/http/page.h"\n',
    'src/web/routes.c': '#include "action/pages.h"\n#include "contract/pages.h"\n',
    'src/web/contract/pages.h': '',
    'src/cli/demo/demo.h': '#include "model/plan/action.h"\n',
    'src/cli/cli.c': '#include "demo/demo.h"\n#include "../web/http/page.h"\n',
    'src/model/sheet/sheet.h': '#include "model/plan/action.h"\n',
    'src/model/import/tracking.h': '',
    'src/model/report/report.c': '#include "../sheet/sheet.h"\n#include "model/import/tracking.h"\n',
    'src/main.c': '#include "cli/cli.c"\n',
}
LAYERS_BAD = {
    'model includes web': ('src/model/plan/action.c', '#include "../../web/http/page.h"\n'),
    'model/plan includes a model feature above it': ('src/model/plan/action.c',
                                                     '#include "model/sheet/sheet.h"\n'),
    'two model features of one row include each other': ('src/model/sheet/sheet.h',
                                                          '#include "../import/tracking.h"\n'),
    'model includes format from the src root': ('src/model/plan/action.c', '#include "format/draw/svg.h"\n'),
    'base includes store': ('src/base/str.c', '#include "store/db.h"\n'),
    'a feature includes another feature': ('src/web/action/pages.c',
                                           '#include "../contract/pages.h"\n'),
    'a feature includes another from the src root': ('src/web/action/pages.c',
                                                     '#include "web/contract/pages.h"\n'),
    'web/http includes a feature': ('src/web/http/page.h', '#include "web/action/pages.h"\n'),
    'cli/demo includes cli': ('src/cli/demo/demo.h', '#include "../cli.h"\n'),
    'a folder not in the table': ('src/extra/x.c', '#include "base/str.h"\n'),
}


def test_layers():
    files = dict(LAYERS_CLEAN, **{'src/cli/cli.h': ''})
    d = tree(files)
    rc, out = run([PYTHON, os.path.join(TOOLS, 'check_layers.py'), d])
    expect('layers: clean sample passes', rc == 0, out)
    shutil.rmtree(d)
    for name, (path, line) in LAYERS_BAD.items():
        f = dict(files)
        f[path] = f.get(path, '') + line
        d = tree(f)
        rc, out = run([PYTHON, os.path.join(TOOLS, 'check_layers.py'), d])
        expect('layers: ' + name + ' fails', rc == 1 and path + ':' in out, out)
        shutil.rmtree(d)


# --- check_format.sh -------------------------------------------------------------------------
FORMATTED = '''/* x.c — a sample in the house style. */
#include "x.h"

static int twice(int n)
{
    if (n > 3) {
        return n * 2;
    }
    switch (n) {
    case 1: return 2;
    default: break;
    }
    return 0;
}
'''


def git(d, *args):
    return run(['git', '-c', 'user.name=t', '-c', 'user.email=t@t', '-C', d] + list(args))


def test_format():
    if shutil.which('clang-format') is None:
        expect('format: clang-format installed (sh scripts/deps.sh)', False)
        return
    d = tree({'.clang-format': open(os.path.join(ROOT, '.clang-format')).read(),
              'src/x.c': FORMATTED,
              'src/old.c': 'int  badly_formatted_but_old( int x ){return x;}\n'})
    git(d, 'init', '-q', '-b', 'main')
    git(d, 'add', '.')
    git(d, 'commit', '-q', '-m', 'base')
    script = os.path.join(TOOLS, 'check_format.sh')
    # The default base is the commit recorded in tools/format_base; one not in the history fails.
    os.makedirs(os.path.join(d, 'tools'))
    with open(os.path.join(d, 'tools/format_base'), 'w') as fh:
        fh.write('# enforced from\n' + '0' * 40 + '\n')
    rc, out = run(['sh', script], cwd=d)
    expect('format: a recorded base missing from the history fails', rc == 2 and 'format_base' in out,
           out)
    with open(os.path.join(d, 'tools/format_base'), 'w') as fh:
        fh.write('# enforced from\n' + git(d, 'rev-parse', 'HEAD')[1].strip() + '\n')
    git(d, 'add', '.')
    git(d, 'commit', '-q', '-m', 'record the format base')
    git(d, 'checkout', '-q', '-b', 'work')
    # A formatted change passes, and the old badly formatted file it does not touch is left alone.
    with open(os.path.join(d, 'src/x.c'), 'a') as fh:
        fh.write('\nint thrice(int n)\n{\n    return n * 3;\n}\n')
    rc, out = run(['sh', script], cwd=d)
    expect('format: formatted change passes', rc == 0, out)
    git(d, 'commit', '-q', '-am', 'good')
    rc, out = run(['sh', script], cwd=d)
    expect('format: committed formatted change passes', rc == 0, out)
    # Planted: a badly formatted line, uncommitted then committed.
    with open(os.path.join(d, 'src/x.c'), 'a') as fh:
        fh.write('\nint four(int n){ if(n) return n*4; return 0; }\n')
    rc, out = run(['sh', script], cwd=d)
    expect('format: badly formatted change fails', rc == 1 and 'four' in out, out)
    git(d, 'commit', '-q', '-am', 'bad')
    rc, out = run(['sh', script], cwd=d)
    expect('format: committed badly formatted change fails', rc == 1 and 'four' in out, out)
    git(d, 'commit', '-q', '--allow-empty', '-m', 'later')
    rc, out = run(['sh', script], cwd=d)
    expect('format: a bad line older than the last commit still fails', rc == 1 and 'four' in out,
           out)
    rc, out = run(['sh', script, 'HEAD'], cwd=d)
    expect('format: an explicit base excludes older commits', rc == 0, out)
    # A moved file counts only its changed lines: the old badly formatted file moved to a
    # sub-folder passes; a bad line added to it while moving fails.
    base = git(d, 'rev-parse', 'HEAD')[1].strip()
    os.makedirs(os.path.join(d, 'src/sub'))
    git(d, 'mv', 'src/old.c', 'src/sub/old.c')
    rc, out = run(['sh', script, base], cwd=d)
    expect('format: a moved file is not checked whole', rc == 0, out)
    with open(os.path.join(d, 'src/sub/old.c'), 'a') as fh:
        fh.write('int five(int n){ return n*5; }\n')
    git(d, 'add', '.')
    rc, out = run(['sh', script, base], cwd=d)
    expect('format: a bad line added to a moved file fails', rc == 1 and 'five' in out, out)
    rc, out = run([PYTHON, os.path.join(TOOLS, 'format_lines.py'), '--fix', base], cwd=d)
    rc, out = run(['sh', script, base], cwd=d)
    expect('format: --fix formats the changed lines', rc == 0, out)
    with open(os.path.join(d, 'src/sub/old.c')) as fh:
        text = fh.read()
    expect('format: --fix leaves the old lines alone', 'badly_formatted_but_old( int x )' in text,
           text)
    shutil.rmtree(d)


test_printf()
test_printf_text()
test_layers()
test_format()
print('tools: %d passed, %d failed' % (passed, failed))
sys.exit(1 if failed else 0)

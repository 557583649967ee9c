#!/usr/bin/python3
"""check_printf.py [ROOT] — checks every call of buf_printf (and of the other printers with its
conversions, table PRINTERS below) under ROOT/src against the conversions src/base/str.c reads:
%s (raw) %h (HTML) %u (URL) %j (JSON) %c %% %d %i with l/ll/z, %zu, %f with width or precision.

A heuristic parser (standard library only, no compiler): it strips comments, splits each call's
arguments at top-level commas, and reads types from declarations it can see. What it checks:
  - the format is one or more string literals (or #define'd string constants of the same file);
  - every conversion is one str.c knows (an unknown one aborts at run time; %lu / %llu are read
    as a URL string by str.c, so they are errors too);
  - the number of conversions equals the number of arguments;
  - the argument's type against the conversion, when the type can be resolved: literals, casts,
    sizeof, a local variable or parameter of the enclosing function, a file-level variable, a
    struct field reached by . -> [] from one of those (struct definitions of all of src/), a call
    of a function declared in src/ or one of the few libc / SQLite functions of LIBC_TYPES, and
    ternaries whose two branches agree, + - * / chains (the widest operand's type), literal
    #define constants. A name takes the type of its last declaration before the call in the
    function (block scopes are not tracked). An argument it cannot resolve is not reported
    (about 9 in 10 arguments of today's calls are resolved);
  - raw %s is fed only with a string literal, an UPPER_CASE macro constant, or an expression
    whose name ends in one of RAW_SUFFIXES (house convention: a variable, field or function whose
    name ends in _html holds HTML our own code built and escaped, _xml the same for XML such as an
    ODT style's attributes; buf_cstr(&x_html) counts as x_html). Each branch of a ternary must
    satisfy the rule.
    The rule holds only where a raw string can inject tags, in the files that build markup (HTML,
    XML, SVG): those of MARKUP_DIRS (src/web/, src/format/). The layers below (base, store, model)
    and the command line (cli) build no markup: their strings are plain text, escaped by the page
    that shows them. In a markup folder:
      * a file whose printers build only plain text (a MIME message, CSV, iCalendar, an e-mail
        body, cookies, text handed to an escaping writer) says so once in its leading comment
        with "printf-text: WHY"; the rule is then off for the whole file. A file that mixes
        markup and text must not carry it;
      * in a file that mixes them, a buffer holding plain text (a title, a label, a message
        escaped when it is shown) is named text or ends in one of TEXT_SUFFIXES, and printing
        into it (buf_printf(&title_text, ...)) is not held to the rule; so is a printer of
        PRINTERS whose own name ends in _text (it returns plain text).
    Formats, counts and types are checked everywhere.
    A line of the call may carry the comment /* printf-raw: WHY */ to accept raw %s the rule
    cannot see are safe (say why), or /* printf-unchecked: WHY */ to accept a format that is not
    a literal (a wrapper's parameter, when the wrapper is in PRINTERS); a ternary of two literal
    formats is checked branch by branch.
What it does not check: arguments built by macros, types through typedefs it does not know,
arithmetic with an operand it cannot resolve, calls through function pointers or wrappers not in PRINTERS, and
whether a %h / %u / %j is the right escaping for where the text lands (HTML vs URL vs JSON).
int64_t and long long are treated as one 64-bit type (the same on the LP64 targets we build).
Prints file:line: message for each violation; exits 1 if there is any, 0 otherwise.
"""
import os
import re
import sys

# Printers with buf_printf's conversions: function name -> index of the format argument.
# A file's own wrapper (a static function that passes its format on) is listed here so that its
# calls are checked; the buf_printf inside it carries printf-unchecked. A printer whose name
# ends in _text builds plain text (see the header comment).
PRINTERS = {'buf_printf': 1, 'aprintf': 1, 'sentence_text': 1, 'audit_text': 1}
# Name endings of expressions allowed after a raw %s (see the header comment).
RAW_SUFFIXES = ('_html', '_xml')
# Name endings of destination buffers that hold plain text, not markup (see the header comment).
TEXT_SUFFIXES = ('_text',)
# Folders (relative to the root) whose files build markup: the raw %s rule applies there only.
MARKUP_DIRS = ('src/web/', 'src/format/')
# Marker of a markup folder's file that builds only plain text (in its leading comment).
TEXT_MARKER = 'printf-text:'


def builds_markup(rel, raw):
    """True when the raw %s rule applies to the file rel (text raw): see the header comment."""
    if not rel.replace(os.sep, '/').startswith(MARKUP_DIRS):
        return False
    m = re.match(r'\s*/\*.*?\*/', raw, re.S)
    return not (m and TEXT_MARKER in m.group(0))
# Return kinds of the library functions often printed.
LIBC_TYPES = {
    'strlen': 'size', 'sqlite3_column_int64': 'llong', 'sqlite3_column_int': 'int',
    'sqlite3_column_text': 'str', 'sqlite3_errmsg': 'str', 'strerror': 'str', 'getenv': 'str',
    'sqlite3_changes': 'int', 'sqlite3_last_insert_rowid': 'llong', 'atoi': 'int',
    'atoll': 'llong', 'strtoll': 'llong', 'strtol': 'long', 'time': 'long', 'fabs': 'double',
    'floor': 'double', 'ceil': 'double', 'round': 'double', 'strchr': 'str', 'strrchr': 'str',
    'strstr': 'str', 'strdup': 'str', 'llabs': 'llong', 'abs': 'int', 'labs': 'long',
}

INT_TYPES = {'int', 'short', 'char', 'bool', '_Bool', 'unsigned', 'signed', 'int8_t', 'uint8_t',
             'int16_t', 'uint16_t', 'int32_t', 'uint32_t', 'unsigned int', 'unsigned short',
             'unsigned char', 'signed char', 'short int', 'long double'}
LONG_TYPES = {'long', 'long int', 'unsigned long', 'int64_t', 'uint64_t', 'time_t', 'ssize_t',
              'off_t', 'intptr_t', 'uintptr_t', 'long long', 'long long int',
              'unsigned long long', 'sqlite3_int64', 'sqlite_int64', 'sqlite3_uint64'}
SIZE_TYPES = {'size_t'}
DOUBLE_TYPES = {'double', 'float'}
TYPE_WORDS = {'const', 'volatile', 'static', 'register', 'unsigned', 'signed', 'struct', 'enum',
              'union', 'extern', 'inline', '_Thread_local'}
NOT_TYPES = {'return', 'if', 'while', 'for', 'switch', 'case', 'goto', 'break', 'continue',
             'do', 'else', 'sizeof', 'default'}

STRING = r'"(?:[^"\\\n]|\\.)*"'
CHAR = r"'(?:[^'\\\n]|\\.)*'"


def strip_comments(text):
    """Comments replaced by spaces (newlines kept) so offsets and line numbers still match."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '/' and text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:j]))
            i = j
        elif c == '/' and text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i))
            i = j
        elif c in '"\'':
            m = re.compile(STRING if c == '"' else CHAR).match(text, i)
            j = m.end() if m else i + 1
            out.append(text[i:j])
            i = j
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def split_top(s, seps=','):
    """Splits s at separators outside parentheses, brackets, braces and literals."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(s):
        c = s[i]
        if c in '"\'':
            m = re.compile(STRING if c == '"' else CHAR).match(s, i)
            i = m.end() if m else i + 1
            continue
        if c in '([{':
            depth += 1
        elif c in ')]}':
            depth -= 1
        elif c in seps and depth == 0:
            parts.append(s[start:i])
            start = i + 1
        i += 1
    parts.append(s[start:])
    return parts


def matching(s, i):
    """Index of the bracket closing the one at s[i], or -1."""
    pairs = {'(': ')', '[': ']', '{': '}'}
    stack = []
    while i < len(s):
        c = s[i]
        if c in '"\'':
            m = re.compile(STRING if c == '"' else CHAR).match(s, i)
            i = m.end() if m else i + 1
            continue
        if c in pairs:
            stack.append(pairs[c])
        elif c in ')]}':
            if not stack or stack.pop() != c:
                return -1
            if not stack:
                return i
        i += 1
    return -1


def kind_of(base, ptr):
    """The printf kind of a declared type: str, ptr, int, long, size, double, struct or None."""
    base = ' '.join(w for w in base.split() if w not in ('const', 'volatile', 'static', 'extern',
                                                         'register', 'inline'))
    if ptr:
        return 'str' if base in ('char', 'unsigned char', 'signed char') else 'ptr'
    if base.startswith('enum '):
        return 'int'
    if base.startswith('struct ') or base.startswith('union '):
        return 'struct'
    for kind, names in (('int', INT_TYPES), ('long', LONG_TYPES), ('size', SIZE_TYPES),
                        ('double', DOUBLE_TYPES)):
        if base in names:
            return kind
    return None


DECL_RE = re.compile(r'^\s*((?:(?:const|volatile|static|register|unsigned|signed|extern|inline)\s+)*'
                     r'(?:(?:struct|enum|union)\s+\w+|\w+(?:\s+(?:int|long|char|short|double))*)'
                     r'(?:\s+const)?)\s*([\s\S]*)$')


def parse_decl(stmt):
    """[(name, base type, pointer depth)] for a declaration statement, [] when it is not one."""
    m = DECL_RE.match(stmt)
    if not m:
        return []
    base, rest = m.group(1), m.group(2)
    words = base.split()
    if words[-1] in NOT_TYPES or words[0] in NOT_TYPES or not rest.strip():
        return []
    out = []
    for d in split_top(rest):
        d = d.split('=', 1)[0]
        dm = re.match(r'^\s*((?:\*\s*(?:const\s*)?)*)\(?\s*\**\s*(\w+)\s*(\[[^\]]*\]\s*)*\)?\s*'
                      r'(?:\([^)]*\))?\s*(?::\s*\d+)?\s*$', d)
        if not dm:
            return []
        name = dm.group(2)
        if name in NOT_TYPES or name in TYPE_WORDS:
            return []
        ptr = dm.group(1).count('*') + d.count('[')
        out.append((name, base, ptr))
    return out


class Index:
    """Struct fields, function return kinds, file-level variables and string macros of src/."""

    def __init__(self):
        self.structs = {}  # struct name -> {field: (base, ptr)}
        self.funcs = dict((k, (None, v)) for k, v in LIBC_TYPES.items())
        self.typedefs = {}
        self.macros = {}  # object-like macros of literal value -> (base type, pointer depth)

    def add_file(self, text):
        for m in re.finditer(r'\bstruct\s+(\w+)\s*\{', text):
            end = matching(text, m.end() - 1)
            if end < 0:
                continue
            fields = self.structs.setdefault(m.group(1), {})
            body = text[m.end():end]
            body = re.sub(r'\b(?:struct|union)\s*\w*\s*\{[^{}]*\}', 'struct anon', body)
            for stmt in split_top(body, ';'):
                for name, base, ptr in parse_decl(stmt.strip()):
                    fields[name] = (base, ptr)
        for m in re.finditer(r'(?m)^\s*#\s*define\s+(\w+)\s+(.+?)\s*$', text):
            v = m.group(2).strip('() ')
            if re.fullmatch(r'(?:' + STRING + r'\s*)+', v):
                self.macros[m.group(1)] = ('char', 1)
            elif re.fullmatch(r'-?[0-9]+[uU]?', v):
                self.macros[m.group(1)] = ('int', 0)
            elif re.fullmatch(r'-?[0-9]+[uU]?[lL]{1,2}', v):
                self.macros[m.group(1)] = ('long long', 0)
            elif re.fullmatch(r'-?[0-9]*\.[0-9]+', v):
                self.macros[m.group(1)] = ('double', 0)
        for m in re.finditer(r'typedef\s+([\w\s]+?)\s*(\**)\s*(\w+)\s*;', text):
            self.typedefs[m.group(3)] = (m.group(1), len(m.group(2)))
        for m in re.finditer(r'(?m)^(?:static\s+|inline\s+|extern\s+)*((?:const\s+)?(?:struct\s+|enum\s+|'
                             r'unsigned\s+)?\w+(?:\s+long)?)\s*(\**)\s*(\w+)\s*\(', text):
            base, ptr, name = m.group(1), len(m.group(2)), m.group(3)
            if base.split()[-1] in NOT_TYPES or name in NOT_TYPES:
                continue
            self.funcs[name] = (base, kind_of(base, ptr) if ptr or base != 'void' else None)

    def kind(self, base, ptr):
        k = kind_of(base, ptr)
        if k is None and base.split()[-1] in self.typedefs and not ptr:
            b2, p2 = self.typedefs[base.split()[-1]]
            return kind_of(b2, p2)
        return k


class Scope:
    """Variables visible at one call: parameters and locals declared before it, file-level ones."""

    def __init__(self, index, text, pos, globals_):
        self.index = index
        self.vars = dict(globals_)
        start = function_start(text, pos)
        if start is None:
            return
        sig_open = text.rfind(')', 0, start)
        sig_start = text.rfind('(', 0, sig_open)
        # Parameters: the signature's parenthesis before the body's brace.
        par = matching(text, sig_start)
        if par == sig_open:
            for p in split_top(text[sig_start + 1:sig_open]):
                for name, base, ptr in parse_decl(p.strip()):
                    self.vars[name] = (base, ptr)
        body = text[start + 1:pos]
        for stmt in re.split(r'[;{}]', body):
            stmt = stmt.strip()
            fm = re.match(r'^for\s*\((.*)$', stmt, re.S)
            if fm:
                stmt = fm.group(1)
            stmt = re.sub(r'^(?:else\s+)?(?:case\s+[^:]+:|default\s*:|\w+\s*:(?!:))\s*', '', stmt)
            for name, base, ptr in parse_decl(stmt):
                self.vars[name] = (base, ptr)

    def var(self, name):
        if name in self.vars:
            return self.vars[name]
        if name in self.index.macros:
            return self.index.macros[name]
        return None


def function_start(text, pos):
    """Offset of the '{' opening the function body that contains pos, or None."""
    depth, i, start = 0, 0, None
    # Walk the file once; cached by caller through brace_map.
    return brace_map(text).get_start(pos)


class BraceMap:
    def __init__(self, text):
        self.starts = []  # (open offset, close offset) of top-level braces
        depth, i, n = 0, 0, len(text)
        open_at = None
        while i < n:
            c = text[i]
            if c in '"\'':
                m = re.compile(STRING if c == '"' else CHAR).match(text, i)
                i = m.end() if m else i + 1
                continue
            if c == '#' and (i == 0 or text[i - 1] == '\n'):
                j = i
                while True:
                    j = text.find('\n', j)
                    if j < 0 or text[j - 1] != '\\':
                        break
                    j += 1
                i = n if j < 0 else j
                continue
            if c == '{':
                if depth == 0:
                    open_at = i
                depth += 1
            elif c == '}':
                depth -= 1
                if depth == 0 and open_at is not None:
                    self.starts.append((open_at, i))
            i += 1

    def get_start(self, pos):
        for a, b in self.starts:
            if a < pos < b:
                return a
        return None


_maps = {}


def brace_map(text):
    key = id(text)
    if key not in _maps:
        _maps[key] = BraceMap(text)
    return _maps[key]


def strip_parens(e):
    e = e.strip()
    while e.startswith('(') and matching(e, 0) == len(e) - 1:
        e = e[1:-1].strip()
    return e


def expr_kind(e, scope):
    """The printf kind of expression e, or None when it cannot be resolved."""
    e = strip_parens(e)
    if not e:
        return None
    parts = split_top_ternary(e)
    if parts:
        a, b = expr_kind(parts[1], scope), expr_kind(parts[2], scope)
        return a if a == b else None
    if re.fullmatch(r'(?:' + STRING + r'\s*)+', e):
        return 'str'
    if re.fullmatch(CHAR, e):
        return 'int'
    m = re.fullmatch(r'[0-9][0-9a-fA-FxX]*([uUlL]*)', e)
    if m:
        suf = m.group(1).lower().replace('u', '')
        return {'': 'int', 'l': 'long', 'll': 'long'}.get(suf)
    if re.fullmatch(r'[0-9]*\.[0-9]+(?:[eE][-+]?[0-9]+)?f?|[0-9]+[eE][-+]?[0-9]+', e):
        return 'double'
    if e.startswith('sizeof'):
        return 'size'
    if e.startswith('!') or re.search(r'[^-=!<>]==|!=|<=|>=|&&|\|\|', e) and top_level_op(e):
        return 'int'
    cm = re.match(r'^\(\s*((?:const\s+|unsigned\s+|signed\s+|struct\s+|enum\s+)*\w+(?:\s+long)*'
                  r'(?:\s+int)?)\s*(\**)\s*\)', e)
    if cm and cm.group(1).split()[-1] not in NOT_TYPES:
        k = scope.index.kind(cm.group(1), len(cm.group(2)))
        if k:
            return k
    if e.startswith('&'):
        return 'ptr'
    arith = split_arith(e)
    if arith:
        kinds = [expr_kind(x, scope) for x in arith]
        if None in kinds or 'struct' in kinds:
            return None
        for k in ('str', 'ptr', 'double', 'size', 'long'):
            if k in kinds:
                return k
        return 'int'
    if e.startswith('-') and not e.startswith('->'):
        return expr_kind(e[1:], scope)
    return chain_kind(e, scope)


def split_arith(e):
    """The operands of a top-level + - * / % chain, or None (unary minus and -> excluded)."""
    parts, depth, start, i, prev = [], 0, 0, 0, ''
    while i < len(e):
        c = e[i]
        if c in '"\'':
            m = re.compile(STRING if c == '"' else CHAR).match(e, i)
            i = m.end() if m else i + 1
            prev = 'x'
            continue
        if c in '([':
            depth += 1
        elif c in ')]':
            depth -= 1
        elif (depth == 0 and c in '+-*/%' and prev not in ('', 'op') and e[i:i + 2] != '->'
              and e[i:i + 2] not in ('++', '--') and e[i - 1:i + 1] not in ('++', '--')):
            parts.append(e[start:i])
            start = i + 1
            prev = 'op'
            i += 1
            continue
        if not c.isspace():
            prev = 'x'
        i += 1
    if not parts:
        return None
    parts.append(e[start:])
    return parts if all(p.strip() for p in parts) else None


def top_level_op(e):
    depth = 0
    for i, c in enumerate(e):
        if c in '([':
            depth += 1
        elif c in ')]':
            depth -= 1
        elif depth == 0 and e[i:i + 2] in ('==', '!=', '<=', '>=', '&&', '||'):
            return True
    return False


def split_top_ternary(e):
    """(cond, a, b) when e is a top-level ternary, else None."""
    parts = split_top(e, '?')
    if len(parts) < 2:
        return None
    cond, rest = parts[0], '?'.join(parts[1:])
    depth, q = 0, 0
    i = 0
    while i < len(rest):
        c = rest[i]
        if c in '"\'':
            m = re.compile(STRING if c == '"' else CHAR).match(rest, i)
            i = m.end() if m else i + 1
            continue
        if c in '([{':
            depth += 1
        elif c in ')]}':
            depth -= 1
        elif depth == 0 and c == '?':
            q += 1
        elif depth == 0 and c == ':':
            if q == 0:
                return cond, rest[:i], rest[i + 1:]
            q -= 1
        i += 1
    return None


CHAIN_RE = re.compile(r'^(\w+)((?:\s*(?:->|\.)\s*\w+|\s*\[[^\]]*\])*)$')


def chain_kind(e, scope):
    """Kind of name, call or name(->|.)field…[i] chains."""
    fm = re.match(r'^(\w+)\s*\(', e)
    if fm and matching(e, fm.end() - 1) == len(e) - 1:
        f = scope.index.funcs.get(fm.group(1))
        return f[1] if f else None
    m = CHAIN_RE.match(e)
    if not m:
        return None
    root = scope.var(m.group(1))
    if root is None:
        return None
    base, ptr = root
    for step in re.findall(r'->\s*\w+|\.\s*\w+|\[[^\]]*\]', m.group(2)):
        if step.startswith('['):
            ptr -= 1
            continue
        sm = re.match(r'(?:struct|union)\s+(\w+)', ' '.join(w for w in base.split() if w != 'const'))
        name = sm.group(1) if sm else None
        if name is None:
            td = scope.index.typedefs.get(base.split()[-1])
            sm = td and re.match(r'(?:struct|union)\s+(\w+)', td[0])
            name = sm.group(1) if sm else None
        fields = scope.index.structs.get(name) if name else None
        field = re.sub(r'^(->|\.)\s*', '', step)
        if not fields or field not in fields:
            return None
        base, ptr = fields[field]
    if ptr < 0:
        return None
    return scope.index.kind(base, ptr)


def raw_name(e):
    """The name an argument is known by for the raw %s rule."""
    e = strip_parens(e)
    m = re.match(r'^buf_cstr\s*\(\s*&?\s*(.*)\)$', e, re.S)
    if m:
        e = strip_parens(m.group(1))
    m = re.match(r'^(\w+)\s*\(', e)
    if m and matching(e, m.end() - 1) == len(e) - 1:
        return m.group(1)
    names = re.findall(r'\w+', re.sub(r'\[[^\]]*\]', '', e))
    return names[-1] if names else ''


def raw_ok(e):
    e = strip_parens(e)
    t = split_top_ternary(e)
    if t:
        return raw_ok(t[1]) and raw_ok(t[2])
    if re.fullmatch(r'(?:' + STRING + r'\s*)+', e):
        return True
    if re.fullmatch(r'[A-Z][A-Z0-9_]*', e):
        return True
    return raw_name(e).endswith(RAW_SUFFIXES)


CONV_RE = re.compile(r'%([.0-9-]*)(l*)(z?)(.?)', re.S)


def conversions(fmt):
    """[(spec, conv, longs, z)] as str.c's buf_vprintf reads them (%% excluded)."""
    out = []
    for m in CONV_RE.finditer(fmt):
        spec, longs, z, c = m.group(0), len(m.group(2)), bool(m.group(3)), m.group(4)
        if c == '%' and not m.group(1) and not longs and not z:
            continue
        out.append((spec, c, longs, z))
    return out


def literal_value(lit):
    """The bytes of a C string literal, escapes reduced to a placeholder character."""
    body = lit[1:-1]
    return re.sub(r'\\(?:[0-7]{1,3}|x[0-9a-fA-F]+|.)', 'E', body)


KIND_WORDS = {'int': 'an int', 'long': 'a 64-bit integer', 'size': 'a size_t', 'double': 'a double',
              'str': 'a string', 'ptr': 'a pointer', 'struct': 'a struct'}


def check_call(path, line, args, fmt_index, scope, macros, raw_lines, errors):
    def report(msg):
        errors.append('%s:%d: %s' % (path, line, msg))

    fmt_expr = strip_parens(args[fmt_index])
    tern = split_top_ternary(fmt_expr)
    if tern:  # cond ? "fmt a" : "fmt b": each branch must match the arguments
        for branch in tern[1:]:
            check_call(path, line, args[:fmt_index] + [branch] + args[fmt_index + 1:], fmt_index,
                       scope, macros, raw_lines, errors)
        return
    pieces = re.findall(STRING + r'|\w+|\S', fmt_expr)
    fmt = ''
    for p in pieces:
        if p.startswith('"'):
            fmt += literal_value(p)
        elif p in macros:
            fmt += literal_value(macros[p])
        elif raw_lines == 'unchecked':
            return
        else:
            report('format is not a string literal (%s): cannot be checked' % fmt_expr[:60])
            return
    values = args[fmt_index + 1:]
    convs = conversions(fmt)
    if len(convs) != len(values):
        report('%d conversions in "%s" but %d arguments' % (len(convs), fmt[:60], len(values)))
        return
    for (spec, c, longs, z), v in zip(convs, values):
        v = v.strip()
        short = ' '.join(v.split())[:50]
        if c in 'sjh' or (c == 'u' and not z):
            if longs or z:
                if c == 'u':
                    report('%s is read as a URL string by buf_printf: use %%ld, %%lld or %%zu' % spec)
                else:
                    report('%s: unknown conversion (aborts at run time)' % spec)
                continue
            k = expr_kind(v, scope)
            if k in ('int', 'long', 'size', 'double', 'struct'):
                report('%s needs a string, got %s (%s)' % (spec, KIND_WORDS[k], short))
            elif c == 's' and not raw_ok(v) and not raw_lines:
                report('raw %%s fed with %s: use %%h/%%u/%%j, or name HTML our code built *_html'
                       % short)
        elif c in 'di' or (c == 'u' and z):
            k = expr_kind(v, scope)
            want = 'size' if z else 'int' if longs == 0 else 'long'
            if k is None or k == want or (want == 'long' and k == 'long'):
                continue
            names = {'int': '%d', 'long': '%lld', 'size': '%zu', 'double': '%f'}
            report('%s given %s (%s)%s' % (spec, KIND_WORDS[k], short,
                                            ': use ' + names[k] if k in names else ''))
        elif c == 'f':
            if longs > 1 or z:
                report('%s: unknown conversion (aborts at run time)' % spec)
                continue
            k = expr_kind(v, scope)
            if k is not None and k != 'double':
                report('%s given %s (%s)' % (spec, KIND_WORDS[k], short))
        elif c == 'c':
            k = expr_kind(v, scope)
            if k is not None and k != 'int':
                report('%s given %s (%s)' % (spec, KIND_WORDS[k], short))
        else:
            report('%s: unknown conversion (aborts at run time)' % spec)


def source_files(root):
    out = []
    for d, _, names in os.walk(os.path.join(root, 'src')):
        out += [os.path.join(d, n) for n in names if n.endswith(('.c', '.h'))]
    return sorted(out)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..')
    root = os.path.normpath(root)
    files = source_files(root)
    index = Index()
    texts = {}
    for f in files:
        with open(f, encoding='utf-8', errors='replace') as fh:
            raw = fh.read()
        texts[f] = (raw, strip_comments(raw))
        index.add_file(texts[f][1])
    errors = []
    calls = 0
    call_re = re.compile(r'\b(' + '|'.join(PRINTERS) + r')\s*\(')
    for f in files:
        raw, text = texts[f]
        rel = os.path.relpath(f, root)
        macros = dict(re.findall(r'(?m)^\s*#\s*define\s+(\w+)\s+(' + STRING + r')\s*$', text))
        raw_lines = {i + 1 for i, l in enumerate(raw.split('\n')) if 'printf-raw:' in l}
        unchecked_lines = {i + 1 for i, l in enumerate(raw.split('\n')) if 'printf-unchecked:' in l}
        markup = builds_markup(rel, raw)
        bm = brace_map(text)
        globals_ = {}
        pos = 0
        for a, b in bm.starts + [(len(text), len(text))]:
            for stmt in split_top(text[pos:a], ';'):
                stmt = re.sub(r'(?m)^\s*#.*$', '', stmt).strip()
                if '(' in stmt.split('=')[0]:
                    continue
                for name, base, ptr in parse_decl(stmt):
                    globals_[name] = (base, ptr)
            pos = b + 1
        for m in call_re.finditer(text):
            name = m.group(1)
            before = text[max(0, m.start() - 40):m.start()]
            if re.search(r'(?:void|char|\*)\s*$', before):
                continue  # the definition or a prototype
            end = matching(text, m.end() - 1)
            if end < 0:
                continue
            calls += 1
            line = text.count('\n', 0, m.start()) + 1
            args = split_top(text[m.end():end])
            if len(args) <= PRINTERS[name]:
                errors.append('%s:%d: %s without a format' % (rel, line, name))
                continue
            scope = Scope(index, text, m.start(), globals_)
            end_line = text.count('\n', 0, end) + 1
            span = range(line, end_line + 1)
            dest = raw_name(strip_parens(args[0]).lstrip('&'))
            text_dest = (dest == 'text' or dest.endswith(TEXT_SUFFIXES) or
                         name.endswith(TEXT_SUFFIXES))
            marked = not markup or text_dest or any(l in raw_lines for l in span)
            if any(l in unchecked_lines for l in span):
                marked = 'unchecked'
            check_call(rel, line, args, PRINTERS[name], scope, macros, marked, errors)
    for e in errors:
        print(e)
    print('check_printf: %d calls, %d violations' % (calls, len(errors)), file=sys.stderr)
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())

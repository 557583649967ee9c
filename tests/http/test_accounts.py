"""test_accounts.py — accounts, sessions and permissions (issue 3) on the real binary, each part
on a server of its own over a copy of the demo database (known passwords, one administrator).
The permission walk takes every state-changing route from `boussole routes` and sends it, as the
public and as each role, with a valid CSRF token and an empty body: the answer must be what the
route's declared role and scope say (login, 403 or allowed). Then: CSRF refusals change nothing,
a session cookie from before login is worth nothing after it, logout and logout everywhere,
expired sessions, revoked API tokens, throttled logins (429, logged), argon2id hashes. The
e-mails (reset, invitation) are in test_accounts_mail.py, which uses the servers and clients of
this file. Expected ids come from the database (sqlite3), never from the pages under test."""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import unittest
import urllib.parse

import common
from common import connect, copy_db, free_port, new_db, run_cli, tmp_path, visible_text

PASSWORD = "une phrase de passe assez longue pour les tests"

# The demo's accounts (boussole demo) and the administrator added here.
EMAILS = {
    "carrier": "porteur@cls-demo.invalid",
    "referent": "referent@cls-demo.invalid",
    "signatory": "signataire@cls-demo.invalid",
    "coordinator": "coordination@cls-demo.invalid",
    "admin": "admin.acces@tests.example",
}
ROLES = ["public", "carrier", "referent", "signatory", "coordinator", "admin"]
CARRIER_ORG = 23  # EHPAD d'Hannonville, the demo carrier's organisation
CARRIED = {10, 11, 16, 27, 63, 68, 69}  # the actions it carries in the demo data
NO_SUCH_ID = 999999  # a second {id} in a path: nothing there, so nothing is removed

# What `boussole routes` says in its "who may" column.
WHO_MAY = {
    "anyone (public)": "public",
    "any signed-in account": "signed_in",
    "the action's carrier, coordination": "carrier",
    "the contract's coordination": "coordinator",
    "administrators": "admin",
}

# POSTs whose proof is a personal token in the URL, not a session: the newsletter's one-click
# unsubscribe (RFC 8058), posted by mail clients without page nor cookie.
TOKEN_BEARING = {"/newsletter/unsubscribe"}

SESSION_COOKIE = "bsl_session"
PRE_COOKIE = "bsl_pre"


# ---- the database and the servers --------------------------------------------------------------

_base_db = None


def prepared_db(name):
    """A fresh copy of a demo database prepared once: the demo loaded, the demo accounts with
    PASSWORD, and an administrator tied to no contract."""
    global _base_db
    if _base_db is None:
        base = new_db("accounts-base")
        r = run_cli("demo", "--db", base, "--no-serve", timeout=600)
        if r.returncode != 0:
            raise RuntimeError("boussole demo --no-serve failed: " + r.stderr)
        for role, addr in EMAILS.items():
            if role == "admin":
                r = run_cli("user", "add", "--db", base, "--email", addr, "--name",
                            "Ada Administratrice", "--role", "admin", "--password-stdin",
                            stdin=(PASSWORD + "\n").encode())
            else:
                r = run_cli("user", "passwd", "--db", base, "--email", addr, "--password-stdin",
                            stdin=(PASSWORD + "\n").encode())
            if r.returncode != 0:
                raise RuntimeError("boussole user (%s) failed: %s" % (role, r.stderr))
        _base_db = base
    return copy_db(_base_db, name)


def sql(db, query, *params):
    """Rows of a query on the test database (the server may be running: SQLite locks)."""
    con = connect(db, timeout=30)
    try:
        with con:
            return con.execute(query, params).fetchall()
    finally:
        con.close()


def add_account(db, addr, name, role, contract=None, organisation=None):
    args = ["user", "add", "--db", db, "--email", addr, "--name", name, "--role", role,
            "--password-stdin"]
    if contract is not None:
        args += ["--contract", str(contract)]
    if organisation is not None:
        args += ["--organisation", str(organisation)]
    r = run_cli(*args, stdin=(PASSWORD + "\n").encode())
    if r.returncode != 0:
        raise RuntimeError("boussole user add failed: " + r.stderr)


def cli_token(db, addr, name="tests"):
    r = run_cli("user", "token", "--db", db, "--email", addr, "--name", name)
    token = r.stdout.decode("utf-8").strip().splitlines()[-1].strip() if r.stdout else ""
    if r.returncode != 0 or not token:
        raise RuntimeError("boussole user token failed: " + r.stderr)
    return token


class FrozenClock:
    """The time a debug build's requests run at (BOUSSOLE_TEST_CLOCK, server.c): frozen at the
    start, moved only by advance(), so a test of delays waits for nothing and depends on no
    machine's speed."""

    def __init__(self, name):
        self.path = tmp_path(name + ".clock")
        self.now = int(time.time())
        self.write()

    def env(self):
        return {"BOUSSOLE_TEST_CLOCK": self.path}

    def advance(self, seconds):
        self.now += seconds
        self.write()

    def write(self):
        # Renamed into place: a request never reads a half-written file.
        with open(self.path + ".new", "w") as f:
            f.write("%d\n" % self.now)
        os.replace(self.path + ".new", self.path)


class AccServer(common.Server):
    """`boussole serve` on a prepared database; extra arguments may name the port as {port}
    (for --base-url); env: variables added to the server's environment."""

    def __init__(self, name, extra=(), env=None):
        super().__init__(name, prepared_db(name), command="serve")
        self.extra = list(extra)
        self.env = dict(os.environ, **(env or {}))

    def start(self):
        for _attempt in range(5):
            self.port = free_port()
            args = [common.BOUSSOLE, "serve", "--db", self.db, "--listen",
                    "127.0.0.1:%d" % self.port]
            args += [a.replace("{port}", str(self.port)) for a in self.extra]
            log = open(self.log_path, "wb")
            self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, env=self.env)
            log.close()
            deadline = time.time() + 60
            while time.time() < deadline and self.proc.poll() is None:
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                        common.SERVERS.append(self)
                        return self
                except OSError:
                    time.sleep(0.05)
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
                raise RuntimeError("%s: boussole did not listen:\n%s" % (self.name, self.log()))
            if "cannot listen" not in self.log():
                raise RuntimeError("%s: boussole exited before listening:\n%s"
                                   % (self.name, self.log()))
        raise RuntimeError("%s: no free port found in 5 attempts" % self.name)


class Answer:
    """One HTTP answer, with every Set-Cookie header kept."""

    def __init__(self, status, headers, body):
        self.status = status
        self.raw_headers = headers
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def header(self, name):
        return self.headers.get(name.lower())

    def set_cookies(self):
        return [v for k, v in self.raw_headers if k.lower() == "set-cookie"]

    def login_redirect(self):
        """True when this is the permission layer's "sign in first" redirect."""
        loc = self.header("location") or ""
        return self.status == 303 and loc.startswith("/login?next=")


class Client:
    """A browser: a cookie jar and the CSRF token of the last form seen."""

    def __init__(self, server):
        self.s = server
        self.cookies = {}
        self.csrf = ""

    def request(self, method, path, body=None, headers=None, cookies=None):
        h = dict(headers or {})
        jar = self.cookies if cookies is None else cookies
        if jar:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in jar.items())
        conn = http.client.HTTPConnection("127.0.0.1", self.s.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            a = Answer(r.status, r.getheaders(), r.read())
        finally:
            conn.close()
        if cookies is None:
            for c in a.set_cookies():
                name, _, rest = c.partition("=")
                value = rest.split(";")[0]
                if "Max-Age=0" in c or not value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
            m = re.search(r'name="csrf" value="([^"]+)"', a.text)
            if m:
                self.csrf = m.group(1)
        return a

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields=(), csrf=True):
        """POSTs a form; csrf: True for the last token seen, None for none, or a token."""
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        if csrf is True:
            pairs.append(("csrf", self.csrf))
        elif csrf is not None:
            pairs.append(("csrf", csrf))
        return self.request("POST", path, urllib.parse.urlencode(pairs),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def login(self, addr, password=PASSWORD, expect=303):
        self.get("/login")
        r = self.post("/login", {"email": addr, "password": password, "next": "/"})
        if expect is not None and r.status != expect:
            raise AssertionError("login of %s: %d, expected %d: %s"
                                 % (addr, r.status, expect, visible_text(r.text)[:400]))
        if r.status == 303:
            self.get("/account")  # a page with the session's form token
        return r

    def signed_in(self):
        """True when the cookies open /account (False: the public view, sent to /login)."""
        r = self.get("/account")
        if r.status == 200:
            return True
        assert r.login_redirect(), (r.status, r.header("location"))
        return False


def signed_in_with(server, session_value):
    """Whether a bare session cookie value opens /account."""
    r = Client(server).request("GET", "/account", cookies={SESSION_COOKIE: session_value})
    return r.status == 200


def bearer(token):
    return {"Authorization": "Bearer " + token}


# ---- 1. the whole permission table --------------------------------------------------------------

def route_table():
    """(method, pattern, who, scope, csrf) of every route, from `boussole routes`."""
    r = run_cli("routes")
    if r.returncode != 0:
        raise RuntimeError("boussole routes failed: " + r.stderr)
    rows = []
    for line in r.stdout.decode("utf-8").splitlines():
        m = re.match(r"^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \| ([^|]+) \| ([^|]+) \| "
                     r"(yes|no) \|$", line)
        if m:
            rows.append((m.group(1), m.group(2), m.group(3).strip(), m.group(4).strip(),
                         m.group(5) == "yes"))
    return rows


def expected(need, who, carried):
    """What the table promises: "allowed", "403" or "login"."""
    if need == "public":
        return "allowed"
    if who == "public":
        return "login"
    if who == "admin":
        return "allowed"
    if need == "signed_in":
        return "allowed"
    if need == "carrier":
        return "allowed" if who == "coordinator" or (who == "carrier" and carried) else "403"
    if need == "coordinator":
        return "allowed" if who == "coordinator" else "403"
    return "403"  # administrators only


class PermissionWalk(unittest.TestCase):
    """Every state-changing route × every role, against the table's promise."""

    LAST = ("/logout", "/account/logout-all")  # they end the session: walked last

    @classmethod
    def setUpClass(cls):
        cls.server = AccServer("accounts-walk")
        db = cls.server.db
        # A spare account and token for the account routes that take an id (their answers to
        # an empty body leave it as it is), indicators of a carried action and of an objective.
        add_account(db, "spare.acces@tests.example", "Sam Spare", "referent", 1)
        cli_token(db, "spare.acces@tests.example", "spare")
        (cls.spare,), = sql(db, "SELECT id FROM account WHERE email = ?",
                            "spare.acces@tests.example")
        (cls.spare_token,), = sql(db, "SELECT id FROM api_token WHERE account_id = ?", cls.spare)
        carried = {a for (a,) in sql(db, "SELECT action_id FROM action_organisation WHERE "
                                         "organisation_id = ? AND role IN ('carrier', "
                                         "'co_carrier')", CARRIER_ORG)}
        assert carried == CARRIED, "the demo carrier carries %s" % sorted(carried)
        cls.other_action = sql(db, "SELECT min(id) FROM action WHERE contract_id = 1 AND id NOT "
                                   "IN (SELECT action_id FROM action_organisation WHERE "
                                   "organisation_id = ?)", CARRIER_ORG)[0][0]
        sql(db, "INSERT INTO indicator (contract_id, action_id, name, kind, created_at) "
                "VALUES (1, 10, 'Indicateur du porteur', 'process', '2024-01-01')")
        sql(db, "INSERT INTO indicator (contract_id, objective_id, name, kind, created_at) "
                "VALUES (1, (SELECT min(id) FROM objective WHERE contract_id = 1), "
                "'Indicateur d''objectif', 'result', '2024-01-01')")
        one = lambda q, *p: sql(db, q, *p)[0][0]  # noqa: E731
        cls.ids = {
            "contract": [("", 1, False)],
            "action": [("carried", 10, True), ("not carried", cls.other_action, False)],
            "indicator": [
                ("carried action's", one("SELECT max(id) FROM indicator WHERE action_id = 10"),
                 True),
                ("other action's", one("SELECT min(id) FROM indicator WHERE action_id = ?",
                                       cls.other_action) or
                 one("SELECT min(id) FROM indicator WHERE action_id NOT IN (%s)"
                     % ",".join(str(a) for a in CARRIED)), False),
                ("objective's", one("SELECT max(id) FROM indicator WHERE objective_id IS NOT "
                                    "NULL"), False)],
            "objective": [("", one("SELECT min(id) FROM objective WHERE contract_id = 1"), False)],
            "signatory": [("", one("SELECT min(id) FROM signatory WHERE contract_id = 1"), False)],
            "body": [("", one("SELECT min(id) FROM body WHERE contract_id = 1"), False)],
            # A meeting without a fixed day: "send the invitations" stops at once.
            "meeting": [("", one("SELECT coalesce(min(CASE WHEN date_precision <> 'day' THEN id "
                                 "END), min(id)) FROM meeting WHERE contract_id = 1"), False)],
            "person": [("", one("SELECT min(id) FROM person WHERE contract_id = 1 AND "
                                "account_id IS NULL"), False)],
            "organisation": [("", CARRIER_ORG, False)],
            "account": [("spare", cls.spare, False)],
            "token": [("spare's", cls.spare_token, False)],
        }
        for kind, variants in cls.ids.items():
            for _label, i, _c in variants:
                assert i, "no %s id in the demo database" % kind
        cls.server.start()
        cls.clients, cls.tokens = {}, {}
        for who in ROLES:
            c = Client(cls.server)
            if who == "public":
                c.get("/login")  # the pre-session cookie and its form token
            else:
                c.login(EMAILS[who])
                cls.tokens[who] = cli_token(db, EMAILS[who], "walk")
            cls.clients[who] = c
        cls.results = {}  # (method path, variant) → {who: status}

    @classmethod
    def tearDownClass(cls):
        cls.print_table()

    @classmethod
    def kind_of(cls, pattern):
        for rx, kind in ((r"^/(api/v1/)?contracts/\{id\}", "contract"),
                         (r"^/(api/v1/)?actions/\{id\}", "action"),
                         (r"^/campaign/actions/\{id\}", "action"),
                         (r"^/survey/answers/\{id\}", "action"),
                         (r"^/(api/v1/)?indicators/\{id\}", "indicator"),
                         (r"^/objectives/\{id\}", "objective"),
                         (r"^/signatories/\{id\}", "signatory"),
                         (r"^/bodies/\{id\}", "body"),
                         (r"^/meetings/\{id\}", "meeting"),
                         (r"^/(admin/)?people/\{id\}", "person"),
                         (r"^/organisations/\{id\}", "organisation"),
                         (r"^/admin/accounts/\{id\}", "account"),
                         (r"^/account/tokens/\{id\}", "token")):
            if re.match(rx, pattern):
                return kind
        return None

    def variants(self, pattern):
        """(label, path, carried) for each real id the pattern is walked with."""
        if "{id}" not in pattern:
            return [("", pattern, False)]
        kind = self.kind_of(pattern)
        self.assertIsNotNone(kind, "%s: which kind of id is {id}? Add it to kind_of() and "
                                   "setUpClass's ids" % pattern)
        out = []
        for label, i, carried in self.ids[kind]:
            path = pattern.replace("{id}", str(i), 1).replace("{id}", str(NO_SUCH_ID))
            out.append(("%s %s %d" % (label, kind, i) if label else "%s %d" % (kind, i), path,
                        carried))
        return out

    def send(self, who, path):
        """The route with an empty (or harmless) body: a form with only the CSRF token, or an
        API request with a bearer token and a JSON body that is not an object."""
        c = self.clients[who]
        if path.startswith("/api/"):
            h = {"Content-Type": "application/json"}
            if who != "public":
                h.update(bearer(self.tokens[who]))
            return c.request("POST", path, b"[]", h, cookies={})
        if path != "/login":
            return c.post(path)
        # Signing in with the right password (a wrong one would start the per-address delay
        # and hold back the sign-ins of the walk): the public as the spare account, then the
        # session is dropped so the public stays public; a role gets a new session.
        addr = "spare.acces@tests.example" if who == "public" else EMAILS[who]
        r = c.post(path, {"email": addr, "password": PASSWORD, "next": "/"})
        if who == "public":
            c.cookies.pop(SESSION_COOKIE, None)
        else:
            c.get("/account")  # the new session's form token
        return r

    def judge(self, want, path, r):
        """None when the answer keeps the promise, else what is wrong."""
        api = path.startswith("/api/")
        if want == "login":
            if api:
                ok = r.status == 401 and "json" in (r.header("content-type") or "")
                return None if ok else "want 401 JSON, got %d" % r.status
            if not r.login_redirect():
                return "want 303 to /login, got %d %s" % (r.status, r.header("location"))
            nxt = urllib.parse.unquote(r.header("location").split("next=", 1)[1])
            return None if nxt == path else "next=%s, not %s" % (nxt, path)
        if want == "403":
            if r.status != 403:
                return "want 403, got %d" % r.status
            return None if "Accès refusé" in r.text or api else "403 but not 'Accès refusé'"
        # allowed: the handler answered (a 4xx about the empty body is fine).
        if r.login_redirect():
            return "allowed, but sent to %s" % r.header("location")
        if r.status == 403:
            return "allowed, but 403: %s" % visible_text(r.text)[:120]
        if r.status == 401:
            return "allowed, but 401"
        if r.status >= 500:
            return "allowed, but %d (server error on an empty body)" % r.status
        return None

    def walk(self, method, pattern, need, last=False):
        for label, path, carried in self.variants(pattern):
            key = ("%s %s" % (method, pattern), label)
            row = self.results.setdefault(key, {})
            problems = []
            for who in ROLES:
                want = expected(need, who, carried)
                r = self.send(who, path)
                row[who] = (r.status, want)
                problem = self.judge(want, path, r)
                if problem:
                    row[who] = (r.status, want, problem)
                    problems.append("%s: %s" % (who, problem))
                if last and who != "public" and want == "allowed":
                    # The session ended: it must be gone; sign in again for the next route.
                    self.assertFalse(self.clients[who].signed_in(),
                                     "%s %s as %s left the session open" % (method, path, who))
                    self.clients[who].login(EMAILS[who])
            yield label, path, problems

    def test_every_state_changing_route(self):
        routes = [r for r in route_table() if r[0] != "GET"]
        self.assertGreater(len(routes), 50, "boussole routes printed too few routes")
        ordered = ([r for r in routes if r[1] not in self.LAST] +
                   [r for p in self.LAST for r in routes if r[1] == p])
        audited = sql(self.server.db, "SELECT count(*) FROM audit_log")[0][0]
        for method, pattern, who_may, _scope, csrf in ordered:
            with self.subTest(route="%s %s" % (method, pattern)):
                self.assertIn(who_may, WHO_MAY, "unknown 'who may' wording")
                self.assertTrue(csrf or pattern in TOKEN_BEARING,
                                "a state-changing route without a CSRF check")
                need = WHO_MAY[who_may]
                for label, path, problems in self.walk(method, pattern, need,
                                                       last=pattern in self.LAST):
                    self.assertEqual(problems, [], "%s %s (%s)" % (method, path, label))
        # Empty bodies: the walk changed nothing the history records.
        self.assertEqual(sql(self.server.db, "SELECT count(*) FROM audit_log")[0][0], audited)

    def test_carrier_and_another_organisations_action(self):
        """Spelled out: the carrier changes its own action, never another organisation's."""
        c = self.clients["carrier"]
        c.get("/actions/10/edit")
        other = self.other_action
        for path in ("/actions/%d/status", "/actions/%d/edit", "/actions/%d/sheet",
                     "/actions/%d/indicators/new"):
            with self.subTest(path=path % other):
                r = c.post(path % other, {"year": "2023", "status": "in_progress",
                                          "remarks": "Pas mon action"})
                self.assertEqual(r.status, 403, visible_text(r.text)[:300])
                self.assertIn("Accès refusé", r.text)
        r = self.clients["carrier"].request(
            "POST", "/api/v1/actions/%d/status" % other,
            b'{"year": 2023, "status": "in_progress"}',
            dict(bearer(self.tokens["carrier"]), **{"Content-Type": "application/json"}),
            cookies={})
        self.assertEqual(r.status, 403)
        remarks = sql(self.server.db, "SELECT count(*) FROM action_status WHERE action_id = ? "
                                      "AND remarks = 'Pas mon action'", other)[0][0]
        self.assertEqual(remarks, 0)
        self.assertEqual(c.get("/actions/%d/edit" % other).status, 403)
        self.assertEqual(c.get("/actions/10/edit").status, 200)

    @classmethod
    def print_table(cls):
        if not cls.results:
            return
        short = {"public": "pub", "carrier": "carr", "referent": "ref", "signatory": "sig",
                 "coordinator": "coord", "admin": "admin"}
        width = max(len("%s %s" % k) for k in cls.results) + 1
        lines = ["", "Permission walk (status; * = not what the table promises; "
                 "a=allowed l=login f=forbidden):",
                 "%-*s %s" % (width, "route (id)", " ".join("%-8s" % short[w] for w in ROLES))]
        for (route, label), row in cls.results.items():
            cells = []
            for who in ROLES:
                if who not in row:
                    cells.append("%-8s" % "-")
                    continue
                got = row[who]
                cells.append("%-8s" % ("%d%s%s" % (got[0], {"allowed": "a", "login": "l",
                                                            "403": "f"}[got[1]],
                                                  "*" if len(got) > 2 else "")))
            name = "%s %s" % (route, "(%s)" % label if label else "")
            lines.append("%-*s %s" % (width, name.strip(), " ".join(cells)))
        print("\n".join(lines), file=sys.stderr, flush=True)


# ---- 2. CSRF, sessions, tokens, throttling, hashes ---------------------------------------------

def status_rows(db, action_id):
    return sql(db, "SELECT id, year, status, remarks, recommendations FROM action_status "
                   "WHERE action_id = ? ORDER BY id", action_id)


class Sessions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = AccServer("accounts-sessions").start()
        cls.db = cls.server.db

    def account_id(self, role):
        return sql(self.db, "SELECT id FROM account WHERE email = ?", EMAILS[role])[0][0]

    def test_csrf_missing_or_wrong_changes_nothing(self):
        carrier = Client(self.server)
        carrier.login(EMAILS["carrier"])
        other = Client(self.server)
        other.login(EMAILS["coordinator"])
        page = carrier.get("/actions/10/edit")
        self.assertEqual(page.status, 200)
        good = carrier.csrf
        before = (status_rows(self.db, 10), sql(self.db, "SELECT count(*) FROM audit_log"),
                  carrier.get("/actions/10").text)
        fields = {"year": "2023", "status": "in_progress",
                  "remarks": "Remarque envoyée sans jeton", "recommendations": ""}
        for label, token in (("no token", None), ("empty token", ""),
                             ("wrong token", "A" * len(good)),
                             ("another session's token", other.csrf),
                             ("the pre-session token", carrier.cookies[PRE_COOKIE])):
            with self.subTest(csrf=label):
                r = carrier.post("/actions/10/status", fields, csrf=token)
                self.assertEqual(r.status, 403, visible_text(r.text)[:300])
                self.assertIn("Formulaire expiré", r.text)
        # The API with the session cookie and no bearer token is a form without a token too.
        r = carrier.request("POST", "/api/v1/actions/10/status",
                            b'{"year": 2023, "status": "in_progress", "remarks": "API"}',
                            {"Content-Type": "application/json"})
        self.assertEqual(r.status, 403)
        after = (status_rows(self.db, 10), sql(self.db, "SELECT count(*) FROM audit_log"),
                 carrier.get("/actions/10").text)
        self.assertEqual(before[0], after[0], "action 10's statuses changed")
        self.assertEqual(before[1], after[1], "the audit log grew")
        self.assertNotIn("sans jeton", after[2])
        # The same request with the session's token goes through: only the token was missing.
        r = carrier.post("/actions/10/status", fields, csrf=good)
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        self.assertEqual(status_rows(self.db, 10)[-1][1:4],
                         (2023, "in_progress", "Remarque envoyée sans jeton"))

    def test_session_cookie_from_before_login_is_worthless(self):
        c = Client(self.server)
        c.get("/login")
        pre = c.cookies.get(PRE_COOKIE)
        self.assertTrue(pre, "the login form sets no pre-session cookie")
        self.assertNotIn(SESSION_COOKIE, c.cookies)
        planted = "P" * 43  # a value an attacker chose and planted before the login
        c.cookies[SESSION_COOKIE] = planted
        r = c.post("/login", {"email": EMAILS["referent"], "password": PASSWORD, "next": "/"})
        self.assertEqual(r.status, 303)
        cookie = [s for s in r.set_cookies() if s.startswith(SESSION_COOKIE + "=")]
        self.assertEqual(len(cookie), 1, r.set_cookies())
        first = c.cookies[SESSION_COOKIE]
        self.assertNotIn(first, (planted, pre))
        self.assertGreaterEqual(len(first), 43, "a 256-bit token")
        for attr in ("HttpOnly", "SameSite=Lax", "Path=/"):
            self.assertIn(attr, cookie[0])
        self.assertNotIn("Secure", cookie[0])  # plain HTTP here (--secure-cookies behind TLS)
        self.assertTrue(c.signed_in())
        self.assertFalse(signed_in_with(self.server, planted))
        self.assertFalse(signed_in_with(self.server, pre))
        # Signing in again (the old session's cookie sent): a new value, the old one is dead.
        r = c.post("/login", {"email": EMAILS["referent"], "password": PASSWORD, "next": "/"})
        self.assertEqual(r.status, 303)
        second = c.cookies[SESSION_COOKIE]
        self.assertNotEqual(second, first)
        self.assertFalse(signed_in_with(self.server, first), "the old session still opens pages")
        self.assertTrue(signed_in_with(self.server, second))
        # The old cookie gets the public view: a coordination page sends it to the login.
        r = Client(self.server).request("GET", "/contracts/1/audit",
                                        cookies={SESSION_COOKIE: first})
        self.assertTrue(r.login_redirect())

    def test_passwords_are_argon2id(self):
        rows = sql(self.db, "SELECT email, password_hash FROM account WHERE password_hash <> ''")
        self.assertGreaterEqual(len(rows), 5)
        for addr, h in rows:
            with self.subTest(account=addr):
                self.assertTrue(h.startswith("$argon2id$"), h[:20])
                self.assertNotIn(PASSWORD, h)
        # The session and API tokens are stored hashed too: no cookie value in the database.
        c = Client(self.server)
        c.login(EMAILS["signatory"])
        value = c.cookies[SESSION_COOKIE]
        stored = sql(self.db, "SELECT token_digest FROM session")
        self.assertNotIn(value, [s for (s,) in stored])

    def test_logout_ends_the_session(self):
        a, b = Client(self.server), Client(self.server)
        a.login(EMAILS["signatory"])
        b.login(EMAILS["signatory"])
        old = a.cookies[SESSION_COOKIE]
        r = a.post("/logout")
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), "/")
        self.assertTrue(any(s.startswith(SESSION_COOKIE + "=;") and "Max-Age=0" in s
                            for s in r.set_cookies()), r.set_cookies())
        self.assertFalse(signed_in_with(self.server, old), "the server kept the session")
        self.assertFalse(a.signed_in())
        self.assertTrue(b.signed_in(), "logout ended another session of the account")

    def test_logout_everywhere(self):
        one, two, three = (Client(self.server) for _ in range(3))
        for c in (one, two, three):
            c.login(EMAILS["coordinator"])
        someone_else = Client(self.server)
        someone_else.login(EMAILS["referent"])
        cid = self.account_id("coordinator")
        self.assertGreaterEqual(sql(self.db, "SELECT count(*) FROM session WHERE account_id = ?",
                                    cid)[0][0], 3)
        page = one.get("/account").text
        self.assertIn('action="/account/logout-all"', page)
        self.assertIn("Se déconnecter partout", page)
        r = one.post("/account/logout-all")
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), "/login")
        for c in (one, two, three):
            self.assertFalse(c.signed_in())
        self.assertEqual(sql(self.db, "SELECT count(*) FROM session WHERE account_id = ?",
                             cid)[0][0], 0)
        self.assertTrue(someone_else.signed_in(), "another account's session ended too")

    def test_expired_sessions(self):
        rid = self.account_id("referent")
        for label, change in (("idle", "last_seen_at = last_seen_at - 3 * 3600"),
                              ("too old", "created_at = created_at - 13 * 3600")):
            with self.subTest(expiry=label):
                c = Client(self.server)
                c.login(EMAILS["referent"])
                self.assertTrue(c.signed_in())
                sql(self.db, "UPDATE session SET %s WHERE account_id = ?" % change, rid)
                self.assertFalse(c.signed_in(), "a session %s is still open" % label)

    def test_api_tokens(self):
        c = Client(self.server)
        c.login(EMAILS["carrier"])
        r = c.post("/account/tokens", {"name": "Tableur de suivi"})
        self.assertEqual(r.status, 200)
        token = re.search(r'<code class="token">([^<]+)</code>', r.text).group(1)
        tid = int(re.search(r'action="/account/tokens/(\d+)/revoke"', r.text).group(1))
        self.assertNotIn(token, [t for (t,) in sql(self.db, "SELECT token_digest FROM api_token")])

        def use(tok):
            h = {"Content-Type": "application/json"}
            h.update(bearer(tok))
            return c.request("POST", "/api/v1/actions/10/status", b"[]", h, cookies={})

        self.assertEqual(use(token).status, 400)  # signed in: the body is what is wrong
        # Someone else cannot revoke it.
        other = Client(self.server)
        other.login(EMAILS["referent"])
        self.assertEqual(other.post("/account/tokens/%d/revoke" % tid).status, 404)
        self.assertEqual(use(token).status, 400)
        r = c.post("/account/tokens/%d/revoke" % tid)
        self.assertEqual(r.status, 303)
        self.assertIn("Révoqué", c.get("/account").text)
        for label, tok in (("revoked", token), ("unknown", "x" * 43), ("empty", "")):
            with self.subTest(token=label):
                r = use(tok)
                self.assertEqual(r.status, 401)
                self.assertIn("error", r.text)
        # A disabled account's token stops working (API tokens have no end date of their own).
        add_account(self.db, "desactive@tests.example", "Dora Désactivée", "carrier", 1,
                    CARRIER_ORG)
        tok = cli_token(self.db, "desactive@tests.example")
        self.assertEqual(use(tok).status, 400)
        admin = Client(self.server)
        admin.login(EMAILS["admin"])
        did = sql(self.db, "SELECT id FROM account WHERE email = 'desactive@tests.example'")[0][0]
        admin.get("/admin/accounts")
        self.assertEqual(admin.post("/admin/accounts/%d/disabled" % did, {"disabled": "1"})
                         .status, 303)
        self.assertEqual(use(tok).status, 401)


class Throttling(unittest.TestCase):
    """On a server of its own: the per-address delay would hold back the other tests' logins.
    Its clock is frozen (FrozenClock): the delays are walked through by moving it."""

    @classmethod
    def setUpClass(cls):
        cls.clock = FrozenClock("accounts-throttle")
        cls.server = AccServer("accounts-throttle", env=cls.clock.env()).start()

    def attempt(self, addr, password):
        c = Client(self.server)
        c.get("/login")
        return c.post("/login", {"email": addr, "password": password, "next": "/"})

    def test_twenty_wrong_passwords(self):
        self.assertIn("test clock: requests run at the time written in", self.server.log())
        addr = EMAILS["carrier"]
        answers = [self.attempt(addr, "mauvais mot de passe n°%d" % i) for i in range(20)]
        # Three failures are free, the fourth starts a 1-second delay (model/account/account.c,
        # throttle_fail_after); time stands still, so every later attempt falls inside it.
        self.assertEqual([r.status for r in answers], [401] * 4 + [429] * 16)
        for r in answers[:4]:
            self.assertIn("Adresse e-mail ou mot de passe incorrect", visible_text(r.text))
        for r in answers[4:]:
            self.assertEqual(r.header("retry-after"), "1")
            self.assertIn("Trop de tentatives de connexion", visible_text(r.text))
        # The delay ends; a fifth failure starts a 2-second one, during which even the right
        # password is refused — for this account only.
        self.clock.advance(1)
        r = self.attempt(addr, "encore un mauvais mot de passe")
        self.assertEqual(r.status, 401)
        r = self.attempt(addr, PASSWORD)
        self.assertEqual(r.status, 429, "the right password during the delay")
        self.assertEqual(r.header("retry-after"), "2")
        self.assertNotIn(SESSION_COOKIE, "".join(r.set_cookies()))
        r = self.attempt(EMAILS["referent"], PASSWORD)
        self.assertEqual(r.status, 303, "another account from the same address is not locked")
        # The attempts are logged (address and count), never the passwords.
        log = self.server.log()
        failures = re.findall(r"login failure for %s from 127\.0\.0\.1 \((\d+) in a row\)"
                              % re.escape(addr), log)
        self.assertEqual([int(n) for n in failures], [1, 2, 3, 4, 5], log[-2000:])
        self.assertIn("login refused for %s from 127.0.0.1: throttled" % addr, log)
        self.assertNotIn("mauvais mot de passe", log)
        self.assertNotIn(PASSWORD, log)
        # One second before its end the delay still holds; at its end the right password works
        # and clears the count.
        self.clock.advance(1)
        r = self.attempt(addr, PASSWORD)
        self.assertEqual((r.status, r.header("retry-after")), (429, "1"))
        self.clock.advance(1)
        r = self.attempt(addr, PASSWORD)
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        self.assertEqual(self.attempt(addr, "faux").status, 401)


if __name__ == "__main__":
    unittest.main()

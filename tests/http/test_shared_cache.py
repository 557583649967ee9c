"""test_shared_cache.py — issue 14, signed-in speed: the pages of the listed routes rendered once
per visibility (role, contract, organisation, session or token, day) and shared, with each
person's CSRF token and name stitched in (src/web/core/cache.c). Two servers on one database:
one with the shared cache, one with BOUSSOLE_SHARED_CACHE=off that renders every page; every
cached answer checked here must be byte-identical to the one rendered for the same person at
the same moment, and the tests first make sure it did come from the shared cache (else they
would prove nothing). The clock is frozen (BOUSSOLE_TEST_CLOCK) so that no session's
once-a-minute touch changes the data between two requests. Expected ids come from the
database (sqlite3), never from the pages under test."""

import calendar
import html
import re
import unittest

from test_accounts import (EMAILS, PASSWORD, AccServer, Client, FrozenClock, add_account,
                           bearer, cli_token, sql)
from test_scope import second_contract

ACTION = 10  # carried by the demo carrier's organisation
CARRIER_ORG = 23
COORD_A2 = "coordination.a2@tests.example"
NAME_A2 = 'Zoé <Lü> & "Co" l\'Autre'  # every character the page frame escapes
COORD_B = "coordination.b@tests.example"
CARRIER_2 = "porteur.deux@tests.example"
REFERENT = "referent.a@tests.example"
PAGES = ["/contracts/1/dashboard?year=2023", "/contracts/1/actions?year=2023",
         "/actions/%d" % ACTION, "/api/v1/contracts/1/actions?year=2023"]
PRE = "p" * 43  # a pre-session cookie, so that token requests get the same form token twice
HIT, MISS = "shared-hit", "shared-miss"


def cache_state(r):
    return r.header("X-Boussole-Cache")


def csrf_of(r):
    return set(re.findall(r'name="csrf" value="([^"]+)"', r.text))


class SharedPages(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Late on the last day of a year: the day test crosses into the next one.
        cls.clock = FrozenClock("shared-cache")
        cls.clock.now = calendar.timegm((2026, 12, 31, 23, 0, 0))
        cls.clock.write()
        cls.server = AccServer("shared-cache", env=cls.clock.env())
        db = cls.db = cls.server.db
        cls.b = second_contract(db)
        cls.other_org = sql(db, "SELECT ao.organisation_id FROM action_organisation ao JOIN "
                                "action a ON a.id = ao.action_id WHERE a.contract_id = 1 AND "
                                "ao.role = 'carrier' AND ao.organisation_id <> ? GROUP BY 1 "
                                "ORDER BY count(*) DESC LIMIT 1", CARRIER_ORG)[0][0]
        cls.b_action = sql(db, "SELECT min(id) FROM action WHERE contract_id = ?", cls.b)[0][0]
        add_account(db, COORD_A2, NAME_A2, "coordinator", 1)
        add_account(db, COORD_B, "Cora Coordination B", "coordinator", cls.b)
        add_account(db, CARRIER_2, "Paul Porteur Deux", "carrier", 1, cls.other_org)
        add_account(db, REFERENT, "Rita Référente", "referent", 1)
        cls.fresh = AccServer("shared-cache-off", env=dict(cls.clock.env(),
                                                           BOUSSOLE_SHARED_CACHE="off"))
        cls.fresh.db = db  # the same database: both servers see the same data and sessions
        cls.server.start()
        cls.fresh.start()
        cls.who = {}
        for key, addr in [("coord", EMAILS["coordinator"]), ("coord2", COORD_A2),
                          ("coord_b", COORD_B), ("carrier", EMAILS["carrier"]),
                          ("carrier2", CARRIER_2), ("referent", REFERENT),
                          ("admin", EMAILS["admin"])]:
            c = Client(cls.server)
            c.login(addr)
            cls.who[key] = c
        cls.token = cli_token(db, EMAILS["carrier"])

    @classmethod
    def tearDownClass(cls):
        cls.fresh.stop()
        cls.server.stop()

    # ---- helpers ------------------------------------------------------------------------------

    def get(self, client, path, headers=None, cookies=None):
        return client.request("GET", path, headers=headers,
                              cookies=dict(client.cookies if cookies is None else cookies))

    def rendered(self, client, path, headers=None, cookies=None):
        """The same request to the server without the shared cache."""
        return self.get(Client(self.fresh), path, headers,
                        dict(client.cookies if cookies is None else cookies))

    def warm(self, client, path, headers=None, cookies=None):
        """Asks until the answer comes from the shared cache."""
        for _ in range(4):
            r = self.get(client, path, headers, cookies)
            self.assertEqual(r.status, 200, (path, r.text[:300]))
            if cache_state(r) == HIT:
                return r
        self.fail("%s never came from the shared cache" % path)

    def second_hit(self, first, second, path):
        """second's answer from the entry first's request filled. A write makes each worker's
        connection count a new generation once, so a miss may come first: then again."""
        for _ in range(4):
            self.warm(first, path)
            r = self.get(second, path)
            if cache_state(r) == HIT:
                return r
        self.fail("%s: the second person never got the first one's entry" % path)

    def assert_as_rendered(self, client, path, headers=None, cookies=None, want=None):
        """The cached server's answer (want: its X-Boussole-Cache) equals a fresh render."""
        r = self.get(client, path, headers, cookies)
        f = self.rendered(client, path, headers, cookies)
        if want:
            self.assertEqual(cache_state(r), want, path)
        self.assertIsNone(cache_state(f))
        self.assertEqual(r.status, f.status, path)
        self.assertEqual(r.body, f.body, path)
        # A stitched page's tag mixes the cut page's hash with the person's values: not the
        # same number as a rendered page's, but a weak tag all the same.
        self.assertRegex(r.header("ETag") or "", r'^W/"[0-9a-f]{16}"$')
        return r

    # ---- the tests ----------------------------------------------------------------------------

    def test_cached_pages_are_byte_identical_to_fresh_renders(self):
        for who in ("coord", "coord2", "coord_b", "carrier", "carrier2", "referent", "admin"):
            for path in PAGES:
                with self.subTest(who=who, path=path):
                    self.warm(self.who[who], path)
                    self.assert_as_rendered(self.who[who], path, want=HIT)

    def test_token_requests_are_shared_and_identical_too(self):
        for path in PAGES:
            with self.subTest(path=path):
                self.warm(Client(self.server), path, bearer(self.token), {"bsl_pre": PRE})
                self.assert_as_rendered(Client(self.server), path, bearer(self.token),
                                        {"bsl_pre": PRE}, want=HIT)

    def test_a_token_without_pre_cookie_gets_a_fresh_form_token_with_its_cookie(self):
        path = "/actions/%d" % ACTION
        seen = set()
        for _ in range(2):
            r = self.warm(Client(self.server), path, bearer(self.token), {})
            cookie = r.header("Set-Cookie") or ""
            m = re.match(r"bsl_pre=([A-Za-z0-9_-]{43});", cookie)
            self.assertTrue(m, cookie)
            self.assertEqual(csrf_of(r), {m.group(1)})
            seen.add(m.group(1))
        self.assertEqual(len(seen), 2)

    def test_same_visibility_pages_differ_only_by_own_token_and_name(self):
        path = "/actions/%d" % ACTION
        one, two = self.who["coord"], self.who["coord2"]
        b = self.second_hit(one, two, path)
        a = self.warm(one, path)
        (ta,), (tb,) = csrf_of(a), csrf_of(b)
        self.assertNotEqual(ta, tb)
        name_a = html.escape(sql(self.db, "SELECT name FROM account WHERE email = ?",
                                 EMAILS["coordinator"])[0][0], quote=True)
        name_b = html.escape(NAME_A2, quote=True).replace("&#x27;", "&#39;")
        self.assertIn(name_b, b.text)  # escaped as the page frame escapes it
        self.assertNotIn(NAME_A2, b.text)
        self.assertIn(name_a, a.text)
        for page, mine, theirs in ((a, (ta, name_a), (tb, name_b)),
                                   (b, (tb, name_b), (ta, name_a))):
            self.assertNotIn(theirs[0], page.text)
            self.assertIn('<a href="/account">%s</a>' % mine[1], page.text)
            self.assertNotIn('<a href="/account">%s</a>' % theirs[1], page.text)
        menu = '<a href="/account">%s</a>'
        self.assertEqual(a.text.replace(ta, "TOKEN").replace(menu % name_a, "NAME"),
                         b.text.replace(tb, "TOKEN").replace(menu % name_b, "NAME"))

    def test_each_token_works_and_the_other_persons_is_refused(self):
        path = "/actions/%d" % ACTION
        one, two = self.who["coord"], self.who["coord2"]
        (ta,) = csrf_of(self.warm(one, path))
        (tb,) = csrf_of(self.second_hit(one, two, path))
        count = "SELECT count(*) FROM action_status WHERE action_id = ?"
        before = sql(self.db, count, ACTION)[0][0]
        fields = {"year": "2026", "status": "in_progress", "remarks": "jeton d'un autre"}
        r = two.post("/actions/%d/status" % ACTION, fields, csrf=ta)
        self.assertEqual(r.status, 403)
        self.assertEqual(sql(self.db, count, ACTION)[0][0], before)
        fields["remarks"] = "(+) écrit avec son propre jeton %d" % before
        r = two.post("/actions/%d/status" % ACTION, fields, csrf=tb)
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertEqual(sql(self.db, count, ACTION)[0][0], before + 1)
        # The write is seen at once by the contract's other people, through the shared cache.
        r = self.assert_as_rendered(one, path, want=MISS)
        self.assertIn(html.escape(fields["remarks"], quote=True).replace("&#x27;", "&#39;"),
                      r.text)
        self.second_hit(one, two, path)

    def test_two_contracts_never_get_each_others_page(self):
        a, b = self.who["coord"], self.who["coord_b"]
        own_b = "/actions/%d" % self.b_action
        for path in ("/actions/%d" % ACTION, own_b):
            self.warm(a, path)
            self.warm(b, path)
        ra = self.get(a, "/actions/%d" % ACTION)
        rb = self.get(b, "/actions/%d" % ACTION)
        self.assertIn("/actions/%d/edit" % ACTION, ra.text)
        self.assertNotIn("/actions/%d/edit" % ACTION, rb.text)  # a visitor's view for B
        self.assertNotIn('action="/actions/%d/status"' % ACTION, rb.text)
        self.assertIn("/actions/%d/edit" % self.b_action, self.get(b, own_b).text)
        self.assertNotIn("/actions/%d/edit" % self.b_action, self.get(a, own_b).text)
        # A's coordinator writes on A: A's other coordinator sees it at once, B still sees
        # what B would see without the cache, and B's refusals are unchanged.
        remark = "(+) remarque interne de A n° %d" % sql(self.db, "SELECT count(*) FROM "
                                                         "action_status")[0][0]
        self.get(a, "/actions/%d" % ACTION)
        r = a.post("/actions/%d/status" % ACTION,
                   {"year": "2026", "status": "in_progress", "remarks": remark})
        self.assertEqual(r.status, 303, r.text[:300])
        escaped = html.escape(remark, quote=True)
        seen = self.assert_as_rendered(self.who["coord2"], "/actions/%d" % ACTION, want=MISS)
        self.assertIn(escaped, seen.text)
        public = sql(self.db, "SELECT public_remarks FROM contract WHERE id = 1")[0][0]
        other = self.assert_as_rendered(b, "/actions/%d" % ACTION)
        self.assertEqual(escaped in other.text, bool(public))
        for path in ("/actions/%d/edit" % ACTION, "/actions/%d/history" % ACTION,
                     "/contracts/1/audit", "/contracts/1/edit", "/actions/999999",
                     "/contracts/%d/audit" % self.b):
            with self.subTest(path=path):
                r, f = self.get(b, path), self.rendered(b, path)
                self.assertEqual(r.status, f.status)
                self.assertIn(r.status, (200, 403, 404) if path.endswith(str(self.b) + "/audit")
                              else (403, 404))

    def test_carrier_and_coordinator_get_their_own_links(self):
        path = "/actions/%d" % ACTION
        not_carried = sql(self.db, "SELECT min(a.id) FROM action a JOIN action_organisation ao "
                                   "ON ao.action_id = a.id WHERE a.contract_id = 1 AND ao.role "
                                   "= 'carrier' AND ao.organisation_id = ?", self.other_org)[0][0]
        for who, edits_10, edits_other, new_action in (
                ("coord", True, True, True), ("carrier", True, False, False),
                ("carrier2", False, True, False), ("referent", False, False, False)):
            with self.subTest(who=who):
                c = self.who[who]
                for p in (path, "/actions/%d" % not_carried, "/contracts/1/actions?year=2023"):
                    self.warm(c, p)
                self.assertEqual("/actions/%d/edit" % ACTION in self.get(c, path).text,
                                 edits_10)
                self.assertEqual("/actions/%d/edit" % not_carried in
                                 self.get(c, "/actions/%d" % not_carried).text, edits_other)
                self.assertEqual("/contracts/1/actions/new" in
                                 self.get(c, "/contracts/1/actions?year=2023").text, new_action)

    def test_the_public_never_gets_a_signed_in_page(self):
        for path in PAGES:
            self.warm(self.who["coord"], path)
        for cookies in ({}, {"bsl_session": "not-a-session"}, {"bsl_pre": PRE}):
            for path in PAGES:
                with self.subTest(path=path, cookies=list(cookies)):
                    r = self.get(Client(self.server), path, cookies=cookies)
                    f = self.rendered(Client(self.server), path, cookies=cookies)
                    self.assertEqual(r.status, 200)
                    self.assertIsNone(cache_state(r))
                    self.assertEqual(r.body, f.body)
                    self.assertNotIn("/logout", r.text)
                    self.assertNotIn("/actions/%d/edit" % ACTION, r.text)

    def test_a_write_by_another_process_is_seen_at_once(self):
        path = "/actions/%d" % ACTION
        etag = self.warm(self.who["carrier"], path).header("ETag")
        title = "Titre changé hors du serveur %d" % self.clock.now
        sql(self.db, "UPDATE action SET title = ? WHERE id = ?", title, ACTION)
        r = self.assert_as_rendered(self.who["carrier"], path, want=MISS)
        self.assertIn(title, r.text)
        self.assertNotEqual(r.header("ETag"), etag)
        # Each worker's connection notices the other process's write once: then hits again.
        self.assertIn(title, self.warm(self.who["carrier"], path).text)

    def test_a_revoked_token_or_a_changed_account_counts_at_once(self):
        """Token lookups are kept while the data is unchanged (auth.c): any write ends that."""
        addr = "jeton.revoque@tests.example"
        add_account(self.db, addr, "Jeanne Jeton", "coordinator", 1)
        token = cli_token(self.db, addr)
        path, edit = "/actions/%d" % ACTION, "/actions/%d/edit" % ACTION
        cookies = {"bsl_pre": PRE}
        r = self.warm(Client(self.server), path, bearer(token), cookies)
        self.assertIn(edit, r.text)
        sql(self.db, "UPDATE account SET role = 'referent' WHERE email = ?", addr)
        r = self.assert_as_rendered(Client(self.server), path, bearer(token), cookies)
        self.assertNotIn(edit, r.text)
        self.warm(Client(self.server), path, bearer(token), cookies)
        sql(self.db, "UPDATE api_token SET revoked_at = '2026-12-31T23:00:00Z' WHERE account_id "
                     "= (SELECT id FROM account WHERE email = ?)", addr)
        r = self.get(Client(self.server), "/api/v1/contracts/1/actions?year=2023", bearer(token),
                     cookies)
        self.assertIsNone(cache_state(r))  # answered as to the public
        self.assertEqual(self.get(Client(self.server), "/contracts/1/audit", bearer(token),
                                  cookies).status, 401)

    def test_a_logged_out_or_expired_session_counts_at_once(self):
        """Session lookups are kept too, while the data is unchanged and the session needs no
        touch: logging out is a write; an idle session expires by the clock alone."""
        path = "/actions/%d" % ACTION
        out, idle = Client(self.server), Client(self.server)
        out.login(REFERENT)
        idle.login(REFERENT)
        for c in (out, idle):
            self.warm(c, path)
        old = dict(out.cookies)
        self.assertEqual(out.post("/logout").status, 303)
        r = self.get(Client(self.server), path, cookies=old)
        self.assertIsNone(cache_state(r))
        self.assertNotIn("/logout", r.text)
        self.warm(idle, path)
        self.clock.advance(2 * 3600 + 1)  # web_config.session_idle_s, plus one second
        try:
            r = self.get(idle, path)
            self.assertIsNone(cache_state(r))
            self.assertNotIn("/logout", r.text)
        finally:
            self.clock.advance(-(2 * 3600 + 1))

    def test_etag_and_304_from_the_shared_cache(self):
        path = "/contracts/1/dashboard?year=2023"
        c = self.who["coord2"]
        r = self.warm(c, path)
        etag = r.header("ETag")
        self.assertEqual(self.warm(c, path).header("ETag"), etag)
        for _ in range(4):
            again = self.get(c, path, {"If-None-Match": etag})
            self.assertEqual((again.status, again.body), (304, b""))
            if cache_state(again) == HIT:
                break
        self.assertEqual(cache_state(again), HIT)
        other = self.get(self.who["coord"], path, {"If-None-Match": etag})
        self.assertEqual(other.status, 200)  # another person's name: another tag

    def test_both_caches_are_emptied_when_full(self):
        """The visitors' cache holds at most 1 MiB, the shared one 4 MiB: some 60 dashboards of
        69 kB with unique query strings empty both, so the pages cached before are rendered
        again."""
        kept = ["/contracts/1/dashboard?year=2022", "/contracts/1/actions?year=2022"]
        visitor, coord = Client(self.server), self.who["coord"]
        for path in kept:
            for _ in range(4):
                if self.get(visitor, path).header("X-Cache") == "hit":
                    break
            self.assertEqual(self.get(visitor, path).header("X-Cache"), "hit")
            self.warm(coord, path)
        size = len(self.get(visitor, kept[0]).body)
        for i in range(4 * 1024 * 1024 // size + 2):
            self.get(visitor, "/contracts/1/dashboard?year=2023&fill=%d" % i)
            self.get(coord, "/contracts/1/dashboard?year=2023&fill=%d" % i)
        for path in kept:
            self.assertIsNone(self.get(visitor, path).header("X-Cache"))
            self.assertEqual(cache_state(self.get(coord, path)), MISS)

    # ---- each part of the visibility key: two people differing only by it -----------------------

    def assert_second_as_rendered(self, first, second, path, f_headers=None, s_headers=None,
                                  f_cookies=None, s_cookies=None):
        """first fills the cache; second's page must be its own, not first's. Three rounds, each
        page compared with a fresh render: a miss in one round (a new generation) lets the
        next one show a mix-up."""
        for _ in range(3):
            self.warm(first, path, f_headers, f_cookies)
            self.assert_as_rendered(first, path, f_headers, f_cookies)
            self.assert_as_rendered(second, path, s_headers, s_cookies)

    def test_key_role(self):  # same contract, no organisation: coordinator, referent
        self.assert_second_as_rendered(self.who["coord"], self.who["referent"],
                                       "/contracts/1/actions?year=2023&status=done")
        self.assert_second_as_rendered(self.who["referent"], self.who["coord"],
                                       "/actions/%d?saved=1" % ACTION)

    def test_key_contract(self):  # both coordinators, no organisation
        self.assert_second_as_rendered(self.who["coord_b"], self.who["coord"],
                                       "/actions/%d?k=contract" % ACTION)

    def test_key_organisation(self):  # both carriers of contract 1
        self.assert_second_as_rendered(self.who["carrier2"], self.who["carrier"],
                                       "/actions/%d?k=organisation" % ACTION)

    def test_key_session_or_token(self):  # the same account
        path = "/actions/%d?k=session" % ACTION
        self.assert_second_as_rendered(Client(self.server), self.who["carrier"], path,
                                       f_headers=bearer(self.token), f_cookies={"bsl_pre": PRE})

    def test_key_day(self):
        path = "/actions/%d?k=day" % ACTION
        headers, cookies = bearer(self.token), {"bsl_pre": PRE}
        r = self.warm(Client(self.server), path, headers, cookies)
        self.assertIn('value="2026"', r.text)  # the status form's year
        self.clock.advance(5400)  # 00:30 on the first day of the next year
        try:
            r = self.assert_as_rendered(Client(self.server), path, headers, cookies)
            self.assertIn('value="2027"', r.text)
        finally:
            self.clock.advance(-5400)


if __name__ == "__main__":
    unittest.main()

"""test_cache.py — the shared cache of answers to visitors without a session (src/web/core/cache.c),
on a server of its own: a repeated public page comes from the cache, and any committed write —
through the server (API) or by another process (sqlite3 on the file) — makes the next visitor
see the new data. Requests with a session, a pre-session cookie or a token never get a cached
answer, and answers that set a cookie are never kept. The stylesheet, built from data/style.css,
carries a strong ETag and answers 304 to a browser that already holds it; every other page gets a
weak ETag made from its bytes, so a visitor or a signed-in person revalidates it with a 304 until
its content changes."""

import json
import os
import unittest

from common import DATA, Server, api_token, bearer, connect, new_db, run_cli, tmp_path


def cached(r):
    return (r.header("X-Cache") or "") == "hit"


class SharedCache(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server("cache", new_db("cache.db")).start()
        cls.token = api_token(cls.server.db, "admin")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def warm(self, path):
        """Asks until the answer comes from the cache (each worker thread fills it once)."""
        for _ in range(20):
            r = self.server.get(path)
            self.assertEqual(r.status, 200)
            if cached(r):
                return r
        self.fail("%s never came from the cache" % path)

    def test_repeated_public_page_is_served_from_the_cache(self):
        first = self.warm("/contracts/1/tree")
        again = self.server.get("/contracts/1/tree")
        self.assertTrue(cached(again))
        self.assertEqual(again.body, first.body)

    def test_a_write_through_the_api_is_seen_at_once(self):
        path = "/contracts/1/actions?year=2027&status=abandoned"
        before = self.warm(path)
        self.assertNotIn("/actions/3\"", before.text)
        body = json.dumps({"year": 2027, "status": "abandoned", "remarks": "écrit par le test"})
        r = self.server.request("POST", "/api/v1/actions/3/status", body.encode(),
                                dict(bearer(self.token), **{"Content-Type": "application/json"}))
        self.assertEqual(r.status, 200, r.text)
        after = self.server.get(path)
        self.assertFalse(cached(after))
        self.assertIn("/actions/3\"", after.text)

    def test_a_write_by_another_process_is_seen_at_once(self):
        self.warm("/actions/5")
        con = connect(self.server.db)
        con.execute("UPDATE action SET title = 'Titre changé hors du serveur' WHERE id = 5")
        con.commit()
        con.close()
        after = self.server.get("/actions/5")
        self.assertFalse(cached(after))
        self.assertIn("Titre changé hors du serveur", after.text)

    def test_requests_with_a_cookie_or_a_token_are_not_served_from_the_cache(self):
        self.warm("/contracts/1")
        for headers in ({"Cookie": "bsl_pre=x"}, {"Cookie": "bsl_session=x"},
                        bearer(self.token)):
            with self.subTest(headers=list(headers)):
                r = self.server.get("/contracts/1", headers)
                self.assertEqual(r.status, 200)
                self.assertFalse(cached(r))

    def test_an_answer_that_sets_a_cookie_is_never_kept(self):
        for _ in range(6):
            r = self.server.get("/login")
            self.assertEqual(r.status, 200)
            self.assertFalse(cached(r))
            self.assertIn("bsl_pre=", r.header("Set-Cookie") or "")


class StylesheetRevalidation(unittest.TestCase):
    """/static/style.css: the bytes of data/style.css, an ETag, and 304 on a matching
    If-None-Match, from the handler and from the shared cache alike."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server("css", new_db("css.db")).start()
        with open(os.path.join(DATA, "style.css"), "rb") as f:
            cls.css = f.read()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_serves_data_style_css_with_a_strong_etag(self):
        r = self.server.get("/static/style.css")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, self.css)
        etag = r.header("ETag") or ""
        self.assertRegex(etag, r'^"[0-9a-f]{32}"$')  # strong: no W/ prefix
        self.assertEqual(r.header("Cache-Control"), "public, max-age=3600")

    def test_matching_if_none_match_gets_304_without_body(self):
        etag = self.server.get("/static/style.css").header("ETag")
        # Several times: each worker thread answers once from the handler, then from the cache.
        for header in [etag] * 6 + ['W/' + etag, '"other", ' + etag, "*"]:
            with self.subTest(if_none_match=header):
                r = self.server.get("/static/style.css", {"If-None-Match": header})
                self.assertEqual(r.status, 304)
                self.assertEqual(r.body, b"")
                self.assertEqual(r.header("ETag"), etag)
                self.assertEqual(r.header("Cache-Control"), "public, max-age=3600")

    def test_other_etag_gets_the_whole_stylesheet(self):
        for _ in range(6):
            r = self.server.get("/static/style.css", {"If-None-Match": '"0123456789abcdef"'})
            self.assertEqual(r.status, 200)
            self.assertEqual(r.body, self.css)


class PageRevalidation(unittest.TestCase):
    """Issue 14: ETag and 304 on every page, for visitors and signed-in people alike; the tag
    follows the bytes (a change of data or of person changes it); no tag on errors, on POST
    answers or on documents marked no-store."""

    @classmethod
    def setUpClass(cls):
        from test_report import PASSWORD, Browser, add_account
        cls.server = Server("etag", new_db("etag.db")).start()
        add_account(cls.server.db, "coord@etag.test", "coordinator")
        add_account(cls.server.db, "carrier@etag.test", "coordinator")
        cls.coord, cls.other = Browser(cls.server), Browser(cls.server)
        cls.coord.login("coord@etag.test", PASSWORD)
        cls.other.login("carrier@etag.test", PASSWORD)
        cls.token = api_token(cls.server.db, "admin")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_a_public_page_answers_304_while_unchanged_then_200_after_a_write(self):
        path = "/actions/7"
        first = self.server.get(path)
        etag = first.header("ETag") or ""
        self.assertRegex(etag, r'^W/"[0-9a-f]{16}"$')
        for _ in range(6):  # from the handler and from the shared cache
            r = self.server.get(path, {"If-None-Match": etag})
            self.assertEqual(r.status, 304)
            self.assertEqual(r.body, b"")
        con = connect(self.server.db)
        con.execute("UPDATE action SET title = 'Titre revu pour l''ETag' WHERE id = 7")
        con.commit()
        con.close()
        r = self.server.get(path, {"If-None-Match": etag})
        self.assertEqual(r.status, 200)
        self.assertIn("Titre revu pour l&#39;ETag", r.text)
        self.assertNotEqual(r.header("ETag"), etag)

    def test_a_signed_in_page_answers_304_to_the_same_person_only(self):
        path = "/contracts/1/dashboard"
        mine = self.coord.get(path)
        self.assertEqual(mine.status, 200)
        etag = mine.header("ETag")
        self.assertIn("Se déconnecter", mine.text)
        again = self.coord.request("GET", path, headers={"If-None-Match": etag})
        self.assertEqual((again.status, again.body), (304, b""))
        # Another person's page carries their own name and form token: other bytes, other tag.
        theirs = self.other.request("GET", path, headers={"If-None-Match": etag})
        self.assertEqual(theirs.status, 200)
        self.assertNotEqual(theirs.header("ETag"), etag)

    def test_no_tag_on_errors_posts_or_no_store_documents(self):
        self.assertIsNone(self.server.get("/contracts/999").header("ETag"))
        r = self.coord.post("/contracts/1/edit", {"title": ""})
        self.assertNotEqual(r.status, 304)
        self.assertIsNone(r.header("ETag"))
        pdf = self.coord.get("/contracts/1/report.pdf?year=2022")
        self.assertEqual(pdf.status, 200)
        self.assertIn("no-store", pdf.header("Cache-Control"))
        self.assertIsNone(pdf.header("ETag"))


if __name__ == "__main__":
    unittest.main()

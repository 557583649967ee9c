"""test_contract_next.py — issue 12, « Créer le CLS 3 à partir du CLS 2 » on the demo contract: the
coordination's preview lists every action with a choice and the evaluation's recommendations;
confirming creates one contract whose tree is the old one's, whose actions are exactly the kept
ones (with the same shared organisations, never their statuses), linked both ways on the pages
and in the database; recommendations carried become an objective and an action that link back.
A stale form, a second click and a non-coordination account create nothing more. Expected
values come from the database (sqlite3), never from the page under test."""

import html
import re
import unittest

from common import run_cli, visible_text
from test_accounts import EMAILS, AccServer, Client, prepared_db, sql

RECS = [(1, "Renforcer l'animation territoriale", "Un temps d'animation par trimestre."),
        (2, "Créer un annuaire des acteurs", "Annuaire en ligne."),
        (3, "Poursuivre la veille", "")]


class ContractNext(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = AccServer("contract-next").start()
        cls.db = cls.server.db
        # The demo's own ten recommendations (data/demo/recommendations.csv) give way to three
        # written for this test, so that each choice below is known.
        sql(cls.db, "DELETE FROM recommendation WHERE contract_id = 1")
        for number, title, body in RECS:
            sql(cls.db, "INSERT INTO recommendation (contract_id, number, title, body, owner) "
                        "VALUES (1, ?, ?, ?, 'Coordination')", number, title, body)

    def count(self, query, *params):
        return sql(self.db, query, *params)[0][0]

    def snapshot(self):
        """What a refused request must leave as it was."""
        return (self.count("SELECT count(*) FROM contract"),
                self.count("SELECT count(*) FROM action"),
                self.count("SELECT count(*) FROM objective"),
                self.count("SELECT count(*) FROM action_origin"),
                self.count("SELECT count(*) FROM recommendation_carry"))

    def test_non_coordination_gets_403_and_nothing_changes(self):
        before = self.snapshot()
        for role in ("carrier", "referent", "signatory"):
            c = Client(self.server)
            c.login(EMAILS[role])
            self.assertEqual(c.get("/contracts/1/next").status, 403, role)
            r = c.post("/contracts/1/next", {"title": "CLS pirate", "start_year": "2025",
                                             "end_year": "2029"})
            self.assertEqual(r.status, 403, role)
        self.assertTrue(Client(self.server).get("/contracts/1/next").login_redirect())
        self.assertEqual(self.snapshot(), before)

    def form_fields(self, page):
        """The preview's fields with their preselected values."""
        fields = {}
        for name, value in re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', page):
            if name != "csrf":
                fields[name] = html.unescape(value)
        for name, body in re.findall(r'<select[^>]*name="([\w-]+)"[^>]*>(.*?)</select>', page,
                                     re.S):
            m = re.search(r'<option value="([^"]*)" selected', body)
            fields[name] = m.group(1) if m else ""
        return fields

    def test_next_contract_keeps_history_links(self):
        coord = Client(self.server)
        coord.login(EMAILS["coordinator"])
        self.assertIn('href="/contracts/1/next"', coord.get("/contracts/1").text)
        r = coord.get("/contracts/1/next")
        self.assertEqual(r.status, 200, visible_text(r.text)[:300])
        live = [a for (a,) in sql(self.db, "SELECT id FROM action WHERE contract_id = 1 AND "
                                           "archived = 0 ORDER BY position, id")]
        fields = self.form_fields(r.text)
        self.assertEqual(sorted(int(k[7:]) for k in fields if k.startswith("action-")),
                         sorted(live), "one choice per live action")
        for number, title, _ in RECS:
            self.assertTrue("Recommandation %d : %s" % (number, title)
                            in html.unescape(r.text), title)
        # Keep most, modify one, drop two.
        dropped = {live[1], live[4]}
        modified = live[2]
        for aid in live:
            fields["action-%d" % aid] = ("drop" if aid in dropped else
                                         "modify" if aid == modified else "reconduct")
        kept = [a for a in live if a not in dropped]
        rec_ids = {n: rid for (n, rid) in sql(self.db, "SELECT number, id FROM recommendation "
                                                        "WHERE contract_id = 1")}
        axis, operational = sql(self.db, "SELECT (SELECT id FROM objective WHERE contract_id = 1 "
                                         "AND level = 'strategic' AND archived = 0 ORDER BY "
                                         "position LIMIT 1), (SELECT id FROM objective WHERE "
                                         "contract_id = 1 AND level = 'operational' AND "
                                         "archived = 0 ORDER BY position LIMIT 1)")[0]
        fields["rec-%d" % rec_ids[1]] = "objective"
        fields["under-%d" % rec_ids[1]] = str(axis)
        fields["rec-%d" % rec_ids[2]] = "action"
        fields["under-%d" % rec_ids[2]] = str(operational)
        fields["rec-%d" % rec_ids[3]] = "none"
        gen, end = sql(self.db, "SELECT generation, end_year FROM contract WHERE id = 1")[0]
        fields.update({"title": "Contrat local de santé n° %d" % (gen + 1),
                       "start_year": str(end + 1), "end_year": str(end + 5)})

        # A stale form (an action added after the preview has no choice): refused, nothing made.
        before = self.snapshot()
        stale = dict(fields)
        del stale["action-%d" % live[-1]]
        r = coord.post("/contracts/1/next", stale)
        self.assertEqual(r.status, 422, visible_text(r.text)[:300])
        self.assertIn("choisissez reconduite, modifiée ou abandonnée", visible_text(r.text))
        self.assertEqual(self.snapshot(), before)
        # Bad years: refused with the field named.
        r = coord.post("/contracts/1/next", dict(fields, end_year=str(end - 3)))
        self.assertEqual(r.status, 422)
        self.assertIn("années de début et de fin", visible_text(r.text))
        self.assertEqual(self.snapshot(), before)

        old_statuses = self.count("SELECT count(*) FROM action_status")
        old_orgs = self.count("SELECT count(*) FROM organisation")
        r = coord.post("/contracts/1/next", fields)
        self.assertEqual(r.status, 303, visible_text(r.text)[:400])
        m = re.match(r"/contracts/(\d+)\?saved=next$", r.header("location"))
        self.assertTrue(m, r.header("location"))
        new = int(m.group(1))
        self.assertEqual(sql(self.db, "SELECT previous_id, generation, start_year, end_year FROM "
                                      "contract WHERE id = ?", new),
                         [(1, gen + 1, end + 1, end + 5)])

        # The tree: the old live objectives, same codes and titles, plus the carried one.
        def tree(cid):
            return sorted(sql(self.db, "SELECT level, code, title FROM objective WHERE "
                                       "contract_id = ? AND archived = 0", cid))
        new_tree = tree(new)
        carried_obj = ("specific", "R1", RECS[0][1])
        self.assertIn(carried_obj, new_tree)
        new_tree.remove(carried_obj)
        self.assertEqual(new_tree, tree(1))

        # The kept actions and only them, linked back, with their kind.
        origins = dict(sql(self.db, "SELECT o.origin_action_id, o.action_id FROM action_origin o "
                                    "JOIN action a ON a.id = o.action_id WHERE a.contract_id = ?",
                           new))
        self.assertEqual(sorted(origins), sorted(kept))
        self.assertFalse(dropped & set(origins))
        kinds = dict(sql(self.db, "SELECT origin_action_id, kind FROM action_origin"))
        self.assertEqual(kinds[modified], "modified")
        self.assertEqual({kinds[a] for a in kept if a != modified}, {"reconducted"})
        self.assertEqual(self.count("SELECT count(*) FROM action WHERE contract_id = ?", new),
                         len(kept) + 1)  # the kept ones and the carried recommendation
        for old_id, new_id in origins.items():
            same = "SELECT code, title, kind FROM action WHERE id = ?"
            self.assertEqual(sql(self.db, same, old_id), sql(self.db, same, new_id))
            orgs = "SELECT organisation_id, role FROM action_organisation WHERE action_id = ? " \
                   "ORDER BY 1, 2"
            self.assertEqual(sql(self.db, orgs, old_id), sql(self.db, orgs, new_id))
            inds = "SELECT name, kind, unit, target FROM indicator WHERE action_id = ? AND " \
                   "archived = 0 ORDER BY position, id"
            self.assertEqual(sql(self.db, inds, old_id), sql(self.db, inds, new_id))
        # Organisations are linked, never copied; statuses stay with the old contract.
        self.assertEqual(self.count("SELECT count(*) FROM organisation"), old_orgs)
        self.assertEqual(self.count("SELECT count(*) FROM action_status s JOIN action a ON "
                                    "a.id = s.action_id WHERE a.contract_id = ?", new), 0)
        self.assertEqual(self.count("SELECT count(*) FROM indicator_value v JOIN indicator i ON "
                                    "i.id = v.indicator_id WHERE i.contract_id = ?", new), 0)
        self.assertEqual(self.count("SELECT count(*) FROM action_status"), old_statuses)

        # Recommendations carried: an objective and an action, each with a link back.
        carries = sql(self.db, "SELECT recommendation_id, objective_id, action_id FROM "
                               "recommendation_carry WHERE contract_id = ?", new)
        by_rec = {rid: (o, a) for rid, o, a in carries}
        self.assertEqual(set(by_rec), {rec_ids[1], rec_ids[2]})
        obj_id = by_rec[rec_ids[1]][0]
        act_id = by_rec[rec_ids[2]][1]
        self.assertEqual(sql(self.db, "SELECT title, contract_id FROM objective WHERE id = ?",
                             obj_id), [(RECS[0][1], new)])
        self.assertEqual(sql(self.db, "SELECT title, contract_id FROM action WHERE id = ?",
                             act_id), [(RECS[1][1], new)])
        page = Client(self.server).get("/objectives/%d" % obj_id).text
        self.assertIn("Issu de la recommandation 1", visible_text(page))
        self.assertIn('href="/contracts/1"', page)
        page = Client(self.server).get("/actions/%d" % act_id).text
        self.assertIn("Issue de la recommandation 2", visible_text(page))

        # Both histories one link away, on the public pages.
        public = Client(self.server)
        for old_id, new_id in list(origins.items())[:3]:
            page = public.get("/actions/%d" % new_id).text
            self.assertIn("du CLS %d" % gen, visible_text(page))
            self.assertIn('href="/actions/%d"' % old_id, page)
            self.assertIn('href="/actions/%d#historique"' % old_id, page)
            text = visible_text(page)
            self.assertTrue("Reprise de l'action" in text or "Reprise, modifiée, de l'action"
                            in text, text[:500])
            page = public.get("/actions/%d" % old_id).text
            self.assertIn("dans le CLS %d" % (gen + 1), visible_text(page))
            self.assertIn('href="/actions/%d"' % new_id, page)
            # The old action keeps its status history on its page.
            n_hist = self.count("SELECT count(*) FROM action_status WHERE action_id = ?", old_id)
            if n_hist:
                self.assertIn("Historique de l'état d'avancement", visible_text(page))
        dropped_page = visible_text(public.get("/actions/%d" % min(dropped)).text)
        self.assertNotIn("Reconduite dans", dropped_page)
        # Each contract home names the other.
        self.assertIn('href="/contracts/%d"' % new, public.get("/contracts/1").text)
        self.assertIn('href="/contracts/1"', public.get("/contracts/%d" % new).text)
        # Audited on both contracts.
        self.assertEqual(sql(self.db, "SELECT new_value FROM audit_log WHERE entity = 'contract' "
                                      "AND entity_id = ? AND field = 'previous'", new), [("1",)])
        self.assertEqual(sql(self.db, "SELECT new_value FROM audit_log WHERE entity = 'contract' "
                                      "AND entity_id = 1 AND field = 'next'"), [(str(new),)])

        # A second click, or the same form again: the same contract, not a second one.
        after = self.snapshot()
        r = coord.post("/contracts/1/next", fields)
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), "/contracts/%d?saved=next" % new)
        self.assertEqual(self.snapshot(), after)
        self.assertEqual(self.count("SELECT count(*) FROM contract WHERE previous_id = 1"), 1)
        r = coord.get("/contracts/1/next")
        self.assertIn("déjà été créé", visible_text(r.text))
        self.assertNotIn('name="title"', r.text)


class ContractNextCli(unittest.TestCase):
    """`boussole contract next`: the same creation for scripts."""

    def test_cli_keeps_active_actions_once(self):
        db = prepared_db("contract-next-cli")
        live = sql(db, "SELECT count(*) FROM action WHERE contract_id = 1 AND archived = 0")[0][0]
        year = sql(db, "SELECT coalesce(reporting_year, 0) FROM contract WHERE id = 1")[0][0]
        r = run_cli("contract", "next", "--db", db, "--from", "1", "--keep", "active")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(b"Nothing created", r.stdout)
        self.assertEqual(sql(db, "SELECT count(*) FROM contract WHERE previous_id = 1")[0][0], 0)
        r = run_cli("contract", "next", "--db", db, "--from", "1", "--keep", "sometimes")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--keep", r.stderr)
        r = run_cli("contract", "next", "--db", db, "--from", "1", "--keep", "active", "--yes")
        self.assertEqual(r.returncode, 0, r.stderr)
        new = sql(db, "SELECT id FROM contract WHERE previous_id = 1")[0][0]
        copied = {a for (a,) in sql(db, "SELECT origin_action_id FROM action_origin o JOIN "
                                        "action a ON a.id = o.action_id WHERE a.contract_id = ?",
                                    new)}
        # Abandoned in the page's year (the reporting year): the latest status of that year.
        shown_year = year or max(y for (y,) in sql(db, "SELECT DISTINCT year FROM action_status"))
        abandoned = {a for (a,) in sql(
            db, "SELECT a.id FROM action a WHERE a.contract_id = 1 AND a.archived = 0 AND "
                "(SELECT s.status FROM action_status s WHERE s.action_id = a.id AND s.year = ? "
                "ORDER BY s.id DESC LIMIT 1) = 'abandoned'", shown_year)}
        self.assertTrue(abandoned)
        self.assertFalse(copied & abandoned)
        self.assertEqual(len(copied), live - len(abandoned))
        r = run_cli("contract", "next", "--db", db, "--from", "1", "--yes")
        self.assertEqual(r.returncode, 1)
        self.assertIn("already has a next contract", r.stderr)
        self.assertEqual(sql(db, "SELECT count(*) FROM contract WHERE previous_id = 1")[0][0], 1)


if __name__ == "__main__":
    unittest.main()

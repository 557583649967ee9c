"""test_api.py — the read-only JSON API on the demo contract: keys and values of
/api/v1/contracts, /api/v1/contracts/{id}/objectives, /api/v1/contracts/{id}/actions?year=Y and
/api/v1/actions/{id} (with the whole status history), compared with data/demo/*.csv; 404 and
400 answers in JSON. Statuses are spelled as in the glossary of DOMAIN.md."""

import json
import unittest

from common import bearer, data, demo_server, demo_token

GLOSSARY = {"done_closed", "done_recurring", "done", "in_progress", "reflection", "not_started",
            "abandoned"}


def items(doc, key):
    """The list of an answer: a bare JSON array, or the array under key."""
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict) and isinstance(doc.get(key), list):
        return doc[key]
    raise AssertionError("expected a list or {%r: [...]}, got %r" % (key, str(doc)[:200]))


def setUpModule():
    global S, D, CID
    S = demo_server()
    D = data()
    CID = items(S.get("/api/v1/contracts").json(), "contracts")[0]["id"]


def norm(s):
    return " ".join((s or "").split())


class Api(unittest.TestCase):
    def get_json(self, path, status=200, headers=None):
        r = S.get(path, headers=headers)
        self.assertEqual(r.status, status, path)
        self.assertTrue((r.header("Content-Type") or "").startswith("application/json"),
                        "%s: Content-Type %s" % (path, r.header("Content-Type")))
        # %j writes '<' as \u003c: the JSON stays inert even if pasted into HTML.
        self.assertNotIn(b"<", r.body, path)
        return r.json()

    def test_contracts(self):
        contracts = items(self.get_json("/api/v1/contracts"), "contracts")
        self.assertEqual(len(contracts), 1)
        c = contracts[0]
        self.assertIsInstance(c["id"], int)
        self.assertEqual(c["title"], D.contract["name"])
        self.assertIsInstance(c["territory"], dict)
        self.assertEqual(set(c["territory"]) >= {"id", "name"}, True)
        self.assertIsInstance(c["territory"]["id"], int)
        self.assertEqual(c["territory"]["name"], D.contract["territory"])

    def test_objectives(self):
        objs = items(self.get_json("/api/v1/contracts/%d/objectives" % CID), "objectives")
        self.assertEqual(len(objs), len(D.objectives))
        by_level = {}
        for o in objs:
            for k in ("id", "level", "code", "title"):
                self.assertIn(k, o)
            by_level[o["level"]] = by_level.get(o["level"], 0) + 1
        self.assertEqual(by_level, {"general": 1, "strategic": 2, "specific": 7,
                                    "operational": 23})
        got = sorted((o["level"], o["code"] or "", o["title"]) for o in objs)
        want = sorted((o["level"], o["code"], o["title"]) for o in D.objectives.values())
        self.assertEqual(got, want)
        ids = {o["id"] for o in objs}
        if "parent_id" in objs[0]:
            for o in objs:
                if o["level"] != "general":
                    self.assertIn(o["parent_id"], ids)

    def check_year(self, year):
        doc = self.get_json("/api/v1/contracts/%d/actions?year=%d" % (CID, year))
        actions = items(doc, "actions")
        # A year lists the actions that exist that year (a status then or before): the 5
        # actions added in 2023 are not in 2020–2022.
        first = {}
        for st in D.statuses:
            first[st["action_id"]] = min(int(st["year"]), first.get(st["action_id"], 9999))
        existing = {a["id"] for a in D.actions if first.get(a["id"], 9999) <= year}
        self.assertEqual(len(actions), len(existing))
        want_counts = D.status_counts(year, existing)
        got_counts = {}
        for a in actions:
            for k in ("id", "code", "kind", "title", "carrier", "objective_code", "status"):
                self.assertIn(k, a, "key %s of action %s" % (k, a.get("id")))
            self.assertIn(a["kind"], ("sheet", "lead"))
            self.assertTrue(a["status"] is None or a["status"] in GLOSSARY, a["status"])
            if a["carrier"] is not None:
                self.assertEqual(set(a["carrier"]) >= {"id", "name"}, True)
                self.assertIsInstance(a["carrier"]["id"], int)
            got_counts[a["status"]] = got_counts.get(a["status"], 0) + 1
        self.assertEqual(got_counts, want_counts)
        return actions

    def test_actions_of_each_year(self):
        for year in (2020, 2021, 2022, 2023):
            with self.subTest(year=year):
                self.check_year(year)

    def test_actions_match_the_data_files(self):
        actions = self.check_year(2023)
        self.assertEqual(sum(a["kind"] == "sheet" for a in actions), 36)
        self.assertEqual(sum(a["kind"] == "lead" for a in actions), 40)
        lead = D.lead_carriers()
        self.assertEqual(sum(a["carrier"] is None for a in actions),
                         sum(1 for a in D.actions if a["id"] not in lead))
        # Same order as the contract (annex 8), same codes, titles and objective codes.
        for a, want in zip(actions, D.actions):
            with self.subTest(action=want["id"]):
                self.assertEqual(a["title"], want["title"])
                self.assertEqual(a["code"] or "", want["code"])
                self.assertEqual(a["kind"], "sheet" if want["kind"] == "fiche" else "lead")
                self.assertEqual(a["objective_code"] or "",
                                 D.objectives[want["objective_id"]]["code"])
                self.assertEqual(a["status"], D.status_of(want["id"], 2023))
                if want["id"] in lead:
                    org = D.organisations[lead[want["id"]]]
                    self.assertIsNotNone(a["carrier"])
                    self.assertEqual(a["carrier"]["name"], org["normalized_name"])

    def test_action_detail_has_the_whole_history(self):
        actions = items(self.get_json("/api/v1/contracts/%d/actions?year=2023" % CID), "actions")
        for a, want in zip(actions, D.actions):
            with self.subTest(action=want["id"]):
                # Remarks are the contract's people's (signed in), as on the pages.
                d = self.get_json("/api/v1/actions/%d" % a["id"], headers=bearer(demo_token()))
                self.assertEqual(d["id"], a["id"])
                self.assertEqual(d["title"], want["title"])
                self.assertEqual(d["kind"], a["kind"])
                self.assertEqual(d["code"], a["code"])
                self.assertEqual(d["carrier"], a["carrier"])
                self.assertIsInstance(d["statuses"], list)
                rows = [s for s in D.statuses if s["action_id"] == want["id"]]
                self.assertEqual(len(d["statuses"]), len(rows))
                for got, row in zip(sorted(d["statuses"], key=lambda s: s["year"]),
                                    sorted(rows, key=lambda s: s["year"])):
                    for k in ("year", "status", "remarks", "recommendations", "recorded_at",
                              "recorded_by"):
                        self.assertIn(k, got)
                    self.assertEqual(got["year"], int(row["year"]))
                    self.assertEqual(got["status"], row["status"])
                    self.assertIn(got["status"], GLOSSARY)
                    self.assertEqual(norm(got["remarks"]), norm(row["remarks"]))
                    self.assertEqual(norm(got["recommendations"]), norm(row["recommendations"]))
                    self.assertTrue(got["recorded_at"], "recorded_at is empty")

    def test_remarks_are_not_public(self):
        """Anonymous readers get no remarks, recommendations nor names of who recorded a status
        (the demo contract does not make them public); a source document is still named."""
        for a in items(self.get_json("/api/v1/contracts/%d/actions" % CID), "actions")[:10]:
            with self.subTest(action=a["id"]):
                for s in self.get_json("/api/v1/actions/%d" % a["id"])["statuses"]:
                    self.assertIsNone(s["remarks"])
                    self.assertIsNone(s["recommendations"])
                    self.assertTrue(s["recorded_by"], "the source document is named")

    def test_actions_without_year(self):
        actions = items(self.get_json("/api/v1/contracts/%d/actions" % CID), "actions")
        self.assertEqual(len(actions), 76)

    def test_unknown_ids_are_json_404(self):
        for path in ("/api/v1/actions/999999", "/api/v1/contracts/999999/actions",
                     "/api/v1/contracts/999999/actions?year=2023",
                     "/api/v1/contracts/999999/objectives", "/api/v1/contracts/0/objectives",
                     "/api/v1/nothing", "/api/v1/contracts/abc", "/api/v1/actions/1x",
                     "/api/v1/actions/99999999999999999999"):
            with self.subTest(path=path):
                doc = self.get_json(path, 404)
                self.assertIsInstance(doc, dict)
                self.assertIsInstance(doc.get("error"), str)
                self.assertTrue(doc["error"])

    def test_unknown_contract_answers_the_api_words(self):
        """Every route of a contract answers an unknown one alike (web/kit/load.c's JSON loader):
        API users may match on this body."""
        for path in ("/api/v1/contracts/999999/objectives", "/api/v1/contracts/999999/actions",
                     "/api/v1/contracts/999999/indicators"):
            with self.subTest(path=path):
                self.assertEqual(self.get_json(path, 404),
                                 {"error": "Aucun contrat n'a ce numéro."})

    def test_bad_parameters_are_json_400(self):
        for q in ("year=abc", "year=2023x", "year=%FF", "year=-5"):
            with self.subTest(query=q):
                doc = self.get_json("/api/v1/contracts/%d/actions?%s" % (CID, q), 400)
                self.assertIsInstance(doc.get("error"), str)

    def test_json_is_strict(self):
        """No NaN, no duplicate keys, UTF-8 text (not \\u-escaped accents required, but valid)."""
        for path in ("/api/v1/contracts", "/api/v1/contracts/%d/objectives" % CID,
                     "/api/v1/contracts/%d/actions?year=2021" % CID, "/api/v1/actions/1"):
            with self.subTest(path=path):
                r = S.get(path)

                def no_dupes(pairs):
                    keys = [k for k, _ in pairs]
                    self.assertEqual(len(keys), len(set(keys)), "duplicate keys in %s" % path)
                    return dict(pairs)

                def no_constants(name):
                    raise AssertionError("%s in %s" % (name, path))

                json.loads(r.body.decode("utf-8"), object_pairs_hook=no_dupes,
                           parse_constant=no_constants)


if __name__ == "__main__":
    unittest.main()

"""test_sheets.py — action sheets over HTTP on a demo database of their own (they write): the
demo sheets carry what data/demo/sheets.csv and indicators.csv say (from the report), validation
is refused with the reason (422, page and API) until a result indicator has a target, the
coordinator's list of incomplete sheets, the Gantt chart (valid SVG, one <g class="action"> per
dated action, the list's filters), the territory and indicators API, recording a value, the sheet
form (many communes ticked, bad dates, stale versions), promotion of a lead, the yearly plan and
the workload warning. Expected values come from the data files."""

import csv
import itertools
import json
import os
import re
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

from common import DATA, DEMO, Server, api_token, bearer, new_db, run_cli, tmp_path, visible_text

SVG = "{http://www.w3.org/2000/svg}"


def read(name, folder=DEMO):
    with open(os.path.join(folder, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


_accounts = itertools.count(1)


def carrier_token(db, organisation_id, contract_id):
    """A bearer token of a new carrier account of organisation_id (tied to the contract)."""
    email = "porteur-%d-%d@tests.example" % (organisation_id, next(_accounts))
    r = run_cli("user", "add", "--db", db, "--email", email, "--name", "Porteur de test",
                "--role", "carrier", "--contract", str(contract_id), "--organisation",
                str(organisation_id), "--password-stdin",
                stdin=b"un mot de passe assez long pour les tests\n")
    if r.returncode != 0:
        raise RuntimeError("boussole user add failed: " + r.stderr)
    r = run_cli("user", "token", "--db", db, "--email", email, "--name", "tests")
    if r.returncode != 0:
        raise RuntimeError("boussole user token failed: " + r.stderr)
    return r.stdout.decode("utf-8").strip().splitlines()[-1].strip()


def setUpModule():
    global S, CID, ACTIONS, ID_OF, COORD, CARRIER, OTHER, TERRITORY
    db = new_db("sheets.db")
    S = Server("sheets", db).start()
    contract = S.get("/api/v1/contracts").json()["contracts"][0]
    CID = contract["id"]
    TERRITORY = contract["territory"]["id"]
    ACTIONS = S.get("/api/v1/contracts/%d/actions" % CID).json()["actions"]
    by_key = {(a["code"] or "", a["title"]): a["id"] for a in read("actions.csv")}
    ID_OF = {}
    for a in ACTIONS:
        slug = by_key.get((a["code"] or "", a["title"]))
        if slug:
            ID_OF[slug] = a["id"]
    COORD = bearer(api_token(db, "coordinator", CID))
    respite = S.get("/api/v1/actions/%d" % ID_OF["halte-repit"]).json()
    CARRIER = bearer(carrier_token(db, respite["carrier"]["id"], CID))
    first_aid = S.get("/api/v1/actions/%d" % ID_OF["gestes-qui-sauvent"]).json()
    OTHER = first_aid["carrier"]["id"]


def action(slug, headers=None):
    return S.get("/api/v1/actions/%d" % ID_OF[slug], headers=headers).json()


def post_form(path, pairs, headers):
    h = {"Content-Type": "application/x-www-form-urlencoded"}
    h.update(headers or {})
    return S.request("POST", path, urllib.parse.urlencode(pairs), h)


def post_json(path, body, headers):
    h = {"Content-Type": "application/json"}
    h.update(headers or {})
    return S.request("POST", path, body if isinstance(body, (str, bytes)) else json.dumps(body),
                     h)


class DemoSheets(unittest.TestCase):
    def test_indicators_are_those_of_the_report(self):
        rows = read("indicators.csv")
        for slug in sorted({r["action_id"] for r in rows}):
            with self.subTest(action=slug):
                got = {(i["name"], v["period"], v["value"]) for i in action(slug)["indicators"]
                       for v in i["values"]}
                want = {(r["name"], r["period"], float(r["value"])) for r in rows
                        if r["action_id"] == slug}
                self.assertLessEqual(want, got)  # other tests may add values
                self.assertEqual({n for n, _, _ in got}, {n for n, _, _ in want})
                for i in action(slug)["indicators"]:
                    self.assertIsNone(i["target"], "no target is invented")
        respite = {i["name"]: v["value"] for i in action("halte-repit")["indicators"]
                   for v in i["values"] if v["period"] == "2021"}
        self.assertEqual(respite, {"Nombre de séances": 32, "Nombre de participants": 139})

    def test_dates_and_places_are_those_of_the_report(self):
        for r in read("sheets.csv"):
            with self.subTest(action=r["action_id"]):
                s = action(r["action_id"])["sheet"]
                for k in ("planned_start", "planned_end", "actual_start", "actual_end"):
                    self.assertEqual(s[k] or "", r[k])
                self.assertEqual(s["whole_territory"], r["whole_territory"] == "1")
                self.assertEqual(s["areas"], [x for x in r["areas"].split(";") if x])
                self.assertEqual(s["state"], "draft")
                # Nothing the report does not give.
                for k in ("description", "objectives", "planned_budget", "actual_budget"):
                    self.assertIsNone(s[k])
                self.assertEqual(s["funders"], [])

    def test_sheet_page_shows_fields_and_indicators(self):
        r = S.get("/actions/%d" % ID_OF["halte-repit"])
        self.assertEqual(r.status, 200)
        text = visible_text(r.text)
        for part in ("Fiche action", "État de la fiche : Brouillon", "Nombre de séances",
                     "Nombre de participants", "139", "pas de cible", "Non renseigné"):
            self.assertIn(part, text)
        self.assertIn('<svg xmlns="http://www.w3.org/2000/svg" class="chart indicator-chart"',
                      r.text)
        r = S.get("/actions/%d" % ID_OF["aides-aux-aidants"])
        self.assertIn("Saint-Mihiel (INSEE 55463)", visible_text(r.text))

    def test_printable_sheet(self):
        r = S.get("/actions/%d/print" % ID_OF["gestes-qui-sauvent"])
        self.assertEqual(r.status, 200)
        self.assertIn('class="sheet-print"', r.text)
        text = visible_text(r.text)
        for part in ("Former les habitants", "19/09/2022", "décembre 2023", "Tout le territoire",
                     "Nombre de sessions de formation", "12"):
            self.assertIn(part, text)

    def test_workload_warning_on_the_contract_home(self):
        text = visible_text(S.get("/contracts/%d" % CID).text)
        self.assertIn("71 actions actives pour 0,5 ETP de coordination, soit 142 actions par ETP",
                      text)

    def test_missing_list_is_the_coordinators(self):
        path = "/contracts/%d/sheets/missing" % CID
        self.assertEqual(S.get(path).status, 303)
        r = S.get(path, headers=COORD)
        self.assertEqual(r.status, 200)
        sheets = [a for a in read("actions.csv") if a["kind"] == "fiche"]
        m = re.search(r"(\d+) fiches? incompl[eè]tes? sur (\d+)", visible_text(r.text))
        self.assertTrue(m)
        self.assertEqual(int(m.group(2)), len(sheets))
        self.assertGreater(int(m.group(1)), 0)
        self.assertIn("sans indicateur de résultat", visible_text(r.text))


class Gantt(unittest.TestCase):
    def svg(self, query=""):
        r = S.get("/contracts/%d/gantt.svg%s" % (CID, query))
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("image/svg+xml"))
        root = ET.fromstring(r.body)  # valid XML, or this raises
        self.assertEqual(root.tag, SVG + "svg")
        return [g for g in root.iter(SVG + "g") if g.get("class") == "action"]

    def test_one_group_per_dated_action(self):
        dated = {r["action_id"] for r in read("sheets.csv")
                 if any(r[k] for k in ("planned_start", "planned_end", "actual_start",
                                       "actual_end"))}
        groups = self.svg()
        self.assertEqual(len(groups), len(dated))
        self.assertEqual({int(g.get("data-action")) for g in groups},
                         {ID_OF[s] for s in dated})

    def test_filters_of_the_action_list(self):
        objs = S.get("/api/v1/contracts/%d/objectives" % CID).json()["objectives"]
        spec3 = next(o["id"] for o in objs if o["level"] == "specific" and o["code"] == "3")
        groups = self.svg("?specific=%d" % spec3)
        self.assertTrue(0 < len(groups) < len(self.svg()))
        self.assertEqual(len(self.svg("?kind=lead")), 1)  # the autonomy forum
        self.assertEqual(S.get("/contracts/%d/gantt.svg?status=nope" % CID).status, 400)
        self.assertEqual(S.get("/contracts/%d/gantt.svg?plan=abc" % CID).status, 400)

    def test_page(self):
        r = S.get("/contracts/%d/gantt" % CID)
        self.assertEqual(r.status, 200)
        self.assertIn('class="chart gantt"', r.text)
        self.assertIn('class="print-landscape"', r.text)
        self.assertIn("Image SVG seule", r.text)


class Api(unittest.TestCase):
    def test_territory(self):
        doc = S.get("/api/v1/territories/%d" % TERRITORY).json()
        want = read("petr-coeur-de-lorraine.csv", os.path.join(DATA, "territories"))
        self.assertEqual(len(doc["intercommunalities"]), 4)
        self.assertEqual(len(doc["communes"]), 123)
        self.assertEqual({c["code"] for c in doc["communes"]},
                         {r["code"] for r in want if r["kind"] == "commune"})
        st_mihiel = next(c for c in doc["communes"] if c["code"] == "55463")
        self.assertEqual(st_mihiel["name"], "Saint-Mihiel")
        self.assertEqual(st_mihiel["intercommunality"], "245500327")
        self.assertEqual(S.get("/api/v1/territories/999").status, 404)

    def test_contract_indicators(self):
        doc = S.get("/api/v1/contracts/%d/indicators" % CID).json()
        rows = read("indicators.csv")
        names = {(r["action_id"], r["name"]) for r in rows}
        demo = [i for i in doc["indicators"] if i["name"] in {n for _, n in names}]
        self.assertGreaterEqual(len(demo), len(names))
        for i in doc["indicators"]:
            for k in ("id", "action_id", "objective_id", "name", "kind", "unit", "baseline",
                      "target", "values"):
                self.assertIn(k, i)
            for v in i["values"]:
                self.assertIsNone(v["comment"], "comments follow the remarks' rule")

    def test_recording_a_value(self):
        ind = action("halte-repit")["indicators"][0]
        path = "/api/v1/indicators/%d/values" % ind["id"]
        body = {"period": "2024", "value": 41, "source": "feuilles d'émargement",
                "comment": "test"}
        self.assertEqual(post_json(path, body, {}).status, 401)
        other = carrier_token(S.db, OTHER, CID)
        self.assertEqual(post_json(path, body, bearer(other)).status, 403)
        r = post_json(path, body, CARRIER)
        self.assertEqual(r.status, 201, r.text)
        self.assertTrue(r.json()["added"])
        self.assertIn({"period": "2024", "value": 41}, [{k: v[k] for k in ("period", "value")}
                                                        for v in r.json()["indicator"]["values"]])
        r = post_json(path, body, CARRIER)
        self.assertEqual(r.status, 200)
        self.assertFalse(r.json()["added"])
        # The action's history names the change.
        text = visible_text(S.get("/actions/%d/history" % ID_OF["halte-repit"],
                                  headers=COORD).text)
        self.assertIn("Valeur de l'indicateur n° %d (2024)" % ind["id"], text)
        for bad, status in ((b"{", 400), ({"period": "2024", "value": "x"}, 400),
                            ({"period": "2024"}, 422), ({"period": "24", "value": 1}, 422),
                            ({"value": 1}, 422), ({"period": "2024", "value": 1, "x": 1}, 400)):
            with self.subTest(body=bad):
                r = post_json(path, bad, CARRIER)
                self.assertEqual(r.status, status, r.text)
                self.assertIn("error", r.json())


class Validation(unittest.TestCase):
    def version(self, slug):
        return str(action(slug, COORD)["version"])

    def test_validation_needs_a_result_indicator_with_a_target(self):
        slug = "octobre-rose"
        aid = ID_OF[slug]
        r = post_form("/actions/%d/validate" % aid, {"version": self.version(slug)}, COORD)
        self.assertEqual(r.status, 422)
        self.assertIn("aucun indicateur de résultat", visible_text(r.text))
        r = post_json("/api/v1/actions/%d/validate" % aid, {}, COORD)
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()["field"], "indicators")
        self.assertIn("indicateur de résultat", r.json()["error"])
        # The carrier may not validate.
        self.assertEqual(post_json("/api/v1/actions/%d/validate" % aid, {}, CARRIER).status, 403)
        # A result indicator without a target is not enough.
        r = post_form("/actions/%d/indicators/new" % aid,
                      {"name": "Part des communes participantes", "kind": "result",
                       "unit": "%"}, COORD)
        self.assertEqual(r.status, 303, r.text)
        ind = next(i for i in action(slug)["indicators"] if i["kind"] == "result")
        r = post_json("/api/v1/actions/%d/validate" % aid, {}, COORD)
        self.assertEqual(r.status, 422)
        self.assertIn("cible", r.json()["error"])
        r = post_form("/indicators/%d/edit" % ind["id"],
                      {"version": str(ind["version"]), "name": ind["name"], "kind": "result",
                       "unit": "%", "target": "50"}, COORD)
        self.assertEqual(r.status, 303, r.text)
        r = post_form("/actions/%d/validate" % aid, {"version": self.version(slug)}, COORD)
        self.assertEqual(r.status, 303)
        self.assertEqual(action(slug)["sheet"]["state"], "validated")
        self.assertIn("Validée", visible_text(S.get("/actions/%d" % aid).text))
        # The API says the same once validated; a stale version is a conflict.
        r = post_json("/api/v1/actions/%d/validate" % aid, {"version": 1}, COORD)
        self.assertEqual(r.status, 409)
        r = post_form("/actions/%d/close" % aid, {"version": self.version(slug)}, COORD)
        self.assertEqual(r.status, 303)
        self.assertEqual(action(slug)["sheet"]["state"], "closed")

    def test_api_validation_passes_with_a_target(self):
        slug = "plateforme-sociale"
        aid = ID_OF[slug]
        r = post_form("/actions/%d/indicators/new" % aid,
                      {"name": "Associations membres de la plateforme", "kind": "result",
                       "unit": "associations", "target": "15"}, COORD)
        self.assertEqual(r.status, 303, r.text)
        r = post_json("/api/v1/actions/%d/validate" % aid, "", COORD)
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()["sheet"]["state"], "validated")

    def test_a_lead_is_promoted_to_the_next_code(self):
        lead = next(a for a in read("actions.csv")
                    if a["kind"] == "piste" and a["objective_code"] == "4.2")
        aid = ID_OF[lead["id"]]
        codes = [a["code"] for a in read("actions.csv") if a["code"].startswith("4.2.")]
        want = "4.2.%d" % (max(int(c.split(".")[2]) for c in codes) + 1)
        r = post_form("/actions/%d/promote" % aid, {"version": self.version(lead["id"])}, COORD)
        self.assertEqual(r.status, 303, r.text)
        a = action(lead["id"])
        self.assertEqual((a["kind"], a["code"]), ("sheet", want))
        text = visible_text(S.get("/actions/%d/history" % aid, headers=COORD).text)
        self.assertIn("Promotion en fiche action", text)
        self.assertIn(want, text)


class SheetForm(unittest.TestCase):
    def test_carrier_fills_the_sheet(self):
        aid = ID_OF["halte-repit"]
        self.assertEqual(S.get("/actions/%d/sheet" % aid).status, 303)
        r = S.get("/actions/%d/sheet" % aid, headers=CARRIER)
        self.assertEqual(r.status, 200)
        self.assertIn('name="area" value="55463"', r.text)
        self.assertIn("Recevoir de façon inconditionnelle", r.text)  # a definition of Q16
        communes = [c["code"] for c in S.get("/api/v1/territories/%d" % TERRITORY).json()
                    ["communes"]][:70]
        pairs = [("version", str(action("halte-repit")["version"])),
                 ("description", "Un après-midi par semaine pour les aidants."),
                 ("target_public", "population"), ("planned_start", "01/2024"),
                 ("planned_end", "2024"), ("planned_budget", "1 500,50"), ("rhythm", "followed_up"),
                 ("population_groups", "aidants"), ("age_bands", "adultes_26_55_ans"),
                 ("funder_key", "caf_55"), ("funder_name", ""), ("funder_amount", "800"),
                 ("funder_key", "other"), ("funder_name", "Fondation locale"),
                 ("funder_amount", ""), ("priority", "high")] + [("area", c) for c in communes]
        self.assertGreater(len(pairs), 64)
        r = post_form("/actions/%d/sheet" % aid, pairs, CARRIER)
        self.assertEqual(r.status, 303, r.text[:2000])
        s = action("halte-repit")["sheet"]
        self.assertEqual(s["planned_start"], "2024-01")
        self.assertEqual(s["planned_budget"], 1500.5)
        self.assertEqual(len(s["areas"]), 70)
        self.assertEqual([f["name"] for f in s["funders"]], ["CAF 55", "Fondation locale"])
        self.assertEqual(s["priority"], "high")
        # A bad date is refused with the field named, the input kept; a stale version is 409.
        bad = [p if p[0] != "planned_end" else ("planned_end", "13/2024") for p in pairs]
        bad[0] = ("version", str(action("halte-repit")["version"]))
        r = post_form("/actions/%d/sheet" % aid, bad, CARRIER)
        self.assertEqual(r.status, 422)
        self.assertIn("13/2024", r.text)
        self.assertIn("Écrivez la date", visible_text(r.text))
        r = post_form("/actions/%d/sheet" % aid, pairs, CARRIER)
        self.assertEqual(r.status, 409)
        # Another organisation's carrier may not.
        other = bearer(carrier_token(S.db, OTHER, CID))
        self.assertEqual(S.get("/actions/%d/sheet" % aid, headers=other).status, 403)


class Plan(unittest.TestCase):
    def test_yearly_plan(self):
        ids = [ID_OF["bus-itinerant"], ID_OF["gestes-qui-sauvent"]]
        path = "/contracts/%d/action-plan" % CID
        pairs = [("year", "2027")] + [("plan", str(i)) for i in ids] + \
            [("priority-%d" % ids[0], "high")]
        self.assertEqual(post_form(path, pairs, CARRIER).status, 403)
        r = post_form(path, pairs, COORD)
        self.assertEqual(r.status, 303, r.text)
        text = visible_text(S.get(path + "?year=2027").text)
        self.assertIn("2 actions dans le plan 2027", text)
        groups = Gantt.svg(self, "?plan=2027")
        self.assertEqual({int(g.get("data-action")) for g in groups}, set(ids))
        self.assertEqual(action("bus-itinerant")["sheet"]["plan_years"], [2027])
        self.assertEqual(action("bus-itinerant")["sheet"]["priority"], "high")
        # The list and the dashboard show the plan alone, their links keep it.
        r = S.get("/contracts/%d/actions?plan=2027" % CID)
        self.assertRegex(visible_text(r.text), r"\b2 actions sur \d+")
        r = S.get("/contracts/%d/dashboard?year=2023&plan=2027" % CID)
        self.assertEqual(r.status, 200)
        self.assertIn("Seules les actions du plan annuel 2027", visible_text(r.text))
        links = re.findall(r'href="(/contracts/\d+/actions\?[^"]*)"', r.text)
        self.assertTrue(links)
        for href in links:
            self.assertIn("plan=2027", href)
        self.assertEqual(S.get("/contracts/%d/dashboard?plan=x" % CID).status, 400)
        self.assertEqual(S.get("/contracts/%d/actions?plan=1800" % CID).status, 400)

    def test_workload_settings(self):
        path = "/contracts/%d/workload" % CID
        r = post_form(path, {"coordinator_fte": "0,5", "max_actions_per_fte": "150"}, COORD)
        self.assertEqual(r.status, 303)
        self.assertNotIn("Charge de pilotage élevée", S.get("/contracts/%d" % CID).text)
        r = post_form(path, {"coordinator_fte": "0,5", "max_actions_per_fte": "40"}, COORD)
        self.assertEqual(r.status, 303)
        self.assertIn("Charge de pilotage élevée", S.get("/contracts/%d" % CID).text)
        self.assertEqual(post_form(path, {"max_actions_per_fte": "0"}, COORD).status, 422)


class Objective(unittest.TestCase):
    def test_rollup_of_the_actions_indicators(self):
        objs = S.get("/api/v1/contracts/%d/objectives" % CID).json()["objectives"]
        op = next(o["id"] for o in objs if o["level"] == "operational" and o["code"] == "5.2")
        r = S.get("/objectives/%d" % op)
        self.assertEqual(r.status, 200)
        text = visible_text(r.text)
        self.assertIn("Indicateurs des actions", text)
        self.assertIn("Nombre de participants", text)
        self.assertIn("139", text)
        self.assertIn('class="chart indicator-chart"', r.text)
        self.assertEqual(S.get("/objectives/999999").status, 404)


if __name__ == "__main__":
    unittest.main()

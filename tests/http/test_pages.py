"""test_pages.py — the HTML screens of the spec on the demo contract: each answers 200 in French,
the home page and the dashboard agree with the data files and with the list behind each number,
the action list's filters and sorting work from the URL, unknown ids give 404 and bad
parameters 400. Expected values come from data/demo/*.csv, never from the program itself."""

import re
import unittest
import urllib.parse

from common import (action_ids_in, bearer, count_line, data, demo_server, demo_token, escaped,
                    fold, visible_text)

STATUS_KEYS = ["done_closed", "done_recurring", "done", "in_progress", "reflection",
               "not_started", "abandoned"]
STATUS_LABELS = {"done_closed": "Réalisée et close", "done_recurring": "Réalisée, récurrente",
                 "done": "Réalisée", "in_progress": "En cours", "reflection": "Réflexion engagée",
                 "not_started": "Non commencée", "abandoned": "Abandonnée"}


def setUpModule():
    global S, D, API_ACTIONS, API_OBJECTIVES, CID, SLUG_OF, ID_OF
    S = demo_server()
    D = data()
    contracts = S.get("/api/v1/contracts").json()
    contracts = contracts["contracts"] if isinstance(contracts, dict) else contracts
    CID = contracts[0]["id"]
    r = S.get("/api/v1/contracts/%d/actions?year=2023" % CID).json()
    API_ACTIONS = r["actions"] if isinstance(r, dict) else r
    r = S.get("/api/v1/contracts/%d/objectives" % CID).json()
    API_OBJECTIVES = r["objectives"] if isinstance(r, dict) else r
    # Database id ↔ data-file slug, matched on (code, title): both are verbatim from annex 8.
    by_key = {((a["code"] or ""), a["title"]): a["id"] for a in D.actions}
    SLUG_OF = {}
    for a in API_ACTIONS:
        slug = by_key.get(((a.get("code") or ""), a["title"]))
        if slug:
            SLUG_OF[a["id"]] = slug
    ID_OF = {v: k for k, v in SLUG_OF.items()}


def objective_id(level, code):
    for o in API_OBJECTIVES:
        if o["level"] == level and (o.get("code") or "") == code:
            return o["id"]
    raise AssertionError("no %s objective %r in the API" % (level, code))


def anchors(page):
    """(href with entities decoded, inner HTML) of every link of a page."""
    return [(m.group(1).replace("&amp;", "&"), m.group(2))
            for m in re.finditer(r'<a\b[^>]*\bhref="([^"]*)"[^>]*>(.*?)</a>', page, re.S)]


def list_params(href, cid):
    """The query of a link to the contract's action list as a dict, or None for other links."""
    u = urllib.parse.urlsplit(href)
    if u.path != "/contracts/%d/actions" % cid:
        return None
    return dict(urllib.parse.parse_qsl(u.query, keep_blank_values=True))


def number_in(inner):
    """The number a link shows ("13", "13 actions", an SVG <text>), or None."""
    inner = re.sub(r"(?is)<title>.*?</title>", " ", inner)
    t = visible_text(inner)
    m = re.fullmatch(r"(\d+)(?:\s+actions?)?", t)
    return int(m.group(1)) if m else None


class Screens(unittest.TestCase):
    def page(self, path, status=200):
        r = S.get(path)
        self.assertEqual(r.status, status, "%s answered %d" % (path, r.status))
        return r

    def test_root_opens_the_only_contract(self):
        r = S.get("/")
        self.assertEqual(r.status, 303)  # one contract: its page (contract_index_page)
        self.assertEqual(urllib.parse.urlsplit(r.header("Location")).path, "/contracts/%d" % CID)

    def test_every_screen_is_french_html(self):
        an_action = API_ACTIONS[0]["id"]
        an_org = next(a["carrier"]["id"] for a in API_ACTIONS if a.get("carrier"))
        pages = {
            "/contracts/%d" % CID: ["Objectif général", "Objectif spécifique"],
            "/contracts/%d/tree" % CID: ["Objectif opérationnel", "Axe 1"],
            "/contracts/%d/actions" % CID: ["actions", "sur 76", "Porteur"],
            "/contracts/%d/actions?year=2023" % CID: ["État", "Porteur"],
            "/contracts/%d/dashboard?year=2023" % CID: ["Tableau de bord", "Réalisée", "En cours"],
            "/contracts/%d/dashboard" % CID: ["Tableau de bord"],
            "/actions/%d" % an_action: ["Fiche action", "Porteur", "2020", "2023"],
            "/organisations/%d" % an_org: ["Actions"],
        }
        for path, words in pages.items():
            with self.subTest(path=path):
                r = self.page(path)
                self.assertEqual(r.header("Content-Type"), "text/html; charset=utf-8")
                page = r.text
                self.assertTrue(page.startswith("<!DOCTYPE html>"), "no doctype")
                self.assertIn('<html lang="fr"', page)
                title = re.search(r"<title>(.*?)</title>", page, re.S)
                h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
                self.assertTrue(title and visible_text(title.group(1)), "no <title>")
                self.assertTrue(h1 and visible_text(h1.group(1)), "no <h1>")
                self.assertEqual(len(re.findall(r"<h1\b", page)), 1, "one <h1> per page")
                text = visible_text(page)
                for w in words:
                    self.assertIn(w, text)
                # CSP: no inline style or script may be needed.
                self.assertNotRegex(page, r"(?i)<script\b", "inline <script>")
                self.assertNotRegex(page, r"(?i)\sstyle\s*=", "inline style= attribute")
                self.assertNotRegex(page, r"(?i)\son[a-z]+\s*=\s*[\"']", "inline event handler")
                # Every link stays inside the application (no dangling javascript: or http:).
                for href, _ in anchors(page):
                    self.assertFalse(href.lower().startswith("javascript:"), href)

    def test_home_shows_the_tree_top(self):
        page = self.page("/contracts/%d" % CID).text
        text = visible_text(page)
        self.assertIn(D.objectives_of_level("general")[0]["title"], text)
        for o in D.objectives_of_level("strategic"):
            self.assertIn(o["title"], text)
        specifics = D.objectives_of_level("specific")
        self.assertEqual(len(specifics), 7)
        for o in specifics:
            with self.subTest(specific=o["code"]):
                self.assertIn(escaped(o["title"]), page)

    def check_home_counts(self, year, path):
        """Per specific objective: the number of actions and, per status, the number in year,
        as links to the filtered list; compared with the data files."""
        page = self.page(path).text
        links = []
        for href, inner in anchors(page):
            p = list_params(href, CID)
            if p is not None and "specific" in p:
                links.append((p, number_in(inner)))
        for o in D.objectives_of_level("specific"):
            with self.subTest(year=year, specific=o["code"]):
                oid = str(objective_id("specific", o["code"]))
                existing = D.existing(year)
                actions = [a for a in D.actions_under_specific(o["code"]) if a["id"] in existing]
                totals = [n for p, n in links if p.get("specific") == oid and "status" not in p
                          and n is not None]
                self.assertTrue(totals, "no link 'N actions' to ?specific=%s on the home page"
                                % oid)
                self.assertEqual(totals[0], len(actions))
                want = D.status_counts(year, {a["id"] for a in actions})
                got = {}
                for p, n in links:
                    if p.get("specific") == oid and "status" in p and n is not None:
                        self.assertEqual(p.get("year"), str(year), "link without the year")
                        got[p["status"]] = n
                for key in STATUS_KEYS:
                    self.assertEqual(got.get(key, 0), want.get(key, 0),
                                     "status %s of specific objective %s in %d"
                                     % (key, o["code"], year))

    def test_home_counts_agree_with_data_latest_year(self):
        self.check_home_counts(2023, "/contracts/%d" % CID)

    def test_home_counts_agree_with_data_2020(self):
        self.check_home_counts(2020, "/contracts/%d?year=2020" % CID)

    def test_tree_lists_every_objective_and_action(self):
        page = self.page("/contracts/%d/tree" % CID).text
        for o in D.objectives.values():
            self.assertIn(escaped(o["title"]), page, "objective %s" % o["id"])
        ids = action_ids_in(page)
        self.assertEqual(sorted(ids), sorted(a["id"] for a in API_ACTIONS))
        for a in D.actions:
            self.assertIn(escaped(a["title"]), page, "action %s" % a["id"])

    def check_numbers_link_to_their_list(self, path):
        page = self.page(path).text
        checked = 0
        seen = {}
        for href, inner in anchors(page):
            p = list_params(href, CID)
            n = number_in(inner)
            if p is None or n is None:
                continue
            if href not in seen:
                r = S.get(href)
                self.assertEqual(r.status, 200, href)
                seen[href] = count_line(r.text)
                self.assertIsNotNone(seen[href], "no 'N actions sur M' line on %s" % href)
                self.assertEqual(len(action_ids_in(r.text.split("</form>", 1)[-1])),
                                 seen[href][0], "rows listed on %s" % href)
            with self.subTest(path=path, link=href):
                self.assertEqual(seen[href][0], n, "the link shows %d, the list has %d"
                                 % (n, seen[href][0]))
            checked += 1
        self.assertGreater(checked, 10, "too few numbers linked to the list on %s" % path)

    def test_home_numbers_link_to_their_list(self):
        self.check_numbers_link_to_their_list("/contracts/%d" % CID)

    def test_dashboard_numbers_link_to_their_list(self):
        self.check_numbers_link_to_their_list("/contracts/%d/dashboard?year=2023" % CID)

    def test_dashboard_2021_numbers_link_to_their_list(self):
        self.check_numbers_link_to_their_list("/contracts/%d/dashboard?year=2021" % CID)

    def test_dashboard_has_charts_and_the_year(self):
        for year in (2020, 2021, 2022, 2023):
            with self.subTest(year=year):
                page = self.page("/contracts/%d/dashboard?year=%d" % (CID, year)).text
                self.assertIn("<svg", page)
                self.assertIn(str(year), visible_text(page))
                counts = D.status_counts(year)
                for key, n in counts.items():
                    if key and n:
                        self.assertIn(STATUS_LABELS[key], page)
                # Overall counts of the year, as links to the list.
                got = {}
                for href, inner in anchors(page):
                    p = list_params(href, CID)
                    if p and set(p) == {"year", "status"} and number_in(inner) is not None:
                        got.setdefault(p["status"], number_in(inner))
                for key in STATUS_KEYS:
                    if counts.get(key):
                        self.assertEqual(got.get(key), counts[key], "%s in %d" % (key, year))

    # ---- the action list ------------------------------------------------------------------

    def list_count(self, query):
        path = "/contracts/%d/actions%s" % (CID, "?" + query if query else "")
        r = self.page(path)
        c = count_line(r.text)
        self.assertIsNotNone(c, "no 'N actions sur M' count line on %s" % path)
        self.assertEqual(c[1], 76, "the count line's total on %s" % path)
        rows = action_ids_in(r.text.split("</form>", 1)[-1])
        self.assertEqual(len(rows), c[0], "the table of %s lists %d actions, the count says %d"
                         % (path, len(rows), c[0]))
        return c[0], rows

    def test_list_filters(self):
        lead = D.lead_carriers()
        by_specific = {o["code"]: len(D.actions_under_specific(o["code"]))
                       for o in D.objectives_of_level("specific")}
        c23 = D.status_counts(2023)
        c20 = D.status_counts(2020)
        sheets = {a["id"] for a in D.actions if a["kind"] == "fiche"}
        op11 = [a for a in D.actions if a["objective_id"] and
                D.objectives[a["objective_id"]]["code"] == "1.1"]
        axe1 = [a for a in D.actions if D.ancestor(a["objective_id"], "strategic")["code"] ==
                "Axe 1"]
        epci = [a for a in D.actions if a["id"] in lead and
                D.organisations[lead[a["id"]]]["type"] == "codecom/EPCI"]
        cases = [
            ("", 76),
            ("year=2023", 76),
            ("kind=sheet", 36),
            ("kind=lead", 40),
            ("year=2023&status=done_any",
             c23.get("done", 0) + c23.get("done_recurring", 0) + c23.get("done_closed", 0)),
            ("year=2023&status=done", c23["done"]),
            ("year=2023&status=in_progress", c23["in_progress"]),
            ("year=2023&status=abandoned", c23["abandoned"]),
            ("year=2023&status=none", c23[None]),
            # The 5 actions added in 2023 do not exist in 2020: none is "sans état" then.
            ("year=2020&status=none", 0),
            ("year=2020&status=reflection", c20["reflection"]),
            ("year=2023&kind=sheet&status=done_any",
             sum(1 for a in D.actions if a["id"] in sheets and
                 (D.status_of(a["id"], 2023) or "").startswith("done"))),
            ("no_carrier=1", sum(1 for a in D.actions if a["id"] not in lead)),
            ("no_carrier=1&kind=lead",
             sum(1 for a in D.actions if a["id"] not in lead and a["kind"] == "piste")),
            ("carrier_type=intercommunality", len(epci)),
            ("strategic=%d" % objective_id("strategic", "Axe 1"), len(axe1)),
            ("operational=%d" % objective_id("operational", "1.1"), len(op11)),
            ("q=octobre+rose", 1),
            ("q=OCTOBRE%20ROSE", 1),
            ("q=bus+itin%C3%A9rant", 1),
            ("q=BUS+ITINERANT", 1),
            ("q=zzzz-nothing", 0),
        ]
        for code, n in by_specific.items():
            cases.append(("specific=%d" % objective_id("specific", code), n))
        for query, want in cases:
            with self.subTest(query=query):
                got, _ = self.list_count(query)
                self.assertEqual(got, want)

    def test_list_text_search_ignores_accents_and_case(self):
        counts = {q: self.list_count("q=" + q)[0]
                  for q in ("sante", "Sant%C3%A9", "SANT%C3%89", "SANTE", "+sant%C3%A9+")}
        self.assertEqual(len(set(counts.values())), 1, counts)
        self.assertGreater(counts["sante"], 0)
        self.assertLess(counts["sante"], 76)

    def test_list_carrier_filter(self):
        carriers = {}
        for a in API_ACTIONS:
            if a.get("carrier"):
                carriers.setdefault(a["carrier"]["id"], []).append(a["id"])
        for cid, ids in sorted(carriers.items(), key=lambda kv: -len(kv[1]))[:3]:
            with self.subTest(carrier=cid):
                n, rows = self.list_count("carrier=%d" % cid)
                self.assertEqual(sorted(rows), sorted(ids))

    def test_list_filters_are_kept_in_links(self):
        """Sorting links and the form keep the filters of the URL."""
        page = self.page("/contracts/%d/actions?year=2022&kind=lead&status=in_progress"
                         % CID).text
        sort_links = [h for h, _ in anchors(page) if "sort=" in h]
        self.assertTrue(sort_links, "no sorting links on the list")
        for h in sort_links:
            p = list_params(h, CID)
            self.assertIsNotNone(p, h)
            self.assertEqual((p.get("year"), p.get("kind"), p.get("status")),
                             ("2022", "lead", "in_progress"), h)
        self.assertRegex(page, r'<option value="lead" selected')

    def test_list_sorting(self):
        info = {a["id"]: a for a in API_ACTIONS}
        default_order = [a["id"] for a in API_ACTIONS]
        rank = {k: i for i, k in enumerate(STATUS_KEYS)}

        def key(sort, a):
            if sort == "title":
                return fold(a["title"])
            if sort == "carrier":
                return fold(a["carrier"]["name"]) if a.get("carrier") else None
            if sort == "status":
                return rank[a["status"]] if a.get("status") else None
            return None

        for sort in ("title", "carrier", "status"):
            for direction in ("asc", "desc"):
                with self.subTest(sort=sort, dir=direction):
                    _, rows = self.list_count("year=2023&sort=%s&dir=%s" % (sort, direction))
                    self.assertEqual(sorted(rows), sorted(default_order))
                    keys = [key(sort, info[i]) for i in rows]
                    present = [k for k in keys if k is not None]
                    if sort == "carrier":
                        # No carrier is not a name: last, whatever the direction.
                        self.assertEqual(keys[:len(present)], present, "empty values not last")
                    else:
                        # "Sans état" may sort as a value of its own: first or last, together.
                        self.assertIn(present, (keys[:len(present)], keys[-len(present):]),
                                      "actions without a status are not grouped at one end")
                    want = sorted(present, reverse=direction == "desc")
                    self.assertEqual(present, want)
        _, rows = self.list_count("year=2023&sort=code&dir=asc")
        self.assertEqual(rows, default_order)
        _, rows = self.list_count("year=2023&sort=code&dir=desc")
        self.assertEqual(rows, default_order[::-1])
        _, rows = self.list_count("year=2023")
        self.assertEqual(rows, default_order)
        # Sorting keeps the filter.
        n, rows = self.list_count("kind=lead&sort=title&dir=desc")
        self.assertEqual(n, 40)

    def test_list_csv_export_follows_the_filters(self):
        import csv
        import io
        for query, sep in (("year=2023&kind=sheet", ","), ("year=2023&status=done_any", ","),
                           ("year=2020&kind=lead&sep=semicolon", ";")):
            with self.subTest(query=query):
                n, rows = self.list_count(query.replace("&sep=semicolon", ""))
                r = self.page("/contracts/%d/actions.csv?%s" % (CID, query))
                self.assertTrue(r.header("Content-Type").startswith("text/csv"))
                self.assertIn("attachment", r.header("Content-Disposition") or "")
                body = r.body.decode("utf-8")
                if sep == ";":
                    self.assertTrue(body.startswith("\ufeff"), "no BOM for Excel")
                records = list(csv.reader(io.StringIO(body.lstrip("\ufeff"), newline=""),
                                          delimiter=sep))
                self.assertGreater(len(records[0]), 3, "header: %r" % records[0])
                self.assertEqual(len([rec for rec in records[1:] if rec]), n)

    # ---- action and organisation pages ----------------------------------------------------

    def test_action_page_has_fields_and_history(self):
        """As a signed-in person sees it: remarks and recommendations are private to the
        signed-in unless the contract makes them public."""
        slug = "bus-itinerant"
        aid = ID_OF[slug]
        r = S.get("/actions/%d" % aid, headers=bearer(demo_token()))
        self.assertEqual(r.status, 200)
        page = r.text
        text = visible_text(page)
        a = next(x for x in D.actions if x["id"] == slug)
        self.assertIn(a["title"], text)
        self.assertIn(a["code"], text)
        self.assertIn("Fiche action", text)
        rows = [s for s in D.statuses if s["action_id"] == slug]
        self.assertEqual(len(rows), 4)
        for s in rows:
            with self.subTest(year=s["year"]):
                self.assertIn(s["year"], text)
                for field in ("remarks", "recommendations"):
                    if s[field].strip():
                        self.assertIn(" ".join(s[field].split()), text, field)
        self.assertIn(STATUS_LABELS["done_recurring"], text)
        # Carrier and co-carriers are links to their organisation pages.
        detail = S.get("/api/v1/actions/%d" % aid).json()
        orgs = detail.get("organisations") or []
        self.assertTrue(orgs)
        for o in orgs:
            self.assertIn('href="/organisations/%d"' % o["id"], page)

    def test_every_action_page_answers(self):
        for a in API_ACTIONS:
            with self.subTest(action=a["id"]):
                r = S.get("/actions/%d" % a["id"])
                self.assertEqual(r.status, 200)
                self.assertIn(escaped(a["title"]), r.text)

    def test_organisation_pages_list_what_they_carry(self):
        carriers = {}
        for a in API_ACTIONS:
            if a.get("carrier"):
                carriers.setdefault(a["carrier"]["id"], set()).add(a["id"])
        for oid, ids in carriers.items():
            with self.subTest(organisation=oid):
                r = self.page("/organisations/%d" % oid)
                linked = set(action_ids_in(r.text))
                self.assertTrue(ids <= linked, "missing actions %s" % sorted(ids - linked))

    # ---- errors -----------------------------------------------------------------------------

    def test_unknown_ids_are_404(self):
        for path in ("/contracts/999999", "/contracts/999999/tree", "/contracts/999999/actions",
                     "/contracts/999999/dashboard?year=2023", "/actions/999999",
                     "/organisations/999999", "/contracts/0", "/actions/0",
                     "/contracts/1/nothing", "/nothing", "/contracts/abc", "/actions/1x",
                     "/contracts/99999999999999999999"):
            with self.subTest(path=path):
                r = S.get(path)
                self.assertEqual(r.status, 404)
                self.assertEqual(r.header("Content-Type"), "text/html; charset=utf-8")
                self.assertIn('<html lang="fr"', r.text)
                self.assertIn("<h1", r.text)

    def test_unknown_contract_is_one_page(self):
        # One loader (web/kit/load.c) answers every screen of a contract that does not exist:
        # the dashboard, the plan, the Gantt chart and the meetings calendar each had their own
        # wording before.
        for path in ("/contracts/999999", "/contracts/999999/actions",
                     "/contracts/999999/dashboard", "/contracts/999999/governance",
                     "/contracts/999999/meetings", "/contracts/999999/meetings.ics",
                     "/contracts/999999/gantt", "/contracts/999999/action-plan"):
            with self.subTest(path=path):
                r = S.get(path)
                self.assertEqual(r.status, 404)
                text = visible_text(r.text)
                self.assertIn("Contrat introuvable", text)
                self.assertIn("Aucun contrat ne porte ce numéro. Choisissez-le dans la liste "
                              "des contrats.", text)

    def test_bad_parameters_are_400(self):
        base = "/contracts/%d" % CID
        for path in (base + "/actions?year=abc", base + "/actions?year=20233",
                     base + "/actions?year=-1", base + "/actions?kind=fiche",
                     base + "/actions?status=finished", base + "/actions?status=%3Cscript%3E",
                     base + "/actions?sort=price", base + "/actions?dir=up",
                     base + "/actions?specific=abc", base + "/actions?strategic=1.5",
                     base + "/actions?operational=-3", base + "/actions?carrier=x",
                     base + "/actions?no_carrier=maybe", base + "/actions?carrier_type=%3Cb%3E",
                     base + "/actions?q=%FF", base + "/actions?q=%C0%AF",
                     base + "/actions?q=a%00b", base + "/actions?year=%",
                     base + "/dashboard?year=abc", base + "/dashboard?year=2023x",
                     base + "?year=abc", base + "/tree?year=abc"):
            with self.subTest(path=path):
                r = S.get(path)
                self.assertEqual(r.status, 400)
                self.assertIn('<html lang="fr"', r.text)
                self.assertNotIn("<script", r.text)


if __name__ == "__main__":
    unittest.main()

"""test_region.py — the regional view of an ARS officer (/regions/{code} and
/api/v1/regions/{code}/summary): on synthetic contracts spread over two regions, several
departments and generations, with edge cases added in the database (an archived action, an
action added late, a status corrected after a campaign closed, a decreasing indicator, a meeting
of no body), the figures of the page and of the API equal the test's own computation from the
database and each contract's own pages (dashboard, governance page, campaign rate); the filters
keep what they say; only the region's accounts and the administrators see it, never a
contract's coordination nor the public; every number is a link that opens for its reader."""

import datetime
import html
import re
import time
import unittest

import common
from common import bearer, connect, new_db, run_cli

REGION, OTHER = 44, 11
PASSWORD = b"un mot de passe assez long pour les tests\n"
DONE = ("done_closed", "done_recurring", "done")
STATUSES = ("done_closed", "done_recurring", "done", "in_progress", "reflection", "not_started",
            "abandoned")


def regional_token(db, region, email):
    r = run_cli("user", "add", "--db", db, "--email", email, "--name", "Agent ARS",
                "--region", str(region), "--password-stdin", stdin=PASSWORD)
    assert r.returncode == 0, r.stderr
    r = run_cli("user", "token", "--db", db, "--email", email, "--name", "tests")
    assert r.returncode == 0, r.stderr
    return r.stdout.decode().strip().splitlines()[-1].strip()


def edge_cases(db):
    """What the synthetic data lacks, written as the product would store it."""
    con = connect(db)
    c = con.cursor()
    # Contracts 11 and 12 lie in Paris (region 11): the second region.
    c.execute("UPDATE territory SET department_code = '75' WHERE id IN (SELECT territory_id "
              "FROM contract WHERE slug IN ('synthetique-11', 'synthetique-12'))")
    cid = c.execute("SELECT id FROM contract WHERE slug = 'synthetique-1'").fetchone()[0]
    actions = [r[0] for r in c.execute("SELECT id FROM action WHERE contract_id = ? ORDER BY id",
                                       (cid,))]
    # An archived action counts nowhere; an action created in 2023 exists from 2023 only.
    c.execute("UPDATE action SET archived = 1 WHERE id = ?", (actions[0],))
    c.execute("UPDATE action SET created_at = '2023-05-02T10:00:00Z' WHERE id = ?", (actions[1],))
    c.execute("DELETE FROM action_status WHERE action_id = ? AND year < 2023", (actions[1],))
    # A later row of the same year replaces the earlier one (a correction after the close).
    c.execute("INSERT INTO action_status (action_id, year, status, recorded_at) VALUES "
              "(?, 2022, 'abandoned', '2025-01-01T00:00:00Z')", (actions[2],))
    c.execute("INSERT INTO action_status (action_id, year, status, recorded_at) VALUES "
              "(?, 2024, 'done_closed', '2030-01-01T00:00:00Z')", (actions[3],))
    # A decreasing indicator reached (target below baseline), an archived one.
    c.execute("INSERT INTO indicator (contract_id, action_id, name, kind, baseline, target, "
              "created_at) VALUES (?, ?, 'Délai moyen', 'result', 30, 10, '2021-01-01')",
              (cid, actions[4]))
    ind = c.lastrowid
    c.execute("INSERT INTO indicator_value (indicator_id, period, value, recorded_at) VALUES "
              "(?, '2023', 25, '2023-12-01'), (?, '2024', 8, '2024-12-01')", (ind, ind))
    c.execute("UPDATE indicator SET archived = 1 WHERE id = (SELECT min(id) FROM indicator "
              "WHERE contract_id = ? AND id <> ?)", (cid, ind))
    # A meeting of no body counts in no body's minimum.
    c.execute("INSERT INTO meeting (contract_id, uid, title, year, held_on, date_precision, "
              "status, created_at) VALUES (?, 'x@tests', 'Réunion libre', 2021, '2021-06-01', "
              "'day', 'held', '2021-06-01')", (cid,))
    # Contract 3 has no period: its governance counts the years of its meetings.
    c.execute("UPDATE contract SET start_year = NULL WHERE slug = 'synthetique-3'")
    con.commit()
    con.close()


# ---- the test's own computation, from the database ---------------------------------------------

def expected(db, region, department=None, generation=None):
    """{contract id: figures} computed here from the tables, by the rules the pages state."""
    con = connect(db)
    q = ("SELECT c.id, c.start_year, c.end_year FROM contract c JOIN territory t ON t.id = "
         "c.territory_id JOIN department d ON d.code = t.department_code WHERE d.region_code = ?")
    args = [region]
    if department:
        q += " AND t.department_code = ?"
        args.append(department)
    if generation:
        q += " AND c.generation = ?"
        args.append(generation)
    this_year = datetime.date.today().year
    out = {}
    for cid, start, end in con.execute(q, args).fetchall():
        f = {}
        acts = {a: (created, since) for a, created, since in con.execute(
            "SELECT id, created_at, coalesce(since_year, 0) FROM action WHERE contract_id = ? "
            "AND archived = 0", (cid,))}
        latest, first = {}, {}
        for a in acts:
            created, since = acts[a]
            cands = [int(created[:4])] + ([since] if since else [])
            first[a] = min(cands)
        for a, sid, year, status in con.execute(
                "SELECT s.action_id, s.id, s.year, s.status FROM action_status s JOIN action a ON "
                "a.id = s.action_id WHERE a.contract_id = ? AND a.archived = 0 ORDER BY s.id",
                (cid,)):
            latest[(a, year)] = status
            first[a] = min(first[a], year)
        years = sorted({y for (_, y) in latest})
        f["years"] = {}
        for y in years:
            counted = [a for a in acts if first[a] <= y]
            by = {s: 0 for s in STATUSES}
            none = 0
            for a in counted:
                s = latest.get((a, y))
                if s is None:
                    none += 1
                else:
                    by[s] += 1
            f["years"][y] = {"total": len(counted), "done": sum(by[s] for s in DONE),
                             "none": none, "by_status": by}
        # Indicators: active ones of active owners; latest value = latest row of the last period.
        active = with_target = reached = without = 0
        for iid, base, target in con.execute(
                "SELECT i.id, i.baseline, i.target FROM indicator i LEFT JOIN action x ON x.id = "
                "i.action_id LEFT JOIN objective o ON o.id = i.objective_id WHERE i.contract_id = "
                "? AND i.archived = 0 AND coalesce(x.archived, o.archived, 0) = 0", (cid,)):
            active += 1
            if target is None:
                continue
            with_target += 1
            row = con.execute("SELECT value FROM indicator_value WHERE indicator_id = ? ORDER BY "
                              "period DESC, id DESC LIMIT 1", (iid,)).fetchone()
            if row is None:
                without += 1
            elif (row[0] <= target) if (base is not None and target < base) else (row[0] >= target):
                reached += 1
        f["indicators"] = {"active": active, "with_target": with_target, "reached": reached,
                           "without_value": without}
        # Governance: the contract's period (else its meetings' years) up to this year.
        met = con.execute("SELECT min(year), max(year) FROM meeting WHERE contract_id = ?",
                          (cid,)).fetchone()
        lo = start or (met[0] or 0)
        hi = min(end or (met[1] or 0), this_year)
        required = held = 0
        bodies = con.execute("SELECT id, min_per_year FROM body WHERE contract_id = ?",
                             (cid,)).fetchall()
        if lo and hi and hi >= lo:
            for bid, mn in bodies:
                for y in range(lo, hi + 1):
                    n = con.execute("SELECT count(*) FROM meeting WHERE body_id = ? AND year = ? "
                                    "AND status = 'held'", (bid, y)).fetchone()[0]
                    required += mn
                    held += min(n, mn)
        f["governance"] = {"required": required, "held": held, "bodies": len(bodies)}
        # The latest campaign: answered among the actions that exist in its year.
        camp = con.execute("SELECT id, year, status_mark, close_mark, state FROM campaign WHERE "
                           "contract_id = ? ORDER BY year DESC LIMIT 1", (cid,)).fetchone()
        if camp:
            kid, year, mark, close, state = camp
            exists = {a for a in acts if first[a] <= year}
            answered = {a for (a,) in con.execute(
                "SELECT action_id FROM action_status WHERE year = ? AND id > ? AND (? IS NULL OR "
                "id <= ?)", (year, mark, close, close))}
            answered |= {a for (a,) in con.execute(
                "SELECT action_id FROM campaign_entry WHERE campaign_id = ?", (kid,))}
            f["campaign"] = {"id": kid, "year": year, "total": len(exists),
                             "answered": len(exists & answered),
                             "state": "open" if state == "open" else "closed"}
        else:
            f["campaign"] = None
        out[cid] = f
    con.close()
    return out


def api_figures(api):
    """{contract id: figures} of the API's answer, in expected()'s shape."""
    out = {}
    for c in api["contracts"]:
        camp = c["campaign"]
        out[c["id"]] = {
            "years": {y["year"]: {k: y[k] for k in ("total", "done", "none", "by_status")}
                      for y in c["years"]},
            "indicators": c["indicators"],
            "governance": {k: c["governance"][k] for k in ("required", "held", "bodies")},
            "campaign": None if camp is None else
            {k: camp[k] for k in ("id", "year", "total", "answered", "state")}}
    return out


# ---- reading the page ---------------------------------------------------------------------------

def page_rows(text):
    """{contract id: figures read from its row of the regional page}."""
    rows = {}
    for row in re.findall(r"<tr><th scope=\"row\"><a href=\"/contracts/(\d+)\">(.*?)</tr>", text,
                          re.S):
        cid, body = int(row[0]), html.unescape(row[1]).replace("\xa0", " ")
        years = {}
        for y, done, y2, total in re.findall(
                r"(\d{4}) : <a href=\"[^\"]*status=done_any\">(\d+) réalisées? \(\d+ %\)</a> sur "
                r"<a href=\"/contracts/\d+/actions\?year=(\d+)\">(\d+)</a>", body):
            assert y == y2
            years[int(y)] = {"done": int(done), "total": int(total)}
        r = {"years": years}
        m = re.search(r">(\d+)</a> avec cible sur <a[^>]*>(\d+)</a> ; <a[^>]*>(\d+)</a> atteinte",
                      body)
        r["indicators"] = tuple(map(int, m.groups())) if m else None
        m = re.search(r"(\d+) tenues? sur (\d+) requises?", body)
        r["governance"] = (int(m.group(1)), int(m.group(2))) if m else None
        m = re.search(r"(\d+) réponses? sur (\d+) \((\d+) %\)", body)
        r["campaign"] = (int(m.group(1)), int(m.group(2))) if m else None
        rows[cid] = r
    return rows


def links(text):
    """The links of the contracts' table, without fragments, each once."""
    table = text[text.index("<tbody>"):text.index("</tbody>")]
    out = []
    for href in re.findall(r'href="([^"]+)"', table):
        href = html.unescape(href).split("#")[0]
        if href not in out:
            out.append(href)
    return out


def setUpModule():
    global DB, SERVER, ARS, ARS_OTHER, ADMIN, COORD, CONTRACTS
    DB = new_db("region")
    r = run_cli("demo", "--synthetic", "12", "--db", DB, "--no-serve", timeout=300)
    assert r.returncode == 0, r.stderr
    edge_cases(DB)
    ARS = regional_token(DB, REGION, "ars-grand-est@region.test")
    ARS_OTHER = regional_token(DB, OTHER, "ars-idf@region.test")
    ADMIN = common.api_token(DB)
    con = connect(DB)
    CONTRACTS = dict(con.execute("SELECT slug, id FROM contract"))
    con.close()
    COORD = common.api_token(DB, "coordinator", CONTRACTS["synthetique-1"])
    SERVER = common.Server("region", DB, command="serve").start()


class Figures(unittest.TestCase):
    def api(self, query="", token=None):
        r = SERVER.get("/api/v1/regions/%d/summary%s" % (REGION, query), bearer(token or ARS))
        self.assertEqual(r.status, 200, r.text)
        return r.json()

    def test_api_equals_the_database(self):
        want = expected(DB, REGION)
        got = self.api()
        self.assertEqual(got["region"], {"code": 44, "name": "Grand Est"})
        self.assertEqual(got["count"], len(want))
        self.assertEqual(sorted(c["id"] for c in got["contracts"]), sorted(want))
        self.assertEqual(api_figures(got), want)

    def test_edge_cases_are_in_the_figures(self):
        """The cases added to contract 1 change what it shows, as the rules say."""
        c1 = [c for c in self.api()["contracts"] if c["id"] == CONTRACTS["synthetique-1"]][0]
        years = {y["year"]: y for y in c1["years"]}
        self.assertEqual(years[2020]["total"], 78)  # one archived, one added in 2023
        self.assertEqual(years[2023]["total"], 79)
        self.assertGreaterEqual(c1["indicators"]["reached"], 1)  # the decreasing indicator
        self.assertEqual(c1["campaign"]["state"], "open")

    def test_page_equals_the_api(self):
        api = {c["id"]: c for c in self.api()["contracts"]}
        r = SERVER.get("/regions/%d" % REGION, bearer(ARS))
        self.assertEqual(r.status, 200)
        rows = page_rows(r.text)
        self.assertEqual(sorted(rows), sorted(api))
        for cid, row in rows.items():
            c = api[cid]
            self.assertEqual(row["years"], {y["year"]: {"done": y["done"], "total": y["total"]}
                                            for y in c["years"]})
            i = c["indicators"]
            self.assertEqual(row["indicators"], (i["with_target"], i["active"], i["reached"]))
            g = c["governance"]
            self.assertEqual(row["governance"], (g["held"], g["required"]))
            k = c["campaign"]
            self.assertEqual(row["campaign"], (k["answered"], k["total"]) if k else None)

    def test_each_contract_pages_say_the_same(self):
        """Dashboard (per year), governance page, and the campaign rate of campaign.c."""
        api = self.api()["contracts"]
        for c in api:
            dash = SERVER.get("/contracts/%d/dashboard" % c["id"]).text
            for y in c["years"]:
                # The trend table: a row per year, its last two cells the done total and total.
                m = re.search(r"<tr><th scope=\"row\">%d</th>(.*?)</tr>" % y["year"], dash, re.S)
                self.assertTrue(m, "no %d row on dashboard %d" % (y["year"], c["id"]))
                cells = [int(v) for v in re.findall(r">(\d+)</a></td>", m.group(1))]
                self.assertEqual(cells[-2:], [y["done"], y["total"]], (c["id"], y["year"]))
            gov = html.unescape(SERVER.get("/contracts/%d/governance" % c["id"]).text)
            g = c["governance"]
            if g["required"]:
                self.assertIn("%d des %d réunions requises" % (g["held"], g["required"]), gov)
            detail = html.unescape(SERVER.get("/regions/%d/contracts/%d" % (REGION, c["id"]),
                                              bearer(ARS)).text).replace("\xa0", " ")
            k = c["campaign"]
            self.assertIn("%d réponses sur %d actions" % (k["answered"], k["total"]), detail)
            i = c["indicators"]
            self.assertIn("%d indicateurs, dont %d avec une cible ; %d atteignent"
                          % (i["active"], i["with_target"], i["reached"]), detail)
            # The coordination's own campaign page (campaign_rate) gives the same rate.
            camp = html.unescape(SERVER.get("/contracts/%d/campaigns/%d" % (c["id"], k["id"]),
                                            bearer(ADMIN)).text).replace("\xa0", " ")
            self.assertRegex(camp, r"\b%d\b[^<]*\b%d\b" % (k["answered"], k["total"]))

    def test_filters(self):
        for query, dep, gen in (("?department=55", "55", None), ("?generation=2", None, 2),
                                ("?department=08&generation=2", "08", 2),
                                ("?department=54&generation=1", "54", 1)):
            want = expected(DB, REGION, dep, gen)
            got = self.api(query)
            self.assertEqual(sorted(c["id"] for c in got["contracts"]), sorted(want), query)
            for c in got["contracts"]:
                if dep:
                    self.assertEqual(c["department"]["code"], dep)
                if gen:
                    self.assertEqual(c["generation"], gen)
            page = SERVER.get("/regions/%d%s" % (REGION, query), bearer(ARS)).text
            self.assertEqual(sorted(page_rows(page)), sorted(want), query)
        self.assertTrue(expected(DB, REGION, "55"), "the test needs contracts in the Meuse")
        self.assertEqual(self.api("?department=54&generation=3")["count"], 0)

    def test_bad_filters_are_refused_in_french(self):
        for query, word in (("?department=xx", "department"), ("?department=75", "department"),
                            ("?generation=deux", "generation"), ("?generation=0", "generation")):
            r = SERVER.get("/api/v1/regions/%d/summary%s" % (REGION, query), bearer(ARS))
            self.assertEqual(r.status, 400, query)
            self.assertIn("« %s »" % word, r.json()["error"])
            r = SERVER.get("/regions/%d%s" % (REGION, query), bearer(ARS))
            self.assertEqual(r.status, 400, query)

    def test_other_region_has_its_own_contracts(self):
        r = SERVER.get("/api/v1/regions/%d/summary" % OTHER, bearer(ARS_OTHER))
        self.assertEqual(r.status, 200)
        self.assertEqual(sorted(c["id"] for c in r.json()["contracts"]),
                         sorted([CONTRACTS["synthetique-11"], CONTRACTS["synthetique-12"]]))
        self.assertEqual(r.json()["contracts"], self.api_other_admin())

    def api_other_admin(self):
        return SERVER.get("/api/v1/regions/%d/summary" % OTHER, bearer(ADMIN)).json()["contracts"]


class Writes(unittest.TestCase):
    """The figures follow a write at once, on the page and in the API (nothing stale is kept)."""

    def test_a_new_status_shows_at_once(self):
        cid = CONTRACTS["synthetique-5"]
        con = connect(DB)
        aid = con.execute("SELECT id FROM action WHERE contract_id = ? AND archived = 0 AND id "
                          "NOT IN (SELECT action_id FROM action_status WHERE year = 2024 AND "
                          "status LIKE 'done%') ORDER BY id LIMIT 1", (cid,)).fetchone()[0]
        con.close()

        def done_2024():
            api = SERVER.get("/api/v1/regions/%d/summary?department=%s" % (REGION, "54"),
                             bearer(ARS)).json()
            c = [c for c in api["contracts"] if c["id"] == cid][0]
            page = SERVER.get("/regions/%d?department=54" % REGION, bearer(ARS)).text
            return [y["done"] for y in c["years"] if y["year"] == 2024][0], \
                page_rows(page)[cid]["years"][2024]["done"]

        before = done_2024()
        self.assertEqual(before, done_2024())  # asked twice, the same
        r = SERVER.request("POST", "/api/v1/actions/%d/status" % aid,
                           b'{"year": 2024, "status": "done_closed", "remarks": "Fini"}',
                           dict(bearer(ADMIN), **{"Content-Type": "application/json"}))
        self.assertIn(r.status, (200, 201), r.text)
        self.assertEqual(done_2024(), (before[0] + 1, before[1] + 1))
        self.assertEqual(expected(DB, REGION, "54")[cid]["years"][2024]["done"], before[0] + 1)


    def test_writes_by_another_program_show_at_once(self):
        """Each kind of row the figures are read from, written straight into the database (as
        another server, psql or a script would): the regional view, which counts again only
        the contracts written since it last read them, shows each change at the next request,
        and every other contract stays right."""
        cid = CONTRACTS["synthetique-9"]
        api = "/api/v1/regions/%d/summary" % REGION
        self.assertEqual(api_figures(SERVER.get(api, bearer(ARS)).json()), expected(DB, REGION))
        writes = [
            ("a status", "INSERT INTO action_status (action_id, year, status, recorded_at) "
             "SELECT min(a.id), 2024, 'abandoned', '2026-01-01T00:00:00Z' FROM action a WHERE "
             "a.contract_id = ? AND a.archived = 0 AND NOT EXISTS (SELECT 1 FROM action_status "
             "s WHERE s.action_id = a.id AND s.year = 2024 AND s.status = 'abandoned')"),
            ("an archived action", "UPDATE action SET archived = 1 WHERE id = (SELECT max(id) "
             "FROM action WHERE contract_id = ? AND archived = 0)"),
            ("an indicator's values", "DELETE FROM indicator_value WHERE indicator_id = (SELECT "
             "min(i.id) FROM indicator i JOIN indicator_value v ON v.indicator_id = i.id WHERE "
             "i.contract_id = ? AND i.target IS NOT NULL AND i.archived = 0)"),
            ("an indicator's target", "UPDATE indicator SET target = NULL WHERE id = (SELECT "
             "min(id) FROM indicator WHERE contract_id = ? AND target IS NOT NULL AND archived = "
             "0)"),
            ("a body's minimum", "UPDATE body SET min_per_year = min_per_year + 1 WHERE "
             "contract_id = ?"),
            ("meetings cancelled", "UPDATE meeting SET status = 'cancelled' WHERE contract_id = "
             "? AND status = 'held'"),
            ("the contract's period", "UPDATE contract SET end_year = end_year - 1 WHERE id = ?"),
            ("the campaign's close", "UPDATE campaign SET state = 'closed', close_mark = "
             "status_mark WHERE contract_id = ?"),
        ]
        for what, sql in writes:
            before = expected(DB, REGION)
            con = connect(DB)
            cur = con.cursor()
            cur.execute(sql, (cid,))
            self.assertGreater(cur.rowcount, 0, what)
            con.commit()
            con.close()
            after = expected(DB, REGION)
            self.assertNotEqual(after[cid], before[cid], what)  # the write changes a figure
            got = api_figures(SERVER.get(api, bearer(ARS)).json())
            self.assertEqual(got[cid], after[cid], what)
            self.assertEqual(got, after, what)


    def test_figures_are_counted_ahead_at_start(self):
        """The server counts every region's contracts when it starts (a thread of its own), so
        the first view after a start reads only what was written since."""
        deadline = time.time() + 30
        while "counted ahead" not in SERVER.log() and time.time() < deadline:
            time.sleep(0.05)
        self.assertRegex(SERVER.log(), r"regional figures of 12 contracts counted ahead in \d+ ms")


class Permissions(unittest.TestCase):
    def test_public_is_sent_to_sign_in(self):
        r = SERVER.get("/regions/%d" % REGION)
        self.assertEqual(r.status, 303)
        self.assertTrue(r.header("Location").startswith("/login"))
        self.assertEqual(SERVER.get("/api/v1/regions/%d/summary" % REGION).status, 401)
        self.assertEqual(SERVER.get("/regions").status, 303)

    def test_coordinator_of_a_contract_sees_no_region(self):
        for path in ("/regions/%d" % REGION, "/api/v1/regions/%d/summary" % REGION,
                     "/regions/%d/contracts/%d" % (REGION, CONTRACTS["synthetique-1"]), "/regions"):
            self.assertEqual(SERVER.get(path, bearer(COORD)).status, 403, path)

    def test_officer_reads_only_its_region(self):
        self.assertEqual(SERVER.get("/regions/%d" % OTHER, bearer(ARS)).status, 403)
        self.assertEqual(SERVER.get("/api/v1/regions/%d/summary" % OTHER, bearer(ARS)).status,
                         403)
        self.assertEqual(SERVER.get("/regions/99", bearer(ARS)).status, 404)
        # A contract of the other region is not found under this one.
        self.assertEqual(SERVER.get("/regions/%d/contracts/%d" % (REGION,
                                    CONTRACTS["synthetique-11"]), bearer(ARS)).status, 404)
        listing = SERVER.get("/regions", bearer(ARS)).text
        self.assertIn('href="/regions/44"', listing)
        self.assertNotIn('href="/regions/11"', listing)
        admin = SERVER.get("/regions", bearer(ADMIN)).text
        self.assertIn('href="/regions/11"', admin)

    def test_officer_sees_nothing_private_nor_forms(self):
        cid = CONTRACTS["synthetique-1"]
        for path in ("/contracts/%d/evaluation" % cid, "/contracts/%d/people" % cid,
                     "/contracts/%d/edit" % cid, "/contracts/%d/campaigns" % cid):
            self.assertEqual(SERVER.get(path, bearer(ARS)).status, 403, path)
        detail = SERVER.get("/regions/%d/contracts/%d" % (REGION, cid), bearer(ARS)).text
        self.assertNotIn("@", re.sub(r"<[^>]+>", "", detail))  # no contact address

    def test_every_number_is_a_link_that_opens(self):
        page = SERVER.get("/regions/%d" % REGION, bearer(ARS)).text
        table = page[page.index("<tbody>"):page.index("</tbody>")]
        bare = re.sub(r"<a [^>]*>.*?</a>", "", table, flags=re.S)
        bare = re.sub(r"<[^>]+>", " ", bare)
        # Outside links: only years, departments, generations, the governance period.
        for n in re.findall(r"\d+", html.unescape(bare)):
            self.assertTrue(len(n) == 4 or len(n) <= 2, n)
        hrefs = links(page)
        self.assertGreater(len(hrefs), 10)
        for href in hrefs:
            self.assertEqual(SERVER.get(href, bearer(ARS)).status, 200, href)
        # The rows behind a contract's figures link to public pages only: carriers, axes,
        # actions, objectives.
        detail = SERVER.get("/regions/%d/contracts/%d" % (REGION, CONTRACTS["synthetique-2"]),
                            bearer(ARS)).text
        inner = [h for h in re.findall(r'href="(/(?:organisations|objectives|actions)/\d+)"',
                                       detail)]
        self.assertGreater(len(inner), 5)
        for href in sorted(set(inner)):
            self.assertEqual(SERVER.get(href).status, 200, href)


if __name__ == "__main__":
    unittest.main()

"""test_xss.py — text that looks like markup, imported in every field a user controls (contract
title, territory, objective, action, carrier, remarks, recommendations, search box), is shown as
text on every page: no tag or attribute of ours comes from it, the raw `<script>alert(1)` never
appears, and the JSON API still parses and gives the text back exactly. The contract is created
with `boussole import --new-contract` on an empty database, then served."""

import html.parser
import re
import unittest
import urllib.parse

from common import Server, api_token, bearer, new_db, run_cli, tmp_path

SCRIPT = "<script>alert(1)</script>"
QUOTES = "\"quotes' & ampersands"
IMG = "<img src=x onerror=alert(2)>"
ATTR = "' onmouseover='alert(3)' x=\""
PAYLOAD = SCRIPT + " " + QUOTES
TITLE = "Contrat " + PAYLOAD
TERRITORY = "Territoire " + SCRIPT + " & " + QUOTES


SVG_TAGS = ("svg", "text", "tspan", "rect", "line", "circle", "path", "pattern", "use", "g",
            "image")


def csv_cell(s):
    return '"' + s.replace('"', '""') + '"'


ROWS = [
    ("1.1", "Objectif " + PAYLOAD, "Action " + PAYLOAD, "1.1.1", "Porteur " + PAYLOAD,
     "En cours", "Remarque " + PAYLOAD + " " + IMG, "Préconisation " + PAYLOAD + " " + ATTR),
    ("1.1", "Objectif " + PAYLOAD, "Piste " + IMG + " " + QUOTES, "Piste", "Porteur " + ATTR,
     "Réalisée", "(+) " + ATTR, ""),
    ("2.1", "Second " + ATTR, "Autre " + SCRIPT, "2.1.1", "", "Non commencée",
     "</textarea></title>" + SCRIPT, "<!-- " + QUOTES),
    ("2.2", "Troisième " + IMG, "Encore " + QUOTES, "2.2.1", "Porteur " + PAYLOAD,
     "Abandonnée", "", ""),
]


class Tags(html.parser.HTMLParser):
    """Collects start tags with their attributes and the text of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def setUpModule():
    global S, CID, ACTIONS, TOKEN
    db = new_db("xss.db")
    r = run_cli("init", "--db", db)
    if r.returncode != 0:
        raise RuntimeError("init failed: " + r.stderr)
    table = "code_objectif,objectif,action,fiche,porteur,etat,remarques,preconisations\r\n"
    for row in ROWS:
        table += ",".join(csv_cell(c) for c in row) + "\r\n"
    path = tmp_path("xss.csv")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(table)
    r = run_cli("import", "--db", db, "--new-contract", TITLE, "--territory", TERRITORY,
                "--year", "2023", "--yes", path)
    if r.returncode != 0:
        raise RuntimeError("import --new-contract refused the table: " + r.stderr)
    m = re.search(r"Contrat créé : (\d+)", r.stdout.decode("utf-8"))
    if not m:
        raise RuntimeError("import --new-contract did not print 'Contrat créé : ID'")
    CID = int(m.group(1))
    # A second contract, so that / lists them instead of opening the only one.
    r = run_cli("import", "--db", db, "--new-contract", "Autre " + SCRIPT, "--territory",
                "Ailleurs " + QUOTES, "--year", "2022", "--yes", path)
    if r.returncode != 0:
        raise RuntimeError("second import --new-contract failed: " + r.stderr)
    S = Server("xss", db, command="serve").start()
    TOKEN = api_token(db)  # an administrator: sees remarks and people, and the "Modifier" links
    doc = S.get("/api/v1/contracts/%d/actions?year=2023" % CID).json()
    ACTIONS = doc["actions"] if isinstance(doc, dict) else doc


class Escaping(unittest.TestCase):
    def check_page(self, path, must_show=(), must_show_signed_in=()):
        """Checks the page as the public sees it and as a signed-in administrator sees it (more
        fields, edit links and forms); returns the public page."""
        public = self.check_one(path, must_show, None)
        self.check_one(path, tuple(must_show) + tuple(must_show_signed_in), bearer(TOKEN))
        return public

    def check_one(self, path, must_show, headers):
        r = S.get(path, headers=headers)
        self.assertEqual(r.status, 200, path)
        page = r.text
        self.assertNotIn("<script>alert(1)", page)
        self.assertNotRegex(page, r"(?i)<script", "a <script> tag")
        self.assertNotRegex(page, r"(?i)<img\s+src=x", "an <img> from the data")
        p = Tags()
        p.feed(page)
        p.close()
        for tag, attrs in p.tags:
            self.assertNotIn(tag, ("script", "iframe", "object", "embed"), tag)
            for name, value in attrs:
                self.assertFalse(name.startswith("on"), "attribute %s on <%s>" % (name, tag))
                self.assertNotEqual(name, "src", "src=%r on <%s>" % (value, tag))
                if name == "x":  # x= is an SVG coordinate; on an HTML tag it came from the data
                    self.assertIn(tag, SVG_TAGS, "attribute x=%r on <%s>" % (value, tag))
                if name == "href" and value:
                    self.assertFalse(value.strip().lower().startswith("javascript:"), value)
        text = " ".join(" ".join(p.text).split())
        for s in must_show:
            self.assertIn(" ".join(s.split()), text, "%s does not show %r as text" % (path, s))
        return page

    def test_home(self):
        self.check_page("/contracts/%d" % CID, [TITLE, TERRITORY])

    def test_contract_index(self):
        r = S.get("/")
        if r.status in (302, 303):
            self.fail("/ redirected although there are two contracts")
        self.check_page("/", [TITLE])

    def test_tree(self):
        self.check_page("/contracts/%d/tree" % CID,
                        ["Objectif " + PAYLOAD, "Action " + PAYLOAD, "Autre " + SCRIPT])

    def test_list(self):
        self.check_page("/contracts/%d/actions" % CID, ["Action " + PAYLOAD, "Porteur " + PAYLOAD])
        self.check_page("/contracts/%d/actions?year=2023&sort=title&dir=desc" % CID,
                        ["Action " + PAYLOAD])

    def test_list_search_box_echo(self):
        """The search text comes back in the form's value="…" and in links."""
        for q in (SCRIPT, '"><script>alert(1)</script>', ATTR, IMG, QUOTES):
            with self.subTest(q=q):
                page = self.check_page("/contracts/%d/actions?q=%s"
                                       % (CID, urllib.parse.quote(q, safe="")))
                p = Tags()
                p.feed(page)
                values = [dict(a).get("value") for t, a in p.tags
                          if t == "input" and dict(a).get("name") == "q"]
                self.assertEqual(values, [q], "the search box does not hold the text searched")

    def test_dashboard(self):
        self.check_page("/contracts/%d/dashboard?year=2023" % CID)
        self.check_page("/contracts/%d/dashboard" % CID)

    def test_every_action_page(self):
        self.assertEqual(len(ACTIONS), len(ROWS))
        for a in ACTIONS:
            with self.subTest(action=a["id"]):
                self.check_page("/actions/%d" % a["id"], [a["title"]])
        first = next(a for a in ACTIONS if a["title"] == "Action " + PAYLOAD)
        self.check_page("/actions/%d" % first["id"], ["Porteur " + PAYLOAD],
                        ["Remarque " + PAYLOAD + " " + IMG,
                         "Préconisation " + PAYLOAD + " " + ATTR])

    def test_every_organisation_page(self):
        carriers = {a["carrier"]["id"]: a["carrier"]["name"] for a in ACTIONS if a.get("carrier")}
        self.assertIn("Porteur " + PAYLOAD, carriers.values())
        for oid, name in carriers.items():
            with self.subTest(organisation=oid):
                self.check_page("/organisations/%d" % oid, [name])

    def test_signed_in_pages_and_forms(self):
        """Pages and forms beyond the foundation's screens, where they exist: the data goes into
        input values and textareas there (a "</textarea>" in the remarks must stay text)."""
        objectives = S.get("/api/v1/contracts/%d/objectives" % CID).json()
        objectives = objectives["objectives"] if isinstance(objectives, dict) else objectives
        paths = ["/contracts/%d/edit" % CID, "/contracts/%d/signatories" % CID,
                 "/contracts/%d/audit" % CID, "/contracts/%d/actions/new" % CID,
                 "/contracts/%d/objectives/new" % CID, "/account", "/admin/accounts"]
        paths += ["/objectives/%d/edit" % o["id"] for o in objectives]
        for a in ACTIONS:
            paths += ["/actions/%d/edit" % a["id"], "/actions/%d/history" % a["id"]]
            if a.get("carrier"):
                paths.append("/organisations/%d/edit" % a["carrier"]["id"])
        for path in paths:
            r = S.get(path, headers=bearer(TOKEN))
            if r.status == 404 and path.split("/")[-1] in ("edit", "history", "audit", "new",
                                                           "signatories", "accounts", "account"):
                continue  # not written (yet): nothing to check
            with self.subTest(path=path):
                self.check_one(path, (), bearer(TOKEN))

    def test_error_pages_do_not_echo_markup(self):
        # A wrong filter value is the client's error (400, filters.c); a path no route takes
        # is a missing page (404, router.c).
        for path, status in (
                ("/contracts/%d/actions?status=%s" % (CID, urllib.parse.quote(SCRIPT)), 400),
                ("/contracts/%d/actions?year=%s" % (CID, urllib.parse.quote(IMG)), 400),
                ("/%s" % urllib.parse.quote(SCRIPT), 404)):
            with self.subTest(path=path):
                r = S.get(path)
                self.assertEqual(r.status, status)
                self.assertNotRegex(r.text, r"(?i)<script|<img")

    def test_api_gives_the_text_back_exactly(self):
        doc = S.get("/api/v1/contracts").json()
        contracts = doc["contracts"] if isinstance(doc, dict) else doc
        mine = next(c for c in contracts if c["id"] == CID)
        self.assertEqual(mine["title"], TITLE)
        self.assertEqual(mine["territory"]["name"], TERRITORY)
        titles = sorted(a["title"] for a in ACTIONS)
        self.assertEqual(titles, sorted(r[2] for r in ROWS))
        for a in ACTIONS:
            with self.subTest(action=a["id"]):
                # Remarks are the contract's people's (signed in), as on the pages.
                r = S.get("/api/v1/actions/%d" % a["id"], headers=bearer(TOKEN))
                self.assertNotIn(b"<", r.body)  # written \u003c
                d = r.json()
                row = next(x for x in ROWS if x[2] == a["title"])
                self.assertEqual(d["statuses"][-1]["remarks"] or "", row[6])
                self.assertEqual(d["statuses"][-1]["recommendations"] or "", row[7])
        r = S.get("/api/v1/contracts/%d/objectives" % CID)
        self.assertNotIn(b"<", r.body)
        doc = r.json()
        objs = doc["objectives"] if isinstance(doc, dict) else doc
        self.assertIn("Objectif " + PAYLOAD, [o["title"] for o in objs])

    def test_csv_export_is_not_html(self):
        r = S.get("/contracts/%d/actions.csv" % CID)
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/csv"), r.header("Content-Type"))
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")


if __name__ == "__main__":
    unittest.main()

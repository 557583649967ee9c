"""The import screen must show every change before writing (issue 10, point 15): the demo's own
export, edited as a coordinator's copy would be ("CD 55", "MDS Saint-Mihiel", an accent lost, a
new organisation, a new action), over a carrier's own 2024 status. Nothing changes before the
confirmation; the confirmation applies exactly the choices made; a duplicated row is an error
naming both rows; UTF-16, tab-separated and Windows-1252 files get one message each."""

import csv
import io
import re
import unittest
import urllib.parse

import common
from common import connect, run_cli, visible_text
from test_report import PASSWORD, Browser, add_account, demo_db

CARRIER_ORG = 23  # EHPAD d'Hannonville, carrier of action 10
CARRIER_ACTION = 10


def sql(db, query, *args):
    with connect(db) as c:
        return c.execute(query, args).fetchall()


def dump(db):
    """Everything an import may change."""
    return [sql(db, "SELECT * FROM %s ORDER BY id" % t)
            for t in ("action", "action_status", "organisation", "audit_log")] + \
        [sql(db, "SELECT * FROM action_organisation ORDER BY action_id, organisation_id, role")]


class Import(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.db = demo_db("import-plan.db")
        add_account(cls.db, "coordination@import.test", "coordinator")
        r = run_cli("user", "add", "--db", cls.db, "--email", "porteur@import.test", "--name",
                    "Paule Porteuse", "--role", "carrier", "--contract", "1", "--organisation",
                    str(CARRIER_ORG), "--password-stdin", stdin=(PASSWORD + "\n").encode())
        if r.returncode != 0:
            raise RuntimeError(r.stderr)
        r = run_cli("export", "--db", cls.db, "--contract", "1", "--format", "csv",
                    "--year", "2023")
        if r.returncode != 0:
            raise RuntimeError(r.stderr)
        cls.rows = list(csv.reader(io.StringIO(r.stdout.decode("utf-8-sig"), newline="")))
        cls.server = common.Server("import", cls.db, command="serve").start()
        # The carrier enters its own 2024 status before the coordinator imports.
        carrier = Browser(cls.server)
        carrier.login("porteur@import.test", PASSWORD)
        carrier.get("/actions/%d/edit" % CARRIER_ACTION)
        r = carrier.post("/actions/%d/status" % CARRIER_ACTION,
                         {"year": "2024", "status": "done", "remarks": "Saisi par le porteur",
                          "recommendations": ""})
        if r.status != 303:
            raise RuntimeError("carrier status: %d %s" % (r.status, r.text[:300]))

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def coordinator(self):
        b = Browser(self.server)
        b.login("coordination@import.test", PASSWORD)
        return b

    def line_of(self, title_start):
        h = self.rows[0]
        for i, r in enumerate(self.rows[1:], start=2):
            if r[h.index("action")].startswith(title_start):
                return i
        raise KeyError(title_start)

    def edited(self, duplicate=False):
        """The export as a coordinator's copy: carriers in their own words, one accent lost,
        a new carrier, a new action (and, with duplicate, a lead row written twice)."""
        rows = [list(r) for r in self.rows]
        h = rows[0]
        col = h.index

        def cell(title, name, value):
            rows[self.line_of(title) - 1][col(name)] = value

        cell("Acquérir un bus itinérant", "porteur", "CD 55")  # CD55 is an alias
        cell("Projet mobilité", "porteur", "CD 55")  # PETR → département
        cell("Actions MDS pour les mères isolées", "porteur", "MDS Saint-Mihiel")
        cell("Développement info sur activités", "porteur", "Association Nouvelle Vague")
        lead = self.line_of("Travail sur la mixité")
        rows[lead - 1][col("action")] = rows[lead - 1][col("action")].replace("mixité", "mixite")
        rows.append(["1.1", "", "Nouvelle navette solidaire", "", "PETR Cœur de Lorraine",
                     "En cours", "", ""])
        if duplicate:
            rows.append(list(rows[lead - 1]))
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        return out.getvalue().encode("utf-8"), len(rows)

    def upload(self, b, content, name="suivi.csv", year="2024"):
        r = b.upload("/contracts/1/import", {"year": year}, name, content)
        return r

    def preview(self, b, content):
        r = self.upload(b, content)
        self.assertEqual(r.status, 303, visible_text(r.text)[:400])
        where = r.header("location")
        page = b.get(where)
        self.assertEqual(page.status, 200, visible_text(page.text)[:400])
        return urllib.parse.urlparse(where).path, page

    @staticmethod
    def form_of(page):
        """The hidden fields and checked radios of the import form."""
        html = page.text[page.text.index('id="plan"') - 2000:]
        fields = {}
        for m in re.finditer(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html):
            fields[m.group(1)] = m.group(2)
        for m in re.finditer(r'<input type="radio" id="[^"]+" name="([^"]+)" value="([^"]*)" '
                             r'checked', html):
            fields[m.group(1)] = m.group(2)
        fields.pop("csrf", None)
        return fields

    def test_preview_lists_every_change_and_confirmation_applies_the_choices(self):
        b = self.coordinator()
        content, last = self.edited()
        before = dump(self.db)
        post, page = self.preview(b, content)
        text = visible_text(page.text)
        self.assertEqual(dump(self.db), before, "the preview wrote something")
        mds = sql(self.db, "SELECT id FROM organisation WHERE name = "
                           "'Maison de la Solidarité de Saint-Mihiel'")[0][0]
        mds_line = self.line_of("Actions MDS pour les mères isolées")
        nv_line = self.line_of("Développement info sur activités")
        # Counts by kind, then each change.
        for label, n in (("Actions nouvelles", 1), ("Organisations nouvelles", 2),
                         ("Porteurs changés", 3), ("États remplacés", 1)):
            self.assertRegex(page.text, r"%s</th><td class=\"num\">%d<" % (label, n), label)
        self.assertIn("Ligne %d : « Nouvelle navette solidaire »" % last, text)
        self.assertIn("« MDS Saint-Mihiel » (ligne %d)" % mds_line, text)
        self.assertIn("C'est « Maison de la Solidarité de Saint-Mihiel » (proche à 100 %)", text)
        self.assertRegex(page.text, r'name="org_%d" value="%d" checked' % (mds_line, mds))
        self.assertIn("« Association Nouvelle Vague » (ligne %d)" % nv_line, text)
        self.assertRegex(page.text, r'name="org_%d" value="new" checked' % nv_line)
        self.assertNotIn("CD 55 »", text)  # the alias CD55: no new organisation
        self.assertRegex(text, r"Projet mobilité PETR Cœur de Lorraine Conseil départemental "
                               r"de la Meuse")
        plan = text[text.index("Ce que l'import va changer"):]
        self.assertNotIn("mixite", plan)  # accent lost: still the same action
        carrier_line = [i for i, r in enumerate(self.rows[1:], start=2)
                        if r[self.rows[0].index("action")] ==
                        sql(self.db, "SELECT title FROM action WHERE id = ?",
                            CARRIER_ACTION)[0][0]][0]
        self.assertIn("Ligne %d" % carrier_line, text)
        self.assertIn("Réalisée, saisi par Paule Porteuse", text)
        self.assertIn("Saisi par un autre compte", text)
        self.assertRegex(page.text, r'name="status_%d" value="keep" checked' % carrier_line)

        # Posting without the plan shown only shows it again; nothing is written.
        fields = self.form_of(page)
        r = b.post(post, {k: v for k, v in fields.items() if k != "plan"})
        self.assertEqual(r.status, 200)
        self.assertIn("Vérifiez les changements", r.text)
        self.assertEqual(dump(self.db), before)

        # Confirmed with its choices: exactly those are applied.
        r = b.post(post, fields)
        self.assertEqual(r.status, 200, visible_text(r.text)[:800])
        self.assertIn("Tableau importé", r.text)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM organisation WHERE name IN "
                                      "('CD 55', 'MDS Saint-Mihiel')"), [(0,)])
        self.assertEqual(sql(self.db, "SELECT count(*) FROM organisation WHERE name = "
                                      "'Association Nouvelle Vague'"), [(1,)])
        self.assertEqual(sql(self.db, "SELECT count(*) FROM action WHERE title LIKE "
                                      "'%mixite%' OR title = 'Nouvelle navette solidaire'"),
                         [(1,)])

        def carrier_of(title):
            return sql(self.db, "SELECT o.name FROM action a JOIN action_organisation ao ON "
                                "ao.action_id = a.id AND ao.role = 'carrier' JOIN organisation "
                                "o ON o.id = ao.organisation_id WHERE a.title LIKE ?",
                       title + "%")

        self.assertEqual(carrier_of("Projet mobilité"), [("Conseil départemental de la Meuse",)])
        self.assertEqual(carrier_of("Actions MDS pour les mères isolées"),
                         [("Maison de la Solidarité de Saint-Mihiel",)])
        self.assertEqual(carrier_of("Acquérir un bus itinérant"),
                         [("Conseil départemental de la Meuse",)])
        self.assertEqual(carrier_of("Développement info sur activités"),
                         [("Association Nouvelle Vague",)])
        latest = sql(self.db, "SELECT remarks FROM action_status WHERE action_id = ? AND "
                              "year = 2024 ORDER BY id DESC LIMIT 1", CARRIER_ACTION)
        self.assertEqual(latest, [("Saisi par le porteur",)])  # kept
        audit = sql(self.db, "SELECT field, old_value, new_value FROM audit_log WHERE "
                             "field = 'carrier' ORDER BY id")
        self.assertIn(("carrier", "PETR Cœur de Lorraine", "Conseil départemental de la Meuse"),
                      audit)
        journal = sql(self.db, "SELECT actor, new_value FROM audit_log WHERE entity = "
                               "'contract' AND field = 'import:2024'")
        self.assertEqual(len(journal), 1, journal)
        self.assertIn("suivi.csv", journal[0][0])
        self.assertIn("1 actions créées, 1 organisations créées, 2 porteurs changés", journal[0][1])
        # Imported again: no new action; the carrier's status is still to keep, and the MDS's
        # spelling still proposed as the same organisation (the choice is not remembered).
        _, page = self.preview(b, content)
        for label, n in (("Actions nouvelles", 0), ("Organisations nouvelles", 1),
                         ("Porteurs changés", 1), ("États remplacés", 1)):
            self.assertRegex(page.text, r"%s</th><td class=\"num\">%d<" % (label, n), label)

    def test_choices_refuse_a_row_match_an_action_replace_a_status(self):
        db = demo_db("import-choices.db")
        server = common.Server("import-choices", db, command="serve").start()
        try:
            add_account(db, "coordination@import.test", "coordinator")
            b = Browser(server)
            b.login("coordination@import.test", PASSWORD)
            rows = [list(r) for r in self.rows]
            h = rows[0]
            lead = self.line_of("Travail sur la mixité")
            existing = rows[lead - 1][h.index("action")]
            rows[lead - 1][h.index("action")] = "Mixité des publics EHPAD et résidences"
            rows[lead - 1][h.index("etat")] = "Abandonnée"
            rows.append(["1.1", "", "Action refusée", "", "", "En cours", "", ""])
            out = io.StringIO()
            csv.writer(out, lineterminator="\r\n").writerows(rows)
            r = b.upload("/contracts/1/import", {"year": "2023"}, "a.csv",
                         out.getvalue().encode())
            where = r.header("location")
            post = urllib.parse.urlparse(where).path
            page = b.get(where)
            self.assertIn("Ligne %d : « Mixité des publics EHPAD" % lead, visible_text(page.text))
            existing_id = sql(db, "SELECT id FROM action WHERE title = ?", existing)[0][0]
            self.assertRegex(page.text, r'name="action_%d" value="%d"' % (lead, existing_id))
            fields = self.form_of(page)
            fields["action_%d" % lead] = str(existing_id)
            fields["action_%d" % len(rows)] = "refuse"
            before = dump(db)
            # Attaching a row changes the plan: it is shown again, nothing written.
            r = b.post(post, fields)
            self.assertEqual(r.status, 200)
            self.assertIn("Vos rattachements", r.text)
            self.assertEqual(dump(db), before)
            self.assertRegex(r.text, r"États remplacés</th><td class=\"num\">1<")
            fields = self.form_of(r)
            self.assertEqual(fields.get("link_%d" % lead), str(existing_id))
            fields["action_%d" % len(rows)] = "refuse"
            r = b.post(post, fields)
            self.assertEqual(r.status, 200, visible_text(r.text)[:600])
            self.assertRegex(r.text, r"Lignes refusées</th><td class=\"num\">1<")
            self.assertEqual(sql(db, "SELECT count(*) FROM action"), before[0] and
                             [(len(before[0]),)])
            self.assertEqual(sql(db, "SELECT status FROM action_status WHERE action_id = ? "
                                     "AND year = 2023 ORDER BY id DESC LIMIT 1", existing_id),
                             [("abandoned",)])
            # A plan confirmed after the data changed is not applied.
            rows[lead - 1][h.index("etat")] = "En cours"
            out = io.StringIO()
            csv.writer(out, lineterminator="\r\n").writerows(rows)
            r = b.upload("/contracts/1/import", {"year": "2023"}, "b.csv",
                         out.getvalue().encode())
            where = r.header("location")
            page = b.get(where)
            fields = self.form_of(page)
            # Someone records a 2023 status of the first action meanwhile.
            sql(db, "INSERT INTO action_status (action_id, year, status, recorded_at, "
                    "recorded_by) SELECT id, 2023, 'abandoned', '2026-01-01T00:00:00Z', "
                    "'Quelqu''un' FROM action WHERE title = ?", rows[1][h.index("action")])
            before = dump(db)
            r = b.post(urllib.parse.urlparse(where).path, fields)
            self.assertEqual(r.status, 409, visible_text(r.text)[:600])
            self.assertIn("Les données ont changé depuis l'aperçu", visible_text(r.text))
            self.assertEqual(dump(db), before)
        finally:
            server.stop()

    def test_duplicated_row_is_an_error_naming_both(self):
        b = self.coordinator()
        content, last = self.edited(duplicate=True)
        lead = self.line_of("Travail sur la mixité")
        before = dump(self.db)
        post, page = self.preview(b, content)
        self.assertIn("line %d, column C: même action qu'à la ligne %d" % (last, lead),
                      visible_text(page.text))
        self.assertNotIn('id="plan"', page.text)
        fields = {"spec": re.search(r'name="spec" value="([^"]+)"', page.text).group(1),
                  "year": "2024", "sheet": "0"}
        r = b.post(post, fields)
        self.assertEqual(r.status, 422)
        self.assertIn("même action qu'à la ligne %d" % lead, visible_text(r.text))
        self.assertEqual(dump(self.db), before)

    def test_encodings_get_one_message(self):
        b = self.coordinator()
        text = "\r\n".join(",".join(r) for r in
                           ([self.rows[0]] + [["1.1", "", "Santé", "", "", "Réalisée", "é",
                                               ""]] * 50))
        cases = [
            ("utf16.csv", text.encode("utf-16"), "Ce fichier est en UTF-16"),
            ("utf16le.csv", text.encode("utf-16-le"), "Ce fichier est en UTF-16"),
            ("tab.csv", text.replace(",", "\t").encode(), "séparé par des tabulations"),
            ("cp1252.csv", text.encode("cp1252"), "line 2, column C: le fichier n'est pas en "
                                                  "UTF-8 (sans doute Windows-1252"),
        ]
        before = dump(self.db)
        for name, content, words in cases:
            with self.subTest(name):
                r = self.upload(b, content, name)
                self.assertEqual(r.status, 422)
                page = visible_text(r.text)
                self.assertIn(words, page)
                self.assertIn("CSV UTF-8", page)
                summary = re.search(r'<div class="error-summary".*?</div>', r.text, re.S).group(0)
                self.assertEqual(summary.count("<p>"), 1, summary)
                self.assertLessEqual(page.count("Windows-1252"), 1)
        self.assertEqual(dump(self.db), before)


if __name__ == "__main__":
    unittest.main()

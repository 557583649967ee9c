"""test_directory.py — issue 13, the public directory, on the real binary: the data·inclusion
export of the demo validates against the JSON schemas of data/schema/data-inclusion-1.0.8/ (with
Debian's python3-jsonschema); importing that export into a fresh database gives the same
directory; a person who did not consent never appears on the public pages, the printable summary
or the exports; the theme, intercommunality and search filters list what the test computes from
the export and the territory's file; bad import files are refused naming the record and the
field, and change nothing; the coordination's service form checks CSRF and versions and is
audited."""

import csv
import json
import os
import re
import unicodedata
import unittest
import html

import jsonschema

import common
from common import connect, new_db, run_cli, tmp_path, visible_text
from test_accounts import EMAILS, PASSWORD, AccServer, Client, sql

SCHEMA = os.path.join(common.ROOT, "data", "schema", "data-inclusion-1.0.8")
TERRITORY = os.path.join(common.DATA, "territories", "petr-coeur-de-lorraine.csv")
VOCAB_C = os.path.join(common.ROOT, "src", "model", "directory", "directory_vocab.c")


def schema(name):
    with open(os.path.join(SCHEMA, name + ".json"), encoding="utf-8") as f:
        s = json.load(f)
    jsonschema.Draft202012Validator.check_schema(s)
    return jsonschema.Draft202012Validator(
        s, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def labels():
    """value → French label of the vocabularies, read from the C source the pages use."""
    with open(VOCAB_C, encoding="utf-8") as f:
        text = f.read()
    return dict(re.findall(r'\{"([a-z0-9-]+)",\s*"([^"]+)"\}', text))


def fold(s):
    """Lower case without accents, œ as oe, blanks collapsed (what base/text.c promises)."""
    s = (s or "").replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return " ".join(s.lower().split())


def areas():
    with open(TERRITORY, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def covers(zone, epci, rows):
    """The rule of the intercommunality filter, written again from its description."""
    if not zone or epci in zone or "france" in zone or "99100" in zone:
        return True
    communes = [r["code"] for r in rows if r["kind"] == "commune" and r["epci_code"] == epci]
    return any(c in zone or c[:2] in zone for c in communes)


def listed(page):
    """The service names a directory page lists."""
    return [html.unescape(n) for n in
            re.findall(r'<h3><a href="/contracts/1/directory/services/\d+">([^<]*)</a></h3>',
                       page)]


class Directory(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = AccServer("directory").start()
        cls.db = cls.server.db
        cls.public = Client(cls.server)
        cls.coord = Client(cls.server)
        cls.coord.login(EMAILS["coordinator"], PASSWORD)

    def exports(self, client=None):
        c = client or self.public
        st = c.get("/contracts/1/directory/structures.json")
        sv = c.get("/contracts/1/directory/services.json")
        self.assertEqual((st.status, sv.status), (200, 200))
        self.assertIn("application/json", sv.header("content-type"))
        return json.loads(st.text), json.loads(sv.text)

    def test_export_validates_against_the_schema(self):
        structures, services = self.exports()
        n_services = sql(self.db, "SELECT count(*) FROM service WHERE contract_id = 1")[0][0]
        self.assertGreater(n_services, 0)
        self.assertEqual(len(services), n_services)
        st, sv = schema("structure"), schema("service")
        for s in structures:
            st.validate(s)
        for s in services:
            sv.validate(s)
        # every service's structure is exported, every exported structure offers a service
        self.assertEqual({s["id"] for s in structures}, {s["structure_id"] for s in services})
        self.assertTrue(any(t.startswith("sante--") for s in services
                            for t in s["thematiques"] or []))
        # the command line writes the same directory
        out = tmp_path("directory-cli.json")
        r = run_cli("export", "--db", self.db, "--contract", "1", "--format", "data-inclusion",
                    "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, encoding="utf-8") as f:
            both = json.load(f)
        self.assertEqual(both["services"], services)
        self.assertEqual(both["structures"], structures)
        # a schema that accepted anything would prove nothing: a wrong thematique fails
        bad = dict(services[0], thematiques=["sante--inconnue"])
        self.assertFalse(sv.is_valid(bad))

    def test_import_into_a_fresh_database_gives_the_same_directory(self):
        out = tmp_path("directory-roundtrip.json")
        r = run_cli("export", "--db", self.db, "--contract", "1", "--format", "data-inclusion",
                    "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        fresh = new_db("directory-fresh.db")
        self.assertEqual(run_cli("init", "--db", fresh).returncode, 0)
        con = connect(fresh)
        with con:
            con.execute("INSERT INTO territory (id, name) VALUES (1, 'Cœur de Lorraine')")
            con.execute("INSERT INTO contract (id, territory_id, title, created_at) VALUES "
                        "(1, 1, 'CLS 3', '2025-01-01T00:00:00Z')")
        con.close()
        r = run_cli("import", "--db", fresh, "--contract", "1", "--format", "data-inclusion",
                    out)
        self.assertNotEqual(r.returncode, 0)  # without --yes: a plan only
        self.assertEqual(sql(fresh, "SELECT count(*) FROM service")[0][0], 0)
        r = run_cli("import", "--db", fresh, "--contract", "1", "--format", "data-inclusion",
                    "--yes", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        again = tmp_path("directory-again.json")
        r = run_cli("export", "--db", fresh, "--contract", "1", "--format", "data-inclusion",
                    "--out", again)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, encoding="utf-8") as a, open(again, encoding="utf-8") as b:
            self.assertEqual(json.load(a), json.load(b))
        # importing it once more changes nothing
        before = sql(fresh, "SELECT count(*) FROM service")[0][0]
        r = run_cli("import", "--db", fresh, "--contract", "1", "--format", "data-inclusion",
                    "--yes", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sql(fresh, "SELECT count(*) FROM service")[0][0], before)
        # every write of the import is in the journal
        self.assertGreater(sql(fresh, "SELECT count(*) FROM audit_log WHERE entity = 'service'")
                           [0][0], 0)

    def public_texts(self):
        """Everything the public sees: pages, print, exports (HTML as text)."""
        out = []
        pages = ["/contracts/1/directory", "/contracts/1/directory/print"]
        page = self.public.get("/contracts/1/directory").text
        pages += sorted(set(re.findall(r'href="(/contracts/1/directory/(?:services|'
                                       r'organisations)/\d+)"', page)))
        for p in pages:
            r = self.public.get(p)
            self.assertEqual(r.status, 200, p)
            out.append(visible_text(r.text))
        st, sv = self.exports()
        out.append(json.dumps(st, ensure_ascii=False) + json.dumps(sv, ensure_ascii=False))
        r = run_cli("export", "--db", self.db, "--contract", "1", "--format", "data-inclusion")
        out.append(r.stdout.decode("utf-8"))
        return "\n".join(out)

    def service_form(self, sid):
        page = self.coord.get("/contracts/1/directory/services/%d/edit" % sid).text
        fields = []
        for m in re.finditer(r'<input type="(?:text|tel|email|url|hidden)"[^>]*? name="([^"]+)" '
                             r'value="([^"]*)"', page):
            if m.group(1) != "csrf":
                fields.append((m.group(1), html.unescape(m.group(2) or "")))
        for m in re.finditer(r'<input type="checkbox" name="([^"]+)" value="([^"]+)" checked',
                             page):
            fields.append((m.group(1), m.group(2)))
        for name in ("description",):
            m = re.search(r'<textarea[^>]*name="%s"[^>]*>([^<]*)</textarea>' % name, page)
            fields.append((name, html.unescape(m.group(1))))
        for name in ("organisation_id", "person_id"):
            sel = re.search(r'<select[^>]*name="%s".*?</select>' % name, page, re.S).group(0)
            m = re.search(r'<option value="([^"]*)" selected', sel)
            fields.append((name, m.group(1) if m else ""))
        return fields

    def test_a_person_without_consent_never_appears_publicly(self):
        name = "Zoé Sans-Consentement"
        r = self.coord.post("/contracts/1/people/new", {
            "name": name, "function": "Infirmière coordinatrice", "organisation_id": "",
            "email": "zoe.sans@tests.example", "phone": "03 29 00 00 00", "account_id": ""})
        self.assertEqual(r.status, 303, visible_text(r.text)[:400])
        pid = sql(self.db, "SELECT id FROM person WHERE name = ?", name)[0][0]
        sid = sql(self.db, "SELECT id FROM service WHERE contract_id = 1 ORDER BY id")[0][0]
        # she becomes the contact of a service and referent for a theme and an EPCI
        fields = [(k, v) for k, v in self.service_form(sid) if k != "person_id"]
        r = self.coord.post("/contracts/1/directory/services/%d/edit" % sid,
                            fields + [("person_id", str(pid))])
        self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        self.coord.get("/contracts/1/directory/people/%d/edit" % pid)
        version = sql(self.db, "SELECT version FROM person WHERE id = ?", pid)[0][0]
        referent = [("version", str(version)), ("retain_until", ""),
                    ("themes", "sante--sante-mentale"), ("epcis", "245500327")]
        r = self.coord.post("/contracts/1/directory/people/%d/edit" % pid, referent)
        self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        self.assertEqual(sql(self.db, "SELECT public_consent FROM person WHERE id = ?", pid),
                         [(0,)])
        seen = self.public_texts()
        self.assertNotIn("Sans-Consentement", seen)
        self.assertNotIn("zoe.sans@tests.example", seen)
        # with consent she appears, as the service's contact and as a referent
        self.coord.get("/contracts/1/directory/people/%d/edit" % pid)
        version = sql(self.db, "SELECT version FROM person WHERE id = ?", pid)[0][0]
        r = self.coord.post("/contracts/1/directory/people/%d/edit" % pid,
                            [("version", str(version)), ("consent", "1")] + referent[1:])
        self.assertEqual(r.status, 303, visible_text(r.text)[:600])
        _st, sv = self.exports()
        self.assertIn(name, [s["contact_nom_prenom"] for s in sv])
        page = visible_text(self.public.get(
            "/contracts/1/directory?theme=sante--sante-mentale").text)
        self.assertIn(name, page)
        # past her retention date she is gone again
        sql(self.db, "UPDATE person SET retain_until = '2000-01-01' WHERE id = ?", pid)
        self.assertNotIn("Sans-Consentement", self.public_texts())
        sql(self.db, "UPDATE person SET retain_until = '' WHERE id = ?", pid)
        # the changes are audited
        fields = {f for (f,) in sql(self.db, "SELECT field FROM audit_log WHERE entity = "
                                             "'person' AND entity_id = ?", pid)}
        self.assertTrue({"public_consent", "referent_themes", "referent_epcis"} <= fields)
        # the GDPR export tells what the directory holds; erasure takes her out of it
        admin = Client(self.server)
        admin.login(EMAILS["admin"], PASSWORD)
        data = json.loads(admin.get("/admin/people/%d/export" % pid).text)
        self.assertEqual(data["directory"][0]["public_consent"], 1)
        self.assertEqual([c["service_id"] for c in data["directory_contact_of"]], [sid])
        admin.get("/people/%d/edit" % pid)
        r = admin.post("/admin/people/%d/erase" % pid, {"confirm": "1"})
        self.assertEqual(r.status, 303, visible_text(r.text)[:400])
        self.assertEqual(sql(self.db, "SELECT public_consent FROM person WHERE id = ?", pid),
                         [(0,)])
        self.assertEqual(sql(self.db, "SELECT count(*) FROM person_referent WHERE person_id = ?",
                             pid), [(0,)])
        self.assertNotIn("Contact n°%d" % pid, self.public_texts())

    def test_filters_and_search_list_what_the_test_computes(self):
        structures, services = self.exports()
        org = {s["id"]: s["nom"] for s in structures}
        rows = areas()
        words = labels()
        epcis = [r["code"] for r in rows if r["kind"] == "epci"]
        themes = sorted({t for s in services for t in s["thematiques"] or []})
        self.assertGreaterEqual(len(epcis), 4)
        for theme in themes:
            want = sorted(s["nom"] for s in services if theme in (s["thematiques"] or []))
            got = sorted(listed(self.public.get("/contracts/1/directory?theme=" + theme).text))
            self.assertEqual(got, want, theme)
        for epci in epcis:
            want = sorted(s["nom"] for s in services
                          if covers(s["zone_eligibilite"] or [], epci, rows))
            got = sorted(listed(self.public.get("/contracts/1/directory?epci=" + epci).text))
            self.assertEqual(got, want, epci)
            # the filter does narrow somewhere: not every service covers every EPCI
        self.assertTrue(any(len(listed(self.public.get("/contracts/1/directory?epci=" + e)
                                       .text)) < len(services) for e in epcis))
        for q in ("MOBILITE", "aidants", "santé MENTALE", "Séniors", "acces aux soins",
                  "zzz-rien"):
            needle = fold(q)
            want = sorted(
                s["nom"] for s in services
                if any(needle in fold(t) for t in
                       [s["nom"], s["description"], org[s["structure_id"]]] +
                       [words.get(v, v) for v in (s["thematiques"] or []) +
                        (s["publics"] or [])]))
            path = "/contracts/1/directory?q=" + __import__("urllib.parse").parse.quote(q)
            r = self.public.get(path)
            self.assertEqual(sorted(listed(r.text)), want, q)
            self.assertIn("%d service" % len(want), visible_text(r.text))
        # theme and intercommunality together
        theme, epci = "sante--acces-aux-soins", "245501176"
        want = sorted(s["nom"] for s in services if theme in (s["thematiques"] or [])
                      and covers(s["zone_eligibilite"] or [], epci, rows))
        got = listed(self.public.get("/contracts/1/directory?theme=%s&epci=%s"
                                     % (theme, epci)).text)
        self.assertEqual(sorted(got), want)

    def test_print_summary_lists_every_service(self):
        r = self.public.get("/contracts/1/directory/print")
        self.assertEqual(r.status, 200)
        self.assertIn('class="directory-print"', r.text)
        _st, services = self.exports()
        text = visible_text(r.text)
        for s in services:
            self.assertIn(s["nom"], text)
        css = self.public.get("/static/style.css").text
        self.assertIn(".directory-print", css)

    def bad_import(self, name, data, *expected):
        path = tmp_path(name)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else json.dumps(data).encode())
        before = sql(self.db, "SELECT (SELECT count(*) FROM service), (SELECT count(*) FROM "
                              "organisation), (SELECT count(*) FROM person), (SELECT count(*) "
                              "FROM audit_log)")
        r = run_cli("import", "--db", self.db, "--contract", "1", "--format", "data-inclusion",
                    "--yes", path)
        self.assertNotEqual(r.returncode, 0, name)
        for e in expected:
            self.assertIn(e, r.stderr, name)
        self.assertIn("Rien n'a été importé", r.stderr)
        self.assertEqual(sql(self.db, "SELECT (SELECT count(*) FROM service), (SELECT count(*) "
                                      "FROM organisation), (SELECT count(*) FROM person), "
                                      "(SELECT count(*) FROM audit_log)"), before, name)

    def test_bad_import_rows_are_refused_with_record_and_field(self):
        _st, services = self.exports()
        good = dict(services[0], id="nouveau-1", nom="Un service tout neuf")
        # a good record first: nothing of it may remain when a later one is refused
        new_org = {"source": "x", "id": "nouvelle-structure", "nom": "Structure nouvelle",
                   "description": "Une structure qui n'existe pas encore dans l'annuaire du "
                                  "contrat.", "date_maj": "2024-01-01"}
        self.bad_import("unknown-theme.json", {"structures": [new_org], "services": [
            good, dict(good, id="nouveau-2", thematiques=["sante--inconnue"])]},
            "service n° 2", "nouveau-2", "thematiques")
        self.bad_import("wrong-type.json", [dict(good, nom=42)], "nouveau-1", "« nom »",
                        "texte")
        self.bad_import("bad-zone.json", [dict(good, zone_eligibilite=["55 021"])],
                        "zone_eligibilite")
        self.bad_import("bad-publics.json", [dict(good, publics=["tous-publics", "seniors"])],
                        "publics")
        self.bad_import("no-structure.json", [dict(good, structure_id="personne")],
                        "structure_id")
        self.bad_import("short-description.json", [dict(good, description="Trop court.")],
                        "description")
        self.bad_import("bad-date.json", [dict(good, date_maj="31/12/2023")], "date_maj")
        self.bad_import("not-json.json", b'[{"id": "x",', "JSON")
        self.bad_import("not-a-list.json", {"services": {"id": 1}}, "liste")
        self.bad_import("duplicate-keys.json", b'[{"id": "a", "id": "b"}]', "JSON")
        huge = b"[" + b",".join([b'{"source":"x"}'] * 20001) + b"]"
        self.bad_import("too-many.json", huge, "20000")
        big = tmp_path("too-big.json")
        with open(big, "wb") as f:
            f.write(b"[" + b" " * (21 * 1024 * 1024) + b"]")
        r = run_cli("import", "--db", self.db, "--contract", "1", "--format", "data-inclusion",
                    "--yes", big)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("Mo", r.stderr)

    def test_coordination_edits_with_csrf_version_and_audit(self):
        sid = sql(self.db, "SELECT id FROM service WHERE contract_id = 1 ORDER BY id DESC")[0][0]
        path = "/contracts/1/directory/services/%d/edit" % sid
        themes_before = sql(self.db, "SELECT themes FROM service WHERE id = ?", sid)[0][0]
        self.assertTrue(any(not t.startswith("sante--") for t in themes_before.split()))
        r = self.public.get(path)  # the public may not edit: sent to sign in
        self.assertEqual(r.status, 303)
        self.assertTrue(r.header("location").startswith("/login"), r.header("location"))
        fields = self.service_form(sid)
        fields = [(k, v) for k, v in fields if k != "hours"] + [("hours", "Lu-Ve 9h-12h")]
        r = self.coord.post(path, fields, csrf="not-the-token")
        self.assertEqual(r.status, 403)
        stale = [(k, "1" if k == "version" else v) for k, v in fields]
        version = sql(self.db, "SELECT version FROM service WHERE id = ?", sid)[0][0]
        if version == 1:  # make the form's version stale
            self.coord.post(path, fields)
            version = 2
            fields = [(k, str(version) if k == "version" else v) for k, v in fields]
        r = self.coord.post(path, stale)
        self.assertEqual(r.status, 409, visible_text(r.text)[:400])
        fields = [(k, str(version) if k == "version" else v) for k, v in fields]
        fields = [(k, v) for k, v in fields if k != "hours"] + [("hours", "Lu-Ve 14h-17h")]
        r = self.coord.post(path, fields)
        self.assertEqual(r.status, 303, visible_text(r.text)[:400])
        self.assertEqual(sql(self.db, "SELECT hours FROM service WHERE id = ?", sid),
                         [("Lu-Ve 14h-17h",)])
        # every theme, santé or not, survives the form
        self.assertEqual(sql(self.db, "SELECT themes FROM service WHERE id = ?", sid),
                         [(themes_before,)])
        rows = sql(self.db, "SELECT new_value FROM audit_log WHERE entity = 'service' AND "
                            "entity_id = ? AND field = 'hours' ORDER BY id DESC", sid)
        self.assertEqual(rows[0][0], "Lu-Ve 14h-17h")
        # the contract's journal names the field in French
        journal = visible_text(self.coord.get("/contracts/1/audit").text)
        self.assertIn("Horaires d'accueil", journal)
        self.assertNotIn("hours", journal.split())
        # a bad theme is refused next to its field, nothing saved
        bad = [(k, v) for k, v in fields if k != "version"] + [
            ("version", str(version + 1)), ("themes", "sante--inconnue")]
        r = self.coord.post(path, bad)
        self.assertEqual(r.status, 422)
        self.assertIn("data·inclusion", visible_text(r.text))
        # the journal's link leads to the service
        r = self.public.get("/services/%d" % sid)
        self.assertEqual(r.status, 303)

    def test_organisation_card_follows_the_rules_of_shared_records(self):
        org = sql(self.db, "SELECT id FROM organisation WHERE slug = 'france-alzheimer'")[0][0]
        path = "/organisations/%d/card" % org
        page = self.coord.get(path)
        self.assertEqual(page.status, 200, visible_text(page.text)[:300])
        version = sql(self.db, "SELECT version FROM organisation WHERE id = ?", org)[0][0]
        card = {"version": str(version), "description": "", "address": "1 rue de la Gare",
                "postcode": "55300", "commune": "Saint-Mihiel", "insee_code": "55463",
                "phone": "03 29 00 00 01", "email": "accueil@alzheimer.example",
                "website": "https://alzheimer.example", "siret": "1234"}
        r = self.coord.post(path, card)
        self.assertEqual(r.status, 422)
        self.assertIn("Le SIRET compte 14 chiffres", visible_text(r.text))
        self.assertEqual(sql(self.db, "SELECT address FROM organisation WHERE id = ?", org),
                         [("",)])
        r = self.coord.post(path, dict(card, siret="12345678901234"))
        self.assertEqual(r.status, 303, visible_text(r.text)[:400])
        structures, _sv = self.exports()
        mine = [s for s in structures if s["id"] == "france-alzheimer"][0]
        self.assertEqual((mine["adresse"], mine["code_postal"], mine["siret"]),
                         ("1 rue de la Gare", "55300", "12345678901234"))
        schema("structure").validate(mine)
        self.assertIn("address", {f for (f,) in sql(
            self.db, "SELECT field FROM audit_log WHERE entity = 'organisation' AND "
                     "entity_id = ?", org)})
        # once another contract shows it, contract 1's coordination may no longer change it
        sql(self.db, "INSERT INTO contract (id, territory_id, title, created_at) VALUES "
                     "(77, 1, 'Autre contrat', '2025-01-01T00:00:00Z')")
        sql(self.db, "INSERT INTO person (contract_id, name, organisation_id, created_at) "
                     "VALUES (77, 'Quelqu''un d''ailleurs', ?, '2025-01-01T00:00:00Z')", org)
        version = sql(self.db, "SELECT version FROM organisation WHERE id = ?", org)[0][0]
        r = self.coord.post(path, dict(card, version=str(version), address="Ailleurs",
                                       siret="12345678901234"))
        self.assertEqual(r.status, 403)
        self.assertEqual(sql(self.db, "SELECT address FROM organisation WHERE id = ?", org),
                         [("1 rue de la Gare",)])


if __name__ == "__main__":
    unittest.main()

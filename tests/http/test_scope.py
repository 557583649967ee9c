"""test_scope.py — what one contract's people may change of what other contracts show (issue 10,
points 2, 9 and 11), on the real binary with two contracts: the demo and a second contract
imported from the demo's 2023 tracking table, so that both name the same carriers.
- Organisations: a coordinator cannot change an organisation the other contract shows (403,
  nothing changes anywhere), makes a copy for its own contract instead (only its links move);
  an administrator's change appears in both contracts' journals.
- Contact records tied to another contract's account: same rule.
- Accounts without a contract: refused unless admin (command line and accounts page), and an
  older one sees nothing.
- Field rules of the action form: each refusal of the form is refused the same way by the API.
Expected ids come from the database (sqlite3), never from the pages under test."""

import html
import json
import re
import unittest

from common import run_cli, tmp_path, visible_text
from test_accounts import EMAILS, PASSWORD, AccServer, Client, add_account, bearer, cli_token, sql

COORD_B = "coordination.b@tests.example"
CARRIER_ORG = 23  # the demo carrier's organisation (EHPAD d'Hannonville)
CARRIED_ACTION = 10  # an action it carries


def second_contract(db):
    """Imports the demo's 2023 table as a new contract; returns its id."""
    r = run_cli("export", "--db", db, "--contract", "1", "--year", "2023")
    if r.returncode != 0:
        raise RuntimeError("export failed: " + r.stderr)
    path = tmp_path("scope-second.csv")
    with open(path, "wb") as f:
        f.write(r.stdout)
    r = run_cli("import", "--db", db, "--new-contract", "Contrat B", "--territory",
                "Territoire B", "--year", "2023", "--yes", path)
    if r.returncode != 0:
        raise RuntimeError("import --new-contract failed: " + r.stderr)
    return int(re.search(r"Contrat créé : (\d+)", r.stdout.decode("utf-8")).group(1))


def shared_orgs(db, b):
    """Organisations that carry actions of both contracts, by id."""
    return [i for (i,) in sql(
        db, "SELECT DISTINCT ao.organisation_id FROM action_organisation ao JOIN action a ON "
            "a.id = ao.action_id WHERE a.contract_id = 1 AND ao.organisation_id IN (SELECT "
            "ao2.organisation_id FROM action_organisation ao2 JOIN action a2 ON a2.id = "
            "ao2.action_id WHERE a2.contract_id = ?) ORDER BY 1", b)]


def links(db, org):
    """(contract, action) of each action link of an organisation."""
    return sql(db, "SELECT a.contract_id, a.id, ao.role FROM action_organisation ao JOIN action a "
                   "ON a.id = ao.action_id WHERE ao.organisation_id = ? ORDER BY 1, 2, 3", org)


def journal(db, contract):
    """The (entity, entity_id, field, new_value) rows a contract's journal lists: its own records
    and the shared ones listed for it (the model's rule, read back from the tables)."""
    return sql(db, "SELECT l.entity, l.entity_id, l.field, l.new_value FROM audit_log l WHERE "
                   "l.id IN (SELECT audit_id FROM audit_contract WHERE contract_id = ?) OR "
                   "(l.entity = 'person' AND l.entity_id IN (SELECT id FROM person WHERE "
                   "contract_id = ?)) ORDER BY l.id", contract, contract)


class Scope(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = AccServer("scope")
        db = cls.db = cls.server.db
        cls.b = second_contract(db)
        add_account(db, COORD_B, "Cora Coordination B", "coordinator", cls.b)
        cls.shared = shared_orgs(db, cls.b)
        assert CARRIER_ORG in cls.shared and len(cls.shared) >= 4, cls.shared
        cls.others = [o for o in cls.shared if o != CARRIER_ORG]
        cls.server.start()
        cls.a_coord, cls.b_coord, cls.admin = (Client(cls.server) for _ in range(3))
        cls.a_coord.login(EMAILS["coordinator"])
        cls.b_coord.login(COORD_B)
        cls.admin.login(EMAILS["admin"])

    def org(self, i):
        return sql(self.db, "SELECT name, type, acronym, aliases, version FROM organisation "
                            "WHERE id = ?", i)[0]

    def edit_fields(self, i, **change):
        name, typ, acronym, aliases, version = self.org(i)
        f = {"name": name, "type": typ, "acronym": acronym,
             "aliases": "\n".join(a.strip() for a in aliases.split("|") if a.strip()),
             "version": str(version)}
        f.update(change)
        return f

    # ---- organisations ---------------------------------------------------------------------

    def test_coordinators_cannot_change_a_shared_organisation(self):
        org = self.others[0]
        before = (self.org(org), links(self.db, org),
                  sql(self.db, "SELECT count(*) FROM audit_log")[0][0])
        for label, c in (("contract 1", self.a_coord), ("contract B", self.b_coord)):
            with self.subTest(coordinator=label):
                page = c.get("/organisations/%d/edit" % org)
                self.assertEqual(page.status, 403, visible_text(page.text)[:300])
                text = visible_text(page.text)
                self.assertIn("plusieurs contrats", text)
                self.assertIn("seul un administrateur", text)
                self.assertIn('action="/organisations/%d/copy"' % org, page.text)
                r = c.post("/organisations/%d/edit" % org,
                           self.edit_fields(org, name="Renommée par une coordination"))
                self.assertEqual(r.status, 403, visible_text(r.text)[:300])
                self.assertIn("Créer la copie pour mon contrat", r.text)
                # The organisation's own page says so instead of offering "Modifier".
                self.assertIn("seul un administrateur la modifie",
                              visible_text(c.get("/organisations/%d" % org).text))
        self.assertEqual((self.org(org), links(self.db, org),
                          sql(self.db, "SELECT count(*) FROM audit_log")[0][0]), before)

    def test_copy_for_one_contract(self):
        org = self.others[1]
        name = self.org(org)[0]
        b_links = [x for x in links(self.db, org) if x[0] == self.b]
        a_links = [x for x in links(self.db, org) if x[0] == 1]
        self.assertTrue(a_links and b_links)
        # A coordinator copies only for its own contract.
        r = self.a_coord.post("/organisations/%d/copy" % org, {"contract": str(self.b)})
        self.assertEqual(r.status, 403)
        self.a_coord.get("/organisations/%d/edit" % org)
        r = self.a_coord.post("/organisations/%d/copy" % org,
                              {"contract": "1", "name": name, "type": self.org(org)[1],
                               "acronym": self.org(org)[2], "aliases": self.org(org)[3]})
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        copy = int(re.search(r"/organisations/(\d+)\?saved=copied", r.header("location")).group(1))
        self.assertNotEqual(copy, org)
        self.assertEqual([x for x in links(self.db, copy)], [(1,) + x[1:] for x in a_links])
        self.assertEqual(links(self.db, org), b_links)
        self.assertEqual(self.org(copy)[0], name)  # the same name, in one contract only
        # The copy is the contract's own: its coordinator changes it, contract B sees nothing.
        page = self.a_coord.get("/organisations/%d/edit" % copy)
        self.assertEqual(page.status, 200)
        r = self.a_coord.post("/organisations/%d/edit" % copy,
                              self.edit_fields(copy, name=name + " (contrat 1)"))
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        self.assertEqual(self.org(copy)[0], name + " (contrat 1)")
        self.assertEqual(self.org(org)[0], name)
        action_b = b_links[0][1]
        self.assertIn(name, visible_text(self.b_coord.get("/actions/%d" % action_b).text))
        # Journals: contract 1 lists the copy; contract B the original's "copied" entry, not the
        # copy's later rename.
        j1, jb = journal(self.db, 1), journal(self.db, self.b)
        self.assertIn(("organisation", copy, "name", name + " (contrat 1)"), j1)
        self.assertTrue(any(e[:3] == ("organisation", org, "copied") for e in j1))
        self.assertTrue(any(e[:3] == ("organisation", org, "copied") for e in jb))
        self.assertFalse(any(e[1] == copy and e[2] == "name" and "(contrat 1)" in e[3]
                             for e in jb))
        # The journal pages say the same.
        self.assertIn("(contrat 1)", visible_text(self.a_coord.get("/contracts/1/audit").text))
        self.assertNotIn("(contrat 1)",
                         visible_text(self.b_coord.get("/contracts/%d/audit" % self.b).text))
        # Copying what is no longer shared is refused: edit it directly.
        r = self.a_coord.post("/organisations/%d/copy" % copy, {"contract": "1"})
        self.assertEqual(r.status, 422)
        self.assertIn("modifiez-la directement", visible_text(r.text))

    def test_copy_keeps_the_carrier_account_working(self):
        """The carrier account of contract 1 follows its organisation's copy."""
        org = CARRIER_ORG
        self.a_coord.get("/organisations/%d/edit" % org)
        r = self.a_coord.post("/organisations/%d/copy" % org, {"contract": "1"})
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        copy = int(re.search(r"/organisations/(\d+)", r.header("location")).group(1))
        self.assertEqual(sql(self.db, "SELECT organisation_id FROM account WHERE email = ?",
                             EMAILS["carrier"])[0][0], copy)
        carrier = Client(self.server)
        carrier.login(EMAILS["carrier"])
        self.assertEqual(carrier.get("/actions/%d/edit" % CARRIED_ACTION).status, 200)

    def test_admin_change_shows_in_every_journal(self):
        org = self.others[2]
        new = self.org(org)[0] + " (renommée par l'administration)"
        page = self.admin.get("/organisations/%d/edit" % org)
        self.assertEqual(page.status, 200)
        self.assertIn("inscrite au journal de chacun", visible_text(page.text))
        r = self.admin.post("/organisations/%d/edit" % org, self.edit_fields(org, name=new))
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        self.assertEqual(self.org(org)[0], new)
        for contract, c in ((1, self.a_coord), (self.b, self.b_coord)):
            with self.subTest(contract=contract):
                self.assertIn(("organisation", org, "name", new), journal(self.db, contract))
                self.assertIn(new, visible_text(c.get("/contracts/%d/audit" % contract).text))

    # ---- contact records -----------------------------------------------------------------

    def test_contact_record_tied_to_another_contracts_account(self):
        (b_account,), = sql(self.db, "SELECT id FROM account WHERE email = ?", COORD_B)
        # The first one sits in bodies or is invited to meetings: the copy takes them over.
        loose = sql(self.db, "SELECT id, name, version FROM person p WHERE contract_id = 1 AND "
                             "account_id IS NULL ORDER BY (SELECT count(*) FROM body_member m "
                             "WHERE m.person_id = p.id) + (SELECT count(*) FROM "
                             "meeting_invitee i WHERE i.person_id = p.id) DESC, id LIMIT 2")
        (p, p_name, _), (q, q_name, q_version) = loose

        def fields(pid, **change):
            name, function, email, phone, version = sql(
                self.db, "SELECT name, function, email, phone, version FROM person WHERE id = ?",
                pid)[0]
            f = {"name": name, "function": function, "email": email, "phone": phone,
                 "organisation_id": "", "account_id": "", "version": str(version)}
            f.update(change)
            return f

        # A coordinator may not tie its record to another contract's account.
        self.a_coord.get("/people/%d/edit" % q)
        r = self.a_coord.post("/people/%d/edit" % q, fields(q, account_id=str(b_account)))
        self.assertEqual(r.status, 403, visible_text(r.text)[:300])
        self.assertIn("autre contrat", visible_text(r.text))
        self.assertEqual(sql(self.db, "SELECT account_id, version FROM person WHERE id = ?", q),
                         [(None, q_version)])
        # An administrator may: the change is in both contracts' journals.
        self.admin.get("/people/%d/edit" % p)
        r = self.admin.post("/people/%d/edit" % p, fields(p, account_id=str(b_account)))
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        for contract in (1, self.b):
            with self.subTest(journal=contract):
                self.assertIn(("person", p, "account_id", str(b_account)),
                              journal(self.db, contract))
        # From then on the record is shared: contract 1's coordinator cannot change it.
        before = sql(self.db, "SELECT * FROM person WHERE id = ?", p)
        page = self.a_coord.get("/people/%d/edit" % p)
        self.assertEqual(page.status, 403)
        self.assertIn("seul un administrateur", visible_text(page.text))
        r = self.a_coord.post("/people/%d/edit" % p, fields(p, name=p_name + " (modifiée)"))
        self.assertEqual(r.status, 403)
        self.assertEqual(sql(self.db, "SELECT * FROM person WHERE id = ?", p), before)
        # An administrator still may; contract B's journal shows it.
        r = self.admin.post("/people/%d/edit" % p, fields(p, function="Fonction revue",
                                                          account_id=str(b_account)))
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        self.assertIn(("person", p, "function", "Fonction revue"), journal(self.db, self.b))
        self.assertIn("Fonction revue",
                      visible_text(self.b_coord.get("/contracts/%d/audit" % self.b).text))
        # Contract 1 makes its own copy: the same details without the account; its seats and
        # invitations move to the copy, which its coordinator then changes.
        seats = lambda pid: (  # noqa: E731
            sql(self.db, "SELECT count(*) FROM body_member WHERE person_id = ?", pid)[0][0],
            sql(self.db, "SELECT count(*) FROM meeting_invitee WHERE person_id = ?", pid)[0][0])
        held = seats(p)
        self.assertGreater(sum(held), 0)
        page = self.a_coord.get("/people/%d/edit" % p)
        self.assertIn('action="/people/%d/copy"' % p, page.text)
        r = self.a_coord.post("/people/%d/copy" % p)
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        copy = int(re.search(r"/people/(\d+)/edit", r.header("location")).group(1))
        self.assertEqual(sql(self.db, "SELECT contract_id, name, account_id FROM person WHERE "
                                      "id = ?", copy), [(1, p_name, None)])
        self.assertEqual((seats(copy), seats(p)), (held, (0, 0)))
        self.assertEqual(sql(self.db, "SELECT account_id FROM person WHERE id = ?", p),
                         [(b_account,)])
        r = self.a_coord.post("/people/%d/edit" % copy, fields(copy, name=p_name + " (A)"))
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        self.assertTrue(any(e[:3] == ("person", p, "copied") for e in journal(self.db, self.b)))
        self.assertFalse(any(e[1] == copy for e in journal(self.db, self.b)
                             if e[0] == "person"))


class AccountsWithoutContract(unittest.TestCase):
    """Point 9: only an administrator may be tied to no contract."""

    @classmethod
    def setUpClass(cls):
        cls.server = AccServer("scope-accounts")
        cls.db = cls.server.db
        # An account made before the rule: a coordinator tied to no contract.
        add_account(cls.db, "ancien.coord@tests.example", "Ancien Coordinateur", "admin")
        sql(cls.db, "UPDATE account SET role = 'coordinator' WHERE email = ?",
            "ancien.coord@tests.example")
        cls.old_token = cli_token(cls.db, "ancien.coord@tests.example")
        cls.server.start()

    def test_command_line_refuses_a_contractless_account(self):
        for role in ("coordinator", "carrier", "referent", "signatory"):
            with self.subTest(role=role):
                addr = "sans.contrat.%s@tests.example" % role
                args = ["user", "add", "--db", self.db, "--email", addr, "--name", "Sans contrat",
                        "--role", role, "--password-stdin"]
                if role == "carrier":
                    args += ["--organisation", str(CARRIER_ORG)]
                r = run_cli(*args, stdin=(PASSWORD + "\n").encode())
                self.assertNotEqual(r.returncode, 0)
                self.assertIn("--contract", r.stderr)
                self.assertEqual(len(r.stderr.strip().splitlines()), 1)
                self.assertEqual(sql(self.db, "SELECT count(*) FROM account WHERE email = ?",
                                     addr)[0][0], 0)
        r = run_cli("user", "add", "--db", self.db, "--email", "admin.sans.contrat@tests.example",
                    "--name", "Admin", "--role", "admin", "--password-stdin",
                    stdin=(PASSWORD + "\n").encode())
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_accounts_page_refuses_a_contractless_account(self):
        admin = Client(self.server)
        admin.login(EMAILS["admin"])
        admin.get("/admin/accounts")
        r = admin.post("/admin/accounts", {"name": "Sans Contrat", "role": "referent",
                                           "email": "sans.contrat.ui@tests.example",
                                           "contract": "", "organisation": ""})
        self.assertEqual(r.status, 422, visible_text(r.text)[:300])
        self.assertIn("seul un administrateur voit tous les contrats", visible_text(r.text))
        self.assertEqual(sql(self.db, "SELECT count(*) FROM account WHERE email = ?",
                             "sans.contrat.ui@tests.example")[0][0], 0)

    def test_an_older_contractless_account_sees_nothing(self):
        h = bearer(self.old_token)
        for path in ("/contracts/1/people", "/contracts/1/audit", "/contracts/1/report",
                     "/organisations/new", "/actions/%d/edit" % CARRIED_ACTION):
            with self.subTest(path=path):
                r = Client(self.server).request("GET", path, headers=h, cookies={})
                self.assertEqual(r.status, 403, path)
        # Its API view of an action is the public one: no remarks.
        r = Client(self.server).request("GET", "/api/v1/actions/%d" % CARRIED_ACTION,
                                        headers=h, cookies={})
        self.assertEqual(r.status, 200)
        with_remarks = [s for s in json.loads(r.text)["statuses"] if s["remarks"]]
        self.assertEqual(with_remarks, [])


class FieldRules(unittest.TestCase):
    """Point 11: every refusal of the action form, sent through the API, is refused the same."""

    @classmethod
    def setUpClass(cls):
        cls.server = AccServer("scope-fields")
        cls.db = cls.server.db
        cls.token = cli_token(cls.db, EMAILS["carrier"], "fields")
        cls.server.start()
        cls.carrier = Client(cls.server)
        cls.carrier.login(EMAILS["carrier"])

    def action(self):
        r = Client(self.server).request("GET", "/api/v1/actions/%d" % CARRIED_ACTION,
                                        headers=bearer(self.token), cookies={})
        return json.loads(r.text)

    def form(self, x, **change):
        orgs = x["organisations"]
        carrier = [str(o["id"]) for o in orgs if o["role"] == "carrier"]
        f = [("version", str(x["version"])), ("kind", x["kind"]), ("code", x["code"] or ""),
             ("title", x["title"]), ("notes", x["notes"] or ""),
             ("objective_id", str(x["objective_id"])),
             ("carrier_id", carrier[0] if carrier else "")]
        f += [("co_carrier", str(o["id"])) for o in orgs if o["role"] == "co_carrier"]
        f += [("partner", str(o["id"])) for o in orgs if o["role"] == "partner"]
        f = [(k, v) for k, v in f if k not in change]
        for k, v in change.items():
            f += [(k, i) for i in v] if isinstance(v, list) else [(k, v)]
        return f

    def test_each_form_refusal_is_the_apis(self):
        x = self.action()
        self.assertEqual(x["kind"], "sheet")
        other_objective = sql(self.db, "SELECT min(id) FROM objective WHERE contract_id = 1 AND "
                                       "level = 'operational' AND id <> ?", x["objective_id"])[0][0]
        other_org = sql(self.db, "SELECT min(id) FROM organisation WHERE id <> ?",
                        CARRIER_ORG)[0][0]
        cases = [
            ("objective_id", {"objective_id": str(other_objective)},
             {"objective_id": other_objective}),
            ("kind", {"kind": "lead", "code": ""}, {"kind": "lead", "code": None}),
            ("code", {"code": x["code"] + "b"}, {"code": x["code"] + "b"}),
            ("carrier_id", {"carrier_id": str(other_org), "co_carrier": []},
             {"carrier_id": other_org, "co_carriers": []}),
        ]
        before = (sql(self.db, "SELECT * FROM action WHERE id = ?", CARRIED_ACTION),
                  sql(self.db, "SELECT * FROM action_organisation WHERE action_id = ? ORDER BY "
                               "organisation_id, role", CARRIED_ACTION))
        for field, form_change, api_change in cases:
            with self.subTest(field=field):
                self.carrier.get("/actions/%d/edit" % CARRIED_ACTION)
                r = self.carrier.post("/actions/%d/edit" % CARRIED_ACTION,
                                      self.form(x, **form_change))
                self.assertEqual(r.status, 403, visible_text(r.text)[:400])
                summary = {f: html.unescape(msg) for f, msg in
                           re.findall(r'<li><a href="#f-([^"]+)">([^<]*)</a></li>', r.text)}
                self.assertIn(field, summary, "the form names no error on %s" % field)
                form_reason = summary[field]
                body = dict(api_change, version=x["version"])
                a = Client(self.server).request(
                    "POST", "/api/v1/actions/%d" % CARRIED_ACTION, json.dumps(body).encode(),
                    dict(bearer(self.token), **{"Content-Type": "application/json"}),
                    cookies={})
                self.assertEqual(a.status, 403, a.text)
                answer = json.loads(a.text)
                api_field = {"co_carrier": "co_carriers"}.get(field, field)
                self.assertIn({"field": api_field, "message": form_reason},
                              answer["problems"])
                self.assertIn("Seule la coordination" if field != "carrier_id"
                              else "Votre organisation doit rester", form_reason)
        after = (sql(self.db, "SELECT * FROM action WHERE id = ?", CARRIED_ACTION),
                 sql(self.db, "SELECT * FROM action_organisation WHERE action_id = ? ORDER BY "
                              "organisation_id, role", CARRIED_ACTION))
        self.assertEqual(after, before)
        # The same fields left as they are go through both ways.
        self.carrier.get("/actions/%d/edit" % CARRIED_ACTION)
        r = self.carrier.post("/actions/%d/edit" % CARRIED_ACTION,
                              self.form(x, title=x["title"] + " (porteur)"))
        self.assertEqual(r.status, 303, visible_text(r.text)[:400])
        x = self.action()
        a = Client(self.server).request(
            "POST", "/api/v1/actions/%d" % CARRIED_ACTION,
            json.dumps({"version": x["version"], "objective_id": x["objective_id"],
                        "code": x["code"], "title": x["title"] + " bis"}).encode(),
            dict(bearer(self.token), **{"Content-Type": "application/json"}), cookies={})
        self.assertEqual(a.status, 200, a.text)

    def test_carrier_form_does_not_offer_what_it_may_not_change(self):
        page = self.carrier.get("/actions/%d/edit" % CARRIED_ACTION)
        self.assertEqual(page.status, 200)
        form = page.text.split('action="/actions/%d/edit"' % CARRIED_ACTION, 1)[1]
        form = form.split("</form>", 1)[0]
        for name in ("objective_id", "kind", "code"):
            self.assertNotIn('name="%s"' % name, form)
        self.assertIn('name="title"', form)


if __name__ == "__main__":
    unittest.main()

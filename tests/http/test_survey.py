"""test_survey.py — issue 12, the evaluation questionnaire, on the real binary with an SMTP sink:
a contract of 2 axes, 4 specific objectives and 11 carrier organisations (one contact each) is
built in the database; the coordination creates the survey from the CLS template, rewords and
adds a question, opens it; 11 links reach the sink; 30 scripted answers go through the links as
form posts (one saved as a draft first and resumed); bad input is refused with a French message
and nothing saved; every statistic of the results page and of the API equals what this test
computes from the answers it sent (conditions applied here independently); the raw answers in
CSV and XLSX are the answers sent; reminders reach only the contact who did not answer; at the
close the links stop."""

import csv
import io
import json
import os
import random
import re
import subprocess
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile
import unittest

import common
from common import connect, new_db, run_cli, tmp_path, visible_text
from test_accounts import Client, FrozenClock, add_account, cli_token, sql
from test_accounts_mail import Sink
from test_campaign import CampaignServer, mail_text

COORD = "coordination@questionnaire.example"
N_ORGS = 11
TEMPLATE = os.path.join(os.environ.get("BOUSSOLE_DATA", os.path.join(common.ROOT, "data")),
                        "survey", "questionnaire.json")
KINDS = {"single": "single", "multiple": "multiple", "text": "text", "scale_0_5": "scale",
         "date_range": "date", "matrix_yes_no_dunno": "matrix"}
ADDED = {"text": "Recommanderiez-vous l'action à une autre structure ?", "kind": "single",
         "options": ["Oui", "Non", "Peut-être"], "required": True}


def build_db(name):
    """Axes 1 and 2, each with two specific objectives and one operational objective under
    each; organisations 1–10 carry three actions each (spread over the four specific
    objectives), organisation 11 carries two; organisation 12 is only a partner."""
    db = new_db(name + ".db")
    r = run_cli("init", "--db", db)
    if r.returncode != 0:
        raise RuntimeError("boussole init failed: " + r.stderr)
    con = connect(db)
    with con:
        con.execute("INSERT INTO territory (id, name) VALUES (1, 'Pays du questionnaire')")
        con.execute("INSERT INTO contract (id, territory_id, title, created_at) VALUES "
                    "(1, 1, 'CLS du questionnaire', '2020-01-01T00:00:00Z')")
        objs = [(1, None, "strategic", "Axe 1", "Environnement favorable", 1),
                (2, None, "strategic", "Axe 2", "Parcours de santé", 2),
                (3, 1, "specific", "1", "Alimentation", 3), (4, 1, "specific", "2", "Mobilité", 4),
                (5, 2, "specific", "3", "Accès aux soins", 5),
                (6, 2, "specific", "4", "Santé mentale", 6),
                (7, 3, "operational", "1.1", "Ateliers", 7),
                (8, 4, "operational", "2.1", "Transport", 8),
                (9, 5, "operational", "3.1", "Permanences", 9),
                (10, 6, "operational", "4.1", "Écoute", 10)]
        con.executemany("INSERT INTO objective (id, contract_id, parent_id, level, code, title, "
                        "position) VALUES (?, 1, ?, ?, ?, ?, ?)", objs)
        for i in range(1, N_ORGS + 2):
            con.execute("INSERT INTO organisation (id, name) VALUES (?, ?)",
                        (i, "Structure %02d" % i))
        for i in range(1, N_ORGS + 1):
            for k in range(3 if i <= 10 else 2):
                objective = 7 + (i + k) % 4
                cur = con.execute(
                    "INSERT INTO action (contract_id, objective_id, kind, code, title, "
                    "created_at) VALUES (1, ?, 'sheet', ?, ?, '2020-01-01T00:00:00Z')",
                    (objective, "%d.%d" % (i, k + 1), "Action %d de la structure %02d" % (k + 1, i)))
                con.execute("INSERT INTO action_organisation (action_id, organisation_id, role) "
                            "VALUES (?, ?, 'carrier')", (cur.lastrowid, i))
                con.execute("INSERT INTO action_organisation (action_id, organisation_id, role) "
                            "VALUES (?, ?, 'partner')", (cur.lastrowid, N_ORGS + 1))
                con.execute("INSERT INTO action_status (action_id, year, status, remarks, "
                            "recorded_at) VALUES (?, 2022, 'in_progress', '', '2022-12-01')",
                            (cur.lastrowid,))
            con.execute("INSERT INTO person (contract_id, name, organisation_id, email, "
                        "created_at) VALUES (1, ?, ?, ?, 'x')",
                        ("Contact %02d" % i, i, "contact%02d@questionnaire.example" % i))
    con.close()
    add_account(db, COORD, "Claude Coordination", "coordinator", contract=1)
    return db


def load_questions():
    """The survey's questions as the test knows them: the template, Q1 reworded, one added."""
    with open(TEMPLATE, encoding="utf-8") as f:
        data = json.load(f)
    qs = []
    for q in data["questions"]:
        cond = q.get("conditions") or {}
        when = cond.get("when") if isinstance(cond.get("depends_on"), int) else None
        if when:
            # "si oui" names the choice that reads "Oui (Si oui, …)": the one it begins.
            opts = data["questions"][cond["depends_on"] - 1]["options"]
            when = when if when in opts else next(
                o for o in opts if o.startswith(when + " ") or o.startswith(when + "("))
        qs.append({"pos": q["number"], "text": q["text"], "kind": KINDS[q["type"]],
                   "required": q["required"], "options": q["options"], "rows": q["rows"],
                   "comment": q["has_comment"] or q["has_other"],
                   "cond": (cond["depends_on"], when) if when else None})
    qs[0]["text"] = "Intitulé de la fiche action (tel qu'il figure au tableau) ?"
    qs.append({"pos": len(qs) + 1, "text": ADDED["text"], "kind": "single",
               "required": True, "options": ADDED["options"], "rows": [], "comment": False,
               "cond": None})
    return qs


def script_answer(rng, qs, n):
    """One respondent's answers: {pos: value} where value is an option index list (single,
    multiple), an int (scale), text, (start, end) or {row: column index}; comments apart.
    Required questions always answered; hidden questions sometimes answered anyway (the server
    must drop them)."""
    ans, comments = {}, {}
    for q in qs:
        if not q["required"] and rng.random() < 0.3:
            continue
        k = q["kind"]
        if k == "single":
            ans[q["pos"]] = [rng.randrange(len(q["options"]))]
        elif k == "multiple":
            ans[q["pos"]] = sorted(rng.sample(range(len(q["options"])),
                                              rng.randint(1, min(3, len(q["options"])))))
        elif k == "scale":
            ans[q["pos"]] = rng.randint(0, 5)
        elif k == "text":
            ans[q["pos"]] = "Réponse %d à la question %d" % (n, q["pos"])
        elif k == "date":
            ans[q["pos"]] = ("2021-%02d-01" % rng.randint(1, 12), "2023-%02d-15" % rng.randint(1, 12))
        elif k == "matrix":
            ans[q["pos"]] = {r: rng.randrange(len(q["options"])) for r in range(1, len(q["rows"]) + 1)}
        if q["comment"] and rng.random() < 0.4:
            comments[q["pos"]] = "Précision %d sur %d" % (n, q["pos"])
    if n == 7:
        ans[32] = "<script>alert('x')</script> & « guillemets »"
    if n == 11:
        ans[32] = "=SOMME(A1:A9)"  # a spreadsheet formula: neutralised in the CSV only
    return ans, comments


def form_fields(qs, ans, comments, send):
    fields = []
    for q in qs:
        p = q["pos"]
        v = ans.get(p)
        if v is not None:
            k = q["kind"]
            if k in ("single", "multiple"):
                fields += [("q%d" % p, str(i + 1)) for i in v]
            elif k == "scale":
                fields.append(("q%d" % p, str(v)))
            elif k == "text":
                fields.append(("q%d" % p, v))
            elif k == "date":
                fields += [("q%d-start" % p, v[0]), ("q%d-end" % p, v[1])]
            elif k == "matrix":
                fields += [("q%d-r%d" % (p, r), str(c + 1)) for r, c in v.items()]
        if p in comments:
            fields.append(("q%d-comment" % p, comments[p]))
    fields.append(("send", send))
    return fields


def shown(qs, q, ans):
    """The condition rule, written here from the template's own words."""
    if not q["cond"]:
        return True
    on, when = q["cond"]
    src = qs[on - 1]
    if not shown(qs, src, ans) or on not in ans:
        return False
    return when in [src["options"][i] for i in ans[on]]


def pct(part, total):
    return (part * 100 + total // 2) // total if total else 0


def fr(v, d):
    return ("%.*f" % (d, v)).replace(".", ",")


def expected_stats(qs, answers, axis_of, spec_of, axes, specs):
    """Every figure, from the answers sent (in response order): per question answered, counts,
    scale mean/median, matrix counts, texts, comments, and cross-tabs by axis and objective."""
    out = {}
    for q in qs:
        p, k = q["pos"], q["kind"]
        width = 6 if k == "scale" else len(q["options"])
        s = {"answered": 0, "counts": [0] * (len(q["rows"]) * len(q["options"]) if k == "matrix"
                                             else width),
             "scales": [], "texts": [], "comments": [],
             "ax": {a: [0] * (width + 1) for a in axes}, "os": {o: [0] * (width + 1) for o in specs}}
        for action_id, ans, comments in answers:
            if not shown(qs, q, ans):
                continue
            if p in comments:
                s["comments"].append(comments[p])
            if p not in ans:
                continue
            v = ans[p]
            s["answered"] += 1
            a, o = axis_of[action_id], spec_of[action_id]
            s["ax"][a][0] += 1
            s["os"][o][0] += 1
            if k in ("single", "multiple"):
                for i in v:
                    s["counts"][i] += 1
                    s["ax"][a][i + 1] += 1
                    s["os"][o][i + 1] += 1
            elif k == "scale":
                s["counts"][v] += 1
                s["scales"].append(v)
                s["ax"][a][v + 1] += 1
                s["os"][o][v + 1] += 1
            elif k == "matrix":
                for r, c in v.items():
                    s["counts"][(r - 1) * len(q["options"]) + c] += 1
            elif k == "text":
                s["texts"].append(v)
        if s["scales"]:
            xs = sorted(s["scales"])
            n = len(xs)
            s["mean"] = sum(xs) / n
            s["median"] = xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2
        out[p] = s
    return out


def table_rows(page, table_id):
    m = re.search(r'<table id="%s".*?</table>' % re.escape(table_id), page, re.S)
    assert m, table_id
    body = m.group(0).split("<tbody>")[1]
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        rows.append([visible_text(c) for c in cells])
    return rows


def xlsx_rows(data):
    """The first sheet of a workbook as lists of strings (shared or inline strings)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    z = zipfile.ZipFile(io.BytesIO(data))
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
    sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter("{%s}row" % ns["m"]):
        cells = {}
        for c in row.findall("m:c", ns):
            ref = re.match(r"([A-Z]+)", c.get("r")).group(1)
            col = 0
            for ch in ref:
                col = col * 26 + ord(ch) - 64
            v = c.find("m:v", ns)
            text = shared[int(v.text)] if c.get("t") == "s" and v is not None else (
                v.text if v is not None else "")
            cells[col - 1] = text
        rows.append([cells.get(i, "") for i in range(max(cells) + 1)] if cells else [])
    return rows


class Survey(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sink = Sink()
        cls.clock = FrozenClock("survey")
        cls.db = build_db("survey")
        cls.server = CampaignServer("survey", cls.db, [
            "--smtp", "smtp://127.0.0.1:%d" % cls.sink.port,
            "--base-url", "http://127.0.0.1:{port}",
            "--mail-from", COORD], cls.clock.env()).start()
        cls.base = "http://127.0.0.1:%d" % cls.server.port

    @classmethod
    def tearDownClass(cls):
        cls.sink.stop()

    def links_in(self, messages):
        out = {}
        for rcpts, raw in messages:
            _msg, text = mail_text(raw)
            links = re.findall(r"(\S+/survey\?token=[A-Za-z0-9_-]+)", text)
            self.assertEqual(len(links), 1, text)
            out[rcpts[0]] = links[0][len(self.base):]
        return out

    def saved_rows(self):
        return sql(self.db, "SELECT count(*) FROM survey_answer")[0][0], sql(
            self.db, "SELECT count(*), coalesce(sum(CASE WHEN state = 'submitted' THEN 1 ELSE 0 "
            "END), 0) FROM survey_response")[0]

    def test_survey_journey(self):
        qs = load_questions()
        coord = Client(self.server)
        coord.login(COORD)
        self.assertIn('href="/contracts/1/surveys"', coord.get("/contracts/1").text)
        r = coord.get("/contracts/1/surveys")
        self.assertEqual(r.status, 200)
        r = coord.post("/contracts/1/surveys", {})
        self.assertEqual(r.status, 422)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM survey")[0][0], 0)
        r = coord.post("/contracts/1/surveys", {"template": "cls"})
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        page = r.header("location").split("?")[0]
        sid = int(page.rsplit("/", 1)[1])
        self.assertEqual(sql(self.db, "SELECT count(*) FROM survey_question WHERE survey_id = ?",
                             sid)[0][0], 33)
        # The coordination rewords Q1 and adds a question while the survey is a draft.
        r = coord.get(page)
        self.assertEqual(r.status, 200)
        q1 = sql(self.db, "SELECT id FROM survey_question WHERE survey_id = ? AND position = 1",
                 sid)[0][0]
        r = coord.post(page + "/questions", {"question": q1, "version": 1,
                                             "text": qs[0]["text"], "required": "1"})
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        # A second edit from the same (now stale) page is refused: nothing overwritten.
        r = coord.post(page + "/questions", {"question": q1, "version": 1, "text": "Écrasé"})
        self.assertEqual(r.status, 409)
        self.assertEqual(sql(self.db, "SELECT text, version FROM survey_question WHERE id = ?",
                             q1), [(qs[0]["text"], 2)])
        r = coord.post(page + "/questions", {"text": ADDED["text"], "kind": "single",
                                             "options": "\n".join(ADDED["options"])})
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        r = coord.post(page + "/questions", {"question": sql(
            self.db, "SELECT max(id) FROM survey_question")[0][0], "version": 1,
            "text": ADDED["text"], "required": "1"})
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        # A choice question without choices is refused, nothing added.
        r = coord.post(page + "/questions", {"text": "Sans choix", "kind": "single",
                                             "options": ""})
        self.assertEqual(r.status, 422)
        self.assertIn("au moins deux choix", visible_text(r.text))
        self.assertEqual(sql(self.db, "SELECT count(*) FROM survey_question WHERE survey_id = ?",
                             sid)[0][0], 34)

        # Opening sends one link per carrier contact; only digests are kept.
        deadline = "%s" % __import__("datetime").date.fromtimestamp(self.clock.now + 20 * 86400)
        r = coord.post(page + "/open", {"deadline": deadline})
        self.assertEqual(r.status, 303, visible_text(r.text)[:300])
        got = self.sink.wait(N_ORGS, timeout=60)
        self.assertEqual(len(got), N_ORGS)
        links = self.links_in(got)
        for path in links.values():
            token = urllib.parse.parse_qs(urllib.parse.urlparse(path).query)["token"][0]
            self.assertGreaterEqual(len(token) * 6, 128)
            self.assertEqual(sql(self.db, "SELECT count(*) FROM survey_token WHERE digest = ?",
                                 __import__("hashlib").sha256(token.encode()).hexdigest())[0][0], 1)
        # Questions no longer change once open.
        r = coord.post(page + "/questions", {"question": q1, "version": 2, "text": "Autre"})
        self.assertEqual(r.status, 422)
        self.assertIn("déjà ouvert", visible_text(r.text))

        axis_of, spec_of = {}, {}
        for aid, axis, spec in sql(self.db, "SELECT a.id, ax.code || ' ' || ax.title, "
                                            "sp.code || ' ' || sp.title FROM action a JOIN "
                                            "objective op ON op.id = a.objective_id JOIN "
                                            "objective sp ON sp.id = op.parent_id JOIN objective "
                                            "ax ON ax.id = sp.parent_id"):
            axis_of[aid], spec_of[aid] = axis, spec
        axes = ["Axe 1 Environnement favorable", "Axe 2 Parcours de santé"]
        specs = ["1 Alimentation", "2 Mobilité", "3 Accès aux soins", "4 Santé mentale"]

        rng = random.Random(12)
        answers = []  # (action id, answers, comments) in the order responses were created
        clients = {}
        n = 0
        for org in range(1, 11):
            addr = "contact%02d@questionnaire.example" % org
            c = Client(self.server)
            r = c.get(links[addr])
            self.assertEqual(r.status, 303)
            self.assertEqual(r.header("location"), "/survey/answers")
            r = c.get("/survey/answers")
            self.assertEqual(r.status, 200)
            mine = sorted(int(x) for x in re.findall(r'href="/survey/answers/(\d+)"', r.text))
            self.assertEqual(mine, [a for (a,) in sql(
                self.db, "SELECT action_id FROM action_organisation WHERE organisation_id = ? "
                         "AND role = 'carrier' ORDER BY action_id", org)])
            clients[org] = c
            for aid in mine:
                n += 1
                ans, comments = script_answer(rng, qs, n)
                r = c.get("/survey/answers/%d" % aid)
                self.assertEqual(r.status, 200)
                if n == 1:
                    # Pre-filled with what Boussole knows: title, carrier, partners, statuses.
                    text = visible_text(r.text)
                    self.assertIn("Structure 01", text)
                    self.assertIn("Structure 12", text)
                    self.assertIn("2022 : En cours", text)
                    self.assertTrue(re.search(r'<textarea id="q1-field" name="q1"[^>]*>Action 1 '
                                              r'de la structure 01</textarea>', r.text))
                    # Save a draft (incomplete: required questions missing), resume it.
                    part = {2: ans[2], 6: ans.get(6, [0, 2])}
                    r = c.post("/survey/answers/%d" % aid, form_fields(qs, part, {}, "draft"))
                    self.assertEqual(r.status, 303, visible_text(r.text)[:500])
                    self.assertEqual(self.saved_rows()[1], (1, 0))
                    r = c.get("/survey/answers")
                    self.assertIn("Brouillon enregistré", visible_text(r.text))
                    r = c.get("/survey/answers/%d" % aid)
                    for i in part[6]:
                        self.assertTrue('id="q6-o-%d" name="q6" value="%d" checked'
                                        % (i + 1, i + 1) in r.text, "choice %d of Q6" % i)
                    self.assertIn("Un brouillon est enregistré", visible_text(r.text))
                if n == 2:
                    self.check_refusals(c, aid, qs, ans, comments)
                r = c.post("/survey/answers/%d" % aid, form_fields(qs, ans, comments, "final"))
                self.assertEqual(r.status, 303, "answer %d (action %d): %s" % (n, aid, visible_text(r.text)[:800]))
                answers.append((aid, ans, comments))
        self.assertEqual(len(answers), 30)
        self.assertEqual(self.saved_rows()[1], (30, 30))

        # A link cannot answer for another organisation's action, nor change a sent answer.
        other = sql(self.db, "SELECT action_id FROM action_organisation WHERE organisation_id = "
                             "11 AND role = 'carrier'")[0][0]
        before = self.saved_rows()
        r = clients[1].post("/survey/answers/%d" % other,
                            form_fields(qs, answers[0][1], {}, "final"))
        self.assertEqual(r.status, 403)
        r = clients[1].post("/survey/answers/%d" % answers[0][0],
                            form_fields(qs, answers[0][1], {}, "final"))
        self.assertEqual(r.status, 409)
        self.assertEqual(self.saved_rows(), before)

        # Reminders go only to the contact whose organisation has not answered.
        r = coord.post(page + "/remind", {})
        self.assertEqual(r.status, 303)
        got = self.sink.wait(N_ORGS + 1, timeout=60)
        self.assertEqual(len(got), N_ORGS + 1)
        self.assertEqual(got[-1][0], ["contact11@questionnaire.example"])
        self.assertIn("Rappel", mail_text(got[-1][1])[0]["Subject"])

        # The schedule: 7 days before the deadline, once, again only to the one who did not
        # answer (read in the outbox: the sender works on the wall clock, not the test's).
        last = sql(self.db, "SELECT max(id) FROM outbox")[0][0]
        self.clock.advance(14 * 86400)
        coord = Client(self.server)  # two weeks later: the old session has expired
        coord.login(COORD)
        self.assertEqual(coord.get(page).status, 200)
        self.assertEqual(coord.get(page).status, 200)
        queued = sql(self.db, "SELECT to_addr, subject FROM outbox WHERE id > ? AND kind = "
                              "'survey'", last)
        self.assertEqual(len(queued), 1, queued)
        self.assertEqual(queued[0][0], "contact11@questionnaire.example")
        self.assertTrue(queued[0][1].startswith("Rappel"))

        exp = expected_stats(qs, answers, axis_of, spec_of, axes, specs)
        self.check_results_page(coord, page, qs, exp, axes, specs, answers, axis_of)
        self.check_api(sid, qs, exp, axes, specs, answers, axis_of)
        self.check_raw(coord, page, qs, answers)
        self.check_final_report(coord, len(answers))

        # The close: links, sessions and posts stop; nothing is saved.
        late = Client(self.server)
        self.assertEqual(late.get(links["contact11@questionnaire.example"]).status, 303)
        self.assertEqual(late.get("/survey/answers").status, 200)
        self.assertEqual(late.get("/survey/answers/%d" % other).status, 200)
        r = coord.post(page + "/close", {})
        self.assertEqual(r.status, 303)
        r = Client(self.server).get(links["contact11@questionnaire.example"])
        self.assertEqual(r.status, 410)
        self.assertIn("Questionnaire clos", visible_text(r.text))
        self.assertEqual(late.get("/survey/answers").status, 410)
        before = self.saved_rows()
        r = late.post("/survey/answers/%d" % other, form_fields(qs, answers[0][1], {}, "final"))
        self.assertEqual(r.status, 410)
        self.assertEqual(self.saved_rows(), before)
        # Every step is in the contract's journal, in words.
        journal = visible_text(coord.get("/contracts/1/audit").text)
        self.assertIn("Questionnaire d'évaluation n° %d" % sid, journal)
        self.assertIn("intitulé de la question", journal)
        self.assertIn("question ajoutée", journal)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM audit_log WHERE entity = 'action' "
                                      "AND field = ? AND new_value = 'submitted'",
                             "survey:%d" % sid)[0][0], 30)

    def check_refusals(self, c, aid, qs, ans, comments):
        """Unknown choice, missing required answer, hostile text: 422, a French message next
        to the field, nothing saved."""
        before = self.saved_rows()
        cases = []
        bad = dict(ans)
        bad[3] = [98]  # posted as "99": not one of Q3's choices
        cases.append((form_fields(qs, bad, comments, "final"), 3,
                      "ne fait pas partie des réponses proposées"))
        missing = {p: v for p, v in ans.items() if p != 31}
        cases.append((form_fields(qs, missing, comments, "final"), 31,
                      "Cette question est obligatoire"))
        hostile = dict(ans)
        hostile[32] = "texte\x07piégé"
        cases.append((form_fields(qs, hostile, comments, "draft"), 32, "caractères de contrôle"))
        cases.append((form_fields(qs, {**ans, 1: "x" * 5001}, comments, "final"), 1,
                      "dépasse 5 000 caractères"))
        matrix = {**ans, 30: {1: 0}}
        cases.append((form_fields(qs, matrix, comments, "final"), 30, "chaque ligne"))
        for fields, pos, words in cases:
            r = c.post("/survey/answers/%d" % aid, fields)
            self.assertEqual(r.status, 422, (pos, visible_text(r.text)[:300]))
            err = re.search(r'<p class="error" id="q%d-error">(.*?)</p>' % pos, r.text)
            self.assertTrue(err, pos)
            self.assertIn(words, visible_text(err.group(1)))
            self.assertIn("rien n'a été enregistré", visible_text(r.text))
            self.assertIn('aria-describedby="q%d-error"' % pos, r.text)
            self.assertEqual(self.saved_rows(), before)

    def check_results_page(self, coord, page, qs, exp, axes, specs, answers, axis_of):
        r = coord.get(page + "/results")
        self.assertEqual(r.status, 200)
        t = r.text
        overall = visible_text(re.search(r'<p id="taux-global".*?</p>', t, re.S).group(0))
        self.assertIn("%d %%" % pct(30, 32), overall)
        self.assertIn("30 sur 32", overall)
        rows = table_rows(t, "taux-par-axe")
        for a in axes:
            expected = sum(1 for (x,) in sql(self.db, "SELECT id FROM action WHERE contract_id "
                                                      "= 1") if axis_of[x] == a)
            sent = sum(1 for aid, _, _ in answers if axis_of[aid] == a)
            self.assertIn([a, str(expected), str(sent), "%d %%" % pct(sent, expected)], rows)
        self.assertEqual(len(rows), 2)
        for q in qs:
            p, s = q["pos"], exp[q["pos"]]
            self.assertIn("%d réponse" % s["answered"],
                          visible_text(re.search(r'<p id="n-q%d">.*?</p>' % p, t).group(0)), p)
            k = q["kind"]
            if k in ("single", "multiple", "scale"):
                labels = q["options"] if k != "scale" else [str(v) for v in range(6)]
                got = table_rows(t, "t-q%d" % p)
                want = [[visible_text(l), str(c), "%d %%" % pct(c, s["answered"])]
                        for l, c in zip(labels, s["counts"])]
                self.assertEqual(got, want, p)
                if s["answered"]:
                    self.assertIn('id="chart-q%d"' % p, t)
                for tid, groups, key in (("ax", axes, "ax"), ("os", specs, "os")):
                    got = table_rows(t, "%s-q%d" % (tid, p))
                    want = [[g] + [str(v) for v in s[key][g]] for g in groups]
                    self.assertEqual(got, want, (p, tid))
            if k == "scale" and s["scales"]:
                m = visible_text(re.search(r'<p id="m-q%d">.*?</p>' % p, t).group(0))
                self.assertIn("Moyenne : %s sur 5" % fr(s["mean"], 2), m)
                self.assertIn("médiane : %s" % fr(s["median"], 1), m)
            if k == "matrix":
                got = table_rows(t, "t-q%d" % p)
                no = len(q["options"])
                want = [[visible_text(row)] + [str(s["counts"][i * no + c]) for c in range(no)]
                        for i, row in enumerate(q["rows"])]
                self.assertEqual(got, want)
            for tid, key in (("x", "texts"), ("c", "comments")):
                m = re.search(r'<ul id="%s-q%d" class="free-texts">(.*?)</ul>' % (tid, p), t,
                              re.S)
                items = re.findall(r"<li>(.*?)</li>", m.group(1), re.S) if m else []
                self.assertEqual([visible_text(i) for i in items], s[key], (p, tid))
        # Hostile text is shown as text, never run.
        self.assertIn("&lt;script&gt;alert(", t)
        self.assertNotIn("<script>alert(", t)

    def check_api(self, sid, qs, exp, axes, specs, answers, axis_of):
        token = cli_token(self.db, COORD)
        c = Client(self.server)
        r = c.request("GET", "/api/v1/surveys/%d/results" % sid,
                      headers={"Authorization": "Bearer " + token})
        self.assertEqual(r.status, 200, r.text[:300])
        d = json.loads(r.text)
        self.assertEqual(d["response_rate"]["expected"], 32)
        self.assertEqual(d["response_rate"]["submitted"], 30)
        self.assertEqual(d["response_rate"]["rate"], pct(30, 32))
        spec_of = {aid: sp for aid, sp in sql(self.db, "SELECT a.id, sp.code || ' ' || "
                                                       "sp.title FROM action a JOIN objective op "
                                                       "ON op.id = a.objective_id JOIN objective "
                                                       "sp ON sp.id = op.parent_id")}
        for key, place in (("by_axis", axis_of), ("by_specific", spec_of)):
            groups = d["response_rate"][key]
            self.assertEqual(sorted(g["label"] for g in groups), sorted(set(place.values())))
            for g in groups:
                self.assertEqual(g["expected"], sum(1 for v in place.values() if v == g["label"]))
                self.assertEqual(g["submitted"],
                                 sum(1 for aid, _, _ in answers if place[aid] == g["label"]))
                self.assertEqual(g["rate"], pct(g["submitted"], g["expected"]))
        self.assertEqual(len(d["questions"]), len(qs))
        for q, jq in zip(qs, d["questions"]):
            p, s = q["pos"], exp[q["pos"]]
            self.assertEqual(jq["position"], p)
            self.assertEqual(jq["answered"], s["answered"], p)
            self.assertEqual(jq["texts"], s["texts"], p)
            self.assertEqual(jq["comments"], s["comments"], p)
            if q["kind"] in ("single", "multiple", "scale"):
                self.assertEqual([x["count"] for x in jq["choices"]], s["counts"], p)
                self.assertEqual([x["percent"] for x in jq["choices"]],
                                 [pct(v, s["answered"]) for v in s["counts"]], p)
                self.assertEqual({g["label"]: [g["answered"]] + g["counts"]
                                  for g in jq["by_axis"]}, s["ax"], p)
                self.assertEqual({g["label"]: [g["answered"]] + g["counts"]
                                  for g in jq["by_specific"]}, s["os"], p)
            if q["kind"] == "scale":
                self.assertEqual(jq["scale"]["n"], len(s["scales"]))
                if s["scales"]:
                    self.assertAlmostEqual(jq["scale"]["mean"], s["mean"], places=9)
                    self.assertEqual(jq["scale"]["median"], s["median"])
            if q["kind"] == "matrix":
                flat = [v for row in jq["rows"] for v in row["counts"]]
                self.assertEqual(flat, s["counts"])
        # The API answers only the contract's coordination.
        r = Client(self.server).get("/api/v1/surveys/%d/results" % sid)
        self.assertEqual(r.status, 401)

    def check_raw(self, coord, page, qs, answers):
        def cell(q, v):
            k = q["kind"]
            if k in ("single", "multiple"):
                return " | ".join(q["options"][i] for i in v)
            if k == "scale":
                return str(v)
            if k == "date":
                return "%s → %s" % v
            if k == "matrix":
                return " | ".join("%s : %s" % (q["rows"][r - 1], q["options"][c])
                                  for r, c in sorted(v.items()))
            return v

        want = []
        for aid, ans, comments in answers:
            row = []
            for q in qs:
                row.append(cell(q, ans[q["pos"]]) if shown(qs, q, ans) and q["pos"] in ans
                           else "")
                if q["comment"]:
                    row.append(comments.get(q["pos"], "") if shown(qs, q, ans) else "")
            want.append((aid, row))
        r = coord.get(page + "/results.csv")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("content-type").startswith("text/csv"))
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8"), newline="")))
        self.assertEqual(len(rows), 2 + 30)
        actions = {aid: t for aid, t in sql(self.db, "SELECT id, code || ' ' || title FROM "
                                                     "action")}
        def neutral(v):
            # Like actions.csv: a cell a spreadsheet would run goes behind an apostrophe.
            return "'" + v if v.lstrip("'")[:1] in ("=", "+", "-", "@", "\t", "\r") and v else v

        for (aid, row), got in zip(want, rows[2:]):
            self.assertEqual(got[1], actions[aid])
            self.assertEqual(got[7:], [neutral(v) for v in row])
        self.assertIn("'=SOMME(A1:A9)", [c for line in rows for c in line])
        r = coord.get(page + "/results.xlsx")
        self.assertEqual(r.status, 200)
        sheet = xlsx_rows(r.body)
        self.assertEqual(len(sheet), 1 + 30)
        self.assertEqual(sheet[0][:2], ["Réponse", "Action"])
        for (aid, row), got in zip(want, sheet[1:]):
            got = got + [""] * (7 + len(row) - len(got))
            self.assertEqual(got[1], actions[aid])
            self.assertEqual(got[7:], row)
        self.assertIn("=SOMME(A1:A9)", [c for line in sheet for c in line])
        # LibreOffice opens the workbook and reads the same cells.
        path = tmp_path("questionnaire.xlsx")
        with open(path, "wb") as f:
            f.write(r.body)
        outdir = tmp_path("questionnaire-csv")
        lo = subprocess.run(["soffice", "-env:UserInstallation=file://" + tmp_path("lo-survey"),
                             "--headless", "--norestore", "--convert-to",
                             "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", outdir,
                             path], capture_output=True, timeout=300)
        self.assertEqual(lo.returncode, 0, lo.stderr)
        with open(os.path.join(outdir, "questionnaire.csv"), encoding="utf-8", newline="") as f:
            read = list(csv.reader(f))
        self.assertEqual(len(read), 1 + 30)
        for (aid, row), got in zip(want, read[1:]):
            self.assertEqual(got[1], actions[aid])
            self.assertEqual((got + [""] * len(row))[7:7 + len(row)], row)

    def check_final_report(self, coord, sent):
        """The final evaluation report shows the questionnaire's response rate, on its page and
        in its PDF, with the figures of the results page."""
        expected = 32  # one per action and contact of its carrier (check_api's count)
        line = "%d réponses envoyées sur %d attendues (%d %%)" % (sent, expected,
                                                                   pct(sent, expected))
        page = visible_text(coord.get("/contracts/1/evaluation").text)
        self.assertIn("Résultats du questionnaire", page)
        self.assertIn(line, " ".join(page.split()))
        r = coord.get("/contracts/1/evaluation.pdf")
        self.assertEqual(r.status, 200)
        path = tmp_path("evaluation-survey.pdf")
        with open(path, "wb") as f:
            f.write(r.body)
        text = subprocess.run(["pdftotext", path, "-"], capture_output=True, timeout=120,
                              check=True).stdout.decode("utf-8")
        flat = " ".join(text.split())
        self.assertIn("Résultats du questionnaire", flat)
        self.assertIn(line, flat)


if __name__ == "__main__":
    unittest.main()

"""test_tree_import.py — issue 12, strategy tree import: a contract shaped unlike the demo (3 axes,
5 specific and 11 operational objectives) imported from a table with the optional columns
code_axe, axe, code_objectif_specifique and objectif_specifique gets its whole tree with the real
titles, never "Axe 1" or "Objectif spécifique 1" placeholders; the same columns can be mapped with
--map; a code given two titles, or a specific objective put under two axes, is refused with its
line and column and nothing is written. Runs the CLI on fresh databases."""

import csv
import io
import unittest

import common
from common import connect, run_cli, tmp_path

AXES = {"A1": "Prévenir et promouvoir la santé", "A2": "Faciliter l'accès aux soins",
        "A3": "Prendre soin de la santé mentale"}
SPECIFIC = {  # code: (axis, title)
    "1.1": ("A1", "Développer l'éducation pour la santé des jeunes"),
    "1.2": ("A1", "Réduire les conduites addictives"),
    "2.1": ("A2", "Attirer et maintenir les professionnels de santé"),
    "2.2": ("A2", "Rapprocher les soins des habitants isolés"),
    "3.1": ("A3", "Repérer et orienter la souffrance psychique"),
}
OPERATIONAL = {  # code: (specific, title)
    "1.1.1": ("1.1", "Former les animateurs jeunesse"),
    "1.1.2": ("1.1", "Intervenir dans les collèges"),
    "1.1.3": ("1.1", "Outiller les parents"),
    "1.2.1": ("1.2", "Prévenir l'alcoolisation des jeunes"),
    "1.2.2": ("1.2", "Accompagner l'arrêt du tabac"),
    "2.1.1": ("2.1", "Accueillir les internes"),
    "2.1.2": ("2.1", "Soutenir l'exercice coordonné"),
    "2.2.1": ("2.2", "Déployer la téléconsultation"),
    "2.2.2": ("2.2", "Organiser le transport vers les soins"),
    "3.1.1": ("3.1", "Former au secourisme en santé mentale"),
    "3.1.2": ("3.1", "Animer un conseil local de santé mentale"),
}
# Columns in the held-out table's own order: the tree first, as such tables are often laid out.
HEADER = ["code_axe", "axe", "code_objectif_specifique", "objectif_specifique", "code_objectif",
          "objectif", "action", "fiche", "porteur", "etat", "remarques", "preconisations"]


def table_rows():
    """One or two actions per operational objective; the tree's titles on every row."""
    rows = []
    for n, (code, (spec, title)) in enumerate(sorted(OPERATIONAL.items()), 1):
        axis = SPECIFIC[spec][0]
        for k in range(1 + n % 2):
            rows.append([axis, AXES[axis], spec, SPECIFIC[spec][1], code, title,
                         "Action %s-%d" % (code, k + 1), "%s.%d" % (code, k + 1),
                         "Mairie", "En cours", "", ""])
    return rows


def write_table(name, header, rows):
    path = tmp_path(name)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(header)
        w.writerows(rows)
    return path


def tree(db):
    """{level: {code: (title, parent code)}} of the only contract."""
    con = connect(db)
    try:
        out = {}
        for level, code, title, parent in con.execute(
                "SELECT o.level, o.code, o.title, coalesce(p.code, '') FROM objective o "
                "LEFT JOIN objective p ON p.id = o.parent_id"):
            out.setdefault(level, {})[code] = (title, parent)
        return out
    finally:
        con.close()


def count(db, table):
    con = connect(db)
    try:
        return con.execute("SELECT count(*) FROM %s" % table).fetchone()[0]
    finally:
        con.close()


def init_db(name):
    db = common.new_db(name)
    r = run_cli("init", "--db", db)
    assert r.returncode == 0, r.stderr
    return db


def import_new(db, path, *extra):
    return run_cli("import", "--db", db, "--new-contract", "CLS du Val de Test", "--territory",
                   "Val de Test", "--year", "2024", "--yes", *extra, path)


class TreeImport(unittest.TestCase):

    def check_full_tree(self, db):
        t = tree(db)
        self.assertEqual(t["strategic"], {code: (title, "") for code, title in AXES.items()})
        self.assertEqual(t["specific"],
                         {code: (title, axis) for code, (axis, title) in SPECIFIC.items()})
        self.assertEqual(t["operational"],
                         {code: (title, spec) for code, (spec, title) in OPERATIONAL.items()})
        self.assertEqual(count(db, "action"), len(table_rows()))

    def test_the_tree_columns_give_the_whole_tree(self):
        db = init_db("tree-full.db")
        r = import_new(db, write_table("tree-full.csv", HEADER, table_rows()))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.check_full_tree(db)

    def test_titles_given_once_are_enough(self):
        """Only the first row of each axis and specific objective carries its title."""
        rows, seen = table_rows(), set()
        for row in rows:
            for code_i, title_i in ((0, 1), (2, 3)):
                if row[code_i] in seen:
                    row[title_i] = ""
                seen.add(row[code_i])
        db = init_db("tree-once.db")
        r = import_new(db, write_table("tree-once.csv", HEADER, rows))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.check_full_tree(db)

    def test_mapped_columns(self):
        """A sheet of its own with other headers: the tree columns named with --map."""
        header = ["Axe n°", "Intitulé axe", "OS", "Objectif spécifique (intitulé)", "OO",
                  "Objectif opérationnel", "Intitulé de l'action", "N°", "Qui", "Avancement",
                  "Notes", "Suites"]
        db = init_db("tree-map.db")
        path = write_table("tree-map.csv", header, table_rows())
        r = import_new(db, path, "--map",
                       "axis_code=A,axis=B,specific_code=C,specific=D,objective_code=E,"
                       "objective=F,action=G,sheet=H,carrier=I,status=J,remarks=K,"
                       "recommendations=L,header=1")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.check_full_tree(db)

    def test_without_the_tree_columns_the_old_shape_stays(self):
        """A table of the yearly reports' shape: one axis, specifics from the codes."""
        rows = [r[4:] for r in table_rows()]
        db = init_db("tree-none.db")
        r = import_new(db, write_table("tree-none.csv", HEADER[4:], rows))
        self.assertEqual(r.returncode, 0, r.stderr)
        t = tree(db)
        self.assertEqual(t["strategic"], {"": ("Axe 1", "")})
        self.assertEqual(sorted(t["specific"]), ["1", "2", "3"])
        self.assertEqual(t["specific"]["2"], ("Objectif spécifique 2", ""))

    def test_two_titles_for_one_axis_are_refused(self):
        rows = table_rows()
        rows[3][1] = "Un autre titre"
        db = init_db("tree-two-titles.db")
        r = import_new(db, write_table("tree-two-titles.csv", HEADER, rows))
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("line 5, column B", r.stderr)
        self.assertIn("l'axe « A1 » porte ici le titre « Un autre titre »", r.stderr)
        self.assertEqual(count(db, "objective"), 0)
        self.assertEqual(count(db, "contract"), 0)

    def test_a_specific_objective_under_two_axes_is_refused(self):
        rows = table_rows()
        last = rows[-1]  # a 3.1.x row put under axis A2
        last[0], last[1] = "A2", AXES["A2"]
        db = init_db("tree-two-axes.db")
        r = import_new(db, write_table("tree-two-axes.csv", HEADER, rows))
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("line %d, column A" % (len(rows) + 1), r.stderr)
        self.assertIn("l'objectif spécifique « 3.1 » est déjà sous l'axe", r.stderr)
        self.assertEqual(count(db, "action"), 0)


if __name__ == "__main__":
    unittest.main()

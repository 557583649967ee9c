#!/usr/bin/python3
"""demo_report_texts.py SEED NEW_ACTIONS OUT — writes data/demo/report_texts.csv, the narrative
texts of the demo's yearly execution reports (annex 5 of the CLS 2 evaluation report), taken
verbatim from the seed text and turned into Markdown: context, missions, governance,
communication and conclusion of each year, the 2020 work per axis (the 7 priorities, that is
the specific objectives 1-7), and the new actions identified each year (from the extraction's
new_actions_identified.csv). Standard library only; run once, the CSV is committed.

  python3 tools/demo_report_texts.py ../shared/seeds/000_3f0727db54dbf736.txt \\
      ../shared/data/cls2-coeur-de-lorraine/new_actions_identified.csv data/demo/report_texts.csv
"""
import csv
import re
import sys

# The yearly reports in the seed (1-based lines, see the extraction's README).
BLOCKS = {2019: (965, 1116), 2020: (1117, 1511), 2021: (1512, 1793), 2022: (1794, 2052),
          2023: (2053, 2352)}

# Headings of the sections (regexes on a stripped line). The missions' list of topics repeats
# "Gouvernance et suivi", "Communication…" and "Travaux menés…": the headings are the last
# matches before the per-action table.
CONTEXT = r"^(\d+\. )?CONTEXTE\s*$"
MISSIONS = r"^(\d+\. )?MISSIONS? RÉALISÉES EN \d{4}\s*$|^Missions? réalisées en \d{4}\s*$"
MISSIONS_END = r"^Missions réalisées en \d{4} par"
GOVERNANCE = r"^(\d+\. )?Gouvernance et suivi( du CLS)?\s*:?\s*$"
COMMUNICATION = r"^(\d+\. )?Communication( autour du CLS)?\s*:?\s*$"
WORK = r"^Travaux menés en \d{4} par axe\s*:?\s*$|^Travaux relatifs"
TABLE = r"^Bilan \d{4} par action\s*$"
INDICATORS = r"^(\d+\. )?Indicateurs d'évaluation\s*$|^(\d+\. )?INDICATEURS D'ÉVALUATION"


def markdown(lines):
    """Seed lines to Markdown: bullets '⇒' become list items, superscripts and HTML tags go,
    paragraphs are separated by blank lines."""
    out = []
    for raw in lines:
        line = raw.strip()
        if not line or "\t" in line:
            continue  # table rows belong to the per-action table, not to the narrative
        line = re.sub(r"\^\{([^}]*)\}", r"\1", line)
        line = re.sub(r"</?(i|b|p|ul|li|em|strong)>", "", line)
        line = re.sub(r"^-\s*⇒\s*", "- ", line)
        line = re.sub(r"^⇒\s*", "- ", line)
        line = re.sub(r"^o\s+", "", line)
        if line.startswith("- ") and out and out[-1].startswith("- "):
            out[-1] += "\n" + line
        else:
            out.append(line)
    return "\n\n".join(out).strip()


def find(lines, start, regex):
    for i in range(start, len(lines)):
        if re.search(regex, lines[i].strip()):
            return i
    return None


def last(lines, start, stop, regex):
    found = None
    for i in range(start, stop):
        if re.search(regex, lines[i].strip()):
            found = i
    return found


def year_texts(seed, year):
    first, end = BLOCKS[year]
    lines = seed[first - 1:end - 1]
    texts = []

    def add(section, a, b, code=""):
        if a is None or b is None or b <= a:
            return
        body = markdown(lines[a + 1:b])
        if body:
            texts.append((year, section, code, body, "%d-%d" % (first + a + 1, first + b - 1)))

    context = find(lines, 0, CONTEXT)
    missions = find(lines, (context or 0) + 1, MISSIONS)
    missions_end = find(lines, (missions or 0) + 1, MISSIONS_END)
    indicators = find(lines, (missions or 0) + 1, INDICATORS) or len(lines)
    table = find(lines, (missions_end or missions or 0) + 1, TABLE) or indicators
    start = (missions_end or missions or 0) + 1
    governance = last(lines, start, table, GOVERNANCE)
    communication = last(lines, (governance or start) + 1, table, COMMUNICATION)
    work = find(lines, (communication or start) + 1, WORK)
    if work is not None and work > table:
        work = None
    heads = [i for i in (context, missions, missions_end, governance, communication, work, table)
             if i is not None]

    def next_head(i):
        return min([h for h in heads if h > i] + [len(lines)])

    add("context", context, missions)
    add("missions", missions, missions_end or next_head(missions or 0))
    add("governance", governance, next_head(governance or 0))
    add("communication", communication, next_head(communication or 0))
    # The conclusions only restate the year's figures: the report computes them from the data
    # (src/model/plan/figures.h) and cites the source's own in data/demo/source_figures.csv.
    if year == 2020 and work is not None:
        # "8. Axe 1, diminuer l'isolement…" … "Axe 7 …": the 7 priorities of the contract.
        axes = [(i, re.search(r"Axe (\d)", lines[i]).group(1)) for i in range(work, table)
                if re.search(r"^(\d+\. )?Axe \d[, ]", lines[i].strip())]
        for k, (i, code) in enumerate(axes):
            add("objective", i, axes[k + 1][0] if k + 1 < len(axes) else table, code)
    return texts


def new_actions(path):
    by_year = {}
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            by_year.setdefault(int(r["year"]), []).append(r)
    out = []
    for year, rows in sorted(by_year.items()):
        parts, category = [], None
        for r in rows:
            if r["category"] != category:
                category = r["category"]
                parts.append("**%s%s :**\n" % (category[0].upper(), category[1:]))
            parts[-1] += "\n- " + r["item"]
        lines = sorted({int(r["source_line"]) for r in rows if r["source_line"].isdigit()})
        out.append((year, "new_actions", "", "\n\n".join(parts),
                    ";".join(str(x) for x in lines)))
    return out


def main():
    seed_path, new_path, out_path = sys.argv[1:4]
    with open(seed_path, encoding="utf-8") as f:
        seed = f.read().split("\n")
    rows = []
    for year in sorted(BLOCKS):
        rows += year_texts(seed, year)
    rows += new_actions(new_path)
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    with open(out_path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["year", "section", "objective_code", "body", "source_lines"])
        w.writerows(rows)
    print("%s: %d texts" % (out_path, len(rows)))


if __name__ == "__main__":
    main()

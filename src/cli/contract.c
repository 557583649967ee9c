/* contract.c — `boussole contract next`: the next contract made from a contract, as the web's
 * /contracts/{id}/next does (model/contract_next.c), for scripts; without --yes it only says
 * what it would do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "model/plan/action.h"
#include "model/core/contract.h"
#include "model/evaluation/contract_next.h"
#include "model/plan/figures.h"
#include "store/db.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: boussole contract next --db FILE --from ID [--keep all|active] [--title T]\n"
    "                              [--start-year Y] [--end-year Y] [--yes]\n"
    "\n"
    "Creates the contract that follows contract ID (CLS 3 from CLS 2): its strategy tree and\n"
    "the kept actions with their carriers, partners, sheet and indicator definitions, each\n"
    "linked to the action it continues (their statuses stay with contract ID).\n"
    "  --keep all      every action is reconducted (the default)\n"
    "  --keep active   the actions abandoned in the reporting year are left out\n"
    "Recommendations are not carried from here: use the web page for that.\n"
    "Without --yes, prints what would be created and changes nothing.\n";

static int parse_year(const char *s, int fallback)
{
    if (!s)
        return fallback;
    char *end;
    long v = strtol(s, &end, 10);
    return *end || v < 1990 || v > 2100 ? -1 : (int)v;
}

static int contract_next_cmd(int argc, char **argv)
{
    const char *db_path = NULL, *from = NULL, *keep = "all", *title = NULL, *start = NULL,
               *end = NULL;
    bool yes = false;
    const struct cli_opt opts[] = {{"db", &db_path, NULL},       {"from", &from, NULL},
                                   {"keep", &keep, NULL},        {"title", &title, NULL},
                                   {"start-year", &start, NULL}, {"end-year", &end, NULL},
                                   {"yes", NULL, &yes},          {0}};
    int n_pos, rc = cli_parse(argc, argv, opts, NULL, 0, &n_pos, usage);
    if (rc)
        return rc > 0 ? 0 : 2;
    char *stop = NULL;
    long long from_id = from ? strtoll(from, &stop, 10) : 0;
    if (!db_path || !from || *stop || from_id <= 0)
        return cli_bad_arg("contract", "expected --db FILE and --from ID (a contract number)");
    if (!str_eq(keep, "all") && !str_eq(keep, "active"))
        return cli_bad_arg("contract", "--keep: expected all or active, not '%s'", keep);
    struct store *db;
    char err[256];
    if (store_open(db_path, &db, err, sizeof err) != ERR_OK)
        return cli_fail("%s", err);
    struct arena a = {0};
    struct contract c = {0};
    int year = 0, n = 0, n_recs = 0, status = 1;
    struct action *xs = NULL;
    struct next_recommendation *recs = NULL;
    rc = contract_get(db, &a, from_id, &c);
    if (rc == ERR_NOTFOUND) {
        status = cli_fail("contract next: no contract %lld", from_id);
        goto out;
    }
    struct action_filter f = {.contract_id = from_id};
    if (rc != ERR_OK || figures_reporting_year(db, from_id, &year, NULL) != ERR_OK ||
        (f.year = year, action_list(db, &a, &f, &xs, &n)) != ERR_OK ||
        next_recommendations(db, &a, from_id, &recs, &n_recs) != ERR_OK) {
        status = cli_fail("contract next: the database could not be read");
        goto out;
    }
    int gen = c.generation ? c.generation + 1 : 0;
    int first = parse_year(start, c.end_year ? c.end_year + 1 : 0);
    int last = parse_year(end, first > 0 ? first + 4 : 0);
    if (first <= 0 || last <= 0) {
        status = cli_bad_arg("contract",
                             "--start-year and --end-year: years from 1990 to 2100 "
                             "(needed when contract %lld has no end year)",
                             from_id);
        goto out;
    }
    char default_title[80];
    snprintf(default_title, sizeof default_title, "Contrat local de santé n° %d", gen);
    long long *ids = arena_alloc(&a, sizeof *ids * (n + 1));
    enum next_choice *choices = arena_alloc(&a, sizeof *choices * (n + 1));
    long long *rids = arena_alloc(&a, sizeof *rids * (n_recs + 1));
    long long *under = arena_alloc(&a, sizeof *under * (n_recs + 1));
    enum next_carry *carries = arena_alloc(&a, sizeof *carries * (n_recs + 1));
    int kept = 0;
    for (int i = 0; i < n; i++) {
        ids[i] = xs[i].id;
        bool drop = str_eq(keep, "active") && xs[i].status == ST_ABANDONED;
        choices[i] = drop ? NEXT_DROP : NEXT_RECONDUCT;
        kept += !drop;
    }
    for (int i = 0; i < n_recs; i++) {
        rids[i] = recs[i].id;
        under[i] = 0;
        carries[i] = CARRY_NONE;
    }
    struct next_plan plan = {.title = title ? title
                                      : gen ? default_title
                                            : c.title,
                             .short_title = "",
                             .start_year = first,
                             .end_year = last,
                             .action_ids = ids,
                             .choices = choices,
                             .n_actions = n,
                             .rec_ids = rids,
                             .carries = carries,
                             .carry_under = under,
                             .n_recs = n_recs};
    printf("Contract %lld « %s » → « %s » (%d–%d): %d of %d actions kept, %d "
           "recommendation(s) not carried.\n",
           from_id, c.title, plan.title, first, last, kept, n, n_recs);
    if (!yes) {
        printf("Nothing created: add --yes to create it.\n");
        status = 0;
        goto out;
    }
    struct actor who = {0, "ligne de commande"};
    struct problems p = {0};
    long long id = 0;
    rc = next_contract_create(db, &a, &who, from_id, &plan, &p, &id);
    if (rc == ERR_OK) {
        printf("Created contract %lld.\n", id);
        status = 0;
    } else if (rc == ERR_CONFLICT) {
        status = cli_fail("contract next: contract %lld already has a next contract (%lld)",
                          from_id, id);
    } else if (rc == ERR_INVALID) {
        for (int i = 0; i < p.n; i++)
            fprintf(stderr, "boussole contract next: %s\n", p.message[i]);
        status = 1;
    } else {
        status = cli_fail("contract next: the database refused the change");
    }
out:
    arena_free(&a);
    store_close(db);
    return status;
}

int cmd_contract(int argc, char **argv)
{
    if (argc >= 2 && str_eq(argv[1], "next"))
        return contract_next_cmd(argc - 1, argv + 1);
    if (argc >= 2 && (str_eq(argv[1], "--help") || str_eq(argv[1], "-h"))) {
        fputs(usage, stdout);
        return 0;
    }
    fputs(usage, stderr);
    return 2;
}

/* fuzz_data_inclusion.c — libFuzzer target: a data·inclusion file given to the directory import
 * (di_import, dry run, on a database with one contract and one organisation): no crash, no
 * leak; a refusal has a French message in valid UTF-8 naming the file; nothing is ever left in
 * the database by a dry run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/str.h"
#include "format/data/data_inclusion.h"
#include "store/db.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *db;

static long long services(void)
{
    struct stmt *st = store_prepare(db, "SELECT count(*) + (SELECT count(*) FROM audit_log) "
                                        "FROM service");
    long long n = -1;
    if (stmt_step(st) == 1) {
        n = stmt_int(st, 0);
        stmt_done(st);
    }
    return n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char dir[] = "/tmp/boussole-fuzz-di-XXXXXX", path[128], err[256];
    if (!mkdtemp(dir))
        abort();
    snprintf(path, sizeof path, "%s/di.db", dir);
    if (store_open(path, &db, err, sizeof err) != ERR_OK)
        abort();
    static const char *const setup[] = {
        "INSERT INTO territory (id, name) VALUES (1, 'Pays')",
        ("INSERT INTO contract (id, territory_id, title, created_at) VALUES (1, 1, 'CLS', "
         "'2025-01-01T00:00:00Z')"),
        "INSERT INTO organisation (id, slug, name) VALUES (1, 'org', 'Organisme')",
    };
    for (size_t i = 0; i < sizeof setup / sizeof *setup; i++)
        if (stmt_exec(store_prepare(db, setup[i])) != ERR_OK)
            abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    long long before = services();
    struct di_file f = {"fuzz.json", (const char *)data, size};
    struct di_report r;
    struct actor who = {0, "fuzz"};
    int rc = di_import(db, &who, 1, &f, 1, false, &r);
    if (rc == ERR_INVALID &&
        (!r.error[0] || !utf8_valid(r.error, strlen(r.error)) || !strstr(r.error, "fuzz.json")))
        abort();
    if (services() != before) /* a dry run writes nothing */
        abort();
    return 0;
}

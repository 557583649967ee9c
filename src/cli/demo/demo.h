/* demo.h — the loaders of the demo contract (cli/demo/demo_load.c, demo_report.c): fixtures for
 * `boussole demo` and the tests. */
#ifndef CLI_DEMO_H
#define CLI_DEMO_H

#include <stdbool.h>
#include <stddef.h>

/* Loads the demo contract from the CSV files of dir into the open database, in one transaction,
 * unless a contract with the demo's slug is already there; *loaded tells which. Returns 0 or a
 * negative enum err with a message on stderr. */
struct store;
int demo_load(struct store *db, const char *dir, bool *loaded);
/* demo_report.c: loads the demo contract's beneficiary block, conventions and yearly project
 * leads from dir/contract.csv into the open transaction; a reason in err on failure. */
struct arena;
int demo_load_report(struct store *db, struct arena *a, const char *dir, long long contract_id,
                     char *err, size_t errlen);
/* demo_communication.c: loads the communication plan of dir/communication_plan.csv with its
 * yearly targets and the dated achievements the report states; a reason in err on failure. */
int demo_load_communication(struct store *db, struct arena *a, const char *dir,
                            long long contract_id, char *err, size_t errlen);

#endif

/* demo_governance.h — the governance part of the demo contract (meetings.csv). */
#ifndef CLI_DEMO_GOVERNANCE_H
#define CLI_DEMO_GOVERNANCE_H

#include <stddef.h>

struct store;
struct arena;

/* Loads the bodies the report names, the 305 meetings of dir/meetings.csv grouped into them with
 * their statuses, the plan entries those meetings stood for, and the signatories' representatives
 * as members of the steering committee; into the caller's open transaction (nothing audited: it
 * is an import). On failure returns a negative enum err with a reason in err. */
int demo_load_governance(struct store *db, struct arena *a, const char *dir,
                         long long contract_id, char *err, size_t errlen);

#endif

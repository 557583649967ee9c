/* import_upload.h — a spreadsheet uploaded to the import screen, kept (for one day at most) by
 * its contract and the account that sent it while the coordination chooses the sheet and the
 * columns. Knows nothing of spreadsheets: bytes in, bytes out. */
#ifndef MODEL_IMPORT_UPLOAD_H
#define MODEL_IMPORT_UPLOAD_H

#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"
#include "store/db.h"

enum { IMPORT_UPLOAD_MAX = 8 << 20 };

/* Keeps a file (at most IMPORT_UPLOAD_MAX bytes) for (contract, account); removes the uploads
 * older than a day; *id gets the new upload's id. */
int import_upload_save(struct store *db, long long contract_id, long long account_id,
                       const char *filename, const char *data, size_t len,
                       long long *id) MUST_CHECK;
/* The file of upload id, when it belongs to that contract and account (else ERR_NOTFOUND);
 * data and filename in the arena. */
int import_upload_get(struct store *db, struct arena *a, long long id, long long contract_id,
                      long long account_id, char **filename, char **data,
                      size_t *len) MUST_CHECK;
/* Forgets an upload (after its import). */
int import_upload_delete(struct store *db, long long id) MUST_CHECK;

#endif

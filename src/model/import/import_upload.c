/* import_upload.c — SQL of the uploads kept between the import screen's steps (base64 text, so
 * that it stays portable SQL). Must not parse the files. */
#include "model/import/import_upload.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"

int import_upload_save(struct store *db, long long contract_id, long long account_id,
                       const char *filename, const char *data, size_t len, long long *id)
{
    if (len > IMPORT_UPLOAD_MAX || !filename || !utf8_valid(filename, strlen(filename)))
        return ERR_INVALID;
    struct stmt *st = store_prepare(db, "DELETE FROM import_upload WHERE created_at < "
                                        "strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 day')");
    int rc = stmt_exec(st);
    if (rc != ERR_OK)
        return rc;
    size_t cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = xmalloc(cap);
    sodium_bin2base64(b64, cap, (const unsigned char *)data, len, sodium_base64_VARIANT_ORIGINAL);
    st = store_prepare(db, "INSERT INTO import_upload (contract_id, account_id, filename, data, "
                           "created_at) VALUES (?1, ?2, ?3, ?4, "
                           "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_int(st, 2, account_id);
    stmt_bind_text(st, 3, filename);
    stmt_bind_text(st, 4, b64);
    rc = stmt_exec(st);
    free(b64);
    if (rc == ERR_OK)
        *id = store_last_id(db);
    return rc;
}

int import_upload_get(struct store *db, struct arena *a, long long id, long long contract_id,
                      long long account_id, char **filename, char **data, size_t *len)
{
    struct stmt *st = store_prepare(db, "SELECT filename, data FROM import_upload WHERE id = ?1 "
                                        "AND contract_id = ?2 AND account_id = ?3");
    stmt_bind_int(st, 1, id);
    stmt_bind_int(st, 2, contract_id);
    stmt_bind_int(st, 3, account_id);
    int rc = stmt_step(st);
    if (rc != 1)
        return rc < 0 ? rc : ERR_NOTFOUND;
    *filename = stmt_text(st, 0, a);
    char *b64 = stmt_text(st, 1, a);
    stmt_done(st);
    size_t n = strlen(b64);
    *data = arena_alloc(a, n / 4 * 3 + 4);
    if (sodium_base642bin((unsigned char *)*data, n / 4 * 3 + 3, b64, n, NULL, len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return ERR_INVALID;
    (*data)[*len] = '\0';
    return ERR_OK;
}

int import_upload_delete(struct store *db, long long id)
{
    struct stmt *st = store_prepare(db, "DELETE FROM import_upload WHERE id = ?1");
    stmt_bind_int(st, 1, id);
    return stmt_exec(st);
}

/* json.h — writing JSON answers: the pieces every API file shares (web/api and
 * web/governance/governance_api.c, which as a feature may include only web/core: hence here).
 * Strings go out through %j; absent values as null. */
#ifndef WEB_CORE_JSON_H
#define WEB_CORE_JSON_H

#include <stdbool.h>

#include "web/http/http.h"

/* Starts a JSON answer of status: empties the body and sets the content type. */
void json_begin(struct res *res, int status);
/* A JSON string, or null when s is NULL or empty (the model gives "" for absent text). */
void json_text(struct buf *b, const char *s);
/* A JSON number, or null when v is 0 (the model's "unknown" for ids and years). */
void json_int(struct buf *b, long long v);
/* A JSON number, or null when !has or v is not finite. */
void json_number(struct buf *b, bool has, double v);
/* A JSON array of strings. */
void json_keys(struct buf *b, const char *const *keys, int n);
/* Answers {"error": message, "field": field or null} with status; returns status. */
int json_error(struct res *res, int status, const char *field, const char *message);

/* The API's answer to a database that failed: 500 {"error": "La base de données n'a pas pu être
 * lue."} (page_error answers JSON under /api/); returns 500. */
int json_db_error(struct req *req, struct res *res);

#endif

/* api.h — what the JSON API's files share (api.c reads, api_write.c writes), and the parsers
 * of JSON request bodies, which need no server, database or request: the unit tests and the
 * libFuzzer target call them directly. */
#ifndef WEB_API_H
#define WEB_API_H

#include <stdbool.h>
#include <stddef.h>

#include "model/plan/editing.h"
#include "web/http/http.h"

/* Answers the action as GET /api/v1/actions/{id} shows it (200), or 404 / 500 as JSON. Every
 * write of the API answers with it, so a client sees the same object whatever it did. */
int api_action_answer(struct req *req, struct res *res, long long id);

/* Why a JSON body is refused. status is 400 when the body is not what the API reads (not JSON,
 * not an object, an unknown field, a value of the wrong JSON type) and 422 when a value is
 * missing or not acceptable (unknown status key, year out of range, text too long…). field is
 * the body's key at fault, NULL for the body as a whole; message is French. Both are literals
 * or in the arena given to the parser. */
struct api_body_error {
    int status;
    const char *field;
    const char *message;
};

/* POST /api/v1/actions/{id}/status: {"year": 2023, "status": "in_progress", "remarks": "…",
 * "recommendations": "…"}. year (1990–2100) and status (a key of status.h) are required;
 * remarks and recommendations may be absent or null (then ""). */
struct api_status_body {
    int year;
    enum status status;
    const char *remarks, *recommendations; /* in the arena, never NULL */
};

/* Which fields an action body gave (bits of api_action_body.given). */
enum {
    API_F_KIND = 1 << 0,
    API_F_CODE = 1 << 1,
    API_F_TITLE = 1 << 2,
    API_F_NOTES = 1 << 3,
    API_F_OBJECTIVE = 1 << 4,
    API_F_CARRIER = 1 << 5,
    API_F_CO_CARRIERS = 1 << 6,
    API_F_PARTNERS = 1 << 7,
};

/* POST /api/v1/actions/{id}: "version" (required, the version the client read) and any of
 * "kind" ("sheet"/"lead"), "code", "title", "notes" (strings; null is ""), "objective_id"
 * (id), "carrier_id" (id, or null for none), "co_carriers" and "partners" (arrays of ids).
 * A field not given keeps its value: see api_action_body_apply. */
struct api_action_body {
    int version;
    unsigned given;
    const char *kind, *code, *title, *notes; /* in the arena when given */
    long long objective_id, carrier_id;
    long long co_carriers[EDIT_MAX_ORGS];
    int n_co_carriers;
    long long partners[EDIT_MAX_ORGS];
    int n_partners;
};

/* Parses and checks a status body of len bytes (need not be NUL-terminated). 0 on success;
 * ERR_INVALID with *err filled otherwise. Strings are copied into a. */
int api_parse_status_body(const char *body, size_t len, struct arena *a,
                          struct api_status_body *out, struct api_body_error *err) MUST_CHECK;
/* Parses and checks an action body the same way; checks that need the database (the objective
 * belongs to the contract, the organisations exist, the code is free) are action_check's. */
int api_parse_action_body(const char *body, size_t len, struct arena *a,
                          struct api_action_body *out, struct api_body_error *err) MUST_CHECK;
/* Overwrites in e (the action as it is, see action_edit_from) the fields the body gave. */
void api_action_body_apply(const struct api_action_body *b, struct action_edit *e);
/* The body key of a field named by action_check ("co_carrier" is "co_carriers"…). */
const char *api_action_field(const char *problem_field);
/* True for a Content-Type that announces JSON ("application/json", parameters allowed). */
bool api_is_json(const char *content_type);

#endif

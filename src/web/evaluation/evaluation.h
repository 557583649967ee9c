/* evaluation.h — what the final evaluation feature shares between its files and with routes.c
 * (the audit log's field names of SWOT items and recommendations). */
#ifndef WEB_EVALUATION_H
#define WEB_EVALUATION_H

#include "base/arena.h"
#include "model/core/audit.h"
#include "web/http/http.h"

/* The French name of a SWOT item's or a recommendation's field; NULL when not one of them. */
const char *eval_audit_field_label(struct arena *a, const char *entity, const char *field);

/* What went wrong with a submitted form, shown next to that form on the page answered again. */
struct eval_error {
    const char *form;    /* "swot-12", "swot-new-strength", "rec-3", "rec-new", "text-status" */
    const char *message; /* French, literal or arena */
    const char *fields[6], *values[6]; /* the person's input, kept */
    int n;
    const struct audit_entry *changes; /* a refused stale write: what changed since */
    int n_changes;
};

/* Answers the evaluation page of the route's contract with status (200, or 409/422 with err
 * shown next to its form). */
int eval_page_answer(struct req *req, struct res *res, int status, const struct eval_error *err);

#endif

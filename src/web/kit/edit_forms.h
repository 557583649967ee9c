/* edit_forms.h — what the editing screens share (edit_pages.c, action_edit.c, history_pages.c):
 * the actor of a request, model problems shown as form errors, the hidden version field, the
 * organisation pickers, success notices, and the table of audit entries used by the history
 * pages and by the "someone changed this in between" box of a refused save. */
#ifndef WEB_EDIT_FORMS_H
#define WEB_EDIT_FORMS_H

#include <stdbool.h>

#include "model/core/audit.h"
#include "model/plan/editing.h"
#include "web/kit/form.h"
#include "web/http/http.h"
#include "web/kit/load.h"

/* The person a request's changes are attributed to (its account). */
struct actor edit_actor(const struct req *req);
/* The one contract whose records (shared organisations, contact records tied to accounts) the
 * request's account may change: 0 for any (administrators), -1 for none. */
long long edit_scope(const struct req *req);
/* organisation_pages.c: the 403 page of a change to an organisation other contracts show
 * (org: its id; o: the fields asked, proposed for the contract's own copy; p: problems of a
 * refused copy, or NULL); returns 403 (422 when p has problems). */
int organisation_refuse_shared(struct req *req, struct res *res, long long org,
                               const struct organisation *o, const struct problems *p);
/* True when the request's account may change organisation org in place (see
 * organisation_in_scope); false also when it cannot be read. */
bool edit_organisation_in_scope(struct req *req, long long org);
/* On an administrator's form: which contracts an organisation shown by several will change in,
 * each journal listing the change (nothing when one contract or none shows it). */
void organisation_shared_notice(struct req *req, struct buf *b, long long org);
/* A string built from our own format (ids, literals: never untrusted text), in the arena. */
const char *edit_fmt(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The audit entries of a record since version, newest first, for a 409 answer (0 when none). */
int edit_changes_since(struct req *req, const char *entity, long long id, int version,
                       struct audit_entry **out);
/* Begins a page under a contract: Contrats › contract › (middle ›) what. */
struct contract;
void edit_begin(struct req *req, struct res *res, const struct contract *c, const char *title,
                const char *middle, const char *middle_href, const char *what);
/* The hidden "version" field of a form. */
void edit_version_field(struct buf *b, struct arena *a, int version);
/* Copies the model's problems into form errors. */
void edit_problems(const struct problems *p, struct form_errors *e);
/* Reads the hidden "version" field: ERR_INVALID when absent or not a positive number. */
int edit_version(const struct req *req, int *version) MUST_CHECK;
/* A 303 redirect to location (copied into the arena). */
int edit_redirect(struct req *req, struct res *res, const char *location);
/* The success notice of ?saved=… (one line, role="status"); nothing when absent or unknown. */
void edit_saved_notice(const struct req *req, struct buf *b);
/* Reads an optional id form field: "" gives 0; *ok false when it is not a number. */
long long edit_form_id(const struct req *req, const char *name, bool *ok);
/* Reads a year form field: "" gives 0; *ok false when it is not a year in 1990–2100. */
int edit_form_year(const struct req *req, const char *name, bool *ok);

/* A <select> of organisations with a first empty option (none_label), label above, error. */
void edit_org_select(struct buf *b, const char *name, const char *id_suffix, const char *label,
                     const struct organisation *orgs, int n, long long selected,
                     const char *none_label, const char *help, const char *error);
/* A fieldset of organisations in one role: the chosen ones as checked boxes (untick to remove)
 * and a select to add one; every value comes back in repeated `name` fields. */
void edit_org_set(struct buf *b, const char *name, const char *legend, const char *add_label,
                  const struct organisation *orgs, int n, const long long *chosen, int n_chosen,
                  const char *error);
/* Reads the repeated id fields `name` (empty ones skipped, repeats kept once) into ids. *ok false
 * when one is not a number. */
int edit_form_ids(const struct req *req, const char *name, long long *ids, int max, bool *ok);
/* A yes/no checkbox with its label and help. */
void edit_checkbox(struct buf *b, const char *name, const char *label, const char *help,
                   bool checked);

/* action_edit.c: the year of req->now (UTC). */
int action_current_year(const struct req *req);
/* action_edit.c: the "Enregistrer l'état d'avancement" section of an action (heading and form,
 * prefilled with the current year's latest status). */
struct action;
void action_status_section(struct req *req, struct res *res, const struct action *x);

/* French name of an audited field ("Intitulé", "État d'avancement 2023"…). */
const char *edit_field_label(struct arena *a, const char *entity, const char *field);
/* A table of audit entries: date, person, (record,) field, before, after. */
void edit_audit_table(struct buf *b, struct arena *a, const struct audit_entry *e, int n,
                      bool show_record, const char *caption);
/* The box of a refused save: who changed what since the version loaded, and what to do. */
void edit_conflict_box(struct buf *b, struct arena *a, const struct audit_entry *e, int n);

#endif

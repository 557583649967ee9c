/* tracking.c — what the rows of a tracking table mean, the entry points: header recognition,
 * the messages, and tracking_plan / tracking_apply, which check every row (tracking_check.c),
 * compute the plan of every change (tracking_plan.c) and write it with the coordinator's choices
 * (tracking_apply.c); the export is in tracking_export.c. Must not read or write files, know CSV,
 * or produce HTML. */
#include "model/import/tracking.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/text.h"
#include "model/plan/action.h"
#include "model/core/contract.h"
#include "model/plan/figures.h"
#include "model/core/organisation.h"
#include "model/import/tracking_match.h"
#include "store/rows.h"
#include "model/import/tracking_internal.h"

/* Other spellings of the headers, folded with '_' for blanks (see header_key). */
static const struct {
    const char *name;
    enum tracking_column col;
} header_variants[] = {
    {"code_de_l'objectif", TRK_OBJECTIVE_CODE},
    {"fiche_action", TRK_SHEET},
    {"code_fiche", TRK_SHEET},
    {"porteurs", TRK_CARRIER},
    {"etat_d'avancement", TRK_STATUS},
    {"remarque", TRK_REMARKS},
    {"preconisation", TRK_RECOMMENDATIONS},
    {"axe_strategique", TRK_AXIS},
    {"code_axe_strategique", TRK_AXIS_CODE},
    {"objectif_strategique", TRK_AXIS},
    {"code_objectif_strategique", TRK_AXIS_CODE},
    {"code_de_l'objectif_specifique", TRK_SPECIFIC_CODE},
};

/* printf into the arena (buf_printf's conversions). */
char *trk_aprintf(struct arena *a, const char *fmt, ...)
{
    struct buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

void tracking_column_letter(int column, char out[8])
{
    char rev[8];
    int n = 0;
    for (int c = column + 1; c > 0 && n < 7; c = (c - 1) / 26)
        rev[n++] = (char)('A' + (c - 1) % 26);
    for (int i = 0; i < n; i++)
        out[i] = rev[n - 1 - i];
    out[n] = '\0';
}

char *tracking_error_text(const struct tracking_error *e, struct arena *a)
{
    char letter[8];
    tracking_column_letter(e->column, letter);
    if (e->line > 0 && e->column >= 0)
        return trk_aprintf(a, "line %d, column %s: %s", e->line, letter, e->reason);
    if (e->line > 0)
        return trk_aprintf(a, "line %d: %s", e->line, e->reason);
    return arena_strdup(a, e->reason);
}

void trk_add_error(struct arena *a, struct tracking_result *res, int line, int column,
                   const char *fmt, ...)
{
    res->errors = rows_grow(a, res->errors, res->n_errors, &res->cap_errors, sizeof *res->errors);
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    res->errors[res->n_errors++] = (struct tracking_error){line, column, arena_strdup(a, msg)};
}

/* A user's value to quote in a message: at most 60 bytes, cut on a character boundary. */
const char *trk_shown(struct arena *a, const char *s)
{
    return text_short_bytes(a, s, 60);
}

/* s without leading and trailing blanks, in the arena (s itself when there are none). */
const char *trk_trim(struct arena *a, const char *s)
{
    size_t n = strlen(s);
    size_t i = 0;
    while (i < n && strchr(" \t\r\n", s[i]))
        i++;
    while (n > i && strchr(" \t\r\n", s[n - 1]))
        n--;
    if (i == 0 && s[n] == '\0')
        return s;
    return arena_strndup(a, s + i, n - i);
}

char *trk_fold(struct arena *a, const char *s)
{
    char *f = text_fold_dup(s);
    char *t = arena_strdup(a, f);
    free(f);
    return t;
}
/* ---- the header ------------------------------------------------------------------------- */

/* The folded name with blanks and '-' as '_' ("Code objectif" → "code_objectif"). */
static char *header_key(struct arena *a, const char *name)
{
    char *k = trk_fold(a, name);
    for (char *p = k; *p; p++)
        if (*p == ' ' || *p == '-')
            *p = '_';
    return k;
}

static int header_column(const char *key)
{
    for (int c = 0; c < TRK_COLUMNS; c++)
        if (strcmp(key, tracking_headers[c]) == 0)
            return c;
    for (size_t i = 0; i < sizeof header_variants / sizeof header_variants[0]; i++)
        if (strcmp(key, header_variants[i].name) == 0)
            return (int)header_variants[i].col;
    return -1;
}

int tracking_read_header(const char *const *names, int n, int line, struct tracking_header *h,
                         struct arena *a, struct tracking_result *res)
{
    int before = res->n_errors;
    for (int c = 0; c < TRK_COLUMNS; c++)
        h->col[c] = -1;
    for (int i = 0; i < n; i++) {
        int c = header_column(header_key(a, names[i]));
        if (c < 0)
            continue; /* a column of the user's own: kept out of the way */
        if (h->col[c] >= 0) {
            char letter[8];
            tracking_column_letter(h->col[c], letter);
            trk_add_error(a, res, line, i, "colonne « %s » en double (déjà en colonne %s)",
                          tracking_headers[c], letter);
            continue;
        }
        h->col[c] = i;
    }
    int missing = 0;
    for (int c = 0; c < TRK_REQUIRED; c++) {
        if (h->col[c] < 0) {
            trk_add_error(
                a, res, line, n + missing, "colonne « %s » manquante%s", tracking_headers[c],
                missing ? ""
                        : " (en-têtes attendus : "
                          "code_objectif, objectif, action, fiche, porteur, etat, remarques, "
                          "preconisations)");
            missing++;
        }
    }
    return res->n_errors > before ? ERR_INVALID : ERR_OK;
}

static int start(struct importer *im, struct store *db, struct arena *a,
                 const struct tracking_import *opt, const struct tracking_row *rows, int n,
                 const struct tracking_header *h, struct tracking_result *res)
{
    memset(res, 0, sizeof *res);
    res->rows = n;
    res->contract_id = opt->contract_id;
    *im = (struct importer){
        .db = db,
        .a = a,
        .opt = opt,
        .h = h,
        .rows = rows,
        .res = res,
        .last_specific = -1,
        .default_axis = -1,
    };
    if (opt->new_title && (str_blank(opt->new_title) || str_blank(opt->territory))) {
        trk_add_error(a, res, 0, -1, "titre du contrat ou nom du territoire vide");
        return ERR_INVALID;
    }
    return ERR_OK;
}

int tracking_plan(struct store *db, struct arena *a, const struct tracking_import *opt,
                  const struct tracking_row *rows, int n, const struct tracking_header *h,
                  struct tracking_plan *plan, struct tracking_result *res)
{
    struct importer im;
    memset(plan, 0, sizeof *plan);
    int rc = start(&im, db, a, opt, rows, n, h, res);
    if (rc != ERR_OK)
        return rc;
    struct plan *plans = arena_alloc(a, sizeof *plans * (size_t)(n + 1));
    rc = trk_check_rows(&im, rows, n, plans, plan);
    if (rc != ERR_OK && res->n_errors == 0)
        trk_add_error(a, res, 0, -1, "la base de données n'a pas pu être lue (%s)",
                      store_errmsg(db));
    return rc;
}

void tracking_plan_choices(const struct tracking_plan *p, struct arena *a,
                           struct tracking_plan *out)
{
    *out = (struct tracking_plan){.rows = p->rows,
                                  .unchanged = p->unchanged,
                                  .statuses_added = p->statuses_added,
                                  .n_actions = p->n_actions,
                                  .n_orgs = p->n_orgs,
                                  .n_statuses = p->n_statuses};
    memcpy(out->fingerprint, p->fingerprint, sizeof out->fingerprint);
    out->orgs = arena_alloc(a, sizeof *out->orgs * (size_t)(p->n_orgs + 1));
    out->actions = arena_alloc(a, sizeof *out->actions * (size_t)(p->n_actions + 1));
    out->statuses = arena_alloc(a, sizeof *out->statuses * (size_t)(p->n_statuses + 1));
    for (int i = 0; i < p->n_orgs; i++)
        out->orgs[i] = (struct tracking_new_org){.line = p->orgs[i].line,
                                                 .choice = p->orgs[i].choice};
    for (int i = 0; i < p->n_actions; i++)
        out->actions[i] = (struct tracking_new_action){.line = p->actions[i].line,
                                                       .refuse = p->actions[i].refuse};
    for (int i = 0; i < p->n_statuses; i++)
        out->statuses[i] = (struct tracking_status_change){.line = p->statuses[i].line,
                                                           .action_id = p->statuses[i].action_id,
                                                           .keep = p->statuses[i].keep};
}

/* Copies the choices of confirmed onto plan (the same plan computed again); ERR_INVALID when a
 * choice is not one the plan offers. */
static int take_choices(struct importer *im, struct tracking_plan *plan,
                        const struct tracking_plan *confirmed)
{
    for (int i = 0; i < plan->n_orgs; i++) {
        long long c = confirmed->orgs[i].choice;
        bool ok = c == 0;
        for (int k = 0; k < plan->orgs[i].n_proposals && !ok; k++)
            ok = plan->orgs[i].proposals[k].id == c;
        if (!ok) {
            trk_add_error(im->a, im->res, plan->orgs[i].line, im->h->col[TRK_CARRIER],
                          "« %s » : l'organisation choisie n'est pas une des propositions",
                          trk_shown(im->a, plan->orgs[i].name));
            return ERR_INVALID;
        }
        plan->orgs[i].choice = c;
    }
    for (int i = 0; i < plan->n_statuses; i++)
        plan->statuses[i].keep = confirmed->statuses[i].keep;
    for (int i = 0; i < plan->n_actions; i++)
        plan->actions[i].refuse = confirmed->actions[i].refuse;
    return ERR_OK;
}

int tracking_apply(struct store *db, struct arena *a, const struct tracking_import *opt,
                   const struct tracking_row *rows, int n, const struct tracking_header *h,
                   const struct tracking_plan *confirmed, struct tracking_result *res)
{
    struct importer im;
    int rc = start(&im, db, a, opt, rows, n, h, res);
    if (rc != ERR_OK)
        return rc;
    struct plan *plans = arena_alloc(a, sizeof *plans * (size_t)(n + 1));
    struct tracking_plan plan;
    int line = 0;
    rc = store_begin(db);
    if (rc == ERR_OK)
        rc = trk_check_rows(&im, rows, n, plans, &plan);
    if (rc == ERR_OK &&
        (strcmp(plan.fingerprint, confirmed->fingerprint) != 0 ||
         plan.n_orgs != confirmed->n_orgs || plan.n_actions != confirmed->n_actions ||
         plan.n_statuses != confirmed->n_statuses)) {
        trk_add_error(a, res, 0, -1,
                      "les données ont changé depuis l'aperçu (un autre import ou "
                      "une saisie) : rien n'a été importé, vérifiez le nouvel aperçu");
        rc = ERR_CONFLICT;
    }
    if (rc == ERR_OK)
        rc = take_choices(&im, &plan, confirmed);
    if (rc == ERR_OK)
        rc = trk_write_rows(&im, rows, plans, n, &plan, &line);
    if (rc == ERR_OK && res->actions_created + res->organisations_created + res->carriers_changed +
                                res->statuses_recorded >
                            0) {
        /* One line of the contract's journal for the whole import, beside each change (an
         * import that changes nothing writes nothing). */
        struct actor who = trk_import_actor(&im);
        char field[40];
        snprintf(field, sizeof field, "import:%d", opt->year);
        rc = audit_record(db, &who, "contract", res->contract_id, 0, field, "",
                          trk_aprintf(a,
                                      "%d lignes : %d actions créées, %d organisations créées, "
                                      "%d porteurs changés, %d états enregistrés, %d gardés, "
                                      "%d lignes refusées",
                                      res->rows, res->actions_created, res->organisations_created,
                                      res->carriers_changed, res->statuses_recorded,
                                      res->statuses_kept, res->rows_refused));
    }
    if (rc == ERR_OK)
        rc = store_commit(db);
    if (rc == ERR_OK)
        return ERR_OK;
    if (res->n_errors == 0)
        trk_add_error(a, res, line, -1,
                      "la base de données a refusé l'écriture (%s) : rien n'a été "
                      "importé",
                      store_errmsg(db));
    store_rollback(db);
    /* Nothing was written: no counts. */
    *res = (struct tracking_result){.rows = res->rows,
                                    .contract_id = opt->contract_id,
                                    .errors = res->errors,
                                    .n_errors = res->n_errors,
                                    .cap_errors = res->cap_errors};
    return rc;
}

int tracking_import(struct store *db, struct arena *a, const struct tracking_import *opt,
                    const struct tracking_row *rows, int n, const struct tracking_header *h,
                    struct tracking_result *res)
{
    struct tracking_plan plan;
    int rc = tracking_plan(db, a, opt, rows, n, h, &plan, res);
    if (rc != ERR_OK)
        return rc;
    return tracking_apply(db, a, opt, rows, n, h, &plan, res);
}

/* tracking_map.c — grids of cells to tracking rows: by the header row, or by a saved or typed
 * column mapping, completing rows that name an existing action without its objective. Must not
 * read files (callers hand in grids) nor decide what a row means: tracking_import does. */
#include "model/import/tracking_map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "model/core/contract.h"
#include "model/plan/objective.h"
#include "model/core/status.h"
#include "model/import/tracking_match.h"
#include "store/rows.h"

const char *const tracking_map_keys[TRK_COLUMNS] = {
    "objective_code", "objective",       "action",    "sheet", "carrier",       "status",
    "remarks",        "recommendations", "axis_code", "axis",  "specific_code", "specific",
};

static const char *const labels[TRK_COLUMNS] = {
    "Code de l'objectif",
    "Objectif",
    "Action",
    "N° de fiche ou « Piste »",
    "Porteur",
    "État d'avancement",
    "Remarques",
    "Préconisations",
    "Code de l'axe",
    "Axe",
    "Code de l'objectif spécifique",
    "Objectif spécifique",
};

const char *tracking_map_label(enum tracking_column c)
{
    return c >= 0 && c < TRK_COLUMNS ? labels[c] : "";
}

/* "C" → 2, "AA" → 26, "3" → 2; -1 when it is neither. */
static int column_of(const char *s)
{
    if (!*s)
        return -1;
    if (*s >= '0' && *s <= '9') {
        long long v;
        return str_to_ll(s, 1, 16384, &v) == ERR_OK ? (int)v - 1 : -1;
    }
    int c = 0, n = 0;
    for (; *s; s++, n++) {
        char ch = *s >= 'a' && *s <= 'z' ? (char)(*s - 32) : *s;
        if (ch < 'A' || ch > 'Z' || n >= 3)
            return -1;
        c = c * 26 + (ch - 'A' + 1);
    }
    return c - 1;
}

int tracking_map_parse(const char *spec, struct tracking_map *m, char *err, size_t errlen)
{
    static const char *const french[TRK_COLUMNS] = {
        "code_objectif",
        "objectif",
        "action",
        "fiche",
        "porteur",
        "etat",
        "remarques",
        "preconisations",
        "code_axe",
        "axe",
        "code_objectif_specifique",
        "objectif_specifique",
    };
    for (int c = 0; c < TRK_COLUMNS; c++)
        m->col[c] = -1;
    m->header = 1;
    char *copy = xstrdup(spec ? spec : "");
    int rc = ERR_OK;
    for (char *save = NULL, *part = strtok_r(copy, ",; ", &save); part && rc == ERR_OK;
         part = strtok_r(NULL, ",; ", &save)) {
        char *eq = strchr(part, '=');
        if (!eq) {
            snprintf(err, errlen, "« %s » : attendu clé=colonne, par exemple action=C", part);
            rc = ERR_INVALID;
            break;
        }
        *eq = '\0';
        const char *key = part, *value = eq + 1;
        if (strcmp(key, "header") == 0 || strcmp(key, "entete") == 0) {
            long long v;
            if (str_to_ll(value, 0, 1000000, &v) != ERR_OK) {
                snprintf(err, errlen, "header=%s : attendu le numéro de la ligne des en-têtes "
                                      "(0 s'il n'y en a pas)", value);
                rc = ERR_INVALID;
            }
            m->header = (int)v;
            continue;
        }
        int c = -1;
        for (int k = 0; k < TRK_COLUMNS && c < 0; k++)
            if (strcmp(key, tracking_map_keys[k]) == 0 || strcmp(key, french[k]) == 0)
                c = k;
        if (c < 0) {
            snprintf(err, errlen,
                     "clé inconnue « %s » (clés : objective_code, objective, "
                     "action, sheet, carrier, status, remarks, recommendations, "
                     "axis_code, axis, specific_code, specific, header)",
                     key);
            rc = ERR_INVALID;
        } else if ((m->col[c] = column_of(value)) < 0) {
            snprintf(err, errlen, "%s=%s : attendu une lettre de colonne (A, B, … AA) ou un "
                                  "numéro de colonne", key, value);
            rc = ERR_INVALID;
        }
    }
    free(copy);
    if (rc == ERR_OK && m->col[TRK_ACTION] < 0) {
        snprintf(err, errlen, "indiquez au moins la colonne des actions (action=C)");
        rc = ERR_INVALID;
    }
    return rc;
}

void tracking_map_format(const struct tracking_map *m, struct buf *out)
{
    bool first = true;
    for (int c = 0; c < TRK_COLUMNS; c++) {
        if (m->col[c] < 0)
            continue;
        char letter[8];
        tracking_column_letter(m->col[c], letter);
        buf_printf(out, "%s%s=%s", first ? "" : ",", tracking_map_keys[c], letter);
        first = false;
    }
    buf_printf(out, "%sheader=%d", first ? "" : ",", m->header);
}

/* ---- by header ---------------------------------------------------------------------------- */

/* Appends one problem to res (reason: a literal or arena text). */
static void push_error(struct arena *a, struct tracking_result *res, int line, int column,
                       const char *reason)
{
    res->errors = rows_grow(a, res->errors, res->n_errors, &res->cap_errors, sizeof *res->errors);
    res->errors[res->n_errors++] = (struct tracking_error){line, column, (char *)reason};
}

/* A cell the CSV export neutralised for spreadsheets ("'=…") is read back as it was stored, so
 * both export forms re-import unchanged, whatever the file format. */
static const char *cell(const struct grid_row *r, int col)
{
    return col >= 0 && col < r->n && r->cells[col] ? str_formula_unquote(r->cells[col]) : "";
}

int tracking_grid_by_header(const struct grid *g, struct arena *a, struct tracking_header *h,
                            struct tracking_row **rows, int *n, int *header_line,
                            struct tracking_result *res)
{
    *n = 0;
    *rows = NULL;
    *header_line = 0;
    if (g->n_rows == 0) {
        push_error(a, res, 1, -1, "tableau vide : l'en-tête est attendu (code_objectif, "
                                  "objectif, action, fiche, porteur, etat, remarques, "
                                  "preconisations)");
        return ERR_INVALID;
    }
    /* The header is the first row, or one of the next few when a title sits above it. */
    int first = 0;
    for (int i = 0; i < g->n_rows && i < 10; i++) {
        struct tracking_result scratch = {0};
        const struct grid_row *r = &g->rows[i];
        if (tracking_read_header((const char *const *)r->cells, r->n, r->line, h, a, &scratch) ==
            ERR_OK) {
            first = i;
            break;
        }
    }
    const struct grid_row *head = &g->rows[first];
    *header_line = head->line;
    if (tracking_read_header((const char *const *)head->cells, head->n, head->line, h, a, res) !=
        ERR_OK)
        return ERR_INVALID;
    *rows = arena_alloc(a, sizeof **rows * (size_t)g->n_rows);
    for (int i = first + 1; i < g->n_rows; i++) {
        struct tracking_row *r = &(*rows)[(*n)++];
        r->line = g->rows[i].line;
        for (int c = 0; c < TRK_COLUMNS; c++)
            r->cells[c] = cell(&g->rows[i], h->col[c]);
    }
    return ERR_OK;
}

/* ---- by mapping ----------------------------------------------------------------------------- */

/* The existing action a row names: by sheet code, else by title; -1 when none or several. */
static int find_action(struct arena *a, const struct tracking_action *acts, int n,
                       const char *sheet, const char *title, const char *objective_code)
{
    int found = -1, count = 0;
    if (*sheet) {
        for (int i = 0; i < n; i++)
            if (strcmp(acts[i].code, sheet) == 0 &&
                (!*objective_code || strcmp(acts[i].objective_code, objective_code) == 0)) {
                found = i;
                count++;
            }
        if (count == 1)
            return found;
    }
    if (!*title)
        return -1;
    /* The import's identity of titles: case, accents, blanks and punctuation ignored. */
    const char *ft = tracking_norm(a, title);
    found = -1;
    count = 0;
    for (int i = 0; i < n; i++)
        if ((!*objective_code || strcmp(acts[i].objective_code, objective_code) == 0) &&
            strcmp(tracking_norm(a, acts[i].title), ft) == 0) {
            found = i;
            count++;
        }
    return count == 1 ? found : -1;
}

static const char *trimmed(struct arena *a, const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t n = strlen(s);
    while (n && strchr(" \t\r\n", s[n - 1]))
        n--;
    return arena_strndup(a, s, n);
}

int tracking_grid_by_map(struct store *db, struct arena *a, long long contract_id,
                         const struct grid *g, const struct tracking_map *m,
                         struct tracking_header *h, struct tracking_row **rows, int *n,
                         struct tracking_result *res)
{
    (void)res;
    for (int c = 0; c < TRK_COLUMNS; c++)
        h->col[c] = m->col[c];
    struct tracking_action *acts;
    int n_acts, rc = tracking_load_actions(db, a, contract_id, 0, &acts, &n_acts);
    if (rc != ERR_OK)
        return rc;
    *rows = arena_alloc(a, sizeof **rows * (size_t)(g->n_rows + 1));
    *n = 0;
    for (int i = 0; i < g->n_rows; i++) {
        const struct grid_row *gr = &g->rows[i];
        if (gr->line <= m->header)
            continue;
        struct tracking_row *r = &(*rows)[(*n)++];
        r->line = gr->line;
        for (int c = 0; c < TRK_COLUMNS; c++)
            r->cells[c] = cell(gr, m->col[c]);
        const char *code = trimmed(a, r->cells[TRK_OBJECTIVE_CODE]);
        const char *otitle = trimmed(a, r->cells[TRK_OBJECTIVE]);
        const char *sheet = trimmed(a, r->cells[TRK_SHEET]);
        bool no_objective = !*code && !*otitle;
        if (!no_objective && *sheet)
            continue;
        int k = find_action(a, acts, n_acts, text_contains_folded(sheet, "piste") ? "" : sheet,
                            trimmed(a, r->cells[TRK_ACTION]), code);
        if (k < 0)
            continue;
        if (no_objective) {
            r->cells[TRK_OBJECTIVE_CODE] = acts[k].objective_code;
            r->cells[TRK_OBJECTIVE] = acts[k].objective_title;
        }
        if (!*sheet)
            r->cells[TRK_SHEET] = strcmp(acts[k].kind, "lead") == 0 ? TRACKING_LEAD : acts[k].code;
    }
    return ERR_OK;
}

int tracking_preview_rows(struct store *db, struct arena *a, long long contract_id,
                          const struct tracking_row *rows, int n, int max,
                          struct tracking_preview **out)
{
    struct tracking_action *acts;
    int n_acts, rc = tracking_load_actions(db, a, contract_id, 0, &acts, &n_acts);
    if (rc != ERR_OK)
        return rc;
    if (max > n)
        max = n;
    *out = arena_alloc(a, sizeof **out * (size_t)(max + 1));
    for (int i = 0; i < max; i++) {
        const struct tracking_row *r = &rows[i];
        struct tracking_preview *p = &(*out)[i];
        p->line = r->line;
        const char *title = trimmed(a, r->cells[TRK_ACTION]);
        const char *status = trimmed(a, r->cells[TRK_STATUS]);
        const char *sheet = trimmed(a, r->cells[TRK_SHEET]);
        const char *code = trimmed(a, r->cells[TRK_OBJECTIVE_CODE]);
        const char *otitle = trimmed(a, r->cells[TRK_OBJECTIVE]);
        p->is_new = find_action(a, acts, n_acts, text_contains_folded(sheet, "piste") ? "" : sheet,
                                title, code) < 0;
        if (!utf8_valid(title, strlen(title)))
            p->problem = "texte qui n'est pas en UTF-8 valide";
        else if (!*title)
            p->problem = "intitulé de l'action vide";
        else if (*status && status_parse(status) == ST_NONE)
            p->problem = "état d'avancement inconnu";
        else if (p->is_new && !*code && !*otitle)
            p->problem = "action introuvable dans le contrat, et aucun objectif pour la créer";
    }
    return ERR_OK;
}

/* ---- workbook ------------------------------------------------------------------------------ */

int tracking_workbook(struct store *db, struct arena *a, long long contract_id, int year,
                      struct contract *c, struct tracking_year **years, int *n_years,
                      struct objective **objs, int *n_objs, int **counts)
{
    int ys[256], n = 0, rc = contract_get(db, a, contract_id, c);
    if (rc == ERR_OK && year) {
        ys[0] = year;
        n = 1;
    } else if (rc == ERR_OK) {
        rc = contract_status_years(db, contract_id, ys, 256, &n);
    }
    *years = arena_alloc(a, sizeof **years * (size_t)(n + 1));
    *n_years = 0;
    for (int y = 0; rc == ERR_OK && y < n; y++) {
        struct tracking_row *rows;
        int used, count;
        rc = tracking_rows(db, a, contract_id, ys[y], &rows, &count, &used);
        (*years)[(*n_years)++] = (struct tracking_year){ys[y], rows, count};
    }
    struct tracking_action *acts = NULL;
    int n_acts = 0;
    if (rc == ERR_OK)
        rc = objective_list(db, a, contract_id, objs, n_objs);
    if (rc == ERR_OK)
        rc = tracking_load_actions(db, a, contract_id, 0, &acts, &n_acts);
    if (rc != ERR_OK)
        return rc;
    *counts = arena_alloc(a, sizeof **counts * (size_t)(*n_objs + 1));
    for (int i = 0; i < n_acts; i++)
        for (int k = objective_index(*objs, *n_objs, acts[i].objective_id); k >= 0;
             k = objective_index(*objs, *n_objs, (*objs)[k].parent_id))
            (*counts)[k]++;
    return ERR_OK;
}

/* ---- saved mappings ------------------------------------------------------------------------ */

int tracking_map_list(struct store *db, struct arena *a, long long contract_id,
                      struct tracking_saved_map **out, int *n)
{
    struct stmt *st = store_prepare(db, "SELECT id, name, spec FROM import_mapping WHERE "
                                        "contract_id = ?1 ORDER BY name, id");
    stmt_bind_int(st, 1, contract_id);
    int rc, cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        struct tracking_saved_map *x = &(*out)[(*n)++];
        x->id = stmt_int(st, 0);
        x->name = stmt_text(st, 1, a);
        x->spec = stmt_text(st, 2, a);
    }
    return rc < 0 ? rc : ERR_OK;
}

int tracking_map_find(struct store *db, struct arena *a, long long contract_id, const char *name,
                      char **spec)
{
    struct stmt *st = store_prepare(db, "SELECT spec FROM import_mapping WHERE contract_id = ?1 "
                                        "AND name = ?2");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_text(st, 2, name);
    int rc = stmt_step(st);
    if (rc == 1) {
        *spec = stmt_text(st, 0, a);
        stmt_done(st);
        return ERR_OK;
    }
    return rc < 0 ? rc : ERR_NOTFOUND;
}

int tracking_map_save(struct store *db, long long contract_id, long long account_id,
                      const char *name, const char *spec)
{
    size_t len = name ? strlen(name) : 0;
    if (len == 0 || len > 80 || str_blank(name) || !utf8_valid(name, len) || !spec ||
        strlen(spec) > 1000)
        return ERR_INVALID;
    struct stmt *st = store_prepare(
        db, "INSERT INTO import_mapping (contract_id, name, spec, account_id, created_at) "
            "VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) "
            "ON CONFLICT (contract_id, name) DO UPDATE SET spec = ?3, account_id = ?4, "
            "created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_text(st, 2, name);
    stmt_bind_text(st, 3, spec);
    if (account_id)
        stmt_bind_int(st, 4, account_id);
    else
        stmt_bind_null(st, 4);
    return stmt_exec(st);
}

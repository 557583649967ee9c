/* import_pages.c — spreadsheets in and out in the browser, first half: the tracking table as
 * XLSX, and the import's first steps (upload a CSV or XLSX file; choose the sheet and say which
 * column is which, the mapping saved for next time); the preview, the plan and the import are in
 * import_confirm.c. Must not contain SQL nor read files itself: grids come from format/csv.c and
 * format/xlsx_read.c, rows from model/tracking_map.c. Every text goes out through %h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/log.h"
#include "base/text.h"
#include "format/data/csv.h"
#include "format/data/text_sniff.h"
#include "format/xlsx/xlsx.h"
#include "model/account/account.h"
#include "model/core/contract.h"
#include "model/import/import_upload.h"
#include "model/import/tracking.h"
#include "model/import/tracking_map.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/filters.h"
#include "web/kit/form.h"
#include "web/core/handlers.h"
#include "web/core/hooks.h"
#include "web/kit/load.h"
#include "web/http/multipart.h"
#include "web/http/page.h"
#include "web/import/import_internal.h"

/* ---- the XLSX download ------------------------------------------------------------------- */

int tracking_xlsx_download(struct req *req, struct res *res)
{
    struct contract c;
    struct tracking_year *years;
    struct objective *objs;
    int n_years, n_objs, *counts;
    int rc = tracking_workbook(req->db, req->arena, req->ids[0], 0, &c, &years, &n_years, &objs,
                               &n_objs, &counts);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Contrat introuvable", "Aucun contrat ne porte ce "
                                                                 "numéro.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    struct xlsx_tracking t = {.contract_title = c.title, .years = years, .n_years = n_years,
                              .objs = objs, .n_objs = n_objs, .objective_actions = counts};
    char err[256];
    struct buf data = {0};
    if (xlsx_write_tracking(&t, &data, err, sizeof err) != ERR_OK) {
        buf_free(&data);
        return page_error(req, res, 500, "Classeur indisponible", err);
    }
    res->status = 200;
    res->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    res_header(res, "Content-Disposition", "attachment; filename=\"tableau-de-suivi.xlsx\"");
    res_header(res, "Cache-Control", "private, no-store");
    buf_append(&res->body, data.p ? data.p : "", data.len);
    buf_free(&data);
    return 200;
}

/* ---- reading an upload --------------------------------------------------------------------- */

static bool is_workbook(const char *data, size_t len, const char *filename)
{
    size_t n = strlen(filename);
    return (len >= 4 && (memcmp(data, "PK\x03\x04", 4) == 0 ||
                         memcmp(data, "\xD0\xCF\x11\xE0", 4) == 0)) ||
           (n >= 5 && strcasecmp(filename + n - 5, ".xlsx") == 0);
}

/* Reads the file: the sheet asked (index, -1: the one named after year, else the first).
 * ERR_INVALID with a French reason in err. */
static int read_upload(struct arena *a, struct upload *u, int sheet, int year, char *err,
                       size_t errlen)
{
    int rc;
    u->workbook = is_workbook(u->data, u->len, u->filename);
    if (!u->workbook) {
        u->n_sheets = 0;
        rc = text_sniff_table(u->data, u->len, err, errlen);
        if (rc == ERR_OK)
            rc = csv_parse_text(u->data, u->len, a, &u->table, err, errlen);
    } else {
        rc = xlsx_sheet_names(u->data, u->len, a, &u->sheets, &u->n_sheets, err, errlen);
        if (rc == ERR_OK && (sheet < 0 || sheet >= u->n_sheets)) {
            char name[16];
            snprintf(name, sizeof name, "%d", year);
            sheet = 0;
            for (int i = 0; i < u->n_sheets; i++)
                if (strcmp(u->sheets[i], name) == 0)
                    sheet = i;
        }
        u->sheet = sheet;
        if (rc == ERR_OK)
            rc = xlsx_read_sheet(u->data, u->len, sheet, a, &u->table, err, errlen);
    }
    if (rc != ERR_OK)
        return ERR_INVALID;
    struct grid_row *rows = arena_alloc(a, sizeof *rows * (size_t)(u->table.n_rows + 1));
    for (int i = 0; i < u->table.n_rows; i++)
        rows[i] = (struct grid_row){u->table.rows[i].line, u->table.rows[i].n,
                                    u->table.rows[i].fields};
    u->grid = (struct grid){u->table.n_rows, rows};
    if (u->grid.n_rows == 0) {
        snprintf(err, errlen, "le tableau est vide : aucune ligne à importer");
        return ERR_INVALID;
    }
    return ERR_OK;
}

/* ---- step 1: upload ------------------------------------------------------------------------ */

void imp_year_select(struct req *req, struct buf *b, int year)
{
    int now = action_current_year(req);
    buf_puts(b, "<div class=\"field\"><label for=\"f-year\">Année des états d'avancement</label>"
                "<select id=\"f-year\" name=\"year\">");
    for (int y = now + 1; y >= now - 15; y--)
        buf_printf(b, "<option value=\"%d\"%s>%d</option>", y, y == year ? " selected" : "", y);
    buf_puts(b, "</select></div>");
}

static void upload_view(struct req *req, struct res *res, const struct contract *c, int year,
                        const char *error)
{
    edit_begin(req, res, c, "Importer un tableau de suivi", NULL, NULL, "Importer");
    struct buf *b = &res->body;
    buf_printf(b, "<p class=\"lede\">Mettez à jour les actions et leur état d'avancement d'une "
                  "année à partir d'un tableau : celui qu'exporte Boussole (<a href=\"/contracts/"
                  "%lld/tracking.xlsx\">tableau de suivi XLSX</a>, une feuille par année), ou le "
                  "vôtre, quelles que soient ses colonnes : vous direz à l'étape suivante quelle "
                  "colonne contient l'action, le porteur, l'état…</p><p>Rien n'est enregistré "
                  "avant la dernière étape, et seulement si toutes les lignes sont valides.</p>",
               c->id);
    if (error)
        buf_printf(b, "<div class=\"error-summary\" role=\"alert\"><h2>Fichier refusé</h2><p>%h"
                      "</p></div>",
                   error);
    buf_printf(b, "<form class=\"edit\" method=\"post\" enctype=\"multipart/form-data\" "
                  "action=\"/contracts/%lld/import\">",
               c->id);
    form_hidden(b, "csrf", auth_form_token(req, res));
    buf_printf(b, "<div class=\"field%s\"><label for=\"f-file\">Fichier <span class=\"required\">"
                  "(obligatoire)</span></label><p class=\"help\" id=\"f-file-help\">Classeur "
                  ".xlsx ou fichier CSV (UTF-8, virgules ou points-virgules), 1 Mo au plus."
                  "</p><input type=\"file\" id=\"f-file\" name=\"file\" accept=\".xlsx,.csv\" "
                  "aria-describedby=\"f-file-help\" required></div>",
               error ? " has-error" : "");
    imp_year_select(req, b, year);
    buf_puts(b, "<button type=\"submit\">Envoyer et choisir les colonnes</button></form>");
    page_end(res);
}

int import_page(struct req *req, struct res *res)
{
    struct contract c;
    int year, rc = load_contract(req, res, req->ids[0], &c);
    if (rc || (rc = report_web_year(req, res, c.id, &year)))
        return rc;
    upload_view(req, res, &c, year, NULL);
    return 200;
}

int import_upload_submit(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    bool ok = true;
    int year = edit_form_year(req, "year", &ok);
    if (!ok || !year)
        year = action_current_year(req);
    struct multipart_part parts[MULTIPART_MAX_PARTS];
    int n = 0;
    const struct multipart_part *file = NULL;
    if (multipart_parse(req->content_type, req->body, req->body_len, req->arena, parts,
                        MULTIPART_MAX_PARTS, &n) == ERR_OK)
        file = multipart_file(parts, n, "file");
    const char *error = NULL;
    char err[512];
    struct upload u = {0};
    if (!file || !*file->filename)
        error = "Choisissez le fichier à importer.";
    else if (file->len == 0)
        error = "Le fichier envoyé est vide.";
    if (!error) {
        u.filename = arena_strdup(req->arena, file->filename);
        u.data = arena_strndup(req->arena, file->data, file->len);
        u.len = file->len;
        if (!utf8_valid(u.filename, strlen(u.filename)))
            u.filename = "fichier";
        if (read_upload(req->arena, &u, -1, year, err, sizeof err) != ERR_OK)
            error = arena_strdup(req->arena, err);
    }
    if (error) {
        upload_view(req, res, &c, year, error);
        res->status = 422;
        return 422;
    }
    long long id;
    rc = import_upload_save(req->db, c.id, req->account->id, u.filename, u.data, u.len, &id);
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(req, res, edit_fmt(req->arena, "/contracts/%lld/import/%lld?year=%d",
                                            c.id, id, year));
}

/* ---- step 2: sheet and columns -------------------------------------------------------------- */

/* Maps the columns of a header row by the words of their names; returns how many matched. */
static int guess_row(const struct grid_row *head, struct tracking_map *m)
{
    static const struct {
        const char *word;
        enum tracking_column col;
    } words[] = {
        /* Most specific first: "État d'avancement de l'action" is a status. */
        {"code axe", TRK_AXIS_CODE},
        {"code objectif specifique", TRK_SPECIFIC_CODE},
        {"objectif specifique", TRK_SPECIFIC},
        {"axe", TRK_AXIS},
        {"code objectif", TRK_OBJECTIVE_CODE},
        {"etat", TRK_STATUS},
        {"avancement", TRK_STATUS},
        {"statut", TRK_STATUS},
        {"porteur", TRK_CARRIER},
        {"remarque", TRK_REMARKS},
        {"commentaire", TRK_REMARKS},
        {"preconisation", TRK_RECOMMENDATIONS},
        {"recommandation", TRK_RECOMMENDATIONS},
        {"fiche", TRK_SHEET},
        {"piste", TRK_SHEET},
        {"n°", TRK_SHEET},
        {"objectif", TRK_OBJECTIVE},
        {"action", TRK_ACTION},
        {"intitule", TRK_ACTION},
    };
    int hits = 0;
    for (int c = 0; c < TRK_COLUMNS; c++)
        m->col[c] = -1;
    m->header = head->line;
    for (int i = 0; i < head->n; i++)
        for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
            if (m->col[words[w].col] < 0 && text_contains_folded(head->cells[i], words[w].word)) {
                m->col[words[w].col] = i;
                hits++;
                break;
            }
    return hits;
}

/* Guesses a mapping from the first rows: the export's headers, else header names. */
static void guess_map(struct req *req, const struct grid *g, struct tracking_map *m)
{
    struct tracking_result scratch = {0};
    struct tracking_header h;
    struct tracking_row *rows;
    int n, line;
    for (int c = 0; c < TRK_COLUMNS; c++)
        m->col[c] = -1;
    m->header = g->n_rows ? g->rows[0].line : 1;
    if (tracking_grid_by_header(g, req->arena, &h, &rows, &n, &line, &scratch) == ERR_OK) {
        for (int c = 0; c < TRK_COLUMNS; c++)
            m->col[c] = h.col[c];
        m->header = line;
        return;
    }
    /* The header row is the one of the first ten whose names say the most. */
    int best = -1, best_hits = 0;
    for (int r = 0; r < g->n_rows && r < 10; r++) {
        struct tracking_map t;
        int hits = guess_row(&g->rows[r], &t);
        if (hits > best_hits) {
            best = r;
            best_hits = hits;
            *m = t;
        }
    }
    if (best >= 0)
        m->header = g->rows[best].line;
}

/* The mapping asked in the query or form (fields named after tracking_map_keys and "header"),
 * or saved under ?map=NAME, or guessed; ERR_INVALID with a reason when what was sent is wrong. */
int imp_requested_map(struct req *req, bool form, long long contract_id, const struct grid *g,
                      struct tracking_map *m, char *err, size_t errlen)
{
    const char *(*get)(const struct req *, const char *) = form ? req_form : req_query;
    const char *spec = get(req, "spec");
    const char *saved = get(req, "map");
    if (saved && *saved) {
        char *s;
        if (tracking_map_find(req->db, req->arena, contract_id, saved, &s) != ERR_OK) {
            snprintf(err, errlen, "aucune correspondance enregistrée sous ce nom");
            return ERR_INVALID;
        }
        return tracking_map_parse(s, m, err, errlen);
    }
    if (spec && *spec)
        return tracking_map_parse(spec, m, err, errlen);
    if (!get(req, "action")) {
        guess_map(req, g, m);
        return ERR_OK;
    }
    struct buf spec_text = {0};
    for (int c = 0; c < TRK_COLUMNS; c++) {
        const char *v = get(req, tracking_map_keys[c]);
        if (v && *v)
            buf_printf(&spec_text, "%s=%s,", tracking_map_keys[c], v);
    }
    const char *header = get(req, "header");
    buf_printf(&spec_text, "header=%s", header && *header ? header : "1");
    int rc = tracking_map_parse(buf_cstr(&spec_text), m, err, errlen);
    buf_free(&spec_text);
    return rc;
}

/* The first rows of the sheet as they are, with the column letters. */
void imp_sheet_table(struct buf *b, struct arena *a, const struct grid *g, int width)
{
    buf_puts(b, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\""
                "Premières lignes de la feuille\"><table class=\"grid\"><caption>Les premières "
                "lignes "
                "de la feuille</caption><thead><tr><th scope=\"col\">Ligne</th>");
    for (int c = 0; c < width; c++) {
        char letter[8];
        tracking_column_letter(c, letter);
        buf_printf(b, "<th scope=\"col\">%h</th>", letter);
    }
    buf_puts(b, "</tr></thead><tbody>");
    for (int i = 0; i < g->n_rows && i < SHEET_ROWS; i++) {
        buf_printf(b, "<tr><th scope=\"row\">%d</th>", g->rows[i].line);
        for (int c = 0; c < width; c++)
            buf_printf(b, "<td>%h</td>",
                       c < g->rows[i].n ? text_short(a, g->rows[i].cells[c], 60) : "");
        buf_puts(b, "</tr>");
    }
    buf_puts(b, "</tbody></table></div>");
}

/* The column choices of the mapping form: one select per column of the table. */
void imp_map_fields(struct buf *b, const struct grid *g, int width, const struct tracking_map *m)
{
    const struct grid_row *head = NULL;
    for (int i = 0; i < g->n_rows; i++)
        if (g->rows[i].line == m->header)
            head = &g->rows[i];
    buf_puts(b, "<fieldset class=\"field\"><legend>Quelle colonne contient…</legend>"
                "<p class=\"help\">L'action est obligatoire ; sans objectif, une ligne est "
                "rattachée à l'action du contrat qui a ce numéro de fiche ou cet intitulé.</p>");
    for (int c = 0; c < TRK_COLUMNS; c++) {
        buf_printf(b,
                   "<div class=\"field\"><label for=\"f-%h\">%h</label><select id=\"f-%h\" "
                   "name=\"%h\"><option value=\"\">— aucune —</option>",
                   tracking_map_keys[c], tracking_map_label(c), tracking_map_keys[c],
                   tracking_map_keys[c]);
        for (int k = 0; k < width; k++) {
            char letter[8];
            tracking_column_letter(k, letter);
            const char *name = head && k < head->n ? head->cells[k] : "";
            buf_printf(b, "<option value=\"%h\"%s>%h%s%h</option>", letter,
                       m->col[c] == k ? " selected" : "", letter, *name ? " — " : "", name);
        }
        buf_puts(b, "</select></div>");
    }
    buf_printf(b, "<div class=\"field\"><label for=\"f-header\">Ligne des en-têtes</label>"
                  "<p class=\"help\">Les données commencent à la ligne suivante ; 0 si la "
                  "feuille n'a pas d'en-têtes.</p><input type=\"number\" id=\"f-header\" "
                  "name=\"header\" min=\"0\" value=\"%d\"></div></fieldset>",
               m->header);
}

/* Loads the upload of the route ({id}/import/{id}) and reads its sheet. */
int imp_load_upload(struct req *req, struct res *res, long long contract_id, int sheet, int year,
                    struct upload *u)
{
    memset(u, 0, sizeof *u);
    u->id = req->ids[1];
    int rc = import_upload_get(req->db, req->arena, u->id, contract_id, req->account->id,
                               &u->filename, &u->data, &u->len);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Fichier introuvable",
                          "Ce fichier n'est plus disponible (un import est gardé un jour) : "
                          "envoyez-le de nouveau.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    char err[512];
    if (read_upload(req->arena, u, sheet, year, err, sizeof err) != ERR_OK)
        return page_error(req, res, 422, "Fichier illisible", arena_strdup(req->arena, err));
    return 0;
}

int imp_number_param(const char *v, int min, int max, int fallback)
{
    long long n;
    return v && str_to_ll(v, min, max, &n) == ERR_OK ? (int)n : fallback;
}

int import_mapping_page(struct req *req, struct res *res)
{
    struct contract c;
    int year, rc = load_contract(req, res, req->ids[0], &c);
    if (rc || (rc = report_web_year(req, res, c.id, &year)))
        return rc;
    struct upload u;
    if ((rc = imp_load_upload(req, res, c.id,
                              imp_number_param(req_query(req, "sheet"), 0, 10000, -1), year, &u)))
        return rc;
    struct tracking_map m;
    char err[512];
    const char *map_error = NULL;
    if (imp_requested_map(req, false, c.id, &u.grid, &m, err, sizeof err) != ERR_OK) {
        map_error = arena_strdup(req->arena, err);
        guess_map(req, &u.grid, &m);
    }
    imp_mapping_view(req, res, &c, &u, year, &m, map_error, NULL, NULL);
    if (map_error)
        res->status = 422;
    return res->status;
}

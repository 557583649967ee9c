/* survey_form.c — the respondent's side of a questionnaire: the personal link exchanged for a
 * short session (cookie bsl_survey), the actions its organisation carries, and one accessible
 * form per action (fieldsets and legends, errors next to their field), pre-filled with what
 * Boussole knows, saved as a draft or submitted. Must not contain SQL (model/survey.c). */
#include <stdio.h>
#include <string.h>

#include "base/secret.h"
#include "model/plan/editing.h"
#include "model/report/survey.h"
#include "store/rows.h"
#include "web/core/auth.h"
#include "web/core/config.h"
#include "web/kit/edit_forms.h"
#include "web/kit/filters.h"
#include "web/kit/form.h"
#include "web/core/handlers.h"
#include "web/kit/load.h"
#include "web/http/page.h"
#include "web/survey/survey_web.h"

static const char SURVEY_COOKIE[] = "bsl_survey";

static int link_refused(struct req *req, struct res *res, bool closed)
{
    if (closed)
        return page_error(req, res, 410, "Questionnaire clos",
                          "Ce questionnaire est clos : ce lien ne fonctionne plus. Pour ajouter "
                          "une réponse, écrivez à la coordination du contrat.");
    return page_error(req, res, 404, "Lien inconnu ou expiré",
                      "Ce lien de questionnaire n'est pas (ou plus) valable. Rouvrez le dernier "
                      "lien reçu par courriel, ou écrivez à la coordination du contrat.");
}

int survey_link_page(struct req *req, struct res *res)
{
    char session[SECRET_TOKEN_LEN + 1];
    bool closed = false;
    int rc = survey_link_use(req->db, req_query(req, "token"), req->now, session, &closed);
    if (rc == ERR_NOTFOUND)
        return link_refused(req, res, closed);
    if (rc != ERR_OK)
        return page_db_error(req, res);
    struct buf b = {0};
    buf_puts(&b, SURVEY_COOKIE);
    buf_putc(&b, '=');
    buf_puts(&b, session);
    buf_printf(&b, "; Path=/survey; HttpOnly; SameSite=Lax; Max-Age=%d", (int)SURVEY_SESSION_S);
    if (web_config.secure_cookies)
        buf_puts(&b, "; Secure");
    res_header(res, "Set-Cookie", arena_strdup(req->arena, buf_cstr(&b)));
    buf_free(&b);
    /* The token leaves the address bar and the history at once. */
    return edit_redirect(req, res, "/survey/answers");
}

static int load_visit(struct req *req, struct res *res, struct survey_visit *v)
{
    bool closed = false;
    int rc = survey_session_find(req->db, req->arena, req->cookie_survey, req->now, v, &closed);
    if (rc == ERR_NOTFOUND)
        return link_refused(req, res, closed);
    return rc == ERR_OK ? 0 : page_db_error(req, res);
}

static const char *state_words(const char *state)
{
    return str_eq(state, "submitted") ? "Réponse envoyée"
           : str_eq(state, "draft")   ? "Brouillon enregistré"
                                      : "À remplir";
}

int survey_actions_page(struct req *req, struct res *res)
{
    struct survey_visit v;
    int rc = load_visit(req, res, &v);
    if (rc)
        return rc;
    struct survey_target *xs = NULL;
    int n = 0;
    if (survey_visit_actions(req->db, req->arena, &v, &xs, &n) != ERR_OK)
        return page_db_error(req, res);
    page_begin(res, "Questionnaire d'évaluation", NULL, 0);
    struct buf *b = &res->body;
    const char *saved = req_query(req, "saved");
    if (saved)
        buf_printf(b, "<p class=\"notice\" role=\"status\">%s</p>",
                   str_eq(saved, "final") ? "Réponse envoyée, merci."
                                          : "Brouillon enregistré : vous pouvez reprendre plus "
                                            "tard avec le même lien.");
    buf_printf(b,
               "<p class=\"lede\">Bonjour %h. %h</p><p>Un questionnaire par action que porte %h, "
               "à envoyer avant le %h.</p>",
               v.name, v.survey.title, v.organisation, date_fr(req->arena, v.survey.deadline));
    if (n == 0) {
        buf_puts(b, "<p>Votre organisation ne porte aucune action de ce contrat.</p>");
    } else {
        buf_puts(b, "<ul class=\"survey-actions\">");
        for (int i = 0; i < n; i++)
            buf_printf(b,
                       "<li><a href=\"/survey/answers/%lld\">%h%s%h</a> — <span "
                       "class=\"state\">%h</span></li>",
                       xs[i].action.id, xs[i].action.code, *xs[i].action.code ? " " : "",
                       xs[i].action.title, state_words(xs[i].state));
        buf_puts(b, "</ul>");
    }
    page_end(res);
    return 200;
}

/* ---- the form ------------------------------------------------------------------------------- */

static const char *part_value(const struct survey_part *ps, int n, long long qid, const char *part)
{
    for (int i = 0; i < n; i++)
        if (ps[i].question_id == qid && str_eq(ps[i].part, part))
            return ps[i].value;
    return "";
}

static bool has_value(const struct survey_part *ps, int n, long long qid, const char *part,
                      const char *value)
{
    for (int i = 0; i < n; i++)
        if (ps[i].question_id == qid && str_eq(ps[i].part, part) && str_eq(ps[i].value, value))
            return true;
    return false;
}

/* The aria attributes of a field in error (described by its message). */
static void invalid_attrs(struct buf *b, int pos, const char *error)
{
    if (error)
        buf_printf(b, " aria-invalid=\"true\" aria-describedby=\"q%d-error\"", pos);
}

static void choice_inputs(struct buf *b, const struct survey_question *q, const char *type,
                          const char *name, const char *part, const struct survey_part *ps, int n,
                          const char *error, const char *id_prefix)
{
    for (int i = 0; i < q->n_options; i++) {
        buf_printf(b,
                   "<div class=\"choice\"><input type=\"%h\" id=\"%h-%d\" name=\"%h\" "
                   "value=\"%d\"%s",
                   type, id_prefix, i + 1, name, i + 1,
                   has_value(ps, n, q->id, part, q->options[i]) ? " checked" : "");
        invalid_attrs(b, q->position, error);
        buf_printf(b, "> <label for=\"%h-%d\">%h</label></div>", id_prefix, i + 1, q->options[i]);
    }
}

static void matrix_inputs(struct req *req, struct buf *b, const struct survey_question *q,
                          const struct survey_part *ps, int n, const char *error)
{
    buf_printf(b,
               "<table class=\"matrix\"><caption class=\"visually-hidden\">%h</caption>"
               "<thead><tr><td></td>",
               q->text);
    for (int c = 0; c < q->n_options; c++)
        buf_printf(b, "<th scope=\"col\">%h</th>", q->options[c]);
    buf_puts(b, "</tr></thead><tbody>");
    for (int r = 0; r < q->n_rows; r++) {
        const char *part = edit_fmt(req->arena, "row:%d", r + 1);
        buf_printf(b, "<tr><th scope=\"row\" id=\"q%d-r%d-label\">%h</th>", q->position, r + 1,
                   q->rows[r]);
        for (int c = 0; c < q->n_options; c++) {
            buf_printf(b,
                       "<td><input type=\"radio\" id=\"q%d-r%d-%d\" name=\"q%d-r%d\" "
                       "value=\"%d\" aria-label=\"%h : %h\"%s",
                       q->position, r + 1, c + 1, q->position, r + 1, c + 1, q->rows[r],
                       q->options[c],
                       has_value(ps, n, q->id, part, q->options[c]) ? " checked" : "");
            invalid_attrs(b, q->position, error);
            buf_puts(b, "></td>");
        }
        buf_puts(b, "</tr>");
    }
    buf_puts(b, "</tbody></table>");
}

/* What the condition of a question says, for people (the server drops hidden answers). */
static void condition_note(struct buf *b, const struct survey_question *q)
{
    if (q->cond_position)
        buf_printf(b,
                   "<p class=\"help\">À remplir seulement si vous avez répondu « %h » à la "
                   "question %d.</p>",
                   q->cond_value, q->cond_position);
}

static void question_field(struct req *req, struct buf *b, const struct survey_question *q,
                           const struct survey_part *ps, int n, const char *error)
{
    int p = q->position;
    const char *required_html = q->required ? " <span class=\"required\">(obligatoire)</span>"
                                            : "";
    const char *name = edit_fmt(req->arena, "q%d", p);
    bool grouped = q->kind != SQ_TEXT;
    if (grouped)
        buf_printf(b, "<fieldset class=\"question\" id=\"q%d\"><legend>%d. %h%s</legend>", p, p,
                   q->text, required_html);
    else
        buf_printf(b,
                   "<div class=\"question\" id=\"q%d\"><p><label for=\"q%d-field\">%d. %h%s"
                   "</label></p>",
                   p, p, p, q->text, required_html);
    condition_note(b, q);
    if (error)
        buf_printf(b, "<p class=\"error\" id=\"q%d-error\">%h</p>", p, error);
    const char *id_prefix = edit_fmt(req->arena, "q%d-o", p);
    switch (q->kind) {
    case SQ_SINGLE: choice_inputs(b, q, "radio", name, "choice", ps, n, error, id_prefix); break;
    case SQ_MULTIPLE:
        choice_inputs(b, q, "checkbox", name, "choice", ps, n, error, id_prefix);
        break;
    case SQ_SCALE:
        buf_puts(b, "<p class=\"help\">De 0 (pas du tout) à 5 (tout à fait).</p><div "
                    "class=\"scale\">");
        for (int v = 0; v <= SURVEY_SCALE_MAX; v++) {
            char value[2] = {(char)('0' + v), '\0'};
            buf_printf(b, "<input type=\"radio\" id=\"q%d-o%d\" name=\"%h\" value=\"%d\"%s", p, v,
                       name, v, has_value(ps, n, q->id, "scale", value) ? " checked" : "");
            invalid_attrs(b, p, error);
            buf_printf(b, "> <label for=\"q%d-o%d\">%d</label> ", p, v, v);
        }
        buf_puts(b, "</div>");
        break;
    case SQ_DATE:
        buf_printf(b,
                   "<p><label for=\"q%d-start\">Début</label> <input type=\"date\" "
                   "id=\"q%d-start\" name=\"q%d-start\" value=\"%h\"",
                   p, p, p, part_value(ps, n, q->id, "start"));
        invalid_attrs(b, p, error);
        buf_printf(b,
                   "> <label for=\"q%d-end\">Fin</label> <input type=\"date\" id=\"q%d-end\" "
                   "name=\"q%d-end\" value=\"%h\"",
                   p, p, p, part_value(ps, n, q->id, "end"));
        invalid_attrs(b, p, error);
        buf_puts(b, "></p>");
        break;
    case SQ_MATRIX: matrix_inputs(req, b, q, ps, n, error); break;
    case SQ_TEXT:
    case SQ_KINDS:
        buf_printf(b, "<textarea id=\"q%d-field\" name=\"%h\" rows=\"3\"", p, name);
        invalid_attrs(b, p, error);
        buf_printf(b, ">%h</textarea>", part_value(ps, n, q->id, "text"));
        break;
    }
    if (q->has_comment)
        buf_printf(b,
                   "<p><label for=\"q%d-comment\">Précisions (facultatif)</label><br>"
                   "<textarea id=\"q%d-comment\" name=\"q%d-comment\" rows=\"2\">%h"
                   "</textarea></p>",
                   p, p, p, part_value(ps, n, q->id, "comment"));
    buf_puts(b, grouped ? "</fieldset>" : "</div>");
}

/* What Boussole already knows of the action, shown above the questions. */
static void known_block(struct buf *b, const struct survey_known *k)
{
    buf_puts(b, "<section class=\"known\" aria-labelledby=\"connu\"><h2 id=\"connu\">Ce que "
                "Boussole sait déjà de l'action</h2><dl>");
    buf_printf(b, "<dt>Action</dt><dd>%h%s%h</dd>", k->code, *k->code ? " " : "", k->title);
    buf_printf(b, "<dt>Porteur</dt><dd>%h</dd>", *k->carriers ? k->carriers : "non renseigné");
    buf_printf(b, "<dt>Partenaires</dt><dd>%h</dd>", *k->partners ? k->partners : "aucun");
    buf_puts(b, "<dt>États d'avancement</dt><dd>");
    if (!k->n_statuses)
        buf_puts(b, "aucun enregistré");
    for (int i = 0; i < k->n_statuses; i++) {
        buf_printf(b, "%s%d : ", i ? " · " : "", k->years[i]);
        page_status(b, k->statuses[i]);
    }
    buf_puts(b, "</dd>");
    if (*k->axis)
        buf_printf(b, "<dt>Axe</dt><dd>%h</dd>", k->axis);
    if (*k->specific)
        buf_printf(b, "<dt>Objectif spécifique</dt><dd>%h</dd>", k->specific);
    buf_puts(b, "</dl></section>");
}

/* A blank form starts from what Boussole knows: the action's title, its latest status, the
 * answering organisation and person. The respondent may change any of it. */
static int prefill(struct req *req, const struct survey_question *qs, int n_q,
                   const struct survey_known *k, const struct survey_visit *v,
                   struct survey_part **out)
{
    struct survey_part *ps = arena_alloc(req->arena, 4 * sizeof *ps);
    int n = 0;
    for (int i = 0; i < n_q; i++) {
        if (qs[i].kind != SQ_TEXT)
            continue;
        if (strncmp(qs[i].text, "Intitulé de la fiche action", 28) == 0 && n < 4)
            ps[n++] = (struct survey_part){qs[i].id, "text", edit_fmt(req->arena, "%s", k->title)};
        else if (strncmp(qs[i].text, "Identifiez votre structure", 26) == 0 && n < 4)
            ps[n++] = (struct survey_part){qs[i].id, "text",
                                           arena_strdup(req->arena, v->organisation)};
    }
    *out = ps;
    return n;
}

static int form_show(struct req *req, struct res *res, const struct survey_visit *v,
                     long long action_id, const struct survey_part *ps, int n,
                     const char *const *errors, int n_errors, int status)
{
    struct survey_question *qs = NULL;
    int n_q = 0;
    struct survey_known k;
    const char *state = "";
    struct survey_part *saved = NULL;
    int n_saved = 0;
    if (survey_questions(req->db, req->arena, v->survey.id, &qs, &n_q) != ERR_OK ||
        survey_action_known(req->db, req->arena, v->survey.contract_id, action_id, &k) != ERR_OK ||
        survey_answer_load(req->db, req->arena, v, action_id, &state, &saved, &n_saved) != ERR_OK)
        return page_db_error(req, res);
    if (!ps) {
        ps = saved;
        n = n_saved;
        if (!*state)
            n = prefill(req, qs, n_q, &k, v, &saved), ps = saved;
    }
    struct crumb crumbs[] = {{"Vos actions", "/survey/answers"}, {k.title, NULL}};
    page_begin(res, "Questionnaire d'évaluation", crumbs, 2);
    res->status = status;
    struct buf *b = &res->body;
    if (n_errors) {
        buf_printf(b,
                   "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"><h2>%d "
                   "question%s à corriger : rien n'a été enregistré.</h2><ul>",
                   n_errors, n_errors > 1 ? "s" : "");
        for (int i = 0; i < n_q; i++)
            if (errors[i])
                buf_printf(b, "<li><a href=\"#q%d\">Question %d : %h</a></li>", qs[i].position,
                           qs[i].position, errors[i]);
        buf_puts(b, "</ul></div>");
    }
    if (str_eq(state, "draft"))
        buf_puts(b, "<p class=\"notice\">Un brouillon est enregistré : vous le reprenez ici.</p>");
    known_block(b, &k);
    if (str_eq(state, "submitted")) {
        buf_puts(b, "<p class=\"notice\">Votre réponse pour cette action est envoyée : elle ne "
                    "change plus. Merci.</p>");
        page_end(res);
        return status;
    }
    buf_printf(b,
               "<p>%h</p><p>Les questions marquées (obligatoire) doivent être remplies pour "
               "envoyer ; un brouillon peut rester incomplet.</p>",
               v->survey.intro);
    form_begin(b, edit_fmt(req->arena, "/survey/answers/%lld", action_id),
               auth_form_token(req, res));
    const char *section = NULL;
    for (int i = 0; i < n_q; i++) {
        if (!section || !str_eq(section, qs[i].section)) {
            section = qs[i].section;
            if (*section)
                buf_printf(b, "<h2 class=\"survey-section\">%h</h2>", section);
        }
        question_field(req, b, &qs[i], ps, n, errors ? errors[i] : NULL);
    }
    buf_puts(b, "<p class=\"actions\"><button type=\"submit\" name=\"send\" value=\"draft\">"
                "Enregistrer le brouillon</button> <button type=\"submit\" name=\"send\" "
                "value=\"final\">Envoyer mes réponses</button></p></form>");
    page_end(res);
    return status;
}

/* Forbidden: the action is not one the link's organisation carries. */
static int not_yours(struct req *req, struct res *res)
{
    return page_error(req, res, 403, "Action d'une autre organisation",
                      "Votre lien permet de répondre pour les seules actions que porte votre "
                      "organisation.");
}

int survey_form_page(struct req *req, struct res *res)
{
    struct survey_visit v;
    int rc = load_visit(req, res, &v);
    if (rc)
        return rc;
    const char *state;
    struct survey_part *ps;
    int n;
    rc = survey_answer_load(req->db, req->arena, &v, req->ids[0], &state, &ps, &n);
    if (rc == ERR_FORBIDDEN)
        return not_yours(req, res);
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return form_show(req, res, &v, req->ids[0], NULL, 0, NULL, 0, 200);
}

/* The option a posted index names, or the posted text itself (refused by survey_check). */
static const char *option_of(const struct survey_question *q, const char *posted)
{
    long long i = 0;
    if (str_to_ll(posted, 1, q->n_options, &i) == ERR_OK)
        return q->options[i - 1];
    return posted;
}

static void add_part(struct arena *a, struct survey_part **ps, int *n, int *cap, long long qid,
                     const char *part, const char *value)
{
    *ps = rows_grow(a, *ps, *n, cap, sizeof **ps);
    (*ps)[(*n)++] = (struct survey_part){qid, part, value};
}

/* Reads the posted answers of every question into answer rows (nothing checked yet). */
static int read_posted(struct req *req, const struct survey_question *qs, int n_q,
                       struct survey_part **out)
{
    struct survey_part *ps = NULL;
    int n = 0, cap = 0;
    for (int k = 0; k < n_q; k++) {
        const struct survey_question *q = &qs[k];
        const char *name = edit_fmt(req->arena, "q%d", q->position);
        switch (q->kind) {
        case SQ_SINGLE:
        case SQ_MULTIPLE:
        case SQ_SCALE:
            for (int i = 0; i < req->n_form; i++)
                if (str_eq(req->form[i].key, name) && *req->form[i].value)
                    add_part(req->arena, &ps, &n, &cap, q->id,
                             q->kind == SQ_SCALE ? "scale" : "choice",
                             q->kind == SQ_SCALE ? req->form[i].value
                                                 : option_of(q, req->form[i].value));
            break;
        case SQ_TEXT:
        case SQ_KINDS:
            add_part(req->arena, &ps, &n, &cap, q->id, "text", form_value(req, name));
            break;
        case SQ_DATE:
            for (int e = 0; e < 2; e++) {
                const char *part = e ? "end" : "start";
                const char *typed = form_value(req, edit_fmt(req->arena, "%s-%s", name, part));
                char day[11] = "";
                if (*typed && edit_parse_date(typed, day) == ERR_OK && *day)
                    typed = arena_strdup(req->arena, day);
                if (*typed)
                    add_part(req->arena, &ps, &n, &cap, q->id, part, typed);
            }
            break;
        case SQ_MATRIX:
            for (int r = 1; r <= q->n_rows; r++) {
                const char *typed = form_value(req, edit_fmt(req->arena, "%s-r%d", name, r));
                if (*typed)
                    add_part(req->arena, &ps, &n, &cap, q->id, edit_fmt(req->arena, "row:%d", r),
                             option_of(q, typed));
            }
            break;
        }
        const char *comment = form_value(req, edit_fmt(req->arena, "%s-comment", name));
        if (*comment)
            add_part(req->arena, &ps, &n, &cap, q->id, "comment", comment);
    }
    *out = ps;
    return n;
}

int survey_form_submit(struct req *req, struct res *res)
{
    struct survey_visit v;
    int rc = load_visit(req, res, &v);
    if (rc)
        return rc;
    const char *state;
    struct survey_part *saved;
    int n_saved;
    rc = survey_answer_load(req->db, req->arena, &v, req->ids[0], &state, &saved, &n_saved);
    if (rc == ERR_FORBIDDEN)
        return not_yours(req, res);
    if (rc != ERR_OK)
        return page_db_error(req, res);
    if (str_eq(state, "submitted"))
        return page_error(req, res, 409, "Réponse déjà envoyée",
                          "Votre réponse pour cette action est déjà envoyée : elle ne change "
                          "plus.");
    struct survey_question *qs = NULL;
    int n_q = 0;
    if (survey_questions(req->db, req->arena, v.survey.id, &qs, &n_q) != ERR_OK)
        return page_db_error(req, res);
    struct survey_part *ps = NULL;
    int n = read_posted(req, qs, n_q, &ps);
    /* The form shown again keeps everything typed, hidden answers included. */
    struct survey_part *typed = arena_alloc(req->arena, (size_t)(n + 1) * sizeof *typed);
    if (n)
        memcpy(typed, ps, (size_t)n * sizeof *typed);
    int n_typed = n;
    bool submit = str_eq(form_value(req, "send"), "final");
    const char **errors = arena_alloc(req->arena, (size_t)(n_q + 1) * sizeof *errors);
    int bad = survey_check(req->arena, qs, n_q, ps, &n, submit, errors);
    if (bad)
        return form_show(req, res, &v, req->ids[0], typed, n_typed, errors, bad, 422);
    rc = survey_answer_save(req->db, &v, req->ids[0], ps, n, submit, req->now);
    if (rc == ERR_FORBIDDEN)
        return not_yours(req, res);
    if (rc == ERR_CONFLICT)
        return page_error(req, res, 409, "Réponse déjà envoyée",
                          "Votre réponse pour cette action est déjà envoyée : elle ne change "
                          "plus.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(req, res,
                         submit ? "/survey/answers?saved=final" : "/survey/answers?saved=draft");
}

/* survey_pages.c — the coordination's questionnaire pages: create a survey from the CLS template,
 * edit or add questions while it is a draft, open it (one personal link per carrier contact),
 * remind, close; and the mails of the links. Must not contain SQL (model/survey.c). */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "model/core/contract.h"
#include "model/plan/figures.h"
#include "model/report/survey.h"
#include "web/core/auth.h"
#include "web/core/config.h"
#include "web/kit/edit_forms.h"
#include "web/kit/form.h"
#include "web/core/handlers.h"
#include "web/core/hooks.h"
#include "web/kit/load.h"
#include "web/core/mailer.h"
#include "web/http/page.h"
#include "web/survey/survey_web.h"

/* ---- the mails ------------------------------------------------------------------------------- */

/* The opening mail or a reminder of a link (plain text, strings in the arena ctx). The model
 * hands the survey in as a campaign (campaign_mail_fn): deadline and ids only. */
static int survey_mail(void *ctx, const struct campaign *c, const struct campaign_contact *to,
                       const char *token, const char *kind, struct outbox_mail *out)
{
    struct arena *a = ctx;
    bool reminder = str_eq(kind, "reminder");
    char day[16];
    snprintf(day, sizeof day, "%.2s/%.2s/%.4s", c->deadline + 8, c->deadline + 5, c->deadline);
    struct buf subject = {0}, body = {0};
    buf_puts(&subject, reminder ? "Rappel : " : "");
    buf_puts(&subject, "Boussole : questionnaire d'évaluation du contrat local de santé");
    buf_puts(&body, "Bonjour ");
    buf_puts(&body, to->name);
    buf_puts(&body, ",\n\n");
    if (reminder)
        buf_puts(&body, "Le questionnaire attend encore vos réponses pour des actions de votre "
                        "organisation.\n\n");
    buf_puts(&body, "La coordination du contrat local de santé évalue les actions que porte ");
    buf_puts(&body, to->organisation);
    buf_puts(&body, " : un questionnaire par action, à remplir avant le ");
    buf_puts(&body, day);
    buf_puts(&body, ".\nVous pouvez enregistrer un brouillon et reprendre plus tard. Ce lien "
                    "personnel vous y mène sans compte ni mot de passe ; il cesse de fonctionner "
                    "à la clôture du questionnaire. Ne le transmettez pas.\n\n");
    buf_puts(&body, web_config.base_url ? web_config.base_url : "");
    buf_puts(&body, "/survey?token=");
    buf_puts(&body, token);
    buf_puts(&body, "\n\nMerci,\nBoussole\n");
    out->subject = arena_strdup(a, buf_cstr(&subject));
    out->body = arena_strdup(a, buf_cstr(&body));
    buf_free(&subject);
    buf_free(&body);
    return 0;
}

int survey_send_due_reminders(struct store *db, long long now)
{
    struct arena a = {0};
    int sent = 0;
    int rc = survey_remind_due(db, now, survey_mail, &a, &sent);
    arena_free(&a);
    if (rc == ERR_OK && sent)
        mailer_wake();
    return rc;
}

int survey_remind_tick(struct store *db, long long now)
{
    struct arena a = {0};
    int sent = 0;
    int rc = survey_remind_due(db, now, survey_mail, &a, &sent);
    arena_free(&a);
    if (rc != ERR_OK) {
        log_error("scheduled survey reminders not queued: %s", store_errmsg(db));
        return 0;
    }
    return sent;
}

static void remind_due(struct req *req)
{
    if (survey_send_due_reminders(req->db, req->now) != ERR_OK)
        log_info("scheduled survey reminders failed");
}

/* ---- loading --------------------------------------------------------------------------------- */

int survey_load(struct req *req, struct res *res, struct contract *c, struct survey *s)
{
    int rc = load_contract(req, res, req->ids[0], c);
    if (rc)
        return rc;
    rc = survey_get(req->db, req->arena, req->ids[1], s);
    if (rc == ERR_NOTFOUND || (rc == ERR_OK && s->contract_id != c->id))
        return page_error(req, res, 404, "Questionnaire introuvable",
                          "Ce contrat n'a pas de questionnaire sous ce numéro.");
    return rc == ERR_OK ? 0 : page_db_error(req, res);
}

const char *survey_state_label(const char *state)
{
    return str_eq(state, "draft") ? "Brouillon" : str_eq(state, "open") ? "Ouvert" : "Clos";
}

/* ---- the list and the creation ---------------------------------------------------------------- */

static int surveys_list(struct req *req, struct res *res, const struct contract *c,
                        const char *error, int status)
{
    struct survey *ss = NULL;
    int n = 0;
    if (survey_list(req->db, req->arena, c->id, &ss, &n) != ERR_OK)
        return page_db_error(req, res);
    edit_begin(req, res, c, "Questionnaires d'évaluation", NULL, NULL,
               "Questionnaires d'évaluation");
    struct buf *b = &res->body;
    if (error)
        buf_printf(b, "<p class=\"error\" role=\"alert\">%h</p>", error);
    if (n == 0) {
        buf_puts(b, "<p>Aucun questionnaire pour l'instant.</p>");
    } else {
        buf_puts(b, "<div class=\"table-wrap\"><table><caption>Les questionnaires du contrat"
                    "</caption><thead><tr><th scope=\"col\">Questionnaire</th><th scope=\"col\">"
                    "État</th><th scope=\"col\">Questions</th><th scope=\"col\">Liens envoyés"
                    "</th></tr></thead><tbody>");
        for (int i = 0; i < n; i++)
            buf_printf(b,
                       "<tr><td><a href=\"/contracts/%lld/surveys/%lld\">%h (n° %lld)</a></td>"
                       "<td>%h</td><td>%d</td><td>%d</td></tr>",
                       c->id, ss[i].id, ss[i].title, ss[i].id, survey_state_label(ss[i].state),
                       ss[i].questions, ss[i].links);
        buf_puts(b, "</tbody></table></div>");
    }
    buf_puts(b, "<section aria-labelledby=\"creer\"><h2 id=\"creer\">Créer un questionnaire</h2>"
                "<p>Le questionnaire part du modèle du CLS (33 questions de l'annexe 7 de "
                "l'évaluation du CLS 2 Cœur de Lorraine). Tant qu'il est en brouillon, vous "
                "pouvez en modifier les questions et en ajouter ; il s'ouvre ensuite aux "
                "contacts des organisations porteuses, une réponse par action.</p>");
    form_begin(b, edit_fmt(req->arena, "/contracts/%lld/surveys", c->id),
               auth_form_token(req, res));
    form_hidden(b, "template", "cls");
    form_end(b, "Créer depuis le modèle");
    buf_puts(b, "</section>");
    page_end(res);
    res->status = status;
    return status;
}

int surveys_page(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    remind_due(req);
    return surveys_list(req, res, &c, NULL, 200);
}

int survey_create_submit(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    if (!str_eq(form_value(req, "template"), "cls"))
        return surveys_list(req, res, &c, "Choisissez le modèle du questionnaire.", 422);
    struct actor who = edit_actor(req);
    long long id = 0;
    const char *why = NULL;
    rc = survey_create_from_template(
        req->db, &who, c.id, BOUSSOLE_DATADIR "/survey/questionnaire.json", req->now, &id, &why);
    if (rc == ERR_INVALID)
        return surveys_list(req, res, &c, why, 500);
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(
        req, res, edit_fmt(req->arena, "/contracts/%lld/surveys/%lld?saved=created", c.id, id));
}

/* ---- one survey ------------------------------------------------------------------------------- */

static void question_summary(struct buf *b, const struct survey_question *qs, int n_q,
                             const struct survey_question *q)
{
    buf_printf(b, "<p class=\"help\">%h%s", survey_kind_label(q->kind),
               q->required ? " · obligatoire" : "");
    if (q->cond_position)
        for (int i = 0; i < n_q; i++)
            if (qs[i].position == q->cond_position)
                buf_printf(b, " · posée si la question %d a pour réponse « %h »", q->cond_position,
                           q->cond_value);
    buf_puts(b, "</p>");
    if (q->n_options) {
        buf_puts(b, "<ul class=\"choices\">");
        for (int i = 0; i < q->n_options; i++)
            buf_printf(b, "<li>%h</li>", q->options[i]);
        buf_puts(b, "</ul>");
    }
}

/* The form that rewords a draft's question and sets whether it is required. */
static void question_edit_form(struct req *req, struct res *res, const struct survey *s,
                               const struct survey_question *q, const char *csrf)
{
    struct buf *b = &res->body;
    form_begin(
        b, edit_fmt(req->arena, "/contracts/%lld/surveys/%lld/questions", s->contract_id, s->id),
        csrf);
    form_hidden(b, "question", edit_fmt(req->arena, "%lld", q->id));
    edit_version_field(b, req->arena, q->version);
    buf_printf(b,
               "<p><label for=\"text-%lld\">Intitulé de la question %d</label><br><textarea "
               "id=\"text-%lld\" name=\"text\" rows=\"2\" required>%h</textarea></p>"
               "<p><input type=\"checkbox\" id=\"required-%lld\" name=\"required\" value=\"1\"%s>"
               " <label for=\"required-%lld\">Obligatoire</label></p>",
               q->id, q->position, q->id, q->text, q->id, q->required ? " checked" : "", q->id);
    form_end(b, "Enregistrer la question");
}

static void question_add_form(struct req *req, struct res *res, const struct survey *s,
                              const char *csrf, const struct form_errors *errs)
{
    struct buf *b = &res->body;
    buf_puts(b, "<section aria-labelledby=\"ajouter\"><h2 id=\"ajouter\">Ajouter une question"
                "</h2>");
    form_begin(
        b, edit_fmt(req->arena, "/contracts/%lld/surveys/%lld/questions", s->contract_id, s->id),
        csrf);
    form_textarea(b, "text", "Intitulé", form_value(req, "text"), NULL,
                  form_error_of(errs, "text"), true);
    const char *values[] = {"single", "multiple", "text", "scale", "date"};
    const char *labels[] = {"Choix unique", "Choix multiple", "Texte libre", "Échelle de 0 à 5",
                            "Dates (début et fin)"};
    form_select(b, "kind", "Type de réponse", values, labels, 5, form_value(req, "kind"),
                form_error_of(errs, "kind"), true);
    form_textarea(b, "options", "Choix proposés (un par ligne)", form_value(req, "options"),
                  "Pour les questions à choix seulement.", form_error_of(errs, "options"), false);
    buf_puts(b, "<p><input type=\"checkbox\" id=\"required-new\" name=\"required\" value=\"1\"> "
                "<label for=\"required-new\">Obligatoire</label></p>");
    form_end(b, "Ajouter la question");
    buf_puts(b, "</section>");
}

static int survey_show(struct req *req, struct res *res, const struct contract *c,
                       const struct survey *s, const struct form_errors *errs, int status)
{
    struct survey_question *qs = NULL;
    int n_q = 0;
    struct campaign_contact *ls = NULL;
    int n_links = 0;
    if (survey_questions(req->db, req->arena, s->id, &qs, &n_q) != ERR_OK ||
        survey_links(req->db, req->arena, s->id, &ls, &n_links) != ERR_OK)
        return page_db_error(req, res);
    const char *title = edit_fmt(req->arena, "Questionnaire n° %lld", s->id);
    edit_begin(req, res, c, title, "Questionnaires",
               edit_fmt(req->arena, "/contracts/%lld/surveys", c->id), title);
    struct buf *b = &res->body;
    const char *saved = req_query(req, "saved");
    static const struct {
        const char *key, *text;
    } notices[] = {
        {"created", "Questionnaire créé depuis le modèle : relisez les questions avant de "
                    "l'ouvrir."},
        {"question", "Question enregistrée."},
        {"opened", "Questionnaire ouvert : les liens personnels sont dans la file d'envoi."},
        {"reminded", "Rappels envoyés aux contacts qui n'ont pas répondu pour toutes leurs "
                     "actions."},
        {"closed", "Questionnaire clos : les liens ne fonctionnent plus."},
    };
    for (size_t i = 0; saved && i < sizeof notices / sizeof notices[0]; i++)
        if (str_eq(saved, notices[i].key))
            buf_printf(b, "<p class=\"notice\" role=\"status\">%h</p>", notices[i].text);
    buf_printf(b, "<p class=\"lede\">%h</p><p>État : <strong>%h</strong>", s->title,
               survey_state_label(s->state));
    if (*s->deadline)
        buf_printf(b, " · date limite : <strong>%h</strong>", s->deadline);
    buf_printf(b, " · %d question%s · %d lien%s envoyé%s.</p>", n_q, n_q > 1 ? "s" : "", n_links,
               n_links > 1 ? "s" : "", n_links > 1 ? "s" : "");
    if (!str_eq(s->state, "draft"))
        buf_printf(b,
                   "<p><a class=\"button\" href=\"/contracts/%lld/surveys/%lld/results\">"
                   "Résultats et taux de réponse</a></p>",
                   c->id, s->id);
    form_error_summary(b, errs);
    const char *csrf = auth_form_token(req, res);
    bool draft = str_eq(s->state, "draft");
    if (draft) {
        buf_puts(b, "<section aria-labelledby=\"ouvrir\"><h2 id=\"ouvrir\">Ouvrir le "
                    "questionnaire</h2><p>Chaque contact d'une organisation porteuse (une "
                    "personne de l'annuaire du contrat, avec une adresse électronique) reçoit un "
                    "lien personnel pour répondre, une fois par action que porte son "
                    "organisation. Les questions ne changent plus une fois le questionnaire "
                    "ouvert.</p>");
        form_begin(b, edit_fmt(req->arena, "/contracts/%lld/surveys/%lld/open", c->id, s->id),
                   csrf);
        form_input(b, "date", "deadline", "Date limite des réponses", form_value(req, "deadline"),
                   "Le lien cesse de fonctionner à la clôture.", form_error_of(errs, "deadline"),
                   true);
        form_end(b, "Ouvrir et envoyer les liens");
        buf_puts(b, "</section>");
    } else if (str_eq(s->state, "open")) {
        buf_puts(b, "<section aria-labelledby=\"relancer\"><h2 id=\"relancer\">Relancer ou "
                    "clore</h2><p>Des rappels partent aussi d'eux-mêmes 7 jours puis 1 jour "
                    "avant la date limite, seulement aux contacts qui n'ont pas répondu pour "
                    "toutes leurs actions.</p>");
        form_begin(b, edit_fmt(req->arena, "/contracts/%lld/surveys/%lld/remind", c->id, s->id),
                   csrf);
        form_end(b, "Envoyer un rappel maintenant");
        form_begin(b, edit_fmt(req->arena, "/contracts/%lld/surveys/%lld/close", c->id, s->id),
                   csrf);
        form_end(b, "Clore le questionnaire");
        buf_puts(b, "</section>");
    }
    if (n_links) {
        buf_puts(b, "<section aria-labelledby=\"liens\"><h2 id=\"liens\">Liens personnels</h2>"
                    "<div class=\"table-wrap\"><table><caption>Contacts et actions sans "
                    "réponse envoyée</caption><thead><tr><th scope=\"col\">Organisation</th>"
                    "<th scope=\"col\">Contact</th><th scope=\"col\">Actions sans réponse</th>"
                    "<th scope=\"col\">Rappels</th></tr></thead><tbody>");
        for (int i = 0; i < n_links; i++)
            buf_printf(b, "<tr><td>%h</td><td>%h</td><td>%d</td><td>%d</td></tr>",
                       ls[i].organisation, ls[i].name, ls[i].unanswered, ls[i].reminders);
        buf_puts(b, "</tbody></table></div></section>");
    }
    buf_puts(b, "<section aria-labelledby=\"questions\"><h2 id=\"questions\">Questions</h2>"
                "<ol class=\"survey-questions\">");
    for (int i = 0; i < n_q; i++) {
        buf_printf(b, "<li id=\"q%d\"><p><strong>%h</strong></p>", qs[i].position, qs[i].text);
        question_summary(b, qs, n_q, &qs[i]);
        if (draft) {
            buf_printf(b, "<details><summary>Modifier la question %d</summary>", qs[i].position);
            question_edit_form(req, res, s, &qs[i], csrf);
            buf_puts(b, "</details>");
        }
        buf_puts(b, "</li>");
    }
    buf_puts(b, "</ol></section>");
    if (draft)
        question_add_form(req, res, s, csrf, errs);
    page_end(res);
    res->status = status;
    return status;
}

int survey_page(struct req *req, struct res *res)
{
    struct contract c;
    struct survey s;
    int rc = survey_load(req, res, &c, &s);
    if (rc)
        return rc;
    remind_due(req);
    return survey_show(req, res, &c, &s, NULL, 200);
}

/* Splits the typed choices, one per line, blank lines dropped, into the arena. */
static char **typed_lines(struct arena *a, const char *s, int *n)
{
    *n = 0;
    char **out = arena_alloc(a, (SURVEY_MAX_CHOICES + 2) * sizeof *out);
    while (*s && *n <= SURVEY_MAX_CHOICES) {
        size_t len = strcspn(s, "\r\n");
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        size_t lead = strspn(s, " \t");
        if (len > lead) {
            char *line = arena_alloc(a, len - lead + 1);
            memcpy(line, s + lead, len - lead);
            line[len - lead] = '\0';
            out[(*n)++] = line;
        }
        s += strcspn(s, "\r\n");
        s += strspn(s, "\r\n");
    }
    return out;
}

int survey_question_submit(struct req *req, struct res *res)
{
    struct contract c;
    struct survey s;
    int rc = survey_load(req, res, &c, &s);
    if (rc)
        return rc;
    struct survey_question q = {.text = (char *)form_value(req, "text"),
                                .required = str_eq(form_value(req, "required"), "1")};
    struct form_errors errs = {0};
    const char *id = form_value(req, "question");
    if (*id) {
        if (str_to_ll(id, 1, (long long)1 << 53, &q.id) != ERR_OK ||
            edit_version(req, &q.version) != ERR_OK)
            form_error(&errs, "text", "Question inconnue.");
    } else {
        const char *kind = form_value(req, "kind");
        static const enum survey_kind kinds[] = {SQ_SINGLE, SQ_MULTIPLE, SQ_TEXT, SQ_SCALE,
                                                 SQ_DATE};
        bool known = false;
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
            if (str_eq(kind, survey_kind_key(kinds[i]))) {
                q.kind = kinds[i];
                known = true;
            }
        if (!known)
            form_error(&errs, "kind", "Choisissez le type de réponse dans la liste.");
        if (q.kind == SQ_SINGLE || q.kind == SQ_MULTIPLE)
            q.options = typed_lines(req->arena, form_value(req, "options"), &q.n_options);
    }
    if (!errs.n) {
        struct actor who = edit_actor(req);
        const char *why = NULL;
        rc = survey_question_save(req->db, &who, s.id, &q, &why);
        if (rc == ERR_INVALID)
            form_error(&errs, why && strstr(why, "choix") ? "options" : "text",
                       why ? why : "Question refusée.");
        else if (rc == ERR_NOTFOUND)
            form_error(&errs, "text", "Question inconnue.");
        else if (rc == ERR_CONFLICT)
            return page_error(req, res, 409, "Question modifiée entre-temps",
                              "Quelqu'un a modifié cette question depuis que vous avez ouvert "
                              "la page : rouvrez le questionnaire pour voir sa version actuelle, "
                              "puis recommencez.");
        else if (rc != ERR_OK)
            return page_db_error(req, res);
    }
    if (errs.n)
        return survey_show(req, res, &c, &s, &errs, 422);
    return edit_redirect(
        req, res, edit_fmt(req->arena, "/contracts/%lld/surveys/%lld?saved=question", c.id, s.id));
}

int survey_open_submit(struct req *req, struct res *res)
{
    struct contract c;
    struct survey s;
    int rc = survey_load(req, res, &c, &s);
    if (rc)
        return rc;
    struct form_errors errs = {0};
    struct actor who = edit_actor(req);
    const char *why = NULL;
    if (!*form_value(req, "deadline")) {
        form_error(&errs, "deadline", "Indiquez la date limite des réponses (JJ/MM/AAAA).");
    } else {
        rc = survey_open(req->db, &who, s.id, form_value(req, "deadline"), req->now, survey_mail,
                         req->arena, &why);
        if (rc == ERR_INVALID)
            form_error(&errs, "deadline", why ? why : "Ouverture refusée.");
        else if (rc != ERR_OK)
            return page_db_error(req, res);
    }
    if (errs.n)
        return survey_show(req, res, &c, &s, &errs, 422);
    mailer_wake();
    return edit_redirect(
        req, res, edit_fmt(req->arena, "/contracts/%lld/surveys/%lld?saved=opened", c.id, s.id));
}

int survey_remind_submit(struct req *req, struct res *res)
{
    struct contract c;
    struct survey s;
    int rc = survey_load(req, res, &c, &s);
    if (rc)
        return rc;
    int sent = 0;
    rc = survey_remind(req->db, s.id, req->now, survey_mail, req->arena, &sent);
    if (rc == ERR_INVALID)
        return page_error(req, res, 409, "Questionnaire non ouvert",
                          "Ce questionnaire n'est pas ouvert : aucun rappel ne peut partir.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    mailer_wake();
    return edit_redirect(
        req, res, edit_fmt(req->arena, "/contracts/%lld/surveys/%lld?saved=reminded", c.id, s.id));
}

int survey_close_submit(struct req *req, struct res *res)
{
    struct contract c;
    struct survey s;
    int rc = survey_load(req, res, &c, &s);
    if (rc)
        return rc;
    struct actor who = edit_actor(req);
    rc = survey_close(req->db, &who, s.id, req->now);
    if (rc == ERR_INVALID)
        return page_error(req, res, 409, "Questionnaire non ouvert",
                          "Ce questionnaire n'est pas ouvert : il ne peut pas être clos.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(
        req, res, edit_fmt(req->arena, "/contracts/%lld/surveys/%lld?saved=closed", c.id, s.id));
}

/* The journal's words for a questionnaire's steps and answers (web/kit/audit_kinds.h's audit_field_labels); NULL for another field. */
const char *survey_audit_field_label(struct arena *a, const char *entity, const char *field)
{
    if (strncmp(field, "survey:", 7) == 0) { /* migration 014: questionnaires */
        long long sid = 0, qid = 0;
        char part[16] = "";
        int n = sscanf(field + 7, "%lld:%15[a-z]:%lld", &sid, part, &qid);
        struct buf b = {0};
        buf_printf(&b, "Questionnaire d'évaluation n° %lld", sid);
        if (n >= 2 && str_eq(part, "question") && n == 3)
            buf_printf(&b, ", intitulé de la question (n° interne %lld)", qid);
        else if (n == 3 && str_eq(part, "required"))
            buf_printf(&b, ", question obligatoire (n° interne %lld)", qid);
        else if (n == 2 && str_eq(part, "question"))
            buf_puts(&b, ", question ajoutée");
        else if (str_eq(entity, "action"))
            buf_puts(&b, ", réponse par lien personnel");
        const char *s = arena_strdup(a, buf_cstr(&b));
        buf_free(&b);
        return s;
    }
    return NULL;
}

/* A state journaled by this feature in words (audit_kinds.h's audit_field_words); NULL for
 * another field. */
const char *survey_audit_value(struct arena *a, const char *entity, const char *field,
                               const char *v)
{
    (void)a;
    (void)entity;
    if (strncmp(field, "survey:", 7) != 0 || strchr(field + 7, ':'))
        return NULL;
    return strcmp(v, "draft") == 0       ? "brouillon"
           : strcmp(v, "open") == 0      ? "ouvert"
           : strcmp(v, "closed") == 0    ? "clos"
           : strcmp(v, "submitted") == 0 ? "réponse envoyée"
                                         : v;
}

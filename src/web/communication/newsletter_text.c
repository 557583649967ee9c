/* newsletter_text.c — the texts of the newsletter: the first draft the composer proposes (the
 * actions that moved, the next meetings, the key figures counted by figures.c like the
 * dashboard) and the mail of an issue with its personal unsubscribe link. Markdown and plain
 * text only, never HTML.
 * printf-text: builds Markdown and mail bodies, no markup. */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "base/text.h"
#include "model/core/contract.h"
#include "model/plan/figures.h"
#include "model/governance/meeting.h"
#include "web/communication/communication.h"
#include "web/core/config.h"

/* ---- the first draft ------------------------------------------------------------------------ */

static void draft_highlights(struct req *req, struct buf *b, long long contract_id, int year)
{
    struct newsletter_highlight *hs = NULL;
    int n = 0;
    if (!year || newsletter_highlights(req->db, req->arena, contract_id, year, &hs, &n) != ERR_OK)
        n = 0;
    buf_printf(b, "## Les actions qui avancent (%d)\n\n", year);
    if (!n)
        buf_puts(b, "Aucune action réalisée ou en cours n'est encore enregistrée cette année.\n");
    for (int i = 0; i < n && i < 8; i++) {
        buf_printf(b, "- **%s%s%s** — %s", hs[i].code, *hs[i].code ? " " : "", hs[i].title,
                   status_label(status_from_key(hs[i].status)));
        if (*hs[i].remarks)
            buf_printf(b, " : %s", text_short(req->arena, hs[i].remarks, 160));
        buf_puts(b, "\n");
    }
    buf_puts(b, "\n");
}

static void draft_meetings(struct req *req, struct buf *b, long long contract_id)
{
    char today[11];
    struct date d = date_of_time(req->now);
    date_iso(&d, today);
    struct meeting_filter f = {.contract_id = contract_id};
    struct meeting *ms = NULL;
    int n = 0, shown = 0;
    if (meeting_list(req->db, req->arena, &f, &ms, &n) != ERR_OK)
        n = 0;
    buf_puts(b, "## Les prochains rendez-vous\n\n");
    for (int i = 0; i < n && shown < 6; i++) {
        if (strcmp(ms[i].held_on, today) < 0 || str_eq(ms[i].status, "cancelled"))
            continue;
        char day[32];
        if (!date_fr_long(ms[i].held_on, day))
            snprintf(day, sizeof day, "%s", ms[i].held_on);
        buf_printf(b, "- %s — %s", day, ms[i].title);
        if (*ms[i].place)
            buf_printf(b, " (%s)", ms[i].place);
        buf_puts(b, "\n");
        shown++;
    }
    if (!shown)
        buf_puts(b, "Aucune réunion n'est encore planifiée.\n");
    buf_puts(b, "\n");
}

/* The key figures, counted by figures.c like the dashboard. */
static void draft_figures(struct req *req, struct buf *b, long long contract_id, int year)
{
    struct year_figures y;
    if (!year || figures_for_year(req->db, contract_id, year, &y) != ERR_OK)
        return;
    buf_printf(b, "## Le contrat en chiffres (%d)\n\n", year);
    buf_printf(b, "- %d actions, dont %d réalisées (%d %%)\n", y.total, y.done,
               figures_percent(y.done, y.total));
    buf_printf(b, "- %d en cours\n", y.by_status[ST_IN_PROGRESS]);
    buf_printf(b, "- %d en réflexion, %d non commencées\n\n", y.by_status[ST_REFLECTION],
               y.by_status[ST_NOT_STARTED]);
}

const char *newsletter_first_draft(struct req *req, const struct contract *c)
{
    int year = 0;
    if (figures_reporting_year(req->db, c->id, &year, NULL) != ERR_OK)
        year = 0;
    struct buf b = {0};
    buf_printf(&b, "Des nouvelles du %s.\n\n", *c->short_title ? c->short_title : c->title);
    draft_highlights(req, &b, c->id, year);
    draft_meetings(req, &b, c->id);
    draft_figures(req, &b, c->id, year);
    const char *out = arena_strdup(req->arena, buf_cstr(&b));
    buf_free(&b);
    return out;
}

/* ---- the mail -------------------------------------------------------------------------------- */

int newsletter_issue_mail(void *ctx, const struct newsletter *x, const char *to,
                          const char *unsubscribe_url, struct outbox_mail *out)
{
    struct req *req = ctx;
    (void)to;
    struct buf subject = {0}, body = {0};
    buf_printf(&subject, "Lettre d'information n° %d : %s", x->number, x->title);
    buf_printf(&body, "%s\n\n%s\n\n-- \n", x->title, x->body);
    buf_printf(&body, "Toutes les lettres : %s/contracts/%lld/newsletters/archive\n",
               web_config.base_url ? web_config.base_url : "", x->contract_id);
    buf_printf(&body,
               "Vous recevez cette lettre parce que vous y avez consenti. Pour ne plus la "
               "recevoir : %s\n",
               unsubscribe_url);
    out->subject = arena_strdup(req->arena, buf_cstr(&subject));
    out->body = arena_strdup(req->arena, buf_cstr(&body));
    buf_free(&subject);
    buf_free(&body);
    return ERR_OK;
}

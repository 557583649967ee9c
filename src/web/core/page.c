/* page.c — layout, status badges, error pages and the stylesheet. Must not query the database. */
#include "web/core/page.h"

#include "model/account.h"

#include <string.h>

static const char stylesheet[] =
    ":root{--ink:#1e1e1e;--muted:#5a5a5a;--line:#d0d0d0;--bg:#fff;--accent:#0b4f8a;"
    "--done_closed:#1b5e20;--done_recurring:#2e7d32;--done:#43a047;--in_progress:#1565c0;"
    "--reflection:#b26a00;--not_started:#616161;--abandoned:#8e1b1b}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',"
    "Arial,sans-serif;color:var(--ink);background:var(--bg)}\n"
    "a{color:var(--accent)}a:focus,button:focus,input:focus,select:focus{outline:3px solid #f9a825;"
    "outline-offset:2px}\n"
    ".skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px}\n"
    "header.site{background:#0b3b66;color:#fff;padding:.6rem 1rem;display:flex;gap:1.5rem;"
    "align-items:center;flex-wrap:wrap}\n"
    "header.site a{color:#fff;text-decoration:none}header.site .brand{font-weight:700;"
    "font-size:1.2rem}\n"
    "header.site nav a{margin-right:1rem}header.site nav a:hover{text-decoration:underline}\n"
    "main{max-width:72rem;margin:0 auto;padding:1rem}\n"
    "nav.crumbs{font-size:.9rem;color:var(--muted);margin:.5rem 0}\n"
    "nav.crumbs ol{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap}\n"
    "nav.crumbs li+li:before{content:'\\203A';padding:0 .4rem}\n"
    "h1{font-size:1.8rem;line-height:1.25;margin:.5rem 0 1rem}h2{font-size:1.35rem;margin-top:2rem}"
    "h3{font-size:1.1rem}\n"
    "p,li{max-width:80ch}.muted{color:var(--muted)}\n"
    ".status{display:inline-block;padding:0 .45rem;border-radius:3px;color:#fff;font-size:.9rem;"
    "white-space:nowrap}\n"
    ".st-done_closed{background:var(--done_closed)}.st-done_recurring{background:var("
    "--done_recurring)}.st-done{background:#2e7d32}.st-in_progress{background:var(--in_progress)}"
    ".st-reflection{background:var(--reflection)}.st-not_started{background:var(--not_started)}"
    ".st-abandoned{background:var(--abandoned)}.st-none{background:#fff;color:var(--ink);"
    "border:1px solid var(--line)}\n"
    ".table-wrap{overflow-x:auto;max-width:100%}\n"
    "table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}\n"
    "th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);"
    "vertical-align:top}\n"
    "th{position:sticky;top:0;background:#f3f5f8}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "form.filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end;background:#f3f5f8;"
    "padding:.75rem;border-radius:4px}\n"
    "form.filters label{display:flex;flex-direction:column;font-size:.9rem;gap:.2rem}\n"
    "input,select,button{font:inherit;padding:.3rem .4rem}\n"
    "button,.button{background:var(--accent);color:#fff;border:0;border-radius:3px;"
    "padding:.4rem .9rem;cursor:pointer;text-decoration:none;display:inline-block}\n"
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(20rem,1fr));gap:1rem;"
    "padding:0;list-style:none}\n"
    ".card{border:1px solid var(--line);border-radius:4px;padding:.75rem 1rem}\n"
    ".card h3{margin:.2rem 0 .5rem}\n"
    ".timeline{list-style:none;padding:0;border-left:3px solid var(--line);margin-left:.5rem}\n"
    ".timeline li{padding:.2rem 0 1rem 1rem}\n"
    "dl.fields{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}\n"
    "dl.fields dt{font-weight:600}dl.fields dd{margin:0}\n"
    ".tree ul{list-style:none;padding-left:1.25rem;border-left:1px solid var(--line)}\n"
    ".tree>ul{border:0;padding:0}\n"
    "svg.chart{max-width:100%;height:auto}svg.chart text{font:12px system-ui,sans-serif}\n"
    ".legend{display:flex;flex-wrap:wrap;gap:.75rem;list-style:none;padding:0}\n"
    ".legend .swatch{display:inline-block;width:.9rem;height:.9rem;margin-right:.3rem;"
    "vertical-align:-2px}\n"
    ".pre{white-space:pre-line}\n"
    "footer.site{border-top:1px solid var(--line);color:var(--muted);padding:1rem;"
    "font-size:.85rem;text-align:center}\n"
    "header.site .user{margin-left:auto;display:flex;gap:.75rem;align-items:center}\n"
    "form.inline{display:inline}button.link{background:none;color:#fff;padding:0;"
    "text-decoration:underline}\n"
    "form.edit{max-width:48rem}.field{margin:0 0 1rem}.field label{display:block;"
    "font-weight:600}\n"
    ".field input,.field select,.field textarea{width:100%;max-width:40rem;border:1px solid #767676;"
    "border-radius:3px}\n"
    ".help{margin:.1rem 0 .3rem;color:var(--muted);font-size:.9rem}\n"
    ".field-error{margin:.1rem 0 .3rem;color:#8e1b1b;font-weight:600}\n"
    ".has-error input,.has-error select,.has-error textarea{border:2px solid #8e1b1b}\n"
    ".required{font-weight:400;color:var(--muted);font-size:.9rem}\n"
    ".error-summary{border:3px solid #8e1b1b;padding:.5rem 1rem;margin:1rem 0}\n"
    ".notice{border-left:5px solid #2e7d32;background:#eef6ee;padding:.5rem 1rem}\n"
    "code.token{word-break:break-all}\n"
    "@media (max-width:700px){main{padding:.5rem}dl.fields{grid-template-columns:1fr}}\n"
    "@media print{header.site,footer.site,form.filters,.noprint{display:none}"
    "main{max-width:none;padding:0}a{color:inherit;text-decoration:none}"
    "th{position:static}.status{color:#000;border:1px solid #000;background:#fff!important}}\n"
    /* Contract home, action list, action page (contract_pages.c, action_pages.c): */
    "ul.links{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem}\n"
    "ul.counts{list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;"
    "gap:.3rem 1rem}\n"
    "form.filters label.check{flex-direction:row;align-items:center;gap:.4rem}\n"
    "form.filters select{max-width:22rem}.lede{font-size:1.1rem}\n"
    ".timeline h3{margin:.2rem 0}.timeline h4{font-size:1rem;margin:.6rem 0 .1rem}"
    ".timeline .entry+.entry{border-top:1px dashed var(--line);margin-top:.5rem}\n"
    ".tree .actions .code{font-variant-numeric:tabular-nums;color:var(--muted)}\n"
    "@media print{ul.links{display:none}}\n"
    /* Dashboard and charts (dashboard_pages.c, src/format/svg.c): charts keep their size and
     * scroll inside their box on small screens; the SVG's own font attributes lose to the
     * svg.chart text rule above, hence the classes. */
    "figure.chart-figure{margin:1rem 0;overflow-x:auto}figure.chart-figure svg.chart"
    "{max-width:none}\n"
    "svg.chart .ct{font-size:15px;font-weight:700}svg.chart .cb{font-weight:700}"
    "svg.chart .cs{font-size:11px}\n"
    "svg.chart a:focus rect,svg.chart a:focus circle{stroke:#000;stroke-width:2}\n"
    "table.narrow{width:auto;min-width:min(100%,26rem)}\n"
    "table caption{text-align:left;font-weight:600;padding:.3rem 0}\n"
    "tr.total th,tr.total td,td.total{font-weight:600}\n"
    ".caution{background:#fff8e1;border-left:4px solid var(--reflection);padding:.5rem .75rem}\n"
    "@media print{figure.chart-figure{overflow:visible}figure.chart-figure svg.chart"
    "{max-width:100%}}\n"
    /* White on the amber of "Réflexion engagée" is 4.2:1, under WCAG AA (axe, tests/browser):
     * black is 5:1, as on the charts. */
    ".st-reflection{color:#000}\n"
    /* Editing forms and history (edit_pages.c, action_edit.c, history_pages.c): */
    ".visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;"
    "clip:rect(0 0 0 0);white-space:nowrap}\n"
    "fieldset.field{border:1px solid var(--line);border-radius:4px;padding:.5rem 1rem;"
    "max-width:42rem}fieldset.field legend{font-weight:600;padding:0 .3rem}\n"
    ".field label.check,fieldset label.check{display:flex;gap:.5rem;align-items:center;"
    "font-weight:400;margin:.2rem 0}.field label.check input{width:auto}\n"
    ".field.readonly .label{font-weight:600;margin:0}.field.readonly p{margin:.1rem 0}\n"
    "section.danger{border-top:1px solid var(--line);margin-top:2rem}\n"
    "section.status-form{border-top:1px solid var(--line);margin-top:2rem}\n"
    ".edit-link{font-size:.85rem;margin-left:.4rem}\n"
    "table.audit td{max-width:28rem;overflow-wrap:anywhere}\n"
    ".error-summary.conflict h2{margin-top:.5rem}\n"
    "form.filters .field-error{font-size:.85rem}\n"
    "textarea{font:inherit;padding:.3rem .4rem}\n"
    /* The yearly execution report and the spreadsheet import (report_pages.c, import_pages.c). */
    ".report-toc ol{padding-left:1.4rem}.report-toc li{margin:.15rem 0}\n"
    "table.report tr.group th{background:#eef1f5}table.report tr.g1 th{background:#cfd8e3}\n"
    ".field-line{margin:.2rem 0}.report-body pre{white-space:pre-wrap}\n"
    ".chart-box{margin:1rem 0;max-width:100%;overflow-x:auto}\n"
    "table.grid td,table.grid th{font-size:.9rem}table.grid tr.bad td{background:#fdecea}\n"
    ".problem{color:#8e1b1b}\n"
    /* Governance: bodies, plan, meetings, attendance sheet (governance_pages.c,
     * meeting_pages.c, governance_forms.c, meeting_forms.c). Meeting statuses show their label;
     * cells of the year-by-year table say their verdict in words, colour only helps. */
    ".mstatus{display:inline-block;padding:0 .45rem;border-radius:3px;font-size:.9rem;"
    "white-space:nowrap;color:#fff;background:#616161}.ms-planned{background:#1565c0}"
    ".ms-held{background:#2e7d32}.ms-cancelled{background:#8e1b1b}"
    ".ms-postponed{background:#b26a00;color:#000}.ms-not_held{background:#5a5a5a}\n"
    "table.gov-story td.gov-cell{font-size:.9rem;min-width:8rem}"
    "table.gov-story th.current{outline:2px solid var(--accent)}\n"
    ".gov-ok{background:#e8f5e9}.gov-late{background:#fdecea}.gov-open{background:#f3f5f8}"
    ".gov-verdict{font-weight:600}.gov-late .gov-verdict,.gov-alert{color:#8e1b1b;"
    "font-weight:600}\n"
    ".gov-summary strong,.gov-home strong{font-size:1.15rem}\n"
    ".markdown{max-width:80ch}.markdown h1,.markdown h2{font-size:1.15rem}\n"
    "section.coordination,div.coordination{border-top:1px solid var(--line);margin-top:1rem;"
    "padding-top:.5rem}\n"
    "ul.plain{list-style:none;padding:0}ul.plain li{margin:.3rem 0}\n"
    "button.secondary{background:#fff;color:var(--accent);border:1px solid var(--accent);"
    "padding:.2rem .6rem}\n"
    "ol.decisions li{margin:.5rem 0}table.attendance input{width:100%;min-width:12rem}\n"
    ".sheet-table td,.sheet-table th{border:1px solid #000;padding:.3rem}"
    ".sheet-table td{height:2.4rem}.sheet-table .signature{width:30%}"
    ".sheet-table th:first-child{width:25%}.sheet-table th:nth-child(3){width:15%}\n"
    "@media print{@page{size:A4;margin:12mm}.sheet{font-size:11pt}"
    ".sheet-table td{height:1.05cm}.sheet-table tr{break-inside:avoid}"
    ".sheet-title{font-size:14pt}"
    ".gov-ok,.gov-late,.gov-open{background:#fff!important}"
    ".mstatus{color:#000;border:1px solid #000;background:#fff!important}}\n"
    /* Action sheets, indicators, Gantt chart, yearly plan (sheet_pages.c, sheet_form.c,
     * indicator_pages.c, objective_pages.c, gantt_pages.c, plan_pages.c). */
    ".sheet-state .state{padding:0 .4rem;border:1px solid var(--line);border-radius:3px}"
    ".state-validated{background:#e8f5e9}.state-closed{background:#eee}\n"
    ".sheet-decisions{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin:.5rem 0}"
    "form.inline-form{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}\n"
    "ul.areas,ul.funders{margin:0;padding-left:1.2rem}\n"
    "article.indicator{border:1px solid var(--line);border-radius:4px;padding:.5rem 1rem;"
    "margin:1rem 0}article.indicator h3{margin:.2rem 0 .5rem}"
    ".kind{font-size:.85rem;font-weight:400;color:var(--muted);margin-left:.4rem}\n"
    "details.value-form summary{cursor:pointer;color:var(--accent)}"
    ".value-fields{display:flex;flex-wrap:wrap;gap:0 1rem}.value-fields .field{flex:1 1 12rem}\n"
    "fieldset.choices .choice-help{margin:0 0 .4rem 1.8rem}\n"
    "fieldset.areas .epci{margin:.4rem 0}"
    "fieldset.areas .communes{columns:2 16rem;margin:.3rem 0 .3rem 1.5rem}\n"
    ".funder-row{display:flex;flex-wrap:wrap;gap:.3rem .6rem;align-items:center;margin:.3rem 0}"
    ".funder-row label{font-weight:400}.funder-row select,.funder-row input{width:auto;"
    "max-width:18rem}\n"
    "td.gap{color:#8e1b1b;font-weight:600}td.ok{color:var(--muted)}\n"
    "figure.gantt-figure svg.gantt{max-width:none}.workload{margin:1rem 0}\n"
    "@page gantt{size:A4 landscape;margin:10mm}\n"
    /* Phones (390 px): a list row becomes a card with its status first, so the status never
     * hides behind a sideways scroll; charts shrink to the width (their numbers are in the
     * table next to them); the Gantt keeps its scale, bars readable, and scrolls in its box. */
    "@media (max-width:700px){"
    "table.actions,table.actions tbody,table.my-actions,table.my-actions tbody{display:block}"
    "table.actions thead tr,table.my-actions thead tr{display:flex;flex-wrap:wrap;gap:0 .75rem}"
    "table.actions thead th,table.my-actions thead th{border:0;padding:.2rem 0}"
    "table.actions tbody tr,table.my-actions tbody tr{display:flex;flex-wrap:wrap;"
    "align-items:baseline;gap:.2rem .6rem;padding:.5rem 0;border-bottom:1px solid var(--line)}"
    "table.actions td,table.my-actions td{display:block;border:0;padding:0;max-width:100%}"
    "table.actions td:nth-child(5),table.my-actions td:nth-child(2){order:-1}"
    "table.actions td:nth-child(2),table.actions td:nth-child(3),table.my-actions td:first-child,"
    "table.my-actions td:nth-child(3){flex-basis:100%}"
    "table.actions td:nth-child(3){font-size:.85rem;color:var(--muted)}"
    "table.actions .status,table.my-actions .status{white-space:normal;font-size:.9rem}"
    "figure.chart-figure:not(.gantt-figure) svg.chart{max-width:100%;width:100%;height:auto}"
    "figure.gantt-figure{overflow-x:auto;max-width:100%}"
    "figure.gantt-figure svg.gantt{max-width:none;width:auto}}\n"
    "@media print{main:has(.print-landscape){page:gantt}figure.gantt-figure{overflow:visible}"
    "figure.gantt-figure svg.gantt{max-width:100%;height:auto}"
    ".sheet-print{font-size:9.5pt;line-height:1.3}.sheet-print h2{font-size:13pt;"
    "margin:.2rem 0 .4rem}.sheet-print h3{font-size:11pt;margin:.4rem 0 .2rem}"
    ".sheet-print dl.fields{gap:.05rem .8rem;margin:.2rem 0}.sheet-print table{margin:.2rem 0}"
    ".sheet-print th,.sheet-print td{padding:.1rem .3rem}article.indicator{break-inside:avoid}}"
    "\n";

/* Who is logged in, with the account and logout controls; or the login link. */
static void page_user_menu(struct res *res)
{
    struct buf *b = &res->body;
    const struct req *req = res->req;
    if (!req || !req->account || !req->session) {
        buf_printf(b, "<div class=\"user\"><a href=\"/login?next=%u\">Se connecter</a></div>",
                   req && req->path ? req->path : "/");
        return;
    }
    buf_printf(b,
               "<div class=\"user\">%s%s<a href=\"/account\">%h</a>"
               "<form class=\"inline\" method=\"post\" action=\"/logout\">"
               "<input type=\"hidden\" name=\"csrf\" value=\"%h\">"
               "<button type=\"submit\" class=\"link\">Se déconnecter</button></form></div>",
               str_eq(req->account->role, "admin") ? "<a href=\"/admin/accounts\">Comptes</a>" : "",
               req->account->organisation_id ? "<a href=\"/my/actions\">Mes actions</a>" : "",
               req->account->name, req->session->csrf);
}

void page_begin(struct res *res, const char *title, const struct crumb *crumbs, int n_crumbs)
{
    res->status = 200;
    res->content_type = "text/html; charset=utf-8";
    struct buf *b = &res->body;
    buf_printf(b,
               "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
               "<title>%h — Boussole</title>"
               "<link rel=\"stylesheet\" href=\"/static/style.css\"></head><body>"
               "<a class=\"skip\" href=\"#contenu\">Aller au contenu</a>"
               "<header class=\"site\"><a class=\"brand\" href=\"/\">Boussole</a>"
               "<nav aria-label=\"Navigation principale\"><a href=\"/\">Contrats</a></nav>",
               title);
    page_user_menu(res);
    buf_puts(b, "</header><main id=\"contenu\">");
    if (n_crumbs > 0) {
        buf_puts(b, "<nav class=\"crumbs\" aria-label=\"Fil d'Ariane\"><ol>");
        for (int i = 0; i < n_crumbs; i++) {
            if (crumbs[i].href)
                buf_printf(b, "<li><a href=\"%h\">%h</a></li>", crumbs[i].href, crumbs[i].label);
            else
                buf_printf(b, "<li aria-current=\"page\">%h</li>", crumbs[i].label);
        }
        buf_puts(b, "</ol></nav>");
    }
    buf_printf(b, "<h1>%h</h1>", title);
}

void page_end(struct res *res)
{
    buf_puts(&res->body, "</main><footer class=\"site\">Boussole — pilotage des contrats locaux "
                         "de santé</footer></body></html>\n");
}

void page_status(struct buf *b, enum status s)
{
    buf_printf(b, "<span class=\"status st-%h\">%h</span>", s == ST_NONE ? "none" : status_key(s),
               status_label(s));
}

int page_error(struct req *req, struct res *res, int status, const char *title,
               const char *message)
{
    buf_reset(&res->body);
    if (strncmp(req->path, "/api/", 5) == 0) {
        res->status = status;
        res->content_type = "application/json";
        buf_printf(&res->body, "{\"error\":\"%j\"}\n", message);
        return status;
    }
    page_begin(res, title, NULL, 0);
    res->status = status;
    buf_printf(&res->body, "<p>%h</p><p><a href=\"/\">Revenir à la liste des contrats</a></p>",
               message);
    page_end(res);
    return status;
}

int page_stylesheet(struct req *req, struct res *res)
{
    (void)req;
    res->status = 200;
    res->content_type = "text/css; charset=utf-8";
    res_header(res, "Cache-Control", "public, max-age=3600");
    buf_append(&res->body, stylesheet, sizeof stylesheet - 1);
    return 200;
}

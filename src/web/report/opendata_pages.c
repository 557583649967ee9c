/* opendata_pages.c — a contract's open data: the page that documents the package, its
 * descriptor (datapackage.json) and one CSV per resource. Public like the pages whose data it
 * holds; the same bytes for every visitor (remarks only when the contract publishes them). */
#include <stdio.h>
#include <string.h>

#include "model/report/opendata.h"
#include "format/data/datapackage.h"
#include "web/core/handlers.h"
#include "web/kit/load.h"
#include "web/http/page.h"
#include "web/report/report_web.h"

static int load_package(struct req *req, struct res *res, struct opendata *d)
{
    return load_contract_answer(req, res, opendata_read(req->db, req->arena, req->ids[0], d));
}

static void field_rows(struct buf *b, const struct dp_resource *r)
{
    buf_puts(b, "<table><thead><tr><th scope=\"col\">Colonne</th><th scope=\"col\">Type</th>"
                "<th scope=\"col\">Obligatoire</th><th scope=\"col\">Description</th></tr></thead>"
                "<tbody>");
    for (int i = 0; i < r->n_fields; i++) {
        const struct dp_field *f = &r->fields[i];
        buf_printf(b, "<tr><td><code>%h</code></td><td>%h</td><td>%s</td><td>%h</td></tr>",
                   f->name, f->type, f->required ? "oui" : "non", f->description);
    }
    buf_puts(b, "</tbody></table>");
}

int opendata_page(struct req *req, struct res *res)
{
    struct opendata d;
    int rc = load_package(req, res, &d);
    if (rc)
        return rc;
    char path[64];
    snprintf(path, sizeof path, "/contracts/%lld", d.contract.id);
    struct crumb crumbs[] = {{"Contrats", "/"},
                             {report_web_contract_name(&d.contract), path},
                             {"Données ouvertes", NULL}};
    page_begin(res, "Données ouvertes", crumbs, 3);
    struct buf *b = &res->body;
    buf_printf(b,
               "<p class=\"lede\">Les actions de %h, leur état chaque année et leurs "
               "indicateurs, sous Licence Ouverte 2.0, en paquet de données tabulaires "
               "(Frictionless Data) : un descripteur qui donne le schéma de chaque fichier, et "
               "un fichier CSV (UTF-8, virgule) par table.</p>",
               d.contract.title);
    buf_printf(b,
               "<ul class=\"links\"><li><a class=\"button\" href=\"%h/open-data/"
               "datapackage.json\">Descripteur <code>datapackage.json</code></a></li></ul>",
               path);
    buf_printf(b,
               "<p>%d actions, %d états annuels, %d indicateurs et %d valeurs. L'état d'une "
               "année est la dernière saisie de cette année-là ; une action compte dans les "
               "bilans à partir de sa première année, comme sur le tableau de bord.%s</p>",
               d.n_actions, d.n_statuses, d.n_indicators, d.n_values,
               d.with_remarks ? ""
                              : " Les remarques des bilans ne sont pas publiées par ce "
                                "contrat : leur colonne est vide.");
    int n;
    const struct dp_resource *rs = dp_resources(&n);
    for (int i = 0; i < n; i++) {
        buf_printf(b, "<h2>%h</h2><p><a href=\"%h/open-data/%h\">%h</a></p>", rs[i].title, path,
                   rs[i].path, rs[i].path);
        field_rows(b, &rs[i]);
    }
    page_end(res);
    return 200;
}

int opendata_descriptor(struct req *req, struct res *res)
{
    struct opendata d;
    int rc = load_package(req, res, &d);
    if (rc)
        return rc;
    res->status = 200;
    res->content_type = "application/json; charset=utf-8";
    dp_write_descriptor(&res->body, &d);
    return 200;
}

int opendata_csv(struct req *req, struct res *res)
{
    const char *slash = strrchr(req->path, '/');
    const struct dp_resource *r = dp_resource_by_path(slash ? slash + 1 : "");
    if (!r)
        return page_error(req, res, 404, "Fichier introuvable",
                          "Ce paquet de données n'a pas de fichier de ce nom.");
    struct opendata d;
    int rc = load_package(req, res, &d);
    if (rc)
        return rc;
    res->status = 200;
    res->content_type = "text/csv; charset=utf-8";
    char *disp = arena_alloc(req->arena, 96);
    snprintf(disp, 96, "attachment; filename=\"cls-%lld-%s\"", d.contract.id, r->path);
    res_header(res, "Content-Disposition", disp);
    dp_write_csv(&res->body, r, &d);
    return 200;
}

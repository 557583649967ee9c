/* load.c — reading the records a route names for every feature: the contract or its 404, and
 * the one database error page (see load.h). Must not hold any feature's rule. */
#include "web/kit/load.h"

#include "web/http/page.h"
#include "web/kit/json.h"

int page_db_error(struct req *req, struct res *res)
{
    return page_error(req, res, 503, "Service indisponible",
                      "La base de données n'a pas répondu ; réessayez dans un instant.");
}

int load_contract_answer(struct req *req, struct res *res, int rc)
{
    if (rc == ERR_OK)
        return 0;
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Contrat introuvable",
                          "Aucun contrat ne porte ce numéro. Choisissez-le dans la liste des "
                          "contrats.");
    return page_db_error(req, res);
}

int load_contract(struct req *req, struct res *res, long long id, struct contract *c)
{
    return load_contract_answer(req, res, contract_get(req->db, req->arena, id, c));
}

int load_contract_json(struct req *req, struct res *res, long long id, struct contract *c)
{
    int rc = contract_get(req->db, req->arena, id, c);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Contrat introuvable", "Aucun contrat n'a ce numéro.");
    return rc == ERR_OK ? 0 : json_db_error(req, res);
}

/* load.h — the records a route names, read or answered: one "not found" page per kind of record
 * and one page for a database that failed, so that every screen says the same thing. */
#ifndef WEB_CORE_LOAD_H
#define WEB_CORE_LOAD_H

#include "model/core/contract.h"
#include "web/http/http.h"

/* Answers 503: the database did not answer (busy or failed); the reader may retry. */
int page_db_error(struct req *req, struct res *res);
/* The answer to a read of the route's contract that returned rc (contract_get, report_load…):
 * 0 for ERR_OK; else the status of the page answered: 404 "Contrat introuvable" for
 * ERR_NOTFOUND, page_db_error otherwise. */
int load_contract_answer(struct req *req, struct res *res, int rc);
/* Reads contract id into c: 0, or the status of the page answered (load_contract_answer). */
int load_contract(struct req *req, struct res *res, long long id, struct contract *c);
/* The same for the JSON API (web/api), in the words its users know: 0, or the status of the
 * JSON answered: 404 {"error": "Aucun contrat n'a ce numéro."} or json_db_error's 500. */
int load_contract_json(struct req *req, struct res *res, long long id, struct contract *c);

#endif

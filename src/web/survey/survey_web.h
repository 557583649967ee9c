/* survey_web.h — what the questionnaire's web files share inside web/survey. */
#ifndef WEB_SURVEY_WEB_H
#define WEB_SURVEY_WEB_H

#include "model/core/contract.h"
#include "model/report/survey.h"
#include "web/http/http.h"

/* The contract and the survey of the URL (ids 0 and 1); 404 when the survey is another
 * contract's. 0, or the status of the page answered. */
int survey_load(struct req *req, struct res *res, struct contract *c, struct survey *s);
/* "Brouillon", "Ouvert" or "Clos". */
const char *survey_state_label(const char *state);

#endif

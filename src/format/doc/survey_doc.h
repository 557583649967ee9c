/* survey_doc.h — the « Résultats du questionnaire » section of the final evaluation report:
 * the response rate overall and by axis, then each choice and scale question's figures, written
 * against doc.h's callbacks (so PDF and ODT show the same), from survey_results. */
#ifndef FORMAT_SURVEY_DOC_H
#define FORMAT_SURVEY_DOC_H

#include "format/doc/doc.h"

/* survey: a struct survey_results (model/report/survey.h). Has the final_survey_fn signature
 * (model/evaluation/final_report.h); makes the same calls every time (the PDF renders twice). */
void survey_doc_section(const void *survey, const struct doc_ops *ops, void *ctx);

#endif

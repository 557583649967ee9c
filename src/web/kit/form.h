/* form.h — server-side forms: fields with their label above, help under, the error next to them
 * and the user's input kept; the CSRF field; validation helpers that record per-field errors. */
#ifndef WEB_FORM_H
#define WEB_FORM_H

#include <stdbool.h>

#include "web/http/http.h"

enum { FORM_MAX_ERRORS = 32 };

/* The errors found while validating one submitted form, by field name. */
struct form_errors {
    int n;
    const char *field[FORM_MAX_ERRORS];
    const char *message[FORM_MAX_ERRORS];
};

/* Records an error for a field (message must outlive the form: literal or arena). */
void form_error(struct form_errors *e, const char *field, const char *message);
/* The error of a field, or NULL. */
const char *form_error_of(const struct form_errors *e, const char *field);

/* <form method="post" action="…"> with the hidden csrf field. */
void form_begin(struct buf *b, const char *action, const char *csrf);
/* One input (type "text", "email", "password", "number", "date"…): label, value kept, help,
 * error with aria-describedby, required marker. */
void form_input(struct buf *b, const char *type, const char *name, const char *label,
                const char *value, const char *help, const char *error, bool required);
/* A text field with suggestions (a datalist of options) the person may pick from or type. */
void form_input_list(struct buf *b, const char *name, const char *label, const char *value,
                     const char *help, const char *error, const char *const *options, int n);
/* A textarea with the same conventions. */
void form_textarea(struct buf *b, const char *name, const char *label, const char *value,
                   const char *help, const char *error, bool required);
/* A select; options as parallel arrays of values and labels; selected may be NULL. */
void form_select(struct buf *b, const char *name, const char *label, const char *const *values,
                 const char *const *labels, int n, const char *selected, const char *error,
                 bool required);
/* A hidden field. */
void form_hidden(struct buf *b, const char *name, const char *value);
/* The submit button and </form>. */
void form_end(struct buf *b, const char *submit_label);
/* A summary of the errors at the top of the form ("2 champs à corriger"), with links. */
void form_error_summary(struct buf *b, const struct form_errors *e);

/* The trimmed value of a form field ("" when absent), copied into the arena. */
const char *form_value(const struct req *r, const char *name);

#endif

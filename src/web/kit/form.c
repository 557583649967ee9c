/* form.c — markup of form fields and per-field error bookkeeping. Must not validate any domain
 * rule itself: handlers and the model say what is wrong, this file shows it. */
#include "web/kit/form.h"

#include <string.h>

void form_error(struct form_errors *e, const char *field, const char *message)
{
    if (e->n < FORM_MAX_ERRORS) {
        e->field[e->n] = field;
        e->message[e->n++] = message;
    }
}

const char *form_error_of(const struct form_errors *e, const char *field)
{
    for (int i = 0; e && i < e->n; i++)
        if (strcmp(e->field[i], field) == 0)
            return e->message[i];
    return NULL;
}

void form_begin(struct buf *b, const char *action, const char *csrf)
{
    buf_printf(b, "<form class=\"edit\" method=\"post\" action=\"%h\" novalidate>", action);
    form_hidden(b, "csrf", csrf);
}

static void label_and_help(struct buf *b, const char *name, const char *label, const char *help,
                           const char *error, bool required)
{
    buf_printf(b, "<label for=\"f-%h\">%h%s</label>", name, label,
               required ? " <span class=\"required\">(obligatoire)</span>" : "");
    if (help)
        buf_printf(b, "<p class=\"help\" id=\"f-%h-help\">%h</p>", name, help);
    if (error)
        buf_printf(b, "<p class=\"field-error\" id=\"f-%h-error\">%h</p>", name, error);
}

static void described_by(struct buf *b, const char *name, const char *help, const char *error)
{
    if (!help && !error)
        return;
    buf_puts(b, " aria-describedby=\"");
    if (help)
        buf_printf(b, "f-%h-help", name);
    if (error)
        buf_printf(b, "%sf-%h-error", help ? " " : "", name);
    buf_puts(b, "\"");
    if (error)
        buf_puts(b, " aria-invalid=\"true\"");
}

void form_input(struct buf *b, const char *type, const char *name, const char *label,
                const char *value, const char *help, const char *error, bool required)
{
    buf_printf(b, "<div class=\"field%s\">", error ? " has-error" : "");
    label_and_help(b, name, label, help, error, required);
    buf_printf(b, "<input type=\"%h\" id=\"f-%h\" name=\"%h\" value=\"%h\"%s", type, name, name,
               value ? value : "", required ? " required" : "");
    if (strcmp(type, "password") == 0)
        buf_puts(b, " autocomplete=\"current-password\"");
    else if (strcmp(type, "email") == 0)
        buf_puts(b, " autocomplete=\"email\"");
    described_by(b, name, help, error);
    buf_puts(b, "></div>");
}

void form_input_list(struct buf *b, const char *name, const char *label, const char *value,
                     const char *help, const char *error, const char *const *options, int n)
{
    buf_printf(b, "<div class=\"field%s\">", error ? " has-error" : "");
    label_and_help(b, name, label, help, error, false);
    buf_printf(b, "<input type=\"text\" id=\"f-%h\" name=\"%h\" value=\"%h\" list=\"l-%h\"",
               name, name, value ? value : "", name);
    described_by(b, name, help, error);
    buf_printf(b, "><datalist id=\"l-%h\">", name);
    for (int i = 0; i < n; i++)
        buf_printf(b, "<option value=\"%h\">", options[i]);
    buf_puts(b, "</datalist></div>");
}

void form_textarea(struct buf *b, const char *name, const char *label, const char *value,
                   const char *help, const char *error, bool required)
{
    buf_printf(b, "<div class=\"field%s\">", error ? " has-error" : "");
    label_and_help(b, name, label, help, error, required);
    buf_printf(b, "<textarea id=\"f-%h\" name=\"%h\" rows=\"5\"%s", name, name,
               required ? " required" : "");
    described_by(b, name, help, error);
    buf_printf(b, ">%h</textarea></div>", value ? value : "");
}

void form_select(struct buf *b, const char *name, const char *label, const char *const *values,
                 const char *const *labels, int n, const char *selected, const char *error,
                 bool required)
{
    buf_printf(b, "<div class=\"field%s\">", error ? " has-error" : "");
    label_and_help(b, name, label, NULL, error, required);
    buf_printf(b, "<select id=\"f-%h\" name=\"%h\"", name, name);
    described_by(b, name, NULL, error);
    buf_puts(b, ">");
    for (int i = 0; i < n; i++)
        buf_printf(b, "<option value=\"%h\"%s>%h</option>", values[i],
                   selected && strcmp(selected, values[i]) == 0 ? " selected" : "", labels[i]);
    buf_puts(b, "</select></div>");
}

void form_hidden(struct buf *b, const char *name, const char *value)
{
    buf_printf(b, "<input type=\"hidden\" name=\"%h\" value=\"%h\">", name, value ? value : "");
}

void form_end(struct buf *b, const char *submit_label)
{
    buf_printf(b, "<p><button type=\"submit\">%h</button></p></form>", submit_label);
}

void form_error_summary(struct buf *b, const struct form_errors *e)
{
    if (!e || e->n == 0)
        return;
    buf_printf(b, "<div class=\"error-summary\" role=\"alert\"><h2>%d %s à corriger</h2><ul>",
               e->n, e->n > 1 ? "champs" : "champ");
    for (int i = 0; i < e->n; i++)
        buf_printf(b, "<li><a href=\"#f-%h\">%h</a></li>", e->field[i], e->message[i]);
    buf_puts(b, "</ul></div>");
}

const char *form_value(const struct req *r, const char *name)
{
    const char *v = req_form(r, name);
    if (!v)
        return "";
    while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
        v++;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n'))
        n--;
    return arena_strndup(r->arena, v, n);
}

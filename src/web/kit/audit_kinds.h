/* audit_kinds.h — the kinds of records the journal and the histories show (edit_forms.c's audit
 * table): per entity its noun, its page and, for a feature with fields of its own, how to name
 * them and say their values. routes.c holds the table, so each feature registers its records
 * there and web/core calls none of them by name. */
#ifndef WEB_AUDIT_KINDS_H
#define WEB_AUDIT_KINDS_H

#include "base/arena.h"

struct audit_kind {
    const char *entity;             /* as the audit log stores it: "meeting" */
    const char *noun;               /* shown before the record's link: "Réunion" */
    const char *href, *href_suffix; /* its page: href + id + href_suffix */
    /* The French name of one of the entity's fields, in a or static; NULL when the field is not
     * one of the feature's (the shared names of edit_forms.c apply). NULL: none of its own. */
    const char *(*field_label)(struct arena *a, const char *entity, const char *field);
    /* A stored value in words (v itself when there is nothing to translate); never NULL. NULL:
     * the shared rules of edit_forms.c apply. */
    const char *(*value)(struct arena *a, const char *entity, const char *field, const char *v);
};

/* routes.c: one entry per audited entity, ended by an entry whose entity is NULL. */
extern const struct audit_kind audit_kinds[];

/* The words a feature gives the fields it journals on records of another kind (a campaign's or
 * a questionnaire's steps on the contract, an answer on an action…): a field's French name and a
 * stored value in words, each NULL when the field is not the feature's own. */
struct audit_words {
    const char *(*field_label)(struct arena *a, const char *entity, const char *field);
    const char *(*value)(struct arena *a, const char *entity, const char *field, const char *v);
};
/* routes.c: the features' words, asked in order before the shared ones; ended by NULLs. */
extern const struct audit_words audit_field_words[];

#endif

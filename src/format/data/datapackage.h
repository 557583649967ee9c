/* datapackage.h — a contract's open data as a Frictionless tabular data package: a descriptor
 * (datapackage.json) whose resources carry their Table Schema, and one CSV file per resource
 * (UTF-8, comma, RFC 4180, cells as they are: a package is read by programs, not spreadsheets). */
#ifndef FORMAT_DATAPACKAGE_H
#define FORMAT_DATAPACKAGE_H

#include <stdbool.h>

#include "base/str.h"
#include "model/report/opendata.h"

/* One column of a resource, as its Table Schema describes it. */
struct dp_field {
    const char *name, *type, *title, *description;
    bool required;
    const char *const *enum_values; /* NULL-terminated, or NULL when any value of type goes */
};

struct dp_resource {
    const char *name, *path, *title;
    const struct dp_field *fields;
    int n_fields;
    const char *const *primary_key; /* NULL-terminated */
    const char *foreign_field;      /* a column that references another resource, or NULL */
    const char *foreign_resource, *foreign_key;
};

/* The package's resources, in the descriptor's order; *n gets their number. */
const struct dp_resource *dp_resources(int *n);
/* The resource whose path is path ("actions.csv"…), or NULL. */
const struct dp_resource *dp_resource_by_path(const char *path);

/* Appends the descriptor of data's package; resource paths are relative, so that the package
 * can be saved as a folder as well as read from the site. */
void dp_write_descriptor(struct buf *b, const struct opendata *data);
/* Appends the CSV of one resource (header row first). */
void dp_write_csv(struct buf *b, const struct dp_resource *r, const struct opendata *data);

#endif

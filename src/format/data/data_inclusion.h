/* data_inclusion.h — a contract's directory in the data·inclusion schema 1.0.8 (structures and
 * services, https://schema.data.gouv.fr/gip-inclusion/data-inclusion-schema/): the export the
 * web pages and `boussole export` serve, and the all-or-nothing import of such files. A person
 * without public consent is never written. */
#ifndef FORMAT_DATA_INCLUSION_H
#define FORMAT_DATA_INCLUSION_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/str.h"
#include "store/db.h"
#include "model/core/audit.h"

/* The "source" of what Boussole writes. */
#define DI_SOURCE "boussole"
/* What an import refuses outright: files above DI_MAX_BYTES, more than DI_MAX_RECORDS records. */
enum { DI_MAX_BYTES = 20 * 1024 * 1024, DI_MAX_RECORDS = 20000 };

/* Appends the JSON array of the structures (the organisations offering the contract's services)
 * to out. ERR_NOTFOUND for an unknown contract. */
int di_export_structures(struct store *db, struct arena *a, long long contract_id,
                         struct buf *out) MUST_CHECK;
/* Appends the JSON array of the contract's services to out. */
int di_export_services(struct store *db, struct arena *a, long long contract_id,
                       struct buf *out) MUST_CHECK;

/* What an import did or would do. */
struct di_report {
    int structures_new, structures_updated, services_new, services_updated, people_new;
    char error[600]; /* in French, naming the file, the record and the field */
};

/* One file to import: its name (for messages) and its bytes. A file holds an array of
 * structures or of services (a record with "structure_id" is a service), or an object
 * {"structures": […], "services": […]}. */
struct di_file {
    const char *name;
    const char *data;
    size_t len;
};

/* Imports the files into contract_id in one transaction, applied only when apply (otherwise
 * rolled back: a dry run that still checks everything). Structures are matched to existing
 * organisations by id (the slug), SIRET, then name; services by id. ERR_INVALID with r->error
 * set when any record is refused: nothing is changed. */
int di_import(struct store *db, const struct actor *who, long long contract_id,
              const struct di_file *files, int n_files, bool apply,
              struct di_report *r) MUST_CHECK;

#endif

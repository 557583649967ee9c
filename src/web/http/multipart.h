/* multipart.h — multipart/form-data request bodies (RFC 7578): the file uploads of the import
 * screen. A small parser over the raw body the server hands to handlers; fuzzed
 * (tests/fuzz/fuzz_multipart.c). */
#ifndef WEB_MULTIPART_H
#define WEB_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#include "web/http/http.h"

enum { MULTIPART_MAX_PARTS = 32 };

/* One part: its field name, the file name when it is a file ("" otherwise), its type and its
 * bytes (pointing into the body, not NUL-terminated). */
struct multipart_part {
    const char *name, *filename, *content_type;
    const char *data;
    size_t len;
};

/* True when content_type is multipart/form-data (parameters allowed). */
bool multipart_is(const char *content_type);

/* Splits body by the boundary of content_type into at most max parts; names are copied into
 * the arena, data points into body. ERR_INVALID on a missing or bad boundary, a part without
 * a name, too many parts, or a body that does not end with the closing boundary. */
int multipart_parse(const char *content_type, const char *body, size_t len, struct arena *a,
                    struct multipart_part *parts, int max, int *n) MUST_CHECK;

/* Parses req's multipart body and copies its text fields (parts without a file name) into
 * req->form, so that the route's CSRF check and form helpers see them. ERR_INVALID on a
 * malformed body, too many fields or a field that is not UTF-8. */
int multipart_form_fields(struct req *req) MUST_CHECK;

/* The part named name that carries a file, or NULL. */
const struct multipart_part *multipart_file(const struct multipart_part *parts, int n,
                                            const char *name);

#endif

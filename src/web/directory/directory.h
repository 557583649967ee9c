/* directory.h — what the public pages and the coordination forms of the directory share (this
 * feature's own header; other features do not include it). */
#ifndef WEB_DIRECTORY_DIRECTORY_H
#define WEB_DIRECTORY_DIRECTORY_H

#include "model/core/contract.h"
#include "model/directory/directory.h"
#include "web/http/http.h"

/* Starts a directory page: contract › Annuaire [› middle] › title (title NULL: the directory
 * itself). */
void dir_begin(struct req *req, struct res *res, const struct contract *c, const char *title,
               const char *middle, const char *middle_href);
/* Writes the French labels of the space-separated values of list in v, comma-separated. */
void dir_labels(struct buf *b, const struct vocab *v, const char *list);
/* Writes the territory of a service: "Tout le territoire" or the names of its codes. */
void dir_areas(struct buf *b, const char *areas, const struct area *all, int n);

#endif

/* page.h — the common layout of every HTML page, status badges and error pages. */
#ifndef WEB_PAGE_H
#define WEB_PAGE_H

#include "model/core/status.h"
#include "web/http/http.h"

/* One step of the "where are we" line: label shown, href (NULL for the current page). */
struct crumb {
    const char *label, *href;
};

/* Starts an HTML page: doctype, head with title, site header, breadcrumb, <main>, and <h1>
 * with the title. Sets status 200 and the HTML content type. */
void page_begin(struct res *res, const char *title, const struct crumb *crumbs, int n_crumbs);
/* Closes <main>, adds the footer and closes the document. */
void page_end(struct res *res);
/* Writes a status label: <span class="status st-KEY">Label</span>. */
void page_status(struct buf *b, enum status s);
/* Answers an error: an HTML page, or {"error": message} for paths under /api/. */
int page_error(struct req *req, struct res *res, int status, const char *title,
               const char *message);
/* Handler for /static/style.css. */
int page_stylesheet(struct req *req, struct res *res);

#endif

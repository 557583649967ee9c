/* assets.h — files of data/ built into the binary (tools/embed_file.py, a meson custom_target):
 * served from memory, each with a strong ETag computed from its bytes at build time. */
#ifndef WEB_ASSETS_H
#define WEB_ASSETS_H

#include <stddef.h>

/* data/style.css: its bytes (followed by a NUL not counted in the length) and its ETag, quoted. */
extern const unsigned char style_css[];
extern const size_t style_css_len;
extern const char style_css_etag[];

#endif

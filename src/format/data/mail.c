/* mail.c — formats a MIME message and hands it to libcurl's SMTP client.
 * Must not decide who receives what: callers (accounts, meetings) do.
 * printf-text: builds MIME headers and bodies, no markup. */
#include "format/data/mail.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/secret.h"
#include "base/str.h"

/* Appends text as base64 in 76-column lines (RFC 2045). */
static void put_base64(struct buf *b, const char *text)
{
    static const char tbl[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *s = (const unsigned char *)text;
    size_t n = strlen(text), col = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)s[i + 1] << 8;
        if (i + 2 < n)
            v |= s[i + 2];
        char quad[4] = {tbl[(v >> 18) & 63], tbl[(v >> 12) & 63],
                        i + 1 < n ? tbl[(v >> 6) & 63] : '=', i + 2 < n ? tbl[v & 63] : '='};
        buf_append(b, quad, 4);
        if ((col += 4) >= 76) {
            buf_puts(b, "\r\n");
            col = 0;
        }
    }
    if (col)
        buf_puts(b, "\r\n");
}

/* A header value safe to print: no CR or LF can smuggle another header in. */
static void put_header_text(struct buf *b, const char *s)
{
    for (; s && *s; s++)
        buf_putc(b, *s == '\r' || *s == '\n' ? ' ' : *s);
}

char *mail_format(const struct mail *m)
{
    struct buf b = {0};
    char date[64], boundary[SECRET_TOKEN_LEN + 1];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    secret_token(boundary);
    buf_puts(&b, "From: ");
    put_header_text(&b, m->from);
    buf_puts(&b, "\r\nTo: ");
    put_header_text(&b, m->to);
    buf_printf(&b, "\r\nDate: %s\r\nMessage-ID: <%s@boussole>\r\nSubject: =?UTF-8?B?", date,
               boundary);
    struct buf subject = {0};
    put_header_text(&subject, m->subject);
    struct buf enc = {0};
    put_base64(&enc, buf_cstr(&subject));
    for (size_t i = 0; i < enc.len; i++)
        if (enc.p[i] != '\r' && enc.p[i] != '\n')
            buf_putc(&b, enc.p[i]);
    buf_free(&enc);
    buf_free(&subject);
    buf_puts(&b, "?=\r\n");
    if (m->list_unsubscribe && *m->list_unsubscribe) {
        buf_puts(&b, "List-Unsubscribe: <");
        put_header_text(&b, m->list_unsubscribe);
        buf_puts(&b, ">\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
    }
    buf_puts(&b, "MIME-Version: 1.0\r\n");
    if (m->attachment_name)
        buf_printf(&b, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n--%s\r\n", boundary,
                   boundary);
    buf_puts(&b, "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n"
                 "\r\n");
    put_base64(&b, m->text);
    if (m->attachment_name) {
        buf_printf(&b, "\r\n--%s\r\nContent-Type: ", boundary);
        put_header_text(&b, m->attachment_type);
        buf_puts(&b, "; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n"
                     "Content-Disposition: attachment; filename=\"");
        put_header_text(&b, m->attachment_name);
        buf_puts(&b, "\"\r\n\r\n");
        put_base64(&b, m->attachment);
        buf_printf(&b, "\r\n--%s--\r\n", boundary);
    }
    return b.p;
}

struct upload {
    const char *data;
    size_t len, pos;
};

static size_t read_chunk(char *ptr, size_t size, size_t nmemb, void *userp)
{
    struct upload *u = userp;
    size_t room = size * nmemb, left = u->len - u->pos;
    size_t n = left < room ? left : room;
    memcpy(ptr, u->data + u->pos, n);
    u->pos += n;
    return n;
}

int mail_send(const char *url, const struct mail *m, char *err, size_t errlen)
{
    if (!url || !*url) {
        snprintf(err, errlen, "no SMTP server configured (--smtp)");
        return ERR_IO;
    }
    char *message = mail_format(m);
    struct upload u = {message, strlen(message), 0};
    CURL *curl = curl_easy_init();
    int rc = ERR_IO;
    if (curl) {
        struct curl_slist *rcpt = curl_slist_append(NULL, m->to);
        curl_easy_setopt(curl, CURLOPT_URL, url);
        curl_easy_setopt(curl, CURLOPT_MAIL_FROM, m->from);
        curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
        curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_chunk);
        curl_easy_setopt(curl, CURLOPT_READDATA, &u);
        curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
        curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
        CURLcode res = curl_easy_perform(curl);
        if (res == CURLE_OK)
            rc = ERR_OK;
        else
            snprintf(err, errlen, "SMTP %s: %s", url, curl_easy_strerror(res));
        curl_slist_free_all(rcpt);
        curl_easy_cleanup(curl);
    } else {
        snprintf(err, errlen, "cannot start the SMTP client");
    }
    free(message);
    return rc;
}

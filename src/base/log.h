/* log.h — one-line messages on standard error, with a level and a timestamp. */
#ifndef BASE_LOG_H
#define BASE_LOG_H

/* Writes "time level message" to stderr; printf-style (plain %s, not the escaping printf). */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

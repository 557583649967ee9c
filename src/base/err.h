/* err.h — the one result convention: 0 for success, a negative enum err for failure. */
#ifndef BASE_ERR_H
#define BASE_ERR_H

enum err {
    ERR_OK = 0,
    ERR_INVALID = -1,  /* the caller's input is wrong (user error) */
    ERR_NOTFOUND = -2, /* the thing asked for does not exist */
    ERR_DB = -3,       /* the database refused (busy, full, constraint) */
    ERR_IO = -4,       /* a file or socket could not be read or written */
    ERR_CONFLICT = -5, /* someone else changed the record in between */
    ERR_FORBIDDEN = -6, /* the person may not make this change (another contract's record) */
};

#define MUST_CHECK __attribute__((warn_unused_result))

#endif

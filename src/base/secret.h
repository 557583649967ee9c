/* secret.h — random tokens, token digests and password hashing (libsodium, argon2id). */
#ifndef BASE_SECRET_H
#define BASE_SECRET_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

enum {
    SECRET_TOKEN_LEN = 43,  /* 256 random bits, base64url without padding */
    SECRET_DIGEST_LEN = 64, /* SHA-256 as lower-case hex */
    SECRET_HASH_MAX = 128,  /* an argon2id hash string ("$argon2id$v=19$...") */
};

/* Initialises libsodium once; call before any other function here. 0 or ERR_IO. */
int secret_init(void) MUST_CHECK;
/* Writes a fresh 256-bit random token (base64url, NUL-terminated) into out[44]. */
void secret_token(char out[SECRET_TOKEN_LEN + 1]);
/* SHA-256 of s as hex into out[65]: what the database keeps instead of a token. */
void secret_digest(const char *s, char out[SECRET_DIGEST_LEN + 1]);
/* Hashes a password with argon2id into out (NUL-terminated). 0 or ERR_IO (out of memory). */
int secret_hash_password(const char *password, char out[SECRET_HASH_MAX]) MUST_CHECK;
/* True when password matches the argon2id hash. */
bool secret_check_password(const char *hash, const char *password);
/* Constant-time comparison of two NUL-terminated strings. */
bool secret_equal(const char *a, const char *b);

#endif

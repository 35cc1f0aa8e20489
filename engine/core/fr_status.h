/* fr_status.h - status codes and the caller-supplied error buffer.
 *
 * Every fallible function in ferret returns an fr_status and, when the caller
 * passes a non-NULL fr_error, records a human message there (with file, line and
 * column for bad input).  There are no globals and no thread-locals, so this is
 * safe under OpenMP: each thread fills its own fr_error and the results are merged
 * after the parallel region.
 */
#ifndef FR_STATUS_H
#define FR_STATUS_H

#include <stddef.h>

typedef enum fr_status {
  FR_OK = 0,
  FR_ERR_NOMEM = 1,       /* an allocation failed */
  FR_ERR_IO = 2,          /* the operating system refused a read, write, rename... */
  FR_ERR_CORRUPT = 3,     /* stored data failed a checksum or structural check */
  FR_ERR_PARSE = 4,       /* input text is malformed */
  FR_ERR_INVALID = 5,     /* a caller's argument or the user's request is invalid */
  FR_ERR_UNSUPPORTED = 6, /* valid, but ferret does not do this */
  FR_ERR_LIMIT = 7,       /* a configured limit (memory, record size) was hit */
  FR_ERR_NOTFOUND = 8,    /* a named table, column or file does not exist */
  FR_ERR_BUSY = 9,        /* another process holds the store's lock */
} fr_status;

#define FR_ERROR_MSG_CAP 1024

/* Details of the first failure; `code` is FR_OK while nothing failed. */
typedef struct fr_error {
  fr_status code;
  char msg[FR_ERROR_MSG_CAP]; /* NUL-terminated, one human sentence or more */
} fr_error;

#define FR_MUST_USE __attribute__((warn_unused_result))

/* Returns a static, lower-case name for `status` ("corrupt data", ...). */
const char *fr_status_str(fr_status status);

/* Records `code` and a printf-style message in `err` (when err is non-NULL and
 * holds no earlier failure) and returns `code`, so a caller can write
 * `return fr_error_set(err, FR_ERR_PARSE, "...")`. */
fr_status fr_error_set(fr_error *err, fr_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefixes the message already in `err` with more context ("reading x: ...").
 * Returns err->code (FR_OK when err is NULL). */
fr_status fr_error_prefix(fr_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Resets `err` to "no failure". */
void fr_error_clear(fr_error *err);

/* Forwards a failure of `expr` to the caller. */
#define FR_TRY(expr)                   \
  do {                                 \
    fr_status fr_try_status_ = (expr); \
    if (fr_try_status_ != FR_OK)       \
      return fr_try_status_;           \
  } while (0)

/* Records why and fails when `cond` holds. */
#define FR_FAIL_IF(cond, code, err, ...)       \
  do {                                         \
    if (cond)                                  \
      return fr_error_set((err), (code), __VA_ARGS__); \
  } while (0)

#endif

/* fr_status.c - status names and error-buffer helpers (see fr_status.h). */
#include "fr_status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *fr_status_str(fr_status status) {
  switch (status) {
  case FR_OK: return "ok";
  case FR_ERR_NOMEM: return "out of memory";
  case FR_ERR_IO: return "I/O error";
  case FR_ERR_CORRUPT: return "corrupt data";
  case FR_ERR_PARSE: return "parse error";
  case FR_ERR_INVALID: return "invalid argument";
  case FR_ERR_UNSUPPORTED: return "unsupported";
  case FR_ERR_LIMIT: return "limit exceeded";
  case FR_ERR_NOTFOUND: return "not found";
  case FR_ERR_BUSY: return "busy";
  }
  return "unknown status";
}

fr_status fr_error_set(fr_error *err, fr_status code, const char *fmt, ...) {
  if (err == NULL || err->code != FR_OK)
    return code;
  err->code = code;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  va_end(ap);
  return code;
}

fr_status fr_error_prefix(fr_error *err, const char *fmt, ...) {
  if (err == NULL)
    return FR_OK;
  char prefix[FR_ERROR_MSG_CAP];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(prefix, sizeof prefix, fmt, ap);
  va_end(ap);
  char joined[FR_ERROR_MSG_CAP];
  size_t prefix_len = strnlen(prefix, sizeof joined - 1);
  size_t msg_len = strnlen(err->msg, sizeof err->msg);
  if (prefix_len + msg_len > sizeof joined - 1)
    msg_len = sizeof joined - 1 - prefix_len;
  memcpy(joined, prefix, prefix_len);
  memcpy(joined + prefix_len, err->msg, msg_len);
  joined[prefix_len + msg_len] = '\0';
  memcpy(err->msg, joined, sizeof joined);
  return err->code;
}

void fr_error_clear(fr_error *err) {
  if (err == NULL)
    return;
  err->code = FR_OK;
  err->msg[0] = '\0';
}

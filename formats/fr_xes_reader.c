/* fr_xes_reader.c - XES event logs to record blocks with libexpat (see
 * fr_xes_reader.h).
 *
 * Workload: logs of 10^4..10^8 events of 200-600 bytes of XML each, parsed twice
 * (columns, then rows) on the ingest producer thread; expat is the cost, the
 * callbacks copy each value once into the block.
 *
 * Invariants between calls: `raw` holds the input from `raw_base` on that a record
 * may still need (from the open event's start tag, else from the end of the last
 * tag expat reported); the record being built (between <event> and </event>) has
 * its n_columns fields pushed but is not counted in block->n_records, so a failure
 * drops it whole; records [trace_first_rec, n_records) belong to the open trace
 * and get its attributes when the trace ends or the block is handed out.  A full
 * block suspends expat (XML_StopParser resumable) right after an </event>, so a
 * block never holds more than max_records events.
 */
#include "fr_xes_reader.h"

#include <expat.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fr_alloc.h"

#define FR_XES_CHUNK_BYTES ((size_t)256 << 10)
#define FR_XES_EXCERPT_BYTES 1024
#define FR_XES_DEFAULT_MAX_RECORD ((size_t)4 << 20)

/* The approvals columns a trace attribute of the same name fills. */
static const char *const fr_xes_fallback_names[4] = {"org", "service", "applicant", "amount"};

typedef enum fr_xes_kind {
  FR_XES_OTHER = 0,
  FR_XES_TRACE,
  FR_XES_EVENT,
  FR_XES_ATTR,     /* string, date, int, float, boolean, id */
  FR_XES_NESTED,   /* list, container: not stored */
} fr_xes_kind;

typedef struct fr_xes_tattr {
  int32_t column;   /* case:K column */
  int32_t fallback; /* approvals column it fills when the event lacks one, or -1 */
  uint32_t off;     /* value in trace_vals */
  uint32_t len;
  uint32_t block_off; /* value copied into the current block (during a patch) */
  uint64_t line;
  uint32_t col;
} fr_xes_tattr;

struct fr_xes_reader {
  int discover;             /* 1: column discovery, no records */
  fr_source *src;
  const uint8_t *prefix;    /* replayed before src (standard input's first pass) */
  size_t prefix_len;
  size_t prefix_pos;
  size_t max_bytes;         /* discovery: stop after this many bytes (0: all) */
  fr_buf *keep;             /* discovery: copy of what was read, or NULL */
  XML_Parser parser;
  size_t max_record_bytes;
  /* columns */
  const fr_schema *schema;  /* read mode */
  fr_schema *found;         /* discovery */
  uint32_t n_columns;
  uint8_t *col_is_ts;       /* per column: values are normalised timestamps */
  uint64_t *col_gen;        /* per column: event generation that set it */
  uint64_t *tcol_gen;       /* per column: trace generation that set it */
  int32_t fallback_col[4];
  uint64_t ev_gen;
  uint64_t trace_gen;
  /* element state */
  uint32_t depth;           /* of the element being opened/closed, root = 1 */
  uint32_t skip_depth;      /* > 0: inside a subtree that is not read */
  int skip_in_attr;         /* the skipped subtree is an attribute's children */
  uint32_t trace_depth;
  uint32_t event_depth;
  int in_trace;
  int in_event;
  int trace_has_event;      /* the open trace has had an <event> */
  /* open event */
  uint64_t ev_start;        /* byte index of "<event" */
  uint64_t ev_tag_end;      /* byte index after its start tag */
  uint64_t ev_line;
  uint32_t ev_col;
  size_t ev_bytes_start;    /* block->n_bytes when it opened */
  int ev_oversize;
  fr_buf excerpt;           /* first bytes of an oversized event */
  const char *ev_error;
  uint64_t ev_err_line;
  uint32_t ev_err_col;
  /* open trace */
  fr_buf trace_vals;
  fr_xes_tattr *tattrs;
  uint32_t n_tattrs;
  uint32_t cap_tattrs;
  const char *trace_error;
  uint64_t trace_err_line;
  uint32_t trace_err_col;
  uint32_t trace_first_rec;
  /* block being filled (read mode, during fr_xes_reader_next) */
  fr_record_block *block;
  fr_xes_positions *pos;
  uint32_t max_records;
  size_t target_bytes;
  /* raw input window (read mode) */
  uint8_t *raw;
  size_t raw_len;
  size_t raw_cap;
  uint64_t raw_base;
  uint64_t last_tag_end;    /* byte index after the last tag reported */
  uint64_t n_read;          /* bytes handed to expat */
  /* state */
  int stopping;             /* XML_StopParser(abort) was called: ignore callbacks */
  int suspended;
  int finished;
  int failed;               /* 1: failure pending, 2: reported */
  fr_status cb_status;      /* a hard failure inside a callback */
  fr_error cb_err;
  int aborted;              /* the input was refused by a callback (abort_msg) */
  char abort_msg[256];
  uint64_t abort_line;
  uint64_t abort_col;
  fr_buf tail;
  fr_xes_stats stats;
};

void fr_xes_positions_init(fr_xes_positions *pos) { memset(pos, 0, sizeof *pos); }

void fr_xes_positions_free(fr_xes_positions *pos) {
  fr_free(pos->field_line);
  fr_free(pos->field_column);
  fr_free(pos->rec_column);
  fr_free(pos->err_line);
  fr_free(pos->err_column);
  fr_xes_positions_init(pos);
}

/* ---- names and values ---------------------------------------------------- */

size_t fr_xes_column_name(char *out, int trace_scope, const char *key, size_t key_len) {
  static const char *const event_map[3][2] = {
      {"concept:name", "activity"}, {"time:timestamp", "ts"}, {"org:resource", "actor"}};
  static const char *const reserved[8] = {"case_id", "ts",      "activity",  "actor",
                                          "org",     "service", "applicant", "amount"};
  if (key_len == 0)
    return 0;
  const char *prefix = "";
  if (trace_scope) {
    if (key_len == 12 && memcmp(key, "concept:name", 12) == 0) {
      memcpy(out, "case_id", 8);
      return 7;
    }
    prefix = "case:";
  } else {
    for (size_t idx = 0; idx < 3; idx++) {
      size_t n = strlen(event_map[idx][0]);
      if (key_len == n && memcmp(key, event_map[idx][0], n) == 0) {
        size_t m = strlen(event_map[idx][1]);
        memcpy(out, event_map[idx][1], m + 1);
        return m;
      }
    }
    /* A key naming an approvals column in another case ("Activity") would be
     * the same column to SQL, which ignores case: it moves aside too. */
    int exact_fallback = 0;
    for (size_t idx = 0; idx < 4; idx++)
      exact_fallback |= key_len == strlen(fr_xes_fallback_names[idx]) &&
                        memcmp(key, fr_xes_fallback_names[idx], key_len) == 0;
    for (size_t idx = 0; idx < 8 && !exact_fallback; idx++)
      if (key_len == strlen(reserved[idx]) && strncasecmp(key, reserved[idx], key_len) == 0)
        prefix = "event:";
  }
  size_t prefix_len = strlen(prefix);
  if (prefix_len + key_len >= FR_NAME_CAP)
    return 0;
  memcpy(out, prefix, prefix_len);
  memcpy(out + prefix_len, key, key_len);
  out[prefix_len + key_len] = '\0';
  return prefix_len + key_len;
}

static int fr_xes_digits(const char *text, size_t n) {
  for (size_t idx = 0; idx < n; idx++)
    if (text[idx] < '0' || text[idx] > '9')
      return 0;
  return 1;
}

size_t fr_xes_normalize_timestamp(char *out, const char *text, size_t len) {
  while (len > 0 && (text[0] == ' ' || text[0] == '\t' || text[0] == '\n' || text[0] == '\r')) {
    text++;
    len--;
  }
  while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == '\n' ||
                     text[len - 1] == '\r'))
    len--;
  if (len < 19 || !fr_xes_digits(text, 4) || text[4] != '-' || !fr_xes_digits(text + 5, 2) ||
      text[7] != '-' || !fr_xes_digits(text + 8, 2) || (text[10] != 'T' && text[10] != ' ') ||
      !fr_xes_digits(text + 11, 2) || text[13] != ':' || !fr_xes_digits(text + 14, 2) ||
      text[16] != ':' || !fr_xes_digits(text + 17, 2))
    return 0;
  size_t pos = 19;
  size_t frac_start = 0, frac_len = 0;
  if (pos < len && text[pos] == '.') {
    frac_start = ++pos;
    while (pos < len && text[pos] >= '0' && text[pos] <= '9')
      pos++;
    frac_len = pos - frac_start;
    if (frac_len == 0)
      return 0;
  }
  if (pos < len) {
    /* Zone: Z, or +hh, +hhmm, +hh:mm (and -). */
    if (text[pos] == 'Z') {
      pos++;
    } else if (text[pos] == '+' || text[pos] == '-') {
      size_t rest = len - pos - 1;
      const char *zone = text + pos + 1;
      if (!((rest == 2 && fr_xes_digits(zone, 2)) || (rest == 4 && fr_xes_digits(zone, 4)) ||
            (rest == 5 && fr_xes_digits(zone, 2) && zone[2] == ':' && fr_xes_digits(zone + 3, 2))))
        return 0;
      pos = len;
    }
    if (pos != len)
      return 0;
  }
  memcpy(out, text, 19);
  out[10] = ' ';
  size_t n = 19;
  if (frac_len > 0) {
    size_t keep = frac_len > 6 ? 6 : frac_len;
    out[n++] = '.';
    memcpy(out + n, text + frac_start, keep);
    n += keep;
  }
  return n;
}

/* ---- growth helpers ------------------------------------------------------- */

static fr_status fr_xes_grow_records(fr_record_block *block, fr_xes_positions *pos) {
  if (block->n_records + 1 < block->cap_records && block->n_records + 1 < pos->cap_records)
    return FR_OK;
  uint32_t cap = block->cap_records > pos->cap_records ? block->cap_records : pos->cap_records;
  cap = cap ? cap * 2 : 1024;
  uint64_t *line = fr_realloc(block->rec_line, cap * sizeof *line);
  if (line) block->rec_line = line;
  uint32_t *start = fr_realloc(block->rec_start, cap * sizeof *start);
  if (start) block->rec_start = start;
  uint32_t *end = fr_realloc(block->rec_end, cap * sizeof *end);
  if (end) block->rec_end = end;
  uint32_t *field = fr_realloc(block->rec_field, ((size_t)cap + 1) * sizeof *field);
  if (field) block->rec_field = field;
  const char **error = fr_realloc((void *)block->rec_error, cap * sizeof *error);
  if (error) block->rec_error = error;
  uint32_t *error_at = fr_realloc(block->rec_error_at, cap * sizeof *error_at);
  if (error_at) block->rec_error_at = error_at;
  uint32_t *rec_column = fr_realloc(pos->rec_column, cap * sizeof *rec_column);
  if (rec_column) pos->rec_column = rec_column;
  uint64_t *err_line = fr_realloc(pos->err_line, cap * sizeof *err_line);
  if (err_line) pos->err_line = err_line;
  uint32_t *err_column = fr_realloc(pos->err_column, cap * sizeof *err_column);
  if (err_column) pos->err_column = err_column;
  if (!line || !start || !end || !field || !error || !error_at || !rec_column || !err_line ||
      !err_column)
    return FR_ERR_NOMEM;
  if (block->cap_records == 0)
    block->rec_field[0] = block->n_fields;
  block->cap_records = cap;
  pos->cap_records = cap;
  return FR_OK;
}

static fr_status fr_xes_grow_fields(fr_record_block *block, fr_xes_positions *pos, uint32_t extra) {
  uint64_t need = (uint64_t)block->n_fields + extra;
  if (need > UINT32_MAX / 2)
    return FR_ERR_LIMIT;
  if (need <= block->cap_fields && need <= pos->cap_fields)
    return FR_OK;
  uint32_t cap = block->cap_fields > pos->cap_fields ? block->cap_fields : pos->cap_fields;
  if (cap == 0)
    cap = 16384;
  while (cap < need)
    cap *= 2;
  uint32_t *fstart = fr_realloc(block->field_start, cap * sizeof *fstart);
  if (fstart) block->field_start = fstart;
  uint32_t *flen = fr_realloc(block->field_len, cap * sizeof *flen);
  if (flen) block->field_len = flen;
  uint8_t *fflags = fr_realloc(block->field_flags, cap);
  if (fflags) block->field_flags = fflags;
  uint64_t *fline = fr_realloc(pos->field_line, cap * sizeof *fline);
  if (fline) pos->field_line = fline;
  uint32_t *fcol = fr_realloc(pos->field_column, cap * sizeof *fcol);
  if (fcol) pos->field_column = fcol;
  if (!fstart || !flen || !fflags || !fline || !fcol)
    return FR_ERR_NOMEM;
  block->cap_fields = cap;
  pos->cap_fields = cap;
  return FR_OK;
}

/* Appends bytes to the block; *off is where they went. */
static fr_status fr_xes_block_put(fr_record_block *block, const void *data, size_t len,
                                  uint32_t *off) {
  if ((uint64_t)block->n_bytes + len > UINT32_MAX / 2)
    return FR_ERR_LIMIT;
  if (block->n_bytes + len > block->cap_bytes) {
    size_t cap = block->cap_bytes ? block->cap_bytes : ((size_t)64 << 10);
    while (cap < block->n_bytes + len)
      cap *= 2;
    uint8_t *grown = fr_realloc(block->bytes, cap);
    if (grown == NULL)
      return FR_ERR_NOMEM;
    block->bytes = grown;
    block->cap_bytes = cap;
  }
  if (len > 0)
    memcpy(block->bytes + block->n_bytes, data, len);
  *off = (uint32_t)block->n_bytes;
  block->n_bytes += len;
  return FR_OK;
}

/* ---- failures ------------------------------------------------------------- */

/* A hard failure (memory, limits) inside a callback: stop parsing. */
static void fr_xes_hard_fail(fr_xes_reader *rd, fr_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fr_xes_hard_fail(fr_xes_reader *rd, fr_status status, const char *fmt, ...) {
  if (rd->cb_status == FR_OK) {
    rd->cb_status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rd->cb_err.msg, sizeof rd->cb_err.msg, fmt, ap);
    va_end(ap);
    rd->cb_err.code = status;
  }
  if (!rd->stopping) {
    rd->stopping = 1;
    XML_StopParser(rd->parser, XML_FALSE);
  }
}

static void fr_xes_store_fail(fr_xes_reader *rd, fr_status status) {
  if (status == FR_ERR_LIMIT)
    fr_xes_hard_fail(rd, status, "%s: one block of events exceeds 2 GiB", fr_source_name(rd->src));
  else
    fr_xes_hard_fail(rd, status, "out of memory reading %s", fr_source_name(rd->src));
}

/* The input is not acceptable XES (found by a callback): stop like an XML error. */
static void fr_xes_refuse(fr_xes_reader *rd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fr_xes_refuse(fr_xes_reader *rd, const char *fmt, ...) {
  if (rd->stopping)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(rd->abort_msg, sizeof rd->abort_msg, fmt, ap);
  va_end(ap);
  rd->aborted = 1;
  rd->abort_line = (uint64_t)XML_GetCurrentLineNumber(rd->parser);
  rd->abort_col = (uint64_t)XML_GetCurrentColumnNumber(rd->parser) + 1;
  rd->stopping = 1;
  XML_StopParser(rd->parser, XML_FALSE);
}

/* Drops the record of the open event (it is cut off by a failure). */
static void fr_xes_drop_open_event(fr_xes_reader *rd) {
  if (rd->in_event && rd->block != NULL) {
    rd->block->n_fields = rd->block->rec_field[rd->block->n_records];
    rd->block->n_bytes = rd->ev_bytes_start;
  }
  rd->in_event = 0;
}

/* Keeps an excerpt of the input where it failed: the open event's text, or the
 * line of byte index `at`. */
static void fr_xes_keep_tail(fr_xes_reader *rd, uint64_t at) {
  fr_buf_reset(&rd->tail);
  if (rd->discover || rd->raw_len == 0)
    return;
  uint64_t end = rd->raw_base + rd->raw_len;
  uint64_t from;
  if (rd->in_event && !rd->ev_oversize && rd->ev_start >= rd->raw_base) {
    from = rd->ev_start;
  } else {
    if (at < rd->raw_base || at > end)
      at = end;
    from = at;
    while (from > rd->raw_base && at - from < 256 && rd->raw[from - 1 - rd->raw_base] != '\n')
      from--;
  }
  if (from > end)
    return;
  size_t len = (size_t)(end - from);
  if (len > FR_XES_EXCERPT_BYTES)
    len = FR_XES_EXCERPT_BYTES;
  fr_buf_put(&rd->tail, rd->raw + (from - rd->raw_base), len);
}

static void fr_xes_set_failure(fr_xes_reader *rd, uint64_t line, uint64_t column, uint64_t at,
                               const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void fr_xes_set_failure(fr_xes_reader *rd, uint64_t line, uint64_t column, uint64_t at,
                               const char *fmt, ...) {
  fr_xes_keep_tail(rd, at);
  fr_xes_drop_open_event(rd);
  rd->failed = 1;
  rd->stats.failed = 1;
  rd->stats.fail_line = line;
  rd->stats.fail_column = column;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(rd->stats.fail_msg, sizeof rd->stats.fail_msg, fmt, ap);
  va_end(ap);
}

/* XML_ParseBuffer / XML_ResumeParser failed: malformed XML or a refusal. */
static void fr_xes_fail_xml(fr_xes_reader *rd) {
  XML_Index at = XML_GetCurrentByteIndex(rd->parser);
  uint64_t at_u = at < 0 ? rd->n_read : (uint64_t)at;
  if (rd->aborted) {
    fr_xes_set_failure(rd, rd->abort_line, rd->abort_col, at_u, "%s", rd->abort_msg);
    return;
  }
  enum XML_Error code = XML_GetErrorCode(rd->parser);
  const XML_LChar *why = XML_ErrorString(code);
  fr_xes_set_failure(rd, (uint64_t)XML_GetErrorLineNumber(rd->parser),
                     (uint64_t)XML_GetErrorColumnNumber(rd->parser) + 1, at_u, "malformed XML: %s",
                     why ? why : "unknown error");
}

/* ---- expat callbacks ------------------------------------------------------ */

static const char *fr_xes_local_name(const char *name) {
  const char *colon = strrchr(name, ':');
  return colon ? colon + 1 : name;
}

static fr_xes_kind fr_xes_kind_of(const char *local) {
  switch (local[0]) {
  case 't': if (strcmp(local, "trace") == 0) return FR_XES_TRACE; break;
  case 'e': if (strcmp(local, "event") == 0) return FR_XES_EVENT; break;
  case 's': if (strcmp(local, "string") == 0) return FR_XES_ATTR; break;
  case 'd': if (strcmp(local, "date") == 0) return FR_XES_ATTR; break;
  case 'i':
    if (strcmp(local, "int") == 0 || strcmp(local, "id") == 0) return FR_XES_ATTR;
    break;
  case 'f': if (strcmp(local, "float") == 0) return FR_XES_ATTR; break;
  case 'b': if (strcmp(local, "boolean") == 0) return FR_XES_ATTR; break;
  case 'l': if (strcmp(local, "list") == 0) return FR_XES_NESTED; break;
  case 'c': if (strcmp(local, "container") == 0) return FR_XES_NESTED; break;
  default: break;
  }
  return FR_XES_OTHER;
}

static fr_type fr_xes_type_of(const char *local) {
  switch (local[0]) {
  case 'i': return local[1] == 'n' ? FR_TYPE_INT64 : FR_TYPE_STRING; /* int, id */
  case 'f': return FR_TYPE_FLOAT64;
  case 'd': return FR_TYPE_TIMESTAMP;
  case 'b': return FR_TYPE_BOOL;
  default: return FR_TYPE_STRING;
  }
}

static int fr_xes_is_approvals(const char *name, fr_type *type) {
  return fr_schema_canonical_type("approvals", name, type);
}

static uint64_t fr_xes_line(const fr_xes_reader *rd) {
  return (uint64_t)XML_GetCurrentLineNumber(rd->parser);
}

static uint32_t fr_xes_col(const fr_xes_reader *rd) {
  uint64_t col = (uint64_t)XML_GetCurrentColumnNumber(rd->parser) + 1;
  return col > UINT32_MAX ? UINT32_MAX : (uint32_t)col;
}

static void fr_xes_discover_attr(fr_xes_reader *rd, int trace_scope, const char *local,
                                 const char *key) {
  char name[FR_NAME_CAP];
  size_t name_len = key ? fr_xes_column_name(name, trace_scope, key, strlen(key)) : 0;
  if (name_len == 0)
    return; /* the read pass rejects the event */
  fr_type type = fr_xes_type_of(local);
  fr_type canonical;
  int col = fr_schema_find(rd->found, name, name_len);
  if (col < 0) {
    if (rd->found->n_columns >= FR_XES_MAX_COLUMNS) {
      fr_xes_hard_fail(rd, FR_ERR_LIMIT,
                       "%s:%llu:%u: more than %u distinct attribute keys (columns) in the log",
                       fr_source_name(rd->src), (unsigned long long)fr_xes_line(rd), fr_xes_col(rd),
                       FR_XES_MAX_COLUMNS);
      return;
    }
    if (fr_xes_is_approvals(name, &canonical))
      type = canonical;
    if (fr_schema_add(rd->found, name, name_len, type, NULL) != FR_OK)
      fr_xes_hard_fail(rd, FR_ERR_NOMEM, "out of memory discovering the columns of %s",
                       fr_source_name(rd->src));
    return;
  }
  fr_schema_column *column = &rd->found->columns[col];
  if (column->type == type || fr_xes_is_approvals(name, &canonical))
    return;
  if ((column->type == FR_TYPE_INT64 || column->type == FR_TYPE_FLOAT64) &&
      (type == FR_TYPE_INT64 || type == FR_TYPE_FLOAT64))
    column->type = FR_TYPE_FLOAT64;
  else
    column->type = FR_TYPE_STRING;
}

static void fr_xes_event_error(fr_xes_reader *rd, const char *why) {
  if (rd->ev_error == NULL) {
    rd->ev_error = why;
    rd->ev_err_line = fr_xes_line(rd);
    rd->ev_err_col = fr_xes_col(rd);
  }
}

static void fr_xes_trace_error(fr_xes_reader *rd, const char *why) {
  if (rd->trace_error == NULL) {
    rd->trace_error = why;
    rd->trace_err_line = fr_xes_line(rd);
    rd->trace_err_col = fr_xes_col(rd);
  }
}

static void fr_xes_read_attr(fr_xes_reader *rd, int trace_scope, const char *key,
                             const char *value) {
  if (!trace_scope && rd->ev_oversize)
    return;
  void (*flag)(fr_xes_reader *, const char *) = trace_scope ? fr_xes_trace_error : fr_xes_event_error;
  if (key == NULL || key[0] == '\0') {
    flag(rd, "an attribute has no key");
    return;
  }
  char name[FR_NAME_CAP];
  size_t key_len = strlen(key);
  size_t name_len = fr_xes_column_name(name, trace_scope, key, key_len);
  if (name_len == 0) {
    flag(rd, "attribute key longer than 250 bytes");
    return;
  }
  int col = fr_schema_find(rd->schema, name, name_len);
  if (col < 0) {
    flag(rd, "attribute has no column in the table (columns of standard input come from its "
             "first 64 MiB; ingest a file to discover them all)");
    return;
  }
  if (value == NULL)
    return; /* no value: as if absent */
  uint64_t *gen = trace_scope ? &rd->tcol_gen[col] : &rd->col_gen[col];
  uint64_t now = trace_scope ? rd->trace_gen : rd->ev_gen;
  if (*gen == now) {
    flag(rd, trace_scope ? "attribute key appears twice in the trace"
                         : "attribute key appears twice in the event");
    return;
  }
  *gen = now;
  size_t len = strlen(value);
  char stamp[32];
  if (rd->col_is_ts[col]) {
    size_t n = fr_xes_normalize_timestamp(stamp, value, len);
    if (n > 0) {
      value = stamp;
      len = n;
    }
  }
  uint64_t line = fr_xes_line(rd);
  uint32_t column = fr_xes_col(rd);
  if (trace_scope) {
    if (rd->n_tattrs == rd->cap_tattrs) {
      uint32_t cap = rd->cap_tattrs ? rd->cap_tattrs * 2 : 16;
      fr_xes_tattr *grown = fr_realloc(rd->tattrs, cap * sizeof *grown);
      if (grown == NULL) {
        fr_xes_hard_fail(rd, FR_ERR_NOMEM, "out of memory reading %s", fr_source_name(rd->src));
        return;
      }
      rd->tattrs = grown;
      rd->cap_tattrs = cap;
    }
    if (rd->trace_vals.len + len > UINT32_MAX / 2) {
      fr_xes_trace_error(rd, "trace attributes longer than 2 GiB");
      return;
    }
    fr_xes_tattr *attr = &rd->tattrs[rd->n_tattrs++];
    attr->column = col;
    attr->fallback = -1;
    for (size_t idx = 0; idx < 4; idx++)
      if (strcmp(key, fr_xes_fallback_names[idx]) == 0)
        attr->fallback = rd->fallback_col[idx];
    attr->off = (uint32_t)rd->trace_vals.len;
    attr->len = (uint32_t)len;
    attr->line = line;
    attr->col = column;
    fr_buf_put(&rd->trace_vals, value, len);
    if (rd->trace_vals.failed)
      fr_xes_hard_fail(rd, FR_ERR_NOMEM, "out of memory reading %s", fr_source_name(rd->src));
    return;
  }
  fr_record_block *block = rd->block;
  uint32_t off;
  fr_status status = fr_xes_block_put(block, value, len, &off);
  if (status != FR_OK) {
    fr_xes_store_fail(rd, status);
    return;
  }
  uint32_t field = block->rec_field[block->n_records] + (uint32_t)col;
  block->field_start[field] = off;
  block->field_len[field] = (uint32_t)len;
  block->field_flags[field] = FR_FIELD_QUOTED; /* present: "" is an empty string */
  rd->pos->field_line[field] = line;
  rd->pos->field_column[field] = column;
}

static void fr_xes_begin_event(fr_xes_reader *rd, uint64_t at, uint64_t tag_end) {
  rd->in_event = 1;
  rd->event_depth = rd->depth;
  rd->ev_gen++;
  rd->ev_start = at;
  rd->ev_tag_end = tag_end;
  rd->ev_line = fr_xes_line(rd);
  rd->ev_col = fr_xes_col(rd);
  rd->ev_error = NULL;
  rd->ev_oversize = 0;
  if (rd->discover)
    return;
  fr_record_block *block = rd->block;
  fr_status status = fr_xes_grow_records(block, rd->pos);
  if (status == FR_OK)
    status = fr_xes_grow_fields(block, rd->pos, rd->n_columns);
  if (status != FR_OK) {
    fr_xes_store_fail(rd, status);
    rd->in_event = 0;
    return;
  }
  rd->ev_bytes_start = block->n_bytes;
  uint32_t first = block->n_fields;
  block->rec_field[block->n_records] = first;
  memset(block->field_start + first, 0, rd->n_columns * sizeof *block->field_start);
  memset(block->field_len + first, 0, rd->n_columns * sizeof *block->field_len);
  memset(block->field_flags + first, 0, rd->n_columns);
  memset(rd->pos->field_line + first, 0, rd->n_columns * sizeof *rd->pos->field_line);
  memset(rd->pos->field_column + first, 0, rd->n_columns * sizeof *rd->pos->field_column);
  block->n_fields += rd->n_columns;
  block->rec_field[block->n_records + 1] = block->n_fields;
}

static void fr_xes_end_event(fr_xes_reader *rd, uint64_t end) {
  rd->in_event = 0;
  rd->stats.n_events++;
  if (rd->discover)
    return;
  fr_record_block *block = rd->block;
  if (end < rd->ev_tag_end)
    end = rd->ev_tag_end;
  const uint8_t *text = NULL;
  size_t len = 0;
  if (rd->ev_oversize) {
    text = rd->excerpt.data;
    len = rd->excerpt.len;
  } else if (rd->ev_start >= rd->raw_base && end <= rd->raw_base + rd->raw_len) {
    text = rd->raw + (rd->ev_start - rd->raw_base);
    len = (size_t)(end - rd->ev_start);
  }
  uint32_t off;
  fr_status status = fr_xes_block_put(block, text, len, &off);
  if (status != FR_OK) {
    fr_xes_store_fail(rd, status);
    return;
  }
  uint32_t rec = block->n_records;
  block->rec_line[rec] = rd->ev_line;
  block->rec_start[rec] = off;
  block->rec_end[rec] = off + (uint32_t)len;
  block->rec_error[rec] = rd->ev_error;
  block->rec_error_at[rec] = off;
  rd->pos->rec_column[rec] = rd->ev_col;
  rd->pos->err_line[rec] = rd->ev_error ? rd->ev_err_line : rd->ev_line;
  rd->pos->err_column[rec] = rd->ev_error ? rd->ev_err_col : rd->ev_col;
  block->n_records++;
  if (!rd->in_trace)
    rd->trace_first_rec = block->n_records;
  if (block->n_records >= rd->max_records || block->n_bytes >= rd->target_bytes) {
    XML_ParsingStatus ps;
    XML_GetParsingStatus(rd->parser, &ps);
    if (ps.parsing == XML_PARSING)
      XML_StopParser(rd->parser, XML_TRUE);
  }
}

/* Gives the records of the open trace in the block its attributes. */
static fr_status fr_xes_patch_trace(fr_xes_reader *rd) {
  fr_record_block *block = rd->block;
  if (block == NULL || rd->discover)
    return FR_OK;
  uint32_t first = rd->trace_first_rec, n = block->n_records;
  rd->trace_first_rec = n;
  if (first >= n)
    return FR_OK;
  if (rd->trace_error != NULL) {
    for (uint32_t rec = first; rec < n; rec++) {
      if (block->rec_error[rec] != NULL)
        continue;
      block->rec_error[rec] = rd->trace_error;
      rd->pos->err_line[rec] = rd->trace_err_line;
      rd->pos->err_column[rec] = rd->trace_err_col;
    }
  }
  for (uint32_t t = 0; t < rd->n_tattrs; t++) {
    fr_xes_tattr *attr = &rd->tattrs[t];
    FR_TRY(fr_xes_block_put(block, rd->trace_vals.data + attr->off, attr->len, &attr->block_off));
  }
  for (uint32_t rec = first; rec < n; rec++) {
    for (uint32_t t = 0; t < rd->n_tattrs; t++) {
      const fr_xes_tattr *attr = &rd->tattrs[t];
      int32_t targets[2] = {attr->column, attr->fallback};
      for (int k = 0; k < 2; k++) {
        if (targets[k] < 0)
          continue;
        uint32_t field = block->rec_field[rec] + (uint32_t)targets[k];
        if (block->field_flags[field] != 0)
          continue; /* the event's own value wins */
        block->field_start[field] = attr->block_off;
        block->field_len[field] = attr->len;
        block->field_flags[field] = FR_FIELD_QUOTED;
        rd->pos->field_line[field] = attr->line;
        rd->pos->field_column[field] = attr->col;
      }
    }
  }
  return FR_OK;
}

static void XMLCALL fr_xes_on_start(void *user, const XML_Char *name, const XML_Char **atts) {
  fr_xes_reader *rd = user;
  if (rd->stopping)
    return;
  rd->depth++;
  XML_Index index = XML_GetCurrentByteIndex(rd->parser);
  uint64_t at = index < 0 ? 0 : (uint64_t)index;
  uint64_t tag_end = at + (uint64_t)XML_GetCurrentByteCount(rd->parser);
  if (tag_end > rd->last_tag_end)
    rd->last_tag_end = tag_end;
  if (rd->skip_depth > 0) {
    rd->skip_depth++;
    rd->stats.n_skipped += rd->skip_in_attr;
    return;
  }
  const char *local = fr_xes_local_name(name);
  if (rd->depth == 1) {
    if (strcmp(local, "log") != 0)
      fr_xes_refuse(rd, "not an XES log: the root element is <%.64s>, not <log>", local);
    return;
  }
  fr_xes_kind kind = fr_xes_kind_of(local);
  int under_log = rd->depth == 2;
  int under_trace = rd->in_trace && !rd->in_event && rd->depth == rd->trace_depth + 1;
  int under_event = rd->in_event && rd->depth == rd->event_depth + 1;
  if (under_log && kind == FR_XES_TRACE) {
    rd->in_trace = 1;
    rd->trace_depth = rd->depth;
    rd->trace_gen++;
    rd->n_tattrs = 0;
    fr_buf_reset(&rd->trace_vals);
    rd->trace_error = NULL;
    rd->trace_has_event = 0;
    rd->trace_first_rec = rd->block ? rd->block->n_records : 0;
    return;
  }
  if ((under_log || under_trace) && kind == FR_XES_EVENT) {
    rd->trace_has_event = rd->in_trace;
    fr_xes_begin_event(rd, at, tag_end);
    return;
  }
  rd->skip_depth = 1;
  rd->skip_in_attr = 0;
  if (!(under_trace || under_event))
    return;
  if (kind == FR_XES_NESTED) {
    rd->stats.n_skipped++;
    rd->skip_in_attr = 1;
    return;
  }
  if (kind != FR_XES_ATTR)
    return;
  rd->skip_in_attr = 1; /* meta-attributes inside it are not stored */
  rd->stats.n_late += under_trace && rd->trace_has_event;
  const char *key = NULL, *value = NULL;
  for (size_t idx = 0; atts[idx] != NULL; idx += 2) {
    if (strcmp(atts[idx], "key") == 0)
      key = atts[idx + 1];
    else if (strcmp(atts[idx], "value") == 0)
      value = atts[idx + 1];
  }
  if (rd->discover)
    fr_xes_discover_attr(rd, under_trace, local, key);
  else
    fr_xes_read_attr(rd, under_trace, key, value);
}

static void XMLCALL fr_xes_on_end(void *user, const XML_Char *name) {
  fr_xes_reader *rd = user;
  (void)name;
  if (rd->stopping)
    return;
  XML_Index index = XML_GetCurrentByteIndex(rd->parser);
  uint64_t end = (index < 0 ? 0 : (uint64_t)index) + (uint64_t)XML_GetCurrentByteCount(rd->parser);
  if (end > rd->last_tag_end)
    rd->last_tag_end = end;
  if (rd->skip_depth > 0) {
    rd->skip_depth--;
  } else if (rd->in_event && rd->depth == rd->event_depth) {
    fr_xes_end_event(rd, end);
  } else if (rd->in_trace && rd->depth == rd->trace_depth) {
    rd->in_trace = 0;
    rd->stats.n_traces++;
    fr_status status = fr_xes_patch_trace(rd);
    if (status != FR_OK)
      fr_xes_store_fail(rd, status);
  }
  rd->depth--;
}

static void XMLCALL fr_xes_on_entity(void *user, const XML_Char *name, int is_param,
                                     const XML_Char *value, int value_len, const XML_Char *base,
                                     const XML_Char *system_id, const XML_Char *public_id,
                                     const XML_Char *notation) {
  (void)name, (void)is_param, (void)value, (void)value_len, (void)base, (void)system_id,
      (void)public_id, (void)notation;
  fr_xes_refuse(user, "entity declarations are not accepted in XES input");
}

/* ---- driving expat -------------------------------------------------------- */

static fr_status fr_xes_create(fr_xes_reader **out, fr_source *src, fr_error *err) {
  *out = NULL;
  fr_xes_reader *rd = fr_calloc(1, sizeof *rd);
  if (rd == NULL)
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory creating an XES reader");
  rd->src = src;
  fr_buf_init(&rd->excerpt);
  fr_buf_init(&rd->trace_vals);
  fr_buf_init(&rd->tail);
  rd->max_record_bytes = FR_XES_DEFAULT_MAX_RECORD;
  static const XML_Memory_Handling_Suite memsuite = {fr_malloc, fr_realloc, fr_free};
  rd->parser = XML_ParserCreate_MM(NULL, &memsuite, NULL);
  if (rd->parser == NULL) {
    fr_free(rd);
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory creating an XML parser");
  }
  XML_SetUserData(rd->parser, rd);
  XML_SetElementHandler(rd->parser, fr_xes_on_start, fr_xes_on_end);
  XML_SetEntityDeclHandler(rd->parser, fr_xes_on_entity);
  *out = rd;
  return FR_OK;
}

void fr_xes_reader_destroy(fr_xes_reader *rd) {
  if (rd == NULL)
    return;
  if (rd->parser != NULL)
    XML_ParserFree(rd->parser);
  fr_free(rd->col_is_ts);
  fr_free(rd->col_gen);
  fr_free(rd->tcol_gen);
  fr_buf_free(&rd->excerpt);
  fr_buf_free(&rd->trace_vals);
  fr_buf_free(&rd->tail);
  fr_free(rd->tattrs);
  fr_free(rd->raw);
  fr_free(rd);
}

/* Reads the next bytes: the replayed prefix first, then the source. */
static fr_status fr_xes_input(fr_xes_reader *rd, uint8_t *dst, size_t cap, size_t *n,
                              fr_error *err) {
  *n = 0;
  if (rd->prefix_pos < rd->prefix_len) {
    size_t take = rd->prefix_len - rd->prefix_pos;
    if (take > cap)
      take = cap;
    memcpy(dst, rd->prefix + rd->prefix_pos, take);
    rd->prefix_pos += take;
    *n = take;
    return FR_OK;
  }
  FR_TRY(fr_source_read(rd->src, dst, cap, n, err));
  if (rd->keep != NULL) {
    fr_buf_put(rd->keep, dst, *n);
    if (rd->keep->failed)
      return fr_error_set(err, FR_ERR_NOMEM, "out of memory keeping standard input");
  }
  return FR_OK;
}

/* Before the next chunk: drops window bytes no record needs and enforces the
 * size limits (an event longer than max_record_bytes is kept as an excerpt and
 * rejected; a single XML token longer than that stops the parse). */
static fr_status fr_xes_trim(fr_xes_reader *rd, fr_error *err) {
  uint64_t pending = rd->n_read - (rd->last_tag_end < rd->n_read ? rd->last_tag_end : rd->n_read);
  if (pending > rd->max_record_bytes + FR_XES_CHUNK_BYTES) {
    fr_xes_set_failure(rd, (uint64_t)XML_GetCurrentLineNumber(rd->parser),
                       (uint64_t)XML_GetCurrentColumnNumber(rd->parser) + 1, rd->last_tag_end,
                       "an XML token longer than the maximum record size (--max-record)");
    return FR_OK;
  }
  if (rd->discover)
    return FR_OK;
  if (rd->in_event && !rd->ev_oversize && rd->n_read - rd->ev_start > rd->max_record_bytes) {
    fr_buf_reset(&rd->excerpt);
    if (rd->ev_start >= rd->raw_base) {
      size_t len = (size_t)(rd->raw_base + rd->raw_len - rd->ev_start);
      fr_buf_put(&rd->excerpt, rd->raw + (rd->ev_start - rd->raw_base),
                 len > FR_XES_EXCERPT_BYTES ? FR_XES_EXCERPT_BYTES : len);
    }
    if (rd->excerpt.failed)
      return fr_error_set(err, FR_ERR_NOMEM, "out of memory reading %s", fr_source_name(rd->src));
    rd->ev_oversize = 1;
    rd->ev_error = "event longer than the maximum record size (--max-record)";
    rd->ev_err_line = rd->ev_line;
    rd->ev_err_col = rd->ev_col;
  }
  uint64_t keep_from = rd->in_event && !rd->ev_oversize ? rd->ev_start : rd->last_tag_end;
  uint64_t end = rd->raw_base + rd->raw_len;
  if (keep_from < rd->raw_base)
    keep_from = rd->raw_base;
  if (keep_from > end)
    keep_from = end;
  size_t drop = (size_t)(keep_from - rd->raw_base);
  if (drop > 0) {
    memmove(rd->raw, rd->raw + drop, rd->raw_len - drop);
    rd->raw_len -= drop;
    rd->raw_base = keep_from;
  }
  if (rd->raw_len + FR_XES_CHUNK_BYTES > rd->raw_cap) {
    size_t cap = rd->raw_cap ? rd->raw_cap : FR_XES_CHUNK_BYTES * 2;
    while (cap < rd->raw_len + FR_XES_CHUNK_BYTES)
      cap *= 2;
    uint8_t *grown = fr_realloc(rd->raw, cap);
    if (grown == NULL)
      return fr_error_set(err, FR_ERR_NOMEM, "out of memory reading %s", fr_source_name(rd->src));
    rd->raw = grown;
    rd->raw_cap = cap;
  }
  return FR_OK;
}

/* Parses until the block is full, the input ends or fails (FR_OK; see
 * suspended / finished / failed), or a hard error. */
static fr_status fr_xes_pump(fr_xes_reader *rd, fr_error *err) {
  for (;;) {
    enum XML_Status st;
    if (rd->suspended) {
      rd->suspended = 0;
      st = XML_ResumeParser(rd->parser);
    } else {
      if (rd->finished || rd->failed)
        return FR_OK;
      if (rd->max_bytes > 0 && rd->n_read >= rd->max_bytes) {
        rd->finished = 1; /* discovery of a prefix: enough seen */
        return FR_OK;
      }
      FR_TRY(fr_xes_trim(rd, err));
      if (rd->failed)
        return FR_OK;
      void *buf = XML_GetBuffer(rd->parser, (int)FR_XES_CHUNK_BYTES);
      if (buf == NULL)
        return fr_error_set(err, FR_ERR_NOMEM, "out of memory reading %s", fr_source_name(rd->src));
      size_t n = 0;
      fr_error read_err;
      fr_error_clear(&read_err);
      fr_status status = fr_xes_input(rd, buf, FR_XES_CHUNK_BYTES, &n, &read_err);
      if (status == FR_ERR_NOMEM)
        return fr_error_set(err, status, "%s", read_err.msg);
      if (status != FR_OK) {
        /* A damaged stream: the events before it stand, the open one is cut. */
        fr_xes_set_failure(rd, (uint64_t)XML_GetCurrentLineNumber(rd->parser),
                           (uint64_t)XML_GetCurrentColumnNumber(rd->parser) + 1, rd->n_read,
                           "input ends early: %s", read_err.msg);
        return FR_OK;
      }
      if (!rd->discover && n > 0) {
        memcpy(rd->raw + rd->raw_len, buf, n);
        rd->raw_len += n;
      }
      rd->n_read += n;
      rd->stats.bytes += n;
      st = XML_ParseBuffer(rd->parser, (int)n, n == 0);
    }
    if (rd->cb_status != FR_OK)
      return fr_error_set(err, rd->cb_status, "%s", rd->cb_err.msg);
    if (st == XML_STATUS_ERROR && XML_GetErrorCode(rd->parser) == XML_ERROR_NO_MEMORY)
      return fr_error_set(err, FR_ERR_NOMEM, "out of memory parsing %s", fr_source_name(rd->src));
    if (st == XML_STATUS_ERROR) {
      fr_xes_fail_xml(rd);
      return FR_OK;
    }
    if (st == XML_STATUS_SUSPENDED) {
      rd->suspended = 1;
      return FR_OK;
    }
    XML_ParsingStatus ps;
    XML_GetParsingStatus(rd->parser, &ps);
    if (ps.parsing == XML_FINISHED) {
      rd->finished = 1;
      return FR_OK;
    }
  }
}

fr_status fr_xes_discover(fr_schema *found, fr_source *src, size_t max_bytes, fr_buf *keep,
                          fr_xes_stats *stats, fr_error *err) {
  memset(stats, 0, sizeof *stats);
  fr_xes_reader *rd;
  FR_TRY(fr_xes_create(&rd, src, err));
  rd->discover = 1;
  rd->found = found;
  rd->max_bytes = max_bytes;
  rd->keep = keep;
  fr_status status = fr_xes_pump(rd, err);
  *stats = rd->stats;
  fr_xes_reader_destroy(rd);
  return status;
}

fr_status fr_xes_reader_create(fr_xes_reader **out, fr_source *src, const uint8_t *prefix,
                               size_t prefix_len, const fr_schema *schema, size_t max_record_bytes,
                               fr_error *err) {
  *out = NULL;
  fr_xes_reader *rd;
  FR_TRY(fr_xes_create(&rd, src, err));
  rd->prefix = prefix;
  rd->prefix_len = prefix ? prefix_len : 0;
  rd->schema = schema;
  rd->n_columns = schema->n_columns;
  if (max_record_bytes > 0)
    rd->max_record_bytes = max_record_bytes;
  size_t n = schema->n_columns ? schema->n_columns : 1;
  rd->col_is_ts = fr_calloc(n, 1);
  rd->col_gen = fr_calloc(n, sizeof *rd->col_gen);
  rd->tcol_gen = fr_calloc(n, sizeof *rd->tcol_gen);
  if (rd->col_is_ts == NULL || rd->col_gen == NULL || rd->tcol_gen == NULL) {
    fr_xes_reader_destroy(rd);
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory creating an XES reader");
  }
  for (uint32_t c = 0; c < schema->n_columns; c++)
    rd->col_is_ts[c] = schema->columns[c].type == FR_TYPE_TIMESTAMP;
  for (size_t idx = 0; idx < 4; idx++)
    rd->fallback_col[idx] = fr_schema_find(schema, fr_xes_fallback_names[idx],
                                           strlen(fr_xes_fallback_names[idx]));
  *out = rd;
  return FR_OK;
}

fr_status fr_xes_reader_next(fr_xes_reader *rd, fr_record_block *block, fr_xes_positions *pos,
                             uint32_t max_records, size_t target_bytes, int *eof, fr_error *err) {
  fr_record_block_clear(block);
  *eof = 0;
  if (rd->failed == 2) {
    *eof = 1;
    return FR_OK;
  }
  if (target_bytes > UINT32_MAX / 4)
    target_bytes = UINT32_MAX / 4;
  rd->block = block;
  rd->pos = pos;
  rd->max_records = max_records ? max_records : 1;
  rd->target_bytes = target_bytes ? target_bytes : 1;
  rd->trace_first_rec = 0;
  if (block->cap_records > 0)
    block->rec_field[0] = 0;
  fr_status status = fr_xes_pump(rd, err);
  if (status == FR_OK)
    status = fr_xes_patch_trace(rd);
  else
    fr_xes_drop_open_event(rd);
  if (status == FR_OK && rd->in_event) {
    /* Suspended between events never leaves one open; a hard error may. */
    fr_xes_drop_open_event(rd);
  }
  rd->block = NULL;
  rd->pos = NULL;
  if (status != FR_OK)
    return status == FR_ERR_LIMIT || status == FR_ERR_NOMEM
               ? fr_error_set(err, status, "%s: %s", fr_source_name(rd->src),
                              status == FR_ERR_LIMIT ? "one block of events exceeds 2 GiB"
                                                     : "out of memory")
               : status;
  if (rd->failed == 1 && block->n_records == 0) {
    rd->failed = 2;
    return fr_error_set(err, FR_ERR_PARSE, "%s", rd->stats.fail_msg);
  }
  *eof = rd->finished && !rd->suspended && !rd->failed;
  return FR_OK;
}

void fr_xes_reader_tail(const fr_xes_reader *rd, const uint8_t **bytes, size_t *len,
                        uint64_t *line, uint64_t *column) {
  *bytes = rd->tail.data;
  *len = rd->tail.len;
  *line = rd->stats.fail_line;
  *column = rd->stats.fail_column;
}

const fr_xes_stats *fr_xes_reader_stats(const fr_xes_reader *rd) { return &rd->stats; }

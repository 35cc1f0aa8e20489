/* fr_ocds_reader.c - OCDS compiled releases (JSON lines) to the CSV rows of the
 * five OCDS tables (fr_ocds_reader.h has the columns).
 *
 * Lines are cut from fr_source's decompressed stream in a growing buffer (at
 * most the longest line, capped); each line is parsed with json-c in strict mode
 * and must be consumed whole.  Rows are CSV with every present string quoted and
 * NULL as an empty unquoted field, so '' and NULL stay apart.  Workload: 10^6
 * processes of a few KiB; memory is one line and its rows.
 */
#include <json.h>
#include <stdio.h>
#include <string.h>

#include "fr_alloc.h"
#include "fr_ocds_reader.h"
#include "fr_writer.h"

static const char *const fr_ocds_suffixes[FR_OCDS_N_TABLES] = {"processes", "parties", "bids", "awards", "items"};

static const char *const fr_ocds_schemas[FR_OCDS_N_TABLES] = {
    ("line int64\nocid string\nbuyer_id string\nbuyer_name string\nprocuring_entity_id string\n"
    "procurement_method string\nprocurement_method_details string\ntender_status string\n"
    "number_of_tenderers int64\ntender_period_start string\ntender_period_end string\n"
    "award_criteria string\nrelease string\n"),
    "ocid string\nparty_index int64\nid string\nname string\nroles string\n",
    ("ocid string\nbid_index int64\nbid_id string\nstatus string\namount float64\ncurrency string\n"
    "date string\ntenderer_index int64\ntenderer_id string\nn_tenderers int64\n"),
    ("ocid string\naward_index int64\naward_id string\nstatus string\ndate string\namount float64\n"
    "currency string\nsupplier_index int64\nsupplier_id string\nn_suppliers int64\n"),
    ("ocid string\naward_index int64\nitem_index int64\nitem_id string\nclassification_scheme string\n"
    "classification_id string\nquantity float64\n"),
};

static const char *const fr_ocds_headers[FR_OCDS_N_TABLES] = {
    ("line,ocid,buyer_id,buyer_name,procuring_entity_id,procurement_method,procurement_method_details,"
    "tender_status,number_of_tenderers,tender_period_start,tender_period_end,award_criteria,release\n"),
    "ocid,party_index,id,name,roles\n",
    "ocid,bid_index,bid_id,status,amount,currency,date,tenderer_index,tenderer_id,n_tenderers\n",
    "ocid,award_index,award_id,status,date,amount,currency,supplier_index,supplier_id,n_suppliers\n",
    "ocid,award_index,item_index,item_id,classification_scheme,classification_id,quantity\n",
};

const char *fr_ocds_table_suffix(fr_ocds_table t) { return fr_ocds_suffixes[t]; }
const char *fr_ocds_table_schema(fr_ocds_table t) { return fr_ocds_schemas[t]; }
const char *fr_ocds_table_header(fr_ocds_table t) { return fr_ocds_headers[t]; }

/* ---- CSV fields ------------------------------------------------------------------ */

static void fr_csv_text(fr_buf *b, const char *s, size_t len) { fr_write_csv_field(b, s, len, 1); }

static void fr_csv_sep(fr_buf *b, int last) { fr_buf_put_u8(b, last ? '\n' : ','); }

/* A string field: a JSON string as is, a number or boolean as its text, else NULL. */
static void fr_csv_str(fr_buf *b, json_object *v, int last) {
  switch (json_object_get_type(v)) {
  case json_type_string: fr_csv_text(b, json_object_get_string(v), (size_t)json_object_get_string_len(v)); break;
  case json_type_int:
  case json_type_double:
  case json_type_boolean: {
    const char *s = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
    fr_csv_text(b, s, strlen(s));
    break;
  }
  default: break;
  }
  fr_csv_sep(b, last);
}

static void fr_csv_i64(fr_buf *b, int64_t v, int last) {
  char t[32];
  int n = snprintf(t, sizeof t, "%lld", (long long)v);
  fr_buf_put(b, t, (size_t)n);
  fr_csv_sep(b, last);
}

/* A JSON integer as int64, else NULL. */
static void fr_csv_json_i64(fr_buf *b, json_object *v, int last) {
  if (json_object_is_type(v, json_type_int)) {
    char t[32];
    int n = snprintf(t, sizeof t, "%lld", (long long)json_object_get_int64(v));
    fr_buf_put(b, t, (size_t)n);
  }
  fr_csv_sep(b, last);
}

/* A JSON number as float64 (round-trip text), else NULL. */
static void fr_csv_f64(fr_buf *b, json_object *v, int last) {
  if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)) {
    char t[40];
    int n = snprintf(t, sizeof t, "%.17g", json_object_get_double(v));
    fr_buf_put(b, t, (size_t)n);
  }
  fr_csv_sep(b, last);
}

static json_object *fr_get(json_object *o, const char *key) {
  json_object *v = NULL;
  if (json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, key, &v))
    return v;
  return NULL;
}

static json_object *fr_get2(json_object *o, const char *k1, const char *k2) { return fr_get(fr_get(o, k1), k2); }

static size_t fr_arr_len(json_object *a) {
  return json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

/* ---- one line ------------------------------------------------------------------------- */

static void fr_rows_of(fr_buf rows[FR_OCDS_N_TABLES], json_object *rel, json_object *ocid, const char *line,
                       size_t len, uint64_t line_no) {
  json_object *tender = fr_get(rel, "tender");
  fr_buf *p = &rows[FR_OCDS_PROCESSES];
  fr_csv_i64(p, (int64_t)line_no, 0);
  fr_csv_str(p, ocid, 0);
  fr_csv_str(p, fr_get2(rel, "buyer", "id"), 0);
  fr_csv_str(p, fr_get2(rel, "buyer", "name"), 0);
  fr_csv_str(p, fr_get2(tender, "procuringEntity", "id"), 0);
  fr_csv_str(p, fr_get(tender, "procurementMethod"), 0);
  fr_csv_str(p, fr_get(tender, "procurementMethodDetails"), 0);
  fr_csv_str(p, fr_get(tender, "status"), 0);
  fr_csv_json_i64(p, fr_get(tender, "numberOfTenderers"), 0);
  fr_csv_str(p, fr_get2(tender, "tenderPeriod", "startDate"), 0);
  fr_csv_str(p, fr_get2(tender, "tenderPeriod", "endDate"), 0);
  fr_csv_str(p, fr_get(tender, "awardCriteria"), 0);
  fr_csv_text(p, line, len);
  fr_csv_sep(p, 1);

  json_object *parties = fr_get(rel, "parties");
  for (size_t k = 0; k < fr_arr_len(parties); k++) {
    json_object *party = json_object_array_get_idx(parties, k);
    fr_buf *b = &rows[FR_OCDS_PARTIES];
    fr_csv_str(b, ocid, 0);
    fr_csv_i64(b, (int64_t)k, 0);
    fr_csv_str(b, fr_get(party, "id"), 0);
    fr_csv_str(b, fr_get(party, "name"), 0);
    json_object *roles = fr_get(party, "roles");
    if (json_object_is_type(roles, json_type_array)) {
      fr_buf_put_u8(b, '"');
      for (size_t r = 0; r < fr_arr_len(roles); r++) {
        json_object *role = json_object_array_get_idx(roles, r);
        if (!json_object_is_type(role, json_type_string))
          continue;
        if (r > 0) fr_buf_put_u8(b, '|');
        for (const char *s = json_object_get_string(role); *s; s++) {
          if (*s == '"') fr_buf_put_u8(b, '"');
          fr_buf_put_u8(b, (uint8_t)*s);
        }
      }
      fr_buf_put_u8(b, '"');
    }
    fr_csv_sep(b, 1);
  }

  json_object *details = fr_get2(rel, "bids", "details");
  for (size_t k = 0; k < fr_arr_len(details); k++) {
    json_object *bid = json_object_array_get_idx(details, k);
    json_object *tenderers = fr_get(bid, "tenderers");
    size_t nt = fr_arr_len(tenderers);
    for (size_t t = 0; t < (nt ? nt : 1); t++) {
      fr_buf *b = &rows[FR_OCDS_BIDS];
      fr_csv_str(b, ocid, 0);
      fr_csv_i64(b, (int64_t)k, 0);
      fr_csv_str(b, fr_get(bid, "id"), 0);
      fr_csv_str(b, fr_get(bid, "status"), 0);
      fr_csv_f64(b, fr_get2(bid, "value", "amount"), 0);
      fr_csv_str(b, fr_get2(bid, "value", "currency"), 0);
      fr_csv_str(b, fr_get(bid, "date"), 0);
      if (nt) {
        fr_csv_i64(b, (int64_t)t, 0);
        fr_csv_str(b, fr_get(json_object_array_get_idx(tenderers, t), "id"), 0);
      } else {
        fr_csv_sep(b, 0);
        fr_csv_sep(b, 0);
      }
      fr_csv_i64(b, (int64_t)nt, 1);
    }
  }

  json_object *awards = fr_get(rel, "awards");
  for (size_t k = 0; k < fr_arr_len(awards); k++) {
    json_object *award = json_object_array_get_idx(awards, k);
    json_object *suppliers = fr_get(award, "suppliers");
    size_t ns = fr_arr_len(suppliers);
    for (size_t s = 0; s < (ns ? ns : 1); s++) {
      fr_buf *b = &rows[FR_OCDS_AWARDS];
      fr_csv_str(b, ocid, 0);
      fr_csv_i64(b, (int64_t)k, 0);
      fr_csv_str(b, fr_get(award, "id"), 0);
      fr_csv_str(b, fr_get(award, "status"), 0);
      fr_csv_str(b, fr_get(award, "date"), 0);
      fr_csv_f64(b, fr_get2(award, "value", "amount"), 0);
      fr_csv_str(b, fr_get2(award, "value", "currency"), 0);
      if (ns) {
        fr_csv_i64(b, (int64_t)s, 0);
        fr_csv_str(b, fr_get(json_object_array_get_idx(suppliers, s), "id"), 0);
      } else {
        fr_csv_sep(b, 0);
        fr_csv_sep(b, 0);
      }
      fr_csv_i64(b, (int64_t)ns, 1);
    }
    json_object *items = fr_get(award, "items");
    for (size_t i = 0; i < fr_arr_len(items); i++) {
      json_object *item = json_object_array_get_idx(items, i);
      fr_buf *b = &rows[FR_OCDS_ITEMS];
      fr_csv_str(b, ocid, 0);
      fr_csv_i64(b, (int64_t)k, 0);
      fr_csv_i64(b, (int64_t)i, 0);
      fr_csv_str(b, fr_get(item, "id"), 0);
      fr_csv_str(b, fr_get2(item, "classification", "scheme"), 0);
      fr_csv_str(b, fr_get2(item, "classification", "id"), 0);
      fr_csv_f64(b, fr_get(item, "quantity"), 1);
    }
  }
}

int fr_ocds_convert_line(fr_buf rows[FR_OCDS_N_TABLES], const char *line, size_t len, uint64_t line_no, char *msg,
                         size_t msg_cap) {
  while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t')) len--;
  size_t start = 0;
  while (start < len && (line[start] == ' ' || line[start] == '\t' || line[start] == '\r')) start++;
  if (start == len)
    return 0;
  if (len > (size_t)INT32_MAX) {
    snprintf(msg, msg_cap, "line %llu is too long", (unsigned long long)line_no);
    return -1;
  }
  if (memchr(line, '\0', len) != NULL) {
    snprintf(msg, msg_cap, "line %llu is invalid JSON (a NUL byte)", (unsigned long long)line_no);
    return -1;
  }
  json_tokener *tok = json_tokener_new_ex(JSON_TOKENER_DEFAULT_DEPTH);
  if (tok == NULL)
    return -2;
  json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
  json_object *rel = json_tokener_parse_ex(tok, line + start, (int)(len - start));
  enum json_tokener_error jerr = json_tokener_get_error(tok);
  size_t used = json_tokener_get_parse_end(tok);
  json_tokener_free(tok);
  int rc = 1;
  if (rel == NULL || jerr != json_tokener_success || used != len - start) {
    snprintf(msg, msg_cap, "line %llu is invalid JSON (%s at byte %zu)", (unsigned long long)line_no,
             jerr == json_tokener_success ? "trailing characters" : json_tokener_error_desc(jerr),
             start + used + 1);
    rc = -1;
  } else if (!json_object_is_type(rel, json_type_object)) {
    snprintf(msg, msg_cap, "line %llu is not a JSON object", (unsigned long long)line_no);
    rc = -1;
  } else if (!json_object_is_type(fr_get(rel, "ocid"), json_type_string)) {
    snprintf(msg, msg_cap, "line %llu has no string \"ocid\"", (unsigned long long)line_no);
    rc = -1;
  } else {
    fr_rows_of(rows, rel, fr_get(rel, "ocid"), line + start, len - start, line_no);
    for (int t = 0; t < FR_OCDS_N_TABLES; t++)
      if (rows[t].failed) rc = -2;
  }
  json_object_put(rel);
  return rc;
}

/* ---- the stream -------------------------------------------------------------------- */

struct fr_ocds_reader {
  fr_source *src;
  size_t max_line;
  char *buf;         /* buffered bytes [pos, len) */
  size_t pos, len, cap;
  int eof;
  int skipping;      /* inside an over-long line: drop bytes up to its newline */
  uint64_t line_no;  /* lines consumed */
  uint64_t bytes;
};

fr_status fr_ocds_reader_create(fr_ocds_reader **out, fr_source *src, size_t max_line_bytes, fr_error *err) {
  *out = NULL;
  fr_ocds_reader *r = fr_calloc(1, sizeof *r);
  FR_FAIL_IF(r == NULL, FR_ERR_NOMEM, err, "out of memory");
  r->src = src;
  r->max_line = max_line_bytes ? max_line_bytes : ((size_t)64 << 20);
  r->cap = 1 << 16;
  r->buf = fr_malloc(r->cap);
  if (r->buf == NULL) {
    fr_free(r);
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  *out = r;
  return FR_OK;
}

void fr_ocds_reader_destroy(fr_ocds_reader *r) {
  if (r == NULL)
    return;
  fr_free(r->buf);
  fr_free(r);
}

uint64_t fr_ocds_reader_bytes(const fr_ocds_reader *r) { return r->bytes; }

/* Reads more bytes, compacting or growing the buffer (up to max_line + 1). */
static fr_status fr_ocds_fill(fr_ocds_reader *r, fr_error *err) {
  if (r->pos > 0) {
    memmove(r->buf, r->buf + r->pos, r->len - r->pos);
    r->len -= r->pos;
    r->pos = 0;
  }
  if (r->len == r->cap) {
    size_t cap = r->cap * 2;
    char *b = fr_realloc(r->buf, cap);
    FR_FAIL_IF(b == NULL, FR_ERR_NOMEM, err, "out of memory reading a line of %zu bytes", r->len);
    r->buf = b;
    r->cap = cap;
  }
  size_t n = 0;
  FR_TRY(fr_source_read(r->src, r->buf + r->len, r->cap - r->len, &n, err));
  if (n == 0) r->eof = 1;
  r->len += n;
  r->bytes += n;
  return FR_OK;
}

fr_status fr_ocds_reader_next(fr_ocds_reader *r, fr_buf rows[FR_OCDS_N_TABLES], fr_ocds_line *out_kind,
                              uint64_t *line_no, char *msg, size_t msg_cap, fr_error *err) {
  for (;;) {
    char *nl = memchr(r->buf + r->pos, '\n', r->len - r->pos);
    size_t line_len = nl != NULL ? (size_t)(nl - (r->buf + r->pos)) : r->len - r->pos;
    if (nl == NULL && !r->eof) {
      if (line_len > r->max_line) {
        /* an over-long line: report it once, then drop its bytes up to the newline */
        if (!r->skipping) {
          r->skipping = 1;
          *line_no = r->line_no + 1;
          snprintf(msg, msg_cap, "line %llu is longer than %zu bytes", (unsigned long long)*line_no, r->max_line);
          r->pos = r->len;
          *out_kind = FR_OCDS_LINE_INVALID;
          return FR_OK;
        }
        r->pos = r->len;
      }
      FR_TRY(fr_ocds_fill(r, err));
      continue;
    }
    if (nl == NULL && line_len == 0 && r->eof) {
      *out_kind = FR_OCDS_LINE_EOF;
      return FR_OK;
    }
    const char *line = r->buf + r->pos;
    r->pos += line_len + (nl != NULL);
    r->line_no++;
    if (r->skipping) {
      r->skipping = 0;
      continue;
    }
    *line_no = r->line_no;
    if (line_len > r->max_line) {
      snprintf(msg, msg_cap, "line %llu is longer than %zu bytes", (unsigned long long)r->line_no, r->max_line);
      *out_kind = FR_OCDS_LINE_INVALID;
      return FR_OK;
    }
    int rc = fr_ocds_convert_line(rows, line, line_len, r->line_no, msg, msg_cap);
    if (rc == -2)
      return fr_error_set(err, FR_ERR_NOMEM, "out of memory converting line %llu", (unsigned long long)r->line_no);
    if (rc == 0)
      continue;
    *out_kind = rc > 0 ? FR_OCDS_LINE_OK : FR_OCDS_LINE_INVALID;
    return FR_OK;
  }
}

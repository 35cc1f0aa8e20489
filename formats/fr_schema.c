/* fr_schema.c - canonical schema, schema files and inference (see fr_schema.h). */
#include "fr_schema.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fr_alloc.h"
#include "fr_hash.h"

void fr_schema_init(fr_schema *schema) { memset(schema, 0, sizeof *schema); }

void fr_schema_free(fr_schema *schema) {
  fr_free(schema->columns);
  fr_free(schema->slots);
  fr_schema_init(schema);
}

static uint32_t fr_name_hash(const char *name, size_t len) {
  return (uint32_t)fr_hash64(name, len, 0x5c4e);
}

int fr_schema_find(const fr_schema *schema, const char *name, size_t name_len) {
  if (schema->n_slots == 0)
    return -1;
  uint32_t slot = fr_name_hash(name, name_len) & (schema->n_slots - 1);
  for (;;) {
    uint32_t entry = schema->slots[slot];
    if (entry == 0)
      return -1;
    const char *other = schema->columns[entry - 1].name;
    if (strlen(other) == name_len && memcmp(other, name, name_len) == 0)
      return (int)(entry - 1);
    slot = (slot + 1) & (schema->n_slots - 1);
  }
}

/* Rebuilds the name index with room for `n_columns` names at half load. */
static fr_status fr_schema_reindex(fr_schema *schema, uint32_t n_columns) {
  uint32_t n_slots = 16;
  while (n_slots < 2 * n_columns + 2)
    n_slots *= 2;
  uint32_t *slots = fr_calloc(n_slots, sizeof *slots);
  if (slots == NULL)
    return FR_ERR_NOMEM;
  for (uint32_t idx = 0; idx < schema->n_columns; idx++) {
    const char *name = schema->columns[idx].name;
    uint32_t slot = fr_name_hash(name, strlen(name)) & (n_slots - 1);
    while (slots[slot] != 0)
      slot = (slot + 1) & (n_slots - 1);
    slots[slot] = idx + 1;
  }
  fr_free(schema->slots);
  schema->slots = slots;
  schema->n_slots = n_slots;
  return FR_OK;
}

fr_status fr_schema_add(fr_schema *schema, const char *name, size_t name_len, fr_type type,
                        fr_error *err) {
  FR_FAIL_IF(name_len == 0, FR_ERR_INVALID, err, "column %u has an empty name",
             schema->n_columns + 1);
  FR_FAIL_IF(name_len >= FR_NAME_CAP, FR_ERR_INVALID, err,
             "column %u: name longer than %d bytes", schema->n_columns + 1, FR_NAME_CAP - 1);
  FR_FAIL_IF(memchr(name, 0, name_len) != NULL, FR_ERR_INVALID, err,
             "column %u: name contains a NUL byte", schema->n_columns + 1);
  FR_FAIL_IF(fr_schema_find(schema, name, name_len) >= 0, FR_ERR_INVALID, err,
             "duplicate column name \"%.*s\"", (int)name_len, name);
  if (schema->n_columns == schema->cap_columns) {
    uint32_t cap = schema->cap_columns ? schema->cap_columns * 2 : 16;
    fr_schema_column *grown = fr_realloc(schema->columns, cap * sizeof *schema->columns);
    FR_FAIL_IF(grown == NULL, FR_ERR_NOMEM, err, "out of memory building a schema");
    schema->columns = grown;
    schema->cap_columns = cap;
  }
  fr_schema_column *col = &schema->columns[schema->n_columns];
  memcpy(col->name, name, name_len);
  col->name[name_len] = '\0';
  col->type = type;
  schema->n_columns++;
  if (2 * schema->n_columns + 2 > schema->n_slots) {
    FR_FAIL_IF(fr_schema_reindex(schema, schema->n_columns * 2) != FR_OK, FR_ERR_NOMEM, err,
               "out of memory building a schema");
  } else {
    uint32_t slot = fr_name_hash(name, name_len) & (schema->n_slots - 1);
    while (schema->slots[slot] != 0)
      slot = (slot + 1) & (schema->n_slots - 1);
    schema->slots[slot] = schema->n_columns;
  }
  return FR_OK;
}

fr_status fr_schema_copy(fr_schema *out, const fr_schema *src) {
  fr_schema_init(out);
  if (src->n_columns == 0)
    return FR_OK;
  out->columns = fr_malloc(src->n_columns * sizeof *out->columns);
  if (out->columns == NULL)
    return FR_ERR_NOMEM;
  memcpy(out->columns, src->columns, src->n_columns * sizeof *out->columns);
  out->n_columns = out->cap_columns = src->n_columns;
  if (fr_schema_reindex(out, out->n_columns) != FR_OK) {
    fr_schema_free(out);
    return FR_ERR_NOMEM;
  }
  return FR_OK;
}

/* DESIGN.md "Canonical audit schema": columns not listed with a type are strings. */
static const struct {
  const char *table;
  const char *columns; /* space separated name:type, type letters below */
} fr_canonical[] = {
    {"payments", "txn_id:s ts:t org:s payer:s payee:s amount:m currency:s budget_code:s "
                 "requester:s approver:s invoice_no:s contract_id:s case_id:s memo:s"},
    {"approvals", "case_id:s ts:t activity:s actor:s org:s service:s applicant:s amount:m"},
    {"posts", "org:s post:s official:s start_date:d end_date:d"},
    {"entities", "id:s kind:s name:s registered:d deceased:d address:s phone:s "
                 "bank_account:s id_no:s"},
    {"relations", "a:s b:s kind:s since:d until:d"},
    {"tenders", "tender_id:s org:s category:s method:s reserve_price:m published:t awarded:t"},
    {"bids", "tender_id:s bidder:s amount:m ts:t won:b"},
    {"subsidies", "payout_id:s ts:t program:s org:s village:s beneficiary:s amount:m"},
};

int fr_schema_is_canonical_table(const char *table) {
  for (size_t idx = 0; idx < sizeof fr_canonical / sizeof fr_canonical[0]; idx++)
    if (strcmp(fr_canonical[idx].table, table) == 0)
      return 1;
  return 0;
}

int fr_schema_canonical_type(const char *table, const char *column, fr_type *out) {
  size_t column_len = strlen(column);
  for (size_t idx = 0; idx < sizeof fr_canonical / sizeof fr_canonical[0]; idx++) {
    if (strcmp(fr_canonical[idx].table, table) != 0)
      continue;
    const char *p = fr_canonical[idx].columns;
    while (*p) {
      const char *colon = strchr(p, ':');
      if ((size_t)(colon - p) == column_len && memcmp(p, column, column_len) == 0) {
        switch (colon[1]) {
        case 't': *out = FR_TYPE_TIMESTAMP; break;
        case 'm': *out = FR_TYPE_DECIMAL; break;
        case 'd': *out = FR_TYPE_DATE; break;
        case 'b': *out = FR_TYPE_BOOL; break;
        default: *out = FR_TYPE_STRING; break;
        }
        return 1;
      }
      p = colon + 2;
      while (*p == ' ')
        p++;
    }
    return 0;
  }
  return 0;
}

fr_status fr_schema_read_file(fr_schema *out, const char *path, fr_error *err) {
  fr_schema_init(out);
  FILE *file = fopen(path, "r");
  FR_FAIL_IF(file == NULL, FR_ERR_IO, err, "cannot open schema file %s: %s", path,
             strerror(errno));
  char line[1024];
  unsigned line_no = 0;
  fr_status status = FR_OK;
  while (fgets(line, sizeof line, file) != NULL) {
    line_no++;
    size_t len = strcspn(line, "\r\n");
    line[len] = '\0';
    char *p = line;
    while (*p == ' ' || *p == '\t')
      p++;
    if (*p == '\0' || *p == '#')
      continue;
    char *name_end = p;
    while (*name_end && *name_end != ' ' && *name_end != '\t')
      name_end++;
    char *type = name_end;
    while (*type == ' ' || *type == '\t')
      type++;
    char *type_end = type + strlen(type);
    while (type_end > type && (type_end[-1] == ' ' || type_end[-1] == '\t'))
      type_end--;
    fr_type parsed;
    if (type == type_end || fr_type_parse_name(&parsed, type, (size_t)(type_end - type)) != 0) {
      status = fr_error_set(err, FR_ERR_PARSE,
                            "%s:%u: expected `name type` with type one of string, int64, "
                            "float64, decimal(18,2), timestamp, date, bool; got \"%s\"",
                            path, line_no, p);
      break;
    }
    status = fr_schema_add(out, p, (size_t)(name_end - p), parsed, err);
    if (status != FR_OK) {
      fr_error_prefix(err, "%s:%u: ", path, line_no);
      break;
    }
  }
  fclose(file);
  if (status == FR_OK && out->n_columns == 0)
    status = fr_error_set(err, FR_ERR_PARSE, "%s: the schema file names no columns", path);
  if (status != FR_OK)
    fr_schema_free(out);
  return status;
}

enum {
  FR_MASK_BOOL = 1, FR_MASK_INT = 2, FR_MASK_DECIMAL = 4, FR_MASK_FLOAT = 8,
  FR_MASK_DATE = 16, FR_MASK_TIMESTAMP = 32, FR_MASK_ALL = 63,
};

uint32_t fr_schema_type_mask(const char *text, size_t len) {
  uint32_t mask = 0;
  int64_t i64;
  double f64;
  if (len >= 1 && (text[0] == 't' || text[0] == 'f' || text[0] == 'T' || text[0] == 'F') &&
      fr_parse_bool(&i64, text, len) == NULL && len >= 4)
    mask |= FR_MASK_BOOL;
  if (fr_parse_int64(&i64, text, len) == NULL)
    mask |= FR_MASK_INT;
  if (fr_parse_decimal(&i64, text, len) == NULL)
    mask |= FR_MASK_DECIMAL;
  if (fr_parse_float64(&f64, text, len) == NULL)
    mask |= FR_MASK_FLOAT;
  if (fr_parse_date(&i64, text, len) == NULL)
    mask |= FR_MASK_DATE;
  if (fr_parse_timestamp(&i64, text, len) == NULL)
    mask |= FR_MASK_TIMESTAMP;
  /* Leading zeros ("007") are identifiers, not numbers: keep them text. */
  if (len > 1 && text[0] == '0' && text[1] >= '0' && text[1] <= '9')
    mask &= ~(uint32_t)(FR_MASK_INT | FR_MASK_DECIMAL | FR_MASK_FLOAT);
  return mask;
}

fr_type fr_schema_type_from_mask(uint32_t mask) {
  if (mask & FR_MASK_BOOL) return FR_TYPE_BOOL;
  if (mask & FR_MASK_INT) return FR_TYPE_INT64;
  if (mask & FR_MASK_DECIMAL) return FR_TYPE_DECIMAL;
  if (mask & FR_MASK_FLOAT) return FR_TYPE_FLOAT64;
  if (mask & FR_MASK_DATE) return FR_TYPE_DATE;
  if (mask & FR_MASK_TIMESTAMP) return FR_TYPE_TIMESTAMP;
  return FR_TYPE_STRING;
}

fr_type fr_schema_infer_csv(const fr_record_block *block, uint32_t first_rec, uint32_t field_idx,
                            uint32_t n_fields) {
  uint32_t mask = FR_MASK_ALL;
  uint32_t seen = 0;
  for (uint32_t rec = first_rec; rec < block->n_records && mask != 0; rec++) {
    if (block->rec_error[rec] != NULL || block->rec_field[rec + 1] - block->rec_field[rec] != n_fields)
      continue;
    uint32_t field = block->rec_field[rec] + field_idx;
    if (block->field_len[field] == 0)
      continue;
    if (block->field_flags[field] & FR_FIELD_ESCAPED)
      return FR_TYPE_STRING;
    mask &= fr_schema_type_mask((const char *)block->bytes + block->field_start[field],
                                block->field_len[field]);
    seen++;
  }
  return seen == 0 ? FR_TYPE_STRING : fr_schema_type_from_mask(mask);
}

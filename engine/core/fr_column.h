/* fr_column.h - one column of values for a run of rows: the unit that ingest
 * builds, codecs encode and decode, and scans and writers consume.
 *
 * Layout is columnar and branch-light: int-like types in `i64`, float64 in `f64`,
 * strings as `str_offsets[n_rows + 1]` into `str_bytes`.  Validity is a bitmap
 * (bit set = value present) that is NULL when no row is NULL; a NULL row holds 0
 * (or an empty string) in the value arrays so kernels can run without branches.
 * A column owns its buffers; fr_column_reset keeps capacity for the next batch.
 */
#ifndef FR_COLUMN_H
#define FR_COLUMN_H

#include <stdint.h>

#include "fr_status.h"
#include "fr_types.h"

typedef struct fr_column {
  fr_type type;
  uint32_t n_rows;        /* rows held */
  uint32_t cap_rows;      /* rows allocated in the value arrays */
  uint32_t null_count;    /* rows whose validity bit is clear */
  uint8_t *validity;      /* ceil(cap_rows/8) bytes or NULL (= all valid) */
  int64_t *i64;           /* int-like types */
  double *f64;            /* FR_TYPE_FLOAT64 */
  uint32_t *str_offsets;  /* FR_TYPE_STRING: cap_rows + 1 offsets into str_bytes */
  char *str_bytes;        /* FR_TYPE_STRING: concatenated UTF-8 values */
  size_t str_len;         /* bytes used in str_bytes */
  size_t str_cap;         /* bytes allocated in str_bytes */
  /* Late dictionary decoding: a reader that sets want_dict gets a
   * dictionary-encoded string chunk as codes plus the dictionary (has_dict set;
   * str_offsets / str_bytes are then not filled), so it can work on codes and
   * decode strings only where it must. */
  int want_dict;
  int has_dict;
  uint32_t n_dict;
  uint32_t *dict_codes;   /* n_rows codes, each < n_dict */
  uint32_t *dict_offsets; /* n_dict + 1 offsets into dict_bytes */
  char *dict_bytes;
  uint32_t dict_codes_cap, dict_offsets_cap;
  size_t dict_bytes_cap;
} fr_column;

/* Prepares empty storage for `type`; owns nothing yet. */
void fr_column_init(fr_column *col, fr_type type);
/* Releases every buffer; the column may be re-initialised afterwards. */
void fr_column_free(fr_column *col);
/* Drops the rows but keeps the buffers; the type may change. */
void fr_column_reset(fr_column *col, fr_type type);
/* Makes room for `n_rows` rows (and, for strings, `str_bytes` bytes in total).
 * Returns FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_column_reserve(fr_column *col, uint32_t n_rows, size_t str_bytes);
/* Allocates a validity bitmap for the reserved rows, all bits set. */
FR_MUST_USE fr_status fr_column_ensure_validity(fr_column *col);

static inline int fr_column_is_valid(const fr_column *col, uint32_t row_idx) {
  return col->validity == NULL || ((col->validity[row_idx >> 3] >> (row_idx & 7)) & 1);
}
static inline void fr_column_set_null_bit(fr_column *col, uint32_t row_idx) {
  col->validity[row_idx >> 3] &= (uint8_t) ~(1u << (row_idx & 7));
}
/* Borrowed pointer to row `row_idx`'s string and its length. */
static inline const char *fr_column_str(const fr_column *col, uint32_t row_idx, uint32_t *len) {
  *len = col->str_offsets[row_idx + 1] - col->str_offsets[row_idx];
  return col->str_bytes + col->str_offsets[row_idx];
}
/* Appends a string value to a column being built row by row (offsets[0] must
 * be 0).  Returns FR_ERR_NOMEM, or FR_ERR_LIMIT past 4 GiB of string bytes. */
FR_MUST_USE fr_status fr_column_push_str(fr_column *col, const char *s, size_t len);

#endif

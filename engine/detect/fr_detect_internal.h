/* fr_detect_internal.h - what the detector kernels share: parameter values, the
 * string dictionary, the column loader, sorting records and the findings builder.
 * Not part of the public interface (engine/detect/ only).
 */
#ifndef FR_DETECT_INTERNAL_H
#define FR_DETECT_INTERNAL_H

#include <stdint.h>

#include "fr_detect.h"

#define FR_NOID UINT32_MAX   /* string id of NULL */
#define FR_RATIO_SCALE 1000000000LL

__extension__ typedef __int128 fr_dx128;

/* ---- parameters ---------------------------------------------------------- */

typedef struct fr_param_value {
  int64_t i;          /* DECIMAL: cents; INT: value; RATIO: value x 1e9 */
  double f;           /* REAL (and RATIO as a double, for display) */
  char *text;         /* the text it was set from (owned) */
  int64_t *dates;     /* DATES: days, ascending (owned) */
  char **words;       /* WORDS (owned) */
  uint32_t n_items;   /* DATES / WORDS entries */
  int set;            /* 1 when given by the user */
} fr_param_value;

struct fr_detect_params {
  const fr_detector_info *d;
  fr_param_value *v;  /* d->n_params */
};

/* Value of the parameter called `name` (an invariant: it exists). */
const fr_param_value *fr_dp(const fr_detect_params *p, const char *name);
static inline int64_t fr_dp_i(const fr_detect_params *p, const char *name) { return fr_dp(p, name)->i; }
static inline double fr_dp_f(const fr_detect_params *p, const char *name) { return fr_dp(p, name)->f; }
static inline const char *fr_dp_s(const fr_detect_params *p, const char *name) { return fr_dp(p, name)->text; }

/* ---- string dictionary ----------------------------------------------------- */

/* Interns byte strings to dense ids 0.. in first-seen order; every string is kept
 * NUL-terminated so fr_sdict_str is a C string. */
typedef struct fr_sdict {
  char *bytes;
  size_t n_bytes, cap_bytes;
  uint64_t *offs;     /* per id */
  uint32_t *lens;     /* per id */
  uint64_t *hashes;   /* per id */
  uint32_t n, cap;
  uint32_t *slots;    /* id + 1, 0 = empty */
  uint32_t n_slots;   /* power of two */
} fr_sdict;

void fr_sdict_init(fr_sdict *d);
void fr_sdict_free(fr_sdict *d);
/* Interns s[0..len); returns FR_ERR_NOMEM / FR_ERR_LIMIT. */
FR_MUST_USE fr_status fr_sdict_intern(fr_sdict *d, const char *s, size_t len, uint32_t *out_id);
/* Id of s or FR_NOID when absent. */
uint32_t fr_sdict_lookup(const fr_sdict *d, const char *s, size_t len);
static inline const char *fr_sdict_str(const fr_sdict *d, uint32_t id) {
  return id == FR_NOID ? NULL : d->bytes + d->offs[id];
}

/* ---- column loader --------------------------------------------------------- */

typedef enum fr_lc_kind {
  FR_LC_KEY = 1,      /* any type as text, kept per row (evidence keys) */
  FR_LC_SID = 2,      /* any type as text, interned: sid[] */
  FR_LC_INVOICE = 3,  /* text normalised (upper-case A-Z0-9 only), interned; empty -> NULL */
  FR_LC_TS = 4,       /* timestamp (or date, at midnight): i64[] microseconds */
  FR_LC_DATE = 5,     /* date (or timestamp's calendar date): i64[] days */
  FR_LC_AMOUNT = 6,   /* decimal(18,2) (or int64 units): i64[] cents */
  /* any type as text, numbered within this column only (not in the shared
   * dictionary): sid[] = group id, dense from 0, equal texts <=> equal ids,
   * FR_NOID = NULL; the texts in grp_bytes at grp_off[id].  Ids are assigned
   * in parallel over hash partitions (cache-sized tables), so a column of
   * millions of distinct keys (case ids) costs no serial interning; the
   * numbering depends on the texts and their row order only, not on the
   * thread count (it is not first-seen order).  No predicates. */
  FR_LC_GROUP = 7,
} fr_lc_kind;

typedef struct fr_lcol {
  const char *param;  /* the parameter naming the column, e.g. "payee" */
  fr_lc_kind kind;
  int optional;       /* a missing default column is left absent, not an error */
  int lazy;           /* KEY: texts, TS: values read only for the rows passed to
                       * fr_lkey_fetch (a lazy TS reads as NULL until then) */
  /* AMOUNT: when has_range, the caller needs only rows whose amount lies in
   * [range_lo, range_hi]: the loaded table keeps only those rows (in input
   * order; row groups whose zone map lies outside are not read at all), so
   * its n_rows counts the kept rows and row numbers index them */
  int has_range;
  int64_t range_lo, range_hi;
  /* SID: when member_of is set, the caller needs only rows whose text is in that
   * dictionary (an earlier load's; read-only here): a semi-join, same row
   * selection as a range */
  const fr_sdict *member_of;
  /* TS: when keep_ts is set, the caller needs only rows whose timestamp
   * (microseconds) it accepts: a pure function of (ts, keep_ctx), called from
   * several threads; same row selection as a range */
  int (*keep_ts)(int64_t ts_us, const void *keep_ctx);
  const void *keep_ctx;
  /* the predicate (range or member_of) is OR-ed with the other OR-ed ones: a row
   * is kept when it passes every plain predicate and, if there are OR-ed ones, at
   * least one of them (an OR-ed range does not skip row groups by zone map) */
  int select_or;
  /* SID: when same_as > 0, the caller needs only rows whose text equals the text
   * of column same_as - 1 of the same request (both non-NULL; that column is
   * decoded for the test, whatever else it asks): a row-wise equality, same row
   * selection as a range; not combined with member_of on the same column */
  uint32_t same_as;
  /* TS: when want_max is set, the loader also sets has_max / max_ts to the
   * latest timestamp of the whole table (every row, kept or not) and min_ts to
   * the earliest, read from the row groups' zone maps (has_max = 0: every value
   * NULL, or no row) */
  int want_max;
  /* filled by the loader */
  int has_max;
  int64_t max_ts, min_ts;
  size_t key_len, key_cap; /* KEY: bytes used / allocated in key_bytes */
  int present;
  int64_t *i64;       /* TS, DATE, AMOUNT */
  uint32_t *sid;      /* SID, INVOICE, GROUP (FR_NOID = NULL) */
  uint32_t n_groups;  /* GROUP: distinct texts */
  uint64_t *grp_off;  /* GROUP: n_groups + 1 offsets into grp_bytes; [n_groups] is an empty text */
  char *grp_bytes;    /* GROUP: NUL-terminated texts */
  uint8_t *valid;     /* TS, DATE, AMOUNT: 1 = value present */
  uint64_t *key_off;  /* KEY: n_rows + 1 offsets into key_bytes */
  char *key_bytes;    /* KEY: NUL-terminated texts */
} fr_lcol;

/* Initialiser of a column request. */
#define LC(param_, kind_, optional_) {.param = (param_), .kind = (kind_), .optional = (optional_)}

typedef struct fr_lsrc fr_lsrc; /* where lazy key texts are read from */

typedef struct fr_ltable {
  char name[FR_NAME_CAP];
  uint64_t n_rows;
  fr_lcol *cols;
  uint32_t n_cols;
  fr_lsrc *src;       /* set when a column is lazy */
  /* the row groups read, kept when a predicate selected rows (else NULL: a
   * loaded row is its stored row): fr_ltable_stored_row */
  struct fr_load_unit *units;
  size_t n_units;
} fr_ltable;

/* Loads the columns `cols` (their names taken from the parameters) of the table
 * named by parameter `table_param` into `t`; string columns are interned into
 * `dict`.  Row order is input order; with an amount range (has_range) only the
 * rows inside it are loaded.  Errors: FR_ERR_NOTFOUND (table or column,
 * named with the parameter to set), FR_ERR_INVALID (wrong type), store errors. */
FR_MUST_USE fr_status fr_ltable_load(fr_ltable *t, const fr_store *store, const fr_detect_params *p,
                                     const char *table_param, fr_lcol *cols, uint32_t n_cols,
                                     fr_sdict *dict, fr_error *err);
void fr_ltable_free(fr_ltable *t);
/* Reads the texts of a lazy KEY column `key` of `t` (or the values of a lazy TS
 * column) for rows[0..n) (any order, duplicates allowed); a no-op for a column
 * that is not lazy.  Rows not fetched read as "" (NULL).  Errors: store errors,
 * FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_lkey_fetch(fr_ltable *t, fr_lcol *key, const uint64_t *rows, size_t n, fr_error *err);
/* Forgets every text fetched so far for the lazy key column `key`: rows
 * [first, first + n) must include every row fetched since the last reset; they
 * read as "" again and the next fetch reuses the memory (a streaming reader's
 * batches).  A no-op for a column that is not lazy. */
void fr_lkey_reset(fr_ltable *t, fr_lcol *key, uint64_t first, uint64_t n);
/* The row of the stored table (all its rows, in segment order: what --explain
 * and the nightly scan index) that loaded row `row` of t is. */
uint64_t fr_ltable_stored_row(const fr_ltable *t, uint64_t row);
/* Key text of row (never NULL; a NULL key is ""). */
static inline const char *fr_lkey(const fr_lcol *key, uint64_t row) { return key->key_bytes + key->key_off[row]; }

/* ---- sorting -------------------------------------------------------------- */

/* A sort record: keys compared in order a, b, c, then row. */
typedef struct fr_srec {
  uint64_t a, b, c;
  uint64_t row;
} fr_srec;

/* Order-preserving map of a signed value into an unsigned key. */
static inline uint64_t fr_skey(int64_t v) { return (uint64_t)v ^ (1ULL << 63); }
/* Sorts recs ascending (parallel where it pays).  Errors: FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_srec_sort(fr_srec *recs, size_t n, fr_error *err);
/* qsort comparator of records by (a, b, c, row). */
int fr_srec_cmp(const void *pa, const void *pb);
/* Orders rows[0..n) - table rows in ascending order - by ts[row], stably, so
 * they end in (ts, row) order: nothing moves when they already are (logs are
 * usually ingested in time order), insertion for up to 32, else a sort of
 * (ts, row) records in tmp (caller's, room for n; untouched for n <= 32). */
void fr_rows_sort_by_ts(uint64_t *rows, uint64_t n, const int64_t *ts, fr_srec *tmp);

/* ---- findings builder ------------------------------------------------------ */

typedef struct fr_fbuild {
  fr_findings *f;
  uint32_t cap;
  const fr_lcol *key;   /* evidence key column */
  const fr_lcol *ts;    /* for first/last ts; NULL or absent = none */
  const fr_ltable *table; /* the loaded table the rows index (stored rows: fr_ltable_stored_row) */
  fr_status status;     /* first failure */
  /* lazy keys: findings keep their rows until fr_fbuild_finish fetches the keys */
  fr_ltable *lazy_t;
  fr_lcol *lazy_key;
  fr_lcol *lazy_ts;     /* a lazy ts column: fetched for the evidence rows with the keys */
  uint32_t *n_raw;      /* per finding: rows held in evidence_rows, keys pending */
} fr_fbuild;

/* Creates empty findings for detector d over table `t` with key column `key`. */
FR_MUST_USE fr_status fr_fbuild_init(fr_fbuild *fb, const fr_detect_params *p, const fr_ltable *t,
                                     const fr_lcol *key, const fr_lcol *ts, fr_error *err);
/* Adds a finding whose evidence is the rows `rows` (any order, duplicates allowed;
 * `rows` is reordered).  Takes ownership of summary and details (heap strings from
 * fr_strf, may be NULL on allocation failure: the builder then fails). */
void fr_fbuild_add(fr_fbuild *fb, uint64_t *rows, uint32_t n_rows, double score, const char *subject,
                   const char *org, char *summary, char *details);
/* Sorts the findings (score descending, then id) and hands them out. */
FR_MUST_USE fr_status fr_fbuild_finish(fr_fbuild *fb, fr_findings **out, fr_error *err);

/* Details objects: each call appends "key":value to b (opening the object on the
 * first); fr_jdone closes it and returns a heap copy (NULL on failure), leaving b
 * empty for the next. */
void fr_jstr(fr_buf *b, const char *key, const char *value);
void fr_jraw(fr_buf *b, const char *key, const char *raw);
void fr_jint(fr_buf *b, const char *key, int64_t v);
void fr_jcents(fr_buf *b, const char *key, int64_t cents);
void fr_jreal(fr_buf *b, const char *key, double v);
char *fr_jdone(fr_buf *b);
/* The string all `rows` share in column col, or NULL (absent column, differing or NULL). */
const char *fr_common_sid(const fr_sdict *dict, const fr_lcol *col, const uint64_t *rows, uint32_t n);

/* A kernel's working set: the dictionary, the loaded main table, the builder. */
typedef struct fr_dctx {
  fr_sdict dict;
  fr_ltable t;
  fr_fbuild fb;
  fr_buf json;          /* scratch for details */
  const fr_detect_params *p;
} fr_dctx;

/* Loads `cols` of the main table (parameter "payments") and readies the builder
 * with key column cols[key_idx] (made lazy) and ts column cols[ts_idx] (-1:
 * none; a rule that reads ts only for its findings' first / last time marks it
 * lazy, and the builder fetches it for the evidence rows with their keys). */
FR_MUST_USE fr_status fr_dctx_open(fr_dctx *cx, const fr_store *store, const fr_detect_params *p, fr_lcol *cols,
                                   uint32_t n_cols, int key_idx, int ts_idx, fr_error *err);
/* Finishes (when status is FR_OK) into *out and frees the working set; returns
 * the final status. */
FR_MUST_USE fr_status fr_dctx_close(fr_dctx *cx, fr_status status, fr_findings **out, fr_error *err);

/* Per-row scratch most kernels need: *recs (sort records) and *rows (evidence
 * row lists), n entries each (at least one), owned by the caller (fr_free).
 * Errors: FR_ERR_NOMEM (both left NULL). */
FR_MUST_USE fr_status fr_row_scratch(uint64_t n, fr_srec **recs, uint64_t **rows, fr_error *err);

/* printf into a fresh heap string (NULL on failure). */
char *fr_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Decimal text of cents ("1234.50") into a caller buffer of FR_VALUE_TEXT_CAP + 1. */
const char *fr_cents_text(char *buf, int64_t cents);
/* Shortest round-trip text of a double into a caller buffer of FR_VALUE_TEXT_CAP + 1. */
const char *fr_real_text(char *buf, double v);
/* Floor division of microseconds to days. */
static inline int64_t fr_day_of_ts(int64_t ts_us) {
  return ts_us >= 0 ? ts_us / FR_US_PER_DAY : -((-ts_us + FR_US_PER_DAY - 1) / FR_US_PER_DAY);
}

/* ---- kernels (one per detector) ----------------------------------------------- */

typedef fr_status (*fr_detect_fn)(fr_findings **out, const fr_store *store, const fr_detect_params *p,
                                  fr_error *err);
/* A part of the catalogue: `count` detectors and their kernels. */
typedef struct fr_catalog_section {
  const fr_detector_info *infos;
  const fr_detect_fn *kernels;
  uint32_t count;
} fr_catalog_section;
/* Defined in fr_detect_approval.c (A1-A7) and fr_detect_procure.c (P, W). */
extern const fr_catalog_section fr_catalog_approval;
extern const fr_catalog_section fr_catalog_procurement;

fr_status fr_detect_f1(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);
fr_status fr_detect_f2(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);
fr_status fr_detect_f3(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);
fr_status fr_detect_f4(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);
fr_status fr_detect_f5(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);
fr_status fr_detect_f6(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);
fr_status fr_detect_f7(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);
fr_status fr_detect_f8(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);
fr_status fr_detect_f9(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);
fr_status fr_detect_f10(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);
fr_status fr_detect_f11(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);
fr_status fr_detect_f12(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);

#endif

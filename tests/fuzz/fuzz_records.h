/* fuzz_records.h - reading a fuzz input through fr_csv_reader and checking the
 * record blocks it returns (shared by fuzz_csv_reader and fuzz_jsonl_reader).
 *
 * Properties checked:
 *  - every block is well formed: records in order inside the block's bytes,
 *    fields inside their record, rec_field consistent, line numbers increasing;
 *  - the record stream does not depend on how it is cut into blocks: reading
 *    with tiny target_bytes / max_records gives exactly the records (text,
 *    fields, line, malformation) of reading the whole input in one block;
 *  - the reader always makes progress and terminates.
 */
#ifndef FERRET_FUZZ_RECORDS_H
#define FERRET_FUZZ_RECORDS_H

#include "fuzz_common.h"

#include "fr_csv_reader.h"
#include "fr_records.h"
#include "fr_source.h"

typedef struct fz_rec {
  uint64_t line;
  const char *error;
  uint64_t error_rel; /* error_at - rec_start (may be past the record end) */
  size_t text_off;    /* into fz_stream.text */
  uint32_t text_len;
  size_t field_off; /* into fz_stream.fields */
  uint32_t n_fields;
} fz_rec;

typedef struct fz_field {
  uint32_t rel_start; /* field_start - rec_start */
  uint32_t len;
  uint8_t flags;
} fz_field;

/* The records of a whole input, independent of block boundaries. */
typedef struct fz_stream {
  fz_rec *recs;
  size_t n, cap;
  uint8_t *text;
  size_t text_len, text_cap;
  fz_field *fields;
  size_t n_fields, cap_fields;
} fz_stream;

static void *fz_grow(void *ptr, size_t *cap, size_t need, size_t item) {
  if (need <= *cap)
    return ptr;
  size_t cap2 = *cap ? *cap : 64;
  while (cap2 < need)
    cap2 *= 2;
  void *grown = realloc(ptr, cap2 * item);
  if (grown == NULL)
    abort();
  *cap = cap2;
  return grown;
}

static void fz_stream_free(fz_stream *s) {
  free(s->recs);
  free(s->text);
  free(s->fields);
  memset(s, 0, sizeof *s);
}

/* Structural checks of one block returned by fr_csv_reader_next. */
static void fz_check_block(const fr_record_block *b, uint32_t max_records, int jsonl) {
  FZ_CHECK(b->n_records <= max_records, "block has %u records, max_records %u", b->n_records, max_records);
  if (b->n_records == 0) {
    FZ_CHECK(b->n_fields == 0, "empty block with %u fields", b->n_fields);
    return;
  }
  FZ_CHECK(b->rec_field[0] == 0, "rec_field[0] = %u", b->rec_field[0]);
  FZ_CHECK(b->rec_field[b->n_records] == b->n_fields, "rec_field[n] = %u, n_fields = %u",
           b->rec_field[b->n_records], b->n_fields);
  FZ_CHECK(b->n_bytes <= b->cap_bytes, "n_bytes %zu > cap %zu", b->n_bytes, b->cap_bytes);
  for (uint32_t r = 0; r < b->n_records; r++) {
    FZ_CHECK(b->rec_start[r] <= b->rec_end[r] && b->rec_end[r] <= b->n_bytes,
             "record %u spans [%u, %u) in a block of %zu bytes", r, b->rec_start[r], b->rec_end[r],
             b->n_bytes);
    if (r > 0) {
      FZ_CHECK(b->rec_start[r] >= b->rec_end[r - 1], "record %u starts at %u before record %u ends at %u", r,
               b->rec_start[r], r - 1, b->rec_end[r - 1]);
      FZ_CHECK(b->rec_line[r] > b->rec_line[r - 1], "record %u on line %llu after record on line %llu", r,
               (unsigned long long)b->rec_line[r], (unsigned long long)b->rec_line[r - 1]);
    }
    FZ_CHECK(b->rec_line[r] >= 1, "record %u on line 0", r);
    FZ_CHECK(b->rec_field[r] <= b->rec_field[r + 1], "record %u: rec_field decreases", r);
    if (b->rec_error[r] != NULL)
      FZ_CHECK_TAG("location", b->rec_error_at[r] <= b->n_bytes,
                   "record %u: error_at %u past the block (%zu bytes)", r, b->rec_error_at[r], b->n_bytes);
    if (jsonl) {
      FZ_CHECK(b->rec_field[r + 1] == b->rec_field[r], "JSON line %u has fields", r);
      continue;
    }
    if (b->rec_error[r] == NULL)
      FZ_CHECK(b->rec_field[r + 1] > b->rec_field[r], "well-formed CSV record %u has no field", r);
    for (uint32_t f = b->rec_field[r]; f < b->rec_field[r + 1]; f++) {
      uint64_t end = (uint64_t)b->field_start[f] + b->field_len[f];
      FZ_CHECK(b->field_start[f] >= b->rec_start[r] && end <= b->rec_end[r],
               "record %u [%u, %u): field %u spans [%u, %llu)", r, b->rec_start[r], b->rec_end[r], f,
               b->field_start[f], (unsigned long long)end);
      uint8_t flags = b->field_flags[f];
      FZ_CHECK((flags & ~3u) == 0 && (!(flags & FR_FIELD_ESCAPED) || (flags & FR_FIELD_QUOTED)),
               "field %u has flags %u", f, flags);
      if (f > b->rec_field[r])
        FZ_CHECK(b->field_start[f] >= b->field_start[f - 1] + b->field_len[f - 1],
                 "field %u overlaps the previous field", f);
    }
  }
}

/* Appends the records of `b` to `s` (positions made relative to each record). */
static void fz_stream_add(fz_stream *s, const fr_record_block *b) {
  for (uint32_t r = 0; r < b->n_records; r++) {
    s->recs = fz_grow(s->recs, &s->cap, s->n + 1, sizeof *s->recs);
    fz_rec *out = &s->recs[s->n++];
    uint32_t len = b->rec_end[r] - b->rec_start[r];
    out->line = b->rec_line[r];
    out->error = b->rec_error[r];
    out->error_rel = b->rec_error[r] ? (uint64_t)b->rec_error_at[r] - b->rec_start[r] : 0;
    out->text_off = s->text_len;
    out->text_len = len;
    s->text = fz_grow(s->text, &s->text_cap, s->text_len + len + 1, 1);
    memcpy(s->text + s->text_len, b->bytes + b->rec_start[r], len);
    s->text_len += len;
    out->field_off = s->n_fields;
    out->n_fields = b->rec_field[r + 1] - b->rec_field[r];
    s->fields = fz_grow(s->fields, &s->cap_fields, s->n_fields + out->n_fields + 1, sizeof *s->fields);
    for (uint32_t f = b->rec_field[r]; f < b->rec_field[r + 1]; f++) {
      fz_field *field = &s->fields[s->n_fields++];
      field->rel_start = b->field_start[f] - b->rec_start[r];
      field->len = b->field_len[f];
      field->flags = b->field_flags[f];
    }
  }
}

static void fz_stream_compare(const fz_stream *a, const fz_stream *b, const char *how) {
  FZ_CHECK_TAG("stream", a->n == b->n, "%s: %zu records, reading in one block gave %zu", how, b->n, a->n);
  for (size_t r = 0; r < a->n; r++) {
    const fz_rec *x = &a->recs[r], *y = &b->recs[r];
    FZ_CHECK_TAG("stream", x->line == y->line, "%s: record %zu on line %llu, in one block on line %llu", how,
                 r, (unsigned long long)y->line, (unsigned long long)x->line);
    FZ_CHECK_TAG("stream", x->error == y->error || (x->error && y->error && strcmp(x->error, y->error) == 0),
                 "%s: record %zu (line %llu) malformation \"%s\", in one block \"%s\"", how, r,
                 (unsigned long long)x->line, y->error ? y->error : "(none)", x->error ? x->error : "(none)");
    FZ_CHECK_TAG("stream", x->error_rel == y->error_rel,
                 "%s: record %zu malformation at +%llu, in one block +%llu", how, r,
                 (unsigned long long)y->error_rel, (unsigned long long)x->error_rel);
    FZ_CHECK_TAG("stream",
                 x->text_len == y->text_len &&
                     memcmp(a->text + x->text_off, b->text + y->text_off, x->text_len) == 0,
                 "%s: record %zu (line %llu) text differs (%u vs %u bytes in one block)", how, r,
                 (unsigned long long)x->line, y->text_len, x->text_len);
    FZ_CHECK_TAG("stream", x->n_fields == y->n_fields, "%s: record %zu has %u fields, in one block %u", how,
                 r, y->n_fields, x->n_fields);
    for (uint32_t f = 0; f < x->n_fields; f++) {
      const fz_field *p = &a->fields[x->field_off + f], *q = &b->fields[y->field_off + f];
      FZ_CHECK_TAG("stream", p->rel_start == q->rel_start && p->len == q->len && p->flags == q->flags,
                   "%s: record %zu field %u differs: +%u len %u flags %u vs one block +%u len %u flags %u",
                   how, r, f, q->rel_start, q->len, q->flags, p->rel_start, p->len, p->flags);
    }
  }
}

/* Called for every block of a pass; `first_rec` is 1 for the block holding the
 * header (CSV only), else 0. */
typedef void (*fz_block_fn)(void *ctx, fr_record_block *block, uint32_t first_rec);

/* Reads `path` to the end with the given options and block limits, checking
 * every block, collecting the records into `stream` (may be NULL) and passing
 * each block to `fn` (may be NULL).  Returns the number of records read, or -1
 * when the source or reader failed (which, for a plain in-memory file, only
 * decompression errors may cause). */
static long fz_read_all(const char *path, const fr_csv_options *opts, uint32_t max_records,
                        size_t target_bytes, size_t input_size, int csv_header, fz_stream *stream,
                        fz_block_fn fn, void *ctx) {
  fr_error err;
  fr_error_clear(&err);
  fr_source *src = NULL;
  if (fr_source_open(&src, path, &err) != FR_OK) {
    FZ_CHECK(err.code != FR_OK && err.msg[0] != '\0', "fr_source_open failed without a message");
    return -1;
  }
  fr_csv_reader *rd = NULL;
  FZ_CHECK(fr_csv_reader_create(&rd, src, opts, &err) == FR_OK, "fr_csv_reader_create: %s", err.msg);
  fr_record_block block;
  fr_record_block_init(&block);
  long total = 0;
  int header_pending = csv_header;
  uint64_t last_line = 0;
  /* Each call consumes input or reads more of it: a generous bound on calls. */
  size_t max_calls = 64 + 8 * input_size;
  size_t calls = 0;
  int eof = 0;
  for (;;) {
    FZ_CHECK(++calls <= max_calls, "fr_csv_reader_next makes no progress (%zu calls for %zu bytes)", calls,
             input_size);
    fr_error_clear(&err);
    fr_status status = fr_csv_reader_next(rd, &block, max_records, target_bytes, &eof, &err);
    if (status != FR_OK) {
      FZ_CHECK_TAG("status", status == FR_ERR_PARSE || status == FR_ERR_IO,
                   "fr_csv_reader_next failed with %s on a %zu-byte input: %s", fr_status_str(status),
                   input_size, err.msg);
      FZ_CHECK_TAG("status", err.msg[0] != '\0', "fr_csv_reader_next failed without a message");
      const uint8_t *tail;
      size_t tail_len;
      uint64_t tail_line;
      fr_csv_reader_tail(rd, &tail, &tail_len, &tail_line);
      total = -1;
      break;
    }
    fz_check_block(&block, max_records, opts->jsonl);
    if (block.n_records > 0) {
      FZ_CHECK(block.rec_line[0] > last_line, "block starts on line %llu after line %llu",
               (unsigned long long)block.rec_line[0], (unsigned long long)last_line);
      last_line = block.rec_line[block.n_records - 1];
    }
    if (stream)
      fz_stream_add(stream, &block);
    total += block.n_records;
    uint32_t first_rec = 0;
    if (header_pending && block.n_records > 0) {
      first_rec = 1;
      header_pending = 0;
    }
    if (fn)
      fn(ctx, &block, first_rec);
    if (eof)
      break;
  }
  fr_record_block_free(&block);
  fr_csv_reader_destroy(rd);
  fr_source_close(src);
  return total;
}

#endif

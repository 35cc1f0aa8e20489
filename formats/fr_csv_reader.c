/* fr_csv_reader.c - the sequential stage of ingest: RFC 4180 splitting.
 *
 * Workload: the whole input passes through here on one thread (the producer of
 * the ingest pipeline), so the unquoted-field loop is a table lookup per byte and
 * quoted fields are scanned for the next quote only.  The invariant between calls:
 * `buf[0..len)` holds input not yet handed out, starting at a record boundary
 * (or, in skip mode, inside an oversized record), and `line_no` is the physical
 * line of buf[0].  Blocks take ownership of the consumed prefix by swapping
 * buffers, so record text is copied at most once (the short unfinished tail).
 */
#include "fr_csv_reader.h"

#include <string.h>

#include "fr_alloc.h"

#define FR_CSV_EXCERPT_BYTES 1024
#define FR_CSV_MAX_FIELDS 65535

struct fr_csv_reader {
  fr_source *src;
  fr_csv_options opts;
  uint8_t *buf;
  size_t len;
  size_t cap;
  uint64_t line_no;
  int src_eof;
  int started;         /* BOM check done */
  int skipping;        /* discarding the rest of an oversized record up to a line end */
  int src_failed;      /* 1: the source failed (pending holds why); 2: reported */
  fr_status pending;   /* the source failure, reported once nothing more splits */
  fr_error pending_err;
  uint32_t n_header_fields; /* fields of the first record (CSV), 0 before it */
  uint8_t special[256];
};

void fr_csv_options_default(fr_csv_options *opts) {
  opts->delimiter = ',';
  opts->max_record_bytes = (size_t)4 << 20;
  opts->jsonl = 0;
}

fr_status fr_csv_reader_create(fr_csv_reader **out, fr_source *src, const fr_csv_options *opts,
                               fr_error *err) {
  *out = NULL;
  fr_csv_reader *rd = fr_calloc(1, sizeof *rd);
  if (rd == NULL)
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory creating a CSV reader");
  rd->src = src;
  rd->opts = *opts;
  rd->line_no = 1;
  if (opts->delimiter != 0)
    rd->special[(uint8_t)opts->delimiter] = 1;
  rd->special['\n'] = 1;
  rd->special['"'] = 1;
  rd->special[0] = 1;
  *out = rd;
  return FR_OK;
}

void fr_csv_reader_tail(const fr_csv_reader *rd, const uint8_t **bytes, size_t *len,
                        uint64_t *line) {
  *bytes = rd->buf;
  *len = rd->len;
  *line = rd->line_no;
}

void fr_csv_reader_destroy(fr_csv_reader *rd) {
  if (rd == NULL)
    return;
  fr_free(rd->buf);
  fr_free(rd);
}

/* Picks the separator from the first line when none was given: ',' unless the
 * line has none and one of ';', tab, '|' appears (outside quotes), then the most
 * frequent of those. */
static void fr_csv_sniff_delimiter(fr_csv_reader *rd) {
  static const char candidates[] = {',', ';', '\t', '|'};
  size_t counts[4] = {0, 0, 0, 0};
  int quoted = 0;
  for (size_t pos = 0; pos < rd->len && rd->buf[pos] != '\n'; pos++) {
    if (rd->buf[pos] == '"')
      quoted = !quoted;
    for (int c = 0; c < 4 && !quoted; c++)
      counts[c] += rd->buf[pos] == (uint8_t)candidates[c];
  }
  int best = 0;
  if (counts[0] == 0)
    for (int c = 1; c < 4; c++)
      if (counts[c] > counts[best])
        best = c;
  rd->opts.delimiter = candidates[best];
  rd->special[(uint8_t)candidates[best]] = 1;
}

/* Reads more input so that buf holds at least `want` bytes (or the input ends). */
static fr_status fr_csv_fill(fr_csv_reader *rd, size_t want, fr_error *err) {
  if (want > rd->cap) {
    size_t cap = rd->cap ? rd->cap : ((size_t)1 << 20);
    while (cap < want)
      cap *= 2;
    uint8_t *grown = fr_realloc(rd->buf, cap);
    if (grown == NULL)
      return fr_error_set(err, FR_ERR_NOMEM, "out of memory reading %s", fr_source_name(rd->src));
    rd->buf = grown;
    rd->cap = cap;
  }
  fr_status status = FR_OK;
  while (!rd->src_eof && rd->len < want) {
    size_t n = 0;
    status = fr_source_read(rd->src, rd->buf + rd->len, rd->cap - rd->len, &n, err);
    if (status != FR_OK)
      break; /* what was read so far still gets its BOM and separator checks */
    if (n == 0)
      rd->src_eof = 1;
    rd->len += n;
  }
  if (!rd->started && (rd->len >= 3 || rd->src_eof || status != FR_OK)) {
    rd->started = 1;
    if (rd->len >= 3 && rd->buf[0] == 0xEF && rd->buf[1] == 0xBB && rd->buf[2] == 0xBF) {
      memmove(rd->buf, rd->buf + 3, rd->len - 3);
      rd->len -= 3;
    }
    if (rd->opts.delimiter == 0)
      fr_csv_sniff_delimiter(rd);
  }
  return status;
}

static fr_status fr_block_grow_records(fr_record_block *block) {
  if (block->n_records + 1 < block->cap_records)
    return FR_OK;
  uint32_t cap = block->cap_records ? block->cap_records * 2 : 4096;
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
  if (!line || !start || !end || !field || !error || !error_at)
    return FR_ERR_NOMEM;
  if (block->cap_records == 0)
    block->rec_field[0] = 0;
  block->cap_records = cap;
  return FR_OK;
}

static fr_status fr_block_push_field(fr_record_block *block, size_t start, size_t len,
                                     uint8_t flags) {
  if (block->n_fields == block->cap_fields) {
    uint32_t cap = block->cap_fields ? block->cap_fields * 2 : 65536;
    uint32_t *fstart = fr_realloc(block->field_start, cap * sizeof *fstart);
    if (fstart) block->field_start = fstart;
    uint32_t *flen = fr_realloc(block->field_len, cap * sizeof *flen);
    if (flen) block->field_len = flen;
    uint8_t *fflags = fr_realloc(block->field_flags, cap);
    if (fflags) block->field_flags = fflags;
    if (!fstart || !flen || !fflags)
      return FR_ERR_NOMEM;
    block->cap_fields = cap;
  }
  block->field_start[block->n_fields] = (uint32_t)start;
  block->field_len[block->n_fields] = (uint32_t)len;
  block->field_flags[block->n_fields] = flags;
  block->n_fields++;
  return FR_OK;
}

enum { FR_SCAN_COMPLETE, FR_SCAN_INCOMPLETE, FR_SCAN_NOMEM };

typedef struct fr_scan_result {
  size_t end;          /* record text end (terminator excluded) */
  size_t next;         /* where the next record starts */
  uint32_t newlines;   /* line ends consumed, terminator included */
  const char *error;   /* malformation, or NULL */
  size_t error_at;
} fr_scan_result;

static void fr_scan_flag(fr_scan_result *res, const char *why, size_t at) {
  if (res->error == NULL) {
    res->error = why;
    res->error_at = at;
  }
}

/* Splits one CSV record starting at `pos` into fields appended to `block`.  At end
 * of input (`at_eof`) an unterminated quote makes the record's first physical line
 * a malformed record, and splitting resumes on the next line, so one stray quote
 * cannot swallow the rest of the file. */
static int fr_csv_scan_record(fr_csv_reader *rd, fr_record_block *block, size_t pos, int at_eof,
                              fr_scan_result *res) {
  const uint8_t *buf = rd->buf;
  const size_t len = rd->len;
  const uint8_t delim = (uint8_t)rd->opts.delimiter;
  const uint32_t first_field = block->n_fields;
  size_t p = pos;
  memset(res, 0, sizeof *res);
  for (;;) {
    if (block->n_fields - first_field >= FR_CSV_MAX_FIELDS) {
      fr_scan_flag(res, "more than 65535 fields in one record", p);
      block->n_fields = first_field;
    }
    if (p < len && buf[p] == '"') {
      size_t start = p + 1;
      uint8_t flags = FR_FIELD_QUOTED;
      uint32_t inner_newlines = 0;
      p = start;
      for (;;) {
        while (p < len && buf[p] != '"') {
          inner_newlines += buf[p] == '\n';
          if (buf[p] == 0)
            fr_scan_flag(res, "NUL byte in a field", p);
          p++;
        }
        if (p == len) {
          if (!at_eof)
            goto incomplete;
          /* Unterminated quote: reject the first physical line only. */
          const uint8_t *nl = memchr(buf + pos, '\n', len - pos);
          block->n_fields = first_field;
          res->error = "unterminated quoted field (the closing quote is missing)";
          res->end = nl ? (size_t)(nl - buf) : len;
          /* The opening quote, unless an earlier field already ran past the
           * first line: then the record start (stay inside the record). */
          res->error_at = start - 1 < res->end ? start - 1 : pos;
          res->next = nl ? res->end + 1 : len;
          res->newlines = nl ? 1 : 0;
          if (res->end > pos && buf[res->end - 1] == '\r')
            res->end--;
          return FR_SCAN_COMPLETE;
        }
        p++; /* past the quote */
        if (p < len && buf[p] == '"') {
          flags |= FR_FIELD_ESCAPED;
          p++;
          continue;
        }
        if (p == len && !at_eof)
          goto incomplete;
        break;
      }
      res->newlines += inner_newlines;
      if (fr_block_push_field(block, start, p - 1 - start, flags) != FR_OK)
        return FR_SCAN_NOMEM;
      if (p == len) {
        res->end = res->next = len;
        return FR_SCAN_COMPLETE;
      }
      if (buf[p] == delim) {
        p++;
        continue;
      }
      if (buf[p] == '\n') {
        res->end = p;
        res->next = p + 1;
        res->newlines++;
        return FR_SCAN_COMPLETE;
      }
      if (buf[p] == '\r') {
        if (p + 1 == len && !at_eof)
          goto incomplete;
        if (p + 1 == len || buf[p + 1] == '\n') {
          res->end = p;
          res->next = p + 1 == len ? len : p + 2;
          res->newlines += p + 1 < len;
          return FR_SCAN_COMPLETE;
        }
      }
      fr_scan_flag(res, "unexpected text after a closing quote", p);
      /* Skip the garbage up to the next separator or line end. */
      while (p < len && buf[p] != delim && buf[p] != '\n')
        p++;
      if (p == len && !at_eof)
        goto incomplete;
      if (p == len) {
        res->end = res->next = len;
        return FR_SCAN_COMPLETE;
      }
      if (buf[p] == delim) {
        p++;
        continue;
      }
      res->end = p;
      res->next = p + 1;
      res->newlines++;
      return FR_SCAN_COMPLETE;
    }
    size_t start = p;
    for (;;) {
      while (p < len && !rd->special[buf[p]])
        p++;
      if (p == len || buf[p] == delim || buf[p] == '\n')
        break;
      fr_scan_flag(res, buf[p] == 0 ? "NUL byte in a field" : "quote inside an unquoted field", p);
      p++;
    }
    if (p == len && !at_eof)
      goto incomplete;
    size_t field_len = p - start;
    int at_line_end = p == len || buf[p] == '\n';
    if (at_line_end && field_len > 0 && buf[p - 1] == '\r')
      field_len--;
    if (fr_block_push_field(block, start, field_len, 0) != FR_OK)
      return FR_SCAN_NOMEM;
    if (!at_line_end) {
      p++;
      continue;
    }
    res->end = start + field_len;
    res->next = p == len ? len : p + 1;
    res->newlines += p < len;
    return FR_SCAN_COMPLETE;
  }
incomplete:
  block->n_fields = first_field;
  return FR_SCAN_INCOMPLETE;
}

/* One JSON line: no field splitting; NUL bytes are left to the JSON parser. */
static int fr_jsonl_scan_record(fr_csv_reader *rd, size_t pos, int at_eof, fr_scan_result *res) {
  memset(res, 0, sizeof *res);
  const uint8_t *nl = memchr(rd->buf + pos, '\n', rd->len - pos);
  if (nl == NULL) {
    if (!at_eof)
      return FR_SCAN_INCOMPLETE;
    res->end = res->next = rd->len;
  } else {
    res->end = (size_t)(nl - rd->buf);
    res->next = res->end + 1;
    res->newlines = 1;
  }
  if (res->end > pos && rd->buf[res->end - 1] == '\r')
    res->end--;
  return FR_SCAN_COMPLETE;
}

/* Hands buf[0..consumed) to the block and keeps the tail as the new buffer. */
static fr_status fr_csv_hand_over(fr_csv_reader *rd, fr_record_block *block, size_t consumed,
                                  fr_error *err) {
  size_t tail = rd->len - consumed;
  uint8_t *next = block->bytes;
  size_t next_cap = block->cap_bytes;
  if (next_cap < rd->cap) {
    uint8_t *grown = fr_realloc(next, rd->cap);
    if (grown == NULL)
      return fr_error_set(err, FR_ERR_NOMEM, "out of memory reading %s", fr_source_name(rd->src));
    next = grown;
    next_cap = rd->cap;
  }
  memcpy(next, rd->buf + consumed, tail);
  block->bytes = rd->buf;
  block->cap_bytes = rd->cap;
  block->n_bytes = consumed;
  rd->buf = next;
  rd->cap = next_cap;
  rd->len = tail;
  return FR_OK;
}

/* Discards the rest of an oversized record up to and including a line end. */
static fr_status fr_csv_skip_line(fr_csv_reader *rd, fr_error *err) {
  for (;;) {
    uint8_t *nl = memchr(rd->buf, '\n', rd->len);
    if (nl != NULL) {
      size_t drop = (size_t)(nl - rd->buf) + 1;
      memmove(rd->buf, rd->buf + drop, rd->len - drop);
      rd->len -= drop;
      rd->line_no++;
      rd->skipping = 0;
      return FR_OK;
    }
    rd->len = 0;
    if (rd->src_eof) {
      rd->skipping = 0;
      return FR_OK;
    }
    FR_TRY(fr_csv_fill(rd, rd->cap ? rd->cap : 1, err));
  }
}

/* Reads more input; a failure of the source (truncated or corrupt compressed
 * data) is kept pending and the input treated as ended, so that every complete
 * record already decompressed is still split and handed out (SPEC-independent
 * rule "nothing valid is lost"); the unfinished record after it is the tail. */
static fr_status fr_csv_fill_or_fail(fr_csv_reader *rd, size_t want, fr_error *err) {
  if (rd->src_failed)
    return FR_OK;
  fr_error fill_err;
  fr_error_clear(&fill_err);
  fr_status status = fr_csv_fill(rd, want, &fill_err);
  if (status == FR_ERR_PARSE || status == FR_ERR_IO) {
    rd->src_failed = 1;
    rd->src_eof = 1;
    rd->pending = status;
    rd->pending_err = fill_err;
    return FR_OK;
  }
  if (status != FR_OK)
    fr_error_set(err, status, "%s", fill_err.msg);
  return status;
}

/* Records that split cleanly can still be unacceptable: longer than the cap, or,
 * in CSV, a record that runs over several lines because a quote opened a field
 * that never closed where it should (its field count differs from the header's or
 * it is malformed): then only its first physical line is rejected and splitting
 * resumes on the next line, so one stray quote cannot swallow the rows after it. */
static void fr_csv_check_record(fr_csv_reader *rd, fr_record_block *block, size_t pos,
                                uint32_t first_field, fr_scan_result *res) {
  if (res->end - pos > rd->opts.max_record_bytes) {
    res->error = "record longer than the maximum record size (--max-record)";
    res->error_at = pos;
    return;
  }
  if (rd->opts.jsonl)
    return;
  uint32_t n_fields = block->n_fields - first_field;
  if (rd->n_header_fields == 0) {
    rd->n_header_fields = n_fields;
    return;
  }
  if (n_fields == rd->n_header_fields && res->error == NULL)
    return;
  const uint8_t *nl = memchr(rd->buf + pos, '\n', res->end - pos);
  if (nl == NULL)
    return;
  size_t line_end = (size_t)(nl - rd->buf);
  /* The quote that opened the runaway field: the last quote on the first line. */
  size_t quote_at = pos;
  for (size_t at = pos; at < line_end; at++)
    if (rd->buf[at] == '"')
      quote_at = at;
  block->n_fields = first_field;
  res->error = "unterminated quoted field (the closing quote is missing on this line)";
  res->error_at = quote_at;
  res->next = line_end + 1;
  res->newlines = 1;
  res->end = line_end > pos && rd->buf[line_end - 1] == '\r' ? line_end - 1 : line_end;
}

fr_status fr_csv_reader_next(fr_csv_reader *rd, fr_record_block *block, uint32_t max_records,
                             size_t target_bytes, int *eof, fr_error *err) {
  fr_record_block_clear(block);
  *eof = 0;
  if (rd->skipping)
    FR_TRY(fr_csv_skip_line(rd, err));
  if (target_bytes > UINT32_MAX / 2)
    target_bytes = UINT32_MAX / 2;
  size_t want = target_bytes;
  size_t pos = 0;
  for (;;) {
    FR_TRY(fr_csv_fill_or_fail(rd, want, err));
    /* After a source failure the input has ended, but its last record is cut off,
     * not complete: it stays unsplit (the tail) instead of being parsed. */
    int at_eof = rd->src_eof && !rd->src_failed;
    int incomplete = 0;
    while (block->n_records < max_records && pos < rd->len) {
      /* Skip blank lines: they hold no record. */
      if (rd->buf[pos] == '\n' || (rd->buf[pos] == '\r' && pos + 1 < rd->len && rd->buf[pos + 1] == '\n')) {
        pos += rd->buf[pos] == '\n' ? 1 : 2;
        rd->line_no++;
        continue;
      }
      if (fr_block_grow_records(block) != FR_OK)
        return fr_error_set(err, FR_ERR_NOMEM, "out of memory reading %s", fr_source_name(rd->src));
      fr_scan_result res;
      uint32_t first_field = block->n_fields;
      int scan = rd->opts.jsonl ? fr_jsonl_scan_record(rd, pos, at_eof, &res)
                                : fr_csv_scan_record(rd, block, pos, at_eof, &res);
      if (scan == FR_SCAN_NOMEM)
        return fr_error_set(err, FR_ERR_NOMEM, "out of memory reading %s", fr_source_name(rd->src));
      uint32_t rec = block->n_records;
      if (scan == FR_SCAN_INCOMPLETE) {
        if (rd->len - pos <= rd->opts.max_record_bytes && !at_eof) {
          incomplete = 1;
          break;
        }
        /* Oversized: keep an excerpt as a malformed record, resync at its first
         * line end when there is one inside the buffer, else skip to one. */
        const uint8_t *nl = memchr(rd->buf + pos, '\n', rd->len - pos);
        size_t end = nl ? (size_t)(nl - rd->buf) : pos + FR_CSV_EXCERPT_BYTES;
        if (end - pos > FR_CSV_EXCERPT_BYTES || end > rd->len)
          end = pos + FR_CSV_EXCERPT_BYTES < rd->len ? pos + FR_CSV_EXCERPT_BYTES : rd->len;
        block->rec_line[rec] = rd->line_no;
        block->rec_start[rec] = (uint32_t)pos;
        block->rec_end[rec] = (uint32_t)end;
        block->rec_error[rec] = "record longer than the maximum record size (--max-record; unterminated quote?)";
        block->rec_error_at[rec] = (uint32_t)pos;
        block->rec_field[rec + 1] = block->n_fields;
        block->n_records++;
        if (nl != NULL && (size_t)(nl - rd->buf) == end) {
          pos = end + 1;
          rd->line_no++;
        } else {
          pos = end;
          rd->skipping = 1;
          FR_TRY(fr_csv_hand_over(rd, block, pos, err));
          return FR_OK;
        }
        continue;
      }
      fr_csv_check_record(rd, block, pos, first_field, &res);
      block->rec_line[rec] = rd->line_no;
      block->rec_start[rec] = (uint32_t)pos;
      block->rec_end[rec] = (uint32_t)res.end;
      block->rec_error[rec] = res.error;
      block->rec_error_at[rec] = (uint32_t)res.error_at;
      block->rec_field[rec + 1] = block->n_fields;
      block->n_records++;
      rd->line_no += res.newlines;
      pos = res.next;
      if (pos >= target_bytes)
        break;
    }
    if (block->n_records >= max_records || pos >= target_bytes || rd->src_eof)
      break;
    if (incomplete && (block->n_records > 0 || pos > 0))
      break; /* hand over what we have; the unfinished record waits for more input */
    /* Not even one record fits: read more, up to past max_record_bytes so that the
     * oversized check above fires. */
    want = rd->len + (rd->len < ((size_t)1 << 20) ? ((size_t)1 << 20) : rd->len);
    if (want > rd->opts.max_record_bytes + ((size_t)1 << 20))
      want = rd->opts.max_record_bytes + ((size_t)1 << 20);
    if (want <= rd->len)
      want = rd->len + 1;
  }
  FR_TRY(fr_csv_hand_over(rd, block, pos, err));
  if (rd->src_failed == 2) {
    *eof = 1;
    return FR_OK;
  }
  if (rd->src_failed && block->n_records == 0 && !rd->skipping) {
    /* Nothing more can be split: report the failure; what is left is the tail. */
    fr_status pending = rd->pending;
    rd->pending = FR_OK;
    rd->src_failed = 2; /* reported */
    fr_error_set(err, pending, "%s", rd->pending_err.msg);
    return pending;
  }
  *eof = rd->src_eof && !rd->src_failed && rd->len == 0 && !rd->skipping;
  return FR_OK;
}

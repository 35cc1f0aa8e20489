/* fr_ingest.c - the ingest pipeline (see fr_ingest.h).
 *
 * Workload: 10^7..10^8 rows, 1-10 GB of decompressed CSV, on every core.  The
 * producer (inside `omp single`) reads blocks sequentially; each block gets a
 * convert+encode task and a writer task.  Writer tasks form a chain through the
 * `writer_token` dependence, so row groups and rejects are written in input
 * order, which keeps the result identical at any thread count.  Per-job errors
 * stay in the job and are merged by the writer chain; a shared atomic flag tells
 * everyone to stop (STYLE.md, OpenMP errors).
 *
 * Invariant for "nothing lost": every record the splitter produces reaches the
 * writer either as a stored row or as a line of the rejects file, and
 * rows_read = rows_stored + rows_rejected is asserted before commit.
 */
#include "fr_ingest.h"

#include <errno.h>
#include <omp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "fr_alloc.h"
#include "fr_convert.h"
#include "fr_csv_reader.h"
#include "fr_json_infer.h"
#include "fr_ocds_reader.h"
#include "fr_writer.h"
#include "fr_xes_reader.h"

#define FR_INGEST_BLOCK_BYTES ((size_t)16 << 20)
#define FR_INGEST_ROWS_PER_GROUP 131072u

void fr_ingest_options_default(fr_ingest_options *opts) {
  memset(opts, 0, sizeof *opts);
  opts->delimiter = 0;
}

void fr_ingest_result_free(fr_ingest_result *res) {
  fr_schema_free(&res->schema);
  fr_free(res->decimal_sums);
  res->decimal_sums = NULL;
}

typedef struct fr_ingest_job {
  fr_record_block block;
  uint32_t first_rec;       /* 1 when the block starts with the file's header row */
  uint32_t n_columns;       /* entries in columns and sums (0 until converted) */
  uint32_t file_idx;
  const fr_convert_spec *spec;
  fr_column *columns;
  fr_reject_list rejects;
  fr_encoded_rowgroup rg;
  fr_i128 *sums;
  uint64_t raw_pos, raw_size;
  fr_status status;
  fr_error err;
  /* A failure of the input itself (truncated stream, malformed XML) after this block. */
  int source_failed;
  char source_msg[FR_ERROR_MSG_CAP];
  uint64_t source_line;
  uint64_t source_column;
  fr_buf source_tail;
  int xes;                   /* the block holds XES events: places come from xes_pos */
  fr_xes_positions xes_pos;
} fr_ingest_job;

typedef struct fr_ingest_ctx {
  const fr_ingest_options *opts;
  fr_store *store;
  fr_schema schema;
  uint32_t n_columns;
  fr_segment_writer *writer;
  char segment_relative[FR_NAME_CAP];
  FILE *rejects;
  fr_ingest_result *res;
  atomic_int stop;
  fr_status status;          /* first failure, set by the writer chain */
  fr_error err;
  uint64_t raw_done_before;  /* raw bytes of files already finished */
  uint64_t raw_total;
  uint64_t rows_stored;
  uint64_t rows_rejected;
  uint32_t n_row_groups;
  char writer_token;         /* OpenMP dependence object for the writer chain */
} fr_ingest_ctx;

static void fr_job_free(fr_ingest_job *job) {
  if (job == NULL)
    return;
  uint32_t n_columns = job->n_columns;
  fr_record_block_free(&job->block);
  if (job->columns != NULL)
    for (uint32_t c = 0; c < n_columns; c++)
      fr_column_free(&job->columns[c]);
  fr_free(job->columns);
  fr_reject_list_free(&job->rejects);
  fr_encoded_rowgroup_free(&job->rg);
  fr_free(job->sums);
  fr_buf_free(&job->source_tail);
  fr_xes_positions_free(&job->xes_pos);
  fr_free(job);
}

static fr_ingest_job *fr_job_create(void) {
  fr_ingest_job *job = fr_calloc(1, sizeof *job);
  if (job == NULL)
    return NULL;
  fr_record_block_init(&job->block);
  fr_buf_init(&job->source_tail);
  fr_xes_positions_init(&job->xes_pos);
  job->source_column = 1;
  return job;
}

/* Convert + encode: runs in parallel, touches only the job. */
static void fr_job_convert(fr_ingest_ctx *ctx, fr_ingest_job *job) {
  if (atomic_load(&ctx->stop))
    return;
  fr_error_clear(&job->err);
  job->columns = fr_calloc(ctx->n_columns, sizeof *job->columns);
  job->sums = fr_calloc(ctx->n_columns, sizeof *job->sums);
  if (job->columns == NULL || job->sums == NULL) {
    job->status = fr_error_set(&job->err, FR_ERR_NOMEM, "out of memory converting input");
    return;
  }
  job->n_columns = ctx->n_columns;
  for (uint32_t c = 0; c < ctx->n_columns; c++)
    fr_column_init(&job->columns[c], ctx->schema.columns[c].type);
  job->status = fr_convert_block(&job->block, job->first_rec, job->spec, job->columns, &job->rejects);
  if (job->status != FR_OK) {
    fr_error_set(&job->err, job->status, "out of memory converting input");
    return;
  }
  for (uint32_t c = 0; c < ctx->n_columns; c++) {
    const fr_column *col = &job->columns[c];
    if (col->type != FR_TYPE_DECIMAL)
      continue;
    fr_i128 sum = 0;
    for (uint32_t row = 0; row < col->n_rows; row++)
      sum += col->i64[row]; /* NULL rows hold 0 */
    job->sums[c] = sum;
  }
  if (job->columns[0].n_rows > 0)
    job->status = fr_segment_encode_rowgroup(&job->rg, job->columns, ctx->n_columns, &job->err);
}

static void fr_rejects_write(fr_ingest_ctx *ctx, const char *file, uint64_t line, uint64_t column,
                             const char *field, const char *why, const char *detail,
                             const uint8_t *record, size_t record_len) {
  fr_ingest_result *res = ctx->res;
  if (res->n_samples < FR_INGEST_SAMPLE_REJECTS) {
    snprintf(res->samples[res->n_samples++], sizeof res->samples[0], "%s:%llu:%llu: %s%s%s%s%s%s",
             file, (unsigned long long)line, (unsigned long long)column, why,
             detail && *detail ? " (" : "", detail ? detail : "", detail && *detail ? ")" : "",
             field && *field ? " in column " : "", field ? field : "");
  }
  if (ctx->rejects == NULL) {
    ctx->rejects = fopen(res->rejects_path, "w");
    if (ctx->rejects == NULL) {
      if (ctx->status == FR_OK)
        ctx->status = fr_error_set(&ctx->err, FR_ERR_IO, "cannot create rejects file %s: %s",
                                   res->rejects_path, strerror(errno));
      atomic_store(&ctx->stop, 1);
      return;
    }
    fputs("file,line,column,field,reason,record\n", ctx->rejects);
  }
  fr_buf buf;
  fr_buf_init(&buf);
  fr_write_csv_field(&buf, file, strlen(file), 0);
  char num[48];
  snprintf(num, sizeof num, ",%llu,%llu,", (unsigned long long)line, (unsigned long long)column);
  fr_buf_put(&buf, num, strlen(num));
  fr_write_csv_field(&buf, field ? field : "", field ? strlen(field) : 0, 0);
  fr_buf_put_u8(&buf, ',');
  char reason[256];
  snprintf(reason, sizeof reason, "%s%s%s%s", why, detail && *detail ? " (" : "",
           detail ? detail : "", detail && *detail ? ")" : "");
  fr_write_csv_field(&buf, reason, strlen(reason), 0);
  fr_buf_put_u8(&buf, ',');
  fr_write_csv_field(&buf, (const char *)record, record_len, 1);
  fr_buf_put_u8(&buf, '\n');
  if (buf.failed || fwrite(buf.data, 1, buf.len, ctx->rejects) != buf.len) {
    if (ctx->status == FR_OK)
      ctx->status = fr_error_set(&ctx->err, FR_ERR_IO, "cannot write rejects file %s",
                                 ctx->res->rejects_path);
    atomic_store(&ctx->stop, 1);
  }
  fr_buf_free(&buf);
}

/* The place of an XES reject: the attribute element of the bad value, else the
 * malformation the record carries, else the <event> tag. */
static void fr_xes_locate(const fr_ingest_job *job, const fr_reject *rej, uint64_t *line,
                          uint64_t *column) {
  const fr_xes_positions *pos = &job->xes_pos;
  uint32_t rec = rej->rec_idx;
  *line = pos->err_line[rec];
  *column = pos->err_column[rec];
  if (rej->column >= 0 && job->block.rec_error[rec] == NULL) {
    uint32_t field = job->block.rec_field[rec] + (uint32_t)rej->column;
    if (field < job->block.rec_field[rec + 1] && pos->field_line[field] != 0) {
      *line = pos->field_line[field];
      *column = pos->field_column[field];
    }
  }
}

/* Writer: runs in input order, one at a time. */
static void fr_job_write(fr_ingest_ctx *ctx, fr_ingest_job *job) {
  const char *file = ctx->opts->files[job->file_idx];
  if (strcmp(file, "-") == 0)
    file = "<stdin>";
  if (ctx->status == FR_OK && job->status != FR_OK) {
    ctx->status = job->status;
    ctx->err = job->err;
    atomic_store(&ctx->stop, 1);
  }
  if (atomic_load(&ctx->stop))
    goto done;
  for (uint32_t r = 0; r < job->rejects.n; r++) {
    const fr_reject *rej = &job->rejects.items[r];
    uint64_t line, column;
    if (job->xes)
      fr_xes_locate(job, rej, &line, &column);
    else
      fr_record_block_locate(&job->block, rej->rec_idx, rej->offset, &line, &column);
    const uint8_t *record = job->block.bytes + job->block.rec_start[rej->rec_idx];
    size_t record_len = job->block.rec_end[rej->rec_idx] - job->block.rec_start[rej->rec_idx];
    fr_rejects_write(ctx, file, line, column,
                     rej->column >= 0 ? ctx->schema.columns[rej->column].name : "", rej->why,
                     rej->detail, record, record_len);
  }
  ctx->rows_rejected += job->rejects.n;
  if (job->source_failed) {
    fr_rejects_write(ctx, file, job->source_line, job->source_column, "", job->source_msg, NULL,
                     job->source_tail.data, job->source_tail.len);
    ctx->rows_rejected++;
  }
  if (ctx->opts->strict && ctx->rows_rejected > 0) {
    atomic_store(&ctx->stop, 1);
    goto done;
  }
  if (job->rg.n_rows > 0) {
    fr_status status = fr_segment_writer_append(ctx->writer, &job->rg, &ctx->err);
    if (status != FR_OK) {
      ctx->status = status;
      atomic_store(&ctx->stop, 1);
      goto done;
    }
    ctx->rows_stored += job->rg.n_rows;
    ctx->n_row_groups++;
    for (uint32_t c = 0; c < ctx->n_columns; c++)
      ctx->res->decimal_sums[c] += job->sums[c];
  }
  if (ctx->opts->progress)
    ctx->opts->progress(ctx->opts->progress_ctx, ctx->raw_done_before + job->raw_pos,
                        ctx->raw_total, ctx->rows_stored);
done:
  fr_job_free(job);
}

static fr_input_format fr_guess_format(const char *path, fr_input_format requested) {
  if (requested != FR_INPUT_AUTO)
    return requested;
  const char *suffixes[] = {".jsonl", ".ndjson", ".json"};
  char name[4096];
  snprintf(name, sizeof name, "%s", path);
  size_t len = strlen(name);
  if (len > 4 && strcmp(name + len - 4, ".zst") == 0)
    name[len - 4] = '\0';
  else if (len > 3 && strcmp(name + len - 3, ".gz") == 0)
    name[len - 3] = '\0';
  len = strlen(name);
  if (len > 4 && strcmp(name + len - 4, ".xes") == 0)
    return FR_INPUT_XES;
  for (size_t idx = 0; idx < 3; idx++) {
    size_t n = strlen(suffixes[idx]);
    if (len > n && strcmp(name + len - n, suffixes[idx]) == 0)
      return FR_INPUT_JSONL;
  }
  return FR_INPUT_CSV;
}

/* Header names of a CSV block's first record, as an array of (ptr, len). */
typedef struct fr_header {
  uint32_t n;
  char (*names)[FR_NAME_CAP];
  uint64_t *columns;  /* byte column of each name on line 1, for messages */
} fr_header;

static void fr_header_free(fr_header *header) {
  fr_free(header->names);
  fr_free(header->columns);
  header->names = NULL;
  header->columns = NULL;
}

static fr_status fr_header_read(fr_header *out, const fr_record_block *block, const char *file,
                                fr_error *err) {
  memset(out, 0, sizeof *out);
  if (block->n_records == 0)
    return fr_error_set(err, FR_ERR_PARSE, "%s: empty input: no header row", file);
  if (block->rec_error[0] != NULL) {
    uint64_t line, column;
    fr_record_block_locate(block, 0, block->rec_error_at[0], &line, &column);
    return fr_error_set(err, FR_ERR_PARSE, "%s:%llu:%llu: header row: %s", file,
                        (unsigned long long)line, (unsigned long long)column, block->rec_error[0]);
  }
  uint32_t n = block->rec_field[1] - block->rec_field[0];
  out->names = fr_calloc(n, sizeof *out->names);
  out->columns = fr_calloc(n, sizeof *out->columns);
  if (out->names == NULL || out->columns == NULL) {
    fr_header_free(out);
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  out->n = n;
  char scratch[FR_NAME_CAP];
  for (uint32_t f = 0; f < n; f++) {
    uint32_t field = block->rec_field[0] + f;
    uint64_t line, column;
    uint32_t quoted = (block->field_flags[field] & FR_FIELD_QUOTED) ? 1 : 0;
    fr_record_block_locate(block, 0, block->field_start[field] - quoted, &line, &column);
    out->columns[f] = column;
    /* A carriage return inside an unquoted name: the lines end in CR alone (classic
     * Mac), which the splitter does not take as a line end, so the whole file would
     * read as one header row and every data row would be lost without a word. */
    const void *cr = quoted ? NULL
                            : memchr(block->bytes + block->field_start[field], '\r', block->field_len[field]);
    if (cr != NULL) {
      fr_record_block_locate(block, 0, (uint32_t)((const uint8_t *)cr - block->bytes), &line, &column);
      fr_header_free(out);
      return fr_error_set(err, FR_ERR_PARSE,
                          "%s:%llu:%llu: header field %u holds a carriage return: the lines end in "
                          "CR alone; convert them to LF (e.g. tr '\\r' '\\n')",
                          file, (unsigned long long)line, (unsigned long long)column, f + 1);
    }
    if (block->field_len[field] >= FR_NAME_CAP) {
      fr_header_free(out);
      return fr_error_set(err, FR_ERR_PARSE, "%s:%llu:%llu: header field %u is longer than %d bytes",
                          file, (unsigned long long)line, (unsigned long long)column, f + 1,
                          FR_NAME_CAP - 1);
    }
    uint32_t len;
    const char *text = fr_record_field_text(block, field, scratch, &len);
    size_t bad_at;
    if (!fr_utf8_valid((const uint8_t *)text, len, &bad_at) || memchr(text, 0, len) != NULL) {
      fr_header_free(out);
      return fr_error_set(err, FR_ERR_PARSE,
                          "%s:%llu:%llu: header field %u is not valid UTF-8 text; convert the "
                          "file to UTF-8 (e.g. iconv -f latin1 -t utf-8)",
                          file, (unsigned long long)line,
                          (unsigned long long)(column + quoted + (memchr(text, 0, len) ? 0 : bad_at)), f + 1);
    }
    memcpy(out->names[f], text, len);
    out->names[f][len] = '\0';
    if (len == 0) /* an unnamed column (a data frame's index): DuckDB's name for it */
      snprintf(out->names[f], FR_NAME_CAP, "column%u", f);
  }
  return FR_OK;
}

/* Builds the schema of a new table from a CSV header and first block. */
static fr_status fr_schema_from_header(fr_schema *schema, const fr_header *header,
                                       const fr_record_block *block, const char *table,
                                       const char *file, fr_error *err) {
  fr_schema_init(schema);
  for (uint32_t f = 0; f < header->n; f++) {
    fr_type type;
    if (!fr_schema_canonical_type(table, header->names[f], &type))
      type = fr_schema_infer_csv(block, 1, f, header->n);
    fr_status status = fr_schema_add(schema, header->names[f], strlen(header->names[f]), type, err);
    if (status != FR_OK) {
      fr_error_prefix(err, "%s:1:%llu: header: ", file, (unsigned long long)header->columns[f]);
      fr_schema_free(schema);
      return status;
    }
  }
  return FR_OK;
}

/* Maps schema columns to header fields by name; any difference is an error that
 * lists what is missing and what is extra. */
static fr_status fr_map_header(int32_t *field_of_column, const fr_schema *schema,
                               const fr_header *header, const char *file, const char *table,
                               fr_error *err) {
  char missing[512] = "", extra[512] = "";
  for (uint32_t c = 0; c < schema->n_columns; c++) {
    field_of_column[c] = -1;
    for (uint32_t f = 0; f < header->n; f++)
      if (strcmp(header->names[f], schema->columns[c].name) == 0)
        field_of_column[c] = (int32_t)f;
    if (field_of_column[c] < 0 && strlen(missing) + strlen(schema->columns[c].name) + 3 < sizeof missing) {
      strcat(missing, missing[0] ? ", " : "");
      strcat(missing, schema->columns[c].name);
    }
  }
  for (uint32_t f = 0; f < header->n; f++) {
    int dup = 0;
    for (uint32_t g = 0; g < f; g++)
      dup |= strcmp(header->names[f], header->names[g]) == 0;
    if (dup)
      return fr_error_set(err, FR_ERR_PARSE, "%s:1:%llu: header names column \"%s\" twice", file,
                          (unsigned long long)header->columns[f], header->names[f]);
    if (fr_schema_find(schema, header->names[f], strlen(header->names[f])) < 0 &&
        strlen(extra) + strlen(header->names[f]) + 3 < sizeof extra) {
      strcat(extra, extra[0] ? ", " : "");
      strcat(extra, header->names[f]);
    }
  }
  if (missing[0] || extra[0])
    return fr_error_set(err, FR_ERR_INVALID,
                        "%s:1: header does not match table %s: missing [%s], unexpected [%s]; "
                        "rename the columns or ingest into another table",
                        file, table, missing, extra);
  return FR_OK;
}

static fr_status fr_schemas_equal(const fr_schema *a, const fr_schema *b, const char *table,
                                  fr_error *err) {
  if (a->n_columns != b->n_columns)
    return fr_error_set(err, FR_ERR_INVALID, "--schema has %u columns but table %s has %u",
                        b->n_columns, table, a->n_columns);
  for (uint32_t c = 0; c < a->n_columns; c++) {
    int other = fr_schema_find(b, a->columns[c].name, strlen(a->columns[c].name));
    if (other < 0 || b->columns[other].type != a->columns[c].type)
      return fr_error_set(err, FR_ERR_INVALID,
                          "--schema disagrees with table %s on column %s (stored as %s)", table,
                          a->columns[c].name, fr_type_name(a->columns[c].type));
  }
  return FR_OK;
}

typedef struct fr_file_state {
  fr_source *src;
  fr_csv_reader *reader;
  fr_xes_reader *xes;        /* XES input: the second-pass reader */
  fr_buf xes_prefix;         /* XES on standard input: what the first pass read */
  fr_convert_spec spec;
  int32_t *field_of_column;
} fr_file_state;

static void fr_file_state_close(fr_file_state *fs) {
  fr_csv_reader_destroy(fs->reader);
  fr_xes_reader_destroy(fs->xes);
  fr_source_close(fs->src);
  fr_buf_free(&fs->xes_prefix);
  fs->reader = NULL;
  fs->xes = NULL;
  fs->src = NULL;
}

/* The eight approvals columns every XES table starts with, in canonical order. */
static const char *const fr_xes_approvals[8] = {"case_id", "ts",      "activity",  "actor",
                                                "org",     "service", "applicant", "amount"};

/* First pass over the XES inputs: discovers their columns and settles the
 * table's schema (a new table: the approvals columns, then the log's others in
 * order of appearance; an existing table or --schema must hold every column the
 * logs fill).  A file whose XML fails before its first event stops the ingest. */
static fr_status fr_ingest_discover_xes(fr_ingest_ctx *ctx, fr_file_state *files, fr_error *err) {
  const fr_ingest_options *opts = ctx->opts;
  fr_schema found;
  fr_schema_init(&found);
  fr_status status = FR_OK;
  int any = 0;
  for (uint32_t f = 0; f < opts->n_files && status == FR_OK; f++) {
    const char *path = opts->files[f];
    if (fr_guess_format(path, opts->format) != FR_INPUT_XES)
      continue;
    any = 1;
    fr_file_state *fs = &files[f];
    int is_stdin = strcmp(path, "-") == 0;
    status = fr_source_open(&fs->src, path, err);
    if (status != FR_OK)
      break;
    fr_xes_stats stats;
    status = fr_xes_discover(&found, fs->src, is_stdin ? FR_XES_PREFIX_BYTES : 0,
                             is_stdin ? &fs->xes_prefix : NULL, &stats, err);
    if (status == FR_OK && stats.failed && stats.n_events == 0)
      status = fr_error_set(err, FR_ERR_PARSE, "%s:%llu:%llu: %s (before the first event; nothing "
                                               "was stored)",
                            fr_source_name(fs->src), (unsigned long long)stats.fail_line,
                            (unsigned long long)stats.fail_column, stats.fail_msg);
    if (!is_stdin) {
      fr_source_close(fs->src); /* the second pass opens it again */
      fs->src = NULL;
    }
  }
  if (status != FR_OK || !any)
    goto done;
  if (ctx->schema.n_columns == 0) {
    for (size_t idx = 0; idx < 8 && status == FR_OK; idx++) {
      fr_type type = FR_TYPE_STRING;
      (void)fr_schema_canonical_type("approvals", fr_xes_approvals[idx], &type);
      status = fr_schema_add(&ctx->schema, fr_xes_approvals[idx], strlen(fr_xes_approvals[idx]),
                             type, err);
    }
    for (uint32_t c = 0; c < found.n_columns && status == FR_OK; c++) {
      const fr_schema_column *col = &found.columns[c];
      if (fr_schema_find(&ctx->schema, col->name, strlen(col->name)) < 0)
        status = fr_schema_add(&ctx->schema, col->name, strlen(col->name), col->type, err);
    }
  } else {
    for (uint32_t c = 0; c < found.n_columns && status == FR_OK; c++) {
      const char *name = found.columns[c].name;
      if (fr_schema_find(&ctx->schema, name, strlen(name)) < 0)
        status = fr_error_set(err, FR_ERR_INVALID,
                              "the XES input fills column \"%s\", which %s lacks; ingest the "
                              "log into a new table (or add the column to --schema)",
                              name, opts->schema_file ? "--schema" : opts->table);
    }
  }
done:
  fr_schema_free(&found);
  return status;
}

/* Opens file `file_idx`, reads its first block into `job` and settles the schema
 * (the first file of a new table defines it) and the field mapping. */
static fr_status fr_ingest_open_file(fr_ingest_ctx *ctx, fr_file_state *fs, uint32_t file_idx,
                                     fr_ingest_job *job, int *eof, int *have_block, fr_error *err) {
  const fr_ingest_options *opts = ctx->opts;
  const char *path = opts->files[file_idx];
  fr_input_format format = fr_guess_format(path, opts->format);
  *have_block = format != FR_INPUT_XES;
  if (format == FR_INPUT_XES) {
    /* Columns are settled (fr_ingest_discover_xes); every record carries one
     * field per column, in schema order.  Blocks are read by the caller. */
    if (fs->src == NULL)
      FR_TRY(fr_source_open(&fs->src, path, err));
    FR_TRY(fr_xes_reader_create(&fs->xes, fs->src, fs->xes_prefix.data, fs->xes_prefix.len,
                                &ctx->schema, opts->max_record_bytes, err));
    uint32_t n_columns = ctx->schema.n_columns;
    fs->field_of_column = fr_calloc(n_columns ? n_columns : 1, sizeof(int32_t));
    if (fs->field_of_column == NULL)
      return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    for (uint32_t c = 0; c < n_columns; c++)
      fs->field_of_column[c] = (int32_t)c;
    fs->spec.schema = &ctx->schema;
    fs->spec.field_of_column = fs->field_of_column;
    fs->spec.n_input_fields = n_columns;
    fs->spec.jsonl = 0;
    job->first_rec = 0;
    *eof = 0;
    return FR_OK;
  }
  FR_TRY(fr_source_open(&fs->src, path, err));
  fr_csv_options copts;
  fr_csv_options_default(&copts);
  copts.delimiter = opts->delimiter; /* 0: sniffed from the header line */
  copts.jsonl = format == FR_INPUT_JSONL;
  if (opts->max_record_bytes)
    copts.max_record_bytes = opts->max_record_bytes;
  FR_TRY(fr_csv_reader_create(&fs->reader, fs->src, &copts, err));
  uint32_t max_rows = opts->rows_per_group ? opts->rows_per_group : FR_INGEST_ROWS_PER_GROUP;
  fr_status status = fr_csv_reader_next(fs->reader, &job->block, max_rows + (format == FR_INPUT_CSV),
                                        FR_INGEST_BLOCK_BYTES, eof, err);
  if (status != FR_OK)
    return status;
  const char *name = fr_source_name(fs->src);
  const fr_table_meta *existing = fr_manifest_table(&ctx->store->manifest, opts->table);
  fs->spec.jsonl = format == FR_INPUT_JSONL;
  if (format == FR_INPUT_CSV) {
    fr_header header;
    FR_TRY(fr_header_read(&header, &job->block, name, err));
    if (ctx->schema.n_columns == 0 && existing == NULL && opts->schema_file == NULL)
      status = fr_schema_from_header(&ctx->schema, &header, &job->block, opts->table, name, err);
    if (status == FR_OK) {
      fs->field_of_column = fr_calloc(ctx->schema.n_columns ? ctx->schema.n_columns : 1, sizeof(int32_t));
      if (fs->field_of_column == NULL)
        status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    }
    if (status == FR_OK)
      status = fr_map_header(fs->field_of_column, &ctx->schema, &header, name, opts->table, err);
    fs->spec.n_input_fields = header.n;
    fr_header_free(&header);
    job->first_rec = 1;
  } else {
    if (ctx->schema.n_columns == 0 && existing == NULL && opts->schema_file == NULL)
      status = fr_json_infer_schema(&ctx->schema, &job->block, opts->table, name, err);
    job->first_rec = 0;
  }
  fs->spec.schema = &ctx->schema;
  fs->spec.field_of_column = fs->field_of_column;
  return status;
}

static fr_status fr_ingest_prepare_schema(fr_ingest_ctx *ctx, fr_error *err) {
  const fr_ingest_options *opts = ctx->opts;
  const fr_table_meta *existing = fr_manifest_table(&ctx->store->manifest, opts->table);
  if (opts->schema_file != NULL) {
    fr_schema from_file;
    FR_TRY(fr_schema_read_file(&from_file, opts->schema_file, err));
    if (existing != NULL) {
      fr_status status = fr_schemas_equal(&existing->schema, &from_file, opts->table, err);
      fr_schema_free(&from_file);
      FR_TRY(status);
    } else {
      ctx->schema = from_file;
      return FR_OK;
    }
  }
  if (existing != NULL)
    FR_FAIL_IF(fr_schema_copy(&ctx->schema, &existing->schema) != FR_OK, FR_ERR_NOMEM, err,
               "out of memory");
  return FR_OK;
}

/* Builds version N+1 of the manifest with the new segment and history entry. */
static fr_status fr_ingest_commit(fr_ingest_ctx *ctx, const fr_segment_info *info, fr_error *err) {
  fr_manifest next;
  FR_FAIL_IF(fr_manifest_copy(&next, &ctx->store->manifest) != FR_OK, FR_ERR_NOMEM, err,
             "out of memory");
  next.version = ctx->store->manifest.version + 1;
  fr_status status = FR_OK;
  const uint32_t n_columns = ctx->n_columns;
  fr_table_meta *table = fr_manifest_table(&next, ctx->opts->table);
  if (table == NULL) {
    fr_table_meta *grown = fr_realloc(next.tables, (next.n_tables + 1) * sizeof *grown);
    if (grown == NULL)
      goto nomem;
    next.tables = grown;
    table = &next.tables[next.n_tables++];
    memset(table, 0, sizeof *table);
    snprintf(table->name, sizeof table->name, "%s", ctx->opts->table);
    if (fr_schema_copy(&table->schema, &ctx->schema) != FR_OK)
      goto nomem;
    table->decimal_sums = fr_calloc(n_columns ? n_columns : 1, sizeof *table->decimal_sums);
    if (table->decimal_sums == NULL)
      goto nomem;
  }
  if (info != NULL) {
    fr_segment_record *segs = fr_realloc(table->segments, (table->n_segments + 1) * sizeof *segs);
    if (segs == NULL)
      goto nomem;
    table->segments = segs;
    fr_segment_record *rec = &segs[table->n_segments++];
    memset(rec, 0, sizeof *rec);
    snprintf(rec->file, sizeof rec->file, "%s", ctx->segment_relative);
    rec->info = *info;
    rec->version_added = next.version;
  }
  table->n_rows += ctx->rows_stored;
  for (uint32_t c = 0; c < n_columns; c++)
    table->decimal_sums[c] += ctx->res->decimal_sums[c];
  fr_history_entry *hist = fr_realloc(next.history, (next.n_history + 1) * sizeof *hist);
  if (hist == NULL)
    goto nomem;
  next.history = hist;
  fr_history_entry *entry = &hist[next.n_history++];
  memset(entry, 0, sizeof *entry);
  entry->version = next.version;
  snprintf(entry->table, sizeof entry->table, "%s", ctx->opts->table);
  entry->rows_read = ctx->rows_stored + ctx->rows_rejected;
  entry->rows_stored = ctx->rows_stored;
  entry->rows_rejected = ctx->rows_rejected;
  for (uint32_t f = 0; f < ctx->opts->n_files; f++) {
    size_t used = strlen(entry->sources);
    snprintf(entry->sources + used, sizeof entry->sources - used, "%s%s", f ? " " : "",
             strcmp(ctx->opts->files[f], "-") == 0 ? "<stdin>" : ctx->opts->files[f]);
  }
  entry->sum_columns = fr_calloc(n_columns ? n_columns : 1, sizeof *entry->sum_columns);
  entry->sums = fr_calloc(n_columns ? n_columns : 1, sizeof *entry->sums);
  if (entry->sum_columns == NULL || entry->sums == NULL)
    goto nomem;
  for (uint32_t c = 0; c < n_columns; c++) {
    if (ctx->schema.columns[c].type != FR_TYPE_DECIMAL)
      continue;
    entry->sum_columns[entry->n_sums] = c;
    entry->sums[entry->n_sums++] = ctx->res->decimal_sums[c];
  }
  status = fr_store_commit(ctx->store, &next, err);
  fr_manifest_free(&next);
  return status;
nomem:
  fr_manifest_free(&next);
  return fr_error_set(err, FR_ERR_NOMEM, "out of memory building the manifest");
}

static fr_status fr_ingest_ocds(const char *store_dir, const fr_ingest_options *opts, fr_ingest_result *res,
                                fr_error *err);

fr_status fr_ingest(const char *store_dir, const fr_ingest_options *opts, fr_ingest_result *res,
                    fr_error *err) {
  memset(res, 0, sizeof *res);
  fr_schema_init(&res->schema);
  FR_FAIL_IF(opts->n_files == 0, FR_ERR_INVALID, err, "no input files");
  FR_FAIL_IF(opts->table == NULL || opts->table[0] == '\0' || strlen(opts->table) >= 128 ||
                 strpbrk(opts->table, "/\\ \t\n\"'") != NULL,
             FR_ERR_INVALID, err, "bad table name \"%s\": use letters, digits and _",
             opts->table ? opts->table : "");
  /* Refuse unreadable inputs before touching (or creating) the store. */
  for (uint32_t f = 0; f < opts->n_files; f++) {
    if (strcmp(opts->files[f], "-") == 0)
      continue;
    struct stat st;
    FR_FAIL_IF(stat(opts->files[f], &st) != 0, FR_ERR_NOTFOUND, err, "cannot read %s: %s",
               opts->files[f], strerror(errno));
    FR_FAIL_IF(S_ISDIR(st.st_mode), FR_ERR_INVALID, err, "%s is a directory, not an input file",
               opts->files[f]);
  }
  if (opts->format == FR_INPUT_OCDS)
    return fr_ingest_ocds(store_dir, opts, res, err);
  fr_ingest_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.opts = opts;
  ctx.res = res;
  ctx.status = FR_OK;
  fr_error_clear(&ctx.err);
  atomic_init(&ctx.stop, 0);
  fr_schema_init(&ctx.schema);
  fr_status status = fr_store_open_writer(&ctx.store, store_dir, 1, 1, err);
  if (status != FR_OK)
    return status;
  fr_file_state *files = fr_calloc(opts->n_files, sizeof *files);
  fr_ingest_job *job = NULL;
  if (files == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    goto done;
  }
  status = fr_ingest_prepare_schema(&ctx, err);
  if (status != FR_OK)
    goto done;
  status = fr_ingest_discover_xes(&ctx, files, err);
  if (status != FR_OK)
    goto done;
  /* Rejects file name: given, or STORE/rejects/TABLE-vN-YYYYmmddHHMMSS.csv. */
  if (opts->rejects_path != NULL) {
    snprintf(res->rejects_path, sizeof res->rejects_path, "%s", opts->rejects_path);
  } else {
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm_now;
    localtime_r(&now, &tm_now);
    strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm_now);
    snprintf(res->rejects_path, sizeof res->rejects_path, "%s/rejects/%s-v%llu-%s.csv",
             ctx.store->dir, opts->table, (unsigned long long)ctx.store->manifest.version + 1, stamp);
  }
  for (uint32_t f = 0; f < opts->n_files; f++) {
    struct stat st;
    if (strcmp(opts->files[f], "-") != 0 && stat(opts->files[f], &st) == 0)
      ctx.raw_total += (uint64_t)st.st_size;
  }
  int threads = omp_get_max_threads();
  const long max_in_flight = 2L * threads + 2;
  long in_flight = 0;
  fr_segment_info seg_info;
  memset(&seg_info, 0, sizeof seg_info);
  uint64_t segment_id = fr_store_new_segment_id();
  uint32_t max_rows = opts->rows_per_group ? opts->rows_per_group : FR_INGEST_ROWS_PER_GROUP;

#pragma omp parallel
#pragma omp single
  {
    for (uint32_t f = 0; f < opts->n_files && !atomic_load(&ctx.stop); f++) {
      fr_file_state *fs = &files[f];
      int eof = 0;
      int first = 1;
      for (;;) {
        if (atomic_load(&ctx.stop))
          break;
        /* Keep memory bounded: drain the pipeline when it is full. */
        if (in_flight >= max_in_flight) {
#pragma omp taskwait
          in_flight = 0;
        }
        if (job == NULL) {
          job = fr_job_create();
          if (job == NULL) {
#pragma omp taskwait
            if (ctx.status == FR_OK)
              ctx.status = fr_error_set(&ctx.err, FR_ERR_NOMEM, "out of memory");
            atomic_store(&ctx.stop, 1);
            break;
          }
        }
        job->file_idx = f;
        fr_error read_err;
        fr_error_clear(&read_err);
        fr_status read_status;
        int have_block = 0;
        if (first) {
          read_status = fr_ingest_open_file(&ctx, fs, f, job, &eof, &have_block, &read_err);
          first = 0;
          if (read_status == FR_OK) {
            ctx.n_columns = ctx.schema.n_columns;
            if (res->decimal_sums == NULL) {
              res->decimal_sums = fr_calloc(ctx.n_columns ? ctx.n_columns : 1, sizeof *res->decimal_sums);
              if (res->decimal_sums == NULL)
                read_status = fr_error_set(&read_err, FR_ERR_NOMEM, "out of memory");
            }
            if (ctx.writer == NULL && ctx.n_columns > 0) {
              char path[4096];
              snprintf(ctx.segment_relative, sizeof ctx.segment_relative, "data/%s-v%llu-%016llx.fseg",
                       opts->table, (unsigned long long)ctx.store->manifest.version + 1,
                       (unsigned long long)segment_id);
              fr_store_path(ctx.store, ctx.segment_relative, path, sizeof path);
              read_status = fr_segment_writer_create(&ctx.writer, path, segment_id, opts->table,
                                                     &ctx.schema, &read_err);
            }
          }
          if (read_status != FR_OK) {
#pragma omp taskwait
            if (ctx.status == FR_OK) {
              ctx.status = read_status;
              ctx.err = read_err;
            }
            atomic_store(&ctx.stop, 1);
            break;
          }
        }
        if (!have_block) {
          job->first_rec = 0;
          job->xes = fs->xes != NULL;
          if (fs->xes != NULL)
            read_status = fr_xes_reader_next(fs->xes, &job->block, &job->xes_pos, max_rows,
                                             FR_INGEST_BLOCK_BYTES, &eof, &read_err);
          else
            read_status = fr_csv_reader_next(fs->reader, &job->block, max_rows,
                                             FR_INGEST_BLOCK_BYTES, &eof, &read_err);
          if (read_status == FR_ERR_PARSE || read_status == FR_ERR_IO) {
            /* The input itself is damaged (truncated or corrupt stream, malformed
             * XML): keep what came before, reject the cut-off rest, go on with the
             * next file. */
            const uint8_t *tail;
            size_t tail_len;
            uint64_t line, column = 1;
            job->source_failed = 1;
            if (fs->xes != NULL) {
              fr_xes_reader_tail(fs->xes, &tail, &tail_len, &line, &column);
              snprintf(job->source_msg, sizeof job->source_msg, "%.900s", read_err.msg);
            } else {
              fr_csv_reader_tail(fs->reader, &tail, &tail_len, &line);
              memcpy(job->source_msg, "input ends early: ", 18);
              snprintf(job->source_msg + 18, sizeof job->source_msg - 18, "%.900s", read_err.msg);
            }
            job->source_line = line;
            job->source_column = column;
            fr_buf_put(&job->source_tail, tail, tail_len > 1024 ? 1024 : tail_len);
            res->rows_read++;
            eof = 1;
          } else if (read_status != FR_OK) {
#pragma omp taskwait
            if (ctx.status == FR_OK) {
              ctx.status = read_status;
              ctx.err = read_err;
            }
            atomic_store(&ctx.stop, 1);
            break;
          }
        }
        job->spec = &fs->spec;
        job->raw_pos = fr_source_raw_pos(fs->src);
        job->raw_size = fr_source_raw_size(fs->src);
        uint32_t n_job_records = job->block.n_records > job->first_rec ? job->block.n_records - job->first_rec : 0;
        res->rows_read += n_job_records;
        if (fs->xes == NULL)
          res->input_bytes += job->block.n_bytes; /* XES: the parsed bytes, added per file */
        fr_ingest_job *task_job = job;
        job = NULL;
        in_flight++;
#pragma omp task firstprivate(task_job) shared(ctx) depend(out: task_job[0])
        fr_job_convert(&ctx, task_job);
#pragma omp task firstprivate(task_job) shared(ctx) depend(in: task_job[0]) depend(inout: ctx.writer_token)
        fr_job_write(&ctx, task_job);
        if (eof)
          break;
      }
      if (fs->src != NULL)
        ctx.raw_done_before += fr_source_raw_size(fs->src);
      if (fs->xes != NULL) {
        const fr_xes_stats *xes_stats = fr_xes_reader_stats(fs->xes);
        res->input_bytes += xes_stats->bytes;
        res->xes_traces += xes_stats->n_traces;
        res->xes_events += xes_stats->n_events;
        res->xes_skipped += xes_stats->n_skipped;
      }
    }
#pragma omp taskwait
  }
  fr_job_free(job);
  job = NULL;
  if (ctx.rejects != NULL) {
    if (fclose(ctx.rejects) != 0 && ctx.status == FR_OK)
      ctx.status = fr_error_set(&ctx.err, FR_ERR_IO, "cannot write rejects file %s", res->rejects_path);
    ctx.rejects = NULL;
  } else if (opts->rejects_path != NULL) {
    /* Asked-for rejects file: leave it with just the header, never stale rows. */
    FILE *empty = fopen(res->rejects_path, "w");
    if (empty == NULL || fputs("file,line,column,field,reason,record\n", empty) < 0) {
      if (ctx.status == FR_OK)
        ctx.status = fr_error_set(&ctx.err, FR_ERR_IO, "cannot write rejects file %s", res->rejects_path);
    }
    if (empty != NULL)
      fclose(empty);
    res->rejects_path[0] = '\0';
  } else {
    res->rejects_path[0] = '\0';
  }
  res->rows_stored = ctx.rows_stored;
  res->rows_rejected = ctx.rows_rejected;
  if (ctx.status != FR_OK) {
    status = ctx.status;
    fr_error_set(err, status, "%s", ctx.err.msg);
    goto done;
  }
  /* Nothing lost: every record read is stored or rejected. */
  if (!opts->strict && res->rows_read != ctx.rows_stored + ctx.rows_rejected) {
    status = fr_error_set(err, FR_ERR_INVALID,
                          "internal error: %llu rows read but %llu stored + %llu rejected; "
                          "nothing was committed",
                          (unsigned long long)res->rows_read, (unsigned long long)ctx.rows_stored,
                          (unsigned long long)ctx.rows_rejected);
    goto done;
  }
  if (opts->strict && ctx.rows_rejected > 0) {
    status = fr_error_set(err, FR_ERR_PARSE,
                          "--strict: %llu of %llu rows are bad, nothing was stored (see %s)",
                          (unsigned long long)ctx.rows_rejected, (unsigned long long)res->rows_read,
                          res->rejects_path);
    goto done;
  }
  if (ctx.schema.n_columns == 0) {
    status = fr_error_set(err, FR_ERR_PARSE, "the input holds no columns");
    goto done;
  }
  if (ctx.writer != NULL) {
    if (ctx.rows_stored > 0) {
      status = fr_segment_writer_finish(ctx.writer, &seg_info, err);
      ctx.writer = NULL;
      if (status != FR_OK)
        goto done;
      res->stored_bytes = seg_info.file_bytes;
    } else {
      fr_segment_writer_abort(ctx.writer);
      ctx.writer = NULL;
    }
  }
  status = fr_ingest_commit(&ctx, ctx.rows_stored > 0 ? &seg_info : NULL, err);
  if (status == FR_OK) {
    res->committed = 1;
    res->version = ctx.store->manifest.version;
  }
done:
  fr_segment_writer_abort(ctx.writer);
  fr_job_free(job);
  if (files != NULL) {
    for (uint32_t f = 0; f < opts->n_files; f++) {
      fr_file_state_close(&files[f]);
      fr_free(files[f].field_of_column);
    }
    fr_free(files);
  }
  res->schema = ctx.schema;
  fr_schema_init(&ctx.schema);
  fr_store_close(ctx.store);
  return status;
}

/* ---- OCDS ---------------------------------------------------------------------------- */

/* OCDS input (fr_ocds_reader.h): the lines are converted into five CSV files in a
 * private temporary directory, each then ingested with its fixed schema, strict,
 * into TABLE_<suffix> by the pipeline above; each table commits on its own (a
 * failure part-way leaves the earlier tables ingested).  Invalid lines are
 * rejected with file and line (STORE/rejects/TABLE-ocds-TIME.csv or --rejects);
 * rows_read = lines, rows_stored = processes stored, rows_rejected = invalid lines. */
static fr_status fr_ingest_ocds(const char *store_dir, const fr_ingest_options *opts, fr_ingest_result *res,
                                fr_error *err) {
  const char *tmp = getenv("TMPDIR");
  char dir[1024], csv_path[FR_OCDS_N_TABLES][1100], schema_path[FR_OCDS_N_TABLES][1100];
  snprintf(dir, sizeof dir, "%s/ferret-ocds-XXXXXX", tmp != NULL && tmp[0] ? tmp : "/tmp");
  FR_FAIL_IF(mkdtemp(dir) == NULL, FR_ERR_IO, err, "cannot create a temporary directory %s: %s", dir,
             strerror(errno));
  FILE *csv[FR_OCDS_N_TABLES] = {0};
  memset(csv_path, 0, sizeof csv_path);
  memset(schema_path, 0, sizeof schema_path);
  fr_buf rows[FR_OCDS_N_TABLES], rej;
  fr_buf_init(&rej);
  for (int t = 0; t < FR_OCDS_N_TABLES; t++) fr_buf_init(&rows[t]);
  fr_status status = FR_OK;
  uint64_t n_ok = 0, n_bad = 0;
  for (int t = 0; t < FR_OCDS_N_TABLES && status == FR_OK; t++) {
    snprintf(csv_path[t], sizeof csv_path[t], "%s/%s.csv", dir, fr_ocds_table_suffix((fr_ocds_table)t));
    snprintf(schema_path[t], sizeof schema_path[t], "%s/%s.schema", dir, fr_ocds_table_suffix((fr_ocds_table)t));
    FILE *sf = fopen(schema_path[t], "w");
    csv[t] = fopen(csv_path[t], "w");
    if (sf == NULL || csv[t] == NULL || fputs(fr_ocds_table_schema((fr_ocds_table)t), sf) < 0 ||
        fputs(fr_ocds_table_header((fr_ocds_table)t), csv[t]) < 0)
      status = fr_error_set(err, FR_ERR_IO, "cannot write temporary files in %s: %s", dir, strerror(errno));
    if (sf != NULL && fclose(sf) != 0 && status == FR_OK)
      status = fr_error_set(err, FR_ERR_IO, "cannot write %s", schema_path[t]);
  }
  for (uint32_t f = 0; f < opts->n_files && status == FR_OK; f++) {
    fr_source *src = NULL;
    fr_ocds_reader *reader = NULL;
    status = fr_source_open(&src, opts->files[f], err);
    if (status == FR_OK)
      status = fr_ocds_reader_create(&reader, src, opts->max_record_bytes ? opts->max_record_bytes : 0, err);
    while (status == FR_OK) {
      fr_ocds_line kind;
      uint64_t line_no = 0;
      char msg[256];
      status = fr_ocds_reader_next(reader, rows, &kind, &line_no, msg, sizeof msg, err);
      if (status != FR_OK || kind == FR_OCDS_LINE_EOF)
        break;
      if (kind == FR_OCDS_LINE_OK) {
        n_ok++;
      } else {
        n_bad++;
        const char *name = fr_source_name(src);
        if (res->n_samples < FR_INGEST_SAMPLE_REJECTS)
          snprintf(res->samples[res->n_samples++], sizeof res->samples[0], "%s:%llu: %s, skipped", name,
                   (unsigned long long)line_no, msg);
        char num[32];
        fr_write_csv_field(&rej, name, strlen(name), 0);
        snprintf(num, sizeof num, ",%llu,", (unsigned long long)line_no);
        fr_buf_put(&rej, num, strlen(num));
        fr_write_csv_field(&rej, msg, strlen(msg), 0);
        fr_buf_put_u8(&rej, '\n');
      }
      for (int t = 0; t < FR_OCDS_N_TABLES && status == FR_OK; t++) {
        if (rows[t].failed || rej.failed) {
          status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
        } else if (rows[t].len >= ((size_t)1 << 20) || kind == FR_OCDS_LINE_EOF) {
          if (rows[t].len > 0 && fwrite(rows[t].data, 1, rows[t].len, csv[t]) != rows[t].len)
            status = fr_error_set(err, FR_ERR_IO, "cannot write %s: %s", csv_path[t], strerror(errno));
          fr_buf_reset(&rows[t]);
        }
      }
    }
    if (reader != NULL) res->input_bytes += fr_ocds_reader_bytes(reader);
    fr_ocds_reader_destroy(reader);
    fr_source_close(src);
  }
  for (int t = 0; t < FR_OCDS_N_TABLES; t++) {
    if (csv[t] == NULL)
      continue;
    if (status == FR_OK && rows[t].len > 0 && fwrite(rows[t].data, 1, rows[t].len, csv[t]) != rows[t].len)
      status = fr_error_set(err, FR_ERR_IO, "cannot write %s: %s", csv_path[t], strerror(errno));
    if (fclose(csv[t]) != 0 && status == FR_OK)
      status = fr_error_set(err, FR_ERR_IO, "cannot write %s", csv_path[t]);
    fr_buf_free(&rows[t]);
  }
  if (status == FR_OK && n_bad > 0 && opts->strict)
    status = fr_error_set(err, FR_ERR_PARSE, "%llu invalid line%s (--strict: nothing stored)",
                          (unsigned long long)n_bad, n_bad == 1 ? "" : "s");
  for (int t = 0; t < FR_OCDS_N_TABLES && status == FR_OK; t++) {
    char table[160];
    snprintf(table, sizeof table, "%s_%s", opts->table, fr_ocds_table_suffix((fr_ocds_table)t));
    const char *files[1] = {csv_path[t]};
    fr_ingest_options sub = *opts;
    sub.table = table;
    sub.files = files;
    sub.n_files = 1;
    sub.format = FR_INPUT_CSV;
    sub.delimiter = ',';
    sub.schema_file = schema_path[t];
    sub.rejects_path = NULL;
    sub.strict = 1;
    sub.max_record_bytes = (size_t)1 << 30;
    sub.progress = NULL;
    fr_ingest_result sub_res;
    status = fr_ingest(store_dir, &sub, &sub_res, err);
    if (status != FR_OK) {
      fr_error_prefix(err, "table %s: ", table);
    } else {
      res->version = sub_res.version;
      res->committed = 1;
      res->stored_bytes += sub_res.stored_bytes;
      if (t == FR_OCDS_PROCESSES) {
        res->rows_stored = sub_res.rows_stored;
        fr_schema_free(&res->schema);
        res->schema = sub_res.schema;
        fr_schema_init(&sub_res.schema);
      }
    }
    fr_ingest_result_free(&sub_res);
  }
  res->rows_read = n_ok + n_bad;
  res->rows_rejected = n_bad;
  if (status == FR_OK && n_bad > 0) {
    if (opts->rejects_path != NULL) {
      snprintf(res->rejects_path, sizeof res->rejects_path, "%s", opts->rejects_path);
    } else {
      char stamp[32];
      time_t now = time(NULL);
      struct tm tm_now;
      localtime_r(&now, &tm_now);
      strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm_now);
      char rdir[2048];
      snprintf(rdir, sizeof rdir, "%.2000s/rejects", store_dir);
      (void)mkdir(rdir, 0777);
      snprintf(res->rejects_path, sizeof res->rejects_path, "%s/%.160s-ocds-%.20s.csv", rdir, opts->table, stamp);
    }
    FILE *rf = fopen(res->rejects_path, "w");
    if (rf == NULL || fputs("file,line,reason\n", rf) < 0 || fwrite(rej.data, 1, rej.len, rf) != rej.len)
      status = fr_error_set(err, FR_ERR_IO, "cannot write rejects file %s: %s", res->rejects_path, strerror(errno));
    if (rf != NULL && fclose(rf) != 0 && status == FR_OK)
      status = fr_error_set(err, FR_ERR_IO, "cannot write rejects file %s", res->rejects_path);
  }
  fr_buf_free(&rej);
  for (int t = 0; t < FR_OCDS_N_TABLES; t++) {
    if (csv_path[t][0]) remove(csv_path[t]);
    if (schema_path[t][0]) remove(schema_path[t]);
  }
  remove(dir);
  return status;
}

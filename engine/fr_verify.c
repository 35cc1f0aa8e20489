/* fr_verify.c - store verification (see fr_verify.h).
 * Workload: reads every stored byte once; chunks of a segment are checked in
 * parallel (OpenMP) and their problems reported in (row group, column) order. */
#include "fr_verify.h"

#include <dirent.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "fr_alloc.h"

void fr_verify_report_free(fr_verify_report *report) {
  fr_free(report->problems);
  fr_free(report->notes);
  memset(report, 0, sizeof *report);
}

__attribute__((format(printf, 3, 4)))
static void fr_report_add(char (**list)[640], uint32_t *n, const char *fmt, ...) {
  char (*grown)[640] = fr_realloc(*list, (*n + 1) * sizeof **list);
  if (grown == NULL)
    return;
  *list = grown;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(grown[*n], sizeof grown[*n], fmt, ap);
  va_end(ap);
  (*n)++;
}

#define FR_PROBLEM(report, ...) fr_report_add(&(report)->problems, &(report)->n_problems, __VA_ARGS__)
#define FR_NOTE(report, ...) fr_report_add(&(report)->notes, &(report)->n_notes, __VA_ARGS__)

typedef struct fr_chunk_check {
  fr_status status;
  char msg[FR_ERROR_MSG_CAP];
  fr_i128 sum;             /* decimal sum of the chunk */
} fr_chunk_check;

static void fr_verify_segment(const fr_store *store, const fr_table_meta *table, uint32_t seg_idx,
                              fr_verify_report *report, uint64_t *rows, fr_i128 *sums) {
  const fr_segment_record *rec = &table->segments[seg_idx];
  char path[4096];
  fr_store_path(store, rec->file, path, sizeof path);
  fr_segment *seg;
  fr_error err;
  fr_error_clear(&err);
  if (fr_segment_open(&seg, path, &rec->info, &err) != FR_OK) {
    FR_PROBLEM(report, "table %s, segment %s: %s", table->name, rec->file, err.msg);
    return;
  }
  report->n_segments++;
  const uint32_t n_columns = table->schema.n_columns;
  const fr_schema *seg_schema = fr_segment_schema(seg);
  int schema_ok = seg_schema->n_columns == n_columns;
  for (uint32_t c = 0; c < n_columns && schema_ok; c++)
    schema_ok = strcmp(seg_schema->columns[c].name, table->schema.columns[c].name) == 0 &&
                seg_schema->columns[c].type == table->schema.columns[c].type;
  if (!schema_ok) {
    FR_PROBLEM(report, "table %s, segment %s: its columns differ from the table's schema",
               table->name, rec->file);
    fr_segment_close(seg);
    return;
  }
  uint32_t n_rgs = fr_segment_n_row_groups(seg);
  size_t n_checks = (size_t)n_rgs * n_columns;
  fr_chunk_check *checks = fr_calloc(n_checks ? n_checks : 1, sizeof *checks);
  if (checks == NULL) {
    FR_PROBLEM(report, "table %s, segment %s: out of memory verifying", table->name, rec->file);
    fr_segment_close(seg);
    return;
  }
#pragma omp parallel
  {
    fr_column col;
    fr_column_init(&col, FR_TYPE_STRING);
    fr_buf stored, scratch;
    fr_buf_init(&stored);
    fr_buf_init(&scratch);
#pragma omp for schedule(dynamic, 4)
    for (size_t idx = 0; idx < n_checks; idx++) {
      uint32_t rg = (uint32_t)(idx / n_columns), c = (uint32_t)(idx % n_columns);
      fr_error chunk_err;
      fr_error_clear(&chunk_err);
      checks[idx].status = fr_segment_read_chunk(seg, rg, c, &col, &stored, &scratch, &chunk_err);
      if (checks[idx].status != FR_OK) {
        snprintf(checks[idx].msg, sizeof checks[idx].msg, "%s", chunk_err.msg);
        continue;
      }
      if (col.type == FR_TYPE_DECIMAL)
        for (uint32_t row = 0; row < col.n_rows; row++)
          checks[idx].sum += col.i64[row];
    }
    fr_column_free(&col);
    fr_buf_free(&stored);
    fr_buf_free(&scratch);
  }
  for (size_t idx = 0; idx < n_checks; idx++) {
    uint32_t rg = (uint32_t)(idx / n_columns), c = (uint32_t)(idx % n_columns);
    report->n_chunks++;
    report->bytes_read += fr_segment_chunk(seg, rg, c)->stored_len;
    if (checks[idx].status != FR_OK)
      FR_PROBLEM(report, "table %s, segment %s, row group %u, column %s, chunk %zu: %s", table->name,
                 rec->file, rg, table->schema.columns[c].name, idx, checks[idx].msg);
    else
      sums[c] += checks[idx].sum;
  }
  *rows += fr_segment_n_rows(seg);
  fr_free(checks);
  fr_segment_close(seg);
}

static void fr_verify_leftovers(const fr_store *store, fr_verify_report *report) {
  char path[4096];
  fr_store_path(store, "data", path, sizeof path);
  DIR *dir = opendir(path);
  if (dir == NULL) {
    FR_PROBLEM(report, "cannot list %s", path);
    return;
  }
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    if (entry->d_name[0] == '.')
      continue;
    char relative[FR_NAME_CAP + 8];
    snprintf(relative, sizeof relative, "data/%s", entry->d_name);
    if (!fr_manifest_references(&store->manifest, relative))
      FR_NOTE(report, "%s is not part of any committed version (left by an interrupted ingest; "
                      "the next ingest removes it)", relative);
  }
  closedir(dir);
}

/* The history copies are the witnesses of SPEC §2.3 and the way back after a
 * damaged MANIFEST: each must decode and carry its own version, and the copy of
 * the current version must equal MANIFEST byte for byte. */
static void fr_verify_history(const fr_store *store, fr_verify_report *report) {
  char path[4096];
  fr_store_path(store, "history", path, sizeof path);
  DIR *dir = opendir(path);
  if (dir == NULL) {
    if (store->manifest.version > 0)
      FR_NOTE(report, "history/ is missing: a replayed old MANIFEST could not be detected");
    return;
  }
  fr_buf current, copy;
  fr_buf_init(&current);
  fr_buf_init(&copy);
  /* Compare with the snapshot's own bytes (decode/encode is lossless), not with
   * MANIFEST on disk, which a concurrent ingest may already have replaced. */
  int have_current = fr_manifest_encode(&store->manifest, &current) == FR_OK;
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    unsigned long long version;
    char tail;
    if (sscanf(entry->d_name, "MANIFEST.%llu%c", &version, &tail) != 1)
      continue;
    char file[4096 + 300];
    snprintf(file, sizeof file, "%s/%s", path, entry->d_name);
    fr_manifest m;
    fr_error err;
    fr_error_clear(&err);
    int missing = 0;
    fr_buf_reset(&copy);
    if (fr_store_read_file(file, &copy, &missing, NULL) != FR_OK || missing) {
      FR_PROBLEM(report, "history/%s cannot be read", entry->d_name);
      continue;
    }
    if (fr_manifest_decode(&m, copy.data, copy.len, entry->d_name, &err) != FR_OK) {
      FR_PROBLEM(report, "history/%s: %s", entry->d_name, err.msg);
      continue;
    }
    if (m.version != version)
      FR_PROBLEM(report, "history/%s holds version %llu", entry->d_name, (unsigned long long)m.version);
    else if (version == store->manifest.version && have_current &&
             (copy.len != current.len || memcmp(copy.data, current.data, copy.len) != 0))
      FR_PROBLEM(report, "history/%s differs from MANIFEST of the same version", entry->d_name);
    fr_manifest_free(&m);
  }
  closedir(dir);
  fr_buf_free(&current);
  fr_buf_free(&copy);
}

fr_status fr_store_verify(const char *dir, fr_verify_report *report, fr_error *err) {
  memset(report, 0, sizeof *report);
  fr_store *store;
  fr_error open_err;
  fr_error_clear(&open_err);
  fr_status status = fr_store_open(&store, dir, &open_err);
  if (status == FR_ERR_NOTFOUND || status == FR_ERR_NOMEM || status == FR_ERR_IO)
    return fr_error_set(err, status, "%s", open_err.msg);
  if (status != FR_OK) {
    FR_PROBLEM(report, "%s", open_err.msg);
    return FR_OK;
  }
  /* The current manifest must equal its history witness when one exists. */
  char history[4096], relative[64];
  snprintf(relative, sizeof relative, "history/MANIFEST.%llu", (unsigned long long)store->manifest.version);
  fr_store_path(store, relative, history, sizeof history);
  struct stat st;
  if (store->manifest.version > 0 && stat(history, &st) != 0)
    FR_NOTE(report, "%s is missing (the ingest that committed version %llu stopped before writing it)",
            relative, (unsigned long long)store->manifest.version);
  fr_verify_history(store, report);
  for (uint32_t t = 0; t < store->manifest.n_tables; t++) {
    const fr_table_meta *table = &store->manifest.tables[t];
    report->n_tables++;
    uint64_t rows = 0;
    fr_i128 *sums = fr_calloc(table->schema.n_columns ? table->schema.n_columns : 1, sizeof *sums);
    if (sums == NULL) {
      fr_store_close(store);
      return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    }
    uint32_t problems_before = report->n_problems;
    for (uint32_t s = 0; s < table->n_segments; s++)
      fr_verify_segment(store, table, s, report, &rows, sums);
    report->n_rows += rows;
    if (report->n_problems == problems_before) {
      if (rows != table->n_rows)
        FR_PROBLEM(report, "table %s: holds %llu rows but its control total says %llu", table->name,
                   (unsigned long long)rows, (unsigned long long)table->n_rows);
      for (uint32_t c = 0; c < table->schema.n_columns; c++) {
        if (table->schema.columns[c].type != FR_TYPE_DECIMAL || sums[c] == table->decimal_sums[c])
          continue;
        char got[64], want[64];
        fr_format_decimal_sum(got, sums[c]);
        fr_format_decimal_sum(want, table->decimal_sums[c]);
        FR_PROBLEM(report, "table %s, column %s: sum is %s but its control total says %s",
                   table->name, table->schema.columns[c].name, got, want);
      }
    }
    fr_free(sums);
  }
  fr_verify_leftovers(store, report);
  fr_store_close(store);
  return FR_OK;
}

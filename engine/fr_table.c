/* fr_table.c - table export and summaries (see fr_table.h).
 * Workload: export streams every row (10^7..10^8) through decode and render;
 * row groups are processed in rounds of 2 x threads to bound memory. */
#include "fr_table.h"

#include <omp.h>
#include <stdio.h>
#include <string.h>

#include "fr_alloc.h"

size_t fr_edit_distance(const char *a, const char *b) {
  size_t n = strlen(a), m = strlen(b);
  if (n > 255 || m > 255)
    return n > m ? n : m;
  size_t row[256];
  for (size_t j = 0; j <= m; j++)
    row[j] = j;
  for (size_t i = 1; i <= n; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= m; j++) {
      size_t up = row[j];
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      size_t best = diag + cost;
      if (row[j] + 1 < best) best = row[j] + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[m];
}

fr_status fr_table_find(const fr_store *store, const char *name, const fr_table_meta **out,
                        fr_error *err) {
  *out = fr_manifest_table(&store->manifest, name);
  if (*out != NULL)
    return FR_OK;
  const char *best = NULL;
  size_t best_distance = 0;
  for (uint32_t t = 0; t < store->manifest.n_tables; t++) {
    size_t d = fr_edit_distance(name, store->manifest.tables[t].name);
    if (best == NULL || d < best_distance) {
      best = store->manifest.tables[t].name;
      best_distance = d;
    }
  }
  if (best != NULL && best_distance <= 3)
    return fr_error_set(err, FR_ERR_NOTFOUND, "no table \"%s\" in %s; did you mean \"%s\"?", name,
                        store->dir, best);
  if (store->manifest.n_tables == 0)
    return fr_error_set(err, FR_ERR_NOTFOUND, "no table \"%s\": the store %s is empty", name, store->dir);
  char list[512] = "";
  size_t used = 0;
  for (uint32_t t = 0; t < store->manifest.n_tables && used < 400; t++) {
    int n = snprintf(list + used, sizeof list - used, "%s%.100s", t ? ", " : "",
                     store->manifest.tables[t].name);
    used += n > 0 ? (size_t)n : 0;
  }
  return fr_error_set(err, FR_ERR_NOTFOUND, "no table \"%s\" in %s (tables: %s)", name, store->dir, list);
}

typedef struct fr_export_slot {
  fr_buf out;
  fr_column *columns;
  fr_buf stored, scratch;
  fr_status status;
  fr_error err;
} fr_export_slot;

fr_status fr_table_export(const fr_store *store, const char *table_name, fr_output_format format,
                          fr_emit_fn emit, void *emit_ctx, fr_error *err) {
  const fr_table_meta *table;
  FR_TRY(fr_table_find(store, table_name, &table, err));
  const uint32_t n_columns = table->schema.n_columns;
  fr_status status = FR_OK;
  if (format == FR_OUTPUT_CSV) {
    fr_buf header;
    fr_buf_init(&header);
    fr_write_csv_header(&header, &table->schema);
    int failed = header.failed || emit(emit_ctx, header.data, header.len) != 0;
    fr_buf_free(&header);
    FR_FAIL_IF(failed, FR_ERR_IO, err, "cannot write the output");
  }
  int n_slots = 2 * omp_get_max_threads();
  fr_export_slot *slots = fr_calloc((size_t)n_slots, sizeof *slots);
  FR_FAIL_IF(slots == NULL, FR_ERR_NOMEM, err, "out of memory");
  for (int s = 0; s < n_slots; s++) {
    slots[s].columns = fr_calloc(n_columns, sizeof(fr_column));
    if (slots[s].columns == NULL)
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  for (uint32_t seg_idx = 0; seg_idx < table->n_segments && status == FR_OK; seg_idx++) {
    const fr_segment_record *rec = &table->segments[seg_idx];
    char path[4096];
    fr_store_path(store, rec->file, path, sizeof path);
    fr_segment *seg;
    status = fr_segment_open(&seg, path, &rec->info, err);
    if (status != FR_OK) {
      fr_error_prefix(err, "table %s: ", table->name);
      break;
    }
    const fr_schema *seg_schema = fr_segment_schema(seg);
    if (seg_schema->n_columns != n_columns) {
      status = fr_error_set(err, FR_ERR_CORRUPT, "table %s: segment %s has %u columns, the table %u",
                            table->name, rec->file, seg_schema->n_columns, n_columns);
      fr_segment_close(seg);
      break;
    }
    uint32_t n_rgs = fr_segment_n_row_groups(seg);
    for (uint32_t round = 0; round < n_rgs && status == FR_OK; round += (uint32_t)n_slots) {
      int in_round = (int)(n_rgs - round < (uint32_t)n_slots ? n_rgs - round : (uint32_t)n_slots);
#pragma omp parallel for schedule(dynamic, 1)
      for (int s = 0; s < in_round; s++) {
        fr_export_slot *slot = &slots[s];
        fr_buf_reset(&slot->out);
        fr_error_clear(&slot->err);
        slot->status = FR_OK;
        uint32_t rg = round + (uint32_t)s;
        for (uint32_t c = 0; c < n_columns && slot->status == FR_OK; c++)
          slot->status = fr_segment_read_chunk(seg, rg, c, &slot->columns[c], &slot->stored,
                                               &slot->scratch, &slot->err);
        if (slot->status != FR_OK)
          continue;
        if (format == FR_OUTPUT_JSON)
          fr_write_json_rows(&slot->out, slot->columns, &table->schema);
        else
          fr_write_csv_rows(&slot->out, slot->columns, n_columns);
        if (slot->out.failed)
          slot->status = fr_error_set(&slot->err, FR_ERR_NOMEM, "out of memory rendering rows");
      }
      for (int s = 0; s < in_round && status == FR_OK; s++) {
        if (slots[s].status != FR_OK) {
          status = fr_error_set(err, slots[s].status, "table %s: %s", table->name, slots[s].err.msg);
          break;
        }
        if (emit(emit_ctx, slots[s].out.data, slots[s].out.len) != 0)
          status = fr_error_set(err, FR_ERR_IO, "cannot write the output");
      }
    }
    fr_segment_close(seg);
  }
  for (int s = 0; s < n_slots; s++) {
    if (slots[s].columns != NULL)
      for (uint32_t c = 0; c < n_columns; c++)
        fr_column_free(&slots[s].columns[c]);
    fr_free(slots[s].columns);
    fr_buf_free(&slots[s].out);
    fr_buf_free(&slots[s].stored);
    fr_buf_free(&slots[s].scratch);
  }
  fr_free(slots);
  return status;
}

fr_status fr_table_summarize(const fr_store *store, const fr_table_meta *table,
                             fr_column_summary *out, fr_error *err) {
  const uint32_t n_columns = table->schema.n_columns;
  memset(out, 0, n_columns * sizeof *out);
  for (uint32_t seg_idx = 0; seg_idx < table->n_segments; seg_idx++) {
    const fr_segment_record *rec = &table->segments[seg_idx];
    char path[4096];
    fr_store_path(store, rec->file, path, sizeof path);
    fr_segment *seg;
    fr_status status = fr_segment_open(&seg, path, &rec->info, err);
    if (status != FR_OK)
      return fr_error_prefix(err, "table %s: ", table->name);
    for (uint32_t rg = 0; rg < fr_segment_n_row_groups(seg); rg++) {
      for (uint32_t c = 0; c < n_columns && c < fr_segment_schema(seg)->n_columns; c++) {
        const fr_chunk_meta *meta = fr_segment_chunk(seg, rg, c);
        fr_column_summary *sum = &out[c];
        fr_type type = table->schema.columns[c].type;
        sum->null_count += meta->null_count;
        sum->stored_bytes += meta->stored_len;
        sum->raw_bytes += meta->raw_len;
        sum->n_chunks++;
        sum->n_zstd_chunks += meta->compression == FR_COMP_ZSTD || meta->compression == FR_COMP_ZSTD_FRAMES;
        if (meta->encoding < 6)
          sum->encoding_chunks[meta->encoding]++;
        if (!(meta->stats_flags & FR_STATS_HAS_MINMAX))
          continue;
        int first = !sum->has_minmax;
        sum->has_minmax = 1;
        if (type == FR_TYPE_STRING) {
          if (first || fr_bytes_cmp(meta->min_str, meta->min_str_len, sum->min_str, strlen(sum->min_str)) < 0) {
            memcpy(sum->min_str, meta->min_str, meta->min_str_len);
            sum->min_str[meta->min_str_len] = '\0';
          }
          if (first || fr_bytes_cmp(meta->max_str, meta->max_str_len, sum->max_str, strlen(sum->max_str)) > 0) {
            memcpy(sum->max_str, meta->max_str, meta->max_str_len);
            sum->max_str[meta->max_str_len] = '\0';
            sum->max_truncated = (meta->stats_flags & FR_STATS_MAX_TRUNCATED) != 0;
          }
        } else if (type == FR_TYPE_FLOAT64) {
          if (first || meta->min_f64 < sum->min_f64) sum->min_f64 = meta->min_f64;
          if (first || meta->max_f64 > sum->max_f64) sum->max_f64 = meta->max_f64;
        } else {
          if (first || meta->min_i64 < sum->min_i64) sum->min_i64 = meta->min_i64;
          if (first || meta->max_i64 > sum->max_i64) sum->max_i64 = meta->max_i64;
        }
      }
    }
    fr_segment_close(seg);
  }
  return FR_OK;
}

/* cmd_info.c - `ferret info STORE [TABLE] [--format table|json]`: tables, sizes,
 * per-column types, encodings, nulls, min/max, control totals, version history. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include "cli.h"

static const char fr_info_help[] =
    "usage: ferret info STORE [TABLE] [--format table|json]\n"
    "\n"
    "Shows the store's version, and for each table (or only TABLE): rows, segments,\n"
    "row groups, raw and stored bytes, each column's type, encodings, null count,\n"
    "min and max (from the zone maps), the control totals (row count and the sum of\n"
    "each decimal column) and the history of committed versions.\n";

static void fr_format_time_us(char *out, size_t cap, uint64_t us) {
  time_t secs = (time_t)(us / 1000000);
  struct tm tm_local;
  localtime_r(&secs, &tm_local);
  strftime(out, cap, "%Y-%m-%d %H:%M:%S", &tm_local);
}

static void fr_summary_value(char *out, size_t cap, fr_type type, const fr_column_summary *sum, int is_max) {
  if (!sum->has_minmax) {
    snprintf(out, cap, "%s", "");
    return;
  }
  if (type == FR_TYPE_STRING) {
    snprintf(out, cap, "%s%s", is_max ? sum->max_str : sum->min_str, is_max && sum->max_truncated ? "..." : "");
    return;
  }
  char text[FR_VALUE_TEXT_CAP + 1];
  size_t len = fr_format_value(text, type, is_max ? sum->max_i64 : sum->min_i64,
                               is_max ? sum->max_f64 : sum->min_f64);
  text[len] = '\0';
  snprintf(out, cap, "%s", text);
}

static void fr_encodings_text(char *out, size_t cap, const fr_column_summary *sum) {
  out[0] = '\0';
  static const char *names[6] = {"plain", "for-bitpack", "delta-bitpack", "plain", "plain", "dictionary"};
  for (int enc = 0; enc < 6; enc++) {
    if (sum->encoding_chunks[enc] == 0)
      continue;
    size_t used = strlen(out);
    snprintf(out + used, cap - used, "%s%s", used ? "," : "", names[enc]);
  }
  if (sum->n_zstd_chunks > 0) {
    size_t used = strlen(out);
    snprintf(out + used, cap - used, "+zstd(%u/%u)", sum->n_zstd_chunks, sum->n_chunks);
  }
}

static void fr_json_str(FILE *out, const char *s) {
  fr_buf buf;
  fr_buf_init(&buf);
  fr_write_json_string(&buf, s, strlen(s));
  fwrite(buf.data, 1, buf.len, out);
  fr_buf_free(&buf);
}

static int fr_info_table(const fr_store *store, const fr_table_meta *table, int json, int first) {
  uint32_t n_columns = table->schema.n_columns;
  fr_column_summary *sums = calloc(n_columns ? n_columns : 1, sizeof *sums);
  if (sums == NULL)
    return fr_cli_fail("info", FR_ERR_NOMEM, NULL);
  fr_error err;
  fr_error_clear(&err);
  fr_status status = fr_table_summarize(store, table, sums, &err);
  if (status != FR_OK) {
    free(sums);
    return fr_cli_fail("info", status, &err);
  }
  uint64_t n_rgs = 0, stored = 0, raw = 0;
  for (uint32_t s = 0; s < table->n_segments; s++) {
    n_rgs += table->segments[s].info.n_row_groups;
    stored += table->segments[s].info.file_bytes;
    raw += table->segments[s].info.raw_bytes;
  }
  if (json) {
    printf("%s{\"name\":", first ? "" : ",");
    fr_json_str(stdout, table->name);
    printf(",\"rows\":%llu,\"segments\":%u,\"row_groups\":%llu,\"raw_bytes\":%llu,\"stored_bytes\":%llu,\"columns\":[",
           (unsigned long long)table->n_rows, table->n_segments, (unsigned long long)n_rgs,
           (unsigned long long)raw, (unsigned long long)stored);
    for (uint32_t c = 0; c < n_columns; c++) {
      char enc[128], min[128], max[128];
      fr_type type = table->schema.columns[c].type;
      fr_encodings_text(enc, sizeof enc, &sums[c]);
      fr_summary_value(min, sizeof min, type, &sums[c], 0);
      fr_summary_value(max, sizeof max, type, &sums[c], 1);
      printf("%s{\"name\":", c ? "," : "");
      fr_json_str(stdout, table->schema.columns[c].name);
      printf(",\"type\":\"%s\",\"encoding\":\"%s\",\"nulls\":%llu,\"stored_bytes\":%llu,\"raw_bytes\":%llu",
             fr_type_name(type), enc, (unsigned long long)sums[c].null_count,
             (unsigned long long)sums[c].stored_bytes, (unsigned long long)sums[c].raw_bytes);
      if (sums[c].has_minmax) {
        printf(",\"min\":");
        fr_json_str(stdout, min);
        printf(",\"max\":");
        fr_json_str(stdout, max);
      } else {
        printf(",\"min\":null,\"max\":null");
      }
      printf("}");
    }
    printf("],\"control_totals\":{\"rows\":%llu", (unsigned long long)table->n_rows);
    for (uint32_t c = 0; c < n_columns; c++) {
      if (table->schema.columns[c].type != FR_TYPE_DECIMAL)
        continue;
      char sum[64];
      fr_format_decimal_sum(sum, table->decimal_sums[c]);
      printf(",\"sum(%s)\":\"%s\"", table->schema.columns[c].name, sum);
    }
    printf("}}");
  } else {
    printf("\ntable %s: %llu rows, %u segment%s, %llu row groups, %.1f MB raw, %.1f MB stored\n",
           table->name, (unsigned long long)table->n_rows, table->n_segments,
           table->n_segments == 1 ? "" : "s", (unsigned long long)n_rgs, (double)raw / 1e6,
           (double)stored / 1e6);
    printf("  %-20s %-14s %-30s %10s %10s  %-21s %-21s\n", "column", "type", "encoding", "nulls",
           "stored", "min", "max");
    for (uint32_t c = 0; c < n_columns; c++) {
      char enc[128], min[128], max[128], size[32];
      fr_type type = table->schema.columns[c].type;
      fr_encodings_text(enc, sizeof enc, &sums[c]);
      fr_summary_value(min, sizeof min, type, &sums[c], 0);
      fr_summary_value(max, sizeof max, type, &sums[c], 1);
      if (strlen(min) > 21) strcpy(min + 18, "...");
      if (strlen(max) > 21) strcpy(max + 18, "...");
      snprintf(size, sizeof size, "%.1f MB", (double)sums[c].stored_bytes / 1e6);
      printf("  %-20s %-14s %-30s %10llu %10s  %-21s %-21s\n", table->schema.columns[c].name,
             fr_type_name(type), enc, (unsigned long long)sums[c].null_count, size, min, max);
    }
    printf("  control totals: rows %llu", (unsigned long long)table->n_rows);
    for (uint32_t c = 0; c < n_columns; c++) {
      if (table->schema.columns[c].type != FR_TYPE_DECIMAL)
        continue;
      char sum[64];
      fr_format_decimal_sum(sum, table->decimal_sums[c]);
      printf("; sum(%s) %s", table->schema.columns[c].name, sum);
    }
    printf("\n");
  }
  free(sums);
  return FR_EXIT_OK;
}

int fr_cmd_info(int argc, char **argv) {
  const char *format = NULL;
  fr_cli_opt opts[] = {{"format", 1, &format, NULL}, {NULL, 0, NULL, NULL}};
  fr_cli_args args;
  int rc = fr_cli_parse("info", argc, argv, opts, &args);
  if (rc != 0)
    return rc;
  if (args.help) {
    fputs(fr_info_help, stdout);
    return FR_EXIT_OK;
  }
  if (args.n_pos < 1 || args.n_pos > 2)
    return fr_cli_usage("info", "expected STORE [TABLE]");
  fr_output_format out_format = FR_OUTPUT_TABLE;
  if (format != NULL && (fr_output_format_parse(&out_format, format) != 0 || out_format == FR_OUTPUT_CSV))
    return fr_cli_usage("info", "unknown --format %s (expected table or json)", format);
  int json = out_format == FR_OUTPUT_JSON;
  fr_store *store;
  fr_error err;
  fr_error_clear(&err);
  fr_status status = fr_store_open(&store, args.pos[0], &err);
  if (status != FR_OK)
    return fr_cli_fail("info", status, &err);
  const fr_manifest *m = &store->manifest;
  const fr_table_meta *only = NULL;
  if (args.n_pos == 2) {
    status = fr_table_find(store, args.pos[1], &only, &err);
    if (status != FR_OK) {
      fr_store_close(store);
      return fr_cli_fail("info", status, &err);
    }
  }
  char when[64] = "";
  if (m->committed_at_us)
    fr_format_time_us(when, sizeof when, m->committed_at_us);
  if (json) {
    printf("{\"store\":");
    fr_json_str(stdout, store->dir);
    printf(",\"version\":%llu,\"committed_at\":\"%s\",\"tables\":[", (unsigned long long)m->version, when);
  } else {
    printf("store %s: version %llu%s%s, %u table%s\n", store->dir, (unsigned long long)m->version,
           when[0] ? ", committed " : "", when, m->n_tables, m->n_tables == 1 ? "" : "s");
  }
  int first = 1;
  for (uint32_t t = 0; t < m->n_tables && rc == FR_EXIT_OK; t++) {
    if (only != NULL && only != &m->tables[t])
      continue;
    rc = fr_info_table(store, &m->tables[t], json, first);
    first = 0;
  }
  if (json)
    printf("],\"history\":[");
  else
    printf("\nhistory:\n");
  first = 1;
  for (uint32_t h = 0; h < m->n_history; h++) {
    const fr_history_entry *e = &m->history[h];
    if (only != NULL && strcmp(e->table, only->name) != 0)
      continue;
    char at[64];
    fr_format_time_us(at, sizeof at, e->committed_at_us);
    const fr_table_meta *table = fr_manifest_table(m, e->table);
    if (json) {
      printf("%s{\"version\":%llu,\"committed_at\":\"%s\",\"table\":", first ? "" : ",",
             (unsigned long long)e->version, at);
      fr_json_str(stdout, e->table);
      printf(",\"rows_read\":%llu,\"rows_stored\":%llu,\"rows_rejected\":%llu,\"sources\":",
             (unsigned long long)e->rows_read, (unsigned long long)e->rows_stored,
             (unsigned long long)e->rows_rejected);
      fr_json_str(stdout, e->sources);
      printf(",\"sums\":{");
      for (uint32_t s = 0; s < e->n_sums; s++) {
        char sum[64];
        fr_format_decimal_sum(sum, e->sums[s]);
        const char *col = table && e->sum_columns[s] < table->schema.n_columns
                              ? table->schema.columns[e->sum_columns[s]].name : "?";
        printf("%s\"%s\":\"%s\"", s ? "," : "", col, sum);
      }
      printf("}}");
    } else {
      printf("  v%-4llu %s  %-12s +%llu rows (read %llu, rejected %llu)", (unsigned long long)e->version,
             at, e->table, (unsigned long long)e->rows_stored, (unsigned long long)e->rows_read,
             (unsigned long long)e->rows_rejected);
      for (uint32_t s = 0; s < e->n_sums; s++) {
        char sum[64];
        fr_format_decimal_sum(sum, e->sums[s]);
        const char *col = table && e->sum_columns[s] < table->schema.n_columns
                              ? table->schema.columns[e->sum_columns[s]].name : "?";
        printf("; sum(%s) %s", col, sum);
      }
      printf("\n         from %s\n", e->sources);
    }
    first = 0;
  }
  if (json)
    printf("]}\n");
  fr_store_close(store);
  return rc;
}

/* detect_harness.h - what the detector unit tests share: a temporary store
 * per test, ingest of a hand-written CSV (3 rows per row group, so loaders see
 * several row groups), and running a detector into a canonical text of its
 * findings.  Included by tests/unit/engine/test_detect*.c (one executable each);
 * not a test itself. */
#ifndef DETECT_HARNESS_H
#define DETECT_HARNESS_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fr_detect.h"
#include "fr_ingest.h"

static char tmp_dir[256];
/* rows per row group of the next ingest (3 unless a test wants bigger groups) */
static uint32_t ingest_rows_per_group = 3;

static void make_tmp(void) {
  snprintf(tmp_dir, sizeof tmp_dir, "/tmp/ferret-test-detect-XXXXXX"); /* unique per process */
  cr_assert_not_null(mkdtemp(tmp_dir));
}

static void rm_tmp(void) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_dir);
  cr_assert_eq(system(cmd), 0);
}

/* Writes `csv` to a file and ingests it as `table` (ingest_rows_per_group rows
 * per row group, so the loader sees several row groups). */
static void ingest(const char *table, const char *csv) {
  char path[512], store[512];
  snprintf(path, sizeof path, "%s/%s.csv", tmp_dir, table);
  snprintf(store, sizeof store, "%s/store", tmp_dir);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs(csv, f);
  fclose(f);
  const char *files[1] = {path};
  fr_ingest_options opts;
  fr_ingest_options_default(&opts);
  opts.table = table;
  opts.files = files;
  opts.n_files = 1;
  opts.rows_per_group = ingest_rows_per_group;
  opts.strict = 1;
  fr_ingest_result res;
  memset(&res, 0, sizeof res);
  fr_error err;
  fr_error_clear(&err);
  fr_status st = fr_ingest(store, &opts, &res, &err);
  cr_assert_eq(st, FR_OK, "ingest %s: %s", table, err.msg);
  fr_ingest_result_free(&res);
}

/* Opens the test store and a fresh parameter set of detector `name` (the
 * caller closes and destroys them). */
static void open_store_params(const char *name, fr_store **store, fr_detect_params **p) {
  char dir[512];
  snprintf(dir, sizeof dir, "%s/store", tmp_dir);
  fr_error err;
  fr_error_clear(&err);
  cr_assert_eq(fr_store_open(store, dir, &err), FR_OK, "%s", err.msg);
  const fr_detector_info *d = fr_detect_find(name);
  cr_assert_not_null(d, "%s", name);
  cr_assert_eq(fr_detect_params_create(p, d, &err), FR_OK, "%s", err.msg);
}

/* Runs detector `name` with "k=v" settings over the test store; returns the
 * findings' evidence as "k1 k2|k3 k4|..." in finding order sorted. */
static fr_status run(const char *name, const char *const *sets, char *out, size_t cap, fr_findings **keep) {
  fr_store *store;
  fr_detect_params *p;
  open_store_params(name, &store, &p);
  const fr_detector_info *d = fr_detect_find(name);
  fr_error err;
  fr_error_clear(&err);
  for (; sets != NULL && *sets != NULL; sets++) cr_assert_eq(fr_detect_params_set_pair(p, *sets, &err), FR_OK, "%s", err.msg);
  fr_findings *fs = NULL;
  fr_status st = fr_detect_run(&fs, store, d, p, &err);
  fr_detect_params_destroy(p);
  fr_store_close(store);
  if (st != FR_OK)
    return st;
  /* keys of each finding, findings sorted by their key text */
  char **lines = calloc(fs->n + 1, sizeof *lines);
  for (uint32_t k = 0; k < fs->n; k++) {
    lines[k] = calloc(1, 4096);
    for (uint32_t e = 0; e < fs->items[k].n_evidence; e++) {
      strcat(lines[k], e ? " " : "");
      strcat(lines[k], fs->items[k].evidence[e]);
    }
  }
  for (uint32_t a = 0; a < fs->n; a++)
    for (uint32_t b = a + 1; b < fs->n; b++)
      if (strcmp(lines[a], lines[b]) > 0) {
        char *t = lines[a];
        lines[a] = lines[b];
        lines[b] = t;
      }
  out[0] = '\0';
  for (uint32_t k = 0; k < fs->n; k++) {
    if (k) strncat(out, "|", cap - strlen(out) - 1);
    strncat(out, lines[k], cap - strlen(out) - 1);
    free(lines[k]);
  }
  free(lines);
  if (keep != NULL) *keep = fs;
  else fr_findings_destroy(fs);
  return FR_OK;
}

#endif

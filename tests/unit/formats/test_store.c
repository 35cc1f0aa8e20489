/* Unit tests of segments and the manifest: write/read round trip, identity-bound
 * checksums, manifest encode/decode, commits and replay detection, and clean
 * failure under injected allocation failures. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fr_alloc.h"
#include "fr_store.h"

static void make_rowgroup(fr_column *cols, uint32_t n, uint32_t seed) {
  fr_column_init(&cols[0], FR_TYPE_INT64);
  fr_column_init(&cols[1], FR_TYPE_INT64);
  cr_assert_eq(fr_column_reserve(&cols[0], n, 0), FR_OK);
  cr_assert_eq(fr_column_reserve(&cols[1], n, 0), FR_OK);
  for (uint32_t row = 0; row < n; row++) {
    cols[0].i64[row] = (int64_t)(row * 3 + seed);
    cols[1].i64[row] = (int64_t)(row * 3 + seed);
  }
  cols[0].n_rows = cols[1].n_rows = n;
}

static char *temp_dir(void) {
  char *path = strdup("/tmp/ferret_test_store_XXXXXX");
  cr_assert_not_null(mkdtemp(path));
  return path;
}

Test(store, segment_roundtrip_and_swapped_chunk) {
  char *dir = temp_dir();
  char path[512];
  snprintf(path, sizeof path, "%s/seg.fseg", dir);
  fr_schema schema;
  fr_schema_init(&schema);
  cr_assert_eq(fr_schema_add(&schema, "a", 1, FR_TYPE_INT64, NULL), FR_OK);
  cr_assert_eq(fr_schema_add(&schema, "b", 1, FR_TYPE_INT64, NULL), FR_OK);
  fr_segment_writer *w;
  cr_assert_eq(fr_segment_writer_create(&w, path, 77, "t", &schema, NULL), FR_OK);
  for (uint32_t rg_idx = 0; rg_idx < 3; rg_idx++) {
    fr_column cols[2];
    make_rowgroup(cols, 1000, rg_idx);
    fr_encoded_rowgroup rg;
    cr_assert_eq(fr_segment_encode_rowgroup(&rg, cols, 2, NULL), FR_OK);
    cr_assert_eq(fr_segment_writer_append(w, &rg, NULL), FR_OK);
    fr_encoded_rowgroup_free(&rg);
    fr_column_free(&cols[0]);
    fr_column_free(&cols[1]);
  }
  fr_segment_info info;
  cr_assert_eq(fr_segment_writer_finish(w, &info, NULL), FR_OK);
  cr_assert_eq(info.n_rows, 3000);
  fr_segment *seg;
  cr_assert_eq(fr_segment_open(&seg, path, &info, NULL), FR_OK);
  fr_column col;
  fr_column_init(&col, FR_TYPE_INT64);
  fr_buf stored, scratch;
  fr_buf_init(&stored);
  fr_buf_init(&scratch);
  for (uint32_t rg = 0; rg < 3; rg++) {
    cr_assert_eq(fr_segment_read_chunk(seg, rg, 1, &col, &stored, &scratch, NULL), FR_OK);
    cr_assert_eq(col.i64[999], 999 * 3 + rg);
  }
  fr_segment_close(seg);
  cr_assert_eq(fr_segment_open(&seg, path, &info, NULL), FR_OK);
  fr_error err;
  fr_error_clear(&err);
  /* Same bytes at another identity must fail: use row group 1's chunk in place of 0's. */
  const fr_chunk_meta *m1 = fr_segment_chunk(seg, 1, 0);
  FILE *file = fopen(path, "r+b");
  char *other = malloc(m1->stored_len);
  fseek(file, (long)m1->offset, SEEK_SET);
  cr_assert_eq(fread(other, 1, m1->stored_len, file), m1->stored_len);
  uint64_t a_offset = fr_segment_chunk(seg, 0, 0)->offset;
  uint32_t a_len = fr_segment_chunk(seg, 0, 0)->stored_len;
  if (a_len == m1->stored_len) {
    fseek(file, (long)a_offset, SEEK_SET);
    fwrite(other, 1, m1->stored_len, file);
  }
  fclose(file);
  free(other);
  cr_assert_eq(a_len, m1->stored_len, "test data must give equal chunk sizes");
  if (a_len == m1->stored_len) {
    cr_assert_eq(fr_segment_read_chunk(seg, 0, 0, &col, &stored, &scratch, &err), FR_ERR_CORRUPT);
    cr_assert(strstr(err.msg, "row group 0, column a") != NULL, "%s", err.msg);
  }
  fr_segment_close(seg);
  fr_column_free(&col);
  fr_buf_free(&stored);
  fr_buf_free(&scratch);
  fr_schema_free(&schema);
  unlink(path);
  rmdir(dir);
  free(dir);
}

Test(store, manifest_roundtrip_and_damage) {
  fr_manifest m;
  fr_manifest_init(&m);
  m.version = 3;
  m.n_tables = 1;
  m.tables = fr_calloc(1, sizeof *m.tables);
  strcpy(m.tables[0].name, "payments");
  cr_assert_eq(fr_schema_add(&m.tables[0].schema, "amount", 6, FR_TYPE_DECIMAL, NULL), FR_OK);
  m.tables[0].decimal_sums = fr_calloc(1, sizeof(fr_i128));
  m.tables[0].decimal_sums[0] = (fr_i128)INT64_MAX * 1000;
  m.tables[0].n_rows = 5;
  fr_buf buf;
  fr_buf_init(&buf);
  cr_assert_eq(fr_manifest_encode(&m, &buf), FR_OK);
  fr_manifest back;
  cr_assert_eq(fr_manifest_decode(&back, buf.data, buf.len, "m", NULL), FR_OK);
  cr_assert_eq(back.version, 3);
  cr_assert(back.tables[0].decimal_sums[0] == (fr_i128)INT64_MAX * 1000);
  fr_manifest_free(&back);
  for (size_t pos = 0; pos < buf.len; pos++) {
    buf.data[pos] ^= 0x10;
    cr_assert_neq(fr_manifest_decode(&back, buf.data, buf.len, "m", NULL), FR_OK, "flip at %zu", pos);
    buf.data[pos] ^= 0x10;
  }
  char text[64];
  fr_format_decimal_sum(text, -(fr_i128)12345);
  cr_assert_str_eq(text, "-123.45");
  fr_buf_free(&buf);
  fr_manifest_free(&m);
}

Test(store, commit_and_replay_detection) {
  char *dir = temp_dir();
  for (int version = 1; version <= 2; version++) {
    fr_store *store;
    cr_assert_eq(fr_store_open_writer(&store, dir, 1, 0, NULL), FR_OK);
    fr_manifest next;
    cr_assert_eq(fr_manifest_copy(&next, &store->manifest), FR_OK);
    next.version = store->manifest.version + 1;
    cr_assert_eq(fr_store_commit(store, &next, NULL), FR_OK);
    cr_assert_eq(store->manifest.version, (uint64_t)version);
    fr_manifest_free(&next);
    if (version == 1) {
      char cmd[1024];
      snprintf(cmd, sizeof cmd, "cp %s/MANIFEST %s/old", dir, dir);
      cr_assert_eq(system(cmd), 0);
    }
    fr_store_close(store);
  }
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "cp %s/old %s/MANIFEST", dir, dir);
  cr_assert_eq(system(cmd), 0);
  fr_store *store;
  fr_error err;
  fr_error_clear(&err);
  cr_assert_eq(fr_store_open(&store, dir, &err), FR_ERR_CORRUPT);
  cr_assert(strstr(err.msg, "replayed") != NULL, "%s", err.msg);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_assert_eq(system(cmd), 0);
  free(dir);
}

Test(store, allocation_failures_are_reported) {
  fr_column cols[2];
  make_rowgroup(cols, 5000, 1);
  int failures = 0;
  for (long n_ok = 0; n_ok < 40; n_ok++) {
    fr_encoded_rowgroup rg;
    fr_alloc_fail_after(n_ok);
    fr_status status = fr_segment_encode_rowgroup(&rg, cols, 2, NULL);
    fr_alloc_fail_after(-1);
    if (status == FR_OK)
      fr_encoded_rowgroup_free(&rg);
    else {
      cr_assert_eq(status, FR_ERR_NOMEM);
      failures++;
    }
  }
  cr_assert_gt(failures, 0);
  fr_column_free(&cols[0]);
  fr_column_free(&cols[1]);
}

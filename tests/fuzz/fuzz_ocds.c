/* fuzz_ocds.c - OCDS input: source -> fr_ocds_reader (lines) -> CSV rows of the
 * five OCDS tables, as `ingest --format ocds` runs them.
 *
 * Input layout: 1 configuration byte, then the file's bytes (plain JSON lines, or
 * a zstd / gzip stream, recognised by fr_source from its magic bytes).
 *   byte 0: bits 0-1 max line bytes of the reader (16, 256, 64 KiB, default)
 *
 * Properties (any violation aborts, so libFuzzer keeps the input):
 *  P1 memory safety, no UB, no leak in the json-c glue and the line splitter;
 *  P2 nothing lost: lines converted + lines reported invalid + blank lines =
 *     the lines of the decompressed input (a last line without newline counts);
 *  P3 a converted line adds exactly one processes row, and every table's text
 *     stays whole rows (ends with a newline); an invalid line adds nothing and
 *     reports its own line number;
 *  P4 the streamed reader agrees with fr_ocds_convert_line on each line of the
 *     plain input.
 */
#include "fuzz_common.h"

#include "fr_ocds_reader.h"
#include "fr_source.h"

static const size_t fz_max_line[] = {16, 256, 1 << 16, 0};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  size_t max_line = fz_max_line[data[0] & 3];
  const char *path = fz_write_input(data + 1, size - 1);
  fr_source *src = NULL;
  fr_error err;
  fr_error_clear(&err);
  if (fr_source_open(&src, path, &err) != FR_OK)
    return 0;
  fr_ocds_reader *r = NULL;
  FZ_CHECK(fr_ocds_reader_create(&r, src, max_line, &err) == FR_OK, "create: %s", err.msg);
  fr_buf rows[FR_OCDS_N_TABLES];
  for (int t = 0; t < FR_OCDS_N_TABLES; t++) fr_buf_init(&rows[t]);
  uint64_t n_ok = 0, n_bad = 0, last_line = 0;
  int plain = fr_source_compression(src) == FR_COMPRESSION_NONE;
  for (;;) {
    fr_ocds_line kind;
    uint64_t line_no = 0;
    char msg[256];
    size_t before = rows[FR_OCDS_PROCESSES].len;
    size_t before_all[FR_OCDS_N_TABLES];
    for (int t = 0; t < FR_OCDS_N_TABLES; t++) before_all[t] = rows[t].len;
    if (fr_ocds_reader_next(r, rows, &kind, &line_no, msg, sizeof msg, &err) != FR_OK)
      break; /* a damaged compressed stream */
    if (kind == FR_OCDS_LINE_EOF)
      break;
    FZ_CHECK(line_no > last_line, "line numbers go forward (%llu after %llu)", (unsigned long long)line_no,
             (unsigned long long)last_line);
    last_line = line_no;
    if (kind == FR_OCDS_LINE_OK) {
      n_ok++;
      size_t added = 0;
      for (size_t k = before; k < rows[FR_OCDS_PROCESSES].len; k++) added += rows[FR_OCDS_PROCESSES].data[k] == '\n';
      FZ_CHECK(added >= 1, "a converted line adds a processes row");
      for (int t = 0; t < FR_OCDS_N_TABLES; t++)
        FZ_CHECK(rows[t].len == 0 || rows[t].data[rows[t].len - 1] == '\n', "table %d ends with a whole row", t);
    } else {
      n_bad++;
      for (int t = 0; t < FR_OCDS_N_TABLES; t++)
        FZ_CHECK(rows[t].len == before_all[t], "an invalid line adds no rows");
      char want[32];
      snprintf(want, sizeof want, "line %llu ", (unsigned long long)line_no);
      FZ_CHECK(strncmp(msg, want, strlen(want)) == 0, "the message names the line: %s", msg);
    }
    for (int t = 0; t < FR_OCDS_N_TABLES; t++)
      if (rows[t].len > (1 << 20)) fr_buf_reset(&rows[t]);
  }
  fr_ocds_reader_destroy(r);
  fr_source_close(src);
  if (plain && max_line == 0) {
    /* P2 + P4 on the plain input: split it here and convert line by line */
    const char *p = (const char *)data + 1, *end = (const char *)data + size;
    uint64_t ok = 0, bad = 0, line = 0;
    fr_buf one[FR_OCDS_N_TABLES];
    for (int t = 0; t < FR_OCDS_N_TABLES; t++) fr_buf_init(&one[t]);
    while (p < end) {
      const char *nl = memchr(p, '\n', (size_t)(end - p));
      size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
      char msg[256];
      int rc = fr_ocds_convert_line(one, p, len, ++line, msg, sizeof msg);
      ok += rc == 1;
      bad += rc == -1;
      for (int t = 0; t < FR_OCDS_N_TABLES; t++) fr_buf_reset(&one[t]);
      p += len + (nl != NULL);
    }
    for (int t = 0; t < FR_OCDS_N_TABLES; t++) fr_buf_free(&one[t]);
    FZ_CHECK(ok == n_ok && bad == n_bad, "reader %llu ok %llu bad, per line %llu ok %llu bad",
             (unsigned long long)n_ok, (unsigned long long)n_bad, (unsigned long long)ok, (unsigned long long)bad);
  }
  for (int t = 0; t < FR_OCDS_N_TABLES; t++) fr_buf_free(&rows[t]);
  return 0;
}

/* Unit tests of the RFC 4180 splitter and the converter: fields, quoting,
 * newlines in quotes, CRLF, BOM, line numbers, block boundaries at every size,
 * and the reconciliation invariant (stored + rejected = records). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fr_convert.h"
#include "fr_csv_reader.h"

static char *write_temp(const char *bytes, size_t len) {
  char *path = strdup("/tmp/ferret_test_csv_XXXXXX");
  int fd = mkstemp(path);
  cr_assert_geq(fd, 0);
  cr_assert_eq(write(fd, bytes, len), (ssize_t)len);
  close(fd);
  return path;
}

/* Opens a CSV reader with default options over the file at `path`. */
static void open_reader(const char *path, fr_source **src, fr_csv_reader **rd) {
  cr_assert_eq(fr_source_open(src, path, NULL), FR_OK);
  fr_csv_options opts;
  fr_csv_options_default(&opts);
  cr_assert_eq(fr_csv_reader_create(rd, *src, &opts, NULL), FR_OK);
}

/* Splits `text` with blocks of at most `max_records`, concatenating the fields of
 * every record as "f1|f2|...\n" (unescaped) and the line of each record. */
static void split_all(const char *text, uint32_t max_records, size_t target_bytes, char *out,
                      size_t cap, uint64_t *lines, uint32_t *n_records) {
  char *path = write_temp(text, strlen(text));
  fr_source *src;
  fr_csv_reader *rd;
  open_reader(path, &src, &rd);
  fr_record_block block;
  fr_record_block_init(&block);
  out[0] = '\0';
  *n_records = 0;
  int eof = 0;
  while (!eof) {
    cr_assert_eq(fr_csv_reader_next(rd, &block, max_records, target_bytes, &eof, NULL), FR_OK);
    for (uint32_t rec = 0; rec < block.n_records; rec++) {
      lines[(*n_records)++] = block.rec_line[rec];
      for (uint32_t f = block.rec_field[rec]; f < block.rec_field[rec + 1]; f++) {
        char scratch[256];
        uint32_t len;
        const char *field = fr_record_field_text(&block, f, scratch, &len);
        if (f > block.rec_field[rec])
          strncat(out, "|", cap - strlen(out) - 1);
        strncat(out, field, len < cap - strlen(out) - 1 ? len : cap - strlen(out) - 1);
      }
      strncat(out, block.rec_error[rec] ? "!\n" : "\n", cap - strlen(out) - 1);
    }
  }
  fr_record_block_free(&block);
  fr_csv_reader_destroy(rd);
  fr_source_close(src);
  unlink(path);
  free(path);
}

Test(csv_reader, rfc4180_fields_and_lines) {
  const char *text = "\xEF\xBB\xBF" "a,b,c\r\n1,\"x,y\",\"he said \"\"hi\"\"\"\r\n\r\n2,\"multi\nline\",\n3,,\"\"";
  char out[1024];
  uint64_t lines[16];
  uint32_t n;
  for (uint32_t max_records = 1; max_records <= 5; max_records++) {
    for (size_t target = 1; target < 64; target += 7) {
      split_all(text, max_records, target, out, sizeof out, lines, &n);
      cr_assert_str_eq(out, "a|b|c\n1|x,y|he said \"hi\"\n2|multi\nline|\n3||\n");
      cr_assert_eq(n, 4);
      cr_assert_eq(lines[0], 1);
      cr_assert_eq(lines[1], 2);
      cr_assert_eq(lines[2], 4);
      cr_assert_eq(lines[3], 6);
    }
  }
}

Test(csv_reader, malformations_are_marked_not_fatal) {
  const char *text = "a,b\n1,x\"y\n2,\"ok\"junk\n3,\"unterminated\n4,fine\n";
  char out[1024];
  uint64_t lines[16];
  uint32_t n;
  split_all(text, 100, 1 << 20, out, sizeof out, lines, &n);
  /* stray quote and text after a closing quote are flagged; the unterminated quote
   * rejects its own line only and splitting resumes at line 5 */
  cr_assert_eq(n, 5, "got %u records: %s", n, out);
  cr_assert_eq(lines[4], 5);
  cr_assert(strstr(out, "4|fine\n") != NULL, "%s", out);
  cr_assert(strstr(out, "1|x\"y!\n") != NULL, "%s", out);
}

Test(csv_reader, convert_reconciles) {
  const char *text = "id,amount,ts\nA,1.50,2024-01-01\nB,bad,2024-01-01\nC,2,2024-02-30\nD,,\nE,3\n";
  char *path = write_temp(text, strlen(text));
  fr_source *src;
  fr_csv_reader *rd;
  open_reader(path, &src, &rd);
  fr_record_block block;
  fr_record_block_init(&block);
  int eof;
  cr_assert_eq(fr_csv_reader_next(rd, &block, 100, 1 << 20, &eof, NULL), FR_OK);
  fr_schema schema;
  fr_schema_init(&schema);
  cr_assert_eq(fr_schema_add(&schema, "id", 2, FR_TYPE_STRING, NULL), FR_OK);
  cr_assert_eq(fr_schema_add(&schema, "amount", 6, FR_TYPE_DECIMAL, NULL), FR_OK);
  cr_assert_eq(fr_schema_add(&schema, "ts", 2, FR_TYPE_TIMESTAMP, NULL), FR_OK);
  int32_t map[3] = {0, 1, 2};
  fr_convert_spec spec = {&schema, map, 3, 0};
  fr_column cols[3];
  memset(cols, 0, sizeof cols);
  fr_reject_list rejects = {0};
  cr_assert_eq(fr_convert_block(&block, 1, &spec, cols, &rejects), FR_OK);
  cr_assert_eq(cols[0].n_rows, 2);
  cr_assert_eq(rejects.n, 3);
  cr_assert_eq(cols[0].n_rows + rejects.n, block.n_records - 1);
  cr_assert_eq(cols[1].i64[0], 150);
  cr_assert(!fr_column_is_valid(&cols[1], 1));
  cr_assert(!fr_column_is_valid(&cols[2], 1));
  uint32_t len;
  const char *id = fr_column_str(&cols[0], 1, &len);
  cr_assert(len == 1 && id[0] == 'D');
  cr_assert_eq(rejects.items[0].column, 1);
  cr_assert_eq(rejects.items[1].column, 2);
  cr_assert_eq(rejects.items[2].column, -1);
  for (int c = 0; c < 3; c++)
    fr_column_free(&cols[c]);
  fr_reject_list_free(&rejects);
  fr_schema_free(&schema);
  fr_record_block_free(&block);
  fr_csv_reader_destroy(rd);
  fr_source_close(src);
  unlink(path);
  free(path);
}

Test(csv_reader, utf8_validation) {
  size_t bad;
  cr_assert(fr_utf8_valid((const uint8_t *)"plain 中文 ok", strlen("plain 中文 ok"), &bad));
  cr_assert(!fr_utf8_valid((const uint8_t *)"\x80", 1, &bad));
  cr_assert(!fr_utf8_valid((const uint8_t *)"ab\xC0\xAF", 4, &bad));
  cr_assert_eq(bad, 2);
  cr_assert(!fr_utf8_valid((const uint8_t *)"\xED\xA0\x80", 3, &bad));
  cr_assert(!fr_utf8_valid((const uint8_t *)"\xE4\xB8", 2, &bad));
  cr_assert(!fr_utf8_valid((const uint8_t *)"\xF4\x90\x80\x80", 4, &bad));
}

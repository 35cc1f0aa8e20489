/* fuzz_sql.c - SQL statements as a user types them: tokenizer, parser,
 * binder and the evaluation of every expression kind, over an empty store
 * snapshot (so FROM-less SELECTs run end to end and table references fail
 * cleanly).
 *
 * Properties (any violation aborts, so libFuzzer keeps the input):
 *  P1 memory safety and no UB anywhere from parse to rendering (ASan, UBSan);
 *  P2 a failure is reported, never silent: a non-OK status comes with a
 *     message; an OK result renders in all three formats;
 *  P3 errors that point into the statement (syntax, unknown names) carry
 *     "line" and "column". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fr_sql.h"

static int fz_sink(void *ctx, const void *bytes, size_t len) {
  (void)ctx;
  (void)bytes;
  (void)len;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 4096)
    return 0;
  char *sql = malloc(size + 1);
  if (sql == NULL)
    return 0;
  memcpy(sql, data, size);
  sql[size] = '\0';
  fr_store store;
  memset(&store, 0, sizeof store);
  store.dir = (char *)"/nonexistent-ferret-fuzz-store";
  store.lock_fd = -1;
  fr_manifest_init(&store.manifest);
  fr_query_options opts = {1, 256u << 20};
  fr_error err;
  fr_error_clear(&err);
  fr_result *result = NULL;
  fr_status status = fr_sql_execute(&store, sql, &opts, &result, &err);
  if (status != FR_OK) {
    if (err.code == FR_OK || err.msg[0] == '\0')
      abort(); /* P2 */
    if ((status == FR_ERR_PARSE) && strstr(err.msg, "line") == NULL && strstr(err.msg, "empty statement") == NULL &&
        strstr(err.msg, "nested too deeply") == NULL)
      abort(); /* P3 */
  } else {
    for (int f = 0; f < 3; f++) {
      fr_error render_err;
      fr_error_clear(&render_err);
      if (fr_result_render(result, (fr_output_format)f, fz_sink, NULL, &render_err) != FR_OK)
        abort(); /* P2 */
    }
    fr_result_free(result);
  }
  free(sql);
  return 0;
}

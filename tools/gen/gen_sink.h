/* gen_sink.h: the generator's output files and their block compression.
 *
 * A table is written as a sequence of blocks, each compressed independently on
 * any thread and appended in block order by one thread, so the bytes depend only
 * on the block contents. zst: each block is one zstd frame (level 3), and a
 * reader decodes the concatenated frames as one stream. gz: one gzip member;
 * each block is raw deflate ended by a sync flush (the last by Z_FINISH), and the
 * CRC-32 of the whole is combined from the blocks' CRCs (the pigz construction).
 * none: the text itself. Files are written as NAME.tmp and renamed on close.
 */
#ifndef FR_GEN_SINK_H
#define FR_GEN_SINK_H

#include <stdint.h>
#include <stdio.h>
#include <zlib.h>
#include <zstd.h>

#include "gen_buf.h"

/* Status codes of the generator's internal functions. */
enum { FR_GEN_OK = 0, FR_GEN_ENOMEM = 1, FR_GEN_EIO = 2, FR_GEN_EINTERNAL = 3 };

typedef struct fr_gen_err {
  char msg[600]; /* first failure, for the user; empty when none */
} fr_gen_err;

/* fr_gen_err_set: record a failure message (printf format) unless one is set. */
void fr_gen_err_set(fr_gen_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

typedef enum { FR_GEN_Z_ZST = 0, FR_GEN_Z_GZ = 1, FR_GEN_Z_NONE = 2 } fr_gen_zkind;

typedef struct fr_gen_sink {
  FILE *f;              /* open temporary file */
  char path[1024];      /* final path */
  char tmp[1040];       /* temporary path */
  fr_gen_zkind z;       /* compression */
  uint32_t crc;         /* gz: CRC-32 of the text so far */
  uint64_t raw_bytes;   /* text bytes so far */
} fr_gen_sink;

/* Per-thread (per-slot) compression state; zero-initialise, free with
 * fr_gen_zctx_free. */
typedef struct fr_gen_zctx {
  ZSTD_CCtx *zc;  /* zst context, created on first use */
  z_stream zs;    /* gz raw deflate stream */
  int zs_ready;   /* zs initialised */
} fr_gen_zctx;

/* fr_gen_sink_open: create DIR/TABLE.csv[.zst|.gz] (as a .tmp file) for writing; a
 * TABLE that has an extension of its own (a '.', e.g. "ocds.jsonl") is not given
 * ".csv": DIR/ocds.jsonl[.zst|.gz].
 * Returns FR_GEN_OK or FR_GEN_EIO (message in err naming the file). */
int fr_gen_sink_open(fr_gen_sink *s, const char *dir, const char *table, fr_gen_zkind z,
                     fr_gen_err *err) __attribute__((warn_unused_result));

/* fr_gen_compress: compress one block of text into out (cleared first), with the
 * CRC-32 of the text in *out_crc (gz). `last` marks the table's final block.
 * Thread-safe for distinct ctx. Returns FR_GEN_OK, FR_GEN_ENOMEM or
 * FR_GEN_EINTERNAL (compressor failure). For FR_GEN_Z_NONE it does nothing. */
int fr_gen_compress(fr_gen_zctx *ctx, fr_gen_zkind z, const fr_gen_buf *text, int last,
                    fr_gen_buf *out, uint32_t *out_crc) __attribute__((warn_unused_result));

/* fr_gen_sink_write: append one block; `data` is the compressed block (or the text
 * for none), `text_len` and `crc` describe the uncompressed text. Serial use only.
 * Returns FR_GEN_OK or FR_GEN_EIO. */
int fr_gen_sink_write(fr_gen_sink *s, const fr_gen_buf *data, size_t text_len, uint32_t crc,
                      fr_gen_err *err) __attribute__((warn_unused_result));

/* fr_gen_sink_close: finish the file (gz trailer), close it and rename it into
 * place. Returns FR_GEN_OK or FR_GEN_EIO; on failure the temporary is removed. */
int fr_gen_sink_close(fr_gen_sink *s, fr_gen_err *err) __attribute__((warn_unused_result));

/* fr_gen_sink_abort: close and remove the temporary file; NULL-safe on an unopened sink. */
void fr_gen_sink_abort(fr_gen_sink *s);

void fr_gen_zctx_free(fr_gen_zctx *ctx);

#endif

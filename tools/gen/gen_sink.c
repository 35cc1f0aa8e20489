/* gen_sink.c: compressed output files written block by block (see gen_sink.h).
 *
 * Invariant: the file holds exactly the blocks passed to fr_gen_sink_write, in
 * call order, framed so that one standard decoder pass (zstd -d, gzip -d) yields
 * the concatenated text. Workload: blocks of a few MB, hundreds per table.
 */
#include "gen_sink.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#define FR_GEN_ZSTD_LEVEL 3
#define FR_GEN_GZ_LEVEL 6

void fr_gen_err_set(fr_gen_err *err, const char *fmt, ...) {
  if (!err || err->msg[0]) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  va_end(ap);
}

int fr_gen_sink_open(fr_gen_sink *s, const char *dir, const char *table, fr_gen_zkind z,
                     fr_gen_err *err) {
  static const char *const ext[] = {".csv.zst", ".csv.gz", ".csv"};
  static const char *const zext[] = {".zst", ".gz", ""};
  memset(s, 0, sizeof *s);
  s->z = z;
  /* A bare table name is CSV; a name with its own extension (ocds.jsonl) keeps it. */
  const char *suffix = strchr(table, '.') ? zext[z] : ext[z];
  int n = snprintf(s->path, sizeof s->path, "%s/%s%s", dir, table, suffix);
  if (n < 0 || (size_t)n >= sizeof s->path) {
    fr_gen_err_set(err, "%s/%s: path too long", dir, table);
    return FR_GEN_EIO;
  }
  snprintf(s->tmp, sizeof s->tmp, "%s.tmp", s->path);
  s->f = fopen(s->tmp, "wb");
  if (!s->f) {
    fr_gen_err_set(err, "%s: cannot create: %s", s->tmp, strerror(errno));
    return FR_GEN_EIO;
  }
  if (z == FR_GEN_Z_GZ) {
    /* RFC 1952 header: no name, mtime 0 (reproducible), OS = Unix. */
    static const unsigned char hdr[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    if (fwrite(hdr, 1, sizeof hdr, s->f) != sizeof hdr) {
      fr_gen_err_set(err, "%s: write failed: %s", s->tmp, strerror(errno));
      return FR_GEN_EIO;
    }
    s->crc = (uint32_t)crc32(0L, Z_NULL, 0);
  }
  return FR_GEN_OK;
}

int fr_gen_compress(fr_gen_zctx *ctx, fr_gen_zkind z, const fr_gen_buf *text, int last,
                    fr_gen_buf *out, uint32_t *out_crc) {
  out->len = 0;
  *out_crc = 0;
  if (z == FR_GEN_Z_NONE) return FR_GEN_OK;
  if (z == FR_GEN_Z_ZST) {
    if (text->len == 0) return FR_GEN_OK; /* an empty block contributes no frame */
    if (!ctx->zc) {
      ctx->zc = ZSTD_createCCtx();
      if (!ctx->zc) return FR_GEN_ENOMEM;
    }
    size_t bound = ZSTD_compressBound(text->len);
    if (fr_gen_buf_room(out, bound)) return FR_GEN_ENOMEM;
    ZSTD_CCtx_reset(ctx->zc, ZSTD_reset_session_and_parameters);
    ZSTD_CCtx_setParameter(ctx->zc, ZSTD_c_compressionLevel, FR_GEN_ZSTD_LEVEL);
    ZSTD_CCtx_setParameter(ctx->zc, ZSTD_c_checksumFlag, 1);
    ZSTD_CCtx_setPledgedSrcSize(ctx->zc, text->len);
    ZSTD_inBuffer in = {text->data, text->len, 0};
    ZSTD_outBuffer ob = {out->data, bound, 0};
    size_t rem = ZSTD_compressStream2(ctx->zc, &ob, &in, ZSTD_e_end);
    if (ZSTD_isError(rem) || rem != 0) return FR_GEN_EINTERNAL;
    out->len = ob.pos;
    return FR_GEN_OK;
  }
  /* gz: raw deflate of this block, byte-aligned by a sync flush so blocks concatenate. */
  if (!ctx->zs_ready) {
    memset(&ctx->zs, 0, sizeof ctx->zs);
    if (deflateInit2(&ctx->zs, FR_GEN_GZ_LEVEL, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      return FR_GEN_ENOMEM;
    ctx->zs_ready = 1;
  } else if (deflateReset(&ctx->zs) != Z_OK) {
    return FR_GEN_EINTERNAL;
  }
  size_t bound = deflateBound(&ctx->zs, (uLong)text->len) + 64;
  if (fr_gen_buf_room(out, bound)) return FR_GEN_ENOMEM;
  ctx->zs.next_in = (Bytef *)text->data;
  ctx->zs.avail_in = (uInt)text->len;
  ctx->zs.next_out = (Bytef *)out->data;
  ctx->zs.avail_out = (uInt)bound;
  int rc = deflate(&ctx->zs, last ? Z_FINISH : Z_SYNC_FLUSH);
  if (last ? rc != Z_STREAM_END : (rc != Z_OK || ctx->zs.avail_in != 0)) return FR_GEN_EINTERNAL;
  out->len = bound - ctx->zs.avail_out;
  *out_crc = (uint32_t)crc32(0L, (const Bytef *)text->data, (uInt)text->len);
  return FR_GEN_OK;
}

int fr_gen_sink_write(fr_gen_sink *s, const fr_gen_buf *data, size_t text_len, uint32_t crc,
                      fr_gen_err *err) {
  if (data->len && fwrite(data->data, 1, data->len, s->f) != data->len) {
    fr_gen_err_set(err, "%s: write failed: %s", s->tmp, strerror(errno));
    return FR_GEN_EIO;
  }
  if (s->z == FR_GEN_Z_GZ) s->crc = (uint32_t)crc32_combine(s->crc, crc, (z_off_t)text_len);
  s->raw_bytes += text_len;
  return FR_GEN_OK;
}

int fr_gen_sink_close(fr_gen_sink *s, fr_gen_err *err) {
  int rc = FR_GEN_OK;
  if (s->z == FR_GEN_Z_GZ) {
    unsigned char tr[8];
    uint32_t isz = (uint32_t)(s->raw_bytes & 0xffffffffu);
    for (int k = 0; k < 4; k++) {
      tr[k] = (unsigned char)(s->crc >> (8 * k));
      tr[4 + k] = (unsigned char)(isz >> (8 * k));
    }
    if (fwrite(tr, 1, 8, s->f) != 8) rc = FR_GEN_EIO;
  }
  if (fclose(s->f) != 0) rc = FR_GEN_EIO;
  s->f = NULL;
  if (rc == FR_GEN_OK && rename(s->tmp, s->path) != 0) rc = FR_GEN_EIO;
  if (rc != FR_GEN_OK) {
    fr_gen_err_set(err, "%s: cannot finish: %s", s->path, strerror(errno));
    unlink(s->tmp);
  }
  return rc;
}

void fr_gen_sink_abort(fr_gen_sink *s) {
  if (s->f) {
    fclose(s->f);
    s->f = NULL;
    unlink(s->tmp);
  }
}

void fr_gen_zctx_free(fr_gen_zctx *ctx) {
  ZSTD_freeCCtx(ctx->zc);
  ctx->zc = NULL;
  if (ctx->zs_ready) deflateEnd(&ctx->zs);
  ctx->zs_ready = 0;
}

/* fr_source.c - streamed plain / zstd / gzip input (see fr_source.h).
 *
 * Workload: 0.3-1 GB/s of decompressed CSV per core; the caller reads in blocks
 * of a few MiB.  zstd and gzip both accept concatenated frames/members; anything
 * after the last complete frame that does not start a new one is rejected.
 */
#include "fr_source.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "fr_alloc.h"

#define FR_SOURCE_RAW_CAP (1u << 20)

struct fr_source {
  int fd;
  int owns_fd;
  char *name;
  fr_compression compression;
  uint8_t *raw;          /* compressed input buffer */
  size_t raw_len;        /* valid bytes in raw */
  size_t raw_pos;        /* consumed bytes in raw */
  int raw_eof;           /* the file has no more bytes */
  uint64_t raw_total;    /* compressed bytes consumed before raw[0] */
  uint64_t raw_size;     /* file size, 0 when unknown (pipe) */
  ZSTD_DStream *zstd;
  size_t zstd_last;      /* last ZSTD_decompressStream hint; 0 = frame complete */
  z_stream gz;
  int gz_open;           /* gz initialised */
  int gz_member_done;    /* last member ended; only a new member may follow */
  int done;
};

static int fr_has_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Refills `raw` keeping unconsumed bytes.  Returns FR_ERR_IO. */
static fr_status fr_source_fill(fr_source *src, fr_error *err) {
  if (src->raw_pos > 0) {
    memmove(src->raw, src->raw + src->raw_pos, src->raw_len - src->raw_pos);
    src->raw_total += src->raw_pos;
    src->raw_len -= src->raw_pos;
    src->raw_pos = 0;
  }
  while (!src->raw_eof && src->raw_len < FR_SOURCE_RAW_CAP) {
    ssize_t n = read(src->fd, src->raw + src->raw_len, FR_SOURCE_RAW_CAP - src->raw_len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return fr_error_set(err, FR_ERR_IO, "%s: read failed: %s", src->name, strerror(errno));
    }
    if (n == 0) {
      src->raw_eof = 1;
      break;
    }
    src->raw_len += (size_t)n;
    if (src->raw_len >= 4096)
      break;
  }
  return FR_OK;
}

fr_status fr_source_open(fr_source **out, const char *path, fr_error *err) {
  *out = NULL;
  fr_source *src = fr_calloc(1, sizeof *src);
  if (src == NULL)
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory opening %s", path);
  src->fd = -1;
  fr_status status = FR_OK;
  int is_stdin = strcmp(path, "-") == 0;
  src->name = fr_strndup(is_stdin ? "<stdin>" : path, strlen(is_stdin ? "<stdin>" : path));
  src->raw = fr_malloc(FR_SOURCE_RAW_CAP);
  if (src->name == NULL || src->raw == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory opening %s", path);
    goto done;
  }
  if (is_stdin) {
    src->fd = STDIN_FILENO;
  } else {
    src->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (src->fd < 0) {
      status = fr_error_set(err, FR_ERR_IO, "cannot open %s: %s", path, strerror(errno));
      goto done;
    }
    src->owns_fd = 1;
    struct stat st;
    if (fstat(src->fd, &st) == 0) {
      if (S_ISDIR(st.st_mode)) {
        status = fr_error_set(err, FR_ERR_IO, "cannot read %s: it is a directory", path);
        goto done;
      }
      if (S_ISREG(st.st_mode))
        src->raw_size = (uint64_t)st.st_size;
    }
  }
  status = fr_source_fill(src, err);
  if (status != FR_OK)
    goto done;
  static const uint8_t zstd_magic[4] = {0x28, 0xb5, 0x2f, 0xfd};
  static const uint8_t gzip_magic[2] = {0x1f, 0x8b};
  int looks_zstd = src->raw_len >= 4 && memcmp(src->raw, zstd_magic, 4) == 0;
  int looks_gzip = src->raw_len >= 2 && memcmp(src->raw, gzip_magic, 2) == 0;
  if (fr_has_suffix(path, ".zst") && !looks_zstd) {
    status = fr_error_set(err, FR_ERR_PARSE,
                          "%s: line 1, column 1: the name says zstd but the file does not "
                          "start with a zstd frame (damaged or mislabelled file)", src->name);
    goto done;
  }
  if (fr_has_suffix(path, ".gz") && !looks_gzip) {
    status = fr_error_set(err, FR_ERR_PARSE,
                          "%s: line 1, column 1: the name says gzip but the file does not "
                          "start with a gzip header (damaged or mislabelled file)", src->name);
    goto done;
  }
  if (looks_zstd) {
    src->compression = FR_COMPRESSION_ZSTD;
    src->zstd = ZSTD_createDStream();
    if (src->zstd == NULL) {
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory creating a zstd stream");
      goto done;
    }
    ZSTD_initDStream(src->zstd);
    /* Refuse frames that need more than 128 MiB of window: a bomb-shaped frame. */
    ZSTD_DCtx_setParameter(src->zstd, ZSTD_d_windowLogMax, 27);
  } else if (looks_gzip) {
    src->compression = FR_COMPRESSION_GZIP;
    memset(&src->gz, 0, sizeof src->gz);
    if (inflateInit2(&src->gz, 16 + MAX_WBITS) != Z_OK) {
      status = fr_error_set(err, FR_ERR_NOMEM, "cannot initialise zlib for %s", src->name);
      goto done;
    }
    src->gz_open = 1;
  }
done:
  if (status != FR_OK) {
    fr_source_close(src);
    return status;
  }
  *out = src;
  return FR_OK;
}

static fr_status fr_source_read_zstd(fr_source *src, void *dst, size_t cap, size_t *n_read,
                                     fr_error *err) {
  ZSTD_outBuffer output = {dst, cap, 0};
  while (output.pos == 0) {
    if (src->raw_pos == src->raw_len) {
      FR_TRY(fr_source_fill(src, err));
      if (src->raw_len == 0) {
        if (src->zstd_last != 0)
          return fr_error_set(err, FR_ERR_PARSE,
                              "%s: truncated zstd stream: the input ends inside a frame at "
                              "byte %llu (incomplete download or copy?)",
                              src->name, (unsigned long long)src->raw_total);
        src->done = 1;
        break;
      }
    }
    ZSTD_inBuffer input = {src->raw, src->raw_len, src->raw_pos};
    size_t ret = ZSTD_decompressStream(src->zstd, &output, &input);
    if (ZSTD_isError(ret))
      return fr_error_set(err, FR_ERR_PARSE,
                          "%s: corrupt zstd data near compressed byte %llu: %s", src->name,
                          (unsigned long long)(src->raw_total + src->raw_pos),
                          ZSTD_getErrorName(ret));
    src->raw_pos = input.pos;
    src->zstd_last = ret;
  }
  *n_read = output.pos;
  return FR_OK;
}

static fr_status fr_source_read_gzip(fr_source *src, void *dst, size_t cap, size_t *n_read,
                                     fr_error *err) {
  size_t produced = 0;
  while (produced == 0) {
    if (src->raw_pos == src->raw_len) {
      FR_TRY(fr_source_fill(src, err));
      if (src->raw_len == 0) {
        if (!src->gz_member_done)
          return fr_error_set(err, FR_ERR_PARSE,
                              "%s: truncated gzip stream: the input ends inside a member at "
                              "byte %llu (incomplete download or copy?)",
                              src->name, (unsigned long long)src->raw_total);
        src->done = 1;
        break;
      }
    }
    if (src->gz_member_done) {
      /* Only another gzip member may follow a complete one. */
      if (src->raw_len - src->raw_pos < 2 && !src->raw_eof) {
        FR_TRY(fr_source_fill(src, err));
        continue;
      }
      if (src->raw_len - src->raw_pos < 2 || src->raw[src->raw_pos] != 0x1f ||
          src->raw[src->raw_pos + 1] != 0x8b)
        return fr_error_set(err, FR_ERR_PARSE,
                            "%s: trailing garbage after the gzip data at byte %llu",
                            src->name, (unsigned long long)(src->raw_total + src->raw_pos));
      inflateReset(&src->gz);
      src->gz_member_done = 0;
    }
    src->gz.next_in = src->raw + src->raw_pos;
    src->gz.avail_in = (uInt)(src->raw_len - src->raw_pos);
    src->gz.next_out = (Bytef *)dst + produced;
    src->gz.avail_out = (uInt)(cap - produced > UINT32_MAX ? UINT32_MAX : cap - produced);
    int ret = inflate(&src->gz, Z_NO_FLUSH);
    src->raw_pos = src->raw_len - src->gz.avail_in;
    produced = cap - src->gz.avail_out;
    if (ret == Z_STREAM_END) {
      src->gz_member_done = 1;
    } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
      return fr_error_set(err, FR_ERR_PARSE, "%s: corrupt gzip data near compressed byte %llu: %s",
                          src->name, (unsigned long long)(src->raw_total + src->raw_pos),
                          src->gz.msg ? src->gz.msg : "inflate failed");
    }
  }
  *n_read = produced;
  return FR_OK;
}

fr_status fr_source_read(fr_source *src, void *dst, size_t cap, size_t *n_read, fr_error *err) {
  *n_read = 0;
  if (src->done || cap == 0)
    return FR_OK;
  if (src->compression == FR_COMPRESSION_ZSTD)
    return fr_source_read_zstd(src, dst, cap, n_read, err);
  if (src->compression == FR_COMPRESSION_GZIP)
    return fr_source_read_gzip(src, dst, cap, n_read, err);
  if (src->raw_pos == src->raw_len) {
    FR_TRY(fr_source_fill(src, err));
    if (src->raw_len == 0) {
      src->done = 1;
      return FR_OK;
    }
  }
  size_t n = src->raw_len - src->raw_pos;
  if (n > cap)
    n = cap;
  memcpy(dst, src->raw + src->raw_pos, n);
  src->raw_pos += n;
  *n_read = n;
  return FR_OK;
}

const char *fr_source_name(const fr_source *src) { return src->name; }
fr_compression fr_source_compression(const fr_source *src) { return src->compression; }
uint64_t fr_source_raw_pos(const fr_source *src) { return src->raw_total + src->raw_pos; }
uint64_t fr_source_raw_size(const fr_source *src) { return src->raw_size; }

void fr_source_close(fr_source *src) {
  if (src == NULL)
    return;
  if (src->owns_fd && src->fd >= 0)
    close(src->fd);
  if (src->zstd != NULL)
    ZSTD_freeDStream(src->zstd);
  if (src->gz_open)
    inflateEnd(&src->gz);
  fr_free(src->raw);
  fr_free(src->name);
  fr_free(src);
}

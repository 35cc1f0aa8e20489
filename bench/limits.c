/* ferret_limits - the physical limits the benchmark suite measures beside its
 * workloads, printed as one JSON object:
 *
 *   memory read bandwidth   a buffer (--mem-mib, default 512 MiB) summed as u64 words,
 *                           by 1 thread and by --threads threads, best of the reps
 *   zstd decompression      of the zstd frames stored in ferret segment files
 *                           (--segment FILE, repeatable: every stored chunk whose bytes
 *                           are one zstd frame, found by its magic number and checked
 *                           by decompressing it), or, with no segment, of a synthetic
 *                           txn_id-like string column at level 3 in 64 KiB chunks;
 *                           1 thread and --threads threads, output bytes per second
 *   XXH3                    XXH3_64bits over a 256 KiB buffer (long input, in cache),
 *                           and on 8- and 64-byte keys (hashes per second)
 *
 * Every figure is the best of several repetitions of at least --seconds (default 0.2)
 * each: a limit is what the machine can do, so the best run is the estimate.
 *
 *   ferret_limits [--threads N] [--mem-mib M] [--seconds S] [--segment FILE]...
 */
#include <errno.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>
#include <zstd.h>

#define MAX_SEGMENTS 16
#define REPS 5

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (p == NULL) {
    fprintf(stderr, "ferret_limits: out of memory (%zu bytes)\n", n);
    exit(3);
  }
  return p;
}

/* Defeats dead-code elimination of the measured loops. */
static volatile uint64_t g_sink;

/* ---------------------------------------------------------------- memory */

static uint64_t sum_words(const uint64_t *w, size_t n) {
  uint64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    a0 += w[i];
    a1 += w[i + 1];
    a2 += w[i + 2];
    a3 += w[i + 3];
  }
  for (; i < n; i++)
    a0 += w[i];
  return a0 + a1 + a2 + a3;
}

/* Bytes per second reading `words` u64 with `threads` threads, best of REPS. */
static double read_bandwidth(const uint64_t *buf, size_t words, int threads) {
  double best = 0;
  for (int rep = 0; rep < REPS; rep++) {
    uint64_t total = 0;
    double t0 = now_s();
#pragma omp parallel num_threads(threads) reduction(+ : total)
    {
      int nt = omp_get_num_threads(), id = omp_get_thread_num();
      size_t per = words / (size_t)nt, lo = per * (size_t)id;
      size_t hi = id == nt - 1 ? words : lo + per;
      total += sum_words(buf + lo, hi - lo);
    }
    double dt = now_s() - t0;
    g_sink += total;
    double bps = (double)words * 8.0 / dt;
    if (bps > best)
      best = bps;
  }
  return best;
}

/* ---------------------------------------------------------------- zstd */

typedef struct {
  const uint8_t *src;
  size_t csize;
  size_t dsize;
} frame;

typedef struct {
  frame *v;
  size_t n, cap;
  size_t cbytes, dbytes;
} frames;

static void frames_add(frames *fs, const uint8_t *src, size_t csize, size_t dsize) {
  if (fs->n == fs->cap) {
    fs->cap = fs->cap ? fs->cap * 2 : 256;
    frame *v = realloc(fs->v, fs->cap * sizeof *v);
    if (v == NULL) {
      fprintf(stderr, "ferret_limits: out of memory\n");
      exit(3);
    }
    fs->v = v;
  }
  fs->v[fs->n++] = (frame){src, csize, dsize};
  fs->cbytes += csize;
  fs->dbytes += dsize;
}

static uint8_t *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "ferret_limits: %s: %s\n", path, strerror(errno));
    exit(2);
  }
  size_t cap = 1 << 20, n = 0;
  uint8_t *buf = xmalloc(cap);
  for (;;) {
    if (n == cap) {
      cap *= 2;
      uint8_t *b = realloc(buf, cap);
      if (b == NULL) {
        fprintf(stderr, "ferret_limits: out of memory reading %s\n", path);
        exit(3);
      }
      buf = b;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0)
      break;
  }
  fclose(f);
  *len = n;
  return buf;
}

/* Every zstd frame stored in a segment file: a magic number where a frame of known
 * content size starts and that decompresses to exactly that size. */
static void find_frames(frames *fs, const uint8_t *buf, size_t len, ZSTD_DCtx *dctx,
                        uint8_t **scratch, size_t *scratch_cap) {
  static const uint8_t magic[4] = {0x28, 0xB5, 0x2F, 0xFD};
  size_t p = 0;
  while (p + 4 <= len) {
    const uint8_t *hit = memmem(buf + p, len - p, magic, 4);
    if (hit == NULL)
      break;
    p = (size_t)(hit - buf);
    size_t csize = ZSTD_findFrameCompressedSize(hit, len - p);
    unsigned long long dsize = ZSTD_getFrameContentSize(hit, len - p);
    if (ZSTD_isError(csize) || dsize == ZSTD_CONTENTSIZE_UNKNOWN ||
        dsize == ZSTD_CONTENTSIZE_ERROR || dsize == 0 || dsize > (1ull << 31)) {
      p++;
      continue;
    }
    if (dsize > *scratch_cap) {
      free(*scratch);
      *scratch_cap = (size_t)dsize;
      *scratch = xmalloc(*scratch_cap);
    }
    size_t got = ZSTD_decompressDCtx(dctx, *scratch, *scratch_cap, hit, csize);
    if (ZSTD_isError(got) || got != dsize) {
      p++;
      continue;
    }
    frames_add(fs, hit, csize, (size_t)dsize);
    p += csize;
  }
}

/* A txn_id-like plain string column ("T000000000001" ... as length-prefixed values),
 * compressed at level 3 (ferret's level for strings) in 64 KiB chunks. */
static uint8_t *synthetic_frames(frames *fs) {
  const size_t values = 1000000, chunk = 64 * 1024;
  size_t raw_len = values * 14 + 1; /* + the NUL of the last snprintf */
  uint8_t *raw = xmalloc(raw_len);
  size_t n = 0;
  for (size_t i = 0; i < values; i++) {
    raw[n++] = 13;
    n += (size_t)snprintf((char *)raw + n, 14, "T%012zu", i + 1);
  }
  size_t cap = ZSTD_compressBound(chunk) * (n / chunk + 1);
  uint8_t *out = xmalloc(cap);
  size_t used = 0;
  for (size_t off = 0; off < n; off += chunk) {
    size_t len = n - off < chunk ? n - off : chunk;
    size_t c = ZSTD_compress(out + used, cap - used, raw + off, len, 3);
    if (ZSTD_isError(c)) {
      fprintf(stderr, "ferret_limits: zstd: %s\n", ZSTD_getErrorName(c));
      exit(3);
    }
    used += c;
  }
  /* The frames are recorded after compression, when `out` no longer moves. */
  size_t pos = 0;
  for (size_t off = 0; off < n; off += chunk) {
    size_t len = n - off < chunk ? n - off : chunk;
    size_t c = ZSTD_findFrameCompressedSize(out + pos, used - pos);
    frames_add(fs, out + pos, c, len);
    pos += c;
  }
  free(raw);
  return out;
}

/* Output bytes per second decompressing every frame, with `threads` threads (each
 * its own context and output buffer), best of REPS passes of at least `min_s`. */
static double zstd_speed(const frames *fs, int threads, double min_s) {
  size_t max_d = 0;
  for (size_t i = 0; i < fs->n; i++)
    if (fs->v[i].dsize > max_d)
      max_d = fs->v[i].dsize;
  double best = 0;
  for (int rep = 0; rep < REPS; rep++) {
    size_t bytes = 0;
    int failed = 0;
    double t0 = now_s(), dt;
    do {
#pragma omp parallel num_threads(threads) reduction(+ : bytes, failed)
      {
        ZSTD_DCtx *dctx = ZSTD_createDCtx();
        uint8_t *dst = xmalloc(max_d);
#pragma omp for schedule(dynamic, 4)
        for (size_t i = 0; i < fs->n; i++) {
          size_t got = ZSTD_decompressDCtx(dctx, dst, max_d, fs->v[i].src, fs->v[i].csize);
          if (ZSTD_isError(got))
            failed++;
          else
            bytes += got;
        }
        free(dst);
        ZSTD_freeDCtx(dctx);
      }
      dt = now_s() - t0;
    } while (dt < min_s);
    if (failed) {
      fprintf(stderr, "ferret_limits: a frame failed to decompress\n");
      exit(3);
    }
    double bps = (double)bytes / dt;
    if (bps > best)
      best = bps;
  }
  return best;
}

/* ---------------------------------------------------------------- XXH3 */

static double xxh3_long(double min_s) {
  const size_t len = 256 * 1024;
  uint8_t *buf = xmalloc(len);
  for (size_t i = 0; i < len; i++)
    buf[i] = (uint8_t)(i * 2654435761u >> 24);
  double best = 0;
  for (int rep = 0; rep < REPS; rep++) {
    uint64_t h = 0;
    size_t bytes = 0;
    double t0 = now_s(), dt;
    do {
      for (int k = 0; k < 64; k++) {
        buf[0] = (uint8_t)h;
        h += XXH3_64bits(buf, len);
        bytes += len;
      }
      dt = now_s() - t0;
    } while (dt < min_s);
    g_sink += h;
    if ((double)bytes / dt > best)
      best = (double)bytes / dt;
  }
  free(buf);
  return best;
}

/* Hashes per second of XXH3_64bits over `key_len`-byte keys read from an array of
 * 1M keys (in L2/L3 for 8-byte keys, streaming for 64-byte ones). */
static double xxh3_keys(size_t key_len, double min_s) {
  const size_t n = 1 << 20;
  uint8_t *keys = xmalloc(n * key_len);
  for (size_t i = 0; i < n * key_len; i++)
    keys[i] = (uint8_t)(i * 0x9E3779B1u >> 23);
  double best = 0;
  for (int rep = 0; rep < REPS; rep++) {
    uint64_t h = 0;
    size_t hashes = 0;
    double t0 = now_s(), dt;
    do {
      for (size_t i = 0; i < n; i++)
        h ^= XXH3_64bits(keys + i * key_len, key_len);
      hashes += n;
      dt = now_s() - t0;
    } while (dt < min_s);
    g_sink += h;
    if ((double)hashes / dt > best)
      best = (double)hashes / dt;
  }
  free(keys);
  return best;
}

/* ---------------------------------------------------------------- main */

static void usage(void) {
  fprintf(stderr,
          "usage: ferret_limits [--threads N] [--mem-mib M] [--seconds S] [--segment FILE]...\n");
  exit(2);
}

static void json_str(const char *s) {
  putchar('"');
  for (; *s; s++) {
    if (*s == '"' || *s == '\\')
      printf("\\%c", *s);
    else if ((unsigned char)*s < 0x20)
      printf("\\u%04x", (unsigned char)*s);
    else
      putchar(*s);
  }
  putchar('"');
}

int main(int argc, char **argv) {
  int threads = 2;
  size_t mem_mib = 512;
  double min_s = 0.2;
  const char *segments[MAX_SEGMENTS];
  int n_segments = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
      threads = atoi(argv[++i]);
    else if (strcmp(argv[i], "--mem-mib") == 0 && i + 1 < argc)
      mem_mib = (size_t)strtoull(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
      min_s = atof(argv[++i]);
    else if (strcmp(argv[i], "--segment") == 0 && i + 1 < argc && n_segments < MAX_SEGMENTS)
      segments[n_segments++] = argv[++i];
    else
      usage();
  }
  if (threads < 1 || mem_mib < 1 || !(min_s > 0))
    usage();

  /* memory read bandwidth */
  size_t words = mem_mib * 1024 * 1024 / 8;
  uint64_t *buf = xmalloc(words * 8);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (size_t i = 0; i < words; i++)
    buf[i] = i * 0x9E3779B97F4A7C15ull;
  double bw1 = read_bandwidth(buf, words, 1);
  double bwn = read_bandwidth(buf, words, threads);
  free(buf);

  /* zstd decompression of stored chunks */
  frames fs = {0};
  uint8_t *files[MAX_SEGMENTS];
  uint8_t *synthetic = NULL;
  ZSTD_DCtx *dctx = ZSTD_createDCtx();
  uint8_t *scratch = NULL;
  size_t scratch_cap = 0;
  for (int i = 0; i < n_segments; i++) {
    size_t len;
    files[i] = read_file(segments[i], &len);
    find_frames(&fs, files[i], len, dctx, &scratch, &scratch_cap);
  }
  free(scratch);
  ZSTD_freeDCtx(dctx);
  const char *zsource = "stored zstd chunks of ferret segment files";
  if (fs.n == 0) {
    synthetic = synthetic_frames(&fs);
    zsource = "synthetic txn_id-like string column, level 3, 64 KiB chunks";
  }
  double z1 = zstd_speed(&fs, 1, min_s);
  double zn = zstd_speed(&fs, threads, min_s);

  /* XXH3 */
  double xl = xxh3_long(min_s);
  double x8 = xxh3_keys(8, min_s);
  double x64 = xxh3_keys(64, min_s);

  printf("{\"threads\":%d,\"memory_buffer_mib\":%zu,", threads, mem_mib);
  printf("\"memory_read_bytes_per_s\":{\"1\":%.0f,\"%d\":%.0f},", bw1, threads, bwn);
  printf("\"zstd\":{\"source\":");
  json_str(zsource);
  printf(",\"segments\":[");
  for (int i = 0; i < n_segments; i++) {
    if (i)
      putchar(',');
    json_str(segments[i]);
  }
  printf("],\"frames\":%zu,\"compressed_bytes\":%zu,\"decompressed_bytes\":%zu,"
         "\"ratio\":%.3f,\"output_bytes_per_s\":{\"1\":%.0f,\"%d\":%.0f},\"version\":\"%s\"},",
         fs.n, fs.cbytes, fs.dbytes, fs.cbytes ? (double)fs.dbytes / (double)fs.cbytes : 0.0,
         z1, threads, zn, ZSTD_versionString());
  printf("\"xxh3\":{\"long_input_bytes_per_s\":%.0f,\"hashes_per_s_8_byte_keys\":%.0f,"
         "\"hashes_per_s_64_byte_keys\":%.0f,\"version\":%u},",
         xl, x8, x64, XXH_versionNumber());
  printf("\"method\":\"best of %d repetitions of at least %.2f s each\"}\n", REPS, min_s);

  for (int i = 0; i < n_segments; i++)
    free(files[i]);
  free(synthetic);
  free(fs.v);
  return 0;
}

/* fuzz_common.h - helpers shared by the libFuzzer targets (header only).
 *
 * The readers under test take a file path, so each input is written to an
 * in-memory file (memfd) and handed over as /proc/self/fd/N; when memfd is not
 * available a private temporary file is used instead.  Neither touches the
 * library: the targets fuzz exactly the code that ingest and scans run.
 *
 * FZ_CHECK aborts with a message: libFuzzer reports the abort as a crash and
 * saves the input, so a broken invariant is found like a memory error.
 */
#ifndef FERRET_FUZZ_COMMON_H
#define FERRET_FUZZ_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FZ_CHECK(cond, ...)                                                                  \
  do {                                                                                       \
    if (!(cond)) {                                                                           \
      fprintf(stderr, "\n*** FERRET FUZZ INVARIANT FAILED (%s:%d): %s\n*** ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                                          \
      fprintf(stderr, "\n");                                                                 \
      abort();                                                                               \
    }                                                                                        \
  } while (0)

/* FZ_CHECK_TAG: a property check that can be switched off while the bug it
 * found is open, so that fuzzing goes on past it:
 *   FERRET_FUZZ_IGNORE=status,infer tests/fuzz/run_fuzz.sh build 60
 * Tags: status (error codes and messages), stream (block-boundary
 * independence), infer (inference vs conversion), roundtrip (encode/decode and
 * manifest round trips), zonemap, nulls (decoded NULL rows hold 0 or ""),
 * location (malformation offsets inside the block).  Memory errors and UB
 * cannot be ignored this way. */
static int fz_ignored(const char *tag) {
  static const char *ignore;
  static int init;
  if (!init) {
    ignore = getenv("FERRET_FUZZ_IGNORE");
    init = 1;
  }
  if (ignore == NULL)
    return 0;
  size_t len = strlen(tag);
  for (const char *p = ignore; (p = strstr(p, tag)) != NULL; p += len)
    if ((p == ignore || p[-1] == ',') && (p[len] == '\0' || p[len] == ','))
      return 1;
  return 0;
}

/* `cond` is always evaluated (it may have side effects), ignored or not. */
#define FZ_CHECK_TAG(tag, cond, ...)                                                         \
  do {                                                                                       \
    int fz_holds_ = (cond) ? 1 : 0;                                                          \
    if (!fz_holds_ && !fz_ignored(tag)) {                                                    \
      fprintf(stderr, "\n*** FERRET FUZZ INVARIANT FAILED (%s:%d): %s\n*** [%s] ", __FILE__, __LINE__, \
              #cond, tag);                                                                   \
      fprintf(stderr, __VA_ARGS__);                                                          \
      fprintf(stderr, "\n");                                                                 \
      abort();                                                                               \
    }                                                                                        \
  } while (0)

static int fz_fd = -1;
static char fz_path[64];
static char fz_tmp_path[64];

static void fz_cleanup(void) {
  if (fz_tmp_path[0])
    unlink(fz_tmp_path);
}

/* Replaces the contents of this process's input file with data[0..size) and
 * returns its path (valid until the next call). */
static const char *fz_write_input(const uint8_t *data, size_t size) {
  if (fz_fd < 0) {
    fz_fd = memfd_create("ferret-fuzz", MFD_CLOEXEC);
    if (fz_fd >= 0) {
      snprintf(fz_path, sizeof fz_path, "/proc/self/fd/%d", fz_fd);
      int probe = open(fz_path, O_RDONLY | O_CLOEXEC);
      if (probe < 0) {
        close(fz_fd);
        fz_fd = -1;
      } else {
        close(probe);
      }
    }
    if (fz_fd < 0) {
      snprintf(fz_tmp_path, sizeof fz_tmp_path, "/tmp/ferret-fuzz-%ld-XXXXXX", (long)getpid());
      fz_fd = mkstemp(fz_tmp_path);
      if (fz_fd < 0) {
        perror("ferret fuzz: cannot create the input file");
        abort();
      }
      snprintf(fz_path, sizeof fz_path, "%s", fz_tmp_path);
      atexit(fz_cleanup);
    }
  }
  if (ftruncate(fz_fd, 0) != 0) {
    perror("ferret fuzz: ftruncate");
    abort();
  }
  size_t done = 0;
  while (done < size) {
    ssize_t n = pwrite(fz_fd, data + done, size - done, (off_t)done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      perror("ferret fuzz: pwrite");
      abort();
    }
    done += (size_t)n;
  }
  return fz_path;
}

/* Little-endian loads from fuzzer bytes. */
static inline uint16_t fz_u16(const uint8_t *p) {
  return (uint16_t)(p[0] | (p[1] << 8));
}
static inline uint32_t fz_u32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline uint64_t fz_u64(const uint8_t *p) {
  return (uint64_t)fz_u32(p) | ((uint64_t)fz_u32(p + 4) << 32);
}

#endif

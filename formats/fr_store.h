/* fr_store.h - the store directory: manifest, snapshots, locking, atomic commit
 * (STORE_FORMAT.md §2 and §5).
 *
 *   STORE/MANIFEST           the current version (binary, checksummed)
 *   STORE/data/NAME.fseg     immutable segment files
 *   STORE/history/MANIFEST.N a copy of every committed manifest, written after
 *                            the commit: a witness that detects a replayed old
 *                            MANIFEST
 *   STORE/LOCK               flock()ed by writers
 *   STORE/rejects/           default place for rejected input rows
 *
 * Readers load MANIFEST once (fr_store_open) and see that version until they
 * close, whatever ingests commit meanwhile: segments are never modified and
 * never deleted while referenced.  A commit writes new segments (fsynced), a new
 * manifest to MANIFEST.tmp (fsynced), renames it over MANIFEST (the atomic commit
 * point) and fsyncs the directory; a crash at any instant leaves the previous or
 * the new version.  Files a crashed ingest left behind are removed by the next
 * writer.
 */
#ifndef FR_STORE_H
#define FR_STORE_H

#include <stdint.h>

#include "fr_schema.h"
#include "fr_segment.h"

#define FR_MANIFEST_FORMAT_VERSION 1u

__extension__ typedef __int128 fr_i128;
__extension__ typedef unsigned __int128 fr_u128;

/* One segment as the manifest records it. */
typedef struct fr_segment_record {
  char file[FR_NAME_CAP];   /* path relative to the store, "data/....fseg" */
  fr_segment_info info;
  uint64_t version_added;   /* store version that committed it */
} fr_segment_record;

typedef struct fr_table_meta {
  char name[FR_NAME_CAP];
  fr_schema schema;
  uint32_t n_segments;
  fr_segment_record *segments;
  uint64_t n_rows;
  fr_i128 *decimal_sums;    /* n_columns entries; meaningful for decimal columns */
} fr_table_meta;

/* One committed ingest. */
typedef struct fr_history_entry {
  uint64_t version;
  uint64_t committed_at_us; /* wall clock, microseconds since the epoch */
  char table[FR_NAME_CAP];
  uint64_t rows_read;
  uint64_t rows_stored;
  uint64_t rows_rejected;
  char sources[512];        /* input file names, truncated */
  uint32_t n_sums;
  uint32_t *sum_columns;    /* decimal column indexes */
  fr_i128 *sums;            /* their sums in this ingest */
} fr_history_entry;

typedef struct fr_manifest {
  uint64_t version;         /* 0 = empty store */
  uint64_t committed_at_us;
  uint32_t n_tables;
  fr_table_meta *tables;
  uint32_t n_history;
  fr_history_entry *history;
} fr_manifest;

void fr_manifest_init(fr_manifest *m);
void fr_manifest_free(fr_manifest *m);
/* Serialises / parses SPEC §5.  Parse errors are FR_ERR_CORRUPT. */
FR_MUST_USE fr_status fr_manifest_encode(const fr_manifest *m, fr_buf *out);
FR_MUST_USE fr_status fr_manifest_decode(fr_manifest *out, const uint8_t *bytes, size_t len,
                                         const char *path, fr_error *err);
/* Returns 1 when a segment of some table is the store-relative file `relative`. */
int fr_manifest_references(const fr_manifest *m, const char *relative);

/* Reads a whole file of at most 1 GiB into `out` (appended).  Sets *missing (and
 * returns FR_OK) when it does not exist.  Errors: FR_ERR_IO, FR_ERR_CORRUPT (too
 * large), FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_store_read_file(const char *path, fr_buf *out, int *missing, fr_error *err);

/* Table by name, or NULL; borrowed from the manifest. */
fr_table_meta *fr_manifest_table(const fr_manifest *m, const char *name);

typedef struct fr_store {
  char *dir;
  fr_manifest manifest;     /* the snapshot */
  int lock_fd;              /* >= 0 when opened for writing */
} fr_store;

/* Opens a snapshot of the store at `dir` for reading.  Errors: FR_ERR_NOTFOUND
 * (no store there), FR_ERR_CORRUPT (damaged or rolled-back manifest), FR_ERR_IO,
 * FR_ERR_NOMEM.  *out is the caller's; close with fr_store_close. */
FR_MUST_USE fr_status fr_store_open(fr_store **out, const char *dir, fr_error *err);

/* Opens the store for writing, creating it when `create` is set: takes the
 * writer lock (waiting for another writer when `wait` is set, else
 * FR_ERR_BUSY), loads the current manifest and removes files a crashed writer
 * left behind. */
FR_MUST_USE fr_status fr_store_open_writer(fr_store **out, const char *dir, int create, int wait,
                                           fr_error *err);

/* Path of a store-relative file, written into `out` (cap bytes). */
void fr_store_path(const fr_store *store, const char *relative, char *out, size_t cap);

/* Fresh random 64-bit id for a new segment (never 0). */
uint64_t fr_store_new_segment_id(void);

/* Commits `next` (the full new manifest, version = current + 1) atomically and
 * adopts it as the store's snapshot (ownership moves into the store; *next is
 * left empty).  Needs a writer.  Errors: FR_ERR_IO, FR_ERR_NOMEM; on error the
 * store is unchanged on disk. */
FR_MUST_USE fr_status fr_store_commit(fr_store *store, fr_manifest *next, fr_error *err);

/* Deep copy of a manifest (for building the next version). */
FR_MUST_USE fr_status fr_manifest_copy(fr_manifest *out, const fr_manifest *src);

/* Checks the manifest history witnesses (SPEC §2.3): a copy of a later version
 * than MANIFEST's means MANIFEST was replaced by an old one.  Errors:
 * FR_ERR_CORRUPT. */
FR_MUST_USE fr_status fr_store_check_rollback(const fr_store *store, fr_error *err);

/* Releases the lock (if any) and frees everything; accepts NULL. */
void fr_store_close(fr_store *store);

/* Formats an exact 128-bit decimal sum of cents as text ("-123.45"). */
size_t fr_format_decimal_sum(char *out, fr_i128 cents);

#endif

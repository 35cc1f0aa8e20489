/* fr_store.c - manifest encoding, snapshots, writer lock and atomic commit
 * (STORE_FORMAT.md §2, §5).
 *
 * Commit order (SPEC §2.2): segments fsynced -> MANIFEST.tmp written + fsynced ->
 * rename(MANIFEST.tmp, MANIFEST) -> fsync(STORE) -> history/MANIFEST.N written.
 * The rename is the commit point.  The history copy comes after it, so its
 * presence proves version N was committed: MANIFEST older than the newest
 * history copy can only be a replay (SPEC §2.3).
 */
#include "fr_store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "fr_alloc.h"
#include "fr_hash.h"

static const char fr_manifest_magic[8] = {'F', 'R', 'M', 'A', 'N', 'I', 'F', '1'};
#define FR_MANIFEST_SEED 0x6d616e6966657374ULL
#define FR_MANIFEST_MAX_BYTES ((size_t)1 << 30)

void fr_manifest_init(fr_manifest *m) { memset(m, 0, sizeof *m); }

static void fr_table_meta_free(fr_table_meta *t) {
  fr_schema_free(&t->schema);
  fr_free(t->segments);
  fr_free(t->decimal_sums);
}

static void fr_history_free(fr_history_entry *h) {
  fr_free(h->sum_columns);
  fr_free(h->sums);
}

void fr_manifest_free(fr_manifest *m) {
  for (uint32_t idx = 0; idx < m->n_tables; idx++)
    fr_table_meta_free(&m->tables[idx]);
  for (uint32_t idx = 0; idx < m->n_history; idx++)
    fr_history_free(&m->history[idx]);
  fr_free(m->tables);
  fr_free(m->history);
  fr_manifest_init(m);
}

int fr_manifest_references(const fr_manifest *m, const char *relative) {
  for (uint32_t t = 0; t < m->n_tables; t++)
    for (uint32_t s = 0; s < m->tables[t].n_segments; s++)
      if (strcmp(m->tables[t].segments[s].file, relative) == 0)
        return 1;
  return 0;
}

fr_table_meta *fr_manifest_table(const fr_manifest *m, const char *name) {
  for (uint32_t idx = 0; idx < m->n_tables; idx++)
    if (strcmp(m->tables[idx].name, name) == 0)
      return &m->tables[idx];
  return NULL;
}

static void fr_put_i128(fr_buf *buf, fr_i128 v) {
  fr_u128 u = (fr_u128)v;
  fr_buf_put_u64(buf, (uint64_t)u);
  fr_buf_put_u64(buf, (uint64_t)(u >> 64));
}

static fr_i128 fr_get_i128(fr_reader *rd) {
  uint64_t lo = fr_get_u64(rd), hi = fr_get_u64(rd);
  return (fr_i128)(((fr_u128)hi << 64) | lo);
}

fr_status fr_manifest_encode(const fr_manifest *m, fr_buf *out) {
  fr_buf_put(out, fr_manifest_magic, 8);
  fr_buf_put_u32(out, FR_MANIFEST_FORMAT_VERSION);
  fr_buf_put_u64(out, m->version);
  fr_buf_put_u64(out, m->committed_at_us);
  fr_buf_put_u32(out, m->n_tables);
  for (uint32_t t = 0; t < m->n_tables; t++) {
    const fr_table_meta *table = &m->tables[t];
    fr_buf_put_str16(out, table->name, strlen(table->name));
    fr_buf_put_u32(out, table->schema.n_columns);
    for (uint32_t c = 0; c < table->schema.n_columns; c++) {
      fr_buf_put_u8(out, (uint8_t)table->schema.columns[c].type);
      fr_buf_put_str16(out, table->schema.columns[c].name, strlen(table->schema.columns[c].name));
    }
    fr_buf_put_u64(out, table->n_rows);
    for (uint32_t c = 0; c < table->schema.n_columns; c++)
      fr_put_i128(out, table->decimal_sums ? table->decimal_sums[c] : 0);
    fr_buf_put_u32(out, table->n_segments);
    for (uint32_t s = 0; s < table->n_segments; s++) {
      const fr_segment_record *seg = &table->segments[s];
      fr_buf_put_str16(out, seg->file, strlen(seg->file));
      fr_buf_put_u64(out, seg->info.segment_id);
      fr_buf_put_u64(out, seg->info.file_bytes);
      fr_buf_put_u64(out, seg->info.footer_checksum);
      fr_buf_put_u64(out, seg->info.n_rows);
      fr_buf_put_u32(out, seg->info.n_row_groups);
      fr_buf_put_u64(out, seg->info.raw_bytes);
      fr_buf_put_u64(out, seg->version_added);
    }
  }
  fr_buf_put_u32(out, m->n_history);
  for (uint32_t h = 0; h < m->n_history; h++) {
    const fr_history_entry *e = &m->history[h];
    fr_buf_put_u64(out, e->version);
    fr_buf_put_u64(out, e->committed_at_us);
    fr_buf_put_str16(out, e->table, strlen(e->table));
    fr_buf_put_u64(out, e->rows_read);
    fr_buf_put_u64(out, e->rows_stored);
    fr_buf_put_u64(out, e->rows_rejected);
    fr_buf_put_str16(out, e->sources, strlen(e->sources));
    fr_buf_put_u32(out, e->n_sums);
    for (uint32_t s = 0; s < e->n_sums; s++) {
      fr_buf_put_u32(out, e->sum_columns[s]);
      fr_put_i128(out, e->sums[s]);
    }
  }
  uint64_t checksum = fr_hash64(out->data, out->len, FR_MANIFEST_SEED);
  fr_buf_put_u64(out, checksum);
  return out->failed ? FR_ERR_NOMEM : FR_OK;
}

static int fr_get_name(fr_reader *rd, char *dst) {
  uint16_t len = fr_get_u16(rd);
  const uint8_t *p = len < FR_NAME_CAP ? fr_get_bytes(rd, len) : NULL;
  if (p == NULL) {
    rd->overrun = 1;
    dst[0] = '\0';
    return 0;
  }
  memcpy(dst, p, len);
  dst[len] = '\0';
  return 1;
}

fr_status fr_manifest_decode(fr_manifest *out, const uint8_t *bytes, size_t len, const char *path,
                             fr_error *err) {
  fr_manifest_init(out);
  if (len < 8 + 4 + 8 || memcmp(bytes, fr_manifest_magic, 8) != 0)
    return fr_error_set(err, FR_ERR_CORRUPT, "%s: not a ferret manifest (bad magic)", path);
  uint64_t stored_checksum = fr_load_u64(bytes + len - 8);
  if (fr_hash64(bytes, len - 8, FR_MANIFEST_SEED) != stored_checksum)
    return fr_error_set(err, FR_ERR_CORRUPT, "%s: manifest checksum mismatch (damaged manifest)", path);
  fr_reader rd;
  fr_reader_init(&rd, bytes + 8, len - 16);
  fr_status status = FR_OK;
  uint32_t format = fr_get_u32(&rd);
  if (format != FR_MANIFEST_FORMAT_VERSION)
    return fr_error_set(err, FR_ERR_CORRUPT, "%s: manifest format %u is not %u", path, format,
                        FR_MANIFEST_FORMAT_VERSION);
  out->version = fr_get_u64(&rd);
  out->committed_at_us = fr_get_u64(&rd);
  /* Counts are bounded by the bytes left for their smallest possible entries
   * (table 18, segment 54, history 48 bytes), so a damaged count cannot make
   * us allocate more than a small multiple of the manifest's size. */
  uint32_t n_tables = fr_get_u32(&rd);
  if (rd.overrun || n_tables > (rd.len - rd.pos) / 18)
    goto corrupt;
  out->tables = fr_calloc(n_tables ? n_tables : 1, sizeof *out->tables);
  if (out->tables == NULL)
    goto nomem;
  for (uint32_t t = 0; t < n_tables; t++) {
    fr_table_meta *table = &out->tables[t];
    out->n_tables++;
    fr_schema_init(&table->schema);
    fr_get_name(&rd, table->name);
    uint32_t n_columns = fr_get_u32(&rd);
    if (rd.overrun || n_columns > 65535)
      goto corrupt;
    for (uint32_t c = 0; c < n_columns; c++) {
      uint8_t type = fr_get_u8(&rd);
      char name[FR_NAME_CAP];
      fr_get_name(&rd, name);
      if (rd.overrun || type < FR_TYPE_STRING || type > FR_TYPE_BOOL)
        goto corrupt;
      fr_error add_err;
      fr_error_clear(&add_err);
      status = fr_schema_add(&table->schema, name, strlen(name), (fr_type)type, &add_err);
      if (status == FR_ERR_NOMEM)
        goto nomem;
      if (status != FR_OK)
        goto corrupt;
    }
    table->n_rows = fr_get_u64(&rd);
    table->decimal_sums = fr_calloc(n_columns ? n_columns : 1, sizeof *table->decimal_sums);
    if (table->decimal_sums == NULL)
      goto nomem;
    for (uint32_t c = 0; c < n_columns; c++)
      table->decimal_sums[c] = fr_get_i128(&rd);
    uint32_t n_segments = fr_get_u32(&rd);
    if (rd.overrun || n_segments > (rd.len - rd.pos) / 54)
      goto corrupt;
    table->segments = fr_calloc(n_segments ? n_segments : 1, sizeof *table->segments);
    if (table->segments == NULL)
      goto nomem;
    table->n_segments = n_segments;
    for (uint32_t s = 0; s < n_segments; s++) {
      fr_segment_record *seg = &table->segments[s];
      fr_get_name(&rd, seg->file);
      seg->info.segment_id = fr_get_u64(&rd);
      seg->info.file_bytes = fr_get_u64(&rd);
      seg->info.footer_checksum = fr_get_u64(&rd);
      seg->info.n_rows = fr_get_u64(&rd);
      seg->info.n_row_groups = fr_get_u32(&rd);
      seg->info.raw_bytes = fr_get_u64(&rd);
      seg->version_added = fr_get_u64(&rd);
      if (strstr(seg->file, "..") != NULL || seg->file[0] == '/')
        goto corrupt;
    }
  }
  uint32_t n_history = fr_get_u32(&rd);
  if (rd.overrun || n_history > (rd.len - rd.pos) / 48)
    goto corrupt;
  out->history = fr_calloc(n_history ? n_history : 1, sizeof *out->history);
  if (out->history == NULL)
    goto nomem;
  for (uint32_t h = 0; h < n_history; h++) {
    fr_history_entry *e = &out->history[h];
    out->n_history++;
    e->version = fr_get_u64(&rd);
    e->committed_at_us = fr_get_u64(&rd);
    fr_get_name(&rd, e->table);
    e->rows_read = fr_get_u64(&rd);
    e->rows_stored = fr_get_u64(&rd);
    e->rows_rejected = fr_get_u64(&rd);
    uint16_t src_len = fr_get_u16(&rd);
    const uint8_t *src = src_len < sizeof e->sources ? fr_get_bytes(&rd, src_len) : NULL;
    if (src == NULL)
      goto corrupt;
    memcpy(e->sources, src, src_len);
    e->sources[src_len] = '\0';
    e->n_sums = fr_get_u32(&rd);
    if (rd.overrun || e->n_sums > 65535)
      goto corrupt;
    e->sum_columns = fr_calloc(e->n_sums ? e->n_sums : 1, sizeof *e->sum_columns);
    e->sums = fr_calloc(e->n_sums ? e->n_sums : 1, sizeof *e->sums);
    if (e->sum_columns == NULL || e->sums == NULL)
      goto nomem;
    for (uint32_t s = 0; s < e->n_sums; s++) {
      e->sum_columns[s] = fr_get_u32(&rd);
      e->sums[s] = fr_get_i128(&rd);
    }
  }
  if (rd.overrun || rd.pos != rd.len)
    goto corrupt;
  return FR_OK;
corrupt:
  status = fr_error_set(err, FR_ERR_CORRUPT, "%s: manifest structure is invalid", path);
  goto fail;
nomem:
  status = fr_error_set(err, FR_ERR_NOMEM, "out of memory reading %s", path);
fail:
  fr_manifest_free(out);
  return status;
}

fr_status fr_manifest_copy(fr_manifest *out, const fr_manifest *src) {
  fr_manifest_init(out);
  fr_buf buf;
  fr_buf_init(&buf);
  fr_status status = fr_manifest_encode(src, &buf);
  if (status == FR_OK)
    status = fr_manifest_decode(out, buf.data, buf.len, "manifest copy", NULL);
  fr_buf_free(&buf);
  return status;
}

void fr_store_path(const fr_store *store, const char *relative, char *out, size_t cap) {
  snprintf(out, cap, "%s/%s", store->dir, relative);
}

fr_status fr_store_read_file(const char *path, fr_buf *out, int *missing, fr_error *err) {
  *missing = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      *missing = 1;
      return FR_OK;
    }
    return fr_error_set(err, FR_ERR_IO, "cannot open %s: %s", path, strerror(errno));
  }
  fr_status status = FR_OK;
  for (;;) {
    if (fr_buf_reserve(out, 65536) != FR_OK) {
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory reading %s", path);
      break;
    }
    ssize_t n = read(fd, out->data + out->len, out->cap - out->len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      status = fr_error_set(err, FR_ERR_IO, "cannot read %s: %s", path, strerror(errno));
      break;
    }
    if (n == 0)
      break;
    out->len += (size_t)n;
    if (out->len > FR_MANIFEST_MAX_BYTES) {
      status = fr_error_set(err, FR_ERR_CORRUPT, "%s: larger than any manifest", path);
      break;
    }
  }
  close(fd);
  return status;
}

static fr_status fr_store_load_manifest(fr_store *store, fr_error *err) {
  char path[4096];
  fr_store_path(store, "MANIFEST", path, sizeof path);
  fr_buf buf;
  fr_buf_init(&buf);
  int missing = 0;
  fr_status status = fr_store_read_file(path, &buf, &missing, err);
  if (status == FR_OK && !missing)
    status = fr_manifest_decode(&store->manifest, buf.data, buf.len, path, err);
  fr_buf_free(&buf);
  if (status == FR_OK && missing) {
    /* No manifest: a store that was created but never committed is empty, and
     * only if no history copy exists (else the manifest was deleted). */
    char history[4096];
    fr_store_path(store, "history/MANIFEST.1", history, sizeof history);
    if (access(history, F_OK) == 0)
      return fr_error_set(err, FR_ERR_CORRUPT,
                          "%s is missing but the store has committed versions (deleted manifest)", path);
  }
  return status;
}

fr_status fr_store_check_rollback(const fr_store *store, fr_error *err) {
  char path[4096], relative[64];
  snprintf(relative, sizeof relative, "history/MANIFEST.%llu",
           (unsigned long long)store->manifest.version + 1);
  fr_store_path(store, relative, path, sizeof path);
  if (access(path, F_OK) != 0)
    return FR_OK;
  /* A later version's witness exists.  Either MANIFEST was put back to an old
   * copy, or a writer committed after we read MANIFEST (a reader does not hold
   * the lock): MANIFEST on disk then already holds that later version. */
  char manifest_path[4096];
  fr_store_path(store, "MANIFEST", manifest_path, sizeof manifest_path);
  fr_buf bytes;
  fr_buf_init(&bytes);
  int missing = 0;
  uint64_t on_disk = 0;
  if (fr_store_read_file(manifest_path, &bytes, &missing, NULL) == FR_OK && !missing) {
    fr_manifest now;
    if (fr_manifest_decode(&now, bytes.data, bytes.len, manifest_path, NULL) == FR_OK) {
      on_disk = now.version;
      fr_manifest_free(&now);
    }
  }
  fr_buf_free(&bytes);
  if (on_disk > store->manifest.version)
    return FR_OK;
  return fr_error_set(err, FR_ERR_CORRUPT,
                      "%s/MANIFEST is version %llu but version %llu was committed (%s exists): "
                      "an old manifest was put back (replayed); restore the newest manifest "
                      "from history/ or investigate",
                      store->dir, (unsigned long long)store->manifest.version,
                      (unsigned long long)store->manifest.version + 1, path);
}

static fr_status fr_store_alloc(fr_store **out, const char *dir, fr_error *err) {
  fr_store *store = fr_calloc(1, sizeof *store);
  if (store == NULL)
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  store->lock_fd = -1;
  size_t len = strlen(dir);
  while (len > 1 && dir[len - 1] == '/')
    len--;
  store->dir = fr_strndup(dir, len);
  if (store->dir == NULL) {
    fr_free(store);
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  fr_manifest_init(&store->manifest);
  *out = store;
  return FR_OK;
}

fr_status fr_store_open(fr_store **out, const char *dir, fr_error *err) {
  *out = NULL;
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
    return fr_error_set(err, FR_ERR_NOTFOUND, "no store at %s (create one with `ferret ingest %s TABLE FILE`)",
                        dir, dir);
  char probe[4096];
  snprintf(probe, sizeof probe, "%s/data", dir);
  if (stat(probe, &st) != 0)
    return fr_error_set(err, FR_ERR_NOTFOUND, "%s is not a ferret store (no data/ directory)", dir);
  fr_store *store;
  FR_TRY(fr_store_alloc(&store, dir, err));
  fr_status status = fr_store_load_manifest(store, err);
  if (status == FR_OK)
    status = fr_store_check_rollback(store, err);
  if (status != FR_OK) {
    fr_store_close(store);
    return status;
  }
  *out = store;
  return FR_OK;
}

static fr_status fr_mkdir(const char *path, fr_error *err) {
  if (mkdir(path, 0755) != 0 && errno != EEXIST)
    return fr_error_set(err, FR_ERR_IO, "cannot create directory %s: %s", path, strerror(errno));
  return FR_OK;
}

static fr_status fr_fsync_dir(const char *path, fr_error *err) {
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return fr_error_set(err, FR_ERR_IO, "cannot open directory %s: %s", path, strerror(errno));
  int rc = fsync(fd);
  close(fd);
  if (rc != 0)
    return fr_error_set(err, FR_ERR_IO, "cannot fsync directory %s: %s", path, strerror(errno));
  return FR_OK;
}

/* Removes segment files no committed manifest references, and MANIFEST.tmp:
 * what a writer killed before its commit point left behind.  Runs under the
 * writer lock, so no commit is in progress. */
static void fr_store_remove_orphans(fr_store *store) {
  char path[4096];
  fr_store_path(store, "MANIFEST.tmp", path, sizeof path);
  unlink(path);
  fr_store_path(store, "data", path, sizeof path);
  DIR *dir = opendir(path);
  if (dir == NULL)
    return;
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    if (entry->d_name[0] == '.')
      continue;
    char relative[FR_NAME_CAP + 8];
    snprintf(relative, sizeof relative, "data/%s", entry->d_name);
    if (!fr_manifest_references(&store->manifest, relative)) {
      char full[4096 + FR_NAME_CAP];
      snprintf(full, sizeof full, "%s/%s", store->dir, relative);
      unlink(full);
    }
  }
  closedir(dir);
}

fr_status fr_store_open_writer(fr_store **out, const char *dir, int create, int wait,
                               fr_error *err) {
  *out = NULL;
  struct stat st;
  if (stat(dir, &st) != 0) {
    if (!create)
      return fr_error_set(err, FR_ERR_NOTFOUND, "no store at %s", dir);
    FR_TRY(fr_mkdir(dir, err));
  } else if (!S_ISDIR(st.st_mode)) {
    return fr_error_set(err, FR_ERR_INVALID, "%s exists and is not a directory", dir);
  }
  fr_store *store;
  FR_TRY(fr_store_alloc(&store, dir, err));
  char path[4096];
  fr_status status = FR_OK;
  fr_store_path(store, "LOCK", path, sizeof path);
  store->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (store->lock_fd < 0) {
    status = fr_error_set(err, FR_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    goto done;
  }
  if (flock(store->lock_fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK || !wait) {
      status = fr_error_set(err, FR_ERR_BUSY, "%s is locked by another ingest or scan", dir);
      goto done;
    }
    if (flock(store->lock_fd, LOCK_EX) != 0) {
      status = fr_error_set(err, FR_ERR_IO, "cannot lock %s: %s", path, strerror(errno));
      goto done;
    }
  }
  static const char *subdirs[] = {"data", "history", "rejects"};
  for (size_t idx = 0; idx < 3 && status == FR_OK; idx++) {
    fr_store_path(store, subdirs[idx], path, sizeof path);
    status = fr_mkdir(path, err);
  }
  if (status == FR_OK)
    status = fr_store_load_manifest(store, err);
  if (status == FR_OK)
    status = fr_store_check_rollback(store, err);
  if (status == FR_OK)
    fr_store_remove_orphans(store);
done:
  if (status != FR_OK) {
    fr_store_close(store);
    return status;
  }
  *out = store;
  return FR_OK;
}

uint64_t fr_store_new_segment_id(void) {
  uint64_t id = 0;
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    if (read(fd, &id, sizeof id) != (ssize_t)sizeof id)
      id = 0;
    close(fd);
  }
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  uint64_t mix[3] = {id, (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec, (uint64_t)getpid()};
  id = fr_hash64(mix, sizeof mix, 0);
  return id ? id : 1;
}

static fr_status fr_write_file_synced(const char *path, const fr_buf *buf, fr_error *err) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return fr_error_set(err, FR_ERR_IO, "cannot create %s: %s", path, strerror(errno));
  size_t done_bytes = 0;
  fr_status status = FR_OK;
  while (done_bytes < buf->len) {
    ssize_t n = write(fd, buf->data + done_bytes, buf->len - done_bytes);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      status = fr_error_set(err, FR_ERR_IO, "cannot write %s: %s", path, strerror(errno));
      break;
    }
    done_bytes += (size_t)n;
  }
  if (status == FR_OK && fsync(fd) != 0)
    status = fr_error_set(err, FR_ERR_IO, "cannot fsync %s: %s", path, strerror(errno));
  close(fd);
  return status;
}

fr_status fr_store_commit(fr_store *store, fr_manifest *next, fr_error *err) {
  FR_FAIL_IF(store->lock_fd < 0, FR_ERR_INVALID, err, "commit needs the writer lock");
  FR_FAIL_IF(next->version != store->manifest.version + 1, FR_ERR_INVALID, err,
             "commit of version %llu over version %llu", (unsigned long long)next->version,
             (unsigned long long)store->manifest.version);
  struct timeval now;
  gettimeofday(&now, NULL);
  next->committed_at_us = (uint64_t)now.tv_sec * 1000000ULL + (uint64_t)now.tv_usec;
  for (uint32_t h = 0; h < next->n_history; h++)
    if (next->history[h].version == next->version)
      next->history[h].committed_at_us = next->committed_at_us;
  fr_buf buf;
  fr_buf_init(&buf);
  char tmp[4096], final[4096], history[4096], history_tmp[4096 + 8], relative[64];
  fr_status status = fr_manifest_encode(next, &buf);
  if (status != FR_OK) {
    fr_buf_free(&buf);
    return fr_error_set(err, status, "out of memory encoding the manifest");
  }
  fr_store_path(store, "MANIFEST.tmp", tmp, sizeof tmp);
  fr_store_path(store, "MANIFEST", final, sizeof final);
  status = fr_write_file_synced(tmp, &buf, err);
  if (status == FR_OK && rename(tmp, final) != 0)
    status = fr_error_set(err, FR_ERR_IO, "cannot rename %s to %s: %s", tmp, final, strerror(errno));
  if (status == FR_OK)
    status = fr_fsync_dir(store->dir, err);
  if (status == FR_OK) {
    /* Committed.  Now the witness copy (SPEC §2.3). */
    snprintf(relative, sizeof relative, "history/MANIFEST.%llu", (unsigned long long)next->version);
    fr_store_path(store, relative, history, sizeof history);
    snprintf(history_tmp, sizeof history_tmp, "%s.tmp", history);
    fr_error ignored;
    fr_error_clear(&ignored);
    if (fr_write_file_synced(history_tmp, &buf, &ignored) == FR_OK)
      rename(history_tmp, history);
    fr_manifest_free(&store->manifest);
    store->manifest = *next;
    fr_manifest_init(next);
  } else {
    unlink(tmp);
  }
  fr_buf_free(&buf);
  return status;
}

void fr_store_close(fr_store *store) {
  if (store == NULL)
    return;
  if (store->lock_fd >= 0)
    close(store->lock_fd); /* releases the flock */
  fr_manifest_free(&store->manifest);
  fr_free(store->dir);
  fr_free(store);
}

size_t fr_format_decimal_sum(char *out, fr_i128 cents) {
  fr_u128 magnitude = cents < 0 ? (fr_u128)0 - (fr_u128)cents
                                          : (fr_u128)cents;
  char digits[48];
  size_t n = 0;
  fr_u128 units = magnitude / 100;
  do {
    digits[n++] = (char)('0' + (int)(units % 10));
    units /= 10;
  } while (units);
  size_t len = 0;
  if (cents < 0)
    out[len++] = '-';
  while (n)
    out[len++] = digits[--n];
  out[len++] = '.';
  out[len++] = (char)('0' + (int)(magnitude / 10 % 10));
  out[len++] = (char)('0' + (int)(magnitude % 10));
  out[len] = '\0';
  return len;
}

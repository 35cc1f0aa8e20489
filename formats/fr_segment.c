/* fr_segment.c - segment writer and reader (STORE_FORMAT.md §3).
 *
 * Invariant: a segment file is written once, front to back, and never modified
 * after fr_segment_writer_finish; readers therefore need no locks.  Every
 * structure read from disk is bounds-checked (fr_reader) before use.
 */
#include "fr_segment.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fr_alloc.h"
#include "fr_hash.h"

static const char fr_segment_magic[8] = {'F', 'E', 'R', 'R', 'E', 'T', 'S', 'G'};
static const char fr_segment_end_magic[8] = {'F', 'R', 'S', 'E', 'G', 'E', 'N', 'D'};
#define FR_SEGMENT_HEADER_BYTES 16
#define FR_SEGMENT_TRAILER_BYTES 32
#define FR_FOOTER_SEED 0x66657272657446ULL

/* SPEC §3.4: the seed binds a chunk's bytes to its place. */
static uint64_t fr_chunk_seed(uint64_t segment_id, uint32_t rg_idx, uint32_t col_idx) {
  uint64_t identity[3] = {segment_id, rg_idx, col_idx};
  return fr_hash64(identity, sizeof identity, 0);
}

void fr_encoded_rowgroup_free(fr_encoded_rowgroup *rg) {
  if (rg->chunks != NULL)
    for (uint32_t idx = 0; idx < rg->n_columns; idx++)
      fr_buf_free(&rg->chunks[idx]);
  fr_free(rg->chunks);
  fr_free(rg->metas);
  memset(rg, 0, sizeof *rg);
}

fr_status fr_segment_encode_rowgroup(fr_encoded_rowgroup *out, const fr_column *columns,
                                     uint32_t n_columns, fr_error *err) {
  memset(out, 0, sizeof *out);
  out->n_columns = n_columns;
  out->n_rows = n_columns ? columns[0].n_rows : 0;
  out->chunks = fr_calloc(n_columns, sizeof *out->chunks);
  out->metas = fr_calloc(n_columns, sizeof *out->metas);
  if (out->chunks == NULL || out->metas == NULL) {
    fr_encoded_rowgroup_free(out);
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory encoding a row group");
  }
  fr_buf scratch;
  fr_buf_init(&scratch);
  fr_status status = FR_OK;
  for (uint32_t idx = 0; idx < n_columns && status == FR_OK; idx++)
    status = fr_codec_encode(&columns[idx], &out->chunks[idx], &out->metas[idx], &scratch, err);
  fr_buf_free(&scratch);
  if (status != FR_OK)
    fr_encoded_rowgroup_free(out);
  return status;
}

struct fr_segment_writer {
  int fd;
  char *path;
  uint64_t segment_id;
  uint64_t offset;        /* bytes written */
  uint64_t raw_bytes;
  uint64_t n_rows;
  fr_buf footer_rgs;      /* SPEC §3.2 row-group entries, appended as we go */
  uint32_t n_row_groups;
  fr_buf header;          /* SPEC §3.2 footer start (version, id, table, columns) */
  fr_schema schema;
};

static fr_status fr_write_all(int fd, const void *data, size_t len, const char *path,
                              fr_error *err) {
  const uint8_t *p = data;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return fr_error_set(err, FR_ERR_IO, "cannot write %s: %s", path, strerror(errno));
    }
    p += n;
    len -= (size_t)n;
  }
  return FR_OK;
}

fr_status fr_segment_writer_create(fr_segment_writer **out, const char *path, uint64_t segment_id,
                                   const char *table, const fr_schema *schema, fr_error *err) {
  *out = NULL;
  fr_segment_writer *w = fr_calloc(1, sizeof *w);
  if (w == NULL)
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  w->fd = -1;
  w->segment_id = segment_id;
  w->path = fr_strndup(path, strlen(path));
  fr_status status = FR_OK;
  if (w->path == NULL || fr_schema_copy(&w->schema, schema) != FR_OK) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    goto done;
  }
  w->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (w->fd < 0) {
    status = fr_error_set(err, FR_ERR_IO, "cannot create %s: %s", path, strerror(errno));
    goto done;
  }
  /* SPEC §3.1 header */
  uint8_t header[FR_SEGMENT_HEADER_BYTES];
  memcpy(header, fr_segment_magic, 8);
  fr_store_u64(header + 8, segment_id);
  status = fr_write_all(w->fd, header, sizeof header, path, err);
  w->offset = FR_SEGMENT_HEADER_BYTES;
  /* SPEC §3.2 footer: fixed part */
  fr_buf_put_u32(&w->header, FR_SEGMENT_FORMAT_VERSION);
  fr_buf_put_u64(&w->header, segment_id);
  fr_buf_put_str16(&w->header, table, strlen(table));
  fr_buf_put_u32(&w->header, schema->n_columns);
  for (uint32_t idx = 0; idx < schema->n_columns; idx++) {
    fr_buf_put_u8(&w->header, (uint8_t)schema->columns[idx].type);
    fr_buf_put_str16(&w->header, schema->columns[idx].name, strlen(schema->columns[idx].name));
  }
done:
  if (status != FR_OK) {
    fr_segment_writer_abort(w);
    return status;
  }
  *out = w;
  return FR_OK;
}

/* SPEC §3.3 chunk descriptor. */
static void fr_put_chunk_meta(fr_buf *buf, const fr_chunk_meta *meta, fr_type type) {
  fr_buf_put_u64(buf, meta->offset);
  fr_buf_put_u32(buf, meta->stored_len);
  fr_buf_put_u32(buf, meta->raw_len);
  fr_buf_put_u32(buf, meta->null_count);
  fr_buf_put_u8(buf, meta->encoding);
  fr_buf_put_u8(buf, meta->compression);
  fr_buf_put_u8(buf, meta->stats_flags);
  if (meta->stats_flags & FR_STATS_HAS_MINMAX) {
    if (type == FR_TYPE_STRING) {
      fr_buf_put_str16(buf, meta->min_str, meta->min_str_len);
      fr_buf_put_str16(buf, meta->max_str, meta->max_str_len);
    } else if (type == FR_TYPE_FLOAT64) {
      uint64_t bits;
      memcpy(&bits, &meta->min_f64, 8);
      fr_buf_put_u64(buf, bits);
      memcpy(&bits, &meta->max_f64, 8);
      fr_buf_put_u64(buf, bits);
    } else {
      fr_buf_put_u64(buf, (uint64_t)meta->min_i64);
      fr_buf_put_u64(buf, (uint64_t)meta->max_i64);
    }
  }
  fr_buf_put_u64(buf, meta->checksum);
}

fr_status fr_segment_writer_append(fr_segment_writer *w, fr_encoded_rowgroup *rg, fr_error *err) {
  FR_FAIL_IF(rg->n_columns != w->schema.n_columns, FR_ERR_INVALID, err,
             "row group has %u columns, segment has %u", rg->n_columns, w->schema.n_columns);
  fr_buf_put_u32(&w->footer_rgs, rg->n_rows);
  for (uint32_t col = 0; col < rg->n_columns; col++) {
    fr_chunk_meta *meta = &rg->metas[col];
    meta->offset = w->offset;
    meta->checksum = fr_hash64(rg->chunks[col].data, rg->chunks[col].len,
                               fr_chunk_seed(w->segment_id, w->n_row_groups, col));
    FR_TRY(fr_write_all(w->fd, rg->chunks[col].data, rg->chunks[col].len, w->path, err));
    w->offset += rg->chunks[col].len;
    w->raw_bytes += meta->raw_len;
    fr_put_chunk_meta(&w->footer_rgs, meta, w->schema.columns[col].type);
  }
  FR_FAIL_IF(w->footer_rgs.failed, FR_ERR_NOMEM, err, "out of memory writing %s", w->path);
  w->n_row_groups++;
  w->n_rows += rg->n_rows;
  return FR_OK;
}

fr_status fr_segment_writer_finish(fr_segment_writer *w, fr_segment_info *info, fr_error *err) {
  fr_buf footer;
  fr_buf_init(&footer);
  fr_buf_put(&footer, w->header.data, w->header.len);
  fr_buf_put_u32(&footer, w->n_row_groups);
  fr_buf_put(&footer, w->footer_rgs.data, w->footer_rgs.len);
  fr_status status = FR_OK;
  if (footer.failed || w->header.failed) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory writing %s", w->path);
    goto done;
  }
  uint64_t footer_checksum = fr_hash64(footer.data, footer.len, FR_FOOTER_SEED ^ w->segment_id);
  /* SPEC §3.5 trailer */
  uint8_t trailer[FR_SEGMENT_TRAILER_BYTES];
  fr_store_u64(trailer, w->offset);
  uint32_t footer_len = (uint32_t)footer.len, version = FR_SEGMENT_FORMAT_VERSION;
  memcpy(trailer + 8, &footer_len, 4);
  memcpy(trailer + 12, &version, 4);
  fr_store_u64(trailer + 16, footer_checksum);
  memcpy(trailer + 24, fr_segment_end_magic, 8);
  status = fr_write_all(w->fd, footer.data, footer.len, w->path, err);
  if (status == FR_OK)
    status = fr_write_all(w->fd, trailer, sizeof trailer, w->path, err);
  if (status == FR_OK && fsync(w->fd) != 0)
    status = fr_error_set(err, FR_ERR_IO, "cannot fsync %s: %s", w->path, strerror(errno));
  if (status == FR_OK) {
    info->segment_id = w->segment_id;
    info->file_bytes = w->offset + footer.len + sizeof trailer;
    info->footer_checksum = footer_checksum;
    info->n_rows = w->n_rows;
    info->n_row_groups = w->n_row_groups;
    info->raw_bytes = w->raw_bytes;
  }
done:
  fr_buf_free(&footer);
  if (status != FR_OK) {
    fr_segment_writer_abort(w);
    return status;
  }
  close(w->fd);
  w->fd = -1;
  fr_buf_free(&w->footer_rgs);
  fr_buf_free(&w->header);
  fr_schema_free(&w->schema);
  fr_free(w->path);
  fr_free(w);
  return FR_OK;
}

void fr_segment_writer_abort(fr_segment_writer *w) {
  if (w == NULL)
    return;
  if (w->fd >= 0) {
    close(w->fd);
    if (w->path)
      unlink(w->path);
  }
  fr_buf_free(&w->footer_rgs);
  fr_buf_free(&w->header);
  fr_schema_free(&w->schema);
  fr_free(w->path);
  fr_free(w);
}

struct fr_segment {
  int fd;
  char *path;
  uint64_t segment_id;
  uint64_t data_end;        /* chunks lie in [header, data_end) */
  fr_schema schema;
  uint32_t n_row_groups;
  uint32_t *rg_rows;
  uint64_t n_rows;
  fr_chunk_meta *metas;     /* n_row_groups * n_columns */
};

#define FR_SEG_CORRUPT(err, seg_path, ...) \
  fr_error_set((err), FR_ERR_CORRUPT, __VA_ARGS__)

static fr_status fr_pread_all(int fd, void *dst, size_t len, uint64_t offset, const char *path,
                              fr_error *err) {
  uint8_t *p = dst;
  while (len > 0) {
    ssize_t n = pread(fd, p, len, (off_t)offset);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return fr_error_set(err, FR_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    }
    if (n == 0)
      return fr_error_set(err, FR_ERR_CORRUPT, "%s: unexpected end of file (truncated segment)", path);
    p += n;
    len -= (size_t)n;
    offset += (uint64_t)n;
  }
  return FR_OK;
}

static fr_status fr_segment_parse_footer(fr_segment *seg, const uint8_t *footer, size_t len,
                                         fr_error *err) {
  fr_reader rd;
  fr_reader_init(&rd, footer, len);
  uint32_t version = fr_get_u32(&rd);
  uint64_t segment_id = fr_get_u64(&rd);
  uint16_t table_len = fr_get_u16(&rd);
  fr_get_bytes(&rd, table_len);
  uint32_t n_columns = fr_get_u32(&rd);
  if (rd.overrun || version != FR_SEGMENT_FORMAT_VERSION || segment_id != seg->segment_id ||
      n_columns == 0 || n_columns > 65535)
    return fr_error_set(err, FR_ERR_CORRUPT, "%s: footer header is invalid", seg->path);
  for (uint32_t col = 0; col < n_columns; col++) {
    uint8_t type = fr_get_u8(&rd);
    uint16_t name_len = fr_get_u16(&rd);
    const uint8_t *name = fr_get_bytes(&rd, name_len);
    if (rd.overrun || type < FR_TYPE_STRING || type > FR_TYPE_BOOL)
      return fr_error_set(err, FR_ERR_CORRUPT, "%s: footer column %u is invalid", seg->path, col);
    fr_error add_err;
    fr_error_clear(&add_err);
    fr_status add_status = fr_schema_add(&seg->schema, (const char *)name, name_len, (fr_type)type, &add_err);
    if (add_status == FR_ERR_NOMEM)
      return fr_error_set(err, FR_ERR_NOMEM, "out of memory opening %s", seg->path);
    if (add_status != FR_OK)
      return fr_error_set(err, FR_ERR_CORRUPT, "%s: footer column %u is invalid: %s", seg->path, col,
                          add_err.msg);
  }
  uint32_t n_rgs = fr_get_u32(&rd);
  /* Each row group entry takes at least 4 + 31 bytes per column: bound the count
   * by the footer's size before allocating for it. */
  if (rd.overrun || n_rgs > (len - rd.pos) / (4 + 31 * (size_t)n_columns))
    return fr_error_set(err, FR_ERR_CORRUPT, "%s: bad row group count", seg->path);
  seg->n_row_groups = n_rgs;
  seg->rg_rows = fr_calloc(n_rgs ? n_rgs : 1, sizeof *seg->rg_rows);
  seg->metas = fr_calloc((size_t)(n_rgs ? n_rgs : 1) * n_columns, sizeof *seg->metas);
  if (seg->rg_rows == NULL || seg->metas == NULL)
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory opening %s", seg->path);
  for (uint32_t rg = 0; rg < n_rgs; rg++) {
    seg->rg_rows[rg] = fr_get_u32(&rd);
    seg->n_rows += seg->rg_rows[rg];
    for (uint32_t col = 0; col < n_columns; col++) {
      fr_chunk_meta *meta = &seg->metas[(size_t)rg * n_columns + col];
      meta->offset = fr_get_u64(&rd);
      meta->stored_len = fr_get_u32(&rd);
      meta->raw_len = fr_get_u32(&rd);
      meta->null_count = fr_get_u32(&rd);
      meta->encoding = fr_get_u8(&rd);
      meta->compression = fr_get_u8(&rd);
      meta->stats_flags = fr_get_u8(&rd);
      if (meta->stats_flags & FR_STATS_HAS_MINMAX) {
        fr_type type = seg->schema.columns[col].type;
        if (type == FR_TYPE_STRING) {
          meta->min_str_len = fr_get_u16(&rd);
          const uint8_t *min = meta->min_str_len <= FR_STATS_STR_CAP ? fr_get_bytes(&rd, meta->min_str_len) : NULL;
          if (min) memcpy(meta->min_str, min, meta->min_str_len);
          meta->max_str_len = fr_get_u16(&rd);
          const uint8_t *max = meta->max_str_len <= FR_STATS_STR_CAP ? fr_get_bytes(&rd, meta->max_str_len) : NULL;
          if (max) memcpy(meta->max_str, max, meta->max_str_len);
          if (min == NULL || max == NULL)
            rd.overrun = 1;
        } else {
          uint64_t lo = fr_get_u64(&rd), hi = fr_get_u64(&rd);
          if (type == FR_TYPE_FLOAT64) {
            memcpy(&meta->min_f64, &lo, 8);
            memcpy(&meta->max_f64, &hi, 8);
          } else {
            meta->min_i64 = (int64_t)lo;
            meta->max_i64 = (int64_t)hi;
          }
        }
      }
      meta->checksum = fr_get_u64(&rd);
      if (rd.overrun || meta->offset < FR_SEGMENT_HEADER_BYTES ||
          meta->offset > seg->data_end || meta->stored_len > seg->data_end - meta->offset ||
          meta->null_count > seg->rg_rows[rg])
        return fr_error_set(err, FR_ERR_CORRUPT,
                            "%s: row group %u, column %s: chunk descriptor is invalid",
                            seg->path, rg, seg->schema.columns[col].name);
    }
  }
  if (rd.pos != rd.len)
    return fr_error_set(err, FR_ERR_CORRUPT, "%s: footer has trailing bytes", seg->path);
  return FR_OK;
}

fr_status fr_segment_open(fr_segment **out, const char *path, const fr_segment_info *expect,
                          fr_error *err) {
  *out = NULL;
  fr_segment *seg = fr_calloc(1, sizeof *seg);
  if (seg == NULL)
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  seg->fd = -1;
  fr_schema_init(&seg->schema);
  uint8_t *footer = NULL;
  fr_status status = FR_OK;
  seg->path = fr_strndup(path, strlen(path));
  if (seg->path == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    goto done;
  }
  seg->fd = open(path, O_RDONLY | O_CLOEXEC);
  if (seg->fd < 0) {
    status = fr_error_set(err, errno == ENOENT ? FR_ERR_CORRUPT : FR_ERR_IO,
                          "cannot open segment %s: %s", path, strerror(errno));
    goto done;
  }
  struct stat st;
  if (fstat(seg->fd, &st) != 0) {
    status = fr_error_set(err, FR_ERR_IO, "cannot stat %s: %s", path, strerror(errno));
    goto done;
  }
  uint64_t size = (uint64_t)st.st_size;
  if (expect != NULL && size != expect->file_bytes) {
    status = fr_error_set(err, FR_ERR_CORRUPT, "%s: size is %llu bytes, the manifest records %llu (%s)",
                          path, (unsigned long long)size, (unsigned long long)expect->file_bytes,
                          size < expect->file_bytes ? "truncated segment" : "segment grew or was replaced");
    goto done;
  }
  if (size < FR_SEGMENT_HEADER_BYTES + FR_SEGMENT_TRAILER_BYTES) {
    status = fr_error_set(err, FR_ERR_CORRUPT, "%s: too short to be a segment (truncated)", path);
    goto done;
  }
  uint8_t header[FR_SEGMENT_HEADER_BYTES], trailer[FR_SEGMENT_TRAILER_BYTES];
  status = fr_pread_all(seg->fd, header, sizeof header, 0, path, err);
  if (status == FR_OK)
    status = fr_pread_all(seg->fd, trailer, sizeof trailer, size - sizeof trailer, path, err);
  if (status != FR_OK)
    goto done;
  if (memcmp(header, fr_segment_magic, 8) != 0 || memcmp(trailer + 24, fr_segment_end_magic, 8) != 0) {
    status = fr_error_set(err, FR_ERR_CORRUPT, "%s: not a ferret segment (bad magic; truncated or overwritten)", path);
    goto done;
  }
  seg->segment_id = fr_load_u64(header + 8);
  uint64_t footer_offset = fr_load_u64(trailer);
  uint32_t footer_len, version;
  memcpy(&footer_len, trailer + 8, 4);
  memcpy(&version, trailer + 12, 4);
  uint64_t footer_checksum = fr_load_u64(trailer + 16);
  if (version != FR_SEGMENT_FORMAT_VERSION) {
    status = fr_error_set(err, FR_ERR_CORRUPT, "%s: format version %u is not %u (damaged, or written by another ferret)",
                          path, version, FR_SEGMENT_FORMAT_VERSION);
    goto done;
  }
  if (footer_offset < FR_SEGMENT_HEADER_BYTES ||
      footer_offset + footer_len + FR_SEGMENT_TRAILER_BYTES != size) {
    status = fr_error_set(err, FR_ERR_CORRUPT, "%s: trailer does not locate the footer (truncated or damaged)", path);
    goto done;
  }
  seg->data_end = footer_offset;
  footer = fr_malloc(footer_len ? footer_len : 1);
  if (footer == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    goto done;
  }
  status = fr_pread_all(seg->fd, footer, footer_len, footer_offset, path, err);
  if (status != FR_OK)
    goto done;
  if (fr_hash64(footer, footer_len, FR_FOOTER_SEED ^ seg->segment_id) != footer_checksum) {
    status = fr_error_set(err, FR_ERR_CORRUPT, "%s: footer checksum mismatch (damaged footer)", path);
    goto done;
  }
  if (expect != NULL && (expect->segment_id != seg->segment_id || expect->footer_checksum != footer_checksum)) {
    status = fr_error_set(err, FR_ERR_CORRUPT,
                          "%s: this is not the segment the manifest recorded (swapped or replaced file)", path);
    goto done;
  }
  status = fr_segment_parse_footer(seg, footer, footer_len, err);
  if (status == FR_OK && expect != NULL && expect->n_rows != seg->n_rows)
    status = fr_error_set(err, FR_ERR_CORRUPT, "%s: holds %llu rows, the manifest records %llu", path,
                          (unsigned long long)seg->n_rows, (unsigned long long)expect->n_rows);
done:
  fr_free(footer);
  if (status != FR_OK) {
    fr_segment_close(seg);
    return status;
  }
  *out = seg;
  return FR_OK;
}

void fr_segment_close(fr_segment *seg) {
  if (seg == NULL)
    return;
  if (seg->fd >= 0)
    close(seg->fd);
  fr_schema_free(&seg->schema);
  fr_free(seg->rg_rows);
  fr_free(seg->metas);
  fr_free(seg->path);
  fr_free(seg);
}

const fr_schema *fr_segment_schema(const fr_segment *seg) { return &seg->schema; }
uint32_t fr_segment_n_row_groups(const fr_segment *seg) { return seg->n_row_groups; }
uint32_t fr_segment_rowgroup_rows(const fr_segment *seg, uint32_t rg_idx) { return seg->rg_rows[rg_idx]; }
uint64_t fr_segment_n_rows(const fr_segment *seg) { return seg->n_rows; }
const fr_chunk_meta *fr_segment_chunk(const fr_segment *seg, uint32_t rg_idx, uint32_t col_idx) {
  return &seg->metas[(size_t)rg_idx * seg->schema.n_columns + col_idx];
}

/* Reads chunk (rg_idx, col_idx) into `stored` and verifies its checksum. */
static fr_status fr_segment_read_stored(const fr_segment *seg, uint32_t rg_idx, uint32_t col_idx, fr_buf *stored,
                                        fr_error *err) {
  const fr_chunk_meta *meta = fr_segment_chunk(seg, rg_idx, col_idx);
  const char *col_name = seg->schema.columns[col_idx].name;
  fr_buf_reset(stored);
  FR_FAIL_IF(fr_buf_reserve(stored, meta->stored_len) != FR_OK, FR_ERR_NOMEM, err,
             "out of memory reading %s", seg->path);
  FR_TRY(fr_pread_all(seg->fd, stored->data, meta->stored_len, meta->offset, seg->path, err));
  stored->len = meta->stored_len;
  uint64_t checksum = fr_hash64(stored->data, stored->len, fr_chunk_seed(seg->segment_id, rg_idx, col_idx));
  FR_FAIL_IF(checksum != meta->checksum, FR_ERR_CORRUPT, err,
             "segment %s, row group %u, column %s: checksum mismatch (damaged or misplaced chunk)",
             seg->path, rg_idx, col_name);
  return FR_OK;
}

fr_status fr_segment_read_chunk(const fr_segment *seg, uint32_t rg_idx, uint32_t col_idx,
                                fr_column *out, fr_buf *stored, fr_buf *scratch, fr_error *err) {
  FR_TRY(fr_segment_read_stored(seg, rg_idx, col_idx, stored, err));
  fr_error local;
  fr_error_clear(&local);
  fr_status status = fr_codec_decode(stored->data, stored->len, fr_segment_chunk(seg, rg_idx, col_idx),
                                     seg->schema.columns[col_idx].type, seg->rg_rows[rg_idx], out, scratch, &local);
  if (status != FR_OK)
    return fr_error_set(err, status, "segment %s, row group %u, column %s: %s", seg->path, rg_idx,
                        seg->schema.columns[col_idx].name, local.msg);
  return FR_OK;
}

fr_status fr_segment_read_str_rows(const fr_segment *seg, uint32_t rg_idx, uint32_t col_idx, const uint32_t *rows,
                                   size_t n_sel, fr_column *out, fr_buf *stored, fr_buf *scratch, fr_error *err) {
  FR_FAIL_IF(seg->schema.columns[col_idx].type != FR_TYPE_STRING, FR_ERR_INVALID, err,
             "segment %s: column %s is not a string column", seg->path, seg->schema.columns[col_idx].name);
  FR_TRY(fr_segment_read_stored(seg, rg_idx, col_idx, stored, err));
  fr_error local;
  fr_error_clear(&local);
  fr_status status = fr_codec_decode_str_rows(stored->data, stored->len, fr_segment_chunk(seg, rg_idx, col_idx),
                                              seg->rg_rows[rg_idx], rows, n_sel, out, scratch, &local);
  if (status != FR_OK)
    return fr_error_set(err, status, "segment %s, row group %u, column %s: %s", seg->path, rg_idx,
                        seg->schema.columns[col_idx].name, local.msg);
  return FR_OK;
}

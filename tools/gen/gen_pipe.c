/* gen_pipe.c: batch scheduler for block pipelines (see gen_pipe.h).
 *
 * Invariant: blocks are settled and written strictly in increasing block order;
 * a batch holds at most 2 x threads blocks (capped), which bounds memory. OpenMP
 * regions are never left early: every block records its status and the runner
 * checks them after the region.
 */
#include "gen_pipe.h"

#include <omp.h>
#include <stdlib.h>

typedef struct pipe_slot {
  void *user;                                   /* the pipeline's scratch */
  fr_gen_buf text[FR_GEN_PIPE_MAX_OUTS];        /* rendered text (CSV, JSON lines) */
  fr_gen_buf comp[FR_GEN_PIPE_MAX_OUTS];        /* compressed */
  uint32_t crc[FR_GEN_PIPE_MAX_OUTS];
  fr_gen_zctx z[FR_GEN_PIPE_MAX_OUTS];
  int status;
} pipe_slot;

static const char *status_text(int st) {
  return st == FR_GEN_ENOMEM ? "out of memory" : st == FR_GEN_EIO ? "I/O error" : "internal error";
}

int fr_gen_pipe_run(const fr_gen_pipe *p, fr_gen_err *err) {
  int threads = omp_get_max_threads();
  uint64_t batch = (uint64_t)(threads < 1 ? 1 : threads) * 2;
  if (batch > 32) batch = 32;
  if (batch > p->n_blocks) batch = p->n_blocks;
  int rc = FR_GEN_OK;
  pipe_slot *slots = calloc(batch, sizeof *slots);
  if (!slots) return FR_GEN_ENOMEM;
  for (uint64_t k = 0; k < batch; k++) {
    slots[k].user = p->slot_new(p->ctx);
    if (!slots[k].user) {
      rc = FR_GEN_ENOMEM;
      goto done;
    }
  }
  for (uint64_t b0 = 0; b0 < p->n_blocks && rc == FR_GEN_OK; b0 += batch) {
    uint64_t nb = p->n_blocks - b0 < batch ? p->n_blocks - b0 : batch;
#pragma omp parallel for schedule(dynamic, 1)
    for (uint64_t k = 0; k < nb; k++) slots[k].status = p->produce(p->ctx, b0 + k, slots[k].user);
    for (uint64_t k = 0; k < nb && rc == FR_GEN_OK; k++) rc = slots[k].status;
    for (uint64_t k = 0; k < nb && rc == FR_GEN_OK && p->settle; k++)
      rc = p->settle(p->ctx, b0 + k, slots[k].user);
    if (rc != FR_GEN_OK) break;
#pragma omp parallel for schedule(dynamic, 1)
    for (uint64_t k = 0; k < nb; k++) {
      pipe_slot *s = &slots[k];
      for (int o = 0; o < p->n_outs; o++) s->text[o].len = 0;
      int st = p->render(p->ctx, b0 + k, s->user, s->text);
      for (int o = 0; o < p->n_outs && st == FR_GEN_OK; o++) {
        if (s->text[o].oom) st = FR_GEN_ENOMEM;
        else
          st = fr_gen_compress(&s->z[o], p->outs[o]->z, &s->text[o], b0 + k + 1 == p->n_blocks,
                               &s->comp[o], &s->crc[o]);
        if (st == FR_GEN_OK && s->comp[o].oom) st = FR_GEN_ENOMEM;
      }
      s->status = st;
    }
    for (uint64_t k = 0; k < nb && rc == FR_GEN_OK; k++) {
      pipe_slot *s = &slots[k];
      rc = s->status;
      for (int o = 0; o < p->n_outs && rc == FR_GEN_OK; o++) {
        const fr_gen_buf *data = p->outs[o]->z == FR_GEN_Z_NONE ? &s->text[o] : &s->comp[o];
        rc = fr_gen_sink_write(p->outs[o], data, s->text[o].len, s->crc[o], err);
      }
    }
  }
done:
  if (rc != FR_GEN_OK) fr_gen_err_set(err, "generating %s: %s", p->outs[0]->path, status_text(rc));
  if (slots) {
    for (uint64_t k = 0; k < batch; k++) {
      if (p->slot_free) p->slot_free(slots[k].user);
      for (int o = 0; o < FR_GEN_PIPE_MAX_OUTS; o++) {
        fr_gen_buf_free(&slots[k].text[o]);
        fr_gen_buf_free(&slots[k].comp[o]);
        fr_gen_zctx_free(&slots[k].z[o]);
      }
    }
    free(slots);
  }
  return rc;
}

int fr_gen_pipe_write(fr_gen_pipe *p, const char *dir, const char *const *tables, fr_gen_zkind z,
                      fr_gen_err *err) {
  fr_gen_sink sinks[FR_GEN_PIPE_MAX_OUTS] = {{0}};
  int rc = FR_GEN_OK;
  for (int out = 0; out < p->n_outs && rc == FR_GEN_OK; out++) {
    rc = fr_gen_sink_open(&sinks[out], dir, tables[out], z, err);
    p->outs[out] = &sinks[out];
  }
  if (rc == FR_GEN_OK) rc = fr_gen_pipe_run(p, err);
  for (int out = 0; out < p->n_outs && rc == FR_GEN_OK; out++)
    rc = fr_gen_sink_close(&sinks[out], err);
  for (int out = 0; out < p->n_outs; out++)
    fr_gen_sink_abort(&sinks[out]);
  return rc;
}

/* gen_pipe.h: the block pipeline that every generated table runs through.
 *
 * A table (or a group of tables produced together, like payments + approvals) is
 * cut into numbered blocks whose contents depend only on the block number and
 * on state settled by earlier blocks. Per batch of blocks the runner calls
 *   produce  in parallel  (draw the rows of each block: pure functions of the seed),
 *   settle   serially, in block order  (decisions that need earlier rows: dedup,
 *            running ids, caps),
 *   render   in parallel  (format the text of each output, compress it),
 * then appends the compressed blocks in order. So the output is identical for
 * any thread count, and memory is bounded by the batch, not by the table.
 */
#ifndef FR_GEN_PIPE_H
#define FR_GEN_PIPE_H

#include <stdint.h>

#include "gen_buf.h"
#include "gen_sink.h"

#define FR_GEN_PIPE_MAX_OUTS 3

typedef struct fr_gen_pipe {
  void *ctx;                                  /* the table's shared state */
  uint64_t n_blocks;                          /* >= 1 */
  int n_outs;                                 /* 1 .. FR_GEN_PIPE_MAX_OUTS */
  fr_gen_sink *outs[FR_GEN_PIPE_MAX_OUTS];    /* open sinks, borrowed */
  void *(*slot_new)(void *ctx);               /* per-slot scratch; NULL = out of memory */
  void (*slot_free)(void *slot);              /* NULL-safe */
  /* Each returns FR_GEN_OK or an FR_GEN_E* status. produce and render run on any
   * thread and may only write their slot (render also its text buffers, one per
   * output, which the runner empties first); settle runs on one thread in block
   * order and may update ctx. settle may be NULL. */
  int (*produce)(void *ctx, uint64_t blk, void *slot);
  int (*settle)(void *ctx, uint64_t blk, void *slot);
  int (*render)(void *ctx, uint64_t blk, void *slot, fr_gen_buf *texts);
} fr_gen_pipe;

/* fr_gen_pipe_run: run all blocks and write them to the pipe's sinks (which stay
 * open). Uses OpenMP's current thread count. Returns FR_GEN_OK or the first
 * failure's status, with a message in err. */
int fr_gen_pipe_run(const fr_gen_pipe *p, fr_gen_err *err) __attribute__((warn_unused_result));

/* fr_gen_pipe_write: open one sink per output, DIR/tables[i] (p->n_outs names),
 * set p->outs to them, run the pipe, and close the sinks; on any failure the
 * partly written files are removed.  Returns FR_GEN_OK or the first failure. */
int fr_gen_pipe_write(fr_gen_pipe *p, const char *dir, const char *const *tables, fr_gen_zkind z,
                      fr_gen_err *err) __attribute__((warn_unused_result));

#endif

/* fr_verify.h - full integrity check of a store.
 *
 * Reads and checks every chunk of every segment of every table (checksums bound
 * to each chunk's identity, decodability), the segment footers against the
 * manifest, the manifest against its history witnesses, and recomputes each
 * table's control totals (row count, decimal sums) from the decoded data.
 */
#ifndef FR_VERIFY_H
#define FR_VERIFY_H

#include "fr_store.h"

typedef struct fr_verify_report {
  uint32_t n_problems;     /* damage found: verify fails when non-zero */
  uint32_t n_notes;        /* harmless findings (leftovers of an interrupted ingest) */
  char (*problems)[640];   /* owned */
  char (*notes)[640];      /* owned */
  uint64_t n_tables, n_segments, n_chunks, n_rows;
  uint64_t bytes_read;
} fr_verify_report;

void fr_verify_report_free(fr_verify_report *report);

/* Verifies the store at `dir`.  Returns FR_OK when the check ran (damage is
 * listed in the report, not returned); an error only when the store cannot be
 * opened at all (FR_ERR_NOTFOUND) or memory runs out.  A damaged manifest is
 * reported as a problem. */
FR_MUST_USE fr_status fr_store_verify(const char *dir, fr_verify_report *report, fr_error *err);

#endif

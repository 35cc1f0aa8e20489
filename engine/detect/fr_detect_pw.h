/* fr_detect_pw.h - what the procurement (P12-P14) and welfare (W1-W3) kernels
 * share with their catalogue section (fr_detect_procure.c).  engine/detect/ only.
 */
#ifndef FR_DETECT_PW_H
#define FR_DETECT_PW_H

#include "fr_detect_internal.h"

/* Like fr_dctx_open, for a main table named by parameter `table_param`
 * ("tenders", "subsidies") instead of "payments". */
FR_MUST_USE fr_status fr_pw_open(fr_dctx *cx, const fr_store *store, const fr_detect_params *p,
                                 const char *table_param, fr_lcol *cols, uint32_t n_cols, int key_idx, int ts_idx,
                                 fr_error *err);

/* first[sid] = the first row of `col` holding string id sid, UINT32_MAX for none;
 * sized for the dictionary's n_ids (*out is the caller's, fr_free).  Errors:
 * FR_ERR_NOMEM, FR_ERR_LIMIT (more than 2^32 - 1 rows). */
FR_MUST_USE fr_status fr_pw_first_rows(uint32_t **out, const fr_lcol *col, uint64_t n_rows, uint32_t n_ids,
                                       fr_error *err);

fr_status fr_detect_p12(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);
fr_status fr_detect_p13(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);
fr_status fr_detect_p14(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);
fr_status fr_detect_w1(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);
fr_status fr_detect_w2(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);
fr_status fr_detect_w3(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);

#endif

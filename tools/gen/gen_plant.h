/* gen_plant.h: the planted world: anomalies, decoys and their truth.
 *
 * Planted rows live in memory (their number is anomaly-rate x rows, small) and
 * are merged into the background streams by timestamp while the tables are
 * written; the writers fill in the keys they receive (txn_id, tender_id,
 * payout_id). Planted rows use fresh payees, bidders, beneficiaries and cases,
 * and special orgs that carry no background rows, so no background row shares a
 * detector's partition with them. The truth is then computed, not assumed: the
 * reference evaluators (gen_eval.c) run every detector's exact definition over
 * the planted rows, every intended case must be found, no decoy may be, and
 * truth.csv lists exactly what the evaluators found plus the decoys.
 */
#ifndef FR_GEN_PLANT_H
#define FR_GEN_PLANT_H

#include <stdint.h>

#include "gen_sink.h"
#include "gen_world.h"

/* Detectors with planted cases. */
enum {
  FR_GEN_F1, FR_GEN_F2, FR_GEN_F3, FR_GEN_F4, FR_GEN_F5, FR_GEN_F6, FR_GEN_F7,
  FR_GEN_F8, FR_GEN_F9, FR_GEN_F10, FR_GEN_F11, FR_GEN_F12,
  FR_GEN_A1, FR_GEN_A2, FR_GEN_A3, FR_GEN_A4, FR_GEN_A5, FR_GEN_A6, FR_GEN_A7,
  FR_GEN_P12, FR_GEN_P13, FR_GEN_P14,
  FR_GEN_W1, FR_GEN_W2, FR_GEN_W3,
  FR_GEN_N_DET
};
extern const char *const fr_gen_det_id[FR_GEN_N_DET];   /* "F1", ... */
extern const char *const fr_gen_det_name[FR_GEN_N_DET]; /* "duplicate_payment", ... */

/* Evidence tables. */
enum { FR_GEN_T_PAY, FR_GEN_T_CASE, FR_GEN_T_TENDER, FR_GEN_T_PAYOUT };

/* Approval activities. */
enum {
  FR_GEN_ACT_SUBMIT, FR_GEN_ACT_ACCEPT, FR_GEN_ACT_REVIEW, FR_GEN_ACT_APPROVE,
  FR_GEN_ACT_FINAL, FR_GEN_ACT_REJECT, FR_GEN_ACT_RETURN, FR_GEN_ACT_RESUBMIT,
  FR_GEN_ACT_VISIT, FR_GEN_ACT_PAY, FR_GEN_ACT_CLOSE, FR_GEN_N_ACT
};
extern const char *const fr_gen_act_name[FR_GEN_N_ACT];
#define FR_GEN_ACT_TERMINAL(a) ((a) == FR_GEN_ACT_FINAL || (a) == FR_GEN_ACT_REJECT || (a) == FR_GEN_ACT_CLOSE)

#define FR_GEN_N_SERVICES 6
extern const char *const fr_gen_services[FR_GEN_N_SERVICES]; /* [0] = payment_request */

enum { FR_GEN_M_OPEN, FR_GEN_M_SELECTIVE, FR_GEN_M_NEGOTIATED, FR_GEN_M_SINGLE, FR_GEN_N_METHODS };
extern const char *const fr_gen_methods[FR_GEN_N_METHODS];

#define FR_GEN_N_REL_KINDS 9
extern const char *const fr_gen_rel_kinds[FR_GEN_N_REL_KINDS];
enum { FR_GEN_R_SPOUSE, FR_GEN_R_PARENT, FR_GEN_R_CHILD, FR_GEN_R_SIBLING, FR_GEN_R_LEGAL_REP,
       FR_GEN_R_SHAREHOLDER, FR_GEN_R_SUPERVISOR, FR_GEN_R_PARENT_CO, FR_GEN_R_IN_LAW };

typedef struct fr_gen_ppay {
  int64_t ts;            /* ts_us */
  int64_t amount;        /* cents */
  uint64_t payer, payee; /* entity keys */
  uint64_t requester;    /* entity key, 0 = NULL */
  uint64_t approver;     /* entity key, 0 = NULL */
  uint32_t org;          /* org index */
  uint16_t code;         /* budget code index */
  char invoice[28];      /* "" = NULL */
  uint32_t case_ref;     /* planted case index + 1; 0 = NULL */
  uint64_t bg_before;    /* background payments with ts <= this ts */
  uint64_t txn_no;       /* output number (T%012), set by the writer */
} fr_gen_ppay;

typedef struct fr_gen_pev {
  int64_t ts;         /* ts_us */
  int64_t amount;     /* cents, FR_GEN_NOTS = NULL */
  uint64_t actor;     /* entity key */
  uint8_t act;        /* FR_GEN_ACT_* */
} fr_gen_pev;

typedef struct fr_gen_pcase {
  uint32_t org;
  uint8_t service;
  uint64_t applicant;     /* entity key, 0 = NULL */
  uint32_t ev_first;      /* events [ev_first, ev_first + ev_n) in case (input) order */
  uint32_t ev_n;
  uint64_t seq;           /* case sequence number -> fr_gen_case_number */
  uint64_t block;         /* ledger block it is written in */
} fr_gen_pcase;

typedef struct fr_gen_pbid {
  uint64_t bidder;   /* entity key */
  int64_t amount;    /* cents */
  int64_t ts;
  uint8_t won;
} fr_gen_pbid;

typedef struct fr_gen_ptender {
  uint32_t org;
  uint8_t category, method;
  int64_t reserve;       /* cents */
  int64_t published;     /* ts_us */
  int64_t awarded;       /* ts_us, FR_GEN_NOTS = NULL */
  uint32_t bid_first, bid_n;
  uint64_t bg_before;    /* background tenders published at or before */
  uint64_t tender_no;    /* output number (TD%010), set by the writer */
} fr_gen_ptender;

typedef struct fr_gen_ppayout {
  int64_t ts;
  uint8_t program;
  uint32_t org;
  uint32_t village;
  uint64_t beneficiary;  /* entity key */
  int64_t amount;        /* cents */
  uint64_t payout_no;    /* output number (S%012), set by the writer */
} fr_gen_ppayout;

typedef struct fr_gen_prel {
  uint64_t a, b;        /* entity keys */
  uint8_t kind;         /* FR_GEN_R_* */
  int32_t since, until; /* days, FR_GEN_NODAY = NULL */
} fr_gen_prel;

/* A planted vendor or person: defaults from its index, with overrides. */
typedef struct fr_gen_pent {
  int32_t registered;   /* FR_GEN_NODAY = default */
  int32_t deceased;     /* FR_GEN_NODAY = none */
  uint64_t phone_from;  /* copy this field from that entity; 0 = own */
  uint64_t address_from;
  uint64_t bank_from;
  uint64_t idno_from;
  uint8_t null_mask;    /* 1 phone, 2 address, 4 bank, 8 id_no: NULL */
} fr_gen_pent;
#define FR_GEN_NULL_PHONE 1
#define FR_GEN_NULL_ADDRESS 2
#define FR_GEN_NULL_BANK 4
#define FR_GEN_NULL_IDNO 8

/* One intention: "these rows are (planted) a case of det / (decoy) not flagged". */
typedef struct fr_gen_decl {
  uint8_t det;
  uint8_t decoy;
  uint8_t table;        /* FR_GEN_T_* */
  uint8_t overlap;      /* planted: a finding must share a row with refs (group rules
                         * whose evidence is a sample); else a finding must equal refs */
  uint32_t ref_first;   /* rows in refs[ref_first, +ref_n) */
  uint32_t ref_n;
  char desc[200];
} fr_gen_decl;

typedef struct fr_gen_plant {
  fr_gen_ppay *pay;       uint32_t n_pay, cap_pay;
  uint32_t *pay_order;    /* payments sorted by (ts, index): merge order */
  fr_gen_pcase *cases;    uint32_t n_case, cap_case;
  uint32_t *case_order;   /* cases sorted by (block, index) */
  fr_gen_pev *ev;         uint32_t n_ev, cap_ev;
  fr_gen_ptender *tend;   uint32_t n_tend, cap_tend;
  uint32_t *tend_order;
  fr_gen_pbid *bids;      uint32_t n_bid, cap_bid;
  fr_gen_ppayout *out;    uint32_t n_out, cap_out;
  uint32_t *out_order;    /* payouts sorted by (ts, index) */
  fr_gen_prel *rel;       uint32_t n_rel, cap_rel;
  fr_gen_pent *vend;      uint32_t n_vend, cap_vend;   /* vendor n_vendor_bg + k */
  fr_gen_pent *pers;      uint32_t n_pers, cap_pers;   /* person n_person_bg + k */
  fr_gen_decl *decl;      uint32_t n_decl, cap_decl;
  uint32_t *refs;         uint32_t n_refs, cap_refs;
  int oom;                /* an allocation failed while planting */
  /* Special orgs: [n_org_bg, n_org_bg + n_pool) host light scenarios round-robin;
   * the rest are dedicated to one scenario each. */
  uint32_t n_pool;
  uint32_t n_dedicated;
  uint32_t next_pool;       /* round-robin cursor */
  uint32_t next_dedicated;  /* next dedicated org (offset from the pool's end) */
  uint32_t invoice_serial;  /* planted invoice numbers */
  int64_t approvals_as_of;  /* latest approvals ts (A3 as_of), set by the writer */
} fr_gen_plant;

/* fr_gen_plant_plan: how many special orgs planting at (rows, rate) needs.
 * out_pool: pooled orgs; out_dedicated: single-scenario orgs. */
void fr_gen_plant_plan(uint32_t *out_pool, uint32_t *out_dedicated, uint64_t rows, double rate);

/* fr_gen_plant_build: create every planted row, entity, relation, post and
 * declaration. The world must be initialised with the planned special orgs; the
 * plant is attached to it (w->plant) and w->n_vendor / w->n_person grow.
 * Returns FR_GEN_OK or FR_GEN_ENOMEM. */
int fr_gen_plant_build(fr_gen_plant *p, fr_gen_world *w, uint64_t rows, double rate)
    __attribute__((warn_unused_result));

/* fr_gen_plant_sort: merge orders (call after the background sizes are known). */
int fr_gen_plant_sort(fr_gen_plant *p) __attribute__((warn_unused_result));

void fr_gen_plant_free(fr_gen_plant *p);

/* fr_gen_truth_write: run the reference evaluators over the planted rows, check
 * every declaration, and write DIR/truth.csv. Returns FR_GEN_OK, FR_GEN_EIO, or
 * FR_GEN_EINTERNAL when a planted case is missed or a decoy is flagged (the
 * message names the declaration). */
int fr_gen_truth_write(const fr_gen_world *w, const fr_gen_plant *p, const char *dir,
                       fr_gen_err *err) __attribute__((warn_unused_result));

#endif

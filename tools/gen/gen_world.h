/* gen_world.h: the synthetic world behind every generated table.
 *
 * Orgs (background ones with Zipf-like sizes, then "special" ones that host the
 * planted cases), their budget lines, their posts and the officials holding them,
 * vendors, persons (officials, officials' relatives, households, company owners)
 * and the fields of every entity. Background entities are pure functions of
 * (seed, index): nothing about them is stored except the posts table and a few
 * per-org arrays, so memory grows with the number of orgs, not with --rows.
 * Contact fields (phone, address, bank account, id_no) are injective functions of
 * the entity, so background entities never share one; only planted entities do.
 */
#ifndef FR_GEN_WORLD_H
#define FR_GEN_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "gen_rng.h"

#define FR_GEN_NODAY INT32_MIN   /* a NULL date */
#define FR_GEN_NOTS INT64_MIN    /* a NULL timestamp or amount */
#define FR_GEN_NONE UINT32_MAX   /* no index */

/* Entity keys: kind in bits 40.., index below. Key 0 is NULL. */
enum { FR_GEN_K_ORG = 1, FR_GEN_K_VENDOR = 2, FR_GEN_K_PERSON = 3 };
#define FR_GEN_KEY(kind, idx) (((uint64_t)(kind) << 40) | (uint64_t)(idx))
#define FR_GEN_KEY_KIND(key) ((int)((key) >> 40))
#define FR_GEN_KEY_IDX(key) ((uint32_t)((key) & 0xffffffffffULL))

/* Post types; a post code is type << 8 | number (number from 1). */
enum {
  FR_GEN_POST_DIRECTOR = 0,
  FR_GEN_POST_DEPUTY,
  FR_GEN_POST_FINANCE,
  FR_GEN_POST_CASHIER,
  FR_GEN_POST_SECTION,
  FR_GEN_POST_CLERK
};
#define FR_GEN_POST(type, num) ((uint16_t)(((type) << 8) | (num)))

/* Background handovers end no later than this day, so that every case open at a
 * handover has an event within the next 60 days (A6 stays silent on background). */
#define FR_GEN_LAST_HANDOVER_Y 2024
#define FR_GEN_LAST_HANDOVER_M 11
#define FR_GEN_LAST_HANDOVER_D 20
/* Background vendors are registered no later than this (F12 stays silent). */
#define FR_GEN_LAST_BG_REG_Y 2022
#define FR_GEN_LAST_BG_REG_M 9
#define FR_GEN_LAST_BG_REG_D 30

#define FR_GEN_MAX_LINES 12       /* budget lines per org */
#define FR_GEN_N_BG_CODES 24      /* budget codes used by background payments */
#define FR_GEN_N_CODES 40         /* all budget codes; [24, 40) only in planted rows */
#define FR_GEN_N_CATEGORIES 8     /* tender categories */
#define FR_GEN_N_PROGRAMS 4       /* subsidy programmes */

typedef struct fr_gen_post {
  uint32_t org;      /* org index */
  uint16_t post;     /* post code */
  uint32_t official; /* person index of the holder */
  int32_t start;     /* first day held, FR_GEN_NODAY = from the beginning */
  int32_t end;       /* last day held, FR_GEN_NODAY = still holding */
} fr_gen_post;

struct fr_gen_plant;

typedef struct fr_gen_world {
  uint64_t seed;
  uint64_t rows;              /* --rows: payments wanted */
  uint32_t n_org_bg;          /* background orgs [0, n_org_bg) */
  uint32_t n_org;             /* all orgs: background then special */
  uint32_t n_vendor_bg;       /* background vendors [0, n_vendor_bg) */
  uint32_t n_vendor;          /* all vendors incl. planted */
  uint32_t n_official;        /* persons [0, n_official) hold or held posts */
  uint32_t off_relative;      /* persons [off_relative, +2*n_official): officials' kin */
  uint32_t off_household;     /* households [off_household, +n_household) */
  uint32_t n_household;
  uint32_t off_owner;         /* company owners [off_owner, +n_owner) */
  uint32_t n_owner;
  uint32_t n_person_bg;       /* background persons */
  uint32_t n_person;          /* all persons incl. planted */
  uint64_t n_service_cases;   /* background cases not linked to payments */
  uint64_t n_tenders_bg;      /* background tenders */
  double *org_cdf;            /* n_org_bg cumulative Zipf weights, last = 1 */
  uint32_t *org_catalog;      /* n_org_bg: vendors an org pays (Zipf ranks) */
  uint8_t *org_sections;      /* n_org: section chiefs */
  uint8_t *org_clerks;        /* n_org: clerks */
  uint8_t *org_nlines;        /* n_org_bg: budget lines */
  uint8_t *line_code;         /* n_org_bg x FR_GEN_MAX_LINES: code index */
  float *line_center;         /* n_org_bg x FR_GEN_MAX_LINES: ln(amount) centre */
  uint8_t *org_payday;        /* n_org: day of month of subsidy payouts */
  fr_gen_post *posts;         /* sorted by (org, post, start) after fr_gen_world_index */
  uint32_t n_posts, cap_posts;
  uint32_t *org_post_first;   /* n_org + 1: posts of org o are [first[o], first[o+1]) */
  struct fr_gen_plant *plant; /* planted overrides; NULL before planting */
} fr_gen_world;

/* Fields of one entity as text; "" is NULL. */
typedef struct fr_gen_entity {
  char id[16];
  const char *kind;      /* "org", "company", "person" */
  char name[128];
  int32_t registered;    /* FR_GEN_NODAY = NULL */
  int32_t deceased;      /* FR_GEN_NODAY = NULL */
  char address[160];
  char phone[24];
  char bank[32];
  char id_no[24];
} fr_gen_entity;

/* fr_gen_world_init: sizes and per-org tables for --rows `rows`, plus `n_special`
 * special orgs. Posts are generated for every org. Returns FR_GEN_OK or
 * FR_GEN_ENOMEM. fr_gen_world_free releases everything (NULL-safe fields). */
int fr_gen_world_init(fr_gen_world *w, uint64_t seed, uint64_t rows, uint32_t n_special)
    __attribute__((warn_unused_result));
void fr_gen_world_free(fr_gen_world *w);

/* fr_gen_world_add_post: append a posts row (planted handovers); re-index after.
 * Returns FR_GEN_OK or FR_GEN_ENOMEM. */
int fr_gen_world_add_post(fr_gen_world *w, const fr_gen_post *p) __attribute__((warn_unused_result));

/* fr_gen_world_index: sort posts and rebuild org_post_first. FR_GEN_OK/ENOMEM. */
int fr_gen_world_index(fr_gen_world *w) __attribute__((warn_unused_result));

/* fr_gen_holder: person index holding post `post` of `org` on `day`, or FR_GEN_NONE. */
uint32_t fr_gen_holder(const fr_gen_world *w, uint32_t org, uint16_t post, int32_t day);

/* Background role choices; `u` in [0,1) picks among the posts of that role, and a
 * vacant pick falls back to the role's first post, which is never vacant. */
uint32_t fr_gen_pick_requester(const fr_gen_world *w, uint32_t org, int32_t day, double u);
uint32_t fr_gen_pick_reviewer(const fr_gen_world *w, uint32_t org, int32_t day, double u);
uint32_t fr_gen_pick_clerk(const fr_gen_world *w, uint32_t org, int32_t day, double u);

/* fr_gen_pick_org: a background org by Zipf weight, u in [0,1). */
uint32_t fr_gen_pick_org(const fr_gen_world *w, double u);

/* fr_gen_post_name: "director", "section_chief_2", ... into out (>= 24 bytes). */
void fr_gen_post_name(char *out, uint16_t post);

/* fr_gen_key_fmt: the id text of an entity key (ORG-0042, V-0000123, P-0000123). */
int fr_gen_key_fmt(char *out, uint64_t key);

/* fr_gen_entity_get: all fields of an entity (background function or planted
 * override). Thread-safe. */
void fr_gen_entity_get(const fr_gen_world *w, uint64_t key, fr_gen_entity *out);

/* fr_gen_vendor_registered: registration date of a vendor (planted overrides). */
int32_t fr_gen_vendor_registered(const fr_gen_world *w, uint32_t vendor);

/* fr_gen_household_deceased: death date of a background household member, or NODAY. */
int32_t fr_gen_household_deceased(const fr_gen_world *w, uint32_t household);

/* Vocabulary. */
extern const char *const fr_gen_budget_codes[FR_GEN_N_CODES];
extern const char *const fr_gen_categories[FR_GEN_N_CATEGORIES];
extern const char *const fr_gen_programs[FR_GEN_N_PROGRAMS];

/* fr_gen_village_name: a village name for village number v (unique per v). */
void fr_gen_village_name(char *out, uint32_t v);

/* fr_gen_memo: a payment memo (may hold commas, quotes, Chinese), "" = NULL. */
void fr_gen_memo(char *out, size_t cap, uint64_t seed, uint64_t index);

/* fr_gen_case_number: the 10-digit case number of a case sequence number
 * (a bijection on [0, 10^10), so distinct sequences give distinct ids). */
static inline uint64_t fr_gen_case_number(uint64_t seq) {
  return ((seq % 10000000000ULL) * 1640531527ULL + 1234567891ULL) % 10000000000ULL;
}

#endif

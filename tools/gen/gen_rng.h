/* gen_rng.h: counter-based random numbers for the generator.
 *
 * Every random quantity is a pure function of (seed, stream, index): a row's
 * generator is keyed by the table stream and the row index, so blocks of rows
 * can be produced on any thread in any order and still come out identical.
 * splitmix64 (Steele, Lea, Flood 2014) for mixing and stepping; the draws are
 * portable integer arithmetic, the continuous ones use libm (exp, log, cos).
 */
#ifndef FR_GEN_RNG_H
#define FR_GEN_RNG_H

#include <math.h>
#include <stdint.h>

/* Streams: one per table or purpose, so that no two users share a sequence. */
enum {
  FR_GEN_S_PAY = 1,     /* background payments, by row index */
  FR_GEN_S_CASE,        /* background service cases, by case index */
  FR_GEN_S_LINK,        /* payment-linked cases, by payment row index */
  FR_GEN_S_ORG,         /* per org attributes */
  FR_GEN_S_LINE,        /* per (org, budget line) attributes */
  FR_GEN_S_POST,        /* posts and tenures */
  FR_GEN_S_ENT,         /* entity fields, by global entity number */
  FR_GEN_S_REL,         /* background relations */
  FR_GEN_S_HH,          /* households and their payouts */
  FR_GEN_S_TENDER,      /* background tenders and bids */
  FR_GEN_S_PLANT,       /* planted scenarios */
  FR_GEN_S_USEC,        /* which seconds carry microseconds */
  FR_GEN_S_MEMO,        /* memo texts */
  /* ferret gen --ocds: the OCDS-only fields (numbers fixed: they seed data) */
  FR_GEN_S_OCDS = 64,   /* per tender, by tender number */
  FR_GEN_S_OCDS_ORG,    /* per org: its disqualification rate */
  FR_GEN_S_OCDS_VENDOR  /* per vendor: a heterogeneous supplier */
};

/* fr_gen_mix64: splitmix64's finaliser; a bijection on 64-bit words. */
static inline uint64_t fr_gen_mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/* fr_gen_hash3: a well-mixed 64-bit hash of (seed, stream, index). */
static inline uint64_t fr_gen_hash3(uint64_t seed, uint64_t stream, uint64_t index) {
  return fr_gen_mix64(fr_gen_mix64(seed ^ (stream * 0xd1b54a32d192ed03ULL)) ^ index);
}

typedef struct fr_gen_rng {
  uint64_t state; /* splitmix64 state */
} fr_gen_rng;

/* fr_gen_rng_at: the generator keyed by (seed, stream, index). */
static inline fr_gen_rng fr_gen_rng_at(uint64_t seed, uint64_t stream, uint64_t index) {
  fr_gen_rng r = {fr_gen_hash3(seed, stream, index)};
  return r;
}

/* fr_gen_next: the next 64 random bits. */
static inline uint64_t fr_gen_next(fr_gen_rng *r) {
  r->state += 0x9e3779b97f4a7c15ULL;
  uint64_t z = r->state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* fr_gen_unit: uniform in [0, 1) with 53 random bits. */
static inline double fr_gen_unit(fr_gen_rng *r) {
  return (double)(fr_gen_next(r) >> 11) * 0x1.0p-53;
}

/* fr_gen_below: uniform integer in [0, n); n >= 1 (n = 0 gives 0). */
static inline uint64_t fr_gen_below(fr_gen_rng *r, uint64_t n) {
  if (n <= 1) return 0;
  uint64_t x = fr_gen_next(r);
  /* Multiply-high without 128-bit types: split into 32-bit halves. */
  uint64_t xh = x >> 32, xl = x & 0xffffffffULL, nh = n >> 32, nl = n & 0xffffffffULL;
  uint64_t ll = xl * nl, lh = xl * nh, hl = xh * nl, hh = xh * nh;
  uint64_t mid = (ll >> 32) + (lh & 0xffffffffULL) + (hl & 0xffffffffULL);
  return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

/* fr_gen_range: uniform integer in [lo, hi]; requires lo <= hi. */
static inline int64_t fr_gen_range(fr_gen_rng *r, int64_t lo, int64_t hi) {
  return lo + (int64_t)fr_gen_below(r, (uint64_t)(hi - lo) + 1);
}

/* fr_gen_chance: true with probability p. */
static inline int fr_gen_chance(fr_gen_rng *r, double p) {
  return fr_gen_unit(r) < p;
}

/* fr_gen_normal: standard normal (Box-Muller, one of the pair). */
static inline double fr_gen_normal(fr_gen_rng *r) {
  double u1 = 1.0 - fr_gen_unit(r); /* (0, 1] */
  double u2 = fr_gen_unit(r);
  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* fr_gen_loguniform: exp(uniform(ln lo, ln hi)); lo, hi > 0. */
static inline double fr_gen_loguniform(fr_gen_rng *r, double lo, double hi) {
  return exp(log(lo) + (log(hi) - log(lo)) * fr_gen_unit(r));
}

#endif

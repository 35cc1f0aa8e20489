/* gen_main.c: `ferret gen`, the command line of the synthetic data generator.
 *
 * Parses the arguments (DESIGN.md's contract plus --threads and --tenders), builds
 * the world and the planted anomalies, writes the eight tables (and with --ocds
 * ocds.jsonl, the tenders as OCDS compiled releases) and truth.csv, and maps
 * failures to exit statuses (2 usage, 3 I/O or internal). Workload: one call per
 * process; everything it allocates is released before it returns.
 */
#include "gen.h"

#include <errno.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gen_plant.h"
#include "gen_tables.h"
#include "gen_world.h"

#define MAX_ROWS 100000000ULL
#define MAX_TENDERS 100000000ULL

static const char usage_text[] =
    "usage: ferret gen OUTDIR [--rows N] [--seed S] [--anomaly-rate R]\n"
    "                  [--compress zst|gz|none] [--ocds] [--tenders N] [--threads N] [--help]\n"
    "\n"
    "Write a synthetic, seeded audit data set to OUTDIR: payments, approvals, posts,\n"
    "entities, relations, tenders, bids and subsidies as CSV (header row, RFC 4180),\n"
    "plus truth.csv, the planted anomalies and decoys for the detectors.\n"
    "\n"
    "  --rows N            payments to write (default 100000, at most 100000000);\n"
    "                      the other tables scale with it\n"
    "  --tenders N         background tenders to write, 1 to 100000000 (default:\n"
    "                      rows / 100, at least 50); planted tenders come on top\n"
    "  --ocds              also write ocds.jsonl (compressed like the tables): one OCDS\n"
    "                      1.1 compiled release per tender, in tender order, for\n"
    "                      `ferret ingest --format ocds` and the cardinal indicators;\n"
    "                      tenders.csv and bids.csv are the same with or without it\n"
    "  --seed S            random seed, an unsigned integer (default 1)\n"
    "  --anomaly-rate R    planted cases per payment, 0 to 0.05 (default 0.001);\n"
    "                      0 writes clean background data only\n"
    "  --compress C        zst (default, zstd level 3), gz, or none\n"
    "  --threads N         worker threads (default: OMP_NUM_THREADS or all cores);\n"
    "                      the output is identical for any N\n"
    "  --help              show this text\n"
    "\n"
    "Exit status: 0 success, 2 bad usage, 3 I/O or internal failure.\n";

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "ferret gen: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'ferret gen --help'.\n");
  return 2;
}

static int parse_u64(const char *s, uint64_t *out) {
  if (!s || !*s || *s == '-' || *s == '+') return -1;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *end) return -1;
  *out = v;
  return 0;
}

typedef struct gen_args {
  const char *outdir;
  uint64_t rows, seed, threads;
  uint64_t tenders; /* 0 = the default for --rows */
  int ocds;
  double rate;
  fr_gen_zkind z;
} gen_args;

/* Returns -1 when parsing succeeded, else the exit status to return. */
static int parse_args(int argc, char **argv, gen_args *a) {
  a->outdir = NULL;
  a->rows = 100000;
  a->seed = 1;
  a->threads = 0;
  a->tenders = 0;
  a->ocds = 0;
  a->rate = 0.001;
  a->z = FR_GEN_Z_ZST;
  for (int k = 1; k < argc; k++) {
    const char *arg = argv[k], *val = NULL;
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
      fputs(usage_text, stdout);
      return 0;
    }
    if (strncmp(arg, "--", 2) != 0 || strcmp(arg, "--") == 0) {
      if (a->outdir) return usage_error("unexpected argument '%s' (OUTDIR is already given)", arg);
      a->outdir = arg;
      continue;
    }
    char name[32];
    const char *eq = strchr(arg, '=');
    size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
    if (nlen >= sizeof name) return usage_error("unknown option '%s'", arg);
    memcpy(name, arg, nlen);
    name[nlen] = 0;
    int known = !strcmp(name, "--rows") || !strcmp(name, "--seed") || !strcmp(name, "--anomaly-rate") ||
                !strcmp(name, "--compress") || !strcmp(name, "--threads") || !strcmp(name, "--tenders");
    if (!strcmp(name, "--ocds")) {
      if (eq) return usage_error("--ocds takes no value ('%s')", arg);
      a->ocds = 1;
      continue;
    }
    if (!known) return usage_error("unknown option '%s'", arg);
    if (eq) val = eq + 1;
    else if (k + 1 < argc) val = argv[++k];
    else return usage_error("%s needs a value", name);
    if (!strcmp(name, "--rows")) {
      if (parse_u64(val, &a->rows) || a->rows < 1 || a->rows > MAX_ROWS)
        return usage_error("--rows: '%s' is not an integer from 1 to 100000000", val);
    } else if (!strcmp(name, "--tenders")) {
      if (parse_u64(val, &a->tenders) || a->tenders < 1 || a->tenders > MAX_TENDERS)
        return usage_error("--tenders: '%s' is not an integer from 1 to 100000000", val);
    } else if (!strcmp(name, "--seed")) {
      if (parse_u64(val, &a->seed)) return usage_error("--seed: '%s' is not an unsigned integer", val);
    } else if (!strcmp(name, "--threads")) {
      if (parse_u64(val, &a->threads) || a->threads < 1 || a->threads > 4096)
        return usage_error("--threads: '%s' is not an integer from 1 to 4096", val);
    } else if (!strcmp(name, "--anomaly-rate")) {
      char *end;
      errno = 0;
      a->rate = strtod(val, &end);
      if (errno || end == val || *end || !(a->rate >= 0 && a->rate <= 0.05))
        return usage_error("--anomaly-rate: '%s' is not a number from 0 to 0.05", val);
    } else {
      if (!strcmp(val, "zst")) a->z = FR_GEN_Z_ZST;
      else if (!strcmp(val, "gz")) a->z = FR_GEN_Z_GZ;
      else if (!strcmp(val, "none")) a->z = FR_GEN_Z_NONE;
      else return usage_error("--compress: '%s' is not one of zst, gz, none", val);
    }
  }
  if (!a->outdir) return usage_error("%s", "missing OUTDIR");
  return -1;
}

static int status_exit(int st) { return st == FR_GEN_OK ? 0 : 3; }

int fr_gen_main(int argc, char **argv) {
  gen_args a;
  int rc = parse_args(argc, argv, &a);
  if (rc >= 0) return rc;
  if (a.threads) omp_set_num_threads((int)a.threads);
  if (mkdir(a.outdir, 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, "ferret gen: %s: cannot create directory: %s\n", a.outdir, strerror(errno));
    return 3;
  }
  struct stat st;
  if (stat(a.outdir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    fprintf(stderr, "ferret gen: %s: not a directory\n", a.outdir);
    return 3;
  }
  fr_gen_err err = {{0}};
  fr_gen_world w;
  fr_gen_plant p;
  fr_gen_ledger_stats stats;
  memset(&w, 0, sizeof w);
  memset(&p, 0, sizeof p);
  memset(&stats, 0, sizeof stats);
  uint32_t pool, dedicated;
  fr_gen_plant_plan(&pool, &dedicated, a.rows, a.rate);
  int timing = getenv("FERRET_GEN_STATS") != NULL;
  double t0 = omp_get_wtime();
#define PHASE(name, call)                                                            \
  do {                                                                               \
    if (s == FR_GEN_OK) s = (call);                                                  \
    if (timing) fprintf(stderr, "  %-10s %7.2f s\n", name, omp_get_wtime() - t0); \
  } while (0)
  int s = FR_GEN_OK;
  PHASE("world", fr_gen_world_init(&w, a.seed, a.rows, pool + dedicated));
  if (a.tenders) w.n_tenders_bg = a.tenders; /* planting does not depend on it */
  PHASE("plant", fr_gen_plant_build(&p, &w, a.rows, a.rate));
  PHASE("place", fr_gen_ledger_place(&w, &p));
  if (s != FR_GEN_OK) fr_gen_err_set(&err, "planting anomalies: %s", s == FR_GEN_ENOMEM ? "out of memory" : "internal error");
  PHASE("ledger", fr_gen_ledger_write(&w, &p, a.outdir, a.z, &stats, &err));
  PHASE("tenders", fr_gen_tenders_write(&w, &p, a.outdir, a.z, a.ocds, &err));
  PHASE("subsidies", fr_gen_subsidies_write(&w, &p, a.outdir, a.z, &err));
  PHASE("entities", fr_gen_entities_write(&w, a.outdir, a.z, &err));
  PHASE("relations", fr_gen_relations_write(&w, &p, a.outdir, a.z, &err));
  PHASE("posts", fr_gen_posts_write(&w, a.outdir, a.z, &err));
  PHASE("truth", fr_gen_truth_write(&w, &p, a.outdir, &err));
#undef PHASE
  if (s != FR_GEN_OK) {
    fprintf(stderr, "ferret gen: %s\n", err.msg[0] ? err.msg : "failed");
  } else {
    printf("ferret gen: wrote %s: %llu payments, %llu approval events (%llu cases), %u posts, %llu entities,\n"
           "  %llu tenders%s, %u planted payments, %u planted cases, %u planted tenders, %u planted payouts,\n"
           "  %u declarations\n",
           a.outdir, (unsigned long long)stats.n_payments, (unsigned long long)stats.n_events,
           (unsigned long long)stats.n_cases, w.n_posts,
           (unsigned long long)w.n_org + w.n_vendor + w.n_person, (unsigned long long)w.n_tenders_bg + p.n_tend,
           a.ocds ? " (and as OCDS releases)" : "", p.n_pay, p.n_case, p.n_tend, p.n_out, p.n_decl);
    if (stats.f4_orgs_flagged || stats.f9_flagged || stats.a4_flagged)
      fprintf(stderr,
              "ferret gen: warning: the background meets a group rule by chance (F4 orgs %llu, F9 org-years %llu,"
              " A4 org-activities %llu); truth.csv does not list these\n",
              (unsigned long long)stats.f4_orgs_flagged, (unsigned long long)stats.f9_flagged,
              (unsigned long long)stats.a4_flagged);
    if (getenv("FERRET_GEN_STATS"))
      fprintf(stderr, "background margins: F4 worst MAD excess %.5f (limit 0.0022), F9 worst Dec ratio %.3f (3.0),"
                      " A4 worst wait share %.3f (0.40)\n",
              stats.f4_worst_excess, stats.f9_worst_ratio, stats.a4_worst_share);
  }
  fr_gen_plant_free(&p);
  fr_gen_world_free(&w);
  return status_exit(s);
}

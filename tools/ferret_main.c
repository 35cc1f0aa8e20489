/* ferret_main.c - the `ferret` command: dispatches to the subcommands. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#ifdef FERRET_HAVE_GEN
#include "gen.h"
#endif

static const char fr_main_help[] =
    "ferret " FERRET_VERSION " - columnar analytics for administrative audit logs\n"
    "\n"
    "usage: ferret COMMAND [ARGS] [--threads N] [--help]\n"
    "\n"
    "commands:\n"
    "  gen OUTDIR [--rows N] [--ocds] ...       write a synthetic audit log with planted anomalies\n"
    "  ingest STORE TABLE FILE... [options]     load CSV, JSON lines, XES, OCDS (plain, .zst, .gz, -)\n"
    "  info STORE [TABLE] [--format table|json] tables, columns, zone maps, control totals, history\n"
    "  export STORE TABLE [--format csv|json]   write a table back as text\n"
    "  verify STORE                             check every chunk, footer and manifest\n"
    "\n"
    "  query STORE SQL [--format table|csv|json] run one SQL statement\n"
    "  shell STORE                              interactive SQL prompt\n"
    "  detect --list | STORE DETECTOR [--set ..] run an anomaly detector\n"
    "  scan STORE [--rules FILE] [--out DIR]    nightly scan: new findings, findings store, report.html\n"
    "\n"
    "Run `ferret COMMAND --help` for a command's options.\n"
    "exit status: 0 ok, 1 new findings (--fail-on-findings), 2 bad usage or bad input,\n"
    "3 I/O or internal failure.\n";

/* OpenMP's default wait policy lets a thread that finished its share spin for a
 * while before it sleeps.  On a machine with few cores the spinning thread takes
 * the core from the one still working (a serial step, the output, the next
 * region's setup): a 10 ms query took 13 ms with 2 threads and 6 ms with the
 * threads sleeping at once, and the large scans were no slower.  The runtime
 * reads OMP_WAIT_POLICY once, when it is loaded - before main() and before an
 * executable's preinit functions - so when the user has not chosen a policy,
 * ferret sets "passive" and executes itself again (about 1 ms).  A value the
 * user set, or a failed exec, leaves everything as it is. */
static void fr_main_wait_policy(char **argv) {
  if (getenv("OMP_WAIT_POLICY") != NULL || getenv("GOMP_SPINCOUNT") != NULL)
    return;
  if (setenv("OMP_WAIT_POLICY", "passive", 0) != 0)
    return;
  execv("/proc/self/exe", argv);
  /* exec failed (no /proc): go on with the runtime as loaded */
}

int main(int argc, char **argv) {
  fr_main_wait_policy(argv);
  /* Scans and ingest allocate and free blocks of many MiB per row group; keep
   * them in the heap instead of mmap/munmap so pages are not zeroed again for
   * every block (the kernel's page clearing was ~17% of ingest time). */
  mallopt(M_MMAP_THRESHOLD, 32 << 20); /* the largest value glibc accepts */
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
      strcmp(argv[1], "help") == 0) {
    fputs(fr_main_help, argc < 2 ? stderr : stdout);
    return argc < 2 ? FR_EXIT_USAGE : FR_EXIT_OK;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("ferret %s\n", FERRET_VERSION);
    return FR_EXIT_OK;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "ingest") == 0)
    return fr_cmd_ingest(argc - 2, argv + 2);
  if (strcmp(cmd, "info") == 0)
    return fr_cmd_info(argc - 2, argv + 2);
  if (strcmp(cmd, "export") == 0)
    return fr_cmd_export(argc - 2, argv + 2);
  if (strcmp(cmd, "verify") == 0)
    return fr_cmd_verify(argc - 2, argv + 2);
#ifdef FERRET_HAVE_GEN
  if (strcmp(cmd, "gen") == 0)
    return fr_gen_main(argc - 1, argv + 1);
#endif
  if (strcmp(cmd, "query") == 0)
    return fr_cmd_query(argc - 2, argv + 2);
  if (strcmp(cmd, "shell") == 0)
    return fr_cmd_shell(argc - 2, argv + 2);
  if (strcmp(cmd, "detect") == 0)
    return fr_cmd_detect(argc - 2, argv + 2);
  if (strcmp(cmd, "scan") == 0)
    return fr_cmd_scan(argc - 2, argv + 2);
  if (strcmp(cmd, "gen") == 0) {
    fprintf(stderr, "ferret %s: not available in this build yet (see `ferret --help`)\n", cmd);
    return FR_EXIT_USAGE;
  }
  fprintf(stderr, "ferret: unknown command \"%s\"; run `ferret --help` for the list\n", cmd);
  return FR_EXIT_USAGE;
}

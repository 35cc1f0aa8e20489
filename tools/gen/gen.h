/* gen.h: `ferret gen`, the seeded synthetic audit-log generator.
 *
 * Writes the eight canonical tables of DESIGN.md (payments, approvals, posts,
 * entities, relations, tenders, bids, subsidies) as CSV, plus truth.csv, the
 * catalogue of planted anomalies and decoys for the detectors of DETECTORS.md.
 * The same arguments give byte-identical files whatever the thread count.
 */
#ifndef FR_GEN_H
#define FR_GEN_H

/* fr_gen_main: run `ferret gen` with its command line.
 *
 * argc, argv  argv[0] is "gen"; argv[1..argc-1] are the words after `ferret gen`:
 *             OUTDIR [--rows N] [--seed S] [--anomaly-rate R]
 *             [--compress zst|gz|none] [--threads N] [--help]
 * Returns the process exit status of DESIGN.md: 0 success (also for --help, which
 * prints the usage to standard output), 2 bad usage (a message on standard error
 * names the bad argument), 3 I/O or internal failure (the message names the file).
 * Creates OUTDIR (one level) when missing; files are written under a temporary
 * name and renamed into place when complete.
 * Not reentrant: sets the OpenMP thread count of the process.
 */
int fr_gen_main(int argc, char **argv);

#endif

/* cli.h - shared helpers of the `ferret` subcommands: argument scanning, exit
 * codes, messages.  Only tools/ prints or exits. */
#ifndef FERRET_CLI_H
#define FERRET_CLI_H

#include <stddef.h>

#include "ferret.h"

/* Exit statuses of DESIGN.md. */
enum { FR_EXIT_OK = 0, FR_EXIT_FINDINGS = 1, FR_EXIT_USAGE = 2, FR_EXIT_FAILURE = 3 };

/* Maps a status to an exit code: bad input and usage -> 2, the rest -> 3. */
int fr_cli_exit_code(fr_status status);

/* Prints "ferret CMD: message" to stderr and returns the exit code for status. */
int fr_cli_fail(const char *cmd, fr_status status, const fr_error *err);

/* Prints a usage error with a hint to run --help and returns FR_EXIT_USAGE. */
int fr_cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parsed command line of a subcommand: positional arguments and options. */
typedef struct fr_cli_args {
  int n_pos;
  const char *pos[4096];
  int help;
  int threads;                 /* 0 = default */
} fr_cli_args;

/* Option table entry: name without dashes, whether it takes a value, and where
 * to put it (const char * for values, int for flags). */
typedef struct fr_cli_opt {
  const char *name;
  int takes_value;
  const char **value;
  int *flag;
} fr_cli_opt;

/* Splits argv (after the subcommand) into positionals and the options in
 * `opts` (NULL-terminated); --threads and --help are handled for every command.
 * Returns 0, or prints a usage error and returns FR_EXIT_USAGE. */
int fr_cli_parse(const char *cmd, int argc, char **argv, const fr_cli_opt *opts, fr_cli_args *out);

/* Parses a size like 512M, 2G, 1048576. Returns 0 or -1. */
int fr_cli_parse_size(const char *text, size_t *out);

int fr_cmd_ingest(int argc, char **argv);
int fr_cmd_info(int argc, char **argv);
int fr_cmd_export(int argc, char **argv);
int fr_cmd_verify(int argc, char **argv);
int fr_cmd_query(int argc, char **argv);
int fr_cmd_shell(int argc, char **argv);
int fr_cmd_detect(int argc, char **argv);
int fr_cmd_scan(int argc, char **argv);

#endif

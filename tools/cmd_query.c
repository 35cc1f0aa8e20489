/* cmd_query.c - `ferret query` (placeholder until it lands). */
#include <stdio.h>

#include "cli.h"

int fr_cmd_query(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "ferret query: not available in this build yet\n");
  return FR_EXIT_USAGE;
}

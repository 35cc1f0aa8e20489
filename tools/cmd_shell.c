/* cmd_shell.c - `ferret shell` (placeholder until it lands). */
#include <stdio.h>

#include "cli.h"

int fr_cmd_shell(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "ferret shell: not available in this build yet\n");
  return FR_EXIT_USAGE;
}

/* cmd_detect.c - `ferret detect` (placeholder until it lands). */
#include <stdio.h>

#include "cli.h"

int fr_cmd_detect(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "ferret detect: not available in this build yet\n");
  return FR_EXIT_USAGE;
}

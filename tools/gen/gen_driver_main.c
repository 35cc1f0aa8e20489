/* gen_driver_main.c: a stand-alone `ferret gen` for testing the generator before
 * the ferret binary links it: `ferret_gen_driver OUTDIR [options]`. */
#include "gen.h"

int main(int argc, char **argv) {
  char gen[] = "gen";
  if (argc > 0) argv[0] = gen;
  return fr_gen_main(argc, argv);
}

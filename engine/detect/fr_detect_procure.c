/* fr_detect_procure.c - the procurement (P) and welfare (W) detectors of
 * DETECTORS.md (not implemented yet: the section is empty). */
#include "fr_detect_internal.h"

const fr_catalog_section fr_catalog_procurement = {NULL, NULL, 0};

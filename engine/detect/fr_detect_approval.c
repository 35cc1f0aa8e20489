/* fr_detect_approval.c - the approval-pattern detectors A1-A7 of DETECTORS.md
 * (not implemented yet: the section is empty). */
#include "fr_detect_internal.h"

const fr_catalog_section fr_catalog_approval = {NULL, NULL, 0};

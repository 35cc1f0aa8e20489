/* fr_detect.h - the anomaly detectors of DETECTORS.md (placeholder until the
 * detector catalogue lands). */
#ifndef FR_DETECT_H
#define FR_DETECT_H

#include "fr_store.h"

#endif

/* ferret.h - the engine's public interface, the only header tools/ includes.
 * Everything below it (formats, core) is reached through these declarations. */
#ifndef FERRET_H
#define FERRET_H

#include "fr_detect.h"
#include "fr_ingest.h"
#include "fr_scan.h"
#include "fr_sql.h"
#include "fr_table.h"
#include "fr_verify.h"

#define FERRET_VERSION "0.1.0"

#endif

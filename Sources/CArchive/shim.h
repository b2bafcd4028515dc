#ifndef SPEARSCAN_CARCHIVE_SHIM_H
#define SPEARSCAN_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
#endif

#ifndef SPEARSCAN_CARCHIVE_SHIM_H
#define SPEARSCAN_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>

/* Return codes and constants as plain values (some are macros Swift imports awkwardly). */
static const int spearscan_archive_ok = ARCHIVE_OK;
static const int spearscan_archive_eof = ARCHIVE_EOF;
static const int spearscan_archive_retry = ARCHIVE_RETRY;
static const int spearscan_archive_warn = ARCHIVE_WARN;
static const int spearscan_archive_fatal = ARCHIVE_FATAL;
static const int spearscan_archive_filter_none = ARCHIVE_FILTER_NONE;
static const unsigned int spearscan_ae_ifreg = AE_IFREG;
static const unsigned int spearscan_ae_ifdir = AE_IFDIR;
static const unsigned int spearscan_ae_iflnk = AE_IFLNK;
#endif

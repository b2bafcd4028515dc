#ifndef SPEARSCAN_CMAGIC_SHIM_H
#define SPEARSCAN_CMAGIC_SHIM_H
#include <magic.h>
/* Flag macros Swift cannot import as constants. */
static const int spearscan_magic_mime_type = MAGIC_MIME_TYPE;
static const int spearscan_magic_none = MAGIC_NONE;
static const int spearscan_magic_no_check_soft = MAGIC_NO_CHECK_SOFT;
#endif

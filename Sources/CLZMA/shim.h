#ifndef SPEARSCAN_CLZMA_SHIM_H
#define SPEARSCAN_CLZMA_SHIM_H
#include <lzma.h>

/* Filter ids and the end marker as plain values (they are macros of a 64-bit type Swift does not import). */
static const lzma_vli spearscan_lzma_filter_lzma1 = LZMA_FILTER_LZMA1;
static const lzma_vli spearscan_lzma_filter_lzma2 = LZMA_FILTER_LZMA2;
static const lzma_vli spearscan_lzma_vli_unknown = LZMA_VLI_UNKNOWN;
#endif

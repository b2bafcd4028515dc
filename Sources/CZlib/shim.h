#ifndef SPEARSPOOL_CZLIB_SHIM_H
#define SPEARSPOOL_CZLIB_SHIM_H
#include <zlib.h>
#endif

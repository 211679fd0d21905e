#ifndef LIANZHENG_CSQLITE_SHIM_H
#define LIANZHENG_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif

#ifndef C_SQLITE_OPTIONS_H
#define C_SQLITE_OPTIONS_H

/// Turns SQLite's memory statistics off, so that its allocator takes no process-wide mutex
/// (`sqlite3_config` is variadic, which Swift cannot call). Takes effect only before SQLite
/// starts: returns SQLite's result code, `SQLITE_MISUSE` when it had already started.
int nimbus_sqlite_disable_memory_statistics(void);

#endif

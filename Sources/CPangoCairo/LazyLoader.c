// Loads Pango, Cairo, GObject, GLib and fontconfig on first use instead of at process start.
//
// `signet` does not link these libraries (no DT_NEEDED entry), so `signet verify`, `signet
// --help` and every other command that does not render start without the ≈ 40 shared
// libraries they pull in. Instead this file defines each function SignetTemplates calls
// (PangoCairoFunctions.h) as a stub with the header's exact prototype that forwards to the
// real function. signet_pango_cairo_load() opens the libraries once (pthread_once) and
// resolves all functions with dlsym on their library's handle — never RTLD_DEFAULT, which
// would find the stubs themselves.
//
// Symbol interposition: SwiftPM links executables with --export-dynamic, so an exported stub
// would pre-empt the library's own definition for the library's internal calls through its
// PLT (the executable comes first in the global lookup scope). Forwarding would still reach
// the right function, but a library calling one of its own functions while being loaded
// would re-enter pthread_once and deadlock. The stubs are therefore hidden: they bind within
// the executable only and never appear in its dynamic symbol table.

#include "CPangoCairo.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/// The libraries, dependencies first, so the first one that fails to open is the one missing.
enum Library { LIB_GLIB, LIB_GOBJECT, LIB_FONTCONFIG, LIB_CAIRO, LIB_PANGO, LIB_PANGOFT2, LIB_PANGOCAIRO, LIB_COUNT };

static const struct {
    const char *soname;
    const char *package;
} libraries[LIB_COUNT] = {
    [LIB_GLIB] = {"libglib-2.0.so.0", "libglib2.0-0"},
    [LIB_GOBJECT] = {"libgobject-2.0.so.0", "libglib2.0-0"},
    [LIB_FONTCONFIG] = {"libfontconfig.so.1", "libfontconfig1"},
    [LIB_CAIRO] = {"libcairo.so.2", "libcairo2"},
    [LIB_PANGO] = {"libpango-1.0.so.0", "libpango-1.0-0"},
    [LIB_PANGOFT2] = {"libpangoft2-1.0.so.0", "libpangoft2-1.0-0"},
    [LIB_PANGOCAIRO] = {"libpangocairo-1.0.so.0", "libpangocairo-1.0-0"},
};

/// One index per forwarded function.
enum Function {
#define STUB(library, type, name, parameters, arguments) FUNCTION_##name,
#define STUB_VOID(library, name, parameters, arguments) FUNCTION_##name,
#include "PangoCairoFunctions.h"
#undef STUB
#undef STUB_VOID
    FUNCTION_COUNT
};

/// Each function's name and the library that exports it.
static const struct {
    enum Library library;
    const char *name;
} functions[FUNCTION_COUNT] = {
#define STUB(library, type, name, parameters, arguments) [FUNCTION_##name] = {LIB_##library, #name},
#define STUB_VOID(library, name, parameters, arguments) [FUNCTION_##name] = {LIB_##library, #name},
#include "PangoCairoFunctions.h"
#undef STUB
#undef STUB_VOID
};

// Written only inside `load`, under pthread_once, which orders those writes before every
// return from pthread_once in any thread; read-only afterwards.
static pthread_once_t loadOnce = PTHREAD_ONCE_INIT;
static void *resolved[FUNCTION_COUNT];
static SignetPangoCairoLoadFailure failureStorage;
static const SignetPangoCairoLoadFailure *failure;
static char reasonStorage[512];

static void fail(enum Library library, const char *reason) {
    snprintf(reasonStorage, sizeof reasonStorage, "%s", reason ? reason : "unknown dynamic loader error");
    failureStorage = (SignetPangoCairoLoadFailure){libraries[library].soname, libraries[library].package, reasonStorage};
    failure = &failureStorage;
}

static void load(void) {
    void *handles[LIB_COUNT];
    for (int library = 0; library < LIB_COUNT; library++) {
        // RTLD_NOW: a library that cannot be bound completely fails here, with a message,
        // rather than at some later call. RTLD_LOCAL: their symbols stay out of the global
        // scope; every function is found through its library's handle.
        handles[library] = dlopen(libraries[library].soname, RTLD_NOW | RTLD_LOCAL);
        if (handles[library] == NULL) {
            fail(library, dlerror());
            return;
        }
    }
    for (int function = 0; function < FUNCTION_COUNT; function++) {
        void *symbol = dlsym(handles[functions[function].library], functions[function].name);
        if (symbol == NULL) {
            char reason[256];
            snprintf(reason, sizeof reason, "it has no function %s (a version too old?)", functions[function].name);
            fail(functions[function].library, reason);
            return;
        }
        resolved[function] = symbol;
    }
    // The handles are never closed: the libraries stay loaded for the life of the process.
}

const SignetPangoCairoLoadFailure *signet_pango_cairo_load(void) {
    pthread_once(&loadOnce, load);
    return failure;
}

/// A stub was called although the libraries could not be loaded: a programming error, since
/// SignetTemplates checks signet_pango_cairo_load() before its first call.
__attribute__((noreturn, cold, noinline)) static void unavailable(enum Function function) {
    fprintf(stderr, "signet: %s called, but %s could not be loaded: %s\n", functions[function].name,
            failure->library, failure->reason);
    abort();
}

/// The real function for a stub, loading the libraries on the first call.
static inline void *signet_pango_cairo_resolved(enum Function function) {
    pthread_once(&loadOnce, load);
    if (__builtin_expect(failure != NULL, 0)) unavailable(function);
    return resolved[function];
}

// The stubs: hidden (see the top of this file), one per line of PangoCairoFunctions.h.
#define STUB(library, type, name, parameters, arguments) \
    __attribute__((visibility("hidden"))) type name parameters { \
        return ((__typeof__(&name))signet_pango_cairo_resolved(FUNCTION_##name)) arguments; \
    }
#define STUB_VOID(library, name, parameters, arguments) \
    __attribute__((visibility("hidden"))) void name parameters { \
        ((__typeof__(&name))signet_pango_cairo_resolved(FUNCTION_##name)) arguments; \
    }
#include "PangoCairoFunctions.h"
#undef STUB
#undef STUB_VOID

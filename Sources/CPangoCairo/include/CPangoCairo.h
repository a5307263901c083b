// Pango, Cairo (PDF surface) and fontconfig, for SignetTemplates only.
// pangofc-fontmap.h gives pango_fc_font_map_set_config, which pins rendering to a private
// fontconfig configuration (see SignetTemplates/FontEnvironment.swift).
//
// The libraries are not linked: `signet` would load ≈ 40 shared libraries at every start,
// also for `signet verify`, which never renders. LazyLoader.c defines every function
// SignetTemplates calls as a stub that forwards to the real one, and opens the libraries with
// dlopen on first use. Call signet_pango_cairo_load() before any other function of this
// module. A function not in PangoCairoFunctions.h fails to link: add a stub there.
#ifndef SIGNET_CPANGOCAIRO_H
#define SIGNET_CPANGOCAIRO_H

#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <cairo/cairo-pdf.h>
#include <fontconfig/fontconfig.h>

/// Why the rendering libraries could not be loaded. All strings are static and stay valid.
typedef struct SignetPangoCairoLoadFailure {
    /// The library that could not be opened or lacks a function, e.g. "libpango-1.0.so.0".
    const char *_Nonnull library;
    /// The Debian package that provides it, e.g. "libpango-1.0-0".
    const char *_Nonnull package;
    /// What the dynamic loader said (dlerror), or which function is missing.
    const char *_Nonnull reason;
} SignetPangoCairoLoadFailure;

/// Opens Pango, PangoFT2, PangoCairo, Cairo, GObject, GLib and fontconfig and resolves every
/// function this module declares and SignetTemplates uses. The first call does the work, once per
/// process (thread-safe); later calls return its outcome.
///
/// Returns NULL when rendering can proceed, otherwise the failure (static, never freed).
const SignetPangoCairoLoadFailure *_Nullable signet_pango_cairo_load(void);

#endif

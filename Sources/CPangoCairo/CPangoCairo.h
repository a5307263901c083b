// Pango, Cairo (PDF surface) and fontconfig, for SignetTemplates only.
// pangofc-fontmap.h gives pango_fc_font_map_set_config, which pins rendering to a private
// fontconfig configuration (see SignetTemplates/FontEnvironment.swift).
//
// A system library: the include paths come from pkg-config (pangocairo, which also lists
// FreeType's), the libraries are linked (module.modulemap adds PangoFT2 and fontconfig to what
// pangocairo's pkg-config file names).
#ifndef SIGNET_CPANGOCAIRO_H
#define SIGNET_CPANGOCAIRO_H

#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <cairo/cairo-pdf.h>
#include <fontconfig/fontconfig.h>

#endif

// Pango, Cairo (PDF surface) and fontconfig, for SignetTemplates only.
// pangofc-fontmap.h gives pango_fc_font_map_set_config, which pins rendering to a private
// fontconfig configuration (see SignetTemplates/FontEnvironment.swift).
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <cairo/cairo-pdf.h>
#include <fontconfig/fontconfig.h>

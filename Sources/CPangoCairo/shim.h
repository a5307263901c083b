#include <pango/pangocairo.h>
#include <cairo/cairo-pdf.h>
#include <fontconfig/fontconfig.h>

/* The one error domain of libdomsnap. */
#include "domsnap.h"

G_DEFINE_QUARK(domsnap-error-quark, ds_error)

// OpenBLAS declarations only. The library itself is opened late with dlopen (see SynthTensor/BLAS),
// so that OPENBLAS_CORETYPE can be chosen for this CPU before OpenBLAS reads it at load time.
#include <cblas.h>

#include "ProcessMemory.h"

#include <cstdlib> // defines __GLIBC__ on glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace kwb {

void returnFreedMemoryToTheSystem()
{
#if defined(__GLIBC__)
    // A value set explicitly also stops glibc adjusting the trim threshold, which stays at its
    // default (128 KiB): free space above that at the heap's top is given back too.
    mallopt(M_MMAP_THRESHOLD, kMappedBlockBytes);
#endif
}

} // namespace kwb

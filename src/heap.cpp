#include "moe/heap.hpp"

#include <cstdlib>  // defines __GLIBC__ under glibc
#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace moe {

void keep_large_blocks_in_the_heap() {
#ifdef __GLIBC__
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

}  // namespace moe

#include "core/memory.h"

#include <malloc.h>

namespace carecity {

void TuneAllocator() {
  // Fixed values also switch off glibc's dynamic threshold, which would
  // otherwise drift with the largest block ever freed.
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  mallopt(M_TRIM_THRESHOLD, 32 << 20);
}

}  // namespace carecity

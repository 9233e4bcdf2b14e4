// Process-wide allocator settings, applied once at start by every binary
// that serves requests or runs the store.
#pragma once

namespace carecity {

// glibc's defaults hand freed memory back to the kernel as soon as the top of
// a thread's arena has 128 KiB free, and mmap every block above a threshold
// that starts at 128 KiB. The store's writer thread allocates and frees a
// SQLite page cache for every statement with RETURNING (its result rows go
// through an ephemeral table), so each sign-up or donation paid for madvise()
// plus a page fault per 4 KiB page on the next one: a quarter of the server's
// CPU in the flash-crowd benchmark (docs/PERFORMANCE.md). Keeping up to
// 32 MiB free per arena and mmapping only blocks of 4 MiB or more removes
// that churn; the server still returns memory above those figures.
void TuneAllocator();

}  // namespace carecity

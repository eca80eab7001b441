// The command line's allocator setting (heap.hpp): after it, a block far above
// glibc's largest mmap threshold (32 MB) comes from the heap, not from a
// mapping of its own that every free would unmap.
#include <gtest/gtest.h>

#include <cstdlib>

#include "moe/heap.hpp"
#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace {

TEST(Heap, LargeBlocksComeFromTheHeapAfterTheSetting) {
#ifdef __GLIBC__
  moe::keep_large_blocks_in_the_heap();
  const int mapped_before = mallinfo2().hblks;
  void* block = std::malloc(std::size_t{64} << 20);
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(mallinfo2().hblks, mapped_before);  // no new mapping
  std::free(block);
#else
  GTEST_SKIP() << "glibc only";
#endif
}

}  // namespace

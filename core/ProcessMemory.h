#pragma once

namespace kwb {

/// Makes memory that the process frees go back to the system, so that its resident size follows
/// what it holds rather than the most it ever held. For processes whose memory must stay within a
/// bound while they serve clients they do not control: `kwb sandbox` calls it before it starts
/// serving. Process-wide, idempotent.
///
/// Why: glibc serves a block of 128 KiB or more with mmap and unmaps it on free, until the first
/// such block is freed; from then on it raises that threshold to the freed block's size (up to
/// 32 MiB), so later blocks of that size come from the heap, where a block still in use above them
/// keeps the freed ones resident. The sandbox answering clients that pipeline GetRecords of about
/// 1.4 MB each and never read them went from 34 MB to 177 MB that way, although its HTTP budget
/// had freed the answers (tests/sandbox/chaos_sandbox.py --kinds pipelined_unread). Setting the
/// threshold fixes it at glibc's own default and turns that adjustment off. The price: each large
/// block is fresh memory, faulted in page by page. Other C libraries and the sanitizers'
/// allocators are left as they are.
void returnFreedMemoryToTheSystem();

/// The threshold it sets: blocks of this size or more are mapped on their own and unmapped on free.
inline constexpr int kMappedBlockBytes = 128 * 1024;

} // namespace kwb

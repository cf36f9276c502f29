//! The allocator: mimalloc rather than glibc's malloc. Under load a profile of the gateway spent
//! a fifth of its time in glibc's malloc and free (and their consolidation), and glibc's
//! per-thread arenas kept the resident set near 50 MB after a load; see docs/performance.md.

use std::time::Duration;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How often each worker thread hands free memory back.
pub const TRIM_EVERY: Duration = Duration::from_secs(1);

/// Returns the memory the calling thread's heap holds free, and the pages that have been free
/// for longer than mimalloc's purge delay, to the system.
///
/// mimalloc purges free pages only from within an allocation or a free, so a thread that goes
/// quiet after a burst keeps the burst's pages resident until its next request; run on each
/// worker every [`TRIM_EVERY`], this lets an idle server shrink back.
pub fn trim() {
    // SAFETY: `mi_collect` takes no pointers and only walks the calling thread's own heap and
    // the process's arenas under mimalloc's own synchronisation; it may be called at any time
    // from any thread that allocates with mimalloc, which is every thread of this process.
    #[allow(unsafe_code, reason = "the one call into the allocator's C API")]
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
}

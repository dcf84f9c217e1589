//! A hint to the processor to start loading memory the code will read
//! soon: the tables the tagger looks words up in are megabytes, read at
//! random, so nearly every look-up waits on main memory; asked for a whole
//! sentence's words at once, those waits overlap.

/// Starts loading `place` into the cache.
#[inline]
pub(crate) fn prefetch<T: ?Sized>(place: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        let place: *const u8 = (place as *const T).cast();
        // SAFETY: a prefetch is only a hint to the cache; it reads
        // nothing into the program and cannot fault, and the pointer
        // is to a live value anyway.
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(place.cast());
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = place;
}

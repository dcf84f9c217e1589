//! The mmap threshold is kept in a process of its own: glibc's counters
//! are the whole process's.

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn a_large_buffer_keeps_a_mapping_of_its_own_after_a_larger_one_is_freed() {
    assert!(
        newsflow_cli::allocator::keep_mmap_threshold(),
        "the threshold was not set (is MALLOC_MMAP_THRESHOLD_ or GLIBC_TUNABLES set?)"
    );
    // Left alone, glibc raises its threshold to this block's size when the
    // block is freed, and serves the next megabyte from its arena.
    drop(std::hint::black_box(vec![1u8; 8 << 20]));
    let before = mapped_blocks();
    let buffer = std::hint::black_box(vec![1u8; 1 << 20]);
    assert_eq!(mapped_blocks(), before + 1);
    drop(buffer);
    assert_eq!(mapped_blocks(), before);
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn mapped_blocks() -> usize {
    // SAFETY: mallinfo2 only reads the allocator's counters.
    unsafe { libc::mallinfo2() }.hblks
}

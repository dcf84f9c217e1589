//! glibc's malloc, tuned for long-running consumers.
//!
//! glibc starts by serving blocks of 128 KiB and more from mappings of
//! their own, and raises that threshold to the size of each such block
//! freed, up to 32 MiB. A consumer frees large buffers all the time (fetch
//! responses copied out of librdkafka, output records, the story window's
//! rings as they grow), so within seconds its large buffers come from the
//! arenas instead, whose freed space stays in the process and fragments.
//! Keeping the threshold at its starting value returns every large buffer
//! to the system when it is freed: in `bench pipeline` on 20,000 BBC
//! articles the enricher peaked at 135–140 MB instead of 144–154 MB and the
//! sink at 46–48 MB instead of 53–59 MB, at the same throughput
//! (docs/performance.md).

/// The threshold kept, in bytes: glibc's own starting value.
const MMAP_THRESHOLD: libc::c_int = 128 << 10;

/// Whether the environment already tunes glibc's mmap threshold, which
/// then stands.
fn tuned_by_environment(var: impl Fn(&str) -> Option<String>) -> bool {
    var("MALLOC_MMAP_THRESHOLD_").is_some()
        || var("GLIBC_TUNABLES").is_some_and(|t| t.contains("glibc.malloc.mmap_threshold"))
}

/// Keeps glibc's mmap threshold at 128 KiB unless the
/// environment sets it (`MALLOC_MMAP_THRESHOLD_`, or
/// `glibc.malloc.mmap_threshold` in `GLIBC_TUNABLES`). Call it first thing,
/// before other threads start. Returns whether the threshold was set here;
/// on other C libraries it does nothing.
pub fn keep_mmap_threshold() -> bool {
    if tuned_by_environment(|name| std::env::var(name).ok()) {
        return false;
    }
    set_mmap_threshold(MMAP_THRESHOLD)
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn set_mmap_threshold(bytes: libc::c_int) -> bool {
    // SAFETY: mallopt only changes a setting of the allocator, which it
    // guards with the allocator's own lock; it touches no memory of ours.
    unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, bytes) == 1 }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn set_mmap_threshold(_bytes: libc::c_int) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_threshold_set_in_the_environment_stands() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert!(tuned_by_environment(env(&[(
            "MALLOC_MMAP_THRESHOLD_",
            "65536"
        )])));
        assert!(tuned_by_environment(env(&[(
            "GLIBC_TUNABLES",
            "glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=262144"
        )])));
        assert!(!tuned_by_environment(env(&[(
            "GLIBC_TUNABLES",
            "glibc.malloc.arena_max=2"
        )])));
        assert!(!tuned_by_environment(env(&[("MALLOC_ARENA_MAX", "2")])));
    }
}

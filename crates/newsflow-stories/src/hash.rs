//! The one hash signatures use. It must give the same value in every
//! process and every release, because signatures and band keys are shared
//! between replicas through a store and kept there: std's hasher is seeded
//! per process and its algorithm may change.

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a over `bytes`, then [`mix`]ed.
pub(crate) fn bytes(bytes: &[u8]) -> u64 {
    mix(bytes.iter().fold(FNV_OFFSET, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(FNV_PRIME)
    }))
}

/// SplitMix64's finaliser: every input bit reaches every output bit, so
/// the top bits (the bin) and the low bits (the value) are independent.
pub(crate) fn mix(mut h: u64) -> u64 {
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// `h` extended by `next`, order-sensitive.
pub(crate) fn combine(h: u64, next: u64) -> u64 {
    mix(h.rotate_left(5) ^ next)
}

/// The hasher of maps keyed by band keys, which are [`mix`]ed already:
/// it passes the key through rather than hash it again with SipHash, which
/// was most of the index's cost.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used; anything else is still hashed, slowly.
        for &b in bytes {
            self.0 = combine(self.0, u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by band keys.
pub(crate) type BandMap<V> =
    std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<PassThrough>>;

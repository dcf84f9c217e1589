//! FNV-1a, the one string hash the NLP code uses for keys that must be the
//! same in every process (feature keys in model files, gazetteer keys,
//! model versions); std's hasher is seeded per process.

pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
pub(crate) const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a over `bytes`, one byte at a time.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_OFFSET, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(FNV_PRIME)
    })
}

/// FNV-style mixing eight bytes at a time, then a final avalanche: fast
/// on short strings, and well spread for the identity-hashed tables.
pub(crate) fn key(template: u8, parts: &[&str]) -> u64 {
    let mut h = FNV_OFFSET ^ u64::from(template);
    h = h.wrapping_mul(FNV_PRIME);
    for part in parts {
        let bytes = part.as_bytes();
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            h = (h ^ u64::from_le_bytes(word)).wrapping_mul(FNV_PRIME);
        }
        // the last bytes as a little-endian word, zero-padded, gathered
        // byte by byte: a copy of a variable length called memcpy for every
        // key (0.7% of an article's instructions saved)
        let tail = chunks
            .remainder()
            .iter()
            .rev()
            .fold(0u64, |t, &b| (t << 8) | u64::from(b));
        h = (h ^ tail ^ ((bytes.len() as u64) << 56)).wrapping_mul(FNV_PRIME);
        h = (h ^ 0xff).wrapping_mul(FNV_PRIME);
    }
    // avalanche (from MurmurHash3's finaliser) so low bits vary too
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The model files hold keys made by this function: its values must
    /// not move. These were worked out apart from this code (the same
    /// steps in Python), with tails of every length from 0 to 7 bytes.
    #[test]
    fn keys_are_those_the_models_were_trained_with() {
        let cases: [(u8, &[&str], u64); 10] = [
            (0, &[""][..], 0xa48f_96a0_cdd8_a782),
            (1, &["a"][..], 0x4289_8a46_c3e2_9e47),
            (2, &["putin"][..], 0x4e3f_c89b_99ec_6fc1),
            (3, &["Erdoğan"][..], 0x08d4_b80d_525c_f05e),
            (4, &["1996-08-30"][..], 0x9f13_7079_e9dc_3c8a),
            (5, &["internationalisation"][..], 0x8cd2_fd4b_3734_f9e1),
            (6, &["abc"][..], 0x320c_3091_cf7d_2301),
            (7, &["Mr.Smith-Jones"][..], 0x4db9_cdf8_8b6e_58ac),
            (8, &["johnson"][..], 0x91c6_8227_7a79_8961),
            (9, &["ÿ", "x", "Erdoğan"][..], 0x084c_335f_0ffd_77f6),
        ];
        for (template, parts, expected) in cases {
            assert_eq!(key(template, parts), expected, "{parts:?}");
        }
    }
}

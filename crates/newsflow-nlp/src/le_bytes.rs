//! Little-endian numbers read from the tables the build lays out, which
//! are embedded with no alignment guarantee: callers pass slices at least
//! as long as the number (a shorter one is a bug of the layout and panics).

pub(crate) fn le_u64(bytes: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&bytes[..8]);
    u64::from_le_bytes(b)
}

pub(crate) fn le_u32(bytes: &[u8]) -> u32 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&bytes[..4]);
    u32::from_le_bytes(b)
}

pub(crate) fn le_f32(bytes: &[u8]) -> f32 {
    f32::from_bits(le_u32(bytes))
}

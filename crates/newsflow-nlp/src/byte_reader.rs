//! A model file's little-endian fields, read in order (`build.rs` includes
//! this file too, for the models it lays out).

pub struct ByteReader<'a> {
    bytes: &'a [u8],
    at: usize,
    /// What a read past the end says.
    truncated: &'static str,
}

impl<'a> ByteReader<'a> {
    pub fn new(bytes: &'a [u8], truncated: &'static str) -> Self {
        ByteReader {
            bytes,
            at: 0,
            truncated,
        }
    }

    /// The bytes not read yet.
    pub fn rest(&self) -> &'a [u8] {
        &self.bytes[self.at..]
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or(self.truncated)?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub fn u32(&mut self) -> Result<u32, String> {
        self.array().map(u32::from_le_bytes)
    }

    pub fn u64(&mut self) -> Result<u64, String> {
        self.array().map(u64::from_le_bytes)
    }

    pub fn f32(&mut self) -> Result<f32, String> {
        self.array().map(f32::from_le_bytes)
    }
}

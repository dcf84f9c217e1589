//! One-permutation MinHash over word shingles.
//!
//! Each article becomes the set of its overlapping runs of
//! [`SHINGLE_WORDS`] words (lower-cased, punctuation dropped), and each run
//! is hashed once. The top bits of the hash pick one of [`BINS`] bins and
//! each bin keeps its least value: one hash per shingle instead of one per
//! permutation (Li, Owen and Zhang, "One Permutation Hashing", NIPS 2012).
//! A bin no shingle fell into borrows the value of the next filled bin to
//! its right, marked with the distance, so that two articles agree on it
//! exactly when they agree on the bin it borrowed from ("rotation"
//! densification, Shrivastava and Li, ICML 2014). The share of bins two
//! signatures agree on then estimates the Jaccard similarity of their
//! shingle sets; the bands of bins find candidates.
//!
//! A candidate is then judged by [`Signature::compare`] on 16-bit
//! fingerprints of the shingles themselves, all of them up to
//! [`FINGERPRINTS`]: the similarity and containment it counts are exact
//! but for chance agreements of fingerprints, which it subtracts, where
//! the bins' estimate has a standard deviation of 0.04 at 0.3. That is
//! what tells the same story from a related one at the margin.

use crate::hash;

/// Words per shingle: long enough that unrelated news rarely shares one,
/// short enough that an edited sentence still shares most of its shingles.
pub const SHINGLE_WORDS: usize = 5;

/// Bins of a signature. The estimate of a similarity `s` has a standard
/// deviation of about `sqrt(s (1 - s) / BINS)`: 0.044 at `s` = 0.5.
pub const BINS: usize = 128;

/// Bands of [`ROWS`] bins each (the last two bins are in none): two
/// articles share a band key with a probability of
/// `1 - (1 - s^ROWS)^BANDS` (0.68 at `s` = 0.3, 0.996 at 0.5, 0.13 at
/// 0.15), so an index of band keys finds near-copies, and most articles
/// of the same story, without comparing every pair. Four rows in 32 bands
/// found the same story at 0.3 with a probability of 0.23 only
/// (docs/stories.md).
pub const BANDS: usize = 42;

/// Bins per band.
pub const ROWS: usize = 3;

/// Bytes per bin in [`Signature::to_bytes`].
pub const STORED_BIN_BYTES: usize = 5;

/// Fingerprints kept at most: the smallest ones, so that two long articles
/// are compared on the same range of fingerprints, a uniform sample of
/// their shingles. 4 KiB; a news article has a few hundred shingles.
pub const FINGERPRINTS: usize = 2048;

const BIN_BITS: u32 = BINS.trailing_zeros();
const VALUE_MASK: u64 = 0xffff_ffff;
const EMPTY: u64 = u64::MAX;

/// An article's signature; empty for a text without words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// [`BINS`] values, or none. A value is a shingle hash's low 32 bits,
    /// plus the distance to the bin it was borrowed from in the high bits.
    bins: Vec<u64>,
    /// Distinct shingles: with the similarity, how much of the smaller
    /// article the larger one contains.
    shingles: u32,
    /// 16 bits of each distinct shingle's hash, sorted and deduplicated,
    /// the [`FINGERPRINTS`] smallest at most; none in a signature stored
    /// before they were (its pairs fall back on the bins' estimate).
    fingerprints: Vec<u16>,
}

impl Signature {
    /// The signature of `text`. A text shorter than a shingle is one
    /// shingle of all its words.
    pub fn of(text: &str) -> Signature {
        let mut shingles = shingles(text);
        if shingles.is_empty() {
            return Signature::empty();
        }
        let mut least = [EMPTY; BINS];
        for &h in &shingles {
            let bin = (h >> (64 - BIN_BITS)) as usize;
            least[bin] = least[bin].min(h & VALUE_MASK);
        }
        let bins = (0..BINS)
            .map(|i| {
                // At least one bin is filled: there is one shingle or more.
                let distance = (0..BINS)
                    .find(|d| least[(i + d) % BINS] != EMPTY)
                    .unwrap_or(0);
                least[(i + distance) % BINS] | ((distance as u64) << 32)
            })
            .collect();
        // One sort serves both: rotated so that the fingerprint's bits lead,
        // the hashes sort by fingerprint, and stay distinct exactly when
        // the hashes are.
        for h in &mut shingles {
            *h = h.rotate_left(FINGERPRINT_ROTATION);
        }
        shingles.sort_unstable();
        shingles.dedup();
        let mut fingerprints: Vec<u16> = shingles
            .iter()
            .map(|&h| fingerprint(h.rotate_right(FINGERPRINT_ROTATION)))
            .collect();
        fingerprints.dedup();
        fingerprints.truncate(FINGERPRINTS);
        Signature {
            bins,
            shingles: u32::try_from(shingles.len()).unwrap_or(u32::MAX),
            fingerprints,
        }
    }

    fn empty() -> Signature {
        Signature {
            bins: Vec::new(),
            shingles: 0,
            fingerprints: Vec::new(),
        }
    }

    /// The signature of an article: of its body, whose words say whether
    /// two articles are copies whatever their headlines; of its title when
    /// the body has no words.
    pub fn of_article(title: &str, body: &str) -> Signature {
        let body = Signature::of(body);
        if body.is_empty() {
            Signature::of(title)
        } else {
            body
        }
    }

    /// The bins, to store.
    pub fn bins(&self) -> &[u64] {
        &self.bins
    }

    /// The bins in [`STORED_BIN_BYTES`] bytes each (a shingle hash's 32
    /// bits, then the borrowing distance, which is below [`BINS`]), the
    /// count of distinct shingles in 4 bytes, then the fingerprints in 2
    /// bytes each; nothing for an empty signature.
    pub fn to_bytes(&self) -> Vec<u8> {
        if self.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::with_capacity(
            self.bins.len() * STORED_BIN_BYTES + 4 + 2 * self.fingerprints.len(),
        );
        for &bin in &self.bins {
            out.extend_from_slice(&(bin as u32).to_le_bytes());
            out.push((bin >> 32) as u8);
        }
        out.extend_from_slice(&self.shingles.to_le_bytes());
        for &f in &self.fingerprints {
            out.extend_from_slice(&f.to_le_bytes());
        }
        out
    }

    /// A signature from [`Signature::to_bytes`], or from the same without
    /// fingerprints as stored before they were; `None` for bytes of another
    /// shape.
    pub fn from_bytes(bytes: &[u8]) -> Option<Signature> {
        if bytes.is_empty() {
            return Some(Signature::empty());
        }
        let (bins, rest) = bytes.split_at_checked(BINS * STORED_BIN_BYTES)?;
        let (count, fingerprints) = rest.split_at_checked(4)?;
        let shingles = u32::from_le_bytes(count.try_into().ok()?);
        let bins = bins
            .chunks_exact(STORED_BIN_BYTES)
            .map(|b| {
                u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])) | (u64::from(b[4]) << 32)
            })
            .collect();
        if fingerprints.len() % 2 != 0 || fingerprints.len() / 2 > FINGERPRINTS {
            return None;
        }
        let fingerprints: Vec<u16> = fingerprints
            .chunks_exact(2)
            .map(|f| u16::from_le_bytes([f[0], f[1]]))
            .collect();
        // Comparing merges sorted lists.
        if !fingerprints.windows(2).all(|w| w[0] < w[1]) {
            return None;
        }
        Some(Signature {
            bins,
            shingles,
            fingerprints,
        })
    }

    /// Whether the text had no words.
    pub fn is_empty(&self) -> bool {
        self.shingles == 0
    }

    /// Jaccard similarity of the two articles' shingle sets
    /// ([`Signature::compare`]); 0 when either has no words.
    pub fn similarity(&self, other: &Signature) -> f64 {
        self.compare(other).0
    }

    /// Share of the smaller article's shingles that the other one has too
    /// ([`Signature::compare`]): near 1 when one article is the other with
    /// paragraphs added, as a reprint often is, however different their
    /// sizes; 0 when either has no words.
    pub fn containment(&self, other: &Signature) -> f64 {
        self.compare(other).1
    }

    /// The similarity and the containment of a pair, counted on their
    /// fingerprints. Both lists are cut to the range of fingerprints both
    /// kept whole, so that two long articles are compared on the same
    /// sample of shingles. Two distinct shingles share a fingerprint by
    /// chance one time in 65,536, and the agreements that chance explains
    /// are taken off. A signature stored without fingerprints is compared
    /// on the bins' estimate.
    pub fn compare(&self, other: &Signature) -> (f64, f64) {
        if self.is_empty() || other.is_empty() {
            return (0.0, 0.0);
        }
        if self.fingerprints.is_empty() || other.fingerprints.is_empty() {
            let similarity = self.estimated_similarity(other);
            return (similarity, self.containment_at(other, similarity));
        }
        self.counted().compare(other.counted())
    }

    /// The fingerprints and the shingle count, as an index may keep them
    /// apart from the bins.
    pub(crate) fn counted(&self) -> Counted<'_> {
        Counted {
            shingles: self.shingles,
            fingerprints: &self.fingerprints,
        }
    }

    /// Estimated Jaccard similarity from the bins, in steps of
    /// `1 / BINS`.
    fn estimated_similarity(&self, other: &Signature) -> f64 {
        let agree = self
            .bins
            .iter()
            .zip(&other.bins)
            .filter(|(a, b)| a == b)
            .count();
        agree as f64 / BINS as f64
    }

    /// Estimated containment, from an estimated similarity and the two
    /// shingle counts.
    fn containment_at(&self, other: &Signature, similarity: f64) -> f64 {
        let smaller = self.shingles.min(other.shingles);
        if smaller == 0 {
            return 0.0;
        }
        // |A ∩ B| = J (|A| + |B|) / (1 + J)
        let shared = similarity * (f64::from(self.shingles) + f64::from(other.shingles))
            / (1.0 + similarity);
        (shared / f64::from(smaller)).min(1.0)
    }

    /// The number of distinct shingles.
    pub fn shingle_count(&self) -> u32 {
        self.shingles
    }

    /// The [`BANDS`] band keys, each naming its band, for a
    /// locality-sensitive index; none for an empty signature.
    pub fn bands(&self) -> impl Iterator<Item = u64> + '_ {
        self.bins
            .chunks_exact(ROWS)
            .enumerate()
            .map(|(band, rows)| {
                rows.iter()
                    .fold(hash::mix(band as u64 + 1), |h, &v| hash::combine(h, v))
            })
    }
}

/// What a pair is compared on: an article's fingerprints and its count of
/// distinct shingles, which an index can keep without the rest of the
/// signature.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Counted<'a> {
    pub shingles: u32,
    pub fingerprints: &'a [u16],
}

impl Counted<'_> {
    /// Similarity and containment ([`Signature::compare`]); both have
    /// fingerprints.
    pub fn compare(self, other: Counted<'_>) -> (f64, f64) {
        let limit = self.limit().min(other.limit());
        let (a, b) = (
            up_to(self.fingerprints, limit),
            up_to(other.fingerprints, limit),
        );
        let agree = sorted_common(a, b) as f64;
        let (a, b) = (a.len() as f64, b.len() as f64);
        let by_chance = (a - agree) * (b - agree) / (f64::from(limit) + 1.0);
        let shared = (agree - by_chance).max(0.0);
        let union = a + b - shared;
        let similarity = if union > 0.0 { shared / union } else { 0.0 };
        // The smaller article by its whole count, measured on its sample.
        let smaller = if self.shingles <= other.shingles {
            a
        } else {
            b
        };
        let containment = if smaller > 0.0 {
            (shared / smaller).min(1.0)
        } else {
            0.0
        };
        (similarity, containment)
    }

    /// The largest fingerprint below which this article kept every one.
    fn limit(self) -> u16 {
        if self.fingerprints.len() < FINGERPRINTS {
            u16::MAX
        } else {
            self.fingerprints.last().copied().unwrap_or(u16::MAX)
        }
    }
}

/// A shingle's fingerprint: bits 32 to 47 of its hash, which neither the
/// bin (the top bits) nor the bin's value (the low 32) uses.
fn fingerprint(shingle: u64) -> u16 {
    (shingle >> 32) as u16
}

/// Bits a hash is rotated left by to bring its fingerprint to the top.
const FINGERPRINT_ROTATION: u32 = 16;

/// The values of sorted `list` at most `limit`.
fn up_to(list: &[u16], limit: u16) -> &[u16] {
    &list[..list.partition_point(|&x| x <= limit)]
}

/// How many values two sorted, deduplicated lists share.
fn sorted_common(a: &[u16], b: &[u16]) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common
}

/// The hashes of the shingles of `text`, in order, repeats included: what
/// a signature summarises, and what an exact Jaccard similarity is counted
/// over. A text shorter than a shingle is one shingle of all its words.
pub fn shingles(text: &str) -> Vec<u64> {
    let words = word_hashes(text);
    if words.is_empty() {
        return Vec::new();
    }
    words
        .windows(SHINGLE_WORDS.min(words.len()))
        .map(|shingle| shingle.iter().fold(0, |h, &w| hash::combine(h, w)))
        .collect()
}

/// Hashes of the words of `text`: runs of letters and digits, lower-cased,
/// so that capitals and punctuation do not tell copies apart.
fn word_hashes(text: &str) -> Vec<u64> {
    // about one word in six bytes of news prose
    let mut hashes = Vec::with_capacity(text.len() / 6);
    let mut word = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        // ASCII first: the same answers as the Unicode calls, without them
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else if !c.is_ascii() && c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            hashes.push(hash::bytes(word.as_bytes()));
            word.clear();
        }
    }
    hashes
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// Jaccard similarity of the two texts' shingle sets, counted exactly.
    fn jaccard(a: &str, b: &str) -> f64 {
        let set = |t: &str| shingles(t).into_iter().collect::<HashSet<u64>>();
        let (a, b) = (set(a), set(b));
        a.intersection(&b).count() as f64 / a.union(&b).count() as f64
    }

    /// A long article from numbered sentences, so that texts can share an
    /// exact number of them.
    fn article(sentences: impl Iterator<Item = usize>) -> String {
        sentences
            .map(|i| {
                // Every run of five words holds a word of this sentence
                // only, so articles share exactly the sentences they share.
                format!(
                    "Sentence {i} says council{i} met on day{i} to discuss item{i} of budget{i}."
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn stored_bytes_give_back_the_signature() {
        let signature = Signature::of(&article(0..30));
        let bytes = signature.to_bytes();
        assert_eq!(
            bytes.len(),
            BINS * STORED_BIN_BYTES + 4 + 2 * signature.fingerprints.len()
        );
        assert_eq!(Signature::from_bytes(&bytes), Some(signature.clone()));
        let empty = Signature::of("");
        assert_eq!(Signature::from_bytes(&empty.to_bytes()), Some(empty));
        assert_eq!(Signature::from_bytes(&bytes[1..]), None);
        assert_eq!(Signature::from_bytes(&bytes[..bytes.len() - 1]), None);
        // fingerprints out of order are not a signature of ours
        let mut shuffled = bytes.clone();
        let tail = shuffled.len() - 4;
        shuffled[tail..].rotate_left(2);
        assert_eq!(Signature::from_bytes(&shuffled), None);
        // a short text borrows bins from far away: distances survive
        let short = Signature::of("one two three four five six");
        assert!(short.bins().iter().any(|b| b >> 32 > 0));
        assert_eq!(Signature::from_bytes(&short.to_bytes()), Some(short));
    }

    #[test]
    fn copies_agree_whatever_their_capitals_and_punctuation() {
        let text = "Talks aim to avert pension strike. Union leaders met ministers on Monday.";
        let shouted = "TALKS AIM TO AVERT PENSION STRIKE -- union leaders met ministers, on Monday";
        assert_eq!(Signature::of(text).similarity(&Signature::of(text)), 1.0);
        assert_eq!(Signature::of(text), Signature::of(shouted));
    }

    #[test]
    fn words_are_letters_and_digits_lower_cased_in_any_script() {
        let expected: Vec<u64> = ["ça", "va", "são", "paulo", "2024", "ÿ", "straße", "δ"]
            .iter()
            .map(|w| hash::bytes(w.as_bytes()))
            .collect();
        assert_eq!(word_hashes("ÇA VA, São-Paulo\t2024 Ÿ…Straße Δ!"), expected);
    }

    #[test]
    fn the_estimate_follows_the_true_similarity() {
        let base = article(0..60);
        for (kept, added) in [(55, 0), (45, 5), (30, 10), (20, 40), (5, 55)] {
            let other = article((0..kept).chain(100..100 + added));
            let truth = jaccard(&base, &other);
            let (a, b) = (Signature::of(&base), Signature::of(&other));
            // the bins: four standard deviations of the estimate at 0.5
            let estimate = a.estimated_similarity(&b);
            assert!(
                (estimate - truth).abs() < 0.18,
                "kept {kept}, added {added}: estimate {estimate}, truth {truth}"
            );
            // the fingerprints: exact but for a chance agreement or two
            let counted = a.similarity(&b);
            assert!(
                (counted - truth).abs() < 0.01,
                "kept {kept}, added {added}: counted {counted}, truth {truth}"
            );
        }
    }

    #[test]
    fn long_articles_are_compared_on_the_same_sample() {
        // 5,000 shingles each, over the fingerprints kept: half shared
        let base = article(0..700);
        let other = article((0..350).chain(1000..1350));
        let (a, b) = (Signature::of(&base), Signature::of(&other));
        assert_eq!(a.fingerprints.len(), FINGERPRINTS);
        let truth = jaccard(&base, &other);
        let (similarity, containment) = a.compare(&b);
        assert!((similarity - truth).abs() < 0.03, "{similarity} {truth}");
        assert!((containment - 0.5).abs() < 0.05, "{containment}");
        // a short article inside a long one is contained in it
        let short = Signature::of(&article(100..130));
        let (similarity, containment) = short.compare(&a);
        assert!(similarity < 0.1, "{similarity}");
        assert!(containment > 0.9, "{containment}");
        assert_eq!(a.compare(&short), short.compare(&a));
    }

    #[test]
    fn signatures_stored_without_fingerprints_are_compared_on_the_bins() {
        let base = Signature::of(&article(0..60));
        let other = Signature::of(&article(0..50));
        let old = &other.to_bytes()[..BINS * STORED_BIN_BYTES + 4];
        let old = Signature::from_bytes(old).expect("the earlier layout reads");
        assert!(old.fingerprints.is_empty());
        assert_eq!(base.similarity(&old), base.estimated_similarity(&other));
        assert!(base.containment(&old) > 0.8, "{}", base.containment(&old));
    }

    #[test]
    fn unrelated_articles_are_far_apart() {
        let a = "Roddick beat Saulnier in straight sets to reach the San Jose final on Saturday.";
        let b = "The central bank left interest rates unchanged, citing slowing growth in exports.";
        assert!(Signature::of(a).similarity(&Signature::of(b)) < 0.05);
        assert_eq!(jaccard(a, b), 0.0);
    }

    #[test]
    fn near_copies_share_a_band_and_unrelated_ones_do_not() {
        let base = article(0..60);
        let edited = article((0..57).chain(200..203));
        let other = article(300..360);
        let bands = |t: &str| Signature::of(t).bands().collect::<HashSet<u64>>();
        assert_eq!(bands(&base).len(), BANDS);
        assert!(!bands(&base).is_disjoint(&bands(&edited)));
        assert!(bands(&base).is_disjoint(&bands(&other)));
    }

    #[test]
    fn texts_without_words_have_an_empty_signature() {
        for text in ["", "  ... -- !!"] {
            let signature = Signature::of(text);
            assert!(signature.is_empty());
            assert_eq!(signature.bands().count(), 0);
            assert_eq!(signature.similarity(&signature), 0.0);
        }
        // shorter than a shingle: one shingle of all its words
        let short = Signature::of("Markets rise");
        assert!(!short.is_empty());
        assert_eq!(short.similarity(&Signature::of("markets RISE!")), 1.0);
    }

    #[test]
    fn containment_sees_a_reprint_with_paragraphs_added() {
        let short = Signature::of(&article(0..20));
        let long = Signature::of(&article(0..40));
        assert!(short.similarity(&long) < 0.6, "{}", short.similarity(&long));
        assert!(
            short.containment(&long) > 0.9,
            "{}",
            short.containment(&long)
        );
        // half of it kept, the rest written anew: half contained
        let new_words: Vec<String> = (0..200).map(|i| format!("word{i}")).collect();
        let rewrite = Signature::of(&format!("{} {}", article(0..10), new_words.join(" ")));
        assert!(
            (short.containment(&rewrite) - 0.5).abs() < 0.05,
            "{}",
            short.containment(&rewrite)
        );
        assert_eq!(short.containment(&Signature::of("")), 0.0);
        assert!(short.shingle_count() > 200);
    }

    #[test]
    fn signatures_are_the_same_in_every_process_and_release() {
        // Signatures are shared through a store: a change of hash would
        // make every stored one useless. This pins the hash.
        let signature = Signature::of("Talks aim to avert pension strike");
        let digest = signature
            .bins()
            .iter()
            .fold(0u64, |h, &v| hash::combine(h, v));
        assert_eq!(digest, PINNED_DIGEST, "{digest:#x}");
    }

    const PINNED_DIGEST: u64 = 0x6364_991e_8ce3_30c1;
}

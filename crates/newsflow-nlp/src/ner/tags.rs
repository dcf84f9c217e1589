//! BILOU tags over the four CoNLL entity types, and conversion between tag
//! sequences and spans.

/// Entity types of the CoNLL-2003 scheme.
pub const TYPES: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

/// Number of tags: O plus B, I, L, U for each type.
pub const NUM_TAGS: usize = 1 + 4 * TYPES.len();

/// Position of a token in an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Begin,
    Inside,
    Last,
    Unit,
}

/// A tag as an index in `0..NUM_TAGS`: 0 is O; then B, I, L, U of PER, ORG,
/// LOC, MISC in turn.
pub type Tag = usize;

pub const O: Tag = 0;

pub fn tag(kind: usize, part: Part) -> Tag {
    1 + kind * 4
        + match part {
            Part::Begin => 0,
            Part::Inside => 1,
            Part::Last => 2,
            Part::Unit => 3,
        }
}

/// (type index, part) of a tag other than O.
pub fn parts(tag: Tag) -> Option<(usize, Part)> {
    if tag == O {
        return None;
    }
    let kind = (tag - 1) / 4;
    let part = match (tag - 1) % 4 {
        0 => Part::Begin,
        1 => Part::Inside,
        2 => Part::Last,
        _ => Part::Unit,
    };
    Some((kind, part))
}

#[cfg(test)]
pub fn name(tag: Tag) -> String {
    match parts(tag) {
        None => "O".into(),
        Some((kind, part)) => {
            let p = match part {
                Part::Begin => "B",
                Part::Inside => "I",
                Part::Last => "L",
                Part::Unit => "U",
            };
            format!("{p}-{}", TYPES[kind])
        }
    }
}

/// Whether `next` may follow `prev` in a well-formed BILOU sequence
/// (`None` is the sentence start).
pub fn allowed(prev: Option<Tag>, next: Tag) -> bool {
    let open = |t: Option<Tag>| match t.and_then(parts) {
        Some((kind, Part::Begin | Part::Inside)) => Some(kind),
        _ => None,
    };
    match (open(prev), parts(next)) {
        (Some(kind), Some((k, Part::Inside | Part::Last))) => k == kind,
        (Some(_), _) => false,
        (None, Some((_, Part::Inside | Part::Last))) => false,
        (None, _) => true,
    }
}

/// Whether a sequence may end on `tag`.
pub fn may_end(tag: Tag) -> bool {
    !matches!(parts(tag), Some((_, Part::Begin | Part::Inside)))
}

/// A typed run of tokens `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenSpan {
    pub kind: usize,
    pub start: usize,
    pub end: usize,
}

/// BILOU tags for `len` tokens holding `spans` (which must not overlap).
pub fn encode(len: usize, spans: &[TokenSpan]) -> Vec<Tag> {
    let mut tags = vec![O; len];
    for s in spans {
        if s.end - s.start == 1 {
            tags[s.start] = tag(s.kind, Part::Unit);
        } else {
            tags[s.start] = tag(s.kind, Part::Begin);
            for t in &mut tags[s.start + 1..s.end - 1] {
                *t = tag(s.kind, Part::Inside);
            }
            tags[s.end - 1] = tag(s.kind, Part::Last);
        }
    }
    tags
}

/// Spans of a tag sequence; ill-formed runs are repaired leniently (a B or
/// I that is not continued closes where it stops).
pub fn decode(tags: &[Tag]) -> Vec<TokenSpan> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, usize)> = None; // (kind, start)
    for (i, &t) in tags.iter().enumerate() {
        match parts(t) {
            None => {
                if let Some((kind, start)) = open.take() {
                    spans.push(TokenSpan {
                        kind,
                        start,
                        end: i,
                    });
                }
            }
            Some((kind, part)) => {
                let continues = matches!(open, Some((k, _)) if k == kind)
                    && matches!(part, Part::Inside | Part::Last);
                if !continues {
                    if let Some((k, start)) = open.take() {
                        spans.push(TokenSpan {
                            kind: k,
                            start,
                            end: i,
                        });
                    }
                    open = Some((kind, i));
                }
                if matches!(part, Part::Last | Part::Unit) {
                    if let Some((k, start)) = open.take() {
                        spans.push(TokenSpan {
                            kind: k,
                            start,
                            end: i + 1,
                        });
                    }
                }
            }
        }
    }
    if let Some((kind, start)) = open {
        spans.push(TokenSpan {
            kind,
            start,
            end: tags.len(),
        });
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_and_decode_round_trip() {
        let spans = vec![
            TokenSpan {
                kind: 0,
                start: 0,
                end: 3,
            },
            TokenSpan {
                kind: 2,
                start: 4,
                end: 5,
            },
        ];
        let tags = encode(6, &spans);
        assert_eq!(
            tags.iter().map(|&t| name(t)).collect::<Vec<_>>(),
            ["B-PER", "I-PER", "L-PER", "O", "U-LOC", "O"]
        );
        assert_eq!(decode(&tags), spans);
    }

    #[test]
    fn transitions_follow_bilou() {
        let b_per = tag(0, Part::Begin);
        assert!(allowed(None, b_per));
        assert!(!allowed(None, tag(0, Part::Inside)));
        assert!(allowed(Some(b_per), tag(0, Part::Last)));
        assert!(!allowed(Some(b_per), tag(1, Part::Last)));
        assert!(!allowed(Some(b_per), O));
        assert!(allowed(Some(tag(0, Part::Unit)), O));
        assert!(!may_end(b_per));
    }
}

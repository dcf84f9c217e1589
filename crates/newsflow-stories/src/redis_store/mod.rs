//! The shared story store, in Redis: what lets enricher replicas, each
//! reading other partitions, decide alike.
//!
//! Per article the store keeps its decision, its signature, story id and
//! event time, and its name in each of its band sets; a sorted set of
//! arrivals bounds the window. A decision takes two steps, each one Lua
//! script and so one round trip, atomic on the server:
//!
//! 1. `lookup.lua` returns the article's stored decision if there is one
//!    (a replay, a redelivery), else the window's articles that share a
//!    band with it, in arrival order, and the last arrival's number.
//! 2. The similarities are computed here, by the same rule as the
//!    in-process index; `commit.lua` then stores the decision, unless one
//!    was stored meanwhile (that one is returned: the first decision
//!    committed wins) or an article sharing a band arrived after the
//!    look-up (the look-up is repeated with it). Two replicas enriching
//!    near-copies at the same instant thus agree on which came first.
//!
//! Keys start with a prefix, so that several pipelines can share one
//! server. All of an article's keys are named from the prefix, so the
//! store runs on one Redis server (or a primary with replicas), not on a
//! cluster that spreads keys over shards.

use std::time::{Duration, Instant};

use newsflow_core::Story;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::Script;

use crate::decision::{decide_among, original, Candidate, Thresholds, Window, CANDIDATES_PER_BAND};
use crate::Signature;

/// The prefix of every key, unless told otherwise.
pub const DEFAULT_PREFIX: &str = "newsflow:stories:";

/// Look-ups repeated at most while other articles sharing a band keep
/// arriving in between.
const MAX_ATTEMPTS: usize = 8;

/// How long a request may take, connecting included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(2);

/// Why a decision could not be had from the store.
#[derive(Debug)]
pub struct StoreError {
    message: String,
    transient: bool,
}

impl StoreError {
    fn transient(message: String) -> Self {
        StoreError {
            message,
            transient: true,
        }
    }

    fn permanent(message: String) -> Self {
        StoreError {
            message,
            transient: false,
        }
    }

    /// Whether asking again later may succeed: the server is down, slow or
    /// busy. Otherwise the store holds what this version cannot read.
    pub fn is_transient(&self) -> bool {
        self.transient
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StoreError {}

impl From<redis::RedisError> for StoreError {
    fn from(e: redis::RedisError) -> Self {
        StoreError::transient(format!("the story store: {e}"))
    }
}

/// A decision, and how the store was used for it.
#[derive(Debug, Clone)]
pub struct Decided {
    /// What the article is.
    pub story: Story,
    /// Time spent waiting for the store.
    pub store_time: Duration,
    /// Round trips to the store.
    pub round_trips: usize,
}

/// A client of the shared story store. Cheap to share: requests from many
/// tasks go over one multiplexed connection, which is made on first use
/// and made again after the server goes away.
pub struct RedisStore {
    connection: ConnectionManager,
    prefix: String,
    thresholds: Thresholds,
    window: Window,
    lookup: Script,
    commit: Script,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .field("thresholds", &self.thresholds)
            .field("window", &self.window)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// A client of the server at `url` (`redis://host:port/db`); nothing
    /// is connected until the first decision, so a server that is down at
    /// start is waited for like one that goes down later.
    pub fn new(
        url: &str,
        prefix: &str,
        thresholds: Thresholds,
        window: Window,
    ) -> Result<Self, StoreError> {
        let client = redis::Client::open(url).map_err(|e| {
            StoreError::permanent(format!("the story store's address {url:?}: {e}"))
        })?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(REQUEST_TIMEOUT))
            .set_response_timeout(Some(REQUEST_TIMEOUT))
            // The caller retries, with the stage paused; a request must
            // not sit in the client's own retries meanwhile.
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(500));
        let connection = ConnectionManager::new_lazy_with_config(client, config)?;
        Ok(RedisStore {
            connection,
            prefix: prefix.to_string(),
            thresholds,
            window,
            lookup: Script::new(include_str!("lookup.lua")),
            commit: Script::new(include_str!("commit.lua")),
        })
    }

    /// Decides what article `id` is, given its signature and event time
    /// (seconds since 1970; `None`: the newest time the store has seen),
    /// or returns the decision stored for it before.
    pub async fn decide(
        &self,
        id: &str,
        signature: &Signature,
        event_time: Option<i64>,
    ) -> Result<Decided, StoreError> {
        let started = Instant::now();
        // An article without words is an original whenever it comes, as
        // in the in-process index; the store is not asked.
        if signature.is_empty() {
            return Ok(Decided {
                story: original(id),
                store_time: Duration::ZERO,
                round_trips: 0,
            });
        }
        let bands: Vec<String> = signature.bands().map(|b| format!("{b:016x}")).collect();
        let band_keys: Vec<String> = bands
            .iter()
            .map(|b| format!("{}b:{b}", self.prefix))
            .collect();
        let decision_key = format!("{}d:{id}", self.prefix);
        let entry_key = format!("{}a:{id}", self.prefix);
        let stored_signature = signature.to_bytes();
        let band_names = bands.join(" ");
        let mut connection = self.connection.clone();
        let mut round_trips = 0;
        for _ in 0..MAX_ATTEMPTS {
            let reply: Vec<Vec<u8>> = self
                .lookup
                .key(&decision_key)
                .key(&band_keys)
                .arg(&self.prefix)
                .arg(CANDIDATES_PER_BAND)
                .invoke_async(&mut connection)
                .await?;
            round_trips += 1;
            let seen = match parse_lookup(&reply)? {
                Lookup::Decided(story) => {
                    return Ok(Decided {
                        story,
                        store_time: started.elapsed(),
                        round_trips,
                    })
                }
                Lookup::Candidates(seen) => seen,
            };
            let event_time = event_time.unwrap_or(seen.newest.unwrap_or(0).max(0));
            let oldest = seen
                .newest
                .unwrap_or(event_time)
                .max(event_time)
                .saturating_sub(self.window.max_age_secs);
            let candidates = seen
                .candidates
                .iter()
                // out of the window, though not yet evicted
                .filter(|c| c.event_time >= oldest)
                .map(|c| Candidate::compared(signature, &c.signature, &c.id, &c.story_id));
            let story = decide_among(id, &self.thresholds, candidates);
            let json = serde_json::to_string(&story)
                .map_err(|e| StoreError::permanent(format!("cannot serialise a decision: {e}")))?;
            let reply: Vec<Vec<u8>> = self
                .commit
                .key(&decision_key)
                .key(&entry_key)
                .key(&band_keys)
                .arg(&self.prefix)
                .arg(id)
                .arg(json)
                .arg(&story.id)
                .arg(event_time)
                .arg(&stored_signature)
                .arg(&band_names)
                .arg(seen.sequence)
                .arg(self.window.max_articles.max(1))
                .arg(self.window.max_age_secs)
                .invoke_async(&mut connection)
                .await?;
            round_trips += 1;
            match reply.first().map(Vec::as_slice) {
                Some(b"d") => {
                    return Ok(Decided {
                        story: parse_story(reply.get(1))?,
                        store_time: started.elapsed(),
                        round_trips,
                    })
                }
                Some(b"r") => continue,
                _ => return Err(unexpected(&reply)),
            }
        }
        Err(StoreError::transient(format!(
            "other articles sharing a band with {id} kept arriving during {MAX_ATTEMPTS} look-ups"
        )))
    }

    /// Deletes every key under this store's prefix: for tests and for
    /// starting a window afresh.
    pub async fn clear(&self) -> Result<(), StoreError> {
        let mut connection = self.connection.clone();
        let pattern = format!("{}*", self.prefix);
        let mut cursor: u64 = 0;
        loop {
            let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(&pattern)
                .arg("COUNT")
                .arg(1000)
                .query_async(&mut connection)
                .await?;
            if !keys.is_empty() {
                redis::cmd("DEL")
                    .arg(&keys)
                    .query_async::<()>(&mut connection)
                    .await?;
            }
            if next == 0 {
                return Ok(());
            }
            cursor = next;
        }
    }

    /// Articles in the window.
    pub async fn articles(&self) -> Result<usize, StoreError> {
        let mut connection = self.connection.clone();
        Ok(redis::cmd("ZCARD")
            .arg(format!("{}order", self.prefix))
            .query_async(&mut connection)
            .await?)
    }
}

/// An earlier article as the store holds it.
struct Stored {
    id: String,
    story_id: String,
    event_time: i64,
    signature: Signature,
}

struct Seen {
    sequence: u64,
    newest: Option<i64>,
    candidates: Vec<Stored>,
}

enum Lookup {
    Decided(Story),
    Candidates(Seen),
}

fn parse_lookup(reply: &[Vec<u8>]) -> Result<Lookup, StoreError> {
    match reply.first().map(Vec::as_slice) {
        Some(b"d") => Ok(Lookup::Decided(parse_story(reply.get(1))?)),
        Some(b"c") if reply.len() >= 3 && (reply.len() - 3) % 4 == 0 => {
            let sequence = number(&reply[1]).ok_or_else(|| unexpected(reply))?;
            let newest = if reply[2].is_empty() {
                None
            } else {
                Some(number(&reply[2]).ok_or_else(|| unexpected(reply))?)
            };
            let candidates = reply[3..]
                .chunks_exact(4)
                .filter_map(|c| {
                    // An entry this version cannot read is left out of
                    // the comparison rather than stopping every decision.
                    Some(Stored {
                        id: String::from_utf8(c[0].clone()).ok()?,
                        story_id: String::from_utf8(c[1].clone()).ok()?,
                        event_time: number(&c[2])?,
                        signature: Signature::from_bytes(&c[3])?,
                    })
                })
                .collect();
            Ok(Lookup::Candidates(Seen {
                sequence,
                newest,
                candidates,
            }))
        }
        _ => Err(unexpected(reply)),
    }
}

fn parse_story(json: Option<&Vec<u8>>) -> Result<Story, StoreError> {
    let json = json.ok_or_else(|| StoreError::permanent("a decision without its value".into()))?;
    serde_json::from_slice(json).map_err(|e| {
        StoreError::permanent(format!(
            "a stored decision this version cannot read ({e}): {}",
            String::from_utf8_lossy(json)
        ))
    })
}

fn number<T: std::str::FromStr>(bytes: &[u8]) -> Option<T> {
    std::str::from_utf8(bytes).ok()?.parse().ok()
}

fn unexpected(reply: &[Vec<u8>]) -> StoreError {
    StoreError::permanent(format!(
        "an unexpected reply from the story store's script ({} parts)",
        reply.len()
    ))
}

//! One way to decide, whichever index holds the window: in process (one
//! process sees every article: `annotate`, `demo`, a lone enricher) or the
//! shared store (enricher replicas).

use std::sync::Mutex;
use std::time::Duration;

use crate::{Decided, MemoryIndex, RedisStore, Signature, StoreError};

/// Where decisions are made and kept.
#[derive(Debug)]
pub enum StoryIndex {
    /// In this process's memory: lost on restart, unseen by other replicas.
    InProcess(Mutex<MemoryIndex>),
    /// In a Redis server that the replicas share.
    Shared(RedisStore),
}

impl StoryIndex {
    /// Decides what article `id` is, or returns its earlier decision (see
    /// [`MemoryIndex::decide`] and [`RedisStore::decide`]).
    pub async fn decide(
        &self,
        id: &str,
        signature: &Signature,
        event_time: Option<i64>,
    ) -> Result<Decided, StoreError> {
        match self {
            StoryIndex::InProcess(index) => {
                // A panic elsewhere while holding the lock leaves the
                // index as consistent as any single decision does.
                let mut index = index.lock().unwrap_or_else(|p| p.into_inner());
                Ok(Decided {
                    story: index.decide(id, signature, event_time),
                    store_time: Duration::ZERO,
                    round_trips: 0,
                })
            }
            StoryIndex::Shared(store) => store.decide(id, signature, event_time).await,
        }
    }

    /// Whether decisions go over the network, and so can fail for a while.
    pub fn is_shared(&self) -> bool {
        matches!(self, StoryIndex::Shared(_))
    }
}

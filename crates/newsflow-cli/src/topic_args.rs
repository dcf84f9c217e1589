//! How a command that writes to topics creates the ones that are missing.

use clap::Args;

#[derive(Debug, Args)]
pub struct CreateTopicArgs {
    /// Partitions for a topic that has to be created.
    #[arg(long, env = "NEWSFLOW_PARTITIONS", default_value_t = 6)]
    pub partitions: i32,
    /// Replication factor for a topic that has to be created.
    #[arg(long, env = "NEWSFLOW_REPLICATION", default_value_t = 1)]
    pub replication: i32,
    /// Do not create topics that are missing.
    #[arg(long, env = "NEWSFLOW_NO_CREATE_TOPIC")]
    pub no_create_topic: bool,
}

impl CreateTopicArgs {
    /// `(partitions, replication)` for missing topics, unless they are
    /// not to be created.
    pub fn create(&self) -> Option<(i32, i32)> {
        (!self.no_create_topic).then_some((self.partitions, self.replication))
    }
}

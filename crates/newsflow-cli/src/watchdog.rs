//! Options of the watchdog that every consumer runs: stalled partitions,
//! and for group members, a member left without partitions.

use std::time::Duration;

use clap::Args;
use newsflow_kafka::Watchdog;

/// Partitions that stop moving (every consumer, replay included).
#[derive(Debug, Args)]
pub struct StallArgs {
    /// Report a partition stalled (log, newsflow_stalled_partitions,
    /// /readyz) once it stands this many seconds below its end with
    /// nothing holding it back.
    #[arg(
        long,
        env = "NEWSFLOW_STALL_TIMEOUT",
        value_name = "SECS",
        default_value_t = 120
    )]
    pub stall_timeout: u64,
    /// Dead-letter a stalled partition's offset, headers only, and read on
    /// from the next one. Off by default: a slow broker must not make a
    /// record disappear.
    #[arg(long, env = "NEWSFLOW_SKIP_UNREADABLE")]
    pub skip_unreadable: bool,
}

impl StallArgs {
    /// The watchdog of a command that reads by direct assignment (replay).
    pub fn watchdog(&self) -> Watchdog {
        Watchdog {
            stall_timeout: Duration::from_secs(self.stall_timeout.max(1)),
            skip_unreadable: self.skip_unreadable,
            ..Watchdog::default()
        }
    }
}

/// Consumer-group membership (enrich and sink; replay is in no group).
#[derive(Debug, Args)]
pub struct MembershipArgs {
    #[command(flatten)]
    pub stall: StallArgs,
    /// Rejoin the group after this many seconds without partitions while
    /// the group's partitions lag and nobody moves them. Default: three
    /// session timeouts.
    #[arg(long, env = "NEWSFLOW_REJOIN_AFTER", value_name = "SECS")]
    pub rejoin_after: Option<u64>,
    /// Exit non-zero when rejoining did not help (/healthz fails either
    /// way), for runs that have no probe to restart them.
    #[arg(long, env = "NEWSFLOW_EXIT_WHEN_STUCK")]
    pub exit_when_stuck: bool,
    /// Static group membership (group.instance.id, KIP-345): restarted
    /// under the same id within the session timeout, the member gets its
    /// partitions back without a rebalance; stopped for good, its
    /// partitions wait out the session timeout. Must be unique in the group.
    #[arg(long, env = "NEWSFLOW_INSTANCE_ID", value_name = "ID")]
    pub instance_id: Option<String>,
}

impl MembershipArgs {
    pub fn watchdog(&self) -> Watchdog {
        Watchdog {
            rejoin_after: self.rejoin_after.map(Duration::from_secs),
            exit_when_stuck: self.exit_when_stuck,
            ..self.stall.watchdog()
        }
    }
}

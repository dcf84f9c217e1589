//! How much work a consumer holds at once (enrich, replay and sink).

use clap::Args;
use newsflow_kafka::{InFlight, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_IN_FLIGHT_BYTES};

#[derive(Debug, Args)]
pub struct InFlightArgs {
    /// Records a partition may have in flight (being processed or not yet
    /// acknowledged downstream).
    #[arg(
        long,
        env = "NEWSFLOW_MAX_IN_FLIGHT",
        value_name = "RECORDS",
        default_value_t = DEFAULT_MAX_IN_FLIGHT
    )]
    pub max_in_flight: usize,
    /// Bytes of input records in flight across all partitions: bounds
    /// memory when records are large. A record larger than this goes
    /// through alone.
    #[arg(
        long,
        env = "NEWSFLOW_MAX_IN_FLIGHT_BYTES",
        value_name = "BYTES",
        default_value_t = DEFAULT_MAX_IN_FLIGHT_BYTES
    )]
    pub max_in_flight_bytes: usize,
}

impl InFlightArgs {
    pub fn in_flight(&self) -> InFlight {
        InFlight {
            records: self.max_in_flight.max(1),
            bytes: self.max_in_flight_bytes.max(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{parse_command as parse, Command};

    #[test]
    fn enrich_replay_and_sink_take_the_limits_through_to_their_options() {
        let flags = ["--max-in-flight", "16", "--max-in-flight-bytes", "65536"];
        let want = newsflow_kafka::InFlight {
            records: 16,
            bytes: 65536,
        };
        let enrich = parse(&[&["enrich"][..], &flags].concat());
        let Command::Enrich(enrich) = enrich else {
            panic!("not enrich")
        };
        assert_eq!(enrich.options().unwrap().in_flight, want);
        let replay = parse(&[&["replay", "--from", "earliest"][..], &flags].concat());
        let Command::Replay(replay) = replay else {
            panic!("not replay")
        };
        assert_eq!(replay.options().unwrap().in_flight, want);
        let sink = parse(&[&["sink", "--to", "jsonl:out"][..], &flags].concat());
        let Command::Sink(sink) = sink else {
            panic!("not sink")
        };
        assert_eq!(sink.options().in_flight, want);
    }

    #[test]
    fn the_defaults_are_the_pipeline_s_and_zero_means_one() {
        let Command::Sink(sink) = parse(&["sink", "--to", "jsonl:out"]) else {
            panic!("not sink")
        };
        assert_eq!(
            sink.options().in_flight,
            newsflow_kafka::InFlight::default()
        );
        let Command::Enrich(enrich) = parse(&["enrich", "--max-in-flight", "0"]) else {
            panic!("not enrich")
        };
        assert_eq!(enrich.options().unwrap().in_flight.records, 1);
    }
}

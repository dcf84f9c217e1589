//! Prometheus text exposition, written by hand: counters, gauges and
//! histograms with fixed buckets, enough for what newsflow reports and
//! without a registry to keep in step. What is exported is listed in
//! [`catalogue`].

pub mod catalogue;

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

/// A metric's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Only goes up.
    Counter,
    /// Goes up and down.
    Gauge,
    /// Observations counted into buckets.
    Histogram,
}

impl Kind {
    /// The name `# TYPE` gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Counter => "counter",
            Kind::Gauge => "gauge",
            Kind::Histogram => "histogram",
        }
    }
}

/// One metric family: what `# HELP` and `# TYPE` say, and its label names.
#[derive(Debug, Clone, Copy)]
pub struct Metric {
    /// `newsflow_…`, with `_total` for counters.
    pub name: &'static str,
    /// Its type.
    pub kind: Kind,
    /// Label names, in the order samples give them.
    pub labels: &'static [&'static str],
    /// One sentence for `# HELP`.
    pub help: &'static str,
}

/// Something that adds its metrics to a scrape.
pub trait Report: Send + Sync {
    /// Writes this reporter's families.
    fn report(&self, out: &mut Exposition);
}

/// A scrape being written.
#[derive(Default)]
pub struct Exposition {
    text: String,
}

impl Exposition {
    /// Starts a metric family: its `# HELP` and `# TYPE` lines.
    pub fn family(&mut self, metric: &Metric) {
        let Metric {
            name, kind, help, ..
        } = metric;
        let _ = writeln!(self.text, "# HELP {name} {help}");
        let _ = writeln!(self.text, "# TYPE {name} {}", kind.as_str());
    }

    /// One sample of a counter or gauge family; `labels` as pairs, values
    /// escaped here.
    pub fn sample(&mut self, metric: &Metric, labels: &[(&str, &str)], value: f64) {
        debug_assert!(
            labels
                .iter()
                .map(|(k, _)| *k)
                .eq(metric.labels.iter().copied()),
            "{} takes the labels {:?}",
            metric.name,
            metric.labels
        );
        self.line(metric.name, labels, value);
    }

    fn line(&mut self, name: &str, labels: &[(&str, &str)], value: f64) {
        self.text.push_str(name);
        if !labels.is_empty() {
            self.text.push('{');
            for (i, (key, val)) in labels.iter().enumerate() {
                if i > 0 {
                    self.text.push(',');
                }
                let _ = write!(self.text, "{key}=\"{}\"", escape(val));
            }
            self.text.push('}');
        }
        let _ = writeln!(self.text, " {value}");
    }

    /// A counter family with one sample.
    pub fn counter(&mut self, metric: &Metric, labels: &[(&str, &str)], value: u64) {
        debug_assert_eq!(metric.kind, Kind::Counter, "{}", metric.name);
        self.family(metric);
        self.sample(metric, labels, value as f64);
    }

    /// A gauge family with one sample.
    pub fn gauge(&mut self, metric: &Metric, labels: &[(&str, &str)], value: f64) {
        debug_assert_eq!(metric.kind, Kind::Gauge, "{}", metric.name);
        self.family(metric);
        self.sample(metric, labels, value);
    }

    /// The text of the scrape.
    pub fn finish(self) -> String {
        self.text
    }
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// A histogram with fixed upper bounds (plus `+Inf`).
pub struct Histogram {
    bounds: &'static [f64],
    /// Per bucket, not cumulative; the last one is `+Inf`.
    counts: Vec<AtomicU64>,
    /// The sum, in millionths of the unit, so that it fits an atomic.
    sum_micro: AtomicU64,
}

/// Seconds, from 100 µs to 30 s: processing and write latencies.
pub const LATENCY_BOUNDS: &[f64] = &[
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
    5.0, 10.0, 30.0,
];

/// Counts, from 1 to 5,000: batch sizes.
pub const SIZE_BOUNDS: &[f64] = &[
    1.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 5000.0,
];

impl Histogram {
    /// A histogram with these upper bounds, ascending.
    pub fn new(bounds: &'static [f64]) -> Self {
        Histogram {
            bounds,
            counts: (0..=bounds.len()).map(|_| AtomicU64::new(0)).collect(),
            sum_micro: AtomicU64::new(0),
        }
    }

    /// Counts one observation.
    pub fn observe(&self, value: f64) {
        let bucket = self
            .bounds
            .iter()
            .position(|&bound| value <= bound)
            .unwrap_or(self.bounds.len());
        self.counts[bucket].fetch_add(1, Ordering::Relaxed);
        let micro = (value.max(0.0) * 1e6).round() as u64;
        self.sum_micro.fetch_add(micro, Ordering::Relaxed);
    }

    /// Writes the family: cumulative buckets, sum and count.
    pub fn report(&self, out: &mut Exposition, metric: &Metric, labels: &[(&str, &str)]) {
        debug_assert_eq!(metric.kind, Kind::Histogram, "{}", metric.name);
        out.family(metric);
        let name = metric.name;
        let bucket_name = format!("{name}_bucket");
        let mut cumulative = 0u64;
        for (i, count) in self.counts.iter().enumerate() {
            cumulative += count.load(Ordering::Relaxed);
            let le = match self.bounds.get(i) {
                Some(bound) => bound.to_string(),
                None => "+Inf".to_string(),
            };
            let mut with_le: Vec<(&str, &str)> = labels.to_vec();
            with_le.push(("le", &le));
            out.line(&bucket_name, &with_le, cumulative as f64);
        }
        let sum = self.sum_micro.load(Ordering::Relaxed) as f64 / 1e6;
        out.line(&format!("{name}_sum"), labels, sum);
        out.line(&format!("{name}_count"), labels, cumulative as f64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative_and_end_in_inf() {
        let h = Histogram::new(&[1.0, 10.0]);
        for v in [0.5, 2.0, 3.0, 50.0] {
            h.observe(v);
        }
        let mut out = Exposition::default();
        let metric = Metric {
            name: "x_seconds",
            kind: Kind::Histogram,
            labels: &["stage"],
            help: "test",
        };
        h.report(&mut out, &metric, &[("stage", "enrich")]);
        let text = out.finish();
        assert!(
            text.contains("x_seconds_bucket{stage=\"enrich\",le=\"1\"} 1\n"),
            "{text}"
        );
        assert!(
            text.contains("x_seconds_bucket{stage=\"enrich\",le=\"10\"} 3\n"),
            "{text}"
        );
        assert!(
            text.contains("x_seconds_bucket{stage=\"enrich\",le=\"+Inf\"} 4\n"),
            "{text}"
        );
        assert!(
            text.contains("x_seconds_sum{stage=\"enrich\"} 55.5\n"),
            "{text}"
        );
        assert!(
            text.contains("x_seconds_count{stage=\"enrich\"} 4\n"),
            "{text}"
        );
        assert!(text.starts_with("# HELP x_seconds test\n# TYPE x_seconds histogram\n"));
    }

    #[test]
    fn label_values_are_escaped() {
        let mut out = Exposition::default();
        let metric = Metric {
            name: "g",
            kind: Kind::Gauge,
            labels: &["topic"],
            help: "help",
        };
        out.gauge(&metric, &[("topic", "a\"b\\c")], 1.0);
        assert!(out.finish().contains("g{topic=\"a\\\"b\\\\c\"} 1\n"));
    }
}

//! A member without partitions while its group's partitions lag and
//! nobody moves them rejoins, then reports itself stuck (`/healthz`, a
//! metric, and with `--exit-when-stuck` its exit code). A member beside a
//! progressing one, or in a caught-up group, never does.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use newsflow_tests::*;

/// A group member in the test process that holds its partitions and moves
/// none of them: it polls, so it stays in the group, and never commits.
/// Its client id sorts before newsflow's, so the range assignor gives it
/// the topic's one partition.
struct Holder {
    stop: Arc<AtomicBool>,
    assigned: Arc<AtomicUsize>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Holder {
    fn join(group: &str, topic: &str) -> Self {
        use rdkafka::consumer::{BaseConsumer, Consumer};
        let consumer: BaseConsumer = rdkafka::ClientConfig::new()
            .set("bootstrap.servers", brokers())
            .set("client.id", "a-holder")
            .set("group.id", group)
            .set("enable.auto.commit", "false")
            .set("session.timeout.ms", "6000")
            .set("heartbeat.interval.ms", "1000")
            .create()
            .expect("holder consumer");
        consumer.subscribe(&[topic]).expect("subscribe");
        let stop = Arc::new(AtomicBool::new(false));
        let assigned = Arc::new(AtomicUsize::new(0));
        let thread = {
            let (stop, assigned) = (stop.clone(), assigned.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let _ = consumer.poll(Duration::from_millis(100));
                    let count = consumer.assignment().map_or(0, |a| a.count());
                    assigned.store(count, Ordering::Relaxed);
                }
                // Leaving, not dying, hands the partition over at once.
                consumer.unsubscribe();
                let _ = consumer.poll(Duration::from_millis(500));
            })
        };
        let holder = Holder {
            stop,
            assigned,
            thread: Some(thread),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while holder.assigned.load(Ordering::Relaxed) == 0 {
            assert!(
                Instant::now() < deadline,
                "the holder never got the partition"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        holder
    }

    fn holds(&self) -> bool {
        self.assigned.load(Ordering::Relaxed) > 0
    }
}

impl Drop for Holder {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn articles(prefix: &str, n: usize) -> Vec<(String, Vec<u8>)> {
    (0..n)
        .map(|i| {
            (
                format!("{prefix}-{i}"),
                raw_article(&format!("{prefix}-{i}"), i),
            )
        })
        .collect()
}

/// The member got its (empty) assignment: a precondition of each test.
fn wait_for_empty_assignment(member: &mut Newsflow) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let log = member.log_text();
        if log.lines().any(|l| {
            l.contains(&format!("\"{PARTITIONS_ASSIGNED}\"")) && l.contains("\"partitions\":\"\"")
        }) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "precondition: no empty assignment; log:\n{log}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn wait_for_answer(port: u16, path: &str, status: u16, timeout: Duration) -> String {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some((got, body)) = http_get(port, path) {
            if got == status {
                return body;
            }
        }
        assert!(
            Instant::now() < deadline,
            "{path} never answered {status}: {:?}",
            http_get(port, path)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_idle_member_beside_a_member_that_moves_nothing_rejoins_recreates_then_reports_stuck() {
    let names = Names::new();
    create_topic(&names.raw, 1).await;
    produce(&names.raw, &articles("held", 30)).await;
    let holder = Holder::join(&names.group, &names.raw);

    let work = tempfile::tempdir().unwrap();
    let port = free_port();
    let http = format!("127.0.0.1:{port}");
    let args = names.enrich_args(&["--partitions", "1", "--rejoin-after", "8", "--http", &http]);
    let mut member = Newsflow::start(&args, work.path(), "enrich");
    wait_for_empty_assignment(&mut member);
    assert!(
        holder.holds(),
        "precondition: the holder keeps the partition"
    );

    // It rejoins, then recreates its consumer: counted, not just logged.
    scrape_until(port, Duration::from_secs(60), |s| {
        metric(s, "newsflow_consumer_recreations_total", &[]).unwrap_or(0.0) >= 1.0
    });
    let body = wait_for_answer(port, "/healthz", 503, Duration::from_secs(60));
    assert!(body.contains("stuck"), "{body}");
    let scrape = http_get(port, "/metrics").unwrap().1;
    assert_eq!(metric(&scrape, "newsflow_member_stuck", &[]), Some(1.0));
    assert!(metric(&scrape, "newsflow_group_rejoins_total", &[]).unwrap_or(0.0) >= 1.0);
    assert_eq!(
        metric(&scrape, "newsflow_consumer_recreations_total", &[]),
        Some(1.0),
        "one new consumer, then stuck"
    );
    assert!(
        member.is_running(),
        "without --exit-when-stuck it keeps going"
    );

    // The holder leaves: the member takes the partition and does the work.
    drop(holder);
    let out = read_topic_until(&names.enriched, Duration::from_secs(120), |r| {
        distinct_keys(r).len() >= 30
    });
    assert_eq!(distinct_keys(&out).len(), 30);
    wait_for_answer(port, "/healthz", 200, Duration::from_secs(30));
    assert_eq!(member.terminate(Duration::from_secs(60)), Some(0));
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_when_stuck_ends_the_process_with_an_error() {
    let names = Names::new();
    create_topic(&names.raw, 1).await;
    produce(&names.raw, &articles("exit", 5)).await;
    let holder = Holder::join(&names.group, &names.raw);
    let work = tempfile::tempdir().unwrap();
    let args = names.enrich_args(&[
        "--partitions",
        "1",
        "--rejoin-after",
        "8",
        "--exit-when-stuck",
    ]);
    let mut member = Newsflow::start(&args, work.path(), "enrich");
    wait_for_empty_assignment(&mut member);
    let deadline = Instant::now() + Duration::from_secs(120);
    while member.is_running() {
        assert!(Instant::now() < deadline, "{}", member.log_text());
        std::thread::sleep(Duration::from_millis(200));
    }
    // The member never had the partition. Its leaving makes the group
    // rebalance, which revokes the holder's partition for a moment, so the
    // holder is given a few seconds to have it back.
    let log = member.log_text();
    for line in log.lines() {
        let assigned = last_assignment(line).unwrap_or_default();
        assert!(assigned.is_empty(), "the member was given {assigned:?}");
    }
    let back = Instant::now() + Duration::from_secs(20);
    while !holder.holds() {
        assert!(Instant::now() < back, "the holder lost the partition");
        std::thread::sleep(Duration::from_millis(100));
    }
    let code = member.exit_code();
    assert!(code.is_some_and(|c| c != 0), "exit code {code:?}");
    assert!(log.contains("--exit-when-stuck"));
    let recreated = log
        .find("recreating the consumer")
        .expect("a new consumer is tried first");
    let gave_up = log.rfind("--exit-when-stuck").expect("the exit says why");
    assert!(recreated < gave_up, "{log}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_spare_member_beside_a_progressing_one_never_rejoins() {
    let names = Names::new();
    create_topic(&names.raw, 1).await;
    let work = tempfile::tempdir().unwrap();
    let ports = [free_port(), free_port()];
    let mut members: Vec<Newsflow> = ports
        .iter()
        .enumerate()
        .map(|(i, port)| {
            let http = format!("127.0.0.1:{port}");
            let args =
                names.enrich_args(&["--partitions", "1", "--rejoin-after", "6", "--http", &http]);
            Newsflow::start(&args, work.path(), &format!("member-{i}"))
        })
        .collect();
    // Precondition: one member has the partition, the other none.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let assignments: Vec<Option<Vec<i32>>> = members
            .iter()
            .map(|m| last_assignment(&m.log_text()))
            .collect();
        if assignments.contains(&Some(vec![0])) && assignments.contains(&Some(vec![])) {
            break;
        }
        assert!(Instant::now() < deadline, "precondition: {assignments:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
    // Articles keep coming for longer than several rejoin periods; the busy
    // member keeps up, so the group's offset keeps moving.
    for round in 0..12 {
        produce(&names.raw, &articles(&format!("r{round}"), 10)).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    // Then a caught-up group, for two more periods.
    read_topic_until(&names.enriched, Duration::from_secs(60), |r| {
        distinct_keys(r).len() >= 120
    });
    tokio::time::sleep(Duration::from_secs(12)).await;
    for (member, port) in members.iter_mut().zip(ports) {
        let scrape = http_get(port, "/metrics").unwrap().1;
        assert_eq!(
            metric(&scrape, "newsflow_group_rejoins_total", &[]),
            Some(0.0),
            "{}",
            member.log_text()
        );
        assert_eq!(http_get(port, "/healthz").map(|(s, _)| s), Some(200));
    }
}

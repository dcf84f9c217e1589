//! PostgreSQL for the tests: a fresh database per test on the server the
//! machine runs (`NEWSFLOW_TEST_POSTGRES`, default the local server with
//! trust authentication), and a TCP proxy in front of it that a test can
//! cut and restore to simulate an outage.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_postgres::{Client, NoTls};

/// The password in URLs through the proxy; never to appear in a log.
pub const PROXY_PASSWORD: &str = "pw-never-logged-5e1";

/// URL of a database on the server under test that always exists.
pub fn server_url() -> String {
    std::env::var("NEWSFLOW_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A connection to `url`, driven in the background.
pub async fn connect(url: &str) -> Client {
    let (client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .unwrap_or_else(|e| panic!("connecting to PostgreSQL at {url}: {e}"));
    tokio::spawn(async move {
        let _ = connection.await;
    });
    client
}

/// A database made for one test, dropped at the end of it.
pub struct TestDatabase {
    pub name: String,
    client: Client,
}

impl TestDatabase {
    pub async fn create() -> Self {
        let name = crate::unique("nf").replace('-', "_");
        let admin = connect(&server_url()).await;
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .expect("creating the test database");
        let client = connect(&Self::url_of(&name, None)).await;
        TestDatabase { name, client }
    }

    /// The database's URL, through `port` instead of the server's own when
    /// given (the proxy).
    fn url_of(name: &str, port: Option<u16>) -> String {
        let base = server_url();
        let (server, _) = base.rsplit_once('/').expect("URL ends in /DATABASE");
        match port {
            None => format!("{server}/{name}"),
            Some(port) => {
                let (user_host, _) = server.rsplit_once(':').expect("URL has a port");
                let (user, _) = user_host.rsplit_once('@').expect("URL has user@host");
                // A password the server (trust authentication) ignores, so
                // that tests can check it is never logged.
                let user = match user.rsplit_once(':') {
                    Some((scheme_user, _)) if scheme_user.contains("//") => user.to_string(),
                    _ => format!("{user}:{PROXY_PASSWORD}"),
                };
                format!("{user}@127.0.0.1:{port}/{name}")
            }
        }
    }

    pub fn url(&self) -> String {
        Self::url_of(&self.name, None)
    }

    pub fn url_via(&self, proxy: &TcpProxy) -> String {
        Self::url_of(&self.name, Some(proxy.port))
    }

    pub async fn count(&self, sql: &str) -> i64 {
        self.client
            .query_one(sql, &[])
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .get(0)
    }

    /// The one timestamp `sql` selects.
    pub async fn timestamp(&self, sql: &str) -> chrono::DateTime<chrono::Utc> {
        self.client
            .query_one(sql, &[])
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .get(0)
    }

    /// Rows in `articles`, 0 before the sink made the table.
    pub async fn articles(&self) -> i64 {
        let exists = self
            .count("SELECT count(*) FROM pg_tables WHERE tablename = 'articles'")
            .await;
        if exists == 0 {
            return 0;
        }
        self.count("SELECT count(*) FROM articles").await
    }

    pub async fn ids(&self) -> Vec<String> {
        self.client
            .query("SELECT id FROM articles ORDER BY id", &[])
            .await
            .expect("ids")
            .iter()
            .map(|r| r.get(0))
            .collect()
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Waits until `articles` holds `n` rows; panics with `context()` after
    /// `timeout`.
    pub async fn wait_for_articles(&self, n: i64, timeout: Duration, context: impl Fn() -> String) {
        let deadline = Instant::now() + timeout;
        loop {
            let got = self.articles().await;
            if got == n {
                return;
            }
            assert!(
                got < n,
                "{got} articles, more than the {n} expected\n{}",
                context()
            );
            assert!(
                Instant::now() < deadline,
                "{got} of {n} articles after {timeout:?}\n{}",
                context()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs outside async code at the end of a test: a thread with
        // its own runtime does the cleanup.
        let _ = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async {
                if let Ok((client, connection)) =
                    tokio_postgres::connect(&server_url(), NoTls).await
                {
                    tokio::spawn(connection);
                    let _ = client
                        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                }
            });
        })
        .join();
    }
}

/// Forwards a local port to the PostgreSQL server. `cut` closes the
/// listener and every open connection (the database "goes away");
/// `restore` listens again on the same port.
pub struct TcpProxy {
    pub port: u16,
    target: String,
    running: Mutex<Option<(watch::Sender<bool>, JoinHandle<()>)>>,
}

impl TcpProxy {
    pub async fn start() -> Arc<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("proxy port");
        let port = listener.local_addr().expect("proxy address").port();
        let base = server_url();
        let host_port = base
            .rsplit_once('@')
            .and_then(|(_, rest)| rest.split_once('/'))
            .map(|(hp, _)| hp.to_string())
            .expect("URL has @HOST:PORT/");
        let proxy = Arc::new(TcpProxy {
            port,
            target: host_port,
            running: Mutex::new(None),
        });
        proxy.serve(listener);
        proxy
    }

    fn serve(&self, listener: TcpListener) {
        let (stop, stopped) = watch::channel(false);
        let target = self.target.clone();
        let task = tokio::spawn(async move {
            let mut connections = Vec::new();
            let mut stop_signal = stopped.clone();
            loop {
                tokio::select! {
                    _ = stop_signal.changed() => break,
                    accepted = listener.accept() => {
                        let Ok((client, _)) = accepted else { continue };
                        let target = target.clone();
                        let mut stopped = stopped.clone();
                        connections.push(tokio::spawn(async move {
                            let Ok(server) = TcpStream::connect(&target).await else { return };
                            let (mut client, mut server) = (client, server);
                            tokio::select! {
                                _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                                _ = stopped.changed() => {}
                            }
                        }));
                    }
                }
            }
            // Dropping the listener and the streams closes every socket.
            drop(listener);
            for connection in connections {
                let _ = connection.await;
            }
        });
        *self.running.lock().expect("proxy state") = Some((stop, task));
    }

    /// Closes the port and every connection through it.
    pub async fn cut(&self) {
        let running = self.running.lock().expect("proxy state").take();
        if let Some((stop, task)) = running {
            let _ = stop.send(true);
            let _ = task.await;
        }
    }

    /// Listens on the same port again.
    pub async fn restore(&self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port))
            .await
            .expect("the proxy port is free again");
        self.serve(listener);
    }
}

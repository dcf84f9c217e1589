//! What can go wrong talking to PostgreSQL, and whose fault it is.

use deadpool_postgres::PoolError;

/// An error from the pool or from PostgreSQL.
#[derive(Debug)]
pub(crate) enum DbError {
    Pool(PoolError),
    Postgres(tokio_postgres::Error),
}

impl From<PoolError> for DbError {
    fn from(e: PoolError) -> Self {
        DbError::Pool(e)
    }
}

impl From<tokio_postgres::Error> for DbError {
    fn from(e: tokio_postgres::Error) -> Self {
        DbError::Postgres(e)
    }
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbError::Pool(e) => write!(f, "{e}"),
            // tokio-postgres keeps the server's message in the source.
            DbError::Postgres(e) => match e.as_db_error() {
                Some(db) => write!(f, "{}: {}", db.code().code(), db.message()),
                None => match std::error::Error::source(e) {
                    Some(source) => write!(f, "{e}: {source}"),
                    None => write!(f, "{e}"),
                },
            },
        }
    }
}

impl DbError {
    /// Whether the fault is the data's: then retrying cannot help, and the
    /// rows go to the dead-letter topic. Everything else (connections,
    /// timeouts, the server's state, credentials, a conflict with another
    /// transaction, even a missing table) is waited out, so that no record
    /// is dead-lettered for what an operator can mend.
    pub(crate) fn is_data_error(&self) -> bool {
        match self {
            DbError::Pool(PoolError::Backend(e)) | DbError::Postgres(e) => is_data_error(e),
            DbError::Pool(_) => false,
        }
    }
}

fn is_data_error(e: &tokio_postgres::Error) -> bool {
    match e.as_db_error() {
        // 21 cardinality violation, 22 data exception, 23 integrity
        // constraint violation, 54 program limit exceeded (a value too large
        // to index, say).
        Some(db) => ["21", "22", "23", "54"]
            .iter()
            .any(|class| db.code().code().starts_with(class)),
        // A value this client could not encode for the server.
        None => e.to_string().starts_with("error serializing"),
    }
}

//! Versioned schema migrations, applied by the sink itself at start.
//!
//! Each migration runs once, in its own transaction, in version order; the
//! versions applied are recorded in `newsflow_schema_migrations`. An
//! advisory lock serialises sinks that start at the same moment, so only one
//! of them migrates and the others find the work done.

use anyhow::Context as _;
use tokio_postgres::Client;

pub struct Migration {
    pub version: i32,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration, oldest first. Released migrations are never edited:
/// changes come as a new one.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "articles, entities, topics",
        sql: include_str!("migrations/0001_initial.sql"),
    },
    Migration {
        version: 2,
        name: "views: top entities, entity articles, topic counts",
        sql: include_str!("migrations/0002_views.sql"),
    },
    Migration {
        version: 3,
        name: "articles.truncated",
        sql: include_str!("migrations/0003_truncated.sql"),
    },
    Migration {
        version: 4,
        name: "articles.story_id and story_kind; views: stories, story counts",
        sql: include_str!("migrations/0004_stories.sql"),
    },
];

/// Arbitrary but fixed: the key of the advisory lock taken while migrating.
const LOCK_KEY: i64 = 0x6e65_7773_666c_6f77; // "newsflow"

/// Brings the database up to the newest schema; returns the versions it
/// applied.
pub async fn migrate(client: &mut Client) -> anyhow::Result<Vec<i32>> {
    client
        .execute("SELECT pg_advisory_lock($1)", &[&LOCK_KEY])
        .await
        .context("taking the migration lock")?;
    let result = apply_pending(client).await;
    // The lock also goes when the session ends; unlocking is a courtesy.
    let _ = client
        .execute("SELECT pg_advisory_unlock($1)", &[&LOCK_KEY])
        .await;
    result
}

async fn apply_pending(client: &mut Client) -> anyhow::Result<Vec<i32>> {
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS newsflow_schema_migrations (
                 version    integer PRIMARY KEY,
                 name       text NOT NULL,
                 applied_at timestamptz NOT NULL DEFAULT now()
             )",
        )
        .await
        .context("creating newsflow_schema_migrations")?;
    let current: i32 = client
        .query_one(
            "SELECT coalesce(max(version), 0) FROM newsflow_schema_migrations",
            &[],
        )
        .await?
        .get(0);
    let newest = MIGRATIONS.last().map_or(0, |m| m.version);
    if current > newest {
        anyhow::bail!(
            "the database schema is at version {current}, newer than this newsflow knows \
             ({newest}); run a newer newsflow"
        );
    }
    let mut applied = Vec::new();
    for migration in MIGRATIONS.iter().filter(|m| m.version > current) {
        let transaction = client.transaction().await?;
        transaction
            .batch_execute(migration.sql)
            .await
            .with_context(|| {
                format!(
                    "applying migration {} ({})",
                    migration.version, migration.name
                )
            })?;
        transaction
            .execute(
                "INSERT INTO newsflow_schema_migrations (version, name) VALUES ($1, $2)",
                &[&migration.version, &migration.name],
            )
            .await?;
        transaction.commit().await?;
        tracing::info!(
            version = migration.version,
            name = migration.name,
            "schema migration applied"
        );
        applied.push(migration.version);
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_increase_by_one_from_one() {
        for (i, migration) in MIGRATIONS.iter().enumerate() {
            assert_eq!(migration.version, i as i32 + 1, "{}", migration.name);
        }
    }
}

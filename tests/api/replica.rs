//! A real streaming replica (`scripts/replica.sh`: a primary and a `pg_basebackup` standby of
//! the test's own): queries are read on the replica, writes go to the primary, a writer reads
//! its own writes at once, and reads move to the primary when the replica falls behind or
//! goes away.

use std::time::{Duration, Instant};

use mosaic_tests::{ReplicaPair, TestApp};
use serde_json::{Value, json};
use sqlx::{Connection, Executor, PgConnection};

const ACRONYM: &str = "query($id: ID!) { node(id: $id) { ... on Organisation { acronym } } }";

/// Query operations answered by `database` (`primary` or `replica`), from `/metrics`.
async fn reads(app: &TestApp, database: &str) -> u64 {
    let text = app.get("/metrics").await.text().await.expect("metrics");
    let line = format!("mosaic_db_reads_total{{database=\"{database}\"}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(line.as_str()))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// The organisation's acronym as `token`'s caller reads it, and which database answered.
async fn acronym_read(app: &TestApp, token: &str, id: &Value) -> (Value, &'static str) {
    let before = reads(app, "replica").await;
    let answer = app.gql_as(Some(token), ACRONYM, json!({ "id": id })).await;
    assert!(answer["errors"].is_null(), "{answer}");
    let on = if reads(app, "replica").await > before {
        "replica"
    } else {
        "primary"
    };
    (answer["data"]["node"]["acronym"].clone(), on)
}

/// Reads as `token` until `done` holds of what it read and where, for at most `seconds`.
async fn read_until(
    app: &TestApp,
    token: &str,
    id: &Value,
    seconds: u64,
    done: impl Fn(&Value, &str) -> bool,
) -> (Value, &'static str) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    loop {
        let (acronym, on) = acronym_read(app, token, id).await;
        if done(&acronym, on) || Instant::now() > deadline {
            return (acronym, on);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn replay(pair: &ReplicaPair, action: &str) {
    let url = format!(
        "postgres://postgres@127.0.0.1:{}/postgres",
        pair.replica_port
    );
    let mut replica = PgConnection::connect(&url).await.expect("the replica");
    replica
        .execute(sqlx::AssertSqlSafe(format!(
            "SELECT pg_wal_replay_{action}()"
        )))
        .await
        .expect("replay is paused or resumed");
    // A pause is a request: wait until replay has stopped.
    let wanted = if action == "pause" {
        "paused"
    } else {
        "not paused"
    };
    for _ in 0..100 {
        let state: String = sqlx::query_scalar("SELECT pg_get_wal_replay_pause_state()")
            .fetch_one(&mut replica)
            .await
            .expect("the pause state");
        if state == wanted {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("replay never became {wanted}");
}

#[tokio::test]
async fn reads_go_to_the_replica_writes_to_the_primary_and_writers_read_their_own() {
    let Some(pair) = ReplicaPair::start() else {
        return;
    };
    let app = TestApp::spawn_on(Some(pair.primary()), |c| {
        c.database_read_url = Some(pair.on_replica(&c.database_url));
        // Wide, so that the stale read below comes well within it on a loaded machine.
        c.replica_max_lag = Duration::from_secs(8);
    })
    .await;
    let admin = app.token("ADMIN", &[], None);
    let viewer = app.token("VIEWER", &[], None);
    let organisation = app
        .data(
            "{ organisations(first: 1) { nodes { id acronym version } } }",
            json!({}),
        )
        .await["organisations"]["nodes"][0]
        .clone();
    let id = organisation["id"].clone();

    // Once the replica has replayed the seed, it answers queries.
    let (_, on) = read_until(&app, &viewer, &id, 20, |_, on| on == "replica").await;
    assert_eq!(on, "replica", "the replica never served a read");

    // With replay paused, a write goes to the primary (the replica refuses writes) and its
    // writer reads it at once; another caller still reads the replica, within the lag allowed.
    replay(&pair, "pause").await;
    let updated = app
        .gql_as(
            Some(&admin),
            "mutation($i: UpdateOrganisationInput!) { updateOrganisation(input: $i) { organisation { acronym } } }",
            json!({ "i": { "id": id, "expectedVersion": organisation["version"], "acronym": "RPL" } }),
        )
        .await;
    assert_eq!(
        updated["data"]["updateOrganisation"]["organisation"]["acronym"], "RPL",
        "{updated}"
    );
    let written = Instant::now();
    assert_eq!(
        acronym_read(&app, &admin, &id).await,
        (json!("RPL"), "primary"),
        "the writer reads its own write"
    );
    let (stale, on) = acronym_read(&app, &viewer, &id).await;
    assert!(
        written.elapsed() < Duration::from_secs(6),
        "the machine took too long to test the lag allowed"
    );
    assert_eq!((stale, on), (organisation["acronym"].clone(), "replica"));

    // Further behind than the lag allowed, the replica serves no one.
    let (fresh, on) = read_until(&app, &viewer, &id, 30, |a, _| a == "RPL").await;
    assert_eq!((fresh, on), (json!("RPL"), "primary"));

    // Caught up again, it serves reads again.
    replay(&pair, "resume").await;
    let (read, on) = read_until(&app, &viewer, &id, 15, |_, on| on == "replica").await;
    assert_eq!((read, on), (json!("RPL"), "replica"));

    // Gone, its reads are answered by the primary, the first one included: none fails.
    pair.stop("replica");
    for _ in 0..5 {
        let (read, on) = acronym_read(&app, &viewer, &id).await;
        assert_eq!((read, on), (json!("RPL"), "primary"));
    }
}

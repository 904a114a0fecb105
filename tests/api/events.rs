//! The event hub under the subscriptions, against the suite's real database: a notice staged in
//! a transaction that rolls back never reaches a listener, one that commits does. On
//! PostgreSQL this goes through a real LISTEN connection and NOTIFY.

use std::time::Duration;

use chrono::Utc;
use mosaic::events::{self, Events, Notice};
use mosaic_tests::TestApp;
use sea_orm::TransactionTrait;
use tokio::time::timeout;
use uuid::Uuid;

fn notice(seats_taken: i64) -> Notice {
    Notice {
        kind: events::Kind::RegistrationChanged,
        workshop: Uuid::new_v4(),
        project: Uuid::new_v4(),
        country: "SE".to_owned(),
        seats_taken,
        seat_keys: 0,
        at: Utc::now(),
    }
}

async fn publish(app: &TestApp, hub: &Events, notice: Notice) -> anyhow::Result<()> {
    let txn = app.db.begin().await?;
    let staged = hub.stage(&txn, notice).await?;
    hub.commit(txn, staged).await?;
    Ok(())
}

#[tokio::test]
async fn a_rolled_back_write_emits_nothing_and_a_committed_one_arrives() -> anyhow::Result<()> {
    let app = TestApp::spawn().await;
    let hub = if app.postgres {
        let channel = format!("mosaic_test_{}", Uuid::new_v4().simple());
        let hub = Events::postgres(channel.clone());
        tokio::spawn(events::listen(
            app.config.database_url.clone(),
            channel,
            hub.clone(),
        ));
        hub
    } else {
        Events::in_process()
    };
    let mut heard = hub.subscribe();

    // Wait until the listener is connected: a committed probe comes back.
    let mut connected = false;
    for _ in 0..50 {
        publish(&app, &hub, notice(-1)).await?;
        if let Ok(Ok(_)) = timeout(Duration::from_millis(200), heard.recv()).await {
            connected = true;
            break;
        }
    }
    assert!(connected, "the listener never heard a committed notice");

    // Staged, then the transaction is dropped without commit: rolled back.
    let txn = app.db.begin().await?;
    let _staged = hub.stage(&txn, notice(100)).await?;
    txn.rollback().await?;

    publish(&app, &hub, notice(200)).await?;
    // Probes still in flight may come first; the first other notice must be the committed one.
    let next = loop {
        let next = timeout(Duration::from_secs(10), heard.recv()).await??;
        if next.seats_taken != -1 {
            break next;
        }
    };
    assert_eq!(
        next.seats_taken, 200,
        "the rolled-back notice was delivered"
    );
    Ok(())
}

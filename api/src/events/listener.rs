//! The one PostgreSQL connection per instance that LISTENs for workshop events and passes
//! them to this instance's subscribers, and counts every other write (`Events::changed`). It
//! reconnects by itself after the database restarts; notices sent while it was away are lost
//! (subscribers see the state again with the next, and the response cache keeps nothing
//! meanwhile).

use std::time::Duration;

use sqlx::postgres::PgListener;

use super::{Events, Notice};

/// Runs until the process ends: listens on `channel` of the database at `url`.
pub async fn listen(url: String, channel: String, events: Events) {
    let mut backoff = Duration::from_millis(250);
    loop {
        match PgListener::connect(&url).await {
            Ok(mut listener) => match listener.listen(&channel).await {
                Ok(()) => {
                    tracing::info!(%channel, "listening for workshop events");
                    backoff = Duration::from_millis(250);
                    events.set_hearing(true);
                    receive(&mut listener, &events).await;
                    events.set_hearing(false);
                }
                Err(error) => tracing::warn!(%error, "cannot LISTEN for workshop events"),
            },
            Err(error) => tracing::warn!(%error, "event listener cannot connect; retrying"),
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(10));
    }
}

/// Passes notifications on until the connection is lost.
async fn receive(listener: &mut PgListener, events: &Events) {
    loop {
        match listener.try_recv().await {
            // Any other write: nothing to deliver, but the data changed.
            Ok(Some(notification)) if notification.payload().is_empty() => events.changed(),
            Ok(Some(notification)) => {
                match serde_json::from_str::<Notice>(notification.payload()) {
                    Ok(notice) => events.deliver(notice),
                    Err(error) => tracing::warn!(%error, "unreadable workshop event ignored"),
                }
            }
            Ok(None) => {
                tracing::warn!("event listener lost its connection; reconnecting");
                return;
            }
            Err(error) => {
                tracing::warn!(%error, "event listener failed; reconnecting");
                return;
            }
        }
    }
}

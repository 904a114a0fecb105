//! `workshopEvents`: the subscription frontends use to show seats filling up and schedules
//! changing. Each notice (see `crate::events`) is checked against the filter in memory, then
//! the workshop is read with the subscriber's own visibility condition: an event about a
//! workshop the subscriber may not see is never sent.

use std::sync::Arc;

use async_graphql::{Context, Enum, ErrorExtensions, ID, InputObject, SimpleObject, Subscription};
use entity::workshop;
use futures_util::Stream;
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use tokio::sync::broadcast::{self, error::RecvError};
use uuid::Uuid;

use crate::access;
use crate::auth::Caller;
use crate::domain::cell_key;
use crate::error::{ApiError, ApiResult};
use crate::events::{self, Events, Notice};
use crate::graphql::context::request;
use crate::graphql::filters;
use crate::graphql::scalars::DateTime;
use crate::graphql::workshop::Workshop;
use crate::ids::Kind;

/// What happened to a workshop.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum WorkshopEventKind {
    /// A workshop was added.
    Created,
    /// Its title, times, capacity or other details changed.
    Updated,
    /// It was cancelled (only those who manage the project see cancelled workshops).
    Cancelled,
    /// Someone registered, cancelled, moved up from the waiting list or attended.
    RegistrationChanged,
}

impl From<events::Kind> for WorkshopEventKind {
    fn from(kind: events::Kind) -> Self {
        match kind {
            events::Kind::Created => Self::Created,
            events::Kind::Updated => Self::Updated,
            events::Kind::Cancelled => Self::Cancelled,
            events::Kind::RegistrationChanged => Self::RegistrationChanged,
        }
    }
}

/// Which workshops to hear about; fields combine with AND, list values with OR. Empty: every
/// workshop you may see.
#[derive(InputObject, Default)]
pub struct WorkshopEventFilter {
    /// Only workshops of these projects (global ids).
    pub projects: Option<Vec<ID>>,
    /// Countries of the workshops' projects (ISO codes).
    pub countries: Option<Vec<String>>,
    /// Only these workshops (global ids).
    pub workshops: Option<Vec<ID>>,
}

/// A change to a workshop, sent after it was committed.
#[derive(SimpleObject)]
pub struct WorkshopEvent {
    /// What happened.
    pub kind: WorkshopEventKind,
    /// The workshop as it is now, as you may see it.
    pub workshop: Workshop,
    /// Seats taken (registered or attended) right after this change; perturbed as
    /// `Workshop.seatsTaken` is unless you may read the workshop's personal data.
    pub seats_taken: i64,
    /// When the change was made (UTC).
    pub occurred_at: DateTime,
}

/// The filter with its ids decoded once.
struct Wanted {
    projects: Option<Vec<Uuid>>,
    countries: Option<Vec<String>>,
    workshops: Option<Vec<Uuid>>,
}

impl Wanted {
    fn parse(filter: WorkshopEventFilter) -> ApiResult<Self> {
        Ok(Self {
            projects: filter
                .projects
                .map(|ids| filters::ids("filter.projects", &ids, Kind::Project))
                .transpose()?,
            countries: filter
                .countries
                .map(|codes| filters::countries("filter.countries", &codes))
                .transpose()?,
            workshops: filter
                .workshops
                .map(|ids| filters::ids("filter.workshops", &ids, Kind::Workshop))
                .transpose()?,
        })
    }

    fn matches(&self, notice: &Notice) -> bool {
        self.projects
            .as_ref()
            .is_none_or(|p| p.contains(&notice.project))
            && self
                .countries
                .as_ref()
                .is_none_or(|c| c.contains(&notice.country))
            && self
                .workshops
                .as_ref()
                .is_none_or(|w| w.contains(&notice.workshop))
    }
}

#[derive(Default)]
pub struct Subscription;

/// Live updates, over WebSocket on `/graphql` (`graphql-transport-ws`).
#[Subscription]
impl Subscription {
    /// Changes to workshops you may see, as they are committed: over WebSocket on `/graphql`
    /// (`graphql-transport-ws`; legacy `graphql-ws` too), with your token in the
    /// `connection_init` payload as `{"Authorization": "Bearer …"}`. A subscriber that falls
    /// more than 256 events behind gets one `SUBSCRIBER_TOO_SLOW` error and is ended.
    async fn workshop_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which workshops to hear about; every one you may see when left out.")]
        filter: Option<WorkshopEventFilter>,
    ) -> async_graphql::Result<
        impl Stream<Item = Result<WorkshopEvent, async_graphql::Error>> + use<>,
    > {
        let rc = request(ctx)?;
        let wanted = Wanted::parse(filter.unwrap_or_default())?;
        let hub = ctx.data::<Events>().map_err(ApiError::internal)?;
        let watch = Watch {
            notices: hub.subscribe(),
            wanted,
            caller: rc.caller.clone(),
            db: rc.db.clone(),
            done: false,
        };
        Ok(futures_util::stream::unfold(
            watch,
            |mut watch| async move {
                let item = watch.next().await?;
                Some((item, watch))
            },
        ))
    }
}

/// One subscriber's view of the notices.
struct Watch {
    notices: broadcast::Receiver<Arc<Notice>>,
    wanted: Wanted,
    caller: Caller,
    db: DatabaseConnection,
    done: bool,
}

impl Watch {
    /// The next event this subscriber may see; `None` ends the subscription.
    async fn next(&mut self) -> Option<Result<WorkshopEvent, async_graphql::Error>> {
        if self.done {
            return None;
        }
        loop {
            let notice = match self.notices.recv().await {
                Ok(notice) => notice,
                Err(RecvError::Closed) => return None,
                Err(RecvError::Lagged(missed)) => {
                    self.done = true;
                    tracing::warn!(missed, "subscriber too slow; ending its subscription");
                    return Some(Err(too_slow(missed)));
                }
            };
            if !self.wanted.matches(&notice) {
                continue;
            }
            match self.visible(notice.workshop).await {
                Ok(Some(found)) => {
                    let seats_taken = match self.manages(notice.project).await {
                        Ok(true) => notice.seats_taken,
                        Ok(false) => cell_key::published(notice.seats_taken, notice.seat_keys),
                        Err(error) => return Some(Err(error.into())),
                    };
                    return Some(Ok(WorkshopEvent {
                        kind: notice.kind.into(),
                        workshop: Workshop(found),
                        seats_taken,
                        occurred_at: DateTime(notice.at),
                    }));
                }
                Ok(None) => continue,
                Err(error) => return Some(Err(error.into())),
            }
        }
    }

    /// Whether the subscriber may read the project's personal data, and so its exact counts.
    async fn manages(&self, project: Uuid) -> ApiResult<bool> {
        Ok(entity::project::Entity::find_by_id(project)
            .filter(access::managed_projects(&self.caller))
            .count(&self.db)
            .await?
            > 0)
    }

    async fn visible(&self, id: Uuid) -> ApiResult<Option<workshop::Model>> {
        Ok(workshop::Entity::find_by_id(id)
            .filter(access::workshops(&self.caller))
            .one(&self.db)
            .await?)
    }
}

fn too_slow(missed: u64) -> async_graphql::Error {
    async_graphql::Error::new(format!(
        "this subscription fell {missed} events behind and was ended; subscribe again"
    ))
    .extend_with(|_, e| e.set("code", "SUBSCRIBER_TOO_SLOW"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice() -> Notice {
        Notice {
            kind: events::Kind::RegistrationChanged,
            workshop: Uuid::new_v4(),
            project: Uuid::new_v4(),
            country: "SE".to_owned(),
            seats_taken: 1,
            seat_keys: 0,
            at: chrono::Utc::now(),
        }
    }

    /// A subscriber that does not keep up is told once and ended; the hub never buffers more
    /// than `BACKLOG` notices for it.
    #[tokio::test]
    async fn a_subscriber_that_falls_behind_is_told_once_and_ended() -> Result<(), sea_orm::DbErr> {
        let hub = Events::in_process();
        let Ok(wanted) = Wanted::parse(WorkshopEventFilter::default()) else {
            panic!("an empty filter is valid");
        };
        let mut watch = Watch {
            notices: hub.subscribe(),
            wanted,
            caller: Caller::anonymous(),
            db: sea_orm::Database::connect("sqlite::memory:").await?,
            done: false,
        };
        for _ in 0..events::BACKLOG + 10 {
            hub.deliver(notice());
        }
        let error = match watch.next().await {
            Some(Err(error)) => error,
            _ => panic!("expected the too-slow error first"),
        };
        let code = error
            .extensions
            .as_ref()
            .and_then(|e| e.get("code"))
            .cloned();
        assert_eq!(
            code,
            Some(async_graphql::Value::from("SUBSCRIBER_TOO_SLOW"))
        );
        assert!(
            error.message.contains("10 events behind"),
            "{}",
            error.message
        );
        assert!(
            watch.next().await.is_none(),
            "the subscription ends after the error"
        );
        Ok(())
    }

    #[test]
    fn the_filter_combines_fields_with_and_and_values_with_or() {
        let n = notice();
        let other = Uuid::new_v4();
        let wanted = |projects: Option<Vec<Uuid>>, countries: Option<Vec<&str>>| Wanted {
            projects,
            countries: countries.map(|c| c.into_iter().map(str::to_owned).collect()),
            workshops: None,
        };
        assert!(wanted(None, None).matches(&n));
        assert!(wanted(Some(vec![other, n.project]), None).matches(&n));
        assert!(wanted(Some(vec![n.project]), Some(vec!["FI", "SE"])).matches(&n));
        assert!(!wanted(Some(vec![n.project]), Some(vec!["FI"])).matches(&n));
        assert!(!wanted(Some(vec![other]), None).matches(&n));
    }
}

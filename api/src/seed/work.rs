//! Projects and the rows of their work, as both the programme's seed and the synthetic one
//! build them, and the multi-row insert that writes every seed row.

use entity::{
    funding, project, project_classification, project_participant, project_region, registration,
    workshop,
};
use sea_orm::{ConnectionTrait, EntityTrait, Iterable};

use super::Summary;

/// Bound parameters per statement: under SQLite's 32 766 and PostgreSQL's 65 535.
const MAX_PARAMETERS: usize = 30_000;

/// Projects with their regions, participants, classifications, fundings, workshops and
/// registrations: written together, in an order that keeps every foreign key valid.
#[derive(Default)]
pub(super) struct WorkRows {
    pub projects: Vec<project::ActiveModel>,
    pub project_regions: Vec<project_region::ActiveModel>,
    pub participants: Vec<project_participant::ActiveModel>,
    pub classifications: Vec<project_classification::ActiveModel>,
    pub fundings: Vec<funding::ActiveModel>,
    pub workshops: Vec<workshop::ActiveModel>,
    pub registrations: Vec<registration::ActiveModel>,
}

impl WorkRows {
    /// Adds what these rows hold to `summary`.
    pub fn count_into(&self, summary: &mut Summary) {
        summary.projects += self.projects.len();
        summary.fundings += self.fundings.len();
        summary.workshops += self.workshops.len();
        summary.registrations += self.registrations.len();
    }

    /// Writes the rows; a parent project must come before its sub-projects in `projects`.
    pub async fn write(self, db: &impl ConnectionTrait) -> anyhow::Result<()> {
        insert(db, self.projects).await?;
        insert(db, self.project_regions).await?;
        insert(db, self.participants).await?;
        insert(db, self.classifications).await?;
        insert(db, self.fundings).await?;
        insert(db, self.workshops).await?;
        insert(db, self.registrations).await
    }
}

/// Multi-row inserts, as many rows per statement as the parameter limit allows.
pub(super) async fn insert<E, A>(db: &impl ConnectionTrait, rows: Vec<A>) -> anyhow::Result<()>
where
    E: EntityTrait,
    A: sea_orm::ActiveModelTrait<Entity = E> + Send,
{
    let per_statement = (MAX_PARAMETERS / E::Column::iter().count().max(1)).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<A> = rows.by_ref().take(per_statement).collect();
        E::insert_many(batch).exec_without_returning(db).await?;
    }
    Ok(())
}

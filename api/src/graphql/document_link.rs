//! Documents and links: action plans, reports, toolkits, websites of projects, programmes,
//! resource centres and workshops, seen as their owner is seen.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, ID, Object};
use entity::document_link;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::access;
use crate::error::{ApiError, ApiResult};
use crate::graphql::context::load_all;
use crate::graphql::enums::DocumentCategory;
use crate::graphql::loaders::{Loaders, hash_by_id};
use crate::graphql::record::{Record, Recorded};
use crate::graphql::scalars::Date;
use crate::graphql::{global_id, text};
use crate::ids::Kind;

/// What a link belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner {
    Project,
    Programme,
    ResourceCentre,
    Workshop,
}

impl Owner {
    pub fn column(self) -> document_link::Column {
        match self {
            Self::Project => document_link::Column::ProjectId,
            Self::Programme => document_link::Column::ProgrammeId,
            Self::ResourceCentre => document_link::Column::ResourceCentreId,
            Self::Workshop => document_link::Column::WorkshopId,
        }
    }

    /// What `row` belongs to.
    pub fn of(row: &document_link::Model) -> Option<(Self, Uuid)> {
        [
            (Self::Project, row.project_id),
            (Self::Programme, row.programme_id),
            (Self::ResourceCentre, row.resource_centre_id),
            (Self::Workshop, row.workshop_id),
        ]
        .into_iter()
        .find_map(|(owner, id)| id.map(|id| (owner, id)))
    }
}

/// The links of one owner, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentsOf(pub Owner, pub Uuid);
hash_by_id!(DocumentsOf, |key| key.1);

/// One statement per kind of owner asked for, under the caller's visibility.
impl Loader<DocumentsOf> for Loaders {
    type Value = Arc<Vec<document_link::Model>>;
    type Error = ApiError;

    async fn load(&self, keys: &[DocumentsOf]) -> ApiResult<HashMap<DocumentsOf, Self::Value>> {
        let mut by_owner: HashMap<Owner, Vec<Uuid>> = HashMap::new();
        for key in keys {
            by_owner.entry(key.0).or_default().push(key.1);
        }
        let mut found: HashMap<DocumentsOf, Vec<document_link::Model>> = HashMap::new();
        for (owner, ids) in by_owner {
            let rows = document_link::Entity::find()
                .filter(owner.column().is_in(ids))
                .filter(access::document_links(&self.caller))
                .order_by_asc(document_link::Column::Position)
                .order_by_asc(document_link::Column::Id)
                .all(&self.db)
                .await?;
            for row in rows {
                if let Some((owner, id)) = Owner::of(&row) {
                    found.entry(DocumentsOf(owner, id)).or_default().push(row);
                }
            }
        }
        Ok(found.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
    }
}

/// The links of `owner` `id` the caller may see.
pub async fn documents_of(
    ctx: &Context<'_>,
    owner: Owner,
    id: Uuid,
) -> ApiResult<Vec<DocumentLink>> {
    load_all(ctx, DocumentsOf(owner, id), DocumentLink).await
}

/// A document or link: an action plan, a report, a toolkit, a website, a presentation, a
/// film.
#[derive(Clone)]
pub struct DocumentLink(pub document_link::Model);

/// A document or link of a project, programme, resource centre or workshop: an action plan, a
/// report, a toolkit, a website, a presentation, a film. Seen exactly as its owner is seen.
#[Object]
impl DocumentLink {
    /// Opaque global id, stable over time.
    pub async fn id(&self) -> ID {
        global_id::encode_uuid(Kind::DocumentLink, self.0.id)
    }

    /// An http(s) address; null when the sources name the document but give no address.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }

    #[graphql(flatten)]
    async fn title(&self) -> text::TranslatedTitle<'_> {
        text::TranslatedTitle::of(&self.0.title, &self.0.language)
    }

    /// What kind of document it is.
    async fn category(&self) -> DocumentCategory {
        self.0.category
    }

    /// The language of the document itself (ISO 639-1), e.g. `sl`.
    async fn document_language(&self) -> Option<&str> {
        self.0.document_language.as_deref()
    }

    /// When it was published.
    async fn date(&self) -> Option<Date> {
        self.0.published_on.map(Date)
    }

    #[graphql(flatten)]
    async fn record(&self) -> Record {
        self.0.record()
    }
}

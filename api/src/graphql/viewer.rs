//! `viewer`: who the API thinks you are.

use async_graphql::{Context, ID, Object};

use crate::auth::{AuthMethod, Caller};
use crate::error::ApiResult;
use crate::graphql::context::request;
use crate::graphql::enums::Role;
use crate::graphql::global_id;
use crate::graphql::organisation::Organisation;
use crate::ids::Kind;

pub struct Viewer(Caller);

/// Who the API takes you for: signed in or not, with which role, countries and organisation.
#[Object]
impl Viewer {
    /// A stable id for you (the same for every request with your credentials), so that a
    /// client cache keeps one viewer per person; every anonymous caller shares one.
    async fn id(&self) -> ID {
        use base64::Engine as _;
        let who = match (self.0.role(), self.0.subject()) {
            (Some(role), Some(subject)) => format!("Viewer:{role:?}:{subject}"),
            _ => "Viewer:anonymous".to_owned(),
        };
        ID(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(who))
    }

    /// Whether the request carried valid credentials.
    async fn authenticated(&self) -> bool {
        self.0.method() != AuthMethod::Anonymous
    }

    /// The token's subject; `null` when anonymous.
    async fn subject(&self) -> Option<String> {
        self.0.subject()
    }

    /// `null` when anonymous.
    async fn role(&self) -> Option<Role> {
        self.0.role()
    }

    /// ISO codes of the countries you act for: a coordinator's, or those an API token is
    /// confined to. Empty for everyone else (a `countries` claim of other roles grants nothing).
    async fn countries(&self) -> &[String] {
        self.0.countries()
    }

    /// Your organisation (partners and their API tokens); null for everyone else.
    async fn organisation(&self, ctx: &Context<'_>) -> ApiResult<Option<Organisation>> {
        let Some(id) = self.0.organisation() else {
            return Ok(None);
        };
        Organisation::by_id(ctx, id, "viewer.organisation").await
    }

    /// Global id of your organisation (partners); the same as `organisation.id`.
    async fn organisation_id(&self) -> Option<ID> {
        self.0
            .organisation()
            .map(|id| global_id::encode_uuid(Kind::Organisation, id))
    }
}

#[derive(Default)]
pub struct ViewerQuery;

#[Object]
impl ViewerQuery {
    /// Who you are, as far as this API is concerned (works anonymously too).
    async fn viewer(&self, ctx: &Context<'_>) -> ApiResult<Viewer> {
        Ok(Viewer(request(ctx)?.caller.clone()))
    }
}

//! `viewer`: who the API thinks you are.

use async_graphql::{Context, ID, Object};

use crate::auth::{AuthMethod, Caller};
use crate::error::ApiResult;
use crate::graphql::context::request;
use crate::graphql::enums::Role;
use crate::graphql::global_id;
use crate::ids::Kind;

pub struct Viewer(Caller);

/// Who the API takes you for: signed in or not, with which role, countries and organisation.
#[Object]
impl Viewer {
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
        self.0.role().map(Role::from)
    }

    /// ISO codes of the countries you act for: a coordinator's, or those an API token is
    /// confined to. Empty for everyone else (a `countries` claim of other roles grants nothing).
    async fn countries(&self) -> &[String] {
        self.0.countries()
    }

    /// Global id of your organisation (partners).
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

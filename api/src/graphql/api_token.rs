//! Partner API tokens: issued by admins (any organisation) and coordinators (organisations in
//! their countries); the secret is shown once and only its digest kept.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::api_token;
use mosaic_macros::paged;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::access;
use crate::domain::text::string_list;
use crate::error::{ApiError, ApiResult};
use crate::graphql::connection::fetch_ordered;
use crate::graphql::context::request;
use crate::graphql::enums::Role;
use crate::graphql::ordering::{ApiTokenOrderField, Order};
use crate::graphql::organisation::Organisation;
use crate::graphql::pagination::PageArgs;
use crate::graphql::scalars::DateTime;
use crate::graphql::writing::committed;
use crate::graphql::{filters, global_id};
use crate::ids::{self, Kind};
use crate::writes::api_token::{self as tokens, NewToken};

#[derive(Clone)]
pub struct ApiToken(pub api_token::Model);

/// A partner system's API token: it acts as PARTNER of its organisation, confined to
/// `countryScope` when that is set. Its secret is never shown again.
#[Object]
impl ApiToken {
    /// Opaque global id, for `revokeApiToken`.
    pub async fn id(&self) -> ID {
        global_id::encode_uuid(Kind::ApiToken, self.0.id)
    }

    /// When it last changed, to the millisecond: every write sets it. Partner systems sync by
    /// asking their list for `updatedSince` the latest value they hold.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }

    /// What the token is for, e.g. "Diversity Hub CRM".
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The organisation the token acts for.
    async fn organisation(&self, ctx: &Context<'_>) -> ApiResult<Option<Organisation>> {
        Organisation::by_id(ctx, self.0.organisation_id, "api_token.organisation").await
    }

    /// The role the token acts with (always PARTNER).
    async fn role(&self) -> Role {
        self.0.role
    }

    /// The only countries whose projects the token may act on; `null`: every project its
    /// organisation takes part in. A coordinator's token is always confined to (some of) the
    /// coordinator's countries, so it never reaches further than its issuer.
    async fn country_scope(&self) -> Option<Vec<String>> {
        self.0.country_scope.as_ref().map(string_list)
    }

    /// Scopes recorded with the token; tokens from `issueApiToken` have none, and what they
    /// may do follows from `role` and `countryScope`.
    async fn scopes(&self) -> Vec<String> {
        string_list(&self.0.scopes)
    }

    /// When it stops working; null: never.
    async fn expires_at(&self) -> Option<DateTime> {
        self.0.expires_at.map(DateTime)
    }

    /// When it was revoked; null while it has not been.
    async fn revoked_at(&self) -> Option<DateTime> {
        self.0.revoked_at.map(DateTime)
    }

    /// When it was last used, to the nearest few minutes.
    async fn last_used_at(&self) -> Option<DateTime> {
        self.0.last_used_at.map(DateTime)
    }

    /// When it was issued.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// A token to issue: ADMIN for any organisation, COORDINATOR for organisations in its
/// countries (FORBIDDEN otherwise).
#[derive(InputObject)]
pub struct IssueApiTokenInput {
    /// The organisation the token acts for.
    pub organisation: ID,
    /// What the token is for, e.g. "Diversity Hub CRM"; 1 to 200 characters.
    pub name: String,
    /// The countries whose projects the token may act on (ISO codes). Coordinators may grant
    /// only their own countries and default to all of them; admins default to no confinement
    /// (every project the organisation takes part in).
    pub countries: Option<Vec<String>>,
    /// When it stops working; `null` for never.
    pub expires_at: Option<DateTime>,
}

/// A token just issued, with its secret: shown in this answer only, never stored.
#[derive(SimpleObject)]
pub struct IssueApiTokenPayload {
    /// The token issued.
    pub token: ApiToken,
    /// The secret, shown this once: send it as `Authorization: Bearer <secret>`.
    pub secret: String,
}

/// Which token to revoke.
#[derive(InputObject)]
pub struct RevokeApiTokenInput {
    /// Global id of a token you manage; any other answers NOT_FOUND.
    pub id: ID,
}

/// The token after revocation.
#[derive(SimpleObject)]
pub struct RevokeApiTokenPayload {
    /// The token, with `revokedAt` set; revoking it again changes nothing.
    pub token: ApiToken,
}

/// Which API tokens to list; each field given narrows the list.
#[derive(InputObject, Default)]
pub struct ApiTokenFilter {
    /// Ids of the organisations whose tokens to list, any of them.
    pub organisations: Option<Vec<ID>>,
    /// Those changed (issued or revoked) at or after this instant (`updatedAt >=
    /// updatedSince`).
    pub updated_since: Option<DateTime>,
}

#[derive(Default)]
pub struct ApiTokenQuery;

#[paged]
#[Object]
impl ApiTokenQuery {
    /// API tokens you manage (never their secrets), oldest first: all for admins, those of
    /// organisations in their countries for coordinators.
    async fn api_tokens(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which tokens; left out, all you manage.")] filter: Option<ApiTokenFilter>,
        #[graphql(desc = "The order, most significant key first; oldest first when left out.")]
        order_by: Option<Vec<Order<ApiTokenOrderField>>>,
        args: PageArgs,
    ) -> ApiResult<ApiTokenConnection> {
        let rc = request(ctx)?;
        access::require_signed_in(&rc.caller)?;
        let Some(managed) = access::api_tokens(&rc.caller) else {
            return Err(access::forbidden(
                "only coordinators and admins manage API tokens",
            ));
        };
        let filter = filter.unwrap_or_default();
        let mut select = api_token::Entity::find().filter(managed);
        if let Some(organisations) = &filter.organisations {
            let ids = filters::ids("filter.organisations", organisations, Kind::Organisation)?;
            select = select.filter(api_token::Column::OrganisationId.is_in(ids));
        }
        // Ids are UUIDv7: by id is by issue time.
        let order = order_by.as_deref();
        let (page, total) =
            fetch_ordered(&rc.db, select, filter.updated_since, order, args).await?;
        Ok(ApiTokenConnection::new(page.map(ApiToken), total))
    }
}

impl IssueApiTokenInput {
    fn command(self) -> ApiResult<NewToken> {
        let Self {
            organisation,
            name,
            countries,
            expires_at,
        } = self;
        let name = name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(ApiError::bad_input(
                "input.name",
                "a name is 1 to 200 characters",
            ));
        }
        let countries = match countries {
            Some(list) if list.is_empty() => {
                return Err(ApiError::bad_input(
                    "input.countries",
                    "name at least one country, or leave the field out",
                ));
            }
            Some(list) => Some(filters::countries("input.countries", &list)?),
            None => None,
        };
        if expires_at.is_some_and(|at| at.0 <= chrono::Utc::now()) {
            return Err(ApiError::bad_input(
                "input.expiresAt",
                "the expiry is in the past",
            ));
        }
        Ok(NewToken {
            organisation: ids::decode_uuid(
                "input.organisation",
                &organisation,
                Kind::Organisation,
            )?,
            name,
            countries,
            expires_at: expires_at.map(|at| at.0),
        })
    }
}

#[derive(Default)]
pub struct ApiTokenMutation;

#[Object]
impl ApiTokenMutation {
    /// Issues a PARTNER token for an organisation. The secret is in this answer only.
    async fn issue_api_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation, name, countries and expiry of the token.")]
        input: IssueApiTokenInput,
    ) -> ApiResult<IssueApiTokenPayload> {
        let (token, secret) = committed(ctx, async |write| {
            tokens::issue(write, input.command()?).await
        })
        .await?;
        Ok(IssueApiTokenPayload {
            token: ApiToken(token),
            secret,
        })
    }

    /// Revokes a token at once; requests with it are refused from now on.
    async fn revoke_api_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The token to revoke.")] input: RevokeApiTokenInput,
    ) -> ApiResult<RevokeApiTokenPayload> {
        let revoked = committed(ctx, async |write| {
            tokens::revoke(
                write,
                ids::decode_uuid("input.id", &input.id, Kind::ApiToken)?,
            )
            .await
        })
        .await?;
        Ok(RevokeApiTokenPayload {
            token: ApiToken(revoked),
        })
    }
}

crate::graphql::connection::connection!(ApiTokenConnection, ApiTokenEdge, ApiToken, "API tokens");

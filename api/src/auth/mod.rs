//! Who is calling: the `Caller` every resolver receives, from a JWT or an API token. What a
//! caller may see or change is decided in `access`, never here.

pub mod api_token;
pub mod countries;
pub mod jwt;

use actix_web::http::header::{AUTHORIZATION, HeaderMap};
use entity::enums::Role;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::graphql::errors::ApiError;

/// How a caller proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    Anonymous,
    Jwt,
    ApiToken,
}

impl AuthMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Anonymous => "anonymous",
            Self::Jwt => "jwt",
            Self::ApiToken => "api_token",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Caller {
    pub subject: Option<String>,
    /// `None` for anonymous callers.
    pub role: Option<Role>,
    /// ISO 3166-1 alpha-2 codes the caller acts for.
    pub countries: Vec<String>,
    pub organisation_id: Option<Uuid>,
    /// For API tokens a coordinator issued (or an admin confined): the only countries whose
    /// projects the token may act on, however widely its organisation takes part. `None`:
    /// no confinement beyond the role's own rule.
    pub country_scope: Option<Vec<String>>,
    /// When the credential stops being valid (a JWT's `exp`, an API token's expiry), so a
    /// WebSocket can close then instead of outliving it.
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    pub method: AuthMethod,
}

impl Caller {
    pub fn anonymous() -> Self {
        Self {
            subject: None,
            role: None,
            countries: Vec::new(),
            organisation_id: None,
            country_scope: None,
            expires_at: None,
            method: AuthMethod::Anonymous,
        }
    }

    pub fn is_anonymous(&self) -> bool {
        self.role.is_none()
    }
}

fn rejected(message: &str) -> ApiError {
    ApiError::Unauthenticated {
        message: message.to_owned(),
    }
}

/// The caller of a request: anonymous without `Authorization`; a present but invalid
/// credential is an error, never a quiet downgrade to anonymous.
pub async fn authenticate(
    headers: &HeaderMap,
    jwt: &jwt::JwtKeys,
    known: &countries::KnownCountries,
    db: &DatabaseConnection,
) -> Result<Caller, ApiError> {
    let Some(value) = headers.get(AUTHORIZATION) else {
        return Ok(Caller::anonymous());
    };
    let value = value
        .to_str()
        .map_err(|_| rejected("the Authorization header is not readable text"))?;
    let Some((scheme, token)) = value.trim().split_once(' ') else {
        return Err(rejected("use `Authorization: Bearer <token>`"));
    };
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(rejected("use `Authorization: Bearer <token>`"));
    }
    let token = token.trim();
    if token.starts_with(api_token::PREFIX) {
        return api_token::authenticate(db, token).await;
    }
    let caller = jwt.verify(token)?;
    if !known.all_known(db, &caller.countries).await? {
        return Err(rejected("the token names a country outside the programme"));
    }
    Ok(caller)
}

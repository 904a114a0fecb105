//! Who is calling: the `Caller` every resolver receives, from a JWT or an API token. What a
//! caller may see or change is decided in `access`, never here.

pub mod api_token;
pub mod countries;
pub mod jwt;
pub mod secrets;

use actix_web::http::header::{AUTHORIZATION, HeaderMap};
use chrono::{DateTime, Utc};
use entity::enums::Role;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::error::ApiError;

/// How a caller proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    Anonymous,
    Jwt,
    ApiToken,
    /// An operator at the server's command line (`mosaic rates import`).
    CommandLine,
}

impl AuthMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Anonymous => "anonymous",
            Self::Jwt => "jwt",
            Self::ApiToken => "api_token",
            Self::CommandLine => "cli",
        }
    }
}

/// What a caller may act as, in the shapes a credential can produce: a partner always has
/// an organisation, a coordinator always has countries, nobody else has either.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Anonymous,
    Viewer,
    /// A partner organisation's person or system. `scope`: for API tokens a coordinator
    /// issued (or an admin confined), the only countries whose projects it may act on,
    /// however widely its organisation takes part.
    Partner {
        organisation: Uuid,
        scope: Option<Vec<String>>,
    },
    /// ISO 3166-1 alpha-2 codes of the countries it coordinates (at least one).
    Coordinator {
        countries: Vec<String>,
    },
    Admin,
}

/// The proof presented, for logs, the audit trail, rate limits and sockets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    None,
    Jwt {
        subject: String,
        expires_at: Option<DateTime<Utc>>,
    },
    ApiToken {
        id: Uuid,
        expires_at: Option<DateTime<Utc>>,
    },
    /// Whoever runs `mosaic` where the database is: as able as an admin, named by the
    /// system user.
    CommandLine {
        user: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub principal: Principal,
    pub credential: Credential,
}

impl Caller {
    pub fn anonymous() -> Self {
        Self {
            principal: Principal::Anonymous,
            credential: Credential::None,
        }
    }

    /// An operator at the command line: an admin, since it holds the database anyway.
    pub fn operator(user: String) -> Self {
        Self {
            principal: Principal::Admin,
            credential: Credential::CommandLine { user },
        }
    }

    pub fn is_anonymous(&self) -> bool {
        self.principal == Principal::Anonymous
    }

    /// `None` for anonymous callers.
    pub fn role(&self) -> Option<Role> {
        match self.principal {
            Principal::Anonymous => None,
            Principal::Viewer => Some(Role::Viewer),
            Principal::Partner { .. } => Some(Role::Partner),
            Principal::Coordinator { .. } => Some(Role::Coordinator),
            Principal::Admin => Some(Role::Admin),
        }
    }

    /// The countries the caller acts for: a coordinator's, or a confined token's scope.
    pub fn countries(&self) -> &[String] {
        match &self.principal {
            Principal::Coordinator { countries } => countries,
            Principal::Partner {
                scope: Some(scope), ..
            } => scope,
            _ => &[],
        }
    }

    pub fn organisation(&self) -> Option<Uuid> {
        match self.principal {
            Principal::Partner { organisation, .. } => Some(organisation),
            _ => None,
        }
    }

    /// A confined token's countries; `None` when the role's own rule is the only bound.
    pub fn scope(&self) -> Option<&[String]> {
        match &self.principal {
            Principal::Partner { scope, .. } => scope.as_deref(),
            _ => None,
        }
    }

    /// Who the audit trail and logs name: the JWT's subject, `api-token:<id>`, or `None`.
    pub fn subject(&self) -> Option<String> {
        match &self.credential {
            Credential::None => None,
            Credential::Jwt { subject, .. } => Some(subject.clone()),
            Credential::ApiToken { id, .. } => Some(format!("api-token:{id}")),
            Credential::CommandLine { user } => Some(format!("cli:{user}")),
        }
    }

    pub fn method(&self) -> AuthMethod {
        match self.credential {
            Credential::None => AuthMethod::Anonymous,
            Credential::Jwt { .. } => AuthMethod::Jwt,
            Credential::ApiToken { .. } => AuthMethod::ApiToken,
            Credential::CommandLine { .. } => AuthMethod::CommandLine,
        }
    }

    /// When the credential stops being valid, so a WebSocket can close then.
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        match &self.credential {
            Credential::None | Credential::CommandLine { .. } => None,
            Credential::Jwt { expires_at, .. } | Credential::ApiToken { expires_at, .. } => {
                *expires_at
            }
        }
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
    if !known.admit(db, caller.countries(), false).await? {
        return Err(rejected("the token names a country Mosaic does not know"));
    }
    let coordinator = matches!(caller.principal, Principal::Coordinator { .. });
    if coordinator && !known.admit(db, caller.countries(), true).await? {
        return Err(rejected(
            "coordinators act for programme members only, and the token names another country",
        ));
    }
    Ok(caller)
}

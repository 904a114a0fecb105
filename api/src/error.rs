//! The one error type of the API and its single mapping to the wire.
//!
//! `ApiError` deliberately does not implement `Display`: async-graphql turns any `Display` type
//! into an error without `extensions.code`, so only the `From` impl below can convert it.

use async_graphql::ErrorExtensions;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// Input that can never succeed as sent; `field` names the offending argument or input path.
    BadUserInput {
        field: String,
        message: String,
    },
    NotFound {
        what: String,
    },
    Forbidden {
        message: String,
    },
    Unauthenticated {
        message: String,
    },
    Conflict {
        message: String,
        current_version: Option<i32>,
    },
    /// Too many attempts of this kind for now (registrations for one workshop): retry later.
    RateLimited {
        message: String,
    },
    /// The database is down, unreachable, full, read-only or locked past the wait: retry
    /// later (HTTP 503 with `Retry-After`).
    Unavailable,
    /// Something went wrong on our side; the detail was logged, the client sees a fixed text.
    Internal,
}

impl ApiError {
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BadUserInput {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound { what: what.into() }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::BadUserInput { .. } => "BAD_USER_INPUT",
            Self::NotFound { .. } => "NOT_FOUND",
            Self::Forbidden { .. } => "FORBIDDEN",
            Self::Unauthenticated { .. } => "UNAUTHENTICATED",
            Self::Conflict { .. } => "CONFLICT",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::Unavailable => "SERVICE_UNAVAILABLE",
            Self::Internal => "INTERNAL_SERVER_ERROR",
        }
    }

    pub fn message(&self) -> String {
        match self {
            Self::BadUserInput { message, .. }
            | Self::Forbidden { message }
            | Self::Unauthenticated { message }
            | Self::Conflict { message, .. }
            | Self::RateLimited { message } => message.clone(),
            Self::NotFound { what } => format!("{what} not found"),
            Self::Unavailable => {
                "the database is unavailable; retry in a moment (see Retry-After)".to_owned()
            }
            Self::Internal => "internal server error".to_owned(),
        }
    }

    /// Logs an unexpected failure with its detail and returns the opaque error for the client.
    pub fn internal(detail: impl std::fmt::Debug) -> Self {
        tracing::error!(detail = ?detail, "internal error");
        Self::Internal
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(error: ApiError) -> Self {
        async_graphql::Error::new(error.message()).extend_with(|_, extensions| {
            extensions.set("code", error.code());
            match &error {
                ApiError::BadUserInput { field, .. } => extensions.set("field", field.as_str()),
                ApiError::Conflict {
                    current_version: Some(version),
                    ..
                } => extensions.set("currentVersion", *version),
                _ => {}
            }
        })
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

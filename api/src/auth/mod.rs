//! Who is calling: the `Caller` every resolver receives. Verification of tokens lives here too;
//! what a caller may see is decided in `access`, never here.

use entity::enums::Role;
use uuid::Uuid;

/// How a caller proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    Anonymous,
    Jwt,
    ApiToken,
}

#[derive(Debug, Clone)]
pub struct Caller {
    pub subject: Option<String>,
    /// `None` for anonymous callers.
    pub role: Option<Role>,
    /// ISO 3166-1 alpha-2 codes the caller acts for.
    pub countries: Vec<String>,
    pub organisation_id: Option<Uuid>,
    pub method: AuthMethod,
}

impl Caller {
    pub fn anonymous() -> Self {
        Self {
            subject: None,
            role: None,
            countries: Vec::new(),
            organisation_id: None,
            method: AuthMethod::Anonymous,
        }
    }
}

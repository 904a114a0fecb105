//! Global ids: `base64url("<Kind>:<key>")`, opaque to clients. The kind is a closed enum, so
//! a misspelt kind does not compile, and an id of one kind is never taken for another.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use strum::IntoEnumIterator;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};

/// Declares `Kind` from one list: each kind's name (in ids and as the GraphQL type's name) is
/// its variant's, beside the noun messages use.
macro_rules! kinds {
    ($($kind:ident: $noun:literal),+ $(,)?) => {
        /// Every kind of object with a global id.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::EnumIter)]
        pub enum Kind {
            $($kind),+
        }

        impl Kind {
            /// The name inside the id, which is also the GraphQL type's name.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Kind::$kind => stringify!($kind)),+
                }
            }

            /// How messages name a row of this kind: "resource centre", "API token".
            pub const fn noun(self) -> &'static str {
                match self {
                    $(Kind::$kind => $noun),+
                }
            }
        }
    };
}

kinds! {
    ApiToken: "API token",
    AuditEvent: "audit event",
    Contact: "contact",
    Country: "country",
    DocumentLink: "document link",
    Funding: "funding",
    Indicator: "indicator",
    IndicatorPeriod: "indicator period",
    Milestone: "milestone",
    Organisation: "organisation",
    Programme: "programme",
    Project: "project",
    Region: "region",
    Registration: "registration",
    ResourceCentre: "resource centre",
    Result: "result",
    Workshop: "workshop",
}

impl Kind {
    fn parse(name: &str) -> Option<Kind> {
        Kind::iter().find(|k| k.name() == name)
    }
}

pub fn encode(kind: Kind, key: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{key}", kind.name()))
}

pub fn encode_uuid(kind: Kind, id: Uuid) -> String {
    encode(kind, &id.to_string())
}

/// Splits a global id into its kind and key; `None` for anything we did not issue.
pub fn decode(id: &str) -> Option<(Kind, String)> {
    let bytes = URL_SAFE_NO_PAD.decode(id).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (kind, key) = text.split_once(':')?;
    Some((Kind::parse(kind)?, key.to_owned()))
}

/// Decodes a global id that must name a `kind` row; `field` is named in the error otherwise.
pub fn decode_uuid(field: &str, id: &str, kind: Kind) -> ApiResult<Uuid> {
    let invalid = || ApiError::bad_input(field, format!("`{field}` is not a {} id", kind.name()));
    match decode(id) {
        Some((found, key)) if found == kind => Uuid::parse_str(&key).map_err(|_| invalid()),
        _ => Err(invalid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_decodes_only_as_its_own_kind() {
        let id = Uuid::now_v7();
        let project = encode_uuid(Kind::Project, id);
        assert_eq!(decode_uuid("id", &project, Kind::Project), Ok(id));
        assert!(decode_uuid("id", &project, Kind::Workshop).is_err());
        assert!(decode_uuid("id", "not-base64!", Kind::Project).is_err());
        assert_eq!(
            decode(&encode(Kind::Country, "SE")),
            Some((Kind::Country, "SE".into()))
        );
        assert_eq!(decode(&URL_SAFE_NO_PAD.encode("Nonsense:1")), None);
    }
}

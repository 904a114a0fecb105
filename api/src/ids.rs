//! Global ids: `base64url("<Kind>:<key>")`, opaque to clients. The kind is a closed enum, so
//! a misspelt kind does not compile, and an id of one kind is never taken for another.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use strum::IntoEnumIterator;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};

/// Every kind of object with a global id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::EnumIter)]
pub enum Kind {
    ApiToken,
    AuditEvent,
    Contact,
    Country,
    DocumentLink,
    Funding,
    Indicator,
    IndicatorPeriod,
    Milestone,
    Organisation,
    Programme,
    Project,
    Region,
    Registration,
    ResourceCentre,
    Result,
    Workshop,
}

impl Kind {
    /// The name inside the id, which is also the GraphQL type's name.
    pub const fn name(self) -> &'static str {
        match self {
            Kind::ApiToken => "ApiToken",
            Kind::AuditEvent => "AuditEvent",
            Kind::Contact => "Contact",
            Kind::Country => "Country",
            Kind::DocumentLink => "DocumentLink",
            Kind::Funding => "Funding",
            Kind::Indicator => "Indicator",
            Kind::IndicatorPeriod => "IndicatorPeriod",
            Kind::Milestone => "Milestone",
            Kind::Organisation => "Organisation",
            Kind::Programme => "Programme",
            Kind::Project => "Project",
            Kind::Region => "Region",
            Kind::Registration => "Registration",
            Kind::ResourceCentre => "ResourceCentre",
            Kind::Result => "Result",
            Kind::Workshop => "Workshop",
        }
    }

    /// How messages name a row of this kind: "resource centre", "API token".
    pub const fn noun(self) -> &'static str {
        match self {
            Kind::ApiToken => "API token",
            Kind::AuditEvent => "audit event",
            Kind::Contact => "contact",
            Kind::Country => "country",
            Kind::DocumentLink => "document link",
            Kind::Funding => "funding",
            Kind::Indicator => "indicator",
            Kind::IndicatorPeriod => "indicator period",
            Kind::Milestone => "milestone",
            Kind::Organisation => "organisation",
            Kind::Programme => "programme",
            Kind::Project => "project",
            Kind::Region => "region",
            Kind::Registration => "registration",
            Kind::ResourceCentre => "resource centre",
            Kind::Result => "result",
            Kind::Workshop => "workshop",
        }
    }

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

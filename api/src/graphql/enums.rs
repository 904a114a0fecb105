//! The schema's enums: the stored vocabularies, which the entity crate declares as GraphQL enums
//! too, and those that exist only in the API.

use async_graphql::Enum;
pub use entity::enums::{
    ActivityKind, AgeBand, ClassificationVocabulary as Vocabulary, DocumentCategory, FundingKind,
    FundingStatus, Gender, IndicatorMeasure, OrganisationKind, ParticipantRole, ProjectStatus,
    RateSource, RegistrationStatus, ResultKind, Role, WorkshopFormat, WorkshopStatus,
};
use strum::IntoEnumIterator;

/// Which way a list is sorted.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortDirection {
    /// Ascending: smallest, earliest or first in the alphabet first.
    #[default]
    Asc,
    /// Descending: largest, latest or last in the alphabet first.
    Desc,
}

/// What a registrant's data may be used for.
#[derive(
    async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString,
)]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
pub enum RegistrationPurpose {
    /// Running the workshop: seats, the waiting list, messages about it. Required.
    WorkshopAdministration,
    /// Counting participants by gender and age band for the programme's reports (ESF+).
    ProgrammeStatistics,
    /// Being contacted afterwards about results or follow-up events.
    FollowUp,
}

impl RegistrationPurpose {
    /// The purpose as stored and shown: `WORKSHOP_ADMINISTRATION`, as in the schema.
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// The purpose a stored code names.
    pub fn from_code(code: &str) -> Option<Self> {
        code.parse().ok()
    }
}

/// How the author of an audited change or read proved who it was.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    /// Nobody signed in (a public registration, a registrant's own change).
    Anonymous,
    /// A signed JWT: a person of the programme.
    Jwt,
    /// A partner system's API token.
    ApiToken,
    /// An operator at the server's command line (`mosaic rates import`).
    Cli,
}

impl ActorKind {
    /// The kind a stored audit row names (`AuthMethod::as_str`).
    pub fn from_stored(stored: &str) -> Option<Self> {
        match stored {
            "anonymous" => Some(Self::Anonymous),
            "jwt" => Some(Self::Jwt),
            "api_token" => Some(Self::ApiToken),
            "cli" => Some(Self::Cli),
            _ => None,
        }
    }
}

/// What kind of row an audit entry is about.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, strum::EnumIter)]
pub enum AuditEntity {
    /// An API token (never its secret).
    ApiToken,
    /// A contact of a project or an organisation (without personal data).
    Contact,
    /// A country.
    Country,
    /// A link to a document.
    DocumentLink,
    /// An exchange rate; `entityId` is `currency:date`.
    ExchangeRate,
    /// A funding of a project.
    Funding,
    /// An indicator of a result.
    Indicator,
    /// A period of an indicator.
    IndicatorPeriod,
    /// A milestone of a project.
    Milestone,
    /// An organisation.
    Organisation,
    /// A read or an erasure of someone's personal data (`personalData`, `erasePersonalData`).
    PersonalData,
    /// A programme.
    Programme,
    /// A project.
    Project,
    /// A NUTS region.
    Region,
    /// A registration for a workshop (without personal data).
    Registration,
    /// A regional resource centre.
    ResourceCentre,
    /// A result of a project.
    Result,
    /// A term of a vocabulary.
    Term,
    /// A workshop or other activity.
    Workshop,
}

impl AuditEntity {
    /// The name the audit trail stores: the type's name, e.g. `ResourceCentre`.
    pub fn stored(self) -> String {
        format!("{self:?}")
    }

    /// The kind a stored name stands for; `None` for one this server no longer writes.
    pub fn from_stored(stored: &str) -> Option<Self> {
        Self::iter().find(|e| e.stored() == stored)
    }
}

#[cfg(test)]
mod tests {
    use strum::IntoEnumIterator;

    use super::AuditEntity;
    use crate::ids::Kind;
    use crate::writes::Audited;

    #[test]
    fn every_kind_of_row_the_audit_trail_names_is_an_audit_entity() {
        let written = Kind::iter()
            .filter(|k| *k != Kind::AuditEvent)
            .map(Kind::name)
            .chain([
                <entity::exchange_rate::Entity as Audited>::NAME,
                <entity::term::Entity as Audited>::NAME,
                "PersonalData",
            ]);
        let mut named = 0;
        for name in written {
            let entity = AuditEntity::from_stored(name);
            assert_eq!(entity.map(AuditEntity::stored).as_deref(), Some(name));
            named += 1;
        }
        assert_eq!(named, AuditEntity::iter().count());
        assert_eq!(AuditEntity::from_stored("Seed"), None);
    }

    /// Every value of `E`, as the schema names it and as it is stored.
    fn names<E>() -> Vec<(&'static str, String)>
    where
        E: async_graphql::resolver_utils::EnumType + sea_orm::ActiveEnum<Value = String>,
    {
        E::items()
            .iter()
            .map(|item| (item.name, item.value.to_value()))
            .collect()
    }

    #[test]
    fn a_stored_vocabulary_is_named_in_the_schema_as_it_is_stored() {
        use super::*;
        let all = [
            names::<ActivityKind>(),
            names::<DocumentCategory>(),
            names::<FundingKind>(),
            names::<FundingStatus>(),
            names::<Gender>(),
            names::<IndicatorMeasure>(),
            names::<OrganisationKind>(),
            names::<ParticipantRole>(),
            names::<ProjectStatus>(),
            names::<RateSource>(),
            names::<RegistrationStatus>(),
            names::<ResultKind>(),
            names::<Role>(),
            names::<Vocabulary>(),
            names::<WorkshopFormat>(),
            names::<WorkshopStatus>(),
        ];
        for (name, stored) in all.iter().flatten() {
            assert_eq!(name, stored);
        }
        assert_eq!(all.iter().flatten().count(), 69);
        // A GraphQL name cannot start with a digit, so three age bands gain a prefix.
        assert_eq!(
            names::<AgeBand>(),
            [
                ("UNDER_18", "UNDER_18".to_owned()),
                ("AGE_18_29", "18_29".to_owned()),
                ("AGE_30_54", "30_54".to_owned()),
                ("AGE_55_PLUS", "55_PLUS".to_owned()),
            ]
        );
    }

    #[test]
    fn a_registration_purpose_is_stored_by_its_name_in_the_schema() {
        use async_graphql::resolver_utils::EnumType;
        let items = <super::RegistrationPurpose as EnumType>::items();
        assert_eq!(items.len(), 3);
        for item in items {
            assert_eq!(item.value.code(), item.name);
            assert_eq!(
                super::RegistrationPurpose::from_code(item.name),
                Some(item.value)
            );
        }
        assert_eq!(super::RegistrationPurpose::from_code("follow_up"), None);
    }
}

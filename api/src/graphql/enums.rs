//! GraphQL mirrors of the stored vocabularies. The entity crate stays free of async-graphql;
//! each mirror converts both ways.

use async_graphql::Enum;
use strum::IntoEnumIterator;

macro_rules! mirror {
    ($(#[$doc:meta])* $name:ident = $stored:path { $($(#[$vdoc:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl From<$stored> for $name {
            fn from(value: $stored) -> Self {
                match value {
                    $(<$stored>::$variant => Self::$variant),+
                }
            }
        }

        impl From<$name> for $stored {
            fn from(value: $name) -> Self {
                match value {
                    $($name::$variant => Self::$variant),+
                }
            }
        }
    };
}

mirror!(
    /// What kind of body an organisation is.
    OrganisationKind = entity::enums::OrganisationKind {
        /// A national government or another arm of the state, e.g. the Government of Sweden.
        Government,
        /// A regional public authority, e.g. Region Värmland.
        RegionalAuthority,
        /// A municipality or city.
        Municipality,
        /// A public agency, e.g. Tillväxtverket or an ELY centre.
        PublicAgency,
        /// A non-governmental, non-profit organisation.
        Ngo,
        /// A foundation.
        Foundation,
        /// A company.
        Company,
        /// A university, college or research institute.
        Academic,
        /// An international organisation or programme, e.g. URBACT.
        International,
    }
);
mirror!(
    /// Where a project stands: PLANNED, ACTIVE and COMPLETED follow its dates as of today;
    /// SUSPENDED and CANCELLED are set by hand and hold whatever the dates say.
    ProjectStatus = entity::enums::ProjectStatus {
        /// Its start lies ahead.
        Planned,
        /// Between its start and its end.
        Active,
        /// Its end has passed.
        Completed,
        /// Halted for now.
        Suspended,
        /// Called off.
        Cancelled
    }
);
mirror!(
    /// The role an organisation plays in one project.
    ParticipantRole = entity::enums::ParticipantRole {
        /// Leads the project: its `leadOrganisation`.
        Lead,
        /// Carries out the project with the lead.
        Partner,
        /// Funds the project.
        Funder,
        /// Supports or follows the project without carrying it out.
        Associated,
    }
);
mirror!(
    /// What kind of contribution a funding is.
    FundingKind = entity::enums::FundingKind {
        /// Money granted to the project.
        Grant,
        /// Money from another source that co-finances the project alongside a grant.
        CoFinancing,
        /// Goods, services or working time rather than money, valued as an amount.
        InKind,
        /// What the organisations carrying out the project put in themselves.
        OwnContribution
    }
);
mirror!(
    /// How far a funding has got.
    FundingStatus = entity::enums::FundingStatus {
        /// Foreseen, not yet decided.
        Planned,
        /// Decided or contracted, not yet paid out.
        Committed,
        /// Paid out.
        Disbursed
    }
);
mirror!(
    /// What kind of event an activity is; registration, capacity, the waiting list, events
    /// and summaries work alike for every kind.
    ActivityKind = entity::enums::ActivityKind {
        /// A workshop; the kind an activity has when none is given.
        Workshop,
        /// An online seminar.
        Webinar,
        /// A training course or session.
        Training,
        /// A conference.
        Conference,
        /// A meeting of a network.
        NetworkMeeting,
        /// Mentoring.
        Mentoring,
        /// An award ceremony.
        AwardCeremony
    }
);
mirror!(
    /// What a linked document is.
    DocumentCategory = entity::enums::DocumentCategory {
        /// An action plan.
        ActionPlan,
        /// A report or evaluation.
        Report,
        /// A toolkit, guide or handbook.
        Toolkit,
        /// A website or web page.
        Website,
        /// Slides or a presentation.
        Presentation,
        /// A film, recording or other media item.
        Media,
        /// Anything else.
        Other
    }
);
mirror!(
    /// What a result is, in IATI's terms: what the project delivers (OUTPUT), the change it
    /// brings about (OUTCOME), the longer-term difference (IMPACT).
    ResultKind = entity::enums::ResultKind {
        /// What the project delivers.
        Output,
        /// The change the project brings about.
        Outcome,
        /// The longer-term difference it contributes to.
        Impact
    }
);
mirror!(
    /// How an indicator is measured: a count or amount (UNIT), a share out of 100
    /// (PERCENTAGE), or in words only (QUALITATIVE: its periods' comments say it).
    IndicatorMeasure = entity::enums::IndicatorMeasure {
        /// A count or amount, at least 0 with at most two decimals; whole when it counts people.
        Unit,
        /// A share out of 100, from 0 to 100.
        Percentage,
        /// In words only: figures have no value, their `comment` says it.
        Qualitative
    }
);
mirror!(
    /// The named vocabularies: focus areas and target groups of projects and workshops,
    /// action areas of resource centres.
    Vocabulary = entity::enums::ClassificationVocabulary {
        /// What projects focus on.
        FocusArea,
        /// Whom projects and workshops address.
        TargetGroup,
        /// What resource centres work on.
        ActionArea
    }
);
mirror!(
    /// How people take part in an activity.
    WorkshopFormat = entity::enums::WorkshopFormat {
        /// At a venue.
        InPerson,
        /// Online only.
        Online,
        /// At a venue and online.
        Hybrid
    }
);
mirror!(
    /// Where a workshop stands: SCHEDULED until it ends, then COMPLETED, unless cancelled.
    WorkshopStatus = entity::enums::WorkshopStatus {
        /// Not over yet.
        Scheduled,
        /// Called off; only its project's partners, coordinators and admins still see it.
        Cancelled,
        /// It has ended.
        Completed
    }
);
mirror!(
    /// A caller's role; anonymous callers have none.
    Role = entity::enums::Role {
        /// Reads what anonymous callers read, plus contacts' names.
        Viewer,
        /// Acts for one organisation, usually through an API token: reads and describes the
        /// projects it takes part in, with their workshops and registrations.
        Partner,
        /// Manages what its countries own, personal data included.
        Coordinator,
        /// Reads and changes everything.
        Admin,
    }
);

/// Which way a list is sorted.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortDirection {
    /// Ascending: smallest, earliest or first in the alphabet first.
    #[default]
    Asc,
    /// Descending: largest, latest or last in the alphabet first.
    Desc,
}

mirror!(
    /// A registrant's gender, as they declare it.
    Gender = entity::enums::Gender {
        /// A woman, as the person stated it.
        Woman,
        /// A man, as the person stated it.
        Man,
        /// Non-binary.
        NonBinary,
        /// Not disclosed; what a registration holds when no gender is given.
        Undisclosed
    }
);
mirror!(
    /// Where a registration stands.
    RegistrationStatus = entity::enums::RegistrationStatus {
        /// Holds a seat.
        Registered,
        /// On the waiting list of a full workshop; moves up to a seat, in order of arrival, when
        /// one frees up.
        Waitlisted,
        /// Cancelled; a seat it held goes to the longest-waiting person.
        Cancelled,
        /// Held a seat and came.
        Attended
    }
);

/// Age bands of the ESF+ participant indicators.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgeBand {
    /// Under 18; registering needs a guardian's consent (`guardianConsent`).
    #[graphql(name = "UNDER_18")]
    Under18,
    /// 18 to 29 years old.
    #[graphql(name = "AGE_18_29")]
    From18To29,
    /// 30 to 54 years old.
    #[graphql(name = "AGE_30_54")]
    From30To54,
    /// 55 or older.
    #[graphql(name = "AGE_55_PLUS")]
    From55,
}

impl From<entity::enums::AgeBand> for AgeBand {
    fn from(value: entity::enums::AgeBand) -> Self {
        match value {
            entity::enums::AgeBand::Under18 => Self::Under18,
            entity::enums::AgeBand::From18To29 => Self::From18To29,
            entity::enums::AgeBand::From30To54 => Self::From30To54,
            entity::enums::AgeBand::From55 => Self::From55,
        }
    }
}

impl From<AgeBand> for entity::enums::AgeBand {
    fn from(value: AgeBand) -> Self {
        match value {
            AgeBand::Under18 => Self::Under18,
            AgeBand::From18To29 => Self::From18To29,
            AgeBand::From30To54 => Self::From30To54,
            AgeBand::From55 => Self::From55,
        }
    }
}
mirror!(
    /// Where a euro reference rate comes from: the ECB's daily reference rates, the
    /// Commission's monthly InforEuro rates, or a figure entered by hand.
    RateSource = entity::enums::RateSource {
        /// The European Central Bank's daily euro reference rates.
        EcbReference,
        /// The European Commission's monthly InforEuro rates.
        Inforeuro,
        /// Entered by hand.
        Manual,
    }
);

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

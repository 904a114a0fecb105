//! Closed vocabularies stored as short strings, so both SQLite and PostgreSQL hold the same text.
//!
//! Each is declared once: with the `graphql` feature (which the API turns on) it is also the
//! GraphQL enum, its doc comments the schema's descriptions. GraphQL names its values after
//! the variants (SCREAMING_SNAKE_CASE), which are the stored strings too, except where a
//! variant names itself (`AgeBand`'s stored values start with a digit); a unit test of the API
//! holds them equal.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $value:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
        #[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
        $(#[$doc])*
        pub enum $name {
            $(
                $(#[$vdoc])*
                #[sea_orm(string_value = $value)]
                #[serde(rename = $value)]
                $variant,
            )+
        }

        impl crate::Placeholder for $name {
            fn placeholder() -> Self {
                [$(Self::$variant),+][0]
            }
        }
    };
}

string_enum!(
    /// What kind of body an organisation is.
    OrganisationKind {
        /// A national government or another arm of the state, e.g. the Government of Sweden.
        Government = "GOVERNMENT",
        /// A regional public authority, e.g. Region Värmland.
        RegionalAuthority = "REGIONAL_AUTHORITY",
        /// A municipality or city.
        Municipality = "MUNICIPALITY",
        /// A public agency, e.g. Tillväxtverket or an ELY centre.
        PublicAgency = "PUBLIC_AGENCY",
        /// A non-governmental, non-profit organisation.
        Ngo = "NGO",
        /// A foundation.
        Foundation = "FOUNDATION",
        /// A company.
        Company = "COMPANY",
        /// A university, college or research institute.
        Academic = "ACADEMIC",
        /// An international organisation or programme, e.g. URBACT.
        International = "INTERNATIONAL",
    }
);

string_enum!(
    /// Where a project stands: PLANNED, ACTIVE and COMPLETED follow its dates as of today;
    /// SUSPENDED and CANCELLED are set by hand and hold whatever the dates say.
    ProjectStatus {
        /// Its start lies ahead.
        Planned = "PLANNED",
        /// Between its start and its end.
        Active = "ACTIVE",
        /// Its end has passed.
        Completed = "COMPLETED",
        /// Halted for now.
        Suspended = "SUSPENDED",
        /// Called off.
        Cancelled = "CANCELLED",
    }
);

string_enum!(
    /// The role an organisation plays in one project.
    ParticipantRole {
        /// Leads the project: its `leadOrganisation`.
        Lead = "LEAD",
        /// Carries out the project with the lead.
        Partner = "PARTNER",
        /// Funds the project.
        Funder = "FUNDER",
        /// Supports or follows the project without carrying it out.
        Associated = "ASSOCIATED",
    }
);

string_enum!(
    /// The named vocabularies: focus areas and target groups of projects and workshops,
    /// action areas of resource centres.
    #[cfg_attr(feature = "graphql", graphql(name = "Vocabulary"))]
    ClassificationVocabulary {
        /// What projects focus on.
        FocusArea = "FOCUS_AREA",
        /// Whom projects and workshops address.
        TargetGroup = "TARGET_GROUP",
        /// What resource centres work on.
        ActionArea = "ACTION_AREA",
    }
);

string_enum!(
    /// What kind of contribution a funding is.
    FundingKind {
        /// Money granted to the project.
        Grant = "GRANT",
        /// Money from another source that co-finances the project alongside a grant.
        CoFinancing = "CO_FINANCING",
        /// Goods, services or working time rather than money, valued as an amount.
        InKind = "IN_KIND",
        /// What the organisations carrying out the project put in themselves.
        OwnContribution = "OWN_CONTRIBUTION",
    }
);

string_enum!(
    /// How far a funding has got.
    FundingStatus {
        /// Foreseen, not yet decided.
        Planned = "PLANNED",
        /// Decided or contracted, not yet paid out.
        Committed = "COMMITTED",
        /// Paid out.
        Disbursed = "DISBURSED",
    }
);

string_enum!(
    /// Where a euro reference rate comes from: the ECB's daily reference rates, the
    /// Commission's monthly InforEuro rates, or a figure entered by hand.
    RateSource {
        /// The European Central Bank's daily euro reference rates.
        EcbReference = "ECB_REFERENCE",
        /// The European Commission's monthly InforEuro rates.
        Inforeuro = "INFOREURO",
        /// Entered by hand.
        Manual = "MANUAL",
    }
);

string_enum!(
    /// How people take part in an activity.
    WorkshopFormat {
        /// At a venue.
        InPerson = "IN_PERSON",
        /// Online only.
        Online = "ONLINE",
        /// At a venue and online.
        Hybrid = "HYBRID",
    }
);

string_enum!(
    /// What kind of event an activity is; registration, capacity, the waiting list, events
    /// and summaries work alike for every kind.
    ActivityKind {
        /// A workshop; the kind an activity has when none is given.
        Workshop = "WORKSHOP",
        /// An online seminar.
        Webinar = "WEBINAR",
        /// A training course or session.
        Training = "TRAINING",
        /// A conference.
        Conference = "CONFERENCE",
        /// A meeting of a network.
        NetworkMeeting = "NETWORK_MEETING",
        /// Mentoring.
        Mentoring = "MENTORING",
        /// An award ceremony.
        AwardCeremony = "AWARD_CEREMONY",
    }
);

string_enum!(
    /// What a linked document is.
    DocumentCategory {
        /// An action plan.
        ActionPlan = "ACTION_PLAN",
        /// A report or evaluation.
        Report = "REPORT",
        /// A toolkit, guide or handbook.
        Toolkit = "TOOLKIT",
        /// A website or web page.
        Website = "WEBSITE",
        /// Slides or a presentation.
        Presentation = "PRESENTATION",
        /// A film, recording or other media item.
        Media = "MEDIA",
        /// Anything else.
        Other = "OTHER",
    }
);

string_enum!(
    /// What a result is, in IATI's terms: what the project delivers (OUTPUT), the change it
    /// brings about (OUTCOME), the longer-term difference (IMPACT).
    ResultKind {
        /// What the project delivers.
        Output = "OUTPUT",
        /// The change the project brings about.
        Outcome = "OUTCOME",
        /// The longer-term difference it contributes to.
        Impact = "IMPACT",
    }
);

string_enum!(
    /// How an indicator is measured: a count or amount (UNIT), a share out of 100
    /// (PERCENTAGE), or in words only (QUALITATIVE: its periods' comments say it).
    IndicatorMeasure {
        /// A count or amount, at least 0 with at most two decimals; whole when it counts people.
        Unit = "UNIT",
        /// A share out of 100, from 0 to 100.
        Percentage = "PERCENTAGE",
        /// In words only: figures have no value, their `comment` says it.
        Qualitative = "QUALITATIVE",
    }
);

string_enum!(
    /// Where a workshop stands: SCHEDULED until it ends, then COMPLETED, unless cancelled.
    WorkshopStatus {
        /// Not over yet.
        Scheduled = "SCHEDULED",
        /// Called off; only its project's partners, coordinators and admins still see it.
        Cancelled = "CANCELLED",
        /// It has ended.
        Completed = "COMPLETED",
    }
);

string_enum!(
    /// A registrant's gender, as they declare it.
    Gender {
        /// A woman, as the person stated it.
        Woman = "WOMAN",
        /// A man, as the person stated it.
        Man = "MAN",
        /// Non-binary.
        NonBinary = "NON_BINARY",
        /// Not disclosed; what a registration holds when no gender is given.
        Undisclosed = "UNDISCLOSED",
    }
);

string_enum!(
    /// Age bands of the ESF+ participant indicators.
    AgeBand {
        /// Under 18; registering needs a guardian's consent (`guardianConsent`).
        #[cfg_attr(feature = "graphql", graphql(name = "UNDER_18"))]
        Under18 = "UNDER_18",
        /// 18 to 29 years old.
        #[cfg_attr(feature = "graphql", graphql(name = "AGE_18_29"))]
        From18To29 = "18_29",
        /// 30 to 54 years old.
        #[cfg_attr(feature = "graphql", graphql(name = "AGE_30_54"))]
        From30To54 = "30_54",
        /// 55 or older.
        #[cfg_attr(feature = "graphql", graphql(name = "AGE_55_PLUS"))]
        From55 = "55_PLUS",
    }
);

string_enum!(
    /// Where a registration stands.
    RegistrationStatus {
        /// Holds a seat.
        Registered = "REGISTERED",
        /// On the waiting list of a full workshop; moves up to a seat, in order of arrival, when
        /// one frees up.
        Waitlisted = "WAITLISTED",
        /// Cancelled; a seat it held goes to the longest-waiting person.
        Cancelled = "CANCELLED",
        /// Held a seat and came.
        Attended = "ATTENDED",
    }
);

string_enum!(
    /// A caller's role; anonymous callers have none.
    Role {
        /// Reads what anonymous callers read, plus contacts' names.
        Viewer = "VIEWER",
        /// Acts for one organisation, usually through an API token: reads and describes the
        /// projects it takes part in, with their workshops and registrations.
        Partner = "PARTNER",
        /// Manages what its countries own, personal data included.
        Coordinator = "COORDINATOR",
        /// Reads and changes everything.
        Admin = "ADMIN",
    }
);

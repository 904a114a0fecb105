//! Closed vocabularies stored as short strings, so both SQLite and PostgreSQL hold the same text.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $value:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
        pub enum $name {
            $(
                #[sea_orm(string_value = $value)]
                #[serde(rename = $value)]
                $variant,
            )+
        }
    };
}

string_enum!(
    /// What kind of body an organisation is.
    OrganisationKind {
        Government = "GOVERNMENT",
        RegionalAuthority = "REGIONAL_AUTHORITY",
        Municipality = "MUNICIPALITY",
        PublicAgency = "PUBLIC_AGENCY",
        Ngo = "NGO",
        Foundation = "FOUNDATION",
        Company = "COMPANY",
        Academic = "ACADEMIC",
        International = "INTERNATIONAL",
    }
);

string_enum!(
    ProjectStatus {
        Planned = "PLANNED",
        Active = "ACTIVE",
        Completed = "COMPLETED",
        Suspended = "SUSPENDED",
        Cancelled = "CANCELLED",
    }
);

string_enum!(
    /// The role an organisation plays in a project; it sits on the link, not the organisation.
    ParticipantRole {
        Lead = "LEAD",
        Partner = "PARTNER",
        Funder = "FUNDER",
        Associated = "ASSOCIATED",
    }
);

string_enum!(
    /// The named vocabularies things are classified with.
    ClassificationVocabulary {
        FocusArea = "FOCUS_AREA",
        TargetGroup = "TARGET_GROUP",
        ActionArea = "ACTION_AREA",
    }
);

string_enum!(
    FundingKind {
        Grant = "GRANT",
        CoFinancing = "CO_FINANCING",
        InKind = "IN_KIND",
        OwnContribution = "OWN_CONTRIBUTION",
    }
);

string_enum!(
    FundingStatus {
        Planned = "PLANNED",
        Committed = "COMMITTED",
        Disbursed = "DISBURSED",
    }
);

string_enum!(
    RateSource {
        EcbReference = "ECB_REFERENCE",
        Inforeuro = "INFOREURO",
        Manual = "MANUAL",
    }
);

string_enum!(
    WorkshopFormat {
        InPerson = "IN_PERSON",
        Online = "ONLINE",
        Hybrid = "HYBRID",
    }
);

string_enum!(
    /// What kind of event a programme activity is.
    ActivityKind {
        Workshop = "WORKSHOP",
        Webinar = "WEBINAR",
        Training = "TRAINING",
        Conference = "CONFERENCE",
        NetworkMeeting = "NETWORK_MEETING",
        Mentoring = "MENTORING",
        AwardCeremony = "AWARD_CEREMONY",
    }
);

string_enum!(
    /// What a linked document is.
    DocumentCategory {
        ActionPlan = "ACTION_PLAN",
        Report = "REPORT",
        Toolkit = "TOOLKIT",
        Website = "WEBSITE",
        Presentation = "PRESENTATION",
        Media = "MEDIA",
        Other = "OTHER",
    }
);

string_enum!(
    /// What a result is, in IATI's terms.
    ResultKind {
        Output = "OUTPUT",
        Outcome = "OUTCOME",
        Impact = "IMPACT",
    }
);

string_enum!(
    /// How an indicator is measured.
    IndicatorMeasure {
        Unit = "UNIT",
        Percentage = "PERCENTAGE",
        Qualitative = "QUALITATIVE",
    }
);

string_enum!(
    WorkshopStatus {
        Scheduled = "SCHEDULED",
        Cancelled = "CANCELLED",
        Completed = "COMPLETED",
    }
);

string_enum!(
    Gender {
        Woman = "WOMAN",
        Man = "MAN",
        NonBinary = "NON_BINARY",
        Undisclosed = "UNDISCLOSED",
    }
);

string_enum!(
    AgeBand {
        Under18 = "UNDER_18",
        From18To29 = "18_29",
        From30To54 = "30_54",
        From55 = "55_PLUS",
    }
);

string_enum!(
    RegistrationStatus {
        Registered = "REGISTERED",
        Waitlisted = "WAITLISTED",
        Cancelled = "CANCELLED",
        Attended = "ATTENDED",
    }
);

string_enum!(
    Role {
        Viewer = "VIEWER",
        Partner = "PARTNER",
        Coordinator = "COORDINATOR",
        Admin = "ADMIN",
    }
);

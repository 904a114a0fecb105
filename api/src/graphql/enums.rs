//! GraphQL mirrors of the stored vocabularies. The entity crate stays free of async-graphql;
//! each mirror converts both ways.

use async_graphql::Enum;

macro_rules! mirror {
    ($(#[$doc:meta])* $name:ident = $stored:path { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant),+
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
        Government, RegionalAuthority, Municipality, PublicAgency, Ngo, Foundation, Company,
        Academic, International,
    }
);
mirror!(
    ProjectStatus = entity::enums::ProjectStatus {
        Planned,
        Active,
        Completed,
        Suspended,
        Cancelled
    }
);
mirror!(
    /// The role an organisation plays in one project.
    ParticipantRole = entity::enums::ParticipantRole { Lead, Partner, Funder, Associated }
);
mirror!(
    FundingKind = entity::enums::FundingKind {
        Grant,
        CoFinancing,
        InKind,
        OwnContribution
    }
);
mirror!(
    FundingStatus = entity::enums::FundingStatus {
        Planned,
        Committed,
        Disbursed
    }
);
mirror!(
    /// What kind of event an activity is; registration, capacity, the waiting list, events
    /// and summaries work alike for every kind.
    ActivityKind = entity::enums::ActivityKind {
        Workshop,
        Webinar,
        Training,
        Conference,
        NetworkMeeting,
        Mentoring,
        AwardCeremony
    }
);
mirror!(
    /// What a linked document is.
    DocumentCategory = entity::enums::DocumentCategory {
        ActionPlan,
        Report,
        Toolkit,
        Website,
        Presentation,
        Media,
        Other
    }
);
mirror!(
    /// What a result is, in IATI's terms: what the project delivers (OUTPUT), the change it
    /// brings about (OUTCOME), the longer-term difference (IMPACT).
    ResultKind = entity::enums::ResultKind {
        Output,
        Outcome,
        Impact
    }
);
mirror!(
    /// How an indicator is measured: a count or amount (UNIT), a share out of 100
    /// (PERCENTAGE), or in words only (QUALITATIVE: its periods' comments say it).
    IndicatorMeasure = entity::enums::IndicatorMeasure {
        Unit,
        Percentage,
        Qualitative
    }
);
mirror!(
    /// The named vocabularies: focus areas and target groups of projects and workshops,
    /// action areas of resource centres.
    Vocabulary = entity::enums::ClassificationVocabulary {
        FocusArea,
        TargetGroup,
        ActionArea
    }
);
mirror!(
    WorkshopFormat = entity::enums::WorkshopFormat {
        InPerson,
        Online,
        Hybrid
    }
);
mirror!(
    WorkshopStatus = entity::enums::WorkshopStatus {
        Scheduled,
        Cancelled,
        Completed
    }
);
mirror!(
    /// A caller's role; anonymous callers have none.
    Role = entity::enums::Role { Viewer, Partner, Coordinator, Admin }
);

#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortDirection {
    #[default]
    Asc,
    Desc,
}

mirror!(
    Gender = entity::enums::Gender {
        Woman,
        Man,
        NonBinary,
        Undisclosed
    }
);
mirror!(
    RegistrationStatus = entity::enums::RegistrationStatus {
        Registered,
        Waitlisted,
        Cancelled,
        Attended
    }
);

/// Age bands of the ESF+ participant indicators.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgeBand {
    #[graphql(name = "UNDER_18")]
    Under18,
    #[graphql(name = "AGE_18_29")]
    From18To29,
    #[graphql(name = "AGE_30_54")]
    From30To54,
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
    RateSource = entity::enums::RateSource { EcbReference, Inforeuro, Manual }
);

/// What a registrant's data may be used for.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationPurpose {
    /// Running the workshop: seats, the waiting list, messages about it. Required.
    WorkshopAdministration,
    /// Counting participants by gender and age band for the programme's reports (ESF+).
    ProgrammeStatistics,
    /// Being contacted afterwards about results or follow-up events.
    FollowUp,
}

impl RegistrationPurpose {
    /// The purpose as stored and shown.
    pub fn code(self) -> &'static str {
        match self {
            Self::WorkshopAdministration => "WORKSHOP_ADMINISTRATION",
            Self::ProgrammeStatistics => "PROGRAMME_STATISTICS",
            Self::FollowUp => "FOLLOW_UP",
        }
    }
}

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

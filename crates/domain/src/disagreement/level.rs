//! The ladder's levels (trappan för oenighet) as Samsyn knows them: what each level does is
//! code, while the rule set says which of them an agreement has and what it calls them.

/// A step of the ladder (trappan för oenighet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Lokal nivå: the nearest line managers (enhetschef or equivalent) of each unit.
    Local,
    /// Chef med ekonomiskt mandat, when costs are involved.
    EconomicMandate,
    /// Vidare i chefslinjen, one step at a time.
    ManagementLine,
    /// Länsgemensam nivå: the county group.
    County,
}

impl Level {
    pub const ALL: [Level; 4] = [
        Level::Local,
        Level::EconomicMandate,
        Level::ManagementLine,
        Level::County,
    ];

    /// 1–4, its place among the four; an agreement's ladder numbers its own levels
    /// ([`rules::DisagreementRules::number`]).
    pub fn canonical_number(self) -> u8 {
        match self {
            Level::Local => 1,
            Level::EconomicMandate => 2,
            Level::ManagementLine => 3,
            Level::County => 4,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Level::Local => "lokal",
            Level::EconomicMandate => "ekonomiskt-mandat",
            Level::ManagementLine => "chefslinjen",
            Level::County => "lan",
        }
    }

    pub fn from_code(code: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Its name where the rule set does not name it.
    pub fn default_name(self) -> &'static str {
        match self {
            Level::Local => "Lokal nivå: närmaste linjechefer",
            Level::EconomicMandate => "Chefer med ekonomiskt mandat",
            Level::ManagementLine => "Vidare i chefslinjen",
            Level::County => "Länsgemensam nivå",
        }
    }
}

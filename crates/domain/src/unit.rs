//! Care units (verksamheter) that send and receive requests.

use crate::Party;

/// The kind of a unit; it fixes which party the unit can belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitKind {
    /// Vårdcentral — regional primary care.
    HealthCentre,
    /// Sjukhusklinik — specialised care at a hospital.
    HospitalClinic,
    /// Psykiatri — psychiatric outpatient or inpatient care.
    Psychiatry,
    /// Kommunal hälso- och sjukvård (HSL) — the municipality's home health care.
    MunicipalHealthCare,
    /// Kommunens rehabteam — the municipality's occupational therapists (and physiotherapists),
    /// who receive the rehabilitation process.
    MunicipalRehabTeam,
}

impl UnitKind {
    pub const ALL: [UnitKind; 5] = [
        UnitKind::HealthCentre,
        UnitKind::HospitalClinic,
        UnitKind::Psychiatry,
        UnitKind::MunicipalHealthCare,
        UnitKind::MunicipalRehabTeam,
    ];

    pub fn code(self) -> &'static str {
        match self {
            UnitKind::HealthCentre => "vardcentral",
            UnitKind::HospitalClinic => "sjukhusklinik",
            UnitKind::Psychiatry => "psykiatri",
            UnitKind::MunicipalHealthCare => "kommunal_hsl",
            UnitKind::MunicipalRehabTeam => "kommunal_rehab",
        }
    }

    pub fn from_code(code: &str) -> Option<UnitKind> {
        UnitKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            UnitKind::HealthCentre => "Vårdcentral",
            UnitKind::HospitalClinic => "Sjukhusklinik",
            UnitKind::Psychiatry => "Psykiatri",
            UnitKind::MunicipalHealthCare => "Kommunal hälso- och sjukvård",
            UnitKind::MunicipalRehabTeam => "Kommunalt rehabteam",
        }
    }

    pub fn is_municipal(self) -> bool {
        matches!(
            self,
            UnitKind::MunicipalHealthCare | UnitKind::MunicipalRehabTeam
        )
    }

    /// Municipal units belong to a municipality; all other kinds belong to the region.
    pub fn fits(self, party: Party) -> bool {
        matches!(
            (self, party),
            (
                UnitKind::MunicipalHealthCare | UnitKind::MunicipalRehabTeam,
                Party::Municipality(_)
            ) | (
                UnitKind::HealthCentre | UnitKind::HospitalClinic | UnitKind::Psychiatry,
                Party::Region
            )
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MunicipalityCode;

    #[test]
    fn kinds_belong_to_the_right_party() {
        let orebro = Party::Municipality(MunicipalityCode::parse("1880").unwrap());
        assert!(UnitKind::MunicipalHealthCare.fits(orebro));
        assert!(!UnitKind::MunicipalHealthCare.fits(Party::Region));
        assert!(UnitKind::HealthCentre.fits(Party::Region));
        assert!(!UnitKind::Psychiatry.fits(orebro));
        for kind in UnitKind::ALL {
            assert_eq!(UnitKind::from_code(kind.code()), Some(kind));
        }
    }
}

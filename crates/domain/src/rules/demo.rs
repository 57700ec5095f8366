//! The `[demo]` section: how the demo county (demolän) of a region is laid out — whose units the
//! main demo logins belong to, and the region's vårdcentraler and clinics by name. Everything is
//! optional: without it, the demo uses the first two municipalities, one vårdcentral per central
//! town, a medicine clinic per hospital in the data's places and one psychiatric clinic.

use super::Municipality;
use super::error::invalid;
use crate::{MunicipalityCode, RuleSetError};
use serde::Deserialize;

/// The demo county's layout, resolved against the rule set's municipalities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLayout {
    /// The municipality whose units the main demo logins (`sjukskoterska`, `lakare`, …) belong
    /// to.
    pub main: MunicipalityCode,
    /// A second municipality, whose nurse shows need-to-know refused across municipalities.
    pub second: MunicipalityCode,
    /// Named vårdcentraler per municipality; a municipality not listed gets one named after its
    /// central town.
    pub health_centres: Vec<(MunicipalityCode, String)>,
    /// The region's hospital clinics; empty means one per hospital in the places file.
    pub clinics: Vec<String>,
    /// The region's psychiatric outpatient clinic; empty means one named after the main
    /// municipality.
    pub psychiatry: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDemo {
    main_municipality: Option<String>,
    second_municipality: Option<String>,
    #[serde(default)]
    health_centres: Vec<RawHealthCentre>,
    #[serde(default)]
    clinics: Vec<String>,
    #[serde(default)]
    psychiatry: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHealthCentre {
    municipality: String,
    name: String,
}

impl RawDemo {
    pub(crate) fn validate(self, parties: &[Municipality]) -> Result<DemoLayout, RuleSetError> {
        let party = |key: &str, code: &str| {
            MunicipalityCode::parse(code)
                .filter(|c| parties.iter().any(|m| m.code == *c))
                .ok_or_else(|| {
                    invalid(key, format!("\"{code}\" är ingen av regelverkets kommuner"))
                })
        };
        let first = parties.first().map(|m| m.code);
        let main = match &self.main_municipality {
            Some(code) => party("demo.main_municipality", code)?,
            None => first.ok_or_else(|| invalid("municipalities", "saknas"))?,
        };
        let second = match &self.second_municipality {
            Some(code) => party("demo.second_municipality", code)?,
            None => parties
                .iter()
                .map(|m| m.code)
                .find(|c| *c != main)
                .unwrap_or(main),
        };
        let mut health_centres = Vec::new();
        for (i, h) in self.health_centres.into_iter().enumerate() {
            let code = party(
                &format!("demo.health_centres[{i}].municipality"),
                &h.municipality,
            )?;
            if h.name.trim().is_empty() {
                return Err(invalid(
                    format!("demo.health_centres[{i}].name"),
                    "får inte vara tomt",
                ));
            }
            health_centres.push((code, h.name.trim().to_owned()));
        }
        Ok(DemoLayout {
            main,
            second,
            health_centres,
            clinics: self.clinics,
            psychiatry: self.psychiatry.trim().to_owned(),
        })
    }
}

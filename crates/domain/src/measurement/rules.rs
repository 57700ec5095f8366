//! The rule set's `[measurement]` section: which professions and codes count, the 2b limit,
//! standard minutes and the cost figures.

use crate::MunicipalityCode;
use crate::measurement::kva::is_kva_code;
use crate::rules::error::{RuleSetError, invalid};
use serde::Deserialize;

/// Hemsjukvårdsmätning: which professions count, the 2b limit, code groups, standard minutes.
#[derive(Debug, Clone)]
pub struct MeasurementRules {
    pub nurse_professions: Vec<String>,
    pub rehab_professions: Vec<String>,
    pub weekly_hours_limit: rust_decimal::Decimal,
    pub default_minutes: u32,
    pub measurement_month: i8,
    /// Group name → KVÅ codes, e.g. `avancerad` → the dialysis codes.
    pub code_groups: std::collections::BTreeMap<String, Vec<String>>,
    pub standard_minutes: std::collections::BTreeMap<String, u32>,
    pub costs: CostRules,
}

/// Kostnad: årsarbetarkostnad per municipality plus overhead, per hour worked.
#[derive(Debug, Clone)]
pub struct CostRules {
    pub overhead_percent: rust_decimal::Decimal,
    /// Hours a full-time employee works per year; 0 until the parties set it.
    pub yearly_working_hours: u32,
    /// Municipality code → årsarbetarkostnad in SEK.
    pub annual_cost_per_fte: std::collections::BTreeMap<String, crate::Sek>,
}

impl CostRules {
    /// Cost of one hour of work in `municipality`, overhead included; `None` while not set.
    pub fn hourly(&self, municipality: &str) -> Option<crate::Sek> {
        let annual = self.annual_cost_per_fte.get(municipality)?;
        if self.yearly_working_hours == 0 {
            return None;
        }
        let factor =
            rust_decimal::Decimal::ONE + self.overhead_percent / rust_decimal::Decimal::ONE_HUNDRED;
        Some(crate::Sek::new(
            annual.amount() * factor / rust_decimal::Decimal::from(self.yearly_working_hours),
        ))
    }
}

impl MeasurementRules {
    pub fn in_group(&self, group: &str, code: &str) -> bool {
        self.code_groups
            .get(group)
            .is_some_and(|codes| codes.iter().any(|c| c == code))
    }

    /// A code the rule set says nothing about (no group, no standard time).
    pub fn is_known(&self, code: &str) -> bool {
        self.standard_minutes.contains_key(code)
            || self
                .code_groups
                .values()
                .any(|codes| codes.iter().any(|c| c == code))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMeasurement {
    nurse_professions: Vec<String>,
    rehab_professions: Vec<String>,
    weekly_hours_limit: String,
    default_minutes: u32,
    measurement_month: i8,
    code_groups: std::collections::BTreeMap<String, Vec<String>>,
    standard_minutes: std::collections::BTreeMap<String, u32>,
    costs: RawCosts,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCosts {
    overhead_percent: String,
    yearly_working_hours: u32,
    annual_cost_per_fte: std::collections::BTreeMap<String, String>,
}

impl RawMeasurement {
    /// Checks the section; cost figures must name a municipality of the rule set.
    pub(crate) fn validate(
        self,
        municipalities: &[MunicipalityCode],
    ) -> Result<MeasurementRules, RuleSetError> {
        let m = self;
        let weekly_hours_limit: rust_decimal::Decimal =
            m.weekly_hours_limit.parse().map_err(|_| {
                invalid(
                    "measurement.weekly_hours_limit",
                    "måste vara ett decimaltal, t.ex. \"2.0\"",
                )
            })?;
        if !(1..=12).contains(&m.measurement_month) {
            return Err(invalid("measurement.measurement_month", "måste vara 1–12"));
        }
        for required in [
            "avancerad",
            "lakemedel",
            "palliativ",
            "hemsjukvard_kontinuerlig",
        ] {
            if !m.code_groups.contains_key(required) {
                return Err(invalid(
                    format!("measurement.code_groups.{required}"),
                    "saknas",
                ));
            }
        }
        for (group, codes) in &m.code_groups {
            if let Some(bad) = codes.iter().find(|c| !is_kva_code(c)) {
                return Err(invalid(
                    format!("measurement.code_groups.{group}"),
                    format!("\"{bad}\" är ingen KVÅ-kod"),
                ));
            }
        }
        let overhead_percent: rust_decimal::Decimal =
            m.costs.overhead_percent.parse().map_err(|_| {
                invalid(
                    "measurement.costs.overhead_percent",
                    "måste vara ett decimaltal, t.ex. \"12\"",
                )
            })?;
        let mut annual_cost_per_fte = std::collections::BTreeMap::new();
        for (code, amount) in &m.costs.annual_cost_per_fte {
            let key = format!("measurement.costs.annual_cost_per_fte.{code}");
            if !municipalities.iter().any(|x| x.as_str() == code) {
                return Err(invalid(&key, "är ingen kommun i regelverket"));
            }
            let amount: rust_decimal::Decimal = amount
                .parse()
                .map_err(|_| invalid(&key, "måste vara ett belopp i kronor, t.ex. \"650000\""))?;
            annual_cost_per_fte.insert(code.clone(), crate::Sek::new(amount));
        }
        let costs = CostRules {
            overhead_percent,
            yearly_working_hours: m.costs.yearly_working_hours,
            annual_cost_per_fte,
        };
        let measurement = MeasurementRules {
            costs,
            nurse_professions: m.nurse_professions,
            rehab_professions: m.rehab_professions,
            weekly_hours_limit,
            default_minutes: m.default_minutes,
            measurement_month: m.measurement_month,
            code_groups: m.code_groups,
            standard_minutes: m.standard_minutes,
        };
        Ok(measurement)
    }
}

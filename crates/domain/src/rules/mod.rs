//! The versioned rule set (regelverk): everything the parties may change without a new build,
//! from every document of the agreement. Each part parses and validates its own section; this
//! file reads the header, region and municipalities and composes the sections.
//!
//! A rule set is TOML. Loading it checks syntax, unknown keys and the meaning of each value, and
//! reports the exact key that is wrong, so that a coordinator editing it can fix it alone.

pub mod citations;
pub mod data;
pub mod demo;
pub mod error;

use crate::case::rules::{
    AcknowledgementRules, DischargeRules, EnrollmentRules, Instrument, JointPlanningRules,
    PsychiatricMedicationRules, RawDeadlines, RawEnrollment, RawInstrument, RawPsychiatric,
};
use crate::measurement::rules::{MeasurementRules, RawMeasurement};
use crate::{MunicipalityCode, Party};
pub use data::{ReadFile, RegionData};
pub use error::RuleSetError;
use error::invalid;
use jiff::civil::Date;
use serde::Deserialize;

/// A validated rule set.
#[derive(Debug, Clone)]
pub struct RuleSet {
    /// Stable id, e.g. `orebro-2025`.
    pub id: String,
    /// Version within the id; every computed figure records `id` and `version`.
    pub version: u32,
    pub name: String,
    /// The short title people know the rule set by, e.g. "Örebro 2025".
    pub title: String,
    /// A made-up region for showing and trying Samsyn: every page says so.
    pub example: bool,
    pub valid_from: Date,
    /// IANA time zone in which deadlines are reckoned, e.g. `Europe/Stockholm`.
    pub time_zone: String,
    pub region_name: String,
    pub county_code: String,
    pub municipalities: Vec<Municipality>,
    pub enrollment: EnrollmentRules,
    pub acknowledgement: AcknowledgementRules,
    pub joint_planning: JointPlanningRules,
    pub discharge: DischargeRules,
    /// Risk assessment instruments accepted for track 1 (Senior Alert, CFS).
    pub instruments: Vec<Instrument>,
    pub psychiatric_medication: PsychiatricMedicationRules,
    /// Spår: which tracks the agreement has and which kinds of unit send each.
    pub tracks: crate::case::track_rules::TrackRules,
    pub measurement: MeasurementRules,
    pub additional_amount: crate::additional_amount::rules::AdditionalAmountRules,
    /// Utvecklingsbudget: how an item is split unless it says otherwise.
    pub development_budget: crate::development_budget::DevelopmentBudgetRules,
    /// Nödåtkomst: how long an emergency opening lasts.
    pub emergency_access: crate::emergency_access::EmergencyAccessRules,
    /// Reservnummer: the region's format and identifier system.
    pub reserve_number: crate::reserve_number::ReserveNumberRules,
    /// Medicinsk behandlingsplan: the follow-up frequencies to choose from.
    pub treatment_plan: crate::care::follow_up::FollowUpRules,
    /// Oenighet: the local managers' deadline and the county group's size.
    pub disagreement: crate::disagreement::rules::DisagreementRules,
    /// Avvikelser i samverkan: the kinds, the answer's deadline, the follow-up margin.
    pub deviation: crate::deviation::rules::DeviationRules,
    /// Uppföljning: the yearly plan's defaults, the joint survey, the sample check.
    pub follow_up: crate::follow_up::rules::YearlyFollowUpRules,
    /// Arbetsdagar: the Swedish calendar with the region's own extra days off (`[calendar]`),
    /// by which every deadline in working days is reckoned.
    pub calendar: crate::calendar::WorkingDayCalendar,
    /// Where in the region's agreement each process is written (`[citations]`).
    pub citations: citations::Citations,
    /// The region's shipped data files (`[data]`), read by [`RuleSet::load`].
    pub data: RegionData,
    /// How the region's demo county is laid out (`[demo]`).
    pub demo: demo::DemoLayout,
}

/// A municipality that is party to the agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Municipality {
    pub code: MunicipalityCode,
    pub name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRuleSet {
    rule_set: RawHeader,
    region: RawRegion,
    municipalities: Vec<RawMunicipality>,
    enrollment: RawEnrollment,
    deadlines: RawDeadlines,
    instruments: Vec<RawInstrument>,
    psychiatric_medication: Option<RawPsychiatric>,
    tracks: Option<Vec<crate::case::track_rules::RawTrack>>,
    measurement: RawMeasurement,
    additional_amount: crate::additional_amount::rules::RawAdditionalAmount,
    development_budget: crate::development_budget::RawDevelopmentBudget,
    emergency_access: crate::emergency_access::RawEmergencyAccess,
    reserve_number: crate::reserve_number::RawReserveNumber,
    treatment_plan: crate::care::follow_up::RawFollowUpRules,
    disagreement: crate::disagreement::rules::RawDisagreementRules,
    deviation: crate::deviation::rules::RawDeviationRules,
    follow_up: crate::follow_up::rules::RawYearlyFollowUpRules,
    #[serde(default)]
    calendar: crate::calendar::RawCalendar,
    #[serde(default)]
    citations: citations::Citations,
    #[serde(default)]
    data: data::RawData,
    #[serde(default)]
    demo: demo::RawDemo,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    id: String,
    version: u32,
    name: String,
    title: String,
    #[serde(default)]
    example: bool,
    valid_from: String,
    time_zone: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegion {
    name: String,
    county_code: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMunicipality {
    code: String,
    name: String,
}

impl RuleSet {
    /// Parses and validates a rule set and reads the data files its `[data]` table names,
    /// through `read` (paths relative to the rule set).
    pub fn load(text: &str, read: ReadFile<'_>) -> Result<RuleSet, RuleSetError> {
        Self::parse(text, Some(read))
    }

    /// Parses and validates a rule set's rules alone, without reading its data files (they
    /// come out empty): for checking rules where the files are not at hand.
    pub fn from_toml(text: &str) -> Result<RuleSet, RuleSetError> {
        Self::parse(text, None)
    }

    fn parse(text: &str, read: Option<ReadFile<'_>>) -> Result<RuleSet, RuleSetError> {
        let raw: RawRuleSet = toml::from_str(text)
            .map_err(|e| RuleSetError::Syntax(e.to_string().trim().to_owned()))?;
        let header = raw.rule_set;
        if header.id.trim().is_empty()
            || !header
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(invalid(
                "rule_set.id",
                "får bara innehålla a–z, 0–9 och bindestreck",
            ));
        }
        if header.version == 0 {
            return Err(invalid("rule_set.version", "måste vara 1 eller större"));
        }
        if header.title.trim().is_empty() {
            return Err(invalid(
                "rule_set.title",
                "måste vara en kort titel, t.ex. regionens namn och året",
            ));
        }
        let valid_from: Date = header
            .valid_from
            .parse()
            .map_err(|_| invalid("rule_set.valid_from", "måste vara ett datum ÅÅÅÅ-MM-DD"))?;
        if !header.time_zone.contains('/') {
            return Err(invalid(
                "rule_set.time_zone",
                "måste vara en IANA-tidszon, t.ex. Europe/Stockholm",
            ));
        }
        let county = raw.region.county_code.trim().to_owned();
        if county.len() != 2 || !county.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(
                "region.county_code",
                "måste vara en tvåsiffrig länskod",
            ));
        }
        if raw.municipalities.is_empty() {
            return Err(invalid("municipalities", "måste innehålla minst en kommun"));
        }
        let mut municipalities: Vec<Municipality> = Vec::with_capacity(raw.municipalities.len());
        for (index, m) in raw.municipalities.into_iter().enumerate() {
            let key = format!("municipalities[{index}].code");
            let code = MunicipalityCode::parse(&m.code).ok_or_else(|| {
                invalid(
                    &key,
                    format!("\"{}\" är inte en fyrsiffrig kommunkod", m.code),
                )
            })?;
            if code.county_code() != county {
                return Err(invalid(&key, format!("{code} hör inte till län {county}")));
            }
            if municipalities.iter().any(|other| other.code == code) {
                return Err(invalid(&key, format!("{code} förekommer mer än en gång")));
            }
            if m.name.trim().is_empty() {
                return Err(invalid(
                    format!("municipalities[{index}].name"),
                    "får inte vara tomt",
                ));
            }
            municipalities.push(Municipality {
                code,
                name: m.name.trim().to_owned(),
            });
        }
        let enrollment = raw.enrollment.validate()?;
        let (acknowledgement, joint_planning, discharge) = raw.deadlines.validate()?;
        let instruments = crate::case::rules::instruments(raw.instruments)?;
        let psychiatric_medication = match raw.psychiatric_medication {
            Some(section) => section.validate()?,
            None => PsychiatricMedicationRules::default(),
        };
        let tracks = crate::case::track_rules::validate(raw.tracks)?;
        let codes: Vec<MunicipalityCode> = municipalities.iter().map(|m| m.code).collect();
        let measurement = raw.measurement.validate(&codes)?;
        let additional_amount = raw.additional_amount.validate()?;
        let development_budget = raw.development_budget.validate()?;
        let emergency_access = raw.emergency_access.validate()?;
        let reserve_number = raw.reserve_number.validate()?;
        let treatment_plan = raw.treatment_plan.validate()?;
        let disagreement = raw.disagreement.validate()?;
        let deviation = raw.deviation.validate()?;
        let follow_up = raw.follow_up.validate()?;
        let demo = raw.demo.validate(&municipalities)?;
        let calendar = raw.calendar.validate()?;
        let citations = raw.citations.validate()?;
        let data = match read {
            Some(read) => raw.data.load(read, &codes)?,
            None => RegionData::default(),
        };
        Ok(RuleSet {
            tracks,
            calendar,
            citations,
            data,
            demo,
            example: header.example,
            follow_up,
            treatment_plan,
            disagreement,
            deviation,
            measurement,
            additional_amount,
            development_budget,
            emergency_access,
            reserve_number,
            id: header.id,
            version: header.version,
            name: header.name,
            title: header.title,
            valid_from,
            time_zone: header.time_zone,
            region_name: raw.region.name,
            county_code: county,
            municipalities,
            enrollment,
            acknowledgement,
            joint_planning,
            discharge,
            instruments,
            psychiatric_medication,
        })
    }

    /// "Regelverk Örebro 2025, version 1": how pages name the rule set and its version.
    /// An example rule set says so wherever it is named: pages, reports and printed documents.
    pub fn display_name(&self) -> String {
        format!(
            "Regelverk {}, version {}{}",
            self.title,
            self.version,
            self.example_marking()
        )
    }

    /// " (exempel: påhittad region)" for an example rule set, else nothing.
    pub fn example_marking(&self) -> &'static str {
        if self.example {
            " (exempel: påhittad region)"
        } else {
            ""
        }
    }

    /// The display name of a stored reference `id@version` (or `id v{version}`): this rule
    /// set's title when the id is its own.
    pub fn display_for(&self, reference: &str) -> String {
        let (id, version) = reference
            .split_once('@')
            .or_else(|| reference.split_once(" v"))
            .unwrap_or((reference, ""));
        let (title, marking) = if id == self.id {
            (self.title.as_str(), self.example_marking())
        } else {
            (id, "")
        };
        if version.is_empty() {
            format!("Regelverk {title}{marking}")
        } else {
            format!("Regelverk {title}, version {version}{marking}")
        }
    }

    /// `id v{version}`, the reference every computed figure carries.
    pub fn reference(&self) -> String {
        format!("{} v{}", self.id, self.version)
    }

    pub fn instrument(&self, id: &str) -> Option<&Instrument> {
        self.instruments.iter().find(|i| i.id == id)
    }

    pub fn municipality(&self, code: MunicipalityCode) -> Option<&Municipality> {
        self.municipalities.iter().find(|m| m.code == code)
    }

    /// The display name of a party.
    pub fn party_name(&self, party: Party) -> String {
        match party {
            Party::Region => self.region_name.clone(),
            Party::Municipality(code) => self
                .municipality(code)
                .map(|m| format!("{} kommun", m.name))
                .unwrap_or_else(|| code.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OREBRO: &str = include_str!("../../../../rules/orebro-2025.toml");

    fn beside_rules(path: &str) -> Result<String, String> {
        std::fs::read_to_string(format!("{}/../../rules/{path}", env!("CARGO_MANIFEST_DIR")))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn shipped_orebro_rule_set_reads_its_data_files() {
        let rules = RuleSet::load(OREBRO, &beside_rules).unwrap();
        let data = &rules.data;
        let kumla = MunicipalityCode::parse("1881").unwrap();
        assert_eq!(data.aged_65_plus(kumla, 2025).map(|(y, _)| y), Some(2023));
        assert_eq!(data.places.towns.len(), 12);
        let published = data.published_measurement("2025-10").unwrap();
        assert_eq!(published.counts.len(), 12);
        assert_eq!(published.counts.values().map(|c| c[4]).sum::<u64>(), 117);
        let history = data.category4_history.as_ref().unwrap();
        assert_eq!(history.rows.iter().map(|r| r.base_outcome).sum::<u64>(), 61);
        assert_eq!(history.county.as_ref().map(|c| c.base_outcome), Some(86));
        assert!(!data.follow_up_plan(2025).unwrap().methods.is_empty());
        assert!(data.follow_up_plan(2026).is_none());
        assert!(
            RuleSet::from_toml(OREBRO)
                .unwrap()
                .data
                .population
                .0
                .is_empty()
        );
    }

    #[test]
    fn the_example_region_differs_where_a_real_region_would() {
        let text = beside_rules("exempel-2026.toml").unwrap();
        let rules = RuleSet::load(&text, &beside_rules).unwrap();
        assert!(rules.example);
        assert_eq!(
            rules.display_name(),
            "Regelverk Exempel 2026, version 1 (exempel: påhittad region)"
        );
        assert_eq!(rules.municipalities.len(), 3);
        assert_eq!(rules.acknowledgement.working_days_after_sent, 2);
        assert!(!rules.psychiatric_medication.offered());
        assert!(
            RuleSet::from_toml(OREBRO)
                .unwrap()
                .psychiatric_medication
                .offered()
        );
        let pots = &rules.additional_amount.pots;
        assert_eq!(pots.len(), 2);
        assert_eq!(
            pots[0].key,
            crate::additional_amount::rules::PotKey::Inhabitants
        );
        assert_eq!(
            rules.additional_amount.distance_threshold_km,
            rust_decimal::Decimal::from(50)
        );
        assert_eq!(rules.measurement.measurement_month, 3);
        assert!(rules.data.published_measurement("2026-03").is_some());
        assert_eq!(rules.data.places.hospitals.len(), 1);
        let ekby = MunicipalityCode::parse("9901").unwrap();
        assert_eq!(rules.demo.main, ekby);
        assert_eq!(rules.demo.second, MunicipalityCode::parse("9902").unwrap());
    }

    #[test]
    fn a_data_file_that_cannot_be_read_or_is_wrong_names_its_key() {
        let missing = |_: &str| Err("finns inte".to_owned());
        let e = RuleSet::load(OREBRO, &missing).unwrap_err().to_string();
        assert!(e.contains("`data.population.file`"), "{e}");
        assert!(e.contains("orebro-2025/population.csv"), "{e}");
        let wrong = |path: &str| {
            if path.ends_with("measurement_2025.csv") {
                Ok(format!(
                    "{}\n1880;Örebro;1;1;1;1;1;1;7\n",
                    data::PUBLISHED_MEASUREMENT_HEADER
                ))
            } else {
                beside_rules(path)
            }
        };
        let e = RuleSet::load(OREBRO, &wrong).unwrap_err().to_string();
        assert!(e.contains("`data.published_measurements[0].file`"), "{e}");
        assert!(e.contains("rad 2, kolumn totalt"), "{e}");
    }

    #[test]
    fn shipped_orebro_rule_set_loads() {
        let rules = RuleSet::from_toml(OREBRO).unwrap();
        assert_eq!(rules.reference(), "orebro-2025 v1");
        assert_eq!(rules.municipalities.len(), 12);
        let lekeberg = rules
            .municipality(MunicipalityCode::parse("1814").unwrap())
            .unwrap();
        assert_eq!(lekeberg.name, "Lekeberg");
        assert_eq!(rules.enrollment.minimum_age, 18);
        assert_eq!(rules.acknowledgement.working_days_after_sent, 1);
        assert_eq!(rules.psychiatric_medication.criteria.len(), 8);
        // The agreement's ten responsibilities of the region (§3.2.1, Ansvarsfördelning).
        let region = &rules.psychiatric_medication.region_responsibilities;
        assert_eq!(region.len(), 10);
        assert!(region[9].contains("bemötandeplan"));
        assert_eq!(
            rules
                .psychiatric_medication
                .municipality_responsibilities
                .len(),
            3
        );
        assert_eq!(rules.joint_planning.calendar_days_after_enrollment, 7);
        let cfs = rules.instrument("cfs").unwrap();
        assert!(cfs.shows_risk(5) && !cfs.shows_risk(4));
        let norton = rules.instrument("norton").unwrap();
        assert!(norton.shows_risk(20) && !norton.shows_risk(21));
    }

    #[test]
    fn cost_per_hour_needs_both_parameters() {
        let rules = RuleSet::from_toml(OREBRO).unwrap();
        assert_eq!(
            rules.measurement.costs.hourly("1880"),
            None,
            "not set in the shipped rule set"
        );
        let set = OREBRO
            .replace("yearly_working_hours = 0", "yearly_working_hours = 1600")
            .replace(
                "[measurement.costs.annual_cost_per_fte]",
                "[measurement.costs.annual_cost_per_fte]\n1880 = \"640000\"",
            );
        let rules = RuleSet::from_toml(&set).unwrap();
        // 640 000 × 1.12 / 1 600 = 448 kr per hour, exactly.
        assert_eq!(
            rules.measurement.costs.hourly("1880"),
            Some(crate::Sek::from_ore(44_800))
        );
        let unknown = set.replace("1880 = \"640000\"", "9999 = \"1\"");
        assert!(
            matches!(RuleSet::from_toml(&unknown), Err(RuleSetError::Invalid { key, .. }) if key.ends_with("9999"))
        );
    }

    #[test]
    fn unknown_keys_are_reported_with_position() {
        let text = OREBRO.replace("minimum_age = 18", "minimum_age = 18\nminimum_agee = 3");
        let error = RuleSet::from_toml(&text).unwrap_err().to_string();
        assert!(error.contains("minimum_agee"), "{error}");
        assert!(error.contains("line"), "{error}");
    }

    #[test]
    fn semantic_errors_name_the_key() {
        let wrong_county = OREBRO.replace("code = \"1885\"", "code = \"0180\"");
        assert_eq!(
            RuleSet::from_toml(&wrong_county).unwrap_err(),
            invalid("municipalities[11].code", "0180 hör inte till län 18")
        );
        let duplicate = OREBRO.replace("code = \"1885\"", "code = \"1814\"");
        assert!(matches!(
            RuleSet::from_toml(&duplicate),
            Err(RuleSetError::Invalid { key, .. }) if key == "municipalities[11].code"
        ));
        let threshold = OREBRO.replace("threshold = 5", "threshold = 10");
        assert_eq!(
            RuleSet::from_toml(&threshold).unwrap_err(),
            invalid("instruments[4].threshold", "måste ligga mellan 1 och 9")
        );
        let blank = OREBRO.replace(
            "sip = \"Hälso- och sjukvård i hemmet primärvårdsnivå, §3.1.4\"",
            "sip = \" \"",
        );
        assert_eq!(
            RuleSet::from_toml(&blank).unwrap_err(),
            invalid("citations.sip", "får inte vara tomt")
        );
        let one_day_plan = OREBRO.replace("plan_covers_days = 7", "plan_covers_days = 1");
        assert_eq!(
            RuleSet::from_toml(&one_day_plan).unwrap_err(),
            invalid(
                "deadlines.discharge.plan_covers_days",
                "måste vara mellan 2 och 30 dagar"
            )
        );
        let zero = OREBRO.replace("working_days_after_sent = 1", "working_days_after_sent = 0");
        assert!(matches!(
            RuleSet::from_toml(&zero),
            Err(RuleSetError::Invalid { key, .. }) if key == "deadlines.acknowledgement.working_days_after_sent"
        ));
    }

    #[test]
    fn a_calendar_day_off_is_a_dated_named_day_once() {
        let with = |days: &str| {
            RuleSet::from_toml(&OREBRO.replace(
                "[deadlines.acknowledgement]",
                &format!(
                    "[calendar]\nextra_non_working_days = [{days}]\n\n[deadlines.acknowledgement]"
                ),
            ))
        };
        let rules = with("{ date = \"2026-11-23\", name = \"Planeringsdag\" }").unwrap();
        assert_eq!(
            rules
                .calendar
                .holiday_name(jiff::civil::date(2026, 11, 23))
                .as_deref(),
            Some("Planeringsdag")
        );
        assert_eq!(
            with("{ date = \"2026-11-31\", name = \"X\" }").unwrap_err(),
            invalid(
                "calendar.extra_non_working_days[0].date",
                "måste vara ett datum ÅÅÅÅ-MM-DD"
            )
        );
        assert_eq!(
            with("{ date = \"2026-11-23\", name = \" \" }").unwrap_err(),
            invalid(
                "calendar.extra_non_working_days[0].name",
                "får inte vara tomt"
            )
        );
        let twice =
            "{ date = \"2026-11-23\", name = \"A\" }, { date = \"2026-11-23\", name = \"B\" }";
        assert_eq!(
            with(twice).unwrap_err(),
            invalid("calendar.extra_non_working_days[1].date", "finns redan")
        );
        assert!(
            RuleSet::from_toml(OREBRO).unwrap().calendar
                == crate::calendar::WorkingDayCalendar::default()
        );
    }
}

//! Gathers the yearly follow-up report from the live data: the plan, the survey, the indicators,
//! the sample check, the disagreements, the deviations, the measurement and the tilläggsbelopp.
//! The page, the exports and `samsyn report follow-up` all print this one value; a final year
//! prints the report as it was finalised.

use jiff::civil::{Date, date};
use samsyn_domain::RuleSet;
use samsyn_domain::follow_up::indicators;
use samsyn_domain::follow_up::plan::{self as plan_rules, PlannedMethod};
use samsyn_domain::follow_up::sample_check;
use samsyn_domain::follow_up::survey::{self, SubmittedAnswer, SurveyStatus, Timeliness};
use samsyn_domain::measurement::{Category, Period, with_manual_assessments};
use samsyn_reports::follow_up::{
    AdditionalAmountResult, FollowUpReport, MeasurementResult, MeasurementRow, PlanRow,
    SampleCheckResult, SurveyResult, VariantResult,
};
use samsyn_store::follow_up::{
    case_facts, plan, sample_check as stored_checks, survey as stored_survey,
};
use samsyn_store::{DbConnection, StoreError, measurement};

/// The plan a year shows before chefsgruppen has started it: the published plan where the
/// region ships one (`[data] follow_up_plans`), else the rule set's defaults.
pub fn starting_plan(rules: &RuleSet, year: i16) -> Vec<PlannedMethod> {
    match rules.data.follow_up_plan(year) {
        Some(published) => published.methods.clone(),
        None => plan_rules::defaults(&rules.follow_up, year),
    }
}

/// The year's plan: as stored, or as it would start.
pub fn plan_of(
    conn: &mut DbConnection,
    rules: &RuleSet,
    year: i16,
) -> Result<Vec<PlannedMethod>, StoreError> {
    match plan::year(conn, year)? {
        Some(_) => plan::methods(conn, year),
        None => Ok(starting_plan(rules, year)),
    }
}

/// The last day the year's figures cover: today within the year, the year's end after it.
pub fn as_of(year: i16, today: Date) -> Date {
    if today.year() > year {
        date(year, 12, 31)
    } else {
        today
    }
}

/// The indicators of `year`, as of `today`.
pub fn indicators(
    conn: &mut DbConnection,
    rules: &RuleSet,
    year: i16,
    today: Date,
) -> Result<Vec<indicators::Indicator>, StoreError> {
    let facts = case_facts::all(conn, rules)?;
    let municipalities: Vec<String> = rules
        .municipalities
        .iter()
        .map(|m| m.code.to_string())
        .collect();
    Ok(indicators::compute(
        &facts,
        year,
        as_of(year, today),
        &municipalities,
        &rules.calendar,
    ))
}

pub fn survey_result(
    conn: &mut DbConnection,
    rules: &RuleSet,
    year: i16,
    today: Date,
) -> Result<SurveyResult, StoreError> {
    let survey_rules = &rules.follow_up.survey;
    let due = survey::due_on(survey_rules, year);
    let pairs = stored_survey::pairs(conn, year)?;
    let responses = stored_survey::responses(conn, year)?;
    let zone = jiff::tz::TimeZone::get(&rules.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let name = |pair_id: &str| {
        pairs
            .iter()
            .find(|p| p.id == pair_id)
            .map(|p| {
                format!(
                    "{} – {}",
                    p.health_centre,
                    municipality_name(rules, &p.municipality)
                )
            })
            .unwrap_or_default()
    };
    let (mut answered, mut late, mut missing) = (0, 0, Vec::new());
    for pair in &pairs {
        for variant in &survey_rules.variants {
            let response = responses
                .iter()
                .find(|r| r.pair_id == pair.id && r.variant == variant.code);
            let submitted = response
                .and_then(|r| r.submitted_at)
                .map(|at| at.to_zoned(zone.clone()).date());
            match survey::timeliness(due, survey_rules.reminder_days, today, submitted) {
                Timeliness::OnTime => answered += 1,
                Timeliness::Late => {
                    answered += 1;
                    late += 1;
                }
                _ => missing.push(format!("{} ({})", name(&pair.id), variant.label)),
            }
        }
    }
    let variants = survey_rules
        .variants
        .iter()
        .map(|variant| {
            let submitted: Vec<SubmittedAnswer> = responses
                .iter()
                .filter(|r| r.variant == variant.code && r.status == SurveyStatus::Submitted)
                .map(|r| SubmittedAnswer {
                    pair: name(&r.pair_id),
                    content: r.content.clone(),
                })
                .collect();
            let mut questions = survey::compile(survey_rules, &variant.code, &submitted);
            let by_area = survey::area_means(survey_rules, &questions);
            for q in &mut questions {
                q.area = survey_rules.area_label(&q.area).to_owned();
            }
            let texts = |pick: fn(&SubmittedAnswer) -> &str| {
                submitted
                    .iter()
                    .filter(|a| !pick(a).is_empty())
                    .map(|a| (a.pair.clone(), pick(a).to_owned()))
                    .collect::<Vec<_>>()
            };
            VariantResult {
                code: variant.code.clone(),
                label: variant.label.clone(),
                answered: submitted.len(),
                by_area,
                questions,
                strengths: texts(|a| &a.content.strengths),
                improvements: texts(|a| &a.content.improvements),
                challenges: texts(|a| &a.content.challenges),
            }
        })
        .collect();
    Ok(SurveyResult {
        due,
        questionnaire: survey_rules.version.clone(),
        pairs: pairs.len() * survey_rules.variants.len(),
        answered,
        late,
        missing,
        scale: survey_rules.scale.clone(),
        variants,
    })
}

pub fn municipality_name(rules: &RuleSet, code: &str) -> String {
    rules
        .municipalities
        .iter()
        .find(|m| m.code.as_str() == code)
        .map_or(code.to_owned(), |m| m.name.clone())
}

fn sample_check_result(
    conn: &mut DbConnection,
    rules: &RuleSet,
    year: i16,
) -> Result<SampleCheckResult, StoreError> {
    let checks = stored_checks::of_year(conn, year)?;
    let mut reviewed = Vec::new();
    let mut drawn = 0;
    let mut described = Vec::new();
    for check in &checks {
        drawn += check.items.len();
        described.push(format!(
            "{} – {}, frö {}, {} planer",
            check.period.0,
            check.period.1,
            check.seed,
            check.items.len()
        ));
        for item in &check.items {
            if let Some(review) = &item.review {
                reviewed.push((item.municipality.clone(), review.clone()));
            }
        }
    }
    let results = sample_check::results(&rules.follow_up.sample_check, &reviewed);
    Ok(SampleCheckResult {
        checks: described,
        drawn,
        reviewed: reviewed.len(),
        checkpoints: rules
            .follow_up
            .sample_check
            .checklist
            .iter()
            .map(|p| p.label.clone())
            .collect(),
        by_party: results
            .into_iter()
            .map(|(party, counts)| {
                (
                    party,
                    counts.into_iter().map(|(_, met, of)| (met, of)).collect(),
                )
            })
            .collect(),
    })
}

fn measurement_result(
    conn: &mut DbConnection,
    rules: &RuleSet,
    year: i16,
) -> Result<MeasurementResult, StoreError> {
    // The year's measurement, or the latest before it (the one the year's tilläggsbelopp rests
    // on until the year is measured).
    let period = measurement::periods(conn)?
        .into_iter()
        .filter_map(|p| Period::month(&p))
        .filter(|p| p.first.year() <= year)
        .max_by_key(|p| p.first);
    let categories = Category::ALL.iter().map(|c| c.code().to_owned()).collect();
    let Some(period) = period else {
        return Ok(MeasurementResult {
            period: None,
            categories,
            rows: Vec::new(),
        });
    };
    let elderly = measurement::enrolled_65_plus(conn, period)?;
    let manual = measurement::assessments_for(conn, period)?;
    let measured = with_manual_assessments(
        measurement::results::measured(conn, period, rules)?,
        &manual,
    );
    let rows = samsyn_reports::measurement::rows(&measured, rules)
        .into_iter()
        .map(|(code, name, r)| {
            let inhabitants = samsyn_domain::MunicipalityCode::parse(&code)
                .and_then(|c| rules.data.aged_65_plus(c, period.first.year() - 1))
                .map(|(_, n)| n)
                .filter(|n| *n > 0);
            let enrolled = elderly.get(&code).copied().unwrap_or(0);
            let share = inhabitants.map(|n| enrolled as f64 * 100.0 / n as f64);
            MeasurementRow {
                code,
                name,
                patients: r.patients,
                categories: r.categories.to_vec(),
                share_65_plus: share,
            }
        })
        .collect();
    Ok(MeasurementResult {
        period: Some(period.label()),
        categories,
        rows,
    })
}

fn additional_amount_result(
    conn: &mut DbConnection,
    rules: &RuleSet,
    year: i16,
) -> Result<AdditionalAmountResult, StoreError> {
    use samsyn_reports::additional_amount::Statement;
    let decided = samsyn_store::additional_amount::decision_in_force(conn, year)?;
    let (status, statement) = match decided {
        Some(version) => (
            format!(
                "{} (version {})",
                version.summary.status.label(),
                version.summary.version
            ),
            serde_json::from_str::<Statement>(&version.statement).ok(),
        ),
        None => {
            let data = crate::additional_amount::data::calculation_data(conn, rules)?;
            (
                "Beräknat ur regelverk och indata, inte beslutat".to_owned(),
                samsyn_reports::additional_amount::statement(rules, year, &data).ok(),
            )
        }
    };
    Ok(match statement {
        Some(s) => AdditionalAmountResult {
            status,
            total: s.paid,
            rows: s
                .municipalities
                .iter()
                .map(|m| (m.code.clone(), m.name.clone(), m.total))
                .collect(),
        },
        None => AdditionalAmountResult {
            status: "Kan inte beräknas: indata saknas för året".into(),
            total: 0,
            rows: Vec::new(),
        },
    })
}

/// The report of `year` as the data stand on `today` (a final year's stored report is shown
/// instead by the callers).
pub fn gather(
    conn: &mut DbConnection,
    rules: &RuleSet,
    year: i16,
    today: Date,
) -> Result<FollowUpReport, StoreError> {
    let record = plan::year(conn, year)?;
    let methods = plan_of(conn, rules, year)?;
    let plan_decision = match &record {
        Some(r) => match r.plan_decided_on {
            Some(on) => format!(
                "Beslutad av chefsgruppen {on}{}",
                if r.plan_decision.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", r.plan_decision)
                }
            ),
            None => "Inte beslutad av chefsgruppen".into(),
        },
        None => "Inte påbörjad; visar regelverkets förval".into(),
    };
    let disagreements = crate::disagreement::compilation::compile(conn, rules, year, today)?;
    let deviations = crate::deviation::statistics::statistics(conn, rules, year)?;
    Ok(FollowUpReport {
        year,
        rules: rules.reference(),
        rules_label: rules.display_name(),
        citation: rules.citations.follow_up.clone(),
        as_of: as_of(year, today),
        status: "Utkast, inte slutligt".into(),
        plan_decision,
        plan: methods
            .iter()
            .map(|m| PlanRow {
                part: m.part,
                part_label: rules.follow_up.part_label(m.part).to_owned(),
                method: m.label.clone(),
                responsible: m.responsible.clone(),
                due: m.due_on,
                done: m.done,
                comment: m.comment.clone(),
            })
            .collect(),
        survey: survey_result(conn, rules, year, today)?,
        municipalities: rules
            .municipalities
            .iter()
            .map(|m| (m.code.to_string(), m.name.clone()))
            .collect(),
        indicators: indicators(conn, rules, year, today)?,
        sample_check: sample_check_result(conn, rules, year)?,
        disagreements: disagreements.to_json(),
        deviations: deviations.to_json(),
        measurement: measurement_result(conn, rules, year)?,
        additional_amount: additional_amount_result(conn, rules, year)?,
        summary: record
            .as_ref()
            .map(|r| r.summary.clone())
            .unwrap_or_default(),
        proposals: record
            .as_ref()
            .map(|r| r.proposals.clone())
            .unwrap_or_default(),
    })
}

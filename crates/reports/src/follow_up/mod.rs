//! The yearly follow-up report (*uppföljningsrapport*), generated from what happened: the plan's
//! table, the joint survey's results, the indicators, the sample check, the disagreements, the
//! deviations, the measurement and the tilläggsbelopp, with chefsgruppen's summary. One value, as
//! the documented JSON, Excel (a sheet per table) and PDF. Every figure names its source and
//! period; no person is named.

use crate::care::plan_pdf::BarChart;
use crate::table::{self, Table};
use jiff::civil::Date;
use samsyn_domain::follow_up::indicators::{Indicator, Measure};
use samsyn_domain::follow_up::survey::QuestionSummary;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// A method of the year's plan as the report prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanRow {
    pub part: u8,
    pub part_label: String,
    pub method: String,
    pub responsible: String,
    pub due: Date,
    pub done: Option<bool>,
    pub comment: String,
}

/// One variant's compiled answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VariantResult {
    pub code: String,
    pub label: String,
    pub answered: usize,
    /// Area label and the mean of its questions.
    pub by_area: Vec<(String, Option<f64>)>,
    /// Each question's compilation, its `area` the area's label.
    pub questions: Vec<QuestionSummary>,
    /// (pair, text) for each of strengths, improvements and challenges.
    pub strengths: Vec<(String, String)>,
    pub improvements: Vec<(String, String)>,
    pub challenges: Vec<(String, String)>,
}

/// The joint survey's part of the report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SurveyResult {
    pub due: Date,
    pub questionnaire: String,
    /// Pair × variant answers expected, submitted, and submitted late.
    pub pairs: usize,
    pub answered: usize,
    pub late: usize,
    /// The pairs and variants not submitted.
    pub missing: Vec<String>,
    /// The scale's labels, lowest first.
    pub scale: Vec<String>,
    pub variants: Vec<VariantResult>,
}

/// The sample check's part: per municipality and checkpoint, met of reviewed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SampleCheckResult {
    /// "period, seed, drawn" for each check made in the year.
    pub checks: Vec<String>,
    pub drawn: usize,
    pub reviewed: usize,
    pub checkpoints: Vec<String>,
    /// Municipality name → (met, reviewed) per checkpoint.
    pub by_party: Vec<(String, Vec<(usize, usize)>)>,
}

/// The measurement's part: per municipality, patients per category and the 65+ share.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MeasurementResult {
    /// The period measured, or `None` when no measurement of the year is stored.
    pub period: Option<String>,
    pub categories: Vec<String>,
    pub rows: Vec<MeasurementRow>,
}

/// One municipality's measurement.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MeasurementRow {
    pub code: String,
    pub name: String,
    pub patients: u64,
    /// Patients per category, in the categories' order.
    pub categories: Vec<u64>,
    /// Enrolled 65+ in ordinary housing as a share of the inhabitants 65+, in per cent.
    pub share_65_plus: Option<f64>,
}

/// The tilläggsbelopp's part.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AdditionalAmountResult {
    /// E.g. "Beslutat (version 2)" or "Beräknat, inte beslutat".
    pub status: String,
    pub total: i64,
    /// (code, name, kronor).
    pub rows: Vec<(String, String, i64)>,
}

/// The whole report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FollowUpReport {
    pub year: i16,
    /// `id@version` of the rule set.
    pub rules: String,
    /// The rule set as people name it: "Regelverk Örebro 2025, version 1".
    #[serde(default)]
    pub rules_label: String,
    /// Where the region's agreement asks for the yearly follow-up, if the rule set says.
    #[serde(default)]
    pub citation: Option<String>,
    /// The day the figures were read (the last day they cover).
    pub as_of: Date,
    /// Final, with who and when, or a draft.
    pub status: String,
    pub plan_decision: String,
    pub plan: Vec<PlanRow>,
    pub survey: SurveyResult,
    /// (code, name) of every municipality, in the rule set's order.
    pub municipalities: Vec<(String, String)>,
    pub indicators: Vec<Indicator>,
    pub sample_check: SampleCheckResult,
    /// The disagreement compilation's and the deviation statistics' documented JSON.
    pub disagreements: Value,
    pub deviations: Value,
    pub measurement: MeasurementResult,
    pub additional_amount: AdditionalAmountResult,
    pub summary: String,
    pub proposals: String,
}

fn done_text(done: Option<bool>) -> &'static str {
    match done {
        Some(true) => "Ja",
        Some(false) => "Nej",
        None => "Inte bedömt",
    }
}

/// A figure with a decimal comma: whole numbers for counts, one decimal otherwise.
pub fn figure(measure: Measure, value: Option<f64>) -> String {
    match (measure, value) {
        (_, None) => "–".into(),
        (Measure::Count, Some(v)) => format!("{v:.0}"),
        (_, Some(v)) => format!("{v:.1}").replace('.', ","),
    }
}

fn mean_text(value: Option<f64>) -> String {
    value.map_or("–".into(), |v| format!("{v:.2}").replace('.', ","))
}

fn round(value: Option<f64>) -> Value {
    value.map_or(Value::Null, |v| json!((v * 10.0).round() / 10.0))
}

impl SurveyResult {
    /// The survey's tables: per question, per area, the free texts, the answers not submitted.
    /// Hälsoval's compilation shows them as they stand in the report.
    pub fn tables(&self) -> Vec<Table> {
        let mut tables = Vec::new();
        let mut survey_headings = strings(&["Variant", "Område", "Fråga"]);
        survey_headings.extend(self.scale.iter().cloned());
        survey_headings.push("Medel".into());
        tables.push(Table {
            title: "Enkät per fråga".into(),
            headers: survey_headings,
            rows: self
                .variants
                .iter()
                .flat_map(|v| {
                    v.questions.iter().map(move |q| {
                        let mut row = vec![v.label.clone(), q.area.clone(), q.text.clone()];
                        row.extend(q.distribution.iter().map(|n| n.to_string()));
                        row.push(mean_text(q.mean));
                        row
                    })
                })
                .collect(),
        });
        tables.push(Table {
            title: "Enkät per område".into(),
            headers: strings(&["Variant", "Område", "Medel", "Svar"]),
            rows: self
                .variants
                .iter()
                .flat_map(|v| {
                    v.by_area.iter().map(move |(area, mean)| {
                        vec![
                            v.label.clone(),
                            area.clone(),
                            mean_text(*mean),
                            v.answered.to_string(),
                        ]
                    })
                })
                .collect(),
        });
        tables.push(Table {
            title: "Enkät fritext".into(),
            headers: strings(&["Variant", "Slag", "Par", "Text"]),
            rows: self
                .variants
                .iter()
                .flat_map(|v| {
                    [
                        ("Styrkor", &v.strengths),
                        ("Förbättringar", &v.improvements),
                        ("Utmaningar", &v.challenges),
                    ]
                    .into_iter()
                    .flat_map(move |(kind, texts)| {
                        texts.iter().map(move |(pair, text)| {
                            vec![v.label.clone(), kind.to_owned(), pair.clone(), text.clone()]
                        })
                    })
                })
                .collect(),
        });
        tables.push(Table {
            title: "Enkät ej inskickad".into(),
            headers: strings(&["Par och variant"]),
            rows: self.missing.iter().map(|m| vec![m.clone()]).collect(),
        });
        tables
    }
}

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

impl FollowUpReport {
    /// The report as stored when finalised, to be shown unchanged ever after. A field added
    /// later needs `#[serde(default)]`, or stored reports stop reading.
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_stored(text: &str) -> Option<FollowUpReport> {
        serde_json::from_str(text).ok()
    }

    /// The documented JSON shape (README: `samsyn report follow-up`).
    pub fn to_json(&self) -> Value {
        let indicators: Vec<Value> = self
            .indicators
            .iter()
            .map(|i| {
                let by_party: Map<String, Value> = i
                    .by_party
                    .iter()
                    .map(|(code, v)| (code.clone(), round(*v)))
                    .collect();
                json!({
                    "id": i.id,
                    "label": i.label,
                    "definition": i.definition,
                    "unit": i.measure.unit(),
                    "county": round(i.county),
                    "by_party": by_party,
                    "monthly": i.monthly.iter().map(|v| round(*v)).collect::<Vec<_>>(),
                    "observations": i.observations,
                })
            })
            .collect();
        let by_area: Map<String, Value> = self
            .survey
            .variants
            .iter()
            .map(|v| {
                let areas: Map<String, Value> = v
                    .by_area
                    .iter()
                    .map(|(area, mean)| (area.clone(), v_mean(*mean)))
                    .collect();
                (v.code.clone(), Value::Object(areas))
            })
            .collect();
        let questions: Vec<Value> = self
            .survey
            .variants
            .iter()
            .flat_map(|v| {
                v.questions.iter().map(move |q| {
                    json!({
                        "variant": v.code,
                        "question": q.code,
                        "area": q.area,
                        "distribution": q.distribution,
                        "mean": v_mean(q.mean),
                    })
                })
            })
            .collect();
        let sample_by_party: Map<String, Value> = self
            .sample_check
            .by_party
            .iter()
            .map(|(party, counts)| {
                let points: Map<String, Value> = self
                    .sample_check
                    .checkpoints
                    .iter()
                    .zip(counts)
                    .map(|(point, (met, of))| (point.clone(), json!({"met": met, "reviewed": of})))
                    .collect();
                (party.clone(), Value::Object(points))
            })
            .collect();
        json!({
            "year": self.year,
            "rules": self.rules,
            "rules_label": self.rules_label,
            "as_of": self.as_of.to_string(),
            "status": self.status,
            "plan_decision": self.plan_decision,
            "plan": self.plan.iter().map(|p| json!({
                "part": p.part,
                "area": p.part_label,
                "method": p.method,
                "responsible": p.responsible,
                "due": p.due.to_string(),
                "done": p.done,
                "comment": p.comment,
            })).collect::<Vec<_>>(),
            "survey": {
                "due": self.survey.due.to_string(),
                "questionnaire": self.survey.questionnaire,
                "pairs": self.survey.pairs,
                "answered": self.survey.answered,
                "late": self.survey.late,
                "missing": self.survey.missing,
                "by_area": by_area,
                "questions": questions,
            },
            "indicators": indicators,
            "sample_check": {
                "checks": self.sample_check.checks,
                "drawn": self.sample_check.drawn,
                "reviewed": self.sample_check.reviewed,
                "by_party": sample_by_party,
            },
            "disagreements": self.disagreements,
            "deviations": self.deviations,
            "measurement": {
                "period": self.measurement.period,
                "municipalities": self.measurement.rows.iter().map(|row| json!({
                    "code": row.code,
                    "name": row.name,
                    "patients": row.patients,
                    "categories": self.measurement.categories.iter().zip(&row.categories).map(|(c, n)| (c.clone(), json!(n))).collect::<Map<String, Value>>(),
                    "share_65_plus_percent": round(row.share_65_plus),
                })).collect::<Vec<_>>(),
            },
            "additional_amount": {
                "status": self.additional_amount.status,
                "total": self.additional_amount.total,
                "municipalities": self.additional_amount.rows.iter().map(|(code, name, kronor)| json!({
                    "code": code, "name": name, "kronor": kronor,
                })).collect::<Vec<_>>(),
            },
            "summary": self.summary,
            "proposals": self.proposals,
        })
    }

    fn party_name(&self, code: &str) -> String {
        self.municipalities
            .iter()
            .find(|(c, _)| c == code)
            .map_or(code.to_owned(), |(_, n)| n.clone())
    }

    /// Every table of the report, in its order; the Excel workbook has a sheet for each.
    pub fn tables(&self) -> Vec<Table> {
        let mut tables = vec![Table {
            title: "Uppföljningsplan".into(),
            headers: strings(&[
                "Område",
                "Mätmetod",
                "Ansvarig",
                "Klart senast",
                "Genomfört",
                "Kommentar",
            ]),
            rows: self
                .plan
                .iter()
                .map(|p| {
                    vec![
                        format!("{}. {}", p.part, p.part_label),
                        p.method.clone(),
                        p.responsible.clone(),
                        p.due.to_string(),
                        done_text(p.done).into(),
                        p.comment.clone(),
                    ]
                })
                .collect(),
        }];
        let mut headings = strings(&["Indikator", "Enhet", "Länet"]);
        headings.extend(self.municipalities.iter().map(|(_, n)| n.clone()));
        headings.push("Så beräknas den".into());
        tables.push(Table {
            title: "Indikatorer".into(),
            headers: headings,
            rows: self
                .indicators
                .iter()
                .map(|i| {
                    let mut row = vec![
                        i.label.clone(),
                        i.measure.unit().into(),
                        figure(i.measure, i.county),
                    ];
                    row.extend(self.municipalities.iter().map(|(code, _)| {
                        figure(i.measure, i.by_party.get(code).copied().flatten())
                    }));
                    row.push(i.definition.clone());
                    row
                })
                .collect(),
        });
        let mut months = strings(&["Indikator"]);
        months.extend(
            [
                "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
            ]
            .map(String::from),
        );
        tables.push(Table {
            title: "Indikatorer per månad".into(),
            headers: months,
            rows: self
                .indicators
                .iter()
                .map(|i| {
                    let mut row = vec![format!("{} ({})", i.label, i.measure.unit())];
                    row.extend(i.monthly.iter().map(|v| figure(i.measure, *v)));
                    row
                })
                .collect(),
        });
        tables.extend(self.survey.tables());
        let mut sample_headings = strings(&["Kommun"]);
        sample_headings.extend(self.sample_check.checkpoints.iter().cloned());
        tables.push(Table {
            title: "Stickprov".into(),
            headers: sample_headings,
            rows: self
                .sample_check
                .by_party
                .iter()
                .map(|(party, counts)| {
                    let mut row = vec![self.party_name(party)];
                    row.extend(counts.iter().map(|(met, of)| format!("{met} av {of}")));
                    row
                })
                .collect(),
        });
        tables.push(Table {
            title: "Oenighet".into(),
            headers: strings(&["Nivå", "Ärenden"]),
            rows: self.disagreements["by_level"]
                .as_object()
                .map(|levels| {
                    levels
                        .iter()
                        .map(|(level, n)| vec![level.clone(), n.to_string()])
                        .collect()
                })
                .unwrap_or_default(),
        });
        tables.push(Table {
            title: "Avvikelser".into(),
            headers: strings(&["Slag", "Antal"]),
            rows: self.deviations["by_kind"]
                .as_object()
                .map(|kinds| {
                    kinds
                        .iter()
                        .map(|(kind, n)| vec![kind.clone(), n.to_string()])
                        .collect()
                })
                .unwrap_or_default(),
        });
        let mut measurement_headings = strings(&["Kommun", "Patienter"]);
        measurement_headings.extend(
            self.measurement
                .categories
                .iter()
                .map(|c| format!("Kategori {c}")),
        );
        measurement_headings.push("Inskrivna 65+ av invånare 65+ (%)".into());
        tables.push(Table {
            title: "Mätning".into(),
            headers: measurement_headings,
            rows: self
                .measurement
                .rows
                .iter()
                .map(|m| {
                    let mut row = vec![m.name.clone(), m.patients.to_string()];
                    row.extend(m.categories.iter().map(|n| n.to_string()));
                    row.push(figure(Measure::Share, m.share_65_plus));
                    row
                })
                .collect(),
        });
        let mut amounts: Vec<Vec<String>> = self
            .additional_amount
            .rows
            .iter()
            .map(|(_, name, kronor)| vec![name.clone(), kronor.to_string()])
            .collect();
        amounts.push(vec![
            "Summa".into(),
            self.additional_amount.total.to_string(),
        ]);
        tables.push(Table {
            title: "Tilläggsbelopp".into(),
            headers: strings(&["Kommun", "Kronor"]),
            rows: amounts,
        });
        tables.push(self.sources());
        tables
    }

    /// Where each table's figures come from and which period they cover.
    fn sources(&self) -> Table {
        let year = format!("{}-01-01 – {}", self.year, self.as_of);
        let whole_year = self.year.to_string();
        let row = |table: &str, source: String, period: &str| {
            vec![table.to_owned(), source, period.to_owned()]
        };
        Table {
            title: "Källor och perioder".into(),
            headers: ["Tabell", "Källa", "Period"].map(String::from).to_vec(),
            rows: vec![
                row(
                    "Uppföljningsplan",
                    format!("Chefsgruppens plan i Samsyn. {}", self.plan_decision),
                    &whole_year,
                ),
                row(
                    "Indikatorer",
                    format!(
                        "Ärendena i Samsyn, {}; beräkningen står vid varje indikator",
                        self.rules_label
                    ),
                    &year,
                ),
                row(
                    "Enkät",
                    format!(
                        "Parens svar i Samsyn, frågeformulär {}",
                        self.survey.questionnaire
                    ),
                    &format!("sista dag {}", self.survey.due),
                ),
                row(
                    "Stickprov",
                    format!(
                        "Hälsovals granskning i Samsyn: {}",
                        if self.sample_check.checks.is_empty() {
                            "inget stickprov".to_owned()
                        } else {
                            self.sample_check.checks.join("; ")
                        }
                    ),
                    &whole_year,
                ),
                row(
                    "Oenighet",
                    "Oenigheterna i Samsyn (länsgruppens årssammanställning)".into(),
                    &year,
                ),
                row(
                    "Avvikelser",
                    "Avvikelserna i samverkan i Samsyn".into(),
                    &year,
                ),
                row(
                    "Mätning",
                    "Hemsjukvårdsmätningens filer i Samsyn; invånare 65+ från SCB via Regionfakta"
                        .into(),
                    self.measurement
                        .period
                        .as_deref()
                        .unwrap_or("ingen mätning"),
                ),
                row(
                    "Tilläggsbelopp",
                    self.additional_amount.status.clone(),
                    &whole_year,
                ),
            ],
        }
    }

    pub fn to_xlsx(&self) -> Result<Vec<u8>, String> {
        table::to_xlsx(&self.tables())
    }

    /// The report as a PDF: the introduction says what it is made of and the status; each table
    /// follows, then the summary and proposals.
    pub fn to_pdf(&self) -> Vec<u8> {
        let mut intro = vec![
            format!(
                "Uppföljning av Överenskommelse för hälso- och sjukvård i hemmet {}, framtagen av Samsyn ur registrerade uppgifter till och med {}. Regelverk {}.",
                self.year, self.as_of, self.rules
            ),
            format!("Status: {}.", self.status),
        ];
        if !self.plan_decision.is_empty() {
            intro.push(format!("Uppföljningsplanen: {}.", self.plan_decision));
        }
        intro.push(format!(
            "Kommuner: {}.",
            self.municipalities
                .iter()
                .map(|(_, n)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        intro.push(format!(
            "Enkäten: {} av {} svar inskickade (sista dag {}), {} sent.",
            self.survey.answered, self.survey.pairs, self.survey.due, self.survey.late
        ));
        intro.push(format!(
            "Mätningen: {}. Tilläggsbelopp: {}, totalt {} kr.",
            self.measurement
                .period
                .as_deref()
                .unwrap_or("ingen mätning lagrad för året"),
            self.additional_amount.status,
            self.additional_amount.total
        ));
        if !self.summary.is_empty() {
            intro.push(format!("Chefsgruppens sammanfattning: {}", self.summary));
        }
        if !self.proposals.is_empty() {
            intro.push(format!("Förslag: {}", self.proposals));
        }
        const MONTHS: [&str; 12] = [
            "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
        ];
        let charts = self
            .indicators
            .iter()
            .map(|i| BarChart {
                title: format!("{} per månad {} ({})", i.label, self.year, i.measure.unit()),
                bars: MONTHS
                    .iter()
                    .zip(&i.monthly)
                    .map(|(month, v)| {
                        ((*month).to_owned(), v.unwrap_or(0.0), figure(i.measure, *v))
                    })
                    .collect(),
            })
            .collect();
        table::to_pdf_with_charts(
            &format!("Uppföljning {}", self.year),
            &format!(
                "Hälso- och sjukvård i hemmet – årlig uppföljning{}",
                self.citation
                    .as_ref()
                    .map(|c| format!(" enligt {c}"))
                    .unwrap_or_default()
            ),
            &intro,
            &self.tables(),
            charts,
        )
    }
}

fn v_mean(value: Option<f64>) -> Value {
    value.map_or(Value::Null, |v| json!((v * 100.0).round() / 100.0))
}

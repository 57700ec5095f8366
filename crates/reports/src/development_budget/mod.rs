//! Utvecklingsbudget's cost table and exports: *Principer för samverkan och ekonomisk reglering*
//! §11.2.
//!
//! Each party's cost per item as a table, in CSV and Excel.

use crate::csv::cell;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use samsyn_domain::development_budget::{BudgetItem, CostSplit};
use samsyn_domain::{MunicipalityCode, Party, RuleSet};
use std::collections::BTreeMap;

/// The 13 parties: the region first, then the municipalities in the rule set's order.
pub fn parties(rules: &RuleSet) -> Vec<Party> {
    std::iter::once(Party::Region)
        .chain(
            rules
                .municipalities
                .iter()
                .map(|m| Party::Municipality(m.code)),
        )
        .collect()
}

/// Inhabitants per municipality on 31 December of the latest year before `year` that has them
/// all, and that year.
pub fn population_key(
    rules: &RuleSet,
    population: &samsyn_domain::additional_amount::inputs::Population,
    year: i16,
) -> (BTreeMap<MunicipalityCode, u64>, Option<i16>) {
    let codes: Vec<MunicipalityCode> = rules.municipalities.iter().map(|m| m.code).collect();
    let Some(used) = population.reference_year(&codes, year.saturating_sub(1)) else {
        return (BTreeMap::new(), None);
    };
    let key = population
        .in_year(&codes, used)
        .into_iter()
        .map(|(code, row)| (code, row.total))
        .collect();
    (key, Some(used))
}

/// Rows of parties, one column per item and a total, in whole kronor.
pub struct CostTable {
    pub items: Vec<String>,
    pub rows: Vec<(String, Vec<i64>, i64)>,
    pub totals: Vec<i64>,
    pub total: i64,
}

pub fn cost_table(rules: &RuleSet, items: &[(BudgetItem, CostSplit)]) -> CostTable {
    let kronor = |d: Decimal| d.to_i64().unwrap_or(0);
    let rows = parties(rules)
        .into_iter()
        .map(|party| {
            let costs: Vec<i64> = items.iter().map(|(_, s)| kronor(s.of(party))).collect();
            let total = costs.iter().sum();
            (rules.party_name(party), costs, total)
        })
        .collect();
    let totals: Vec<i64> = items.iter().map(|(i, _)| kronor(i.amount)).collect();
    CostTable {
        items: items.iter().map(|(i, _)| i.title.clone()).collect(),
        total: totals.iter().sum(),
        totals,
        rows,
    }
}

/// Semicolons and a BOM, for Swedish Excel.
pub fn to_csv(table: &CostTable) -> String {
    let mut out = String::from("\u{feff}part");
    for item in &table.items {
        out.push_str(&format!(";{}", cell(item)));
    }
    out.push_str(";totalt\n");
    for (party, costs, total) in &table.rows {
        out.push_str(&cell(party));
        for c in costs {
            out.push_str(&format!(";{c}"));
        }
        out.push_str(&format!(";{total}\n"));
    }
    out.push_str("Totalt");
    for t in &table.totals {
        out.push_str(&format!(";{t}"));
    }
    out.push_str(&format!(";{}\n", table.total));
    out
}

pub fn to_xlsx(table: &CostTable, year: i16) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let error = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("# ##0");
    let sheet = workbook
        .add_worksheet()
        .set_name(format!("Utvecklingsbudget {year}"))
        .map_err(error)?;
    sheet
        .write_string_with_format(0, 0, "Part", &bold)
        .map_err(error)?;
    for (i, item) in table.items.iter().enumerate() {
        sheet
            .write_string_with_format(0, i as u16 + 1, item, &bold)
            .map_err(error)?;
    }
    let last = table.items.len() as u16 + 1;
    sheet
        .write_string_with_format(0, last, "Totalt", &bold)
        .map_err(error)?;
    for (r, (party, costs, total)) in table.rows.iter().enumerate() {
        let row = r as u32 + 1;
        sheet.write_string(row, 0, party).map_err(error)?;
        for (i, c) in costs.iter().enumerate() {
            sheet
                .write_number_with_format(row, i as u16 + 1, *c as f64, &money)
                .map_err(error)?;
        }
        sheet
            .write_number_with_format(row, last, *total as f64, &money)
            .map_err(error)?;
    }
    let row = table.rows.len() as u32 + 1;
    sheet
        .write_string_with_format(row, 0, "Totalt", &bold)
        .map_err(error)?;
    for (i, t) in table.totals.iter().enumerate() {
        sheet
            .write_number_with_format(row, i as u16 + 1, *t as f64, &money)
            .map_err(error)?;
    }
    sheet
        .write_number_with_format(row, last, table.total as f64, &money)
        .map_err(error)?;
    workbook.save_to_buffer().map_err(error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use samsyn_domain::additional_amount::inputs::parse_population;
    use samsyn_domain::development_budget::{Financing, MunicipalKey, split};

    #[test]
    fn every_party_has_a_row_and_the_columns_sum_to_the_items() {
        let rules = RuleSet::from_toml(include_str!("../../../../rules/orebro-2025.toml")).unwrap();
        let population = parse_population(
            "p.csv",
            include_str!("../../../../rules/orebro-2025/population.csv"),
        )
        .unwrap();
        let (key, used) = population_key(&rules, &population, 2026);
        assert_eq!(used, Some(2023));
        let item = BudgetItem {
            year: 2026,
            title: "Digitala vårdmöten".into(),
            amount: Decimal::from(999_999),
            financing: Financing::LocalDecision,
            region_percent: Decimal::from(50),
            municipal_key: MunicipalKey::Population,
        };
        let costs = split(&item, &key).unwrap();
        let table = cost_table(&rules, &[(item, costs)]);
        assert_eq!(table.rows.len(), 13);
        assert_eq!(table.rows[0].0, "Region Örebro län");
        assert_eq!(table.rows[0].2, 500_000);
        let sum: i64 = table.rows.iter().map(|r| r.2).sum();
        assert_eq!(sum, 999_999);
        let csv = to_csv(&table);
        assert!(csv.lines().last().unwrap().ends_with(";999999;999999"));
        assert!(to_xlsx(&table, 2026).unwrap().starts_with(b"PK"));
    }
}

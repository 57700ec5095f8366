//! How the economy pages (tilläggsbelopp, utvecklingsbudget) write and read amounts.

use rust_decimal::Decimal;
use samsyn_domain::Sek;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    pub(crate) ar: String,
}

pub(crate) fn kronor(amount: Decimal) -> String {
    Sek::new(amount).to_string()
}

pub(crate) fn whole_kronor(amount: i64) -> String {
    kronor(Decimal::from(amount))
}

/// A decimal as people type it: comma or point, spaces between thousands.
pub(crate) fn number(text: &str) -> Option<Decimal> {
    samsyn_domain::money::decimal_comma(&text.replace([' ', '\u{a0}'], ""))
}

//! How the economy pages (tilläggsbelopp, utvecklingsbudget) write and read amounts, and who
//! may see and decide them.

use rust_decimal::Decimal;
use samsyn_domain::Sek;
use serde::Deserialize;

pub(crate) const WHO_MAY_VIEW: &str = "Tilläggsbeloppet och utvecklingsbudgeten visas för ekonomer, enhetschefer, samordnare och administratörer.";

pub(crate) const WHO_MAY_DECIDE: &str = "Utkast, beslut, rättelser, indata och utvecklingsbudgetens beslut förs in av ekonomer och administratörer.";

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

//! Spår in the rule set (`[[tracks]]`): which of the four tracks the region's agreement has, and
//! which kinds of unit start each. Without the section, all four are offered from the units the
//! Örebro agreement names (track 1 from a vårdcentral, tracks 2 and 3 from specialised care,
//! rehabilitation from any unit but the rehab team that receives it).

use crate::case::track_kind::Track;
use crate::rules::error::{RuleSetError, invalid};
use crate::unit::UnitKind;
use serde::Deserialize;

/// The tracks offered, each with the kinds of unit that may send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackRules {
    offered: Vec<(Track, Vec<UnitKind>)>,
}

impl Default for TrackRules {
    fn default() -> TrackRules {
        TrackRules {
            offered: Track::ALL
                .into_iter()
                .map(|track| {
                    let senders = UnitKind::ALL
                        .into_iter()
                        .filter(|kind| track.may_be_sent_from(*kind))
                        .collect();
                    (track, senders)
                })
                .collect(),
        }
    }
}

impl TrackRules {
    /// Whether the agreement has `track`.
    pub fn is_offered(&self, track: Track) -> bool {
        self.offered.iter().any(|(t, _)| *t == track)
    }

    /// Whether a unit of `kind` may send `track`: the agreement has it and names the kind.
    pub fn may_send(&self, track: Track, kind: UnitKind) -> bool {
        self.offered
            .iter()
            .any(|(t, senders)| *t == track && senders.contains(&kind))
    }

    /// The tracks a unit of `kind` may send, in the tracks' order.
    pub fn sendable_by(&self, kind: UnitKind) -> Vec<Track> {
        Track::ALL
            .into_iter()
            .filter(|t| self.may_send(*t, kind))
            .collect()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTrack {
    track: String,
    senders: Vec<String>,
}

/// The `[[tracks]]` list, or the default when the rule set has none.
pub(crate) fn validate(raw: Option<Vec<RawTrack>>) -> Result<TrackRules, RuleSetError> {
    let Some(raw) = raw else {
        return Ok(TrackRules::default());
    };
    if raw.is_empty() {
        return Err(invalid("tracks", "måste ha minst ett spår"));
    }
    let mut offered: Vec<(Track, Vec<UnitKind>)> = Vec::new();
    for (i, entry) in raw.into_iter().enumerate() {
        let codes: Vec<&str> = Track::ALL.iter().map(|t| t.code()).collect();
        let track = Track::from_code(&entry.track).ok_or_else(|| {
            invalid(
                format!("tracks[{i}].track"),
                format!("måste vara ett av {}", codes.join(", ")),
            )
        })?;
        if offered.iter().any(|(t, _)| *t == track) {
            return Err(invalid(format!("tracks[{i}].track"), "finns redan"));
        }
        if entry.senders.is_empty() {
            return Err(invalid(
                format!("tracks[{i}].senders"),
                "måste ha minst ett slag av enhet",
            ));
        }
        let mut senders = Vec::new();
        for (j, code) in entry.senders.iter().enumerate() {
            let key = format!("tracks[{i}].senders[{j}]");
            let kinds: Vec<&str> = UnitKind::ALL.iter().map(|k| k.code()).collect();
            let kind = UnitKind::from_code(code)
                .ok_or_else(|| invalid(&key, format!("måste vara ett av {}", kinds.join(", "))))?;
            if kind == track.receiving_kind() {
                return Err(invalid(
                    &key,
                    format!("{} tar emot spåret och kan inte skicka det", kind.label()),
                ));
            }
            senders.push(kind);
        }
        offered.push((track, senders));
    }
    Ok(TrackRules { offered })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<TrackRules, RuleSetError> {
        #[derive(Deserialize)]
        struct Wrapper {
            tracks: Vec<RawTrack>,
        }
        let wrapper: Wrapper = toml::from_str(text).unwrap();
        validate(Some(wrapper.tracks))
    }

    #[test]
    fn without_the_section_every_track_comes_from_the_agreements_units() {
        let rules = validate(None).unwrap();
        assert!(rules.may_send(Track::PrimaryCare, UnitKind::HealthCentre));
        assert!(!rules.may_send(Track::PrimaryCare, UnitKind::HospitalClinic));
        assert!(rules.may_send(Track::Discharge, UnitKind::Psychiatry));
        assert!(rules.may_send(Track::Rehabilitation, UnitKind::MunicipalHealthCare));
        assert!(!rules.may_send(Track::Rehabilitation, UnitKind::MunicipalRehabTeam));
    }

    #[test]
    fn a_region_chooses_its_tracks_and_their_senders() {
        let rules = parse(
            r#"
            [[tracks]]
            track = "primarvard"
            senders = ["vardcentral", "sjukhusklinik"]
            [[tracks]]
            track = "rehabilitering"
            senders = ["vardcentral"]
            "#,
        )
        .unwrap();
        assert!(rules.may_send(Track::PrimaryCare, UnitKind::HospitalClinic));
        assert!(!rules.is_offered(Track::Discharge));
        assert!(rules.sendable_by(UnitKind::HospitalClinic) == vec![Track::PrimaryCare]);
        assert!(!rules.may_send(Track::Rehabilitation, UnitKind::MunicipalHealthCare));
    }

    #[test]
    fn a_wrong_track_or_sender_names_its_key() {
        let wrong = |text: &str| parse(text).unwrap_err().to_string();
        let e = wrong("[[tracks]]\ntrack = \"hemsjukvard\"\nsenders = [\"vardcentral\"]\n");
        assert!(e.contains("`tracks[0].track`"), "{e}");
        let e =
            wrong("[[tracks]]\ntrack = \"primarvard\"\nsenders = [\"vardcentral\", \"apotek\"]\n");
        assert!(e.contains("`tracks[0].senders[1]`"), "{e}");
        let e = wrong("[[tracks]]\ntrack = \"rehabilitering\"\nsenders = [\"kommunal_rehab\"]\n");
        assert!(e.contains("tar emot spåret"), "{e}");
    }
}

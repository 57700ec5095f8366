// The rule set built into the samsyn binary, which `samsyn serve` runs under without `--rules`:
// Region Örebro län's, with the data files it names (paths relative to the rule set). Choosing
// another default region is a change to this file only; crates/samsyn/src/rules/mod.rs includes
// it.

/// The rule set's text.
const BUILT_IN: &str = include_str!("orebro-2025.toml");

/// The data files the rule set names, by their paths relative to it.
const BUILT_IN_FILES: &[(&str, &str)] = &[
    (
        "orebro-2025/population.csv",
        include_str!("orebro-2025/population.csv"),
    ),
    (
        "orebro-2025/places.csv",
        include_str!("orebro-2025/places.csv"),
    ),
    (
        "orebro-2025/measurement_2025.csv",
        include_str!("orebro-2025/measurement_2025.csv"),
    ),
    (
        "orebro-2025/category4_2022.csv",
        include_str!("orebro-2025/category4_2022.csv"),
    ),
    (
        "orebro-2025/follow_up_plan_2025.csv",
        include_str!("orebro-2025/follow_up_plan_2025.csv"),
    ),
];

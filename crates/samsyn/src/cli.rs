//! Command-line interface. Every flag also reads an environment variable; the flag wins.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "samsyn",
    version,
    about = "Samsyn – samverkan om hälso- och sjukvård i hemmet"
)]
pub struct Cli {
    /// Database: sqlite://FILE (embedded, the default) or postgres://USER:PASSWORD@HOST/DB.
    #[arg(
        long,
        global = true,
        env = "SAMSYN_DATABASE_URL",
        default_value = "sqlite://samsyn.db",
        hide_env_values = true
    )]
    pub database: String,
    /// Rule set file (TOML); its data files are read from beside it. Default: the built-in
    /// rules/orebro-2025.toml with its files.
    #[arg(long, global = true, env = "SAMSYN_RULES")]
    pub rules: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the web pages and the API (the default).
    Serve(Box<ServeArgs>),
    /// Apply database migrations and exit.
    Migrate,
    /// Create the demo county in an empty SQLite database and print its logins.
    Demo {
        #[arg(long, env = "SAMSYN_DEMO_SEED", default_value_t = samsyn_store::demo::DEFAULT_SEED)]
        seed: u64,
    },
    /// The rule set (regelverk): check a file before it is put in use.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Manage units (enheter).
    #[command(subcommand)]
    Unit(UnitCommand),
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Read the access log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The home health care measurement (hemsjukvårdsmätning).
    #[command(subcommand)]
    Measure(MeasureCommand),
    /// The region's yearly additional amount to the municipalities (tilläggsbelopp).
    #[command(subcommand)]
    Tillagg(TillaggCommand),
    /// The yearly reports of oenighet and avvikelser, as their pages show them.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Write a consistent copy of the database while Samsyn runs (SQLite: an online copy;
    /// PostgreSQL: pg_dump's custom format).
    Backup {
        /// The copy's file; it must not exist.
        #[arg(long)]
        out: PathBuf,
    },
    /// Put a copy from `samsyn backup` in place of the database (stop the server first), then
    /// verify it.
    Restore {
        /// The copy's file.
        #[arg(long)]
        from: PathBuf,
        /// Replace a database that already holds data.
        #[arg(long)]
        force: bool,
    },
    /// Check the database after a restore: migrations current, integrity, foreign keys, the
    /// access log's chain, and each table's row count (exit code 1 if a check fails).
    Verify,
}

#[derive(Subcommand)]
pub enum ReportCommand {
    /// The county group's yearly compilation of oenigheter: per level, party and track, days at
    /// each level, outcomes and proposals.
    Disagreements {
        /// The year, e.g. 2026.
        #[arg(long)]
        year: i16,
        /// `xlsx` and `pdf` write bytes to standard output: redirect them to a file.
        #[arg(long, default_value = "json", value_parser = ["json", "csv", "xlsx", "pdf"])]
        output: String,
    },
    /// The year's avvikelser i samverkan per kind, status and party.
    Deviations {
        /// The year, e.g. 2026.
        #[arg(long)]
        year: i16,
        /// `xlsx` and `pdf` write bytes to standard output: redirect them to a file.
        #[arg(long, default_value = "json", value_parser = ["json", "csv", "xlsx", "pdf"])]
        output: String,
    },
    /// The yearly follow-up report: plan, survey, indicators, sample check, oenighet, avvikelser,
    /// measurement and tilläggsbelopp.
    #[command(name = "follow-up")]
    FollowUp {
        /// The year, e.g. 2026.
        #[arg(long, value_parser = clap::value_parser!(i16).range(2000..=2200))]
        year: i16,
        #[arg(long, default_value = "json", value_parser = ["json", "xlsx", "pdf"])]
        output: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum TillaggCommand {
    /// Compute a year's tilläggsbelopp per pot and municipality from the rule set and the inputs:
    /// those imported into the database, or, when there is no database, the shipped public data
    /// (SCB 65+, central towns and hospitals, the published 2025 measurement).
    Compute {
        /// The payment year, e.g. 2026.
        #[arg(long)]
        year: i16,
        /// A scenario file (TOML, see docs/TILLAGGSBELOPP.md): the result with its changes, and
        /// each municipality's difference against the calculation without them.
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// `xlsx` writes the workbook to standard output: redirect it to a file.
        #[arg(long, default_value = "json", value_parser = ["json", "csv", "xlsx"])]
        output: String,
    },
}

#[derive(Subcommand)]
pub enum MeasureCommand {
    /// Classify every person in the period from activity and enrollment files; print the result.
    Run {
        /// `ÅÅÅÅ-MM`, e.g. 2025-10.
        #[arg(long, env = "SAMSYN_MEASURE_PERIOD")]
        period: String,
        /// Activity files (aktiviteter).
        #[arg(long = "activities", required = true, num_args = 1..)]
        activities: Vec<PathBuf>,
        /// Enrollment files (inskrivningar).
        #[arg(long = "enrollments", num_args = 1..)]
        enrollments: Vec<PathBuf>,
        /// Manual assessment files (bedomningar): they replace the activities of their
        /// municipalities for the period.
        #[arg(long = "assessments", num_args = 1..)]
        assessments: Vec<PathBuf>,
        #[arg(long, default_value = "json", value_parser = ["json", "csv"])]
        output: String,
    },
    /// Import activity or enrollment files into the database: checked, pseudonymised, all or
    /// nothing per file. A file imported before is recognised and skipped.
    Import {
        #[arg(long, value_parser = ["aktiviteter", "inskrivningar", "bedomningar"])]
        kind: String,
        /// The period manual assessments (bedomningar) belong to, `ÅÅÅÅ-MM`.
        #[arg(long, required_if_eq("kind", "bedomningar"))]
        period: Option<String>,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Write the demo county's generated measurement files (October 2025 and the partial 2022).
    DemoFiles {
        #[arg(long, default_value = ".")]
        dir: PathBuf,
    },
}

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "SAMSYN_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Never create the demo county, even on an empty database.
    #[arg(long, env = "SAMSYN_NO_DEMO")]
    pub no_demo: bool,
    /// The reverse proxy's address (e.g. the TLS terminator): only requests from it have their
    /// client address taken from X-Forwarded-For.
    #[arg(long, env = "SAMSYN_TRUSTED_PROXY")]
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// This site's address as browsers reach it (e.g. https://samsyn.example.se); identity
    /// providers send the browser back to it. Default: http:// and the --bind address.
    #[arg(long, env = "SAMSYN_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Refuse local passwords: everyone signs in through the identity provider.
    #[arg(long, env = "SAMSYN_NO_LOCAL_LOGIN")]
    pub no_local_login: bool,
    /// SMTP server for the e-mail notice of a new request: smtp://host:port (plain, inside the
    /// network), smtp://host?tls=required (STARTTLS) or smtps://host. None: no e-mail.
    #[arg(long, env = "SAMSYN_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The notices' sender address.
    #[arg(
        long,
        env = "SAMSYN_SMTP_FROM",
        default_value = "Samsyn <samsyn@localhost>"
    )]
    pub smtp_from: String,
    /// Seconds a request waits for a database connection before it is answered 503 with
    /// Retry-After (the database is away or overloaded).
    #[arg(long, env = "SAMSYN_DB_WAIT_SECONDS", default_value_t = 3)]
    pub db_wait_seconds: u64,
    /// Seconds the requests in flight get to finish after SIGTERM or SIGINT.
    #[arg(long, env = "SAMSYN_DRAIN_SECONDS", default_value_t = 20)]
    pub drain_seconds: u64,
    /// Seconds a client has to send a request's headers; also how long an idle kept-alive
    /// connection stays open.
    #[arg(long, env = "SAMSYN_HEADER_TIMEOUT_SECONDS", default_value_t = 30)]
    pub header_timeout_seconds: u64,
    /// SQLite only: `full` syncs every commit, so an acknowledged write survives a power cut;
    /// `normal` is faster and may lose the last commits on a power cut (not on a crash).
    #[arg(long, env = "SAMSYN_SQLITE_SYNCHRONOUS", value_enum, default_value_t = Synchronous::Full)]
    pub sqlite_synchronous: Synchronous,
    /// Threads for database and other blocking work; beyond them, work queues.
    #[arg(long, env = "SAMSYN_BLOCKING_THREADS", default_value_t = 64, value_parser = clap::value_parser!(u64).range(2..=1024))]
    pub blocking_threads: u64,
    #[command(flatten)]
    pub staff_sso: StaffSsoArgs,
    #[command(flatten)]
    pub person_sso: PersonSsoArgs,
}

impl ServeArgs {
    /// The settings when no subcommand is given: each flag's environment variable or default.
    pub fn from_env() -> Result<ServeArgs, clap::Error> {
        #[derive(Parser)]
        struct OnlyServe {
            #[command(flatten)]
            args: ServeArgs,
        }
        OnlyServe::try_parse_from(["samsyn"]).map(|only| only.args)
    }
}

/// Staff sign-in through the organisation's OpenID Connect provider (e.g. Inera's IdP with
/// SITHS eID). The client secret is read from SAMSYN_OIDC_CLIENT_SECRET only.
#[derive(Args)]
pub struct StaffSsoArgs {
    /// The provider's issuer URL, exactly as its tokens write it.
    #[arg(long, env = "SAMSYN_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,
    #[arg(long, env = "SAMSYN_OIDC_CLIENT_ID", requires = "oidc_issuer")]
    pub oidc_client_id: Option<String>,
    /// The ID-token claim holding the user's HSA-id.
    #[arg(
        long,
        env = "SAMSYN_OIDC_HSA_ID_CLAIM",
        default_value = "employeeHsaId"
    )]
    pub oidc_hsa_id_claim: String,
    /// The `acr` values that count as strong authentication, comma-separated.
    #[arg(
        long,
        env = "SAMSYN_OIDC_ACR",
        value_delimiter = ',',
        default_value = "http://id.sambi.se/loa/loa3"
    )]
    pub oidc_acr: Vec<String>,
    /// Scopes beyond `openid` that release the HSA-id claim, comma-separated.
    #[arg(long, env = "SAMSYN_OIDC_SCOPES", value_delimiter = ',')]
    pub oidc_scopes: Vec<String>,
}

/// Persons' sign-in to Min sida through an e-identification broker's OpenID Connect provider.
/// The client secret is read from SAMSYN_PERSON_OIDC_CLIENT_SECRET only.
#[derive(Args)]
pub struct PersonSsoArgs {
    #[arg(long, env = "SAMSYN_PERSON_OIDC_ISSUER")]
    pub person_oidc_issuer: Option<String>,
    #[arg(
        long,
        env = "SAMSYN_PERSON_OIDC_CLIENT_ID",
        requires = "person_oidc_issuer"
    )]
    pub person_oidc_client_id: Option<String>,
    /// The ID-token claim holding the person's personnummer.
    #[arg(
        long,
        env = "SAMSYN_PERSON_OIDC_PERSONNUMMER_CLAIM",
        default_value = "https://id.oidc.se/claim/personalIdentityNumber"
    )]
    pub person_oidc_personnummer_claim: String,
    /// The `acr` values accepted for persons, comma-separated.
    #[arg(
        long,
        env = "SAMSYN_PERSON_OIDC_ACR",
        value_delimiter = ',',
        default_value = "http://id.elegnamnden.se/loa/1.0/loa3"
    )]
    pub person_oidc_acr: Vec<String>,
    /// Scopes beyond `openid` that release the personnummer, comma-separated.
    #[arg(
        long,
        env = "SAMSYN_PERSON_OIDC_SCOPES",
        value_delimiter = ',',
        default_value = "https://id.oidc.se/scope/naturalPersonNumber"
    )]
    pub person_oidc_scopes: Vec<String>,
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add an account. A local account's password is read from SAMSYN_PASSWORD or standard
    /// input; an --sso account has none and signs in only through the identity provider.
    Add {
        #[arg(long, env = "SAMSYN_USER_USERNAME")]
        username: String,
        #[arg(long, env = "SAMSYN_USER_NAME")]
        name: String,
        /// Role code: lakare, sjukskoterska, arbetsterapeut, fysioterapeut, enhetschef,
        /// samordnare, ekonom, logggranskare, administrator.
        #[arg(long, env = "SAMSYN_USER_ROLE")]
        role: String,
        /// Unit name or id.
        #[arg(long, env = "SAMSYN_USER_UNIT")]
        unit: String,
        /// The person's HSA-id, e.g. SE2321000016-15CQ: how the organisation's identity
        /// provider names her at sign-in.
        #[arg(long, env = "SAMSYN_USER_HSA_ID")]
        hsa_id: Option<String>,
        /// Sign-in only through the organisation's identity provider (needs --hsa-id).
        #[arg(long, env = "SAMSYN_USER_SSO")]
        sso: bool,
    },
    /// List all accounts.
    List,
    /// Disable an account and end its sessions.
    Disable { username: String },
    /// Enable a disabled account again.
    Enable { username: String },
    /// Change a local account's password and end all its sessions. The current password is
    /// required (SAMSYN_CURRENT_PASSWORD or the first line of standard input), then the new one
    /// (SAMSYN_PASSWORD or the next line). With --reset, an operator sets a new password for a
    /// user who has forgotten hers, without the current one.
    Password {
        username: String,
        #[arg(long)]
        reset: bool,
    },
}

#[derive(Subcommand)]
pub enum RulesCommand {
    /// Load a rule set and its data files as `serve` would, and say what it holds, or exactly
    /// which key, file and line is wrong (exit code 1).
    Check {
        /// The rule set's TOML file.
        file: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum UnitCommand {
    /// Add a unit.
    Add {
        #[arg(long, env = "SAMSYN_UNIT_NAME")]
        name: String,
        /// vardcentral, sjukhusklinik, psykiatri, kommunal_hsl or kommunal_rehab.
        #[arg(long, env = "SAMSYN_UNIT_KIND")]
        kind: String,
        /// `region`, or the municipality's SCB code, e.g. 1880.
        #[arg(long, env = "SAMSYN_UNIT_PARTY")]
        party: String,
        #[arg(long, env = "SAMSYN_UNIT_PHONE", default_value = "")]
        phone: String,
        /// HSA-id, used to identify the unit over FHIR.
        #[arg(long, env = "SAMSYN_UNIT_HSA_ID")]
        hsa_id: Option<String>,
    },
    /// List all units.
    List,
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Show access-log entries for one patient or one user, denials first and then newest first,
    /// as a log reviewer (logggranskare) of her own party sees them. The read is itself logged.
    Show {
        /// The log reviewer's username: whose party's log is shown, and who is logged as reading.
        #[arg(long, env = "SAMSYN_AUDIT_REVIEWER")]
        reviewer: String,
        /// Personnummer, samordningsnummer or reservnummer of the patient.
        #[arg(
            long,
            env = "SAMSYN_AUDIT_PATIENT",
            hide_env_values = true,
            required_unless_present = "user"
        )]
        patient: Option<String>,
        /// Username.
        #[arg(long, env = "SAMSYN_AUDIT_USER")]
        user: Option<String>,
        #[arg(long, env = "SAMSYN_AUDIT_LIMIT", default_value_t = 200)]
        limit: i64,
    },
    /// Walk the access log's hash chain and name the first broken link (exit code 1 if any).
    Verify,
    /// Print the newest link's sequence number and hash, to keep somewhere else.
    Head,
}

/// `--sqlite-synchronous`: how often SQLite syncs its write-ahead log to disk.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Synchronous {
    /// At every commit.
    Full,
    /// At checkpoints only.
    Normal,
}

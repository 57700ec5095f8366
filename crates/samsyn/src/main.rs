//! The Samsyn binary: one program that serves the platform and administers it.

mod additional_amount;
mod backup;
mod cli;
mod deviation;
mod disagreement;
mod follow_up;
mod measurement;
mod report_output;
mod rules;

use anyhow::{Context, Result, bail};
use clap::Parser;
use cli::{AuditCommand, Cli, Command, UnitCommand, UserCommand};
use samsyn_domain::{AccessAction, AccessOutcome, HsaId, Party, PersonId, Role, RuleSet, UnitKind};
use samsyn_store::access_log::Filter;
use samsyn_store::users::NewUser;
use samsyn_store::{
    Engine, SqliteSynchronous, Store, StoreOptions, access_log, demo, meta, patients, units, users,
};
use samsyn_web::shared::server::ServeLimits;
use samsyn_web::sign_in::oidc::OidcSettings;
use samsyn_web::{AppState, Clock, SessionPolicy, SignInConfig, SystemClock, WebConfig};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            // The cause chain in one line; no backtrace, which would mean nothing to our users.
            eprintln!("Fel: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SAMSYN_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let rules = rules::load(cli.rules.as_deref())?;
    let command = match cli.command {
        Some(command) => command,
        None => Command::Serve(Box::new(
            cli::ServeArgs::from_env().map_err(|e| anyhow::anyhow!("{e}"))?,
        )),
    };
    match command {
        Command::Serve(args) => serve(&cli.database, rules, *args),
        Command::Rules(cli::RulesCommand::Check { file }) => rules::check(&file),
        Command::Migrate => {
            let store = open(&cli.database)?;
            println!("Databasen ({}) är uppdaterad.", store.engine().name());
            Ok(())
        }
        Command::Demo { seed } => {
            let store = open_under(&cli.database, &rules)?;
            if store.engine() != Engine::Sqlite {
                bail!(
                    "demolänet skapas bara i en SQLite-databas; en PostgreSQL-databas är för riktig drift"
                );
            }
            let logins = create_demo(&store, &rules, seed)?;
            print_logins(&logins);
            Ok(())
        }
        Command::User(command) => user(&open(&cli.database)?, command),
        Command::Unit(command) => unit(&open_under(&cli.database, &rules)?, &rules, command),
        Command::Measure(cli::MeasureCommand::Import {
            kind,
            period,
            files,
        }) => measurement::import(
            &open_under(&cli.database, &rules)?,
            &rules,
            &kind,
            period.as_deref(),
            &files,
        ),
        Command::Measure(command) => measurement::run(&rules, command),
        Command::Tillagg(cli::TillaggCommand::Compute {
            year,
            scenario,
            output,
        }) => additional_amount::compute(&cli.database, &rules, year, scenario.as_deref(), &output),
        Command::Audit(AuditCommand::Show {
            reviewer,
            patient,
            user,
            limit,
        }) => audit_show(
            &open_under(&cli.database, &rules)?,
            &rules,
            &reviewer,
            patient,
            user,
            limit,
        ),
        Command::Report(cli::ReportCommand::Disagreements { year, output }) => {
            disagreement::report(&open_under(&cli.database, &rules)?, &rules, year, &output)
        }
        Command::Report(cli::ReportCommand::Deviations { year, output }) => {
            deviation::report(&open_under(&cli.database, &rules)?, &rules, year, &output)
        }
        Command::Report(cli::ReportCommand::FollowUp { year, output, out }) => follow_up::report(
            &open_under(&cli.database, &rules)?,
            &rules,
            year,
            &output,
            out.as_deref(),
        ),
        Command::Audit(AuditCommand::Verify) => audit_verify(&open(&cli.database)?),
        Command::Backup { out } => backup::backup(&cli.database, &out),
        Command::Restore { from, force } => backup::restore(&cli.database, &from, force),
        Command::Verify => backup::verify(&cli.database),
        Command::Audit(AuditCommand::Head) => {
            let head = open(&cli.database)?
                .transaction(access_log::chain::head)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{} {}", head.seq, head.hash);
            Ok(())
        }
    }
}

/// Walks the chain; a break is an error, so the exit code tells a monitoring job.
fn audit_verify(store: &Store) -> Result<()> {
    let verification = store
        .transaction(access_log::chain::verify)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    match verification.first_break {
        None => {
            println!(
                "Åtkomstloggens kedja är obruten: {} poster, senaste {} {}",
                verification.links, verification.head.seq, verification.head.hash
            );
            Ok(())
        }
        Some(first) => bail!("åtkomstloggens kedja är bruten vid {first}"),
    }
}

fn open(database: &str) -> Result<Store> {
    Store::open(database).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Opens the database for work under `rules`, which must be its own region's.
fn open_under(database: &str, rules: &RuleSet) -> Result<Store> {
    let store = open(database)?;
    bind_region(&store, rules)?;
    Ok(store)
}

/// A database belongs to the region it was first used for: another region's rule set would
/// reckon its cases and money by rules that are not theirs, so it is refused before any work.
fn bind_region(store: &Store, rules: &RuleSet) -> Result<()> {
    let other = store
        .transaction(|c| meta::bind_region(c, &rules.county_code, &rules.region_name))
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    match other {
        None => Ok(()),
        Some(other) => bail!(
            "databasen hör till {} (län {}), men regelverket {} gäller {} (län {}). Starta med {}s regelverk (--rules), eller ge {} en egen databas.",
            other.name,
            other.county_code,
            rules.title,
            rules.region_name,
            rules.county_code,
            other.name,
            rules.region_name
        ),
    }
}

fn create_demo(store: &Store, rules: &RuleSet, seed: u64) -> Result<Vec<demo::DemoLogin>> {
    let hash = samsyn_web::shared::auth::hash_password(demo::DEMO_PASSWORD)
        .map_err(|e| anyhow::anyhow!(e))?;
    let now = SystemClock.now();
    let time_zone = jiff::tz::TimeZone::get(&rules.time_zone)?;
    let today = now.to_zoned(time_zone).date();
    demo::create(store, rules, seed, &hash, now, today).map_err(|e| anyhow::anyhow!("{e}"))
}

fn print_logins(logins: &[demo::DemoLogin]) {
    println!();
    println!(
        "DEMO – påhittade personer och konton. Lösenord för alla demokonton: {}",
        demo::DEMO_PASSWORD
    );
    println!("{:<28} {:<16} Enhet", "Användarnamn", "Roll");
    for login in logins.iter().filter(|l| !l.username.contains('.')) {
        println!(
            "{:<28} {:<16} {}",
            login.username,
            login.role.label(),
            login.unit_name
        );
    }
    let more: Vec<&str> = logins
        .iter()
        .map(|l| l.username.as_str())
        .filter(|u| u.contains('.'))
        .collect();
    if let Some(example) = more.iter().find(|u| u.starts_with("sjukskoterska.")) {
        println!(
            "…och {} konton till: lakare.<ort> på varje vårdcentral och sjukskoterska.<kommun> i varje kommun \
             (t.ex. {example}). `samsyn user list` visar alla.",
            more.len()
        );
    }
    println!();
}

fn serve(database: &str, rules: RuleSet, args: cli::ServeArgs) -> Result<()> {
    let store = Store::open_with(
        database,
        StoreOptions {
            checkout_timeout: Duration::from_secs(args.db_wait_seconds),
            sqlite_synchronous: match args.sqlite_synchronous {
                cli::Synchronous::Full => SqliteSynchronous::Full,
                cli::Synchronous::Normal => SqliteSynchronous::Normal,
            },
            migrate: true,
        },
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    bind_region(&store, &rules)?;
    let fresh = store
        .transaction(demo::is_empty)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if fresh && !args.no_demo && store.engine() == Engine::Sqlite {
        println!(
            "Tom databas: skapar demolänet (seed {}).",
            demo::DEFAULT_SEED
        );
        create_demo(&store, &rules, demo::DEFAULT_SEED)?;
    }
    if store
        .transaction(demo::is_demo)
        .map_err(|e| anyhow::anyhow!("{e}"))?
    {
        print_logins(
            &store
                .transaction(demo::logins)
                .map_err(|e| anyhow::anyhow!("{e}"))?,
        );
    }
    let bind: SocketAddr = args
        .bind
        .parse()
        .with_context(|| format!("ogiltig adress: {}", args.bind))?;
    let config = WebConfig {
        secure_cookies: !bind.ip().is_loopback(),
        sessions: SessionPolicy::default(),
        trusted_proxy: args.trusted_proxy,
        sign_in: sign_in_config(&args, bind)?,
        mail: args
            .smtp_url
            .clone()
            .map(|url| samsyn_web::shared::mail::MailConfig {
                url,
                from: args.smtp_from.clone(),
            }),
    };
    let state = AppState::new(store, rules, Arc::new(SystemClock), config)
        .map_err(|e| anyhow::anyhow!(e))?;
    samsyn_web::case::live::relay_other_processes(&state)?;
    let limits = ServeLimits {
        header_read_timeout: Duration::from_secs(args.header_timeout_seconds),
        drain: Duration::from_secs(args.drain_seconds),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(usize::try_from(args.blocking_threads).unwrap_or(64))
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(bind)
            .await
            .with_context(|| format!("kan inte lyssna på {bind}"))?;
        // The address bound, not the one asked for: with port 0 the system picks the port.
        println!("Samsyn kör på http://{}", listener.local_addr()?);
        let draining = state.draining.clone();
        samsyn_web::shared::server::serve(listener, samsyn_web::router(state), draining, limits)
            .await;
        println!("Samsyn har stannat.");
        Ok(())
    })
}

/// How people sign in, from the serve flags; client secrets come from the environment only.
fn sign_in_config(args: &cli::ServeArgs, bind: SocketAddr) -> Result<SignInConfig> {
    let secret = |name: &str| std::env::var(name).ok().filter(|s| !s.is_empty());
    let staff = &args.staff_sso;
    let staff = match (&staff.oidc_issuer, &staff.oidc_client_id) {
        (Some(issuer), Some(client_id)) => Some(OidcSettings {
            issuer: issuer.clone(),
            client_id: client_id.clone(),
            client_secret: secret("SAMSYN_OIDC_CLIENT_SECRET"),
            identity_claim: staff.oidc_hsa_id_claim.clone(),
            accepted_acr: staff.oidc_acr.clone(),
            scopes: staff.oidc_scopes.clone(),
        }),
        (Some(_), None) => anyhow::bail!("--oidc-issuer kräver --oidc-client-id"),
        _ => None,
    };
    let person = &args.person_sso;
    let person = match (&person.person_oidc_issuer, &person.person_oidc_client_id) {
        (Some(issuer), Some(client_id)) => Some(OidcSettings {
            issuer: issuer.clone(),
            client_id: client_id.clone(),
            client_secret: secret("SAMSYN_PERSON_OIDC_CLIENT_SECRET"),
            identity_claim: person.person_oidc_personnummer_claim.clone(),
            accepted_acr: person.person_oidc_acr.clone(),
            scopes: person.person_oidc_scopes.clone(),
        }),
        (Some(_), None) => anyhow::bail!("--person-oidc-issuer kräver --person-oidc-client-id"),
        _ => None,
    };
    if args.no_local_login && staff.is_none() {
        anyhow::bail!(
            "--no-local-login stänger av lösenorden; ange då --oidc-issuer och --oidc-client-id så att personalen kan logga in"
        );
    }
    Ok(SignInConfig {
        local_passwords: !args.no_local_login,
        staff,
        person,
        public_url: args
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{bind}")),
    })
}

fn user(store: &Store, command: UserCommand) -> Result<()> {
    let now = SystemClock.now();
    match command {
        UserCommand::Add {
            username,
            name,
            role,
            unit,
            hsa_id,
            sso,
        } => {
            let hsa_id = hsa_id
                .map(|id| HsaId::parse(&id).map_err(|e| anyhow::anyhow!("--hsa-id: {e}")))
                .transpose()?;
            if sso && hsa_id.is_none() {
                anyhow::bail!(
                    "--sso: ett konto som loggar in med e-legitimation behöver --hsa-id, som identitetsleverantören känner igen det på"
                );
            }
            let role = Role::from_code(&role).with_context(|| {
                let codes: Vec<_> = Role::ALL.iter().map(|r| r.code()).collect();
                format!("okänd roll {role}; välj en av {}", codes.join(", "))
            })?;
            let name = checked_name("--name", &name)?;
            let hash = if sso {
                None
            } else {
                let password = read_password(&username)?;
                Some(
                    samsyn_web::shared::auth::hash_password(&password)
                        .map_err(|e| anyhow::anyhow!(e))?,
                )
            };
            let user = store
                .transaction(|conn| {
                    let unit = units::list(conn)?
                        .into_iter()
                        .find(|u| u.id == unit || u.name == unit)
                        .ok_or(samsyn_store::StoreError::NotFound)?;
                    let user = users::create(
                        conn,
                        &NewUser {
                            username: &username,
                            display_name: &name,
                            role,
                            unit_id: &unit.id,
                            password_hash: hash.as_deref(),
                            is_demo: false,
                        },
                        now,
                    )?;
                    if let Some(hsa_id) = &hsa_id {
                        users::set_hsa_id(conn, &user.id, hsa_id.as_str())?;
                    }
                    let detail = format!("{}, {}", role.label(), unit.name);
                    log_admin(
                        conn,
                        unit.party,
                        "skapade",
                        &account_subject(&user.username),
                        &detail,
                    )?;
                    Ok(user)
                })
                .map_err(|e| anyhow::anyhow!("kunde inte skapa användaren: {e}"))?;
            println!(
                "Skapade {} ({}, {}).",
                user.username,
                user.role.label(),
                user.unit_name
            );
            Ok(())
        }
        UserCommand::List => {
            let list = store
                .transaction(users::list)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "{:<28} {:<24} {:<16} {:<8} {:<22} {:<32} Enhet",
                "Användarnamn", "Namn", "Roll", "Status", "Inloggning", "HSA-id"
            );
            for u in list {
                let status = if u.disabled { "avstängd" } else { "aktiv" };
                println!(
                    "{:<28} {:<24} {:<16} {:<8} {:<22} {:<32} {}",
                    u.username,
                    u.display_name,
                    u.role.label(),
                    status,
                    u.identity_source.label(),
                    u.hsa_id.as_deref().unwrap_or("–"),
                    u.unit_name
                );
            }
            Ok(())
        }
        UserCommand::Disable { username } => {
            store
                .transaction(|conn| {
                    users::disable(conn, &username, None)?;
                    let party = party_of_user(conn, &username)?;
                    log_admin(conn, party, "inaktiverade", &account_subject(&username), "")
                })
                .map_err(|e| anyhow::anyhow!("kunde inte stänga av {username}: {e}"))?;
            println!("{username} är avstängd och utloggad.");
            Ok(())
        }
        UserCommand::Enable { username } => {
            store
                .transaction(|conn| {
                    let user = users::credentials_by_username(conn, &username)?
                        .ok_or(samsyn_store::StoreError::NotFound)?;
                    users::enable(conn, &user.user.id)?;
                    let party = units::get(conn, &user.user.unit_id)?.party;
                    log_admin(conn, party, "aktiverade", &account_subject(&username), "")
                })
                .map_err(|e| anyhow::anyhow!("kunde inte aktivera {username}: {e}"))?;
            println!("{username} kan logga in igen.");
            Ok(())
        }
        UserCommand::Password { username, reset } => {
            let account = store
                .transaction(|conn| users::credentials_by_username(conn, &username))
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .with_context(|| format!("det finns ingen användare som heter {username}"))?;
            if !reset {
                let current = read_secret(
                    "SAMSYN_CURRENT_PASSWORD",
                    "Skriv ditt nuvarande lösenord och tryck Enter:",
                )?;
                if !samsyn_web::shared::auth::verify_password(
                    &current,
                    account.password_hash.as_deref(),
                ) {
                    bail!("det nuvarande lösenordet stämmer inte; lösenordet är inte bytt");
                }
            }
            let password = read_password(&username)?;
            let hash = samsyn_web::shared::auth::hash_password(&password)
                .map_err(|e| anyhow::anyhow!(e))?;
            store
                .transaction(|conn| {
                    users::set_password(conn, &account.user.id, &hash)?;
                    let party = units::get(conn, &account.user.unit_id)?.party;
                    let action = if reset {
                        "återställde lösenordet för"
                    } else {
                        "bytte lösenordet för"
                    };
                    log_admin(conn, party, action, &account_subject(&username), "")?;
                    samsyn_store::sessions::delete_for_user(conn, &account.user.id)
                })
                .map_err(|e| anyhow::anyhow!("kunde inte byta lösenord för {username}: {e}"))?;
            println!("Lösenordet för {username} är bytt; alla hens sessioner är avslutade.");
            Ok(())
        }
    }
}

fn unit(store: &Store, rules: &RuleSet, command: UnitCommand) -> Result<()> {
    match command {
        UnitCommand::Add {
            name,
            kind,
            party,
            phone,
            hsa_id,
        } => {
            let kind = UnitKind::from_code(&kind).with_context(|| {
                let codes: Vec<_> = UnitKind::ALL.iter().map(|k| k.code()).collect();
                format!("okänd enhetstyp {kind}; välj en av {}", codes.join(", "))
            })?;
            let party = Party::from_code(&party)
                .filter(|p| match p {
                    Party::Region => true,
                    Party::Municipality(code) => rules.municipality(*code).is_some(),
                })
                .with_context(|| {
                    format!("okänd part {party}; ange region eller en kommunkod ur regelverket")
                })?;
            let name = checked_name("--name", &name)?;
            let hsa_id = hsa_id
                .map(|id| HsaId::parse(&id).map_err(|e| anyhow::anyhow!("--hsa-id: {e}")))
                .transpose()?;
            if !kind.fits(party) {
                bail!(
                    "en enhet av typen {} kan inte höra till {}",
                    kind.label(),
                    rules.party_name(party)
                );
            }
            let created = store
                .transaction(|conn| {
                    let unit = units::create(conn, &name, kind, party, &phone, SystemClock.now())?;
                    if let Some(hsa_id) = &hsa_id {
                        units::set_hsa_id(conn, &unit.id, hsa_id.as_str())?;
                    }
                    let subject = format!("enhet {}", unit.name);
                    log_admin(conn, party, "skapade", &subject, kind.label())?;
                    Ok(unit)
                })
                .map_err(|e| anyhow::anyhow!("kunde inte skapa enheten: {e}"))?;
            println!(
                "Skapade {} ({}, {}).",
                created.name,
                kind.label(),
                rules.party_name(party)
            );
            Ok(())
        }
        UnitCommand::List => {
            let list = store
                .transaction(units::list)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{:<50} {:<30} {:<24} Id", "Enhet", "Typ", "Part");
            for u in list {
                println!(
                    "{:<50} {:<30} {:<24} {}",
                    u.name,
                    u.kind.label(),
                    rules.party_name(u.party),
                    u.id
                );
            }
            Ok(())
        }
    }
}

/// Keeps a command-line change to an account or unit in the administration log.
fn log_admin(
    conn: &mut samsyn_store::DbConnection,
    party: Party,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<(), samsyn_store::StoreError> {
    samsyn_store::admin_log::record(
        conn,
        &samsyn_store::admin_log::AdminChange {
            at: SystemClock.now(),
            actor: samsyn_store::admin_log::COMMAND_LINE.to_owned(),
            party,
            action: action.to_owned(),
            subject: subject.to_owned(),
            detail: detail.to_owned(),
        },
    )
}

/// An account as the administration log names it.
fn account_subject(username: &str) -> String {
    format!("användare {}", users::normalise_username(username))
}

/// The party of the account's unit.
fn party_of_user(
    conn: &mut samsyn_store::DbConnection,
    username: &str,
) -> Result<Party, samsyn_store::StoreError> {
    let user = users::credentials_by_username(conn, username)?
        .ok_or(samsyn_store::StoreError::NotFound)?
        .user;
    Ok(units::get(conn, &user.unit_id)?.party)
}

/// A person's or unit's name as stored: without bidirectional overrides, one line, within the
/// length limit.
fn checked_name(flag: &str, name: &str) -> Result<String> {
    let name = samsyn_domain::text::without_bidi_controls(name.trim());
    if name.is_empty() {
        bail!("{flag}: ange ett namn");
    }
    if let Some(problem) =
        samsyn_domain::text::problem(flag, &name, samsyn_domain::text::SHORT_TEXT_CHARS, false)
    {
        bail!("{problem}");
    }
    Ok(name)
}

/// The new password: from `SAMSYN_PASSWORD`, or the first line of standard input, checked
/// against the password policy.
fn read_password(username: &str) -> Result<String> {
    let password = read_secret(
        "SAMSYN_PASSWORD",
        "Skriv det nya lösenordet (minst 12 tecken) och tryck Enter:",
    )?;
    if let Some(problem) =
        samsyn_web::shared::password_policy::new_password_problem(&password, username)
    {
        bail!("{problem}");
    }
    Ok(password)
}

/// A secret from the environment variable, or else the next line of standard input.
fn read_secret(variable: &str, prompt: &str) -> Result<String> {
    if let Ok(value) = std::env::var(variable) {
        return Ok(value);
    }
    eprintln!("{prompt}");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

fn audit_show(
    store: &Store,
    rules: &RuleSet,
    reviewer: &str,
    patient: Option<String>,
    user: Option<String>,
    limit: i64,
) -> Result<()> {
    let now = SystemClock.now();
    let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
    let number = patient
        .map(|p| {
            PersonId::parse(&p, &rules.reserve_number, today)
                .map_err(|e| anyhow::anyhow!("--patient: {e}"))
        })
        .transpose()?;
    let found = store
        .transaction(|conn| {
            let Some(reviewer) = users::credentials_by_username(conn, reviewer)?
                .map(|c| c.user)
                .filter(|u| u.role == Role::AuditReviewer && !u.disabled)
            else {
                return Ok(Err(anyhow::anyhow!(
                    "--reviewer: {reviewer} är inte en aktiv logggranskare"
                )));
            };
            let party = units::get(conn, &reviewer.unit_id)?.party;
            let mut filter = Filter {
                party: Some(party),
                ..Filter::default()
            };
            if let Some(number) = &number {
                let Some(found) = patients::find_by_person_id(conn, number)? else {
                    return Ok(Err(anyhow::anyhow!(
                        "--patient: ingen person med det numret finns i Samsyn"
                    )));
                };
                filter.patient_id = Some(found.id);
            }
            if let Some(username) = &user {
                let Some(found) = users::credentials_by_username(conn, username)? else {
                    return Ok(Err(anyhow::anyhow!(
                        "--user: det finns ingen användare som heter {username}"
                    )));
                };
                filter.user_id = Some(found.user.id);
            }
            let page = access_log::search(
                conn,
                &filter,
                &samsyn_store::access_log::PageAt::First,
                limit,
            )?;
            let criteria = match &user {
                Some(username) => format!("samsyn audit show; användare {username}"),
                None => "samsyn audit show".to_owned(),
            };
            let actor = access_log::Actor {
                user_id: reviewer.id.clone(),
                unit_id: reviewer.unit_id.clone(),
                role: reviewer.role,
                identity_source: samsyn_domain::IdentitySource::Local,
            };
            let access = access_log::Access {
                patient_id: filter.patient_id.as_deref(),
                action: AccessAction::Read,
                object_type: access_log::sample::REVIEW_OBJECT,
                object_id: &criteria,
                outcome: AccessOutcome::Allowed,
            };
            access_log::record(conn, &actor, access, now)?;
            Ok(Ok(page))
        })
        .map_err(|e| anyhow::anyhow!("{e}"))??;
    let entries = found.entries;
    println!(
        "{:<25} {:<22} {:<34} {:<15} {:<9} {:<9} Objekt",
        "Tid (UTC)", "Användare", "Enhet", "Person", "Händelse", "Utfall"
    );
    for e in &entries {
        let person = e
            .patient
            .as_ref()
            .map(|(n, _)| n.masked())
            .unwrap_or_else(|| "–".into());
        println!(
            "{:<25} {:<22} {:<34} {:<15} {:<9} {:<9} {} {}",
            e.at.strftime("%Y-%m-%d %H:%M:%S").to_string(),
            e.username,
            e.unit_name,
            person,
            e.action.code(),
            e.outcome.code(),
            e.object_type,
            e.object_id
        );
    }
    println!(
        "{} av {} loggposter, varav {} nekade.",
        entries.len(),
        found.total,
        found.denied
    );
    Ok(())
}

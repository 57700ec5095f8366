//! `samsyn backup`, `samsyn restore` and `samsyn verify`: a consistent copy while Samsyn runs,
//! putting a copy back, and the checks to run after any restore. SQLite is copied by the store
//! (`VACUUM INTO`); PostgreSQL by its own `pg_dump` and `pg_restore`, run here.

use anyhow::{Context, Result, bail};
use samsyn_store::db::DatabaseUrl;
use samsyn_store::{Engine, Store, StoreOptions};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn as_it_is(database: &str) -> Result<Store> {
    Store::open_with(
        database,
        StoreOptions {
            migrate: false,
            ..StoreOptions::default()
        },
    )
    .map_err(|e| anyhow::anyhow!("{e}"))
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

pub fn backup(database: &str, out: &Path) -> Result<()> {
    let url = DatabaseUrl::parse(database).map_err(|e| anyhow::anyhow!("{e}"))?;
    let started = Instant::now();
    match url.engine() {
        Engine::Sqlite => {
            let bytes = as_it_is(database)?
                .snapshot_sqlite(out)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let verification = samsyn_store::backup::verify(&as_it_is(&sqlite_url(out))?)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            if !verification.passed() {
                print_verification(&verification);
                bail!("kopian {} klarar inte kontrollen", out.display());
            }
            println!(
                "Säkerhetskopia skriven till {} ({:.1} MB på {:.1} s) och kontrollerad.",
                out.display(),
                bytes as f64 / 1_048_576.0,
                started.elapsed().as_secs_f64()
            );
        }
        Engine::Postgres => {
            owner_only_new_file(out)?;
            let mut dump = postgres_tool("pg_dump", database)?;
            dump.args(["--format=custom", "--no-owner", "--file"])
                .arg(out);
            if let Err(error) = run(dump, "pg_dump") {
                let _ = std::fs::remove_file(out);
                return Err(error);
            }
            println!(
                "Säkerhetskopia skriven med pg_dump till {} ({:.1} s). Läs tillbaka med `samsyn restore --from {}`.",
                out.display(),
                started.elapsed().as_secs_f64(),
                out.display()
            );
        }
    }
    Ok(())
}

/// Creates `out` readable by its owner only, refusing one that exists, so that pg_dump writes the
/// copy into a file no one else may read.
fn owner_only_new_file(out: &Path) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(out)
        .with_context(|| {
            format!(
                "{} finns redan eller kan inte skapas; välj ett nytt filnamn",
                out.display()
            )
        })?;
    Ok(())
}

pub fn restore(database: &str, from: &Path, force: bool) -> Result<()> {
    if !from.is_file() {
        bail!("{} finns inte", from.display());
    }
    let url = DatabaseUrl::parse(database).map_err(|e| anyhow::anyhow!("{e}"))?;
    match url.engine() {
        Engine::Sqlite => restore_sqlite(database, from, force)?,
        Engine::Postgres => {
            let has_tables = !as_it_is(database)?
                .describe_schema()
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .is_empty();
            if has_tables && !force {
                bail!(
                    "databasen har redan tabeller; läs tillbaka till en tom databas, eller ange --force för att ersätta innehållet"
                );
            }
            let mut restore = postgres_tool("pg_restore", database)?;
            restore.args([
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
            ]);
            if has_tables {
                restore.args(["--clean", "--if-exists"]);
            }
            restore.arg(from);
            run(restore, "pg_restore")?;
        }
    }
    println!("Återläst från {}. Kontroll:", from.display());
    verify(database)
}

/// Checks the copy, then puts it in place of the file in one rename; a stale write-ahead log of
/// the old database is removed first, or SQLite would replay it onto the copy.
fn restore_sqlite(database: &str, from: &Path, force: bool) -> Result<()> {
    let copy = samsyn_store::backup::verify(&as_it_is(&sqlite_url(from))?)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if !copy.passed() {
        print_verification(&copy);
        bail!(
            "kopian {} klarar inte kontrollen; inget är ändrat",
            from.display()
        );
    }
    let store = as_it_is(database)?;
    let target = store
        .sqlite_path()
        .context("ingen databasfil")?
        .to_path_buf();
    let has_tables = !store
        .describe_schema()
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .is_empty();
    let has_data = has_tables
        && store
            .transaction(samsyn_store::demo::is_empty)
            .map(|empty| !empty)
            .unwrap_or(true);
    drop(store);
    if has_data && !force {
        bail!(
            "{} har redan data; stoppa servern och ange --force för att ersätta den",
            target.display()
        );
    }
    let restoring = target.with_extension("restoring");
    {
        use std::os::unix::fs::OpenOptionsExt;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&restoring)?;
        std::io::copy(&mut std::fs::File::open(from)?, &mut file)?;
        file.sync_all()?;
    }
    for stale in ["-wal", "-shm"] {
        let path = format!("{}{stale}", target.display());
        if let Err(error) = std::fs::remove_file(&path)
            && error.kind() != std::io::ErrorKind::NotFound
        {
            bail!("kan inte ta bort {path}: {error}");
        }
    }
    std::fs::rename(&restoring, &target)?;
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}

pub fn verify(database: &str) -> Result<()> {
    let verification =
        samsyn_store::backup::verify(&as_it_is(database)?).map_err(|e| anyhow::anyhow!("{e}"))?;
    print_verification(&verification);
    if verification.passed() {
        println!("Alla kontroller godkända.");
        Ok(())
    } else {
        bail!("minst en kontroll misslyckades")
    }
}

fn print_verification(verification: &samsyn_store::backup::Verification) {
    for check in &verification.checks {
        let mark = if check.passed { "ok " } else { "FEL" };
        println!("{mark} {}: {}", check.what, check.detail);
    }
    println!("Rader per tabell:");
    for (table, rows) in &verification.row_counts {
        println!("    {table:<40} {rows:>10}");
    }
}

/// A PostgreSQL client tool for the database: the URL without its password (which goes in
/// `PGPASSWORD`, not on a command line others can list), and no GSSAPI.
fn postgres_tool(tool: &str, database: &str) -> Result<Command> {
    let (url, password) = without_password(database)?;
    let mut command = Command::new(tool);
    command
        .arg(format!("--dbname={url}"))
        .env("PGGSSENCMODE", "disable");
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    Ok(command)
}

fn run(mut command: Command, tool: &str) -> Result<()> {
    let status = command.status().map_err(|error| {
        anyhow::anyhow!(
            "{tool} kunde inte startas ({error}). Installera PostgreSQL-klienten i samma huvudversion som servern (Debian: postgresql-client)."
        )
    })?;
    if !status.success() {
        bail!("{tool} misslyckades ({status})");
    }
    Ok(())
}

/// `postgres://user:secret@host/db` → (`postgres://user@host/db`, `secret`), the password
/// percent-decoded as libpq would.
fn without_password(database: &str) -> Result<(String, Option<String>)> {
    let mut url = url::Url::parse(database).context("databasens URL kan inte läsas")?;
    let password = url.password().map(|p| {
        percent_encoding::percent_decode_str(p)
            .decode_utf8_lossy()
            .into_owned()
    });
    if password.is_some() {
        url.set_password(None)
            .map_err(|()| anyhow::anyhow!("databasens URL kan inte läsas"))?;
    }
    Ok((url.to_string(), password))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_url_decoded() {
        assert_eq!(
            without_password("postgres://samsyn:p%40ss%3Aord@db:5432/samsyn").ok(),
            Some((
                "postgres://samsyn@db:5432/samsyn".to_owned(),
                Some("p@ss:ord".to_owned())
            ))
        );
        assert_eq!(
            without_password("postgres://samsyn@db/samsyn?sslmode=require").ok(),
            Some((
                "postgres://samsyn@db/samsyn?sslmode=require".to_owned(),
                None
            ))
        );
    }
}

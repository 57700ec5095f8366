//! The Samsyn release binary as the load meets it: started on a filled database, ready when
//! `/readyz` says so, signed in to through the API, and stopped with SIGTERM as a service manager
//! stops it.

use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    /// Starts `binary` on `database_url` at `port`; its output goes to `log`.
    pub async fn start(binary: &Path, database_url: &str, port: u16, log: &Path) -> Result<Server> {
        let output = std::fs::File::create(log).context("creating the server log")?;
        let child = Command::new(binary)
            .arg("serve")
            .args(["--bind", &format!("127.0.0.1:{port}")])
            .env("SAMSYN_DATABASE_URL", database_url)
            .stdout(output.try_clone()?)
            .stderr(output)
            .stdin(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let ready = client
                .get(format!("{}/readyz", server.base))
                .send()
                .await
                .is_ok_and(|answer| answer.status().is_success());
            if ready {
                return Ok(server);
            }
            if Instant::now() > deadline {
                bail!(
                    "the server was not ready within two minutes; see {}",
                    log.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// An API token for a demo user.
    pub async fn sign_in(&self, client: &reqwest::Client, username: &str) -> Result<String> {
        let body = serde_json::json!({
            "username": username,
            "password": samsyn_store::demo::DEMO_PASSWORD,
        });
        let answer = client
            .post(format!("{}/api/v1/session", self.base))
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .await?;
        if !answer.status().is_success() {
            bail!("signing in as {username}: HTTP {}", answer.status());
        }
        let session: serde_json::Value = serde_json::from_slice(&answer.bytes().await?)?;
        session["token"]
            .as_str()
            .map(str::to_owned)
            .context("the session answer has no token")
    }

    /// SIGTERM, then waits for the drain to end.
    pub fn stop(mut self) -> Result<()> {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()?;
        self.child.wait()?;
        Ok(())
    }
}

//! E-mail notices through the SMTP server the operator names (`--smtp-url`). A notice says only
//! that something waits in Samsyn and links there: never a person's name or personnummer.

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use samsyn_domain::FieldError;

/// Where and as whom notices are sent.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `smtp://host:port` (plain, inside the network), `smtp://host?tls=required` (STARTTLS) or
    /// `smtps://host` (TLS).
    pub url: String,
    pub from: String,
}

/// A ready SMTP client.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    pub fn new(config: &MailConfig) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&config.url)
            .map_err(|e| format!("ogiltig SMTP-adress: {e}"))?
            .build();
        let from = config
            .from
            .parse()
            .map_err(|e| format!("ogiltig avsändaradress för e-post: {e}"))?;
        Ok(Mailer { transport, from })
    }

    /// Sends a plain-text message; the error names no recipient.
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), String> {
        let to: Mailbox = to
            .parse()
            .map_err(|_| "ogiltig mottagaradress".to_owned())?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .body(body.to_owned())
            .map_err(|e| e.to_string())?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// A unit's notice address as typed: empty means no notice.
pub fn notice_address(text: &str) -> Result<Option<String>, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<lettre::Address>() {
        Ok(_) if text.len() <= 254 => Ok(Some(text.to_owned())),
        _ => Err(FieldError {
            field: "avisering",
            message:
                "E-post för avisering: skriv en e-postadress som namn@example.se, eller lämna tomt."
                    .into(),
        }),
    }
}

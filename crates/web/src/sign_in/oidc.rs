//! The OpenID Connect relying party: the authorization code flow with PKCE and a nonce, against
//! one configured provider (the organisation's for staff, the e-identification broker's for
//! persons). The provider's metadata and keys are fetched when first needed and again after
//! `REDISCOVER_AFTER`, so Samsyn starts even while the provider is away and follows its key
//! rotation.

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreResponseType,
    CoreRevocableToken, CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthenticationContextClass, AuthenticationFlow, AuthorizationCode, Client,
    ClientId, ClientSecret, CsrfToken, EmptyExtraTokenFields, EndSessionUrl, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IdTokenFields, IssuerUrl, LogoutRequest, Nonce, PkceCodeChallenge,
    PkceCodeVerifier, PostLogoutRedirectUrl, ProviderMetadataWithLogout, RedirectUrl, Scope,
    StandardErrorResponse, StandardTokenResponse, reqwest,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::{Duration, Instant};

const REDISCOVER_AFTER: Duration = Duration::from_secs(600);
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);

/// One provider as configured by the operator.
#[derive(Debug, Clone)]
pub struct OidcSettings {
    /// The issuer exactly as the provider writes it in its tokens.
    pub issuer: String,
    pub client_id: String,
    /// From the environment only, never a flag: flags show in the process list.
    pub client_secret: Option<String>,
    /// The ID-token claim that names who signed in: the HSA-id for staff, the personnummer for
    /// persons.
    pub identity_claim: String,
    /// `acr` values that count as strong authentication; asked for as `acr_values` and
    /// required of the token.
    pub accepted_acr: Vec<String>,
    /// Extra scopes beyond `openid` that make the provider release the identity claim.
    pub scopes: Vec<String>,
}

/// Claims beyond the standard ones, by name: which one holds the identity is configured.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct OtherClaims {
    #[serde(flatten)]
    by_name: HashMap<String, serde_json::Value>,
}

impl AdditionalClaims for OtherClaims {}

type TokenResponse = StandardTokenResponse<
    IdTokenFields<
        OtherClaims,
        EmptyExtraTokenFields,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    CoreTokenType,
>;

type OidcClient = Client<
    OtherClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    TokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

struct Discovered {
    at: Instant,
    client: OidcClient,
    end_session: Option<EndSessionUrl>,
}

/// The secrets of one flow, kept server-side until the provider sends the browser back.
pub struct Started {
    pub authorize_url: String,
    pub csrf_state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// Who the provider vouched for, after every check.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The configured identity claim's value.
    pub identity: String,
    /// The name the provider gives, for a person's own page.
    pub name: Option<String>,
}

/// Why a sign-in at the provider did not give a usable identity. The messages are for the
/// server log; the pages say it in Swedish.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("identity provider unreachable or its metadata invalid: {0}")]
    Unreachable(String),
    #[error("identity provider refused the code exchange: {0}")]
    Exchange(String),
    #[error("ID token failed verification: {0}")]
    Invalid(String),
    #[error("authentication context {0:?} is not accepted")]
    WeakAuthentication(String),
    #[error("the ID token lacks the identity claim")]
    MissingIdentity,
}

/// A configured provider and what was last learnt from it.
pub struct Provider {
    settings: OidcSettings,
    redirect: RedirectUrl,
    http: reqwest::Client,
    discovered: tokio::sync::RwLock<Option<Discovered>>,
}

impl Provider {
    /// Checks the settings; `redirect` is this site's callback address as the provider has it
    /// registered.
    pub fn new(settings: OidcSettings, redirect: &str) -> Result<Provider, String> {
        IssuerUrl::new(settings.issuer.clone())
            .map_err(|e| format!("ogiltig utfärdar-URL {}: {e}", settings.issuer))?;
        let redirect = RedirectUrl::new(redirect.to_owned())
            .map_err(|e| format!("ogiltig återkomstadress {redirect}: {e}"))?;
        if settings.accepted_acr.is_empty() {
            return Err("ange minst ett godkänt acr-värde för stark autentisering".into());
        }
        // Following redirects would let a provider's answer send us anywhere.
        let http = reqwest::ClientBuilder::new()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(PROVIDER_TIMEOUT)
            .build()
            .map_err(|e| format!("HTTP-klienten kunde inte skapas: {e}"))?;
        Ok(Provider {
            settings,
            redirect,
            http,
            discovered: tokio::sync::RwLock::new(None),
        })
    }

    async fn client(&self, fresh: bool) -> Result<(OidcClient, Option<EndSessionUrl>), OidcError> {
        if !fresh
            && let Some(known) = self.discovered.read().await.as_ref()
            && known.at.elapsed() < REDISCOVER_AFTER
        {
            return Ok((known.client.clone(), known.end_session.clone()));
        }
        let issuer = IssuerUrl::new(self.settings.issuer.clone())
            .map_err(|e| OidcError::Unreachable(e.to_string()))?;
        let metadata = ProviderMetadataWithLogout::discover_async(issuer, &self.http)
            .await
            .map_err(|e| OidcError::Unreachable(e.to_string()))?;
        let end_session = metadata.additional_metadata().end_session_endpoint.clone();
        let client = OidcClient::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            self.settings.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(self.redirect.clone());
        *self.discovered.write().await = Some(Discovered {
            at: Instant::now(),
            client: client.clone(),
            end_session: end_session.clone(),
        });
        Ok((client, end_session))
    }

    /// The provider's authorization address for a new flow, and the flow's secrets.
    pub async fn start(&self) -> Result<Started, OidcError> {
        let (client, _) = self.client(false).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in &self.settings.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        for acr in &self.settings.accepted_acr {
            request = request.add_auth_context_value(AuthenticationContextClass::new(acr.clone()));
        }
        let (url, csrf_state, nonce) = request.url();
        Ok(Started {
            authorize_url: url.to_string(),
            csrf_state: csrf_state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Exchanges the code, verifies the ID token (signature, issuer, audience, expiry, nonce)
    /// and requires an accepted `acr` and the identity claim. A token signed with a key not
    /// yet known is tried once more after fetching the provider's keys again.
    pub async fn finish(
        &self,
        code: String,
        pkce_verifier: String,
        nonce: String,
    ) -> Result<Verified, OidcError> {
        let (client, _) = self.client(false).await?;
        let response = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| OidcError::Exchange(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| OidcError::Exchange(e.to_string()))?;
        let id_token = response
            .extra_fields()
            .id_token()
            .ok_or_else(|| OidcError::Invalid("no ID token in the token response".into()))?;
        let nonce = Nonce::new(nonce);
        let claims = match id_token.claims(&client.id_token_verifier(), &nonce) {
            Ok(claims) => claims.clone(),
            Err(_) => {
                let (refreshed, _) = self.client(true).await?;
                id_token
                    .claims(&refreshed.id_token_verifier(), &nonce)
                    .map_err(|e| OidcError::Invalid(e.to_string()))?
                    .clone()
            }
        };
        let acr = claims
            .auth_context_ref()
            .map(|acr| acr.as_str().to_owned())
            .unwrap_or_default();
        if !self.settings.accepted_acr.contains(&acr) {
            return Err(OidcError::WeakAuthentication(acr));
        }
        let identity = claims
            .additional_claims()
            .by_name
            .get(&self.settings.identity_claim)
            .and_then(|value| value.as_str())
            .map(str::to_owned)
            .ok_or(OidcError::MissingIdentity)?;
        let name = claims
            .name()
            .and_then(|name| name.get(None))
            .map(|name| name.as_str().to_owned())
            .or_else(|| {
                let given = claims.given_name().and_then(|n| n.get(None))?;
                let family = claims.family_name().and_then(|n| n.get(None))?;
                Some(format!("{} {}", given.as_str(), family.as_str()))
            });
        Ok(Verified { identity, name })
    }

    /// Where to send the browser to end the provider's session too, when it has an end-session
    /// endpoint; it sends the browser back to `after`.
    pub async fn end_session_url(&self, after: &str) -> Option<String> {
        let (_, end_session) = self.client(false).await.ok()?;
        let mut request = LogoutRequest::from(end_session?)
            .set_client_id(ClientId::new(self.settings.client_id.clone()));
        if let Ok(after) = PostLogoutRedirectUrl::new(after.to_owned()) {
            request = request.set_post_logout_redirect_uri(after);
        }
        Some(request.http_get_url().to_string())
    }
}

//! Why a use case did not go through, the API's one error envelope, FHIR's OperationOutcome
//! response, and how the first becomes the others.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use samsyn_domain::{FieldError, TransitionError};
use samsyn_fhir::{FHIR_JSON, Issue};
use samsyn_store::StoreError;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// Why a use case did not go through.
#[derive(Debug)]
pub enum WorkflowError {
    /// Missing, or not visible to the user's unit (the two are indistinguishable on purpose).
    NotFound,
    /// The user's unit or role may not do this at all (no patient data involved).
    Forbidden(&'static str),
    Invalid(Vec<FieldError>),
    Transition(TransitionError),
    /// The track's criteria or the joint work are not complete enough for this decision.
    Blocked(Vec<String>),
    /// Someone else changed the case since the user loaded it.
    Conflict,
    Store(StoreError),
}

impl From<StoreError> for WorkflowError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict => WorkflowError::Conflict,
            StoreError::NotFound => WorkflowError::NotFound,
            other => WorkflowError::Store(other),
        }
    }
}

/// A free-text field's limits (length in characters, control characters) as a refusal naming
/// the field; `long` fields may hold line breaks.
pub(crate) fn check_text(
    field: &'static str,
    label: &str,
    value: &str,
    long: bool,
) -> Result<(), WorkflowError> {
    use samsyn_domain::text::{LONG_TEXT_CHARS, SHORT_TEXT_CHARS, problem};
    let limit = if long {
        LONG_TEXT_CHARS
    } else {
        SHORT_TEXT_CHARS
    };
    match problem(label, value, limit, long) {
        Some(message) => Err(WorkflowError::Invalid(vec![FieldError { field, message }])),
        None => Ok(()),
    }
}

pub(crate) type Outcome<T> = Result<Result<T, WorkflowError>, StoreError>;

pub(crate) fn flatten<T>(result: Outcome<T>) -> Result<T, WorkflowError> {
    result.map_err(WorkflowError::from)?
}

/// A form's problems, each with its field, as a page shows them: a summary, and each message
/// beside its field.
#[derive(Debug, Clone, Default)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// The message for this field, if it has one.
    pub fn field(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The page's status: 422 when the form has problems.
    pub fn status(&self) -> StatusCode {
        if self.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        }
    }

    pub fn iter(&self) -> std::slice::Iter<'_, FieldError> {
        self.0.iter()
    }
}

pub fn fhir(status: StatusCode, body: Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, FHIR_JSON)],
        body.to_string(),
    )
        .into_response()
}

/// An `OperationOutcome` response.
pub fn outcome(status: StatusCode, issues: &[Issue]) -> Response {
    fhir(status, samsyn_fhir::operation_outcome(issues))
}

/// `{"error": {"code": …, "message": …, "fields": […]}}`. Codes are stable; messages are Swedish
/// and never contain internal error text or patient identifiers.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldProblem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// `Json<T>` whose rejection is our error envelope, with a message that never echoes the body
/// (a wrongly typed personnummer would otherwise come back in the error text).
pub struct ApiJson<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for ApiJson<T>
where
    Json<T>: axum::extract::FromRequest<S, Rejection = axum::extract::rejection::JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(
        request: axum::extract::Request,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(ApiError::new(
                rejection.status(),
                "invalid_json",
                "Begärans JSON kunde inte läsas. Kontrollera fältnamn, typer och Content-Type: application/json.",
            )),
        }
    }
}

pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: &str) -> Self {
        ApiError {
            status,
            body: ErrorBody {
                code: code.into(),
                message: message.into(),
                fields: Vec::new(),
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let response = (self.status, Json(ErrorEnvelope { error: self.body })).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            with_retry_after(response)
        } else {
            response
        }
    }
}

/// How long a client should wait before trying again when the database does not answer.
const RETRY_AFTER_SECONDS: &str = "5";

/// Adds `Retry-After` to a 503, so that clients and proxies back off instead of hammering.
pub(crate) fn with_retry_after(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::RETRY_AFTER,
        header::HeaderValue::from_static(RETRY_AFTER_SECONDS),
    );
    response
}

/// The API's answer when the database does not answer: 503, never 401 or 500.
pub(crate) fn unavailable_api() -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "Samsyn når inte databasen just nu. Försök igen om en stund.",
    )
}

/// FHIR's answer when the database does not answer.
pub(crate) fn unavailable_fhir() -> Response {
    with_retry_after(one_issue(
        StatusCode::SERVICE_UNAVAILABLE,
        "transient",
        "Samsyn når inte databasen just nu. Försök igen om en stund.",
    ))
}

impl From<WorkflowError> for ApiError {
    fn from(error: WorkflowError) -> Self {
        match error {
            WorkflowError::NotFound => {
                ApiError::new(StatusCode::NOT_FOUND, "not_found", "Ärendet finns inte.")
            }
            WorkflowError::Forbidden(message) => {
                ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
            }
            WorkflowError::Invalid(errors) => ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                body: ErrorBody {
                    code: "invalid".into(),
                    message: "Begäran innehåller fel. Se fälten.".into(),
                    fields: errors
                        .into_iter()
                        .map(|e| FieldProblem {
                            field: e.field.into(),
                            message: e.message,
                        })
                        .collect(),
                },
            },
            WorkflowError::Transition(e) => {
                ApiError::new(StatusCode::CONFLICT, "illegal_transition", &e.to_string())
            }
            WorkflowError::Blocked(blockers) => ApiError {
                status: StatusCode::CONFLICT,
                body: ErrorBody {
                    code: "enrollment_blocked".into(),
                    message: "Beslut om inskrivning kan inte registreras ännu.".into(),
                    fields: blockers
                        .into_iter()
                        .map(|message| FieldProblem {
                            field: "kriterier".into(),
                            message,
                        })
                        .collect(),
                },
            },
            WorkflowError::Conflict => ApiError::new(
                StatusCode::CONFLICT,
                "version_conflict",
                "Ärendet har ändrats av någon annan. Hämta det igen och försök på nytt.",
            ),
            WorkflowError::Store(StoreError::Unavailable) => unavailable_api(),
            WorkflowError::Store(error) => {
                tracing::error!(%error, "store error");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Ett internt fel uppstod.",
                )
            }
        }
    }
}

pub(crate) fn one_issue(status: StatusCode, code: &'static str, text: &str) -> Response {
    outcome(
        status,
        &[Issue {
            code,
            diagnostics: text.to_owned(),
            expression: None,
        }],
    )
}

/// A refusal as FHIR answers it: an `OperationOutcome` with the matching status.
pub(crate) fn from_workflow(error: WorkflowError) -> Response {
    match error {
        WorkflowError::NotFound => {
            one_issue(StatusCode::NOT_FOUND, "not-found", "Resursen finns inte.")
        }
        WorkflowError::Forbidden(text) => one_issue(StatusCode::FORBIDDEN, "forbidden", text),
        WorkflowError::Invalid(errors) => outcome(
            StatusCode::UNPROCESSABLE_ENTITY,
            &errors
                .iter()
                .map(|e| Issue {
                    code: "invalid",
                    diagnostics: e.message.clone(),
                    expression: Some(samsyn_fhir::expression_for(e.field).to_owned()),
                })
                .collect::<Vec<_>>(),
        ),
        WorkflowError::Transition(e) => one_issue(StatusCode::CONFLICT, "conflict", &e.to_string()),
        WorkflowError::Blocked(list) => {
            one_issue(StatusCode::CONFLICT, "conflict", &list.join(" "))
        }
        WorkflowError::Conflict => {
            one_issue(StatusCode::CONFLICT, "conflict", "Resursen har ändrats.")
        }
        WorkflowError::Store(StoreError::Unavailable) => unavailable_fhir(),
        WorkflowError::Store(error) => {
            tracing::error!(%error, "store error");
            one_issue(
                StatusCode::INTERNAL_SERVER_ERROR,
                "exception",
                "Ett internt fel uppstod.",
            )
        }
    }
}

//! The OpenAPI 3.1 document for `/api/v1`, generated from the handlers' annotations.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Samsyn API", description = "Samverkan om hälso- och sjukvård i hemmet: begäran, kvittens och åtkomstlogg."),
    paths(
        super::login,
        super::logout,
        super::me,
        super::list_requests,
        super::create_request,
        super::get_request,
        super::update_request,
        super::take_step,
        super::case_file,
        super::add_assessment,
        super::update_track,
        super::home_check,
        super::access_log,
        super::additional_amount::calculation,
        super::additional_amount::versions,
        super::additional_amount::create,
        super::additional_amount::version,
        super::additional_amount::recompute,
        super::additional_amount::step,
        super::additional_amount::correct,
    ),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

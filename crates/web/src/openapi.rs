//! The OpenAPI 3.1 document for `/api/v1`, generated from the handlers' annotations.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Samsyn API", description = "Samverkan om hälso- och sjukvård i hemmet: begäran, kvittens och åtkomstlogg."),
    paths(
        crate::sign_in::api::login,
        crate::sign_in::api::logout,
        crate::sign_in::api::me,
        crate::case::api::list_requests,
        crate::case::api::create_request,
        crate::case::api::get_request,
        crate::case::api::update_request,
        crate::case::api::take_step,
        crate::case::api::case_file,
        crate::case::api::add_assessment,
        crate::case::api::update_track,
        crate::case::api::home_check,
        crate::access_log::api::access_log,
        crate::additional_amount::api::calculation,
        crate::additional_amount::api::versions,
        crate::additional_amount::api::create,
        crate::additional_amount::api::version,
        crate::additional_amount::api::recompute,
        crate::additional_amount::api::step,
        crate::additional_amount::api::correct,
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

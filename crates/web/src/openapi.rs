//! The OpenAPI 3.1 document for `/api/v1`, generated from the handlers' annotations: each part
//! with an API declares its own paths, and this file merges them.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(info(
    title = "Samsyn API",
    description = "Samverkan om hälso- och sjukvård i hemmet: begäran, kvittens och åtkomstlogg."
))]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
    }
}

/// The whole document: every part's paths and schemas, and bearer authentication.
pub fn api_doc() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    for part in [
        crate::sign_in::api::Paths::openapi(),
        crate::case::api::Paths::openapi(),
        crate::care::plan::api::Paths::openapi(),
        crate::care::rehab::api::Paths::openapi(),
        crate::access_log::api::Paths::openapi(),
        crate::disagreement::api::Paths::openapi(),
        crate::deviation::api::Paths::openapi(),
        crate::additional_amount::api::Paths::openapi(),
    ] {
        doc.merge(part);
    }
    BearerAuth.modify(&mut doc);
    doc
}

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(api_doc())
}

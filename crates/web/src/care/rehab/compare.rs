//! Two versions of the rehabiliteringsplan side by side, part by part, with what changed marked
//! (`/begaran/{id}/rehabplan/jamfor?fran=1&till=2`). Reading it is an access-log entry.

use crate::AppState;
use crate::care::plan::page::{ComparePage, CompareQuery};
use crate::care::rehab::panel::frequency_label;
use crate::case::case_file;
use crate::shared::layout::{Layout, render, workflow_error_page};
use crate::shared::session::CurrentUser;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;

pub async fn compare_versions(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<CompareQuery>,
) -> Response {
    let file = match case_file::case_file(&state, &user, id, false).await {
        Ok(file) => file,
        Err(error) => return workflow_error_page(&state, &user, error),
    };
    let rules = &state.rules.treatment_plan;
    let find = |n: i64| file.rehab_plans.iter().find(|v| v.version == n);
    let rows: Vec<_> = match (find(query.fran), find(query.till)) {
        (Some(before), Some(after)) => before
            .plan
            .parts(&frequency_label(rules, &before.plan))
            .into_iter()
            .zip(after.plan.parts(&frequency_label(rules, &after.plan)))
            .map(|((label, b), (_, a))| {
                let changed = a != b;
                (label, b, a, changed)
            })
            .collect(),
        _ => Vec::new(),
    };
    let layout = Layout::new(
        &state,
        "Jämför versioner av rehabiliteringsplanen",
        Some(&user),
    )
    .await;
    render(
        StatusCode::OK,
        &ComparePage {
            layout,
            back: format!("/begaran/{}#rehabplan", file.case.id),
            person: file.case.patient.name.clone(),
            before: query.fran,
            after: query.till,
            changed: rows.iter().filter(|r| r.3).count(),
            rows,
        },
    )
}

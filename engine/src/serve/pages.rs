//! The pages of `drill serve`, plain HTML, CSS and JavaScript compiled into the
//! binary (no network, no build step): `/join` (pick a role), `/p` (a participant),
//! `/evaluator` (评估组), `/trainer` (导调). Chinese first, phone first: one column,
//! large touch targets. All four share `app.js`, which reads the page's view from
//! `<body data-view>`.

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};

fn page(view: &str, title: &str) -> Html<String> {
    Html(
        include_str!("pages/shell.html")
            .replace("{{VIEW}}", view)
            .replace("{{TITLE}}", title),
    )
}

pub async fn join() -> Html<String> {
    page("join", "加入演练 / Join")
}

pub async fn participant() -> Html<String> {
    page("participant", "参演人员 / Participant")
}

pub async fn trainer() -> Html<String> {
    page("trainer", "导调 / Trainer")
}

pub async fn evaluator() -> Html<String> {
    page("evaluator", "评估组 / Evaluator")
}

pub async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("pages/app.js"),
    )
        .into_response()
}

pub async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("pages/app.css"),
    )
        .into_response()
}

//! The HTTP API of `drill serve` (documented in docs/SERVE.md): `POST /api/actions`
//! (one line of the `actions` syntax → its verdict), `/api/join`, `/api/view`,
//! `/api/events` (server-sent events), `/api/control`, `/api/records`, `/api/state`.
//! Handlers check the token and the rate limit, then hand the request to the drill
//! thread and await its answer; none of them touches the simulation.

use super::App;
use super::auth::Grant;
use super::drill::{Answer, Cmd, Control};
use super::feed::Hub;
use super::view;
use axum::Json;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, oneshot, watch};

/// An error answer: the status and `{"error": message}`.
pub fn error(code: u16, message: &str) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(json!({"error": message}))).into_response()
}

fn answer(a: Answer) -> Response {
    match a {
        Ok(v) => Json(v).into_response(),
        Err((code, message)) => error(code, &message),
    }
}

/// The bearer token of a request (`Authorization: Bearer T`), or `?token=T` where a
/// header cannot be set (a browser's `EventSource`).
fn token<'a>(headers: &'a HeaderMap, query: &'a HashMap<String, String>) -> Option<&'a str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .or_else(|| query.get("token").map(String::as_str))
}

/// The grant of a request's token, after the rate limit; else the answer to send.
fn authorise(
    app: &App,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
) -> Result<(String, Grant), Response> {
    let Some(t) = token(headers, query) else {
        return Err(error(
            401,
            "需要口令 / a token is needed: Authorization: Bearer TOKEN",
        ));
    };
    let Some(grant) = app.tokens.grant(t) else {
        return Err(error(
            401,
            "口令无效, 请重新加入 / unknown token; join again",
        ));
    };
    if !app.limiter.allow(t) {
        return Err(error(
            429,
            "请求过于频繁, 请稍候 / too many requests; wait a moment",
        ));
    }
    Ok((t.to_string(), grant))
}

/// Hands `cmd` to the drill thread and awaits its answer.
async fn ask(app: &App, cmd: impl FnOnce(oneshot::Sender<Answer>) -> Cmd) -> Response {
    let (tx, rx) = oneshot::channel();
    let sent = app.drill.send(cmd(tx)).is_ok();
    if !sent {
        return error(503, "推演已停止 / the drill has stopped");
    }
    match rx.await {
        Ok(a) => answer(a),
        Err(_) => error(503, "推演已停止 / the drill has stopped"),
    }
}

pub async fn roles(State(app): State<Arc<App>>) -> Response {
    Json(view::roles_json(&app.scenario)).into_response()
}

#[derive(Deserialize)]
pub struct JoinBody {
    /// `r0`, `t1`... or `evaluator`.
    pub r#as: String,
    /// An evaluator's name (optional).
    #[serde(default)]
    pub name: String,
}

pub async fn join(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Result<Json<JoinBody>, axum::extract::rejection::JsonRejection>,
) -> Response {
    if !app.join_limiter.allow_ip(peer.ip()) {
        return error(
            429,
            "请求过于频繁, 请稍候 / too many requests; wait a moment",
        );
    }
    let Ok(Json(body)) = body else {
        return error(400, "请求格式错误 / expected {\"as\": \"r0\"}");
    };
    let (grant, page) = if body.r#as == "evaluator" {
        let name: String = body.name.trim().chars().take(20).collect();
        let name = if name.is_empty() {
            "评估员".to_string()
        } else {
            name
        };
        (Grant::Evaluator { name }, "/evaluator")
    } else {
        let Some((actor, name)) = view::actor_of(&app.scenario, &body.r#as) else {
            return error(400, "没有这个角色 / no such role");
        };
        (Grant::Participant { actor, name }, "/p")
    };
    match app.tokens.issue(grant) {
        Ok(Some(token)) => Json(json!({"token": token, "page": page})).into_response(),
        Ok(None) => error(503, "加入人数已满 / no more tokens"),
        Err(e) => {
            eprintln!("error: {e}");
            error(500, "无法生成口令 / could not make a token")
        }
    }
}

pub async fn view(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    match authorise(&app, &headers, &query) {
        Ok((_, grant)) => {
            Json(view::view_json(&app.scenario, &grant, app.hide_deadlines)).into_response()
        }
        Err(r) => r,
    }
}

pub async fn actions(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    body: String,
) -> Response {
    let grant = match authorise(&app, &headers, &query) {
        Ok((_, g)) => g,
        Err(r) => return r,
    };
    let line = body.trim_end_matches(['\r', '\n']).to_string();
    ask(&app, |reply| Cmd::Submit { grant, line, reply }).await
}

pub async fn records(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    body: Result<Json<Value>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let grant = match authorise(&app, &headers, &query) {
        Ok((_, g)) => g,
        Err(r) => return r,
    };
    let Ok(Json(record)) = body else {
        return error(400, "请求应为 JSON / the body must be JSON");
    };
    ask(&app, |reply| Cmd::Record {
        grant,
        record,
        reply,
    })
    .await
}

#[derive(Deserialize)]
pub struct ControlBody {
    /// `play`, `pause`, `speed` (with `speed`), `end`.
    pub op: String,
    #[serde(default)]
    pub speed: Option<f64>,
}

pub async fn control(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    body: Result<Json<ControlBody>, axum::extract::rejection::JsonRejection>,
) -> Response {
    match authorise(&app, &headers, &query) {
        Ok((_, Grant::Trainer)) => {}
        Ok(_) => {
            return error(
                403,
                "只有导调可以控制推演 / only the trainer runs the clock",
            );
        }
        Err(r) => return r,
    }
    let Ok(Json(body)) = body else {
        return error(400, "请求格式错误 / expected {\"op\": \"play\"}");
    };
    let op = match (body.op.as_str(), body.speed) {
        ("play", _) => Control::Play,
        ("pause", _) => Control::Pause,
        ("speed", Some(s)) => Control::Speed(s),
        ("end", _) => Control::ToEnd,
        _ => {
            return error(
                400,
                "op 应为 play, pause, speed 或 end / op must be play, pause, speed or end",
            );
        }
    };
    ask(&app, |reply| Cmd::Control { op, reply }).await
}

pub async fn state(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    match authorise(&app, &headers, &query) {
        Ok((_, Grant::Trainer)) => ask(&app, |reply| Cmd::State { reply }).await,
        Ok(_) => error(403, "只有导调可以查看 / for the trainer only"),
        Err(r) => r,
    }
}

fn sse_event(item: &super::feed::Item) -> Event {
    let e = Event::default().event(item.event).data(item.data.clone());
    match item.id {
        Some(id) => e.id(id.to_string()),
        None => e,
    }
}

/// Server-sent events for a token: the kept items after `Last-Event-ID` (or
/// `?last=N`), the latest tick, then live items. A subscriber that falls too far
/// behind is cut off; its browser reconnects and catches up by index.
pub async fn events(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let grant = match authorise(&app, &headers, &query) {
        Ok((_, g)) => g,
        Err(r) => return r,
    };
    let last = headers
        .get("last-event-id")
        .and_then(|h| h.to_str().ok())
        .or(query.get("last").map(String::as_str))
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or(0);
    let (missed, upto, rx) = app.hub.subscribe(&grant, last);
    let missed = stream::iter(
        missed
            .into_iter()
            .map(|i| Ok::<_, Infallible>(sse_event(&i))),
    );
    let live = live_stream(rx, grant, upto, app.stopping.clone());
    use futures_util::StreamExt;
    Sse::new(missed.chain(live))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

fn live_stream(
    rx: broadcast::Receiver<Arc<super::feed::Item>>,
    grant: Grant,
    upto: u64,
    stopping: watch::Receiver<bool>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    stream::unfold(
        (rx, grant, upto, stopping),
        |(mut rx, grant, upto, mut stopping)| async move {
            loop {
                let item = tokio::select! {
                    item = rx.recv() => item,
                    _ = stopping.wait_for(|s| *s) => return None,
                };
                match item {
                    Ok(item) => {
                        if item.id.is_some_and(|id| id <= upto) || !Hub::for_grant(&item, &grant) {
                            continue;
                        }
                        return Some((Ok(sse_event(&item)), (rx, grant, upto, stopping)));
                    }
                    // Fell behind or the drill stopped: end the stream; the browser
                    // reconnects with its last index.
                    Err(_) => return None,
                }
            }
        },
    )
}

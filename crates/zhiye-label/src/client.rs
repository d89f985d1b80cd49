//! One chat-completions request and the classification of what came back.

use std::time::Duration;

use serde_json::json;

use crate::config::ModelConfig;
use crate::prompt::Prompt;

/// What one request gave.
#[derive(Debug)]
pub(crate) enum Reply {
    /// A well-formed completion: its text and token counts.
    Text { content: String, prompt_tokens: u64, completion_tokens: u64 },
    /// Worth retrying: a 429, a 5xx, a timeout or broken connection, or a body
    /// that is not a completion. `wait` is the server's `Retry-After`.
    Retry { cause: Cause, detail: String, wait: Option<Duration> },
    /// Not worth retrying (any other 4xx): the run stops.
    Refused { status: u16, body: String },
}

/// Why a request is retried, for the summary's counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// HTTP 429.
    RateLimited,
    /// HTTP 5xx.
    ServerError,
    /// No reply in time, or the connection failed.
    Transport,
    /// A reply that is not a chat completion (bad JSON, no choices).
    Malformed,
    /// A completion that names no label or more than one.
    Unparseable,
}

/// The request of one prompt to one model.
pub(crate) fn ask(agent: &ureq::Agent, model: &ModelConfig, key: Option<&str>, prompt: &Prompt) -> Reply {
    let url = format!("{}/chat/completions", model.base_url.trim_end_matches('/'));
    let body = json!({
        "model": model.model,
        "messages": [
            {"role": "system", "content": prompt.system},
            {"role": "user", "content": prompt.user},
        ],
        "temperature": model.temperature,
        "max_tokens": model.max_tokens,
    });
    let mut request = agent.post(&url).header("Content-Type", "application/json");
    if let Some(key) = key {
        request = request.header("Authorization", &format!("Bearer {key}"));
    }
    let mut response = match request.send(body.to_string().as_bytes()) {
        Ok(r) => r,
        Err(e) => return Reply::Retry { cause: Cause::Transport, detail: e.to_string(), wait: None },
    };
    let status = response.status().as_u16();
    let wait = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64);
    let text = match response.body_mut().with_config().limit(1 << 20).read_to_string() {
        Ok(t) => t,
        Err(e) => return Reply::Retry { cause: Cause::Transport, detail: e.to_string(), wait: None },
    };
    match status {
        200..=299 => completion(&text),
        429 => Reply::Retry { cause: Cause::RateLimited, detail: snippet(&text), wait },
        500..=599 => Reply::Retry { cause: Cause::ServerError, detail: format!("{status}: {}", snippet(&text)), wait },
        _ => Reply::Refused { status, body: snippet(&text) },
    }
}

/// The text and usage of a chat-completions body.
fn completion(text: &str) -> Reply {
    let malformed = |detail: String| Reply::Retry { cause: Cause::Malformed, detail, wait: None };
    let v: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return malformed(format!("not JSON ({e}): {}", snippet(text))),
    };
    let Some(content) = v.pointer("/choices/0/message/content").and_then(|c| c.as_str()) else {
        return malformed(format!("no choices[0].message.content: {}", snippet(text)));
    };
    let tokens = |name: &str| v.pointer(&format!("/usage/{name}")).and_then(|t| t.as_u64()).unwrap_or(0);
    Reply::Text {
        content: content.to_string(),
        prompt_tokens: tokens("prompt_tokens"),
        completion_tokens: tokens("completion_tokens"),
    }
}

/// The start of a body, for messages.
fn snippet(text: &str) -> String {
    let mut s: String = text.chars().take(200).collect();
    if s.len() < text.len() {
        s.push('…');
    }
    s
}

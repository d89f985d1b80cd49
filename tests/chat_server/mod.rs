//! A chat-completions server on 127.0.0.1 for the `zhiye label` tests: real
//! HTTP/1.1 over TCP, replies that misbehave on purpose.
//!
//! Each occupation (read from the prompt's `职业编码：` line) gets a class by
//! the order it is first seen, and its first request misbehaves by class: 0
//! answers, 1 → 429 with `Retry-After: 0`, 2 → 500, 3 → malformed JSON, 4 → a
//! reply naming two labels, 5 → a reply slower than the client's timeout,
//! 6 → a label wrapped in prose. Later requests answer [`label_for`]. The
//! `always_bad` occupation always names two labels; model id `deny` gets 401.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The label the server gives an occupation: a function of its code.
pub fn label_for(code: &str) -> &'static str {
    let h = code.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    ["E0", "E1", "E2", "E3"][(h % 4) as usize]
}

#[derive(Default)]
struct State {
    /// Requests per occupation.
    seen: HashMap<String, u32>,
    /// Class by occupation (order of first sight).
    class: HashMap<String, usize>,
    /// Requests per (occupation, model).
    by_key: HashMap<(String, String), u32>,
}

/// The running server; stops when dropped.
pub struct ChatServer {
    pub url: String,
    pub requests: Arc<AtomicU64>,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    addr: std::net::SocketAddr,
}

impl ChatServer {
    /// Starts it: `always_bad` always gets two labels; every reply waits `delay` first; the slow
    /// class waits `slow`.
    pub fn start(always_bad: &str, delay: Duration, slow: Duration) -> ChatServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(AtomicU64::new(0));
        let state = Arc::new(Mutex::new(State::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (r, s, st, bad) = (requests.clone(), state.clone(), stop.clone(), always_bad.to_string());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if st.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (r, s, bad) = (r.clone(), s.clone(), bad.clone());
                std::thread::spawn(move || serve(conn, &r, &s, &bad, delay, slow));
            }
        });
        ChatServer { url: format!("http://{addr}/v1"), requests, state, stop, addr }
    }

    /// Requests seen for (occupation, model id).
    pub fn requests_for(&self, code: &str, model: &str) -> u32 {
        self.state.lock().unwrap().by_key.get(&(code.to_string(), model.to_string())).copied().unwrap_or(0)
    }

    /// The classes that have been served.
    pub fn classes_seen(&self) -> usize {
        let s = self.state.lock().unwrap();
        let mut c: Vec<usize> = s.class.values().map(|c| c % 7).collect();
        c.sort_unstable();
        c.dedup();
        c.len()
    }
}

impl Drop for ChatServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(conn: TcpStream, requests: &AtomicU64, state: &Mutex<State>, bad: &str, delay: Duration, slow: Duration) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut length = 0usize;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some(v) = l.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    requests.fetch_add(1, Ordering::Relaxed);
    let request: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let model = request["model"].as_str().unwrap_or("").to_string();
    let prompt = request["messages"][1]["content"].as_str().unwrap_or("");
    let code = prompt.split("职业编码：").nth(1).and_then(|s| s.lines().next()).unwrap_or("").trim().to_string();
    let (n, class) = {
        let mut s = state.lock().unwrap();
        let next = s.class.len();
        let class = *s.class.entry(code.clone()).or_insert(next) % 7;
        *s.by_key.entry((code.clone(), model.clone())).or_default() += 1;
        let n = s.seen.entry(code.clone()).or_default();
        *n += 1;
        (*n, class)
    };
    std::thread::sleep(delay);
    let mut conn = conn;
    let completion = |content: &str| {
        serde_json::json!({
            "id": "chatcmpl-test", "object": "chat.completion", "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 700, "completion_tokens": 3, "total_tokens": 703}
        })
        .to_string()
    };
    let (status, extra, body) = if model == "deny" {
        (401, "", r#"{"error": {"message": "invalid api key"}}"#.to_string())
    } else if code == bad {
        (200, "", completion("E1 或 E2"))
    } else if n == 1 && class == 1 {
        (429, "Retry-After: 0\r\n", r#"{"error": {"message": "rate limited"}}"#.to_string())
    } else if n == 1 && class == 2 {
        (500, "", "internal error".to_string())
    } else if n == 1 && class == 3 {
        (200, "", r#"{"choices": [{"message": "#.to_string())
    } else if n == 1 && class == 4 {
        (200, "", completion("E0 或 E3"))
    } else if n == 1 && class == 5 {
        std::thread::sleep(slow);
        (200, "", completion(label_for(&code)))
    } else if class == 6 {
        (200, "", completion(&format!("答案：{}（依据评分标准）", label_for(&code))))
    } else {
        (200, "", completion(label_for(&code)))
    };
    let head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
        body.len()
    );
    let _ = conn.write_all(head.as_bytes()).and_then(|_| conn.write_all(body.as_bytes()));
}

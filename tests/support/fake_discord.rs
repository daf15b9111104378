//! A fake Discord for tests: the REST API and the gateway WebSocket on one `127.0.0.1:0` listener, one per test.
//!
//! It follows `../shared/FAKE_DISCORD.md`: `GET /gateway` points the client at this same listener; the gateway says
//! HELLO, answers IDENTIFY with READY (with an application id), heartbeats with ACKs, RESUME with RESUMED, and
//! echoes a close frame.
//!
//! Shards as Discord has them: `GET /gateway/bot` recommends `Knobs::shards` with a `session_start_limit`; IDENTIFY
//! carries `shard: [id, total]`, and an id outside the total is closed with 4010; each guild's events (its
//! interactions, its GUILD_CREATE) go over the session of shard `(guild_id >> 22) % total`, direct messages over
//! shard 0. READY lists the guilds of its shard (from `Knobs::guilds`), each then sent as a GUILD_CREATE.
//!
//! Every REST request is recorded (method, path, JSON body; for multipart the `payload_json` part) and appended as a
//! JSON line to `target/discord-requests/<test>.jsonl`, which CI holds against Discord's OpenAPI spec. Routes it does
//! not know get a 404 that says so.
//!
//! Interactions sent to the bot are checked against serenity's own `Interaction` type first, so a fixture with a
//! missing field fails loudly instead of being dropped by the client as an unknown event.

#![allow(dead_code)]

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

/// The application (and bot user) id the fake hands out in READY.
pub const APP_ID: u64 = 900_000_000_000_000_001;
pub const BOT_NAME: &str = "Rendezvous";
/// The guild and channel interactions come from.
pub const GUILD_ID: u64 = 800_000_000_000_000_001;
pub const CHANNEL_ID: u64 = 700_000_000_000_000_001;
pub const USER_ID: u64 = 600_000_000_000_000_001;

/// How long waits last before a test fails instead of hanging.
pub const WAIT: Duration = Duration::from_secs(15);

/// Faults and settings, chosen before the fake starts.
#[derive(Clone, Debug)]
pub struct Knobs {
    pub heartbeat_interval_ms: u64,
    /// Answer heartbeats with op 11.
    pub heartbeat_ack: bool,
    /// Put `application` in READY (without it followups fail in serenity).
    pub ready_application: bool,
    /// Refuse this many interaction callbacks with 400 Invalid Form Body (as Discord does for a bad body).
    pub refuse_callbacks: u32,
    /// Answer the first this-many callbacks of every interaction with 500, without taking them.
    pub fail_callbacks: u32,
    /// Take the first callback of this many interactions but answer 500, as if the answer were lost on the way back.
    pub lose_callbacks: u32,
    /// Close the connection on the first this-many callbacks of every interaction, without an answer.
    pub drop_callbacks: u32,
    /// The shard count `GET /gateway/bot` recommends.
    pub shards: u32,
    /// `session_start_limit.max_concurrency`: identifies Discord takes per 5 s.
    pub max_concurrency: u32,
    /// Guilds the bot is in, besides `GUILD_ID`: listed in READY on their shard, then sent as GUILD_CREATE.
    pub guilds: Vec<u64>,
}

impl Default for Knobs {
    fn default() -> Knobs {
        Knobs {
            heartbeat_interval_ms: 1000,
            heartbeat_ack: true,
            ready_application: true,
            refuse_callbacks: 0,
            fail_callbacks: 0,
            lose_callbacks: 0,
            drop_callbacks: 0,
            shards: 1,
            max_concurrency: 1,
            guilds: Vec::new(),
        }
    }
}

/// The shard a guild's events go over, of `total` (Discord's rule).
pub fn shard_of(guild: u64, total: u32) -> u32 {
    ((guild >> 22) % u64::from(total.max(1))) as u32
}

/// A guild id on shard `shard` of `total`: `GUILD_ID` moved along the bits Discord's rule reads.
pub fn guild_on(shard: u32, total: u32, n: u64) -> u64 {
    let base = (GUILD_ID >> 22) + n * u64::from(total);
    let offset = (u64::from(shard) + u64::from(total) - u64::from(shard_of(GUILD_ID, total))) % u64::from(total);
    ((base + offset) << 22) | (GUILD_ID & ((1 << 22) - 1))
}

/// One REST request as the bot sent it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    /// The path without the query string, e.g. `/api/v10/interactions/1/tok/callback`.
    pub path: String,
    pub query: Option<String>,
    /// The JSON body (`payload_json` for multipart), `Null` when there was none.
    pub body: Value,
    /// Files of a multipart request: (field name, filename, bytes).
    pub files: Vec<(String, String, Vec<u8>)>,
    /// The `Authorization` header.
    pub authorization: Option<String>,
    pub status: u16,
    /// When the fake had read the whole request (benches time interactions up to here).
    pub at: Instant,
}

enum Out {
    Json(Value),
    Close(u16),
}

#[derive(Default)]
struct State {
    requests: Vec<Recorded>,
    /// Every gateway payload the bot sent.
    received: Vec<Value>,
    /// Close codes the bot sent.
    closes: Vec<u16>,
    connections: u32,
    ready_sent: u32,
    resumed_sent: u32,
    /// The last sequence number sent, by shard (each session counts from 1, as Discord's do).
    seq: HashMap<u32, u64>,
    session: u64,
    callbacks_refused: u32,
    callbacks_lost: u32,
    /// The total of the first IDENTIFY: how guilds are routed to sessions.
    total: Option<u32>,
    /// Each IDENTIFY's shard, total, and when it came.
    identified: Vec<(u32, u32, Instant)>,
    /// READY sent, by shard, with when.
    readies: Vec<(u32, Instant)>,
    /// Which shard each session is.
    sessions: HashMap<String, u32>,
    /// Callbacks seen per interaction.
    attempts: HashMap<String, u32>,
    /// Interactions that have had their first response: Discord takes one.
    acknowledged: std::collections::HashSet<String>,
    /// The live session of each shard.
    live: HashMap<u32, mpsc::UnboundedSender<Out>>,
    /// Dispatches (t, d) waiting for their shard's session.
    pending: HashMap<u32, VecDeque<(String, Value)>>,
    /// Attachments it serves, by path (`/attachments/{channel}/{id}/{filename}`), as Discord's CDN does.
    files: HashMap<String, Vec<u8>>,
    /// The attachment paths the bot downloaded, in order.
    downloads: Vec<String>,
}

impl State {
    /// The shard that carries a dispatch: its guild's, or 0.
    fn shard_for(&self, d: &Value) -> u32 {
        let guild = d["guild_id"].as_str().and_then(|g| g.parse::<u64>().ok());
        match (guild, self.total) {
            (Some(g), Some(total)) => shard_of(g, total),
            _ => 0,
        }
    }
}

struct Inner {
    addr: SocketAddr,
    knobs: Knobs,
    log: Mutex<std::fs::File>,
    log_path: PathBuf,
    state: Mutex<State>,
}

/// A running fake Discord. Dropping it stops accepting connections.
pub struct FakeDiscord {
    inner: Arc<Inner>,
    accept: tokio::task::JoinHandle<()>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A fresh snowflake-like id.
pub fn next_id() -> u64 {
    1_300_000_000_000_000_000 + NEXT_ID.fetch_add(1, Ordering::SeqCst)
}

/// Where the recorded requests of all tests go.
pub fn requests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target/tmp has a parent")
        .join("discord-requests")
}

impl FakeDiscord {
    /// Start a fake with default knobs; `test` names its request log.
    pub async fn start(test: &str) -> FakeDiscord {
        FakeDiscord::start_with(test, Knobs::default()).await
    }

    pub async fn start_with(test: &str, knobs: Knobs) -> FakeDiscord {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().unwrap();
        let dir = requests_dir();
        std::fs::create_dir_all(&dir).expect("create target/discord-requests");
        let name: String = test
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
            .collect();
        let log_path = dir.join(format!("{name}.jsonl"));
        let log = std::fs::File::create(&log_path).expect("create the request log");
        let inner = Arc::new(Inner {
            addr,
            knobs,
            log: Mutex::new(log),
            log_path,
            state: Mutex::new(State::default()),
        });
        let accept_inner = inner.clone();
        let accept = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    break;
                };
                let inner = accept_inner.clone();
                tokio::spawn(async move { serve(stream, inner).await });
            }
        });
        FakeDiscord { inner, accept }
    }

    /// The API base to give the bot (`RENDEZVOUS_DISCORD_API`).
    pub fn base(&self) -> String {
        format!("http://{}", self.inner.addr)
    }

    pub fn port(&self) -> u16 {
        self.inner.addr.port()
    }

    pub fn log_path(&self) -> PathBuf {
        self.inner.log_path.clone()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.inner.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every REST request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state().requests.clone()
    }

    /// Every gateway payload the bot sent so far.
    pub fn received(&self) -> Vec<Value> {
        self.state().received.clone()
    }

    pub fn close_codes(&self) -> Vec<u16> {
        self.state().closes.clone()
    }

    pub fn connections(&self) -> u32 {
        self.state().connections
    }

    /// Wait until `f` finds something in the state, or fail the test saying what was awaited and what was seen.
    async fn wait_for<T>(&self, what: &str, f: impl Fn(&State) -> Option<T>) -> T {
        let end = Instant::now() + WAIT;
        loop {
            if let Some(t) = f(&self.state()) {
                return t;
            }
            if Instant::now() > end {
                let s = self.state();
                let seen: Vec<String> = s.requests.iter().map(|r| format!("{} {}", r.method, r.path)).collect();
                let ops: Vec<String> = s.received.iter().map(|v| format!("op {}", v["op"])).collect();
                panic!(
                    "timed out after {WAIT:?} waiting for {what}\nREST requests: {seen:#?}\ngateway from bot: {ops:?}\n\
                     closes: {:?}",
                    s.closes
                );
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Wait for the bot's IDENTIFY (op 2) and return its `d`.
    pub async fn identify(&self) -> Value {
        self.wait_for("IDENTIFY (op 2)", |s| {
            s.received.iter().find(|v| v["op"] == 2).map(|v| v["d"].clone())
        })
        .await
    }

    /// Wait until READY has been sent `n` times in total.
    pub async fn ready(&self, n: u32) {
        self.wait_for(&format!("READY number {n}"), |s| (s.ready_sent >= n).then_some(()))
            .await
    }

    /// Wait until a READY went out on shard `shard`; returns when.
    pub async fn ready_on(&self, shard: u32) -> Instant {
        self.wait_for(&format!("READY on shard {shard}"), |s| {
            s.readies.iter().find(|(id, _)| *id == shard).map(|(_, at)| *at)
        })
        .await
    }

    /// Every IDENTIFY so far: (shard, total, when).
    pub fn identified(&self) -> Vec<(u32, u32, Instant)> {
        self.state().identified.clone()
    }

    /// The shards with a live session now.
    pub fn live_shards(&self) -> Vec<u32> {
        let mut v: Vec<u32> = self.state().live.keys().copied().collect();
        v.sort_unstable();
        v
    }

    /// Wait for the `n`th (from 1) request whose method matches and whose path contains `path_part`.
    pub async fn request(&self, method: &str, path_part: &str, n: usize) -> Recorded {
        self.wait_for(&format!("request #{n}: {method} …{path_part}…"), |s| {
            s.requests
                .iter()
                .filter(|r| r.method == method && r.path.contains(path_part))
                .nth(n - 1)
                .cloned()
        })
        .await
    }

    /// Wait for the registration (PUT …/commands) and return its body.
    pub async fn registration(&self) -> Recorded {
        self.request("PUT", "/commands", 1).await
    }

    /// Wait for the bot to send a close frame and return its code.
    pub async fn closed(&self) -> u16 {
        self.wait_for("a close frame from the bot", |s| s.closes.last().copied())
            .await
    }

    /// Send a dispatch event to the live session of its guild's shard (or queue it until that session is live).
    pub fn dispatch(&self, t: &str, d: Value) {
        let mut s = self.state();
        let shard = s.shard_for(&d);
        s.pending.entry(shard).or_default().push_back((t.to_string(), d));
        flush_pending(&mut s, shard);
    }

    /// Send a dispatch over shard `shard`'s session, whatever its guild (as Discord would after the guild moved to
    /// another shard).
    pub fn dispatch_on(&self, shard: u32, t: &str, d: Value) {
        let mut s = self.state();
        s.pending.entry(shard).or_default().push_back((t.to_string(), d));
        flush_pending(&mut s, shard);
    }

    /// [`FakeDiscord::interact`] over shard `shard`'s session.
    pub async fn interact_on(&self, shard: u32, interaction: Value) -> Value {
        check_interaction(&interaction);
        let id = interaction["id"].as_str().expect("interaction id").to_string();
        self.dispatch_on(shard, "INTERACTION_CREATE", interaction);
        self.callback(&id).await
    }

    /// Send an interaction (checked against serenity's type first) and return the body of the bot's first answer to
    /// it (POST /interactions/{id}/{token}/callback).
    pub async fn interact(&self, interaction: Value) -> Value {
        check_interaction(&interaction);
        let id = interaction["id"].as_str().expect("interaction id").to_string();
        self.dispatch("INTERACTION_CREATE", interaction);
        self.callback(&id).await
    }

    /// The body of the bot's answer to the interaction `id`.
    pub async fn callback(&self, id: &str) -> Value {
        let part = format!("/interactions/{id}/");
        self.request("POST", &part, 1).await.body
    }

    /// Serve `bytes` as an attachment named `filename`, and return the attachment object an interaction's resolved
    /// data carries (its URL on this fake). `declared` is the size the object claims (`None`: the real size).
    pub fn attachment(&self, filename: &str, bytes: Vec<u8>, declared: Option<u64>) -> Value {
        let id = next_id().to_string();
        let path = format!("/attachments/{CHANNEL_ID}/{id}/{filename}");
        let size = declared.unwrap_or(bytes.len() as u64);
        self.state().files.insert(path.clone(), bytes);
        let url = format!("http://{}{path}?ex=6790&is=678f&hm=signature", self.inner.addr);
        json!({
            "id": id,
            "filename": filename,
            "size": size,
            "url": url,
            "proxy_url": url,
            "content_type": "text/csv; charset=utf-8",
            "ephemeral": true
        })
    }

    /// The attachment paths the bot downloaded so far.
    pub fn downloads(&self) -> Vec<String> {
        self.state().downloads.clone()
    }

    /// Ask the bot to reconnect (op 7), on every live session. Dispatches sent until it resumes are queued.
    pub fn reconnect(&self) {
        let mut s = self.state();
        for (_, tx) in s.live.drain() {
            let _ = tx.send(Out::Json(json!({"op": 7, "d": null})));
        }
    }

    /// Close every live gateway connection from the server side with `code`.
    pub fn close_from_server(&self, code: u16) {
        let mut s = self.state();
        for (_, tx) in s.live.drain() {
            let _ = tx.send(Out::Close(code));
        }
    }
}

/// Fail unless serenity would read this as an interaction.
pub fn check_interaction(v: &Value) {
    if let Err(e) = serde_json::from_value::<serenity::model::application::Interaction>(v.clone()) {
        panic!("fixture is not an Interaction serenity can read: {e}\n{v:#}");
    }
}

/// Send what waits for `shard`'s session, if it is live.
fn flush_pending(s: &mut State, shard: u32) {
    let Some(tx) = s.live.get(&shard).cloned() else {
        return;
    };
    while let Some((t, d)) = s.pending.get_mut(&shard).and_then(VecDeque::pop_front) {
        let seq = {
            let n = s.seq.entry(shard).or_default();
            *n += 1;
            *n
        };
        let payload = json!({"op": 0, "t": t, "s": seq, "d": d});
        if tx.send(Out::Json(payload)).is_err() {
            *s.seq.entry(shard).or_default() -= 1;
            s.live.remove(&shard);
            s.pending.entry(shard).or_default().push_front((t, d));
            return;
        }
    }
}

// ---------------------------------------------------------------------------------------------------------- HTTP

struct Head {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
}

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Read until `buf` holds `n` bytes (or the peer closes).
async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>, n: usize) -> bool {
    let mut chunk = [0u8; 16 * 1024];
    while buf.len() < n {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(k) => buf.extend_from_slice(&chunk[..k]),
        }
    }
    true
}

async fn read_head(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Head> {
    let mut chunk = [0u8; 16 * 1024];
    let end = loop {
        if let Some(i) = find(buf, b"\r\n\r\n") {
            break i;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(k) => buf.extend_from_slice(&chunk[..k]),
        }
    };
    let text = String::from_utf8_lossy(&buf[..end]).to_string();
    buf.drain(..end + 4);
    let mut lines = text.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Some(Head {
        method,
        target,
        headers,
    })
}

async fn read_body(stream: &mut TcpStream, buf: &mut Vec<u8>, head: &Head) -> Option<Vec<u8>> {
    if head
        .header("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        let mut body = Vec::new();
        loop {
            let mut chunk = [0u8; 4096];
            let line_end = loop {
                if let Some(i) = find(buf, b"\r\n") {
                    break i;
                }
                match stream.read(&mut chunk).await {
                    Ok(0) | Err(_) => return None,
                    Ok(k) => buf.extend_from_slice(&chunk[..k]),
                }
            };
            let size_text = String::from_utf8_lossy(&buf[..line_end]).to_string();
            let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
            buf.drain(..line_end + 2);
            if !fill(stream, buf, size + 2).await {
                return None;
            }
            body.extend_from_slice(&buf[..size]);
            buf.drain(..size + 2);
            if size == 0 {
                return Some(body);
            }
        }
    }
    let len: usize = head.header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    if !fill(stream, buf, len).await {
        return None;
    }
    Some(buf.drain(..len).collect())
}

async fn serve(mut stream: TcpStream, inner: Arc<Inner>) {
    let mut buf = Vec::new();
    loop {
        let Some(head) = read_head(&mut stream, &mut buf).await else {
            return;
        };
        if head
            .header("upgrade")
            .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
        {
            let key = head.header("sec-websocket-key").unwrap_or_default();
            let answer = format!(
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
                 Sec-WebSocket-Accept: {}\r\n\r\n",
                derive_accept_key(key.as_bytes())
            );
            if stream.write_all(answer.as_bytes()).await.is_err() {
                return;
            }
            let ws = WebSocketStream::from_raw_socket(stream, Role::Server, None).await;
            gateway(ws, inner).await;
            return;
        }
        let Some(body) = read_body(&mut stream, &mut buf, &head).await else {
            return;
        };
        // Attachments, as the CDN serves them: raw bytes, not part of the API (so not in the request log).
        if head.method == "GET" && head.target.starts_with("/attachments/") {
            let path = head.target.split('?').next().unwrap_or_default().to_string();
            let file = {
                let mut s = inner.state.lock().unwrap_or_else(|e| e.into_inner());
                s.downloads.push(path.clone());
                s.files.get(&path).cloned()
            };
            let (status, bytes) = match file {
                Some(b) => ("200 OK", b),
                None => ("404 Not Found", b"no such attachment".to_vec()),
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nContent-Type: text/csv\r\n\r\n",
                bytes.len()
            );
            if stream.write_all(head.as_bytes()).await.is_err() || stream.write_all(&bytes).await.is_err() {
                return;
            }
            continue;
        }
        let (status, answer) = rest(&inner, &head, &body);
        if status == 0 {
            // A dropped connection: no answer at all.
            return;
        }
        let text = answer.map(|v| v.to_string()).unwrap_or_default();
        let reason = match status {
            200 => "OK",
            204 => "No Content",
            400 => "Bad Request",
            404 => "Not Found",
            500 => "Internal Server Error",
            _ => "Whatever",
        };
        let mut response = format!("HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\n", text.len());
        if !text.is_empty() {
            response.push_str("Content-Type: application/json\r\n");
        }
        response.push_str("\r\n");
        response.push_str(&text);
        if stream.write_all(response.as_bytes()).await.is_err() {
            return;
        }
        if head
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"))
        {
            return;
        }
    }
}

/// The JSON part of a request body: the body itself, or a multipart body's `payload_json`; and its files.
fn parse_body(head: &Head, body: &[u8]) -> (Value, Vec<(String, String, Vec<u8>)>) {
    if body.is_empty() {
        return (Value::Null, Vec::new());
    }
    let ctype = head.header("content-type").unwrap_or_default();
    if let Some(boundary) = ctype.split("boundary=").nth(1) {
        let boundary = format!("--{}", boundary.trim_matches('"'));
        let mut json_part = Value::Null;
        let mut files = Vec::new();
        let mut rest = body;
        while let Some(start) = find(rest, boundary.as_bytes()) {
            rest = &rest[start + boundary.len()..];
            if rest.starts_with(b"--") {
                break;
            }
            let Some(head_end) = find(rest, b"\r\n\r\n") else {
                break;
            };
            let part_head = String::from_utf8_lossy(&rest[..head_end]).to_string();
            let disposition = part_head
                .lines()
                .find(|l| l.to_ascii_lowercase().starts_with("content-disposition"))
                .unwrap_or_default()
                .to_string();
            let data_start = head_end + 4;
            let data_end = find(&rest[data_start..], boundary.as_bytes()).map_or(rest.len(), |i| data_start + i);
            let mut data = &rest[data_start..data_end];
            if data.ends_with(b"\r\n") {
                data = &data[..data.len() - 2];
            }
            let attr = |name: &str| {
                disposition
                    .split(';')
                    .map(str::trim)
                    .find_map(|p| p.strip_prefix(&format!("{name}=")))
                    .map(|v| v.trim_matches('"').to_string())
            };
            let field = attr("name").unwrap_or_default();
            if field == "payload_json" {
                json_part = serde_json::from_slice(data).unwrap_or(Value::Null);
            } else {
                files.push((field, attr("filename").unwrap_or_default(), data.to_vec()));
            }
            rest = &rest[data_end..];
        }
        return (json_part, files);
    }
    match serde_json::from_slice(body) {
        Ok(v) => (v, Vec::new()),
        Err(_) => (Value::String(String::from_utf8_lossy(body).to_string()), Vec::new()),
    }
}

fn rest(inner: &Inner, head: &Head, raw: &[u8]) -> (u16, Option<Value>) {
    let at = Instant::now();
    let (path, query) = match head.target.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (head.target.clone(), None),
    };
    let (body, files) = parse_body(head, raw);
    let route = path.strip_prefix("/api/v10").unwrap_or(&path);
    let segs: Vec<&str> = route.trim_matches('/').split('/').collect();
    let method = head.method.as_str();
    let (status, answer) = match (method, segs.as_slice()) {
        ("GET", ["gateway"]) => (200, Some(json!({"url": format!("ws://{}/gateway", inner.addr)}))),
        ("GET", ["gateway", "bot"]) => (
            200,
            Some(json!({
                "url": format!("ws://{}/gateway", inner.addr),
                "shards": inner.knobs.shards,
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0,
                                        "max_concurrency": inner.knobs.max_concurrency}
            })),
        ),
        ("GET", ["oauth2", "applications", "@me"]) => (200, Some(application())),
        ("PUT", ["applications", _, "commands"]) => (200, Some(commands_echo(&body, None))),
        ("PUT", ["applications", _, "guilds", g, "commands"]) => (200, Some(commands_echo(&body, Some(g)))),
        ("POST", ["interactions", id, _, "callback"]) => {
            let mut s = inner.state.lock().unwrap_or_else(|e| e.into_inner());
            let k = &inner.knobs;
            let attempt = {
                let n = s.attempts.entry(id.to_string()).or_insert(0);
                *n += 1;
                *n
            };
            if s.acknowledged.contains(*id) {
                (
                    400,
                    Some(json!({"message": "Interaction has already been acknowledged.", "code": 40060})),
                )
            } else if s.callbacks_refused < k.refuse_callbacks {
                s.callbacks_refused += 1;
                (
                    400,
                    Some(json!({"message": "Invalid Form Body", "code": 50035, "errors": {}})),
                )
            } else if attempt <= k.fail_callbacks {
                (500, Some(json!({"message": "500: Internal Server Error", "code": 0})))
            } else if attempt <= k.fail_callbacks + k.drop_callbacks {
                (0, None)
            } else if s.callbacks_lost < k.lose_callbacks {
                s.callbacks_lost += 1;
                s.acknowledged.insert(id.to_string());
                (500, Some(json!({"message": "500: Internal Server Error", "code": 0})))
            } else {
                s.acknowledged.insert(id.to_string());
                (204, None)
            }
        }
        ("POST", ["channels", ch, "messages"]) => (200, Some(message(ch, &body))),
        ("POST", ["webhooks", _, _]) => (200, Some(message(&CHANNEL_ID.to_string(), &body))),
        ("PATCH", ["webhooks", _, _, "messages", _]) => (200, Some(message(&CHANNEL_ID.to_string(), &body))),
        ("GET", ["webhooks", _, _, "messages", _]) => (200, Some(message(&CHANNEL_ID.to_string(), &Value::Null))),
        ("DELETE", ["webhooks", _, _, "messages", _]) => (204, None),
        _ => (
            404,
            Some(json!({
                "message": format!("fake Discord has no route for {method} {path}: add it to tests/support/fake_discord.rs"),
                "code": 0
            })),
        ),
    };
    let rec = Recorded {
        method: head.method.clone(),
        path: path.clone(),
        query,
        body: body.clone(),
        files,
        authorization: head.header("authorization").map(str::to_string),
        status,
        at,
    };
    {
        let mut line = json!({"method": rec.method, "path": rec.path});
        if !body.is_null() {
            line["body"] = body;
        }
        let mut log = inner.log.lock().unwrap_or_else(|e| e.into_inner());
        let _ = writeln!(log, "{line}");
        let _ = log.flush();
    }
    inner.state.lock().unwrap_or_else(|e| e.into_inner()).requests.push(rec);
    (status, answer)
}

/// The application, as `GET /oauth2/applications/@me` answers.
pub fn application() -> Value {
    json!({
        "id": APP_ID.to_string(),
        "name": BOT_NAME,
        "icon": null,
        "description": "A fake application",
        "bot_public": true,
        "bot_require_code_grant": false,
        "verify_key": "0".repeat(64),
        "team": null,
        "flags": 0
    })
}

/// The commands as Discord stores them: the body with ids added.
pub fn commands_echo(body: &Value, guild: Option<&str>) -> Value {
    let cmds = body.as_array().cloned().unwrap_or_default();
    Value::Array(
        cmds.into_iter()
            .map(|mut c| {
                c["id"] = json!(next_id().to_string());
                c["application_id"] = json!(APP_ID.to_string());
                c["version"] = json!(next_id().to_string());
                if c.get("type").is_none() {
                    c["type"] = json!(1);
                }
                if let Some(g) = guild {
                    c["guild_id"] = json!(g);
                }
                if c.get("default_member_permissions").is_none() {
                    c["default_member_permissions"] = Value::Null;
                }
                c
            })
            .collect(),
    )
}

/// A full message, as Discord answers a message creation.
pub fn message(channel: &str, body: &Value) -> Value {
    json!({
        "id": next_id().to_string(),
        "channel_id": channel,
        "author": {"id": APP_ID.to_string(), "username": BOT_NAME, "discriminator": "0000", "avatar": null,
                   "global_name": null, "bot": true},
        "content": body.get("content").cloned().unwrap_or(json!("")),
        "timestamp": "2026-01-01T00:00:00.000000+00:00",
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "components": [],
        "pinned": false,
        "type": 0,
        "flags": 0
    })
}

// ------------------------------------------------------------------------------------------------------- gateway

async fn gateway(mut ws: WebSocketStream<TcpStream>, inner: Arc<Inner>) {
    let (tx, mut rx) = mpsc::unbounded_channel::<Out>();
    {
        let mut s = inner.state.lock().unwrap_or_else(|e| e.into_inner());
        s.connections += 1;
    }
    let hello = json!({"op": 10, "d": {"heartbeat_interval": inner.knobs.heartbeat_interval_ms}});
    if ws.send(Message::Text(hello.to_string())).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            frame = ws.next() => match frame {
                Some(Ok(Message::Text(t))) => {
                    let v: Value = serde_json::from_str(&t).unwrap_or(Value::Null);
                    let op = v["op"].as_u64();
                    let mut s = inner.state.lock().unwrap_or_else(|e| e.into_inner());
                    s.received.push(v.clone());
                    match op {
                        Some(1) if inner.knobs.heartbeat_ack => {
                            let _ = tx.send(Out::Json(json!({"op": 11})));
                        }
                        Some(2) => {
                            let shard = &v["d"]["shard"];
                            let (id, total) = (shard[0].as_u64().unwrap_or(0), shard[1].as_u64().unwrap_or(1));
                            s.identified.push((id as u32, total as u32, Instant::now()));
                            if total == 0 || id >= total {
                                // Discord: 4010 Invalid shard.
                                let _ = tx.send(Out::Close(4010));
                                continue;
                            }
                            let (id, total) = (id as u32, total as u32);
                            let total = *s.total.get_or_insert(total);
                            s.session += 1;
                            s.seq.insert(id, 1);
                            let session = format!("fake-session-{}", s.session);
                            s.sessions.insert(session.clone(), id);
                            let guilds = guilds_of(&inner, id, total);
                            let ready = ready(&inner, &session, 1, id, total, &guilds);
                            let _ = tx.send(Out::Json(ready));
                            s.ready_sent += 1;
                            s.readies.push((id, Instant::now()));
                            s.live.insert(id, tx.clone());
                            // Discord then sends each guild of the shard.
                            let queue = s.pending.entry(id).or_default();
                            for (i, g) in guilds.iter().enumerate() {
                                queue.insert(i, ("GUILD_CREATE".into(), guild(*g)));
                            }
                            flush_pending(&mut s, id);
                        }
                        Some(6) => {
                            let session = v["d"]["session_id"].as_str().unwrap_or_default().to_string();
                            let id = s.sessions.get(&session).copied().unwrap_or(0);
                            let seq = {
                                let n = s.seq.entry(id).or_default();
                                *n += 1;
                                *n
                            };
                            let _ = tx.send(Out::Json(json!({"op": 0, "t": "RESUMED", "s": seq, "d": {}})));
                            s.resumed_sent += 1;
                            s.live.insert(id, tx.clone());
                            flush_pending(&mut s, id);
                        }
                        _ => {}
                    }
                }
                Some(Ok(Message::Close(frame))) => {
                    let code = frame.as_ref().map_or(1005, |f| u16::from(f.code));
                    inner.state.lock().unwrap_or_else(|e| e.into_inner()).closes.push(code);
                    // tungstenite queued the echo of the close frame: flush it (sending another Close would fail
                    // with SendAfterClosing and drop the echo), then read until the connection ends.
                    let _ = ws.flush().await;
                    let _ = tokio::time::timeout(Duration::from_secs(2), async { while ws.next().await.is_some() {} }).await;
                    break;
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break,
            },
            out = rx.recv() => match out {
                Some(Out::Json(v)) => {
                    if ws.send(Message::Text(v.to_string())).await.is_err() {
                        break;
                    }
                }
                Some(Out::Close(code)) => {
                    let _ = ws.close(Some(CloseFrame { code: CloseCode::from(code), reason: "fake".into() })).await;
                }
                None => break,
            },
        }
    }
    let mut s = inner.state.lock().unwrap_or_else(|e| e.into_inner());
    s.live.retain(|_, l| !l.same_channel(&tx));
}

/// The guilds of shard `id` of `total`: `GUILD_ID` and the knobs' guilds whose events go over it.
fn guilds_of(inner: &Inner, id: u32, total: u32) -> Vec<u64> {
    std::iter::once(GUILD_ID)
        .chain(inner.knobs.guilds.iter().copied())
        .filter(|g| shard_of(*g, total) == id)
        .collect()
}

/// A guild as GUILD_CREATE carries it, with what serenity requires and nothing more.
pub fn guild(id: u64) -> Value {
    let mut g = json!({
        "id": id.to_string(),
        "name": format!("Guild {id}"),
        "icon": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": USER_ID.to_string(),
        "afk_channel_id": null,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": [],
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": null,
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": null
    });
    let rest = json!({
        "nsfw_level": 0,
        "premium_progress_bar_enabled": false,
        "stickers": [],
        "joined_at": "2025-01-01T00:00:00.000000+00:00",
        "large": false,
        "unavailable": false,
        "member_count": 2,
        "voice_states": [],
        "members": [],
        "channels": [],
        "threads": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "max_video_channel_users": 25,
        "nsfw": false,
        "safety_alerts_channel_id": null
    });
    if let (Some(g), Value::Object(rest)) = (g.as_object_mut(), rest) {
        g.extend(rest);
    }
    g
}

fn ready(inner: &Inner, session: &str, seq: u64, shard: u32, total: u32, guilds: &[u64]) -> Value {
    let mut d = json!({
        "v": 10,
        "user": {"id": APP_ID.to_string(), "username": BOT_NAME, "discriminator": "0000", "avatar": null,
                 "bot": true, "global_name": null},
        "guilds": guilds.iter().map(|g| json!({"id": g.to_string(), "unavailable": true})).collect::<Vec<_>>(),
        "session_id": session,
        "resume_gateway_url": format!("ws://{}/gateway", inner.addr),
        "shard": [shard, total],
    });
    if inner.knobs.ready_application {
        d["application"] = json!({"id": APP_ID.to_string(), "flags": 0});
    }
    json!({"op": 0, "t": "READY", "s": seq, "d": d})
}

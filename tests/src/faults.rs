//! A stand-in for Redmine that misbehaves on request, for the gateway's reliability tests.
//!
//! It speaks just enough HTTP/1.1 (keep-alive, `Content-Length` bodies) to be a convincing
//! upstream, written on raw sockets so that it can also break the protocol: stall, reset a
//! connection mid-body, or send far too much. It answers `/users/current.json` like Redmine
//! (200 for a known token or API key, 401 otherwise) so that the gateway's token check passes,
//! `/issue_statuses.json` for `/health`, and `/projects.json` with a canned list for load
//! tests. `GET /projects/{id}.json` injects the [`Fault`] whose [`Fault::project_id`] is `{id}`. Any other
//! path gets a JSON 404. Every request is recorded, with the credential it carried, so that
//! tests can assert what reached "Redmine".
//!
//! Everything is bound to loopback port 0 and every delay is bounded.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The largest request head the stand-in reads.
const MAX_HEAD: usize = 64 * 1024;

/// What `GET /projects/{id}.json` does, by [`Fault::project_id`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answers correctly, but only after [`StandIn::slow_for`].
    Slow,
    /// Sends the head and part of the body, then resets the connection.
    Reset,
    /// Answers 500 with an HTML error page, as a crashed Rails does.
    Html500,
    /// Answers 200 with a JSON content type and a body that is not JSON.
    Malformed,
    /// Answers 200 with a 20 MB JSON project (its description is huge), length undeclared.
    Huge,
    /// Answers 302 to the same path on another host (the trap given to the stand-in).
    Redirect,
}

impl Fault {
    /// Every fault, in a fixed order.
    pub const ALL: [Fault; 6] =
        [Fault::Slow, Fault::Reset, Fault::Html500, Fault::Malformed, Fault::Huge, Fault::Redirect];

    /// The fault's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Slow => "slow",
            Self::Reset => "reset",
            Self::Html500 => "html500",
            Self::Malformed => "malformed",
            Self::Huge => "huge",
            Self::Redirect => "redirect",
        }
    }

    /// The project id that triggers the fault: `GET /projects/{id}.json`. Numbers, because the
    /// tools resolve any other project reference by name through the project list first.
    pub fn project_id(self) -> u64 {
        match self {
            Self::Slow => 9001,
            Self::Reset => 9002,
            Self::Html500 => 9003,
            Self::Malformed => 9004,
            Self::Huge => 9005,
            Self::Redirect => 9006,
        }
    }

    fn from_project_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|fault| fault.project_id().to_string() == id)
    }
}

/// A user the stand-in knows, by the secret that signs them in.
#[derive(Debug, Clone)]
pub struct StandInUser {
    /// The bearer token or API key that authenticates as this user.
    pub secret: String,
    pub id: u64,
    pub login: String,
}

/// One request the stand-in received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub method: String,
    /// The request target as sent: path and query, still percent-encoded.
    pub target: String,
    /// The `Authorization` header or, failing that, the `X-Redmine-API-Key` header.
    pub credential: Option<String>,
}

impl Recorded {
    /// The path part of the target.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }
}

/// How the stand-in behaves.
#[derive(Debug, Clone)]
pub struct StandIn {
    /// The accounts `/users/current.json` knows.
    pub users: Vec<StandInUser>,
    /// How long [`Fault::Slow`] waits before answering.
    pub slow_for: Duration,
    /// Where [`Fault::Redirect`] points: another listener that must never be called.
    pub redirect_to: Option<SocketAddr>,
}

impl Default for StandIn {
    fn default() -> Self {
        Self { users: Vec::new(), slow_for: Duration::from_secs(5), redirect_to: None }
    }
}

/// A running stand-in; stops when dropped.
#[derive(Debug)]
pub struct FaultServer {
    address: SocketAddr,
    log: Arc<Mutex<Vec<Recorded>>>,
    task: JoinHandle<()>,
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FaultServer {
    /// Starts the stand-in on a free loopback port.
    pub async fn start(config: StandIn) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let log = Arc::new(Mutex::new(Vec::new()));
        let config = Arc::new(config);
        let task = {
            let log = log.clone();
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    tokio::spawn(serve(stream, config.clone(), log.clone()));
                }
            })
        };
        Ok(Self { address, log, task })
    }

    /// The stand-in's base URL, such as `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Forgets the requests received so far.
    pub fn clear(&self) {
        self.log.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }
}

/// A listener that counts connections and never answers: the "other host" of a redirect.
#[derive(Debug)]
pub struct Trap {
    address: SocketAddr,
    hits: Arc<Mutex<usize>>,
    task: JoinHandle<()>,
}

impl Drop for Trap {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Trap {
    /// Listens on `ip` (such as 127.0.0.2), port 0.
    pub async fn start(ip: [u8; 4]) -> std::io::Result<Self> {
        let listener = TcpListener::bind(SocketAddr::from((ip, 0))).await?;
        let address = listener.local_addr()?;
        let hits = Arc::new(Mutex::new(0));
        let task = {
            let hits = hits.clone();
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    *hits.lock().unwrap_or_else(PoisonError::into_inner) += 1;
                    drop(stream);
                }
            })
        };
        Ok(Self { address, hits, task })
    }

    /// Where the trap listens.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// How many connections it accepted.
    pub fn hits(&self) -> usize {
        *self.hits.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A loopback port nothing listens on (bound, then released).
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("an address").port()
}

/// Serves one connection, request after request, until the client leaves or a fault ends it.
async fn serve(mut stream: TcpStream, config: Arc<StandIn>, log: Arc<Mutex<Vec<Recorded>>>) {
    let mut buffer = Vec::with_capacity(4096);
    loop {
        let Some((request, rest)) = read_request(&mut stream, buffer).await else { return };
        buffer = rest;
        log.lock().unwrap_or_else(PoisonError::into_inner).push(request.clone());
        if !answer(&mut stream, &request, &config).await {
            return;
        }
    }
}

/// Reads one request head and skips its body; returns the bytes read past it.
async fn read_request(stream: &mut TcpStream, mut buffer: Vec<u8>) -> Option<(Recorded, Vec<u8>)> {
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        if buffer.len() > MAX_HEAD {
            return None;
        }
        let mut chunk = [0_u8; 4096];
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };

    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let mut length = 0_usize;
    let mut authorization = None;
    let mut api_key = None;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else { continue };
        let value = value.trim().to_owned();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = value.parse().ok()?,
            "authorization" => authorization = Some(value),
            "x-redmine-api-key" => api_key = Some(value),
            _ => {}
        }
    }

    let mut rest = buffer.split_off(head_end);
    while rest.len() < length {
        let mut chunk = vec![0_u8; (length - rest.len()).min(64 * 1024)];
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        rest.extend_from_slice(&chunk[..read]);
    }
    let rest = rest.split_off(length);
    Some((Recorded { method, target, credential: authorization.or(api_key) }, rest))
}

/// Answers `request`; `false` when the connection must end.
async fn answer(stream: &mut TcpStream, request: &Recorded, config: &StandIn) -> bool {
    let path = request.path().to_owned();
    if path == "/users/current.json" {
        let secret = request
            .credential
            .as_deref()
            .map(|c| c.strip_prefix("Bearer ").unwrap_or(c).to_owned());
        let user = config.users.iter().find(|u| Some(&u.secret) == secret.as_ref());
        return match user {
            Some(user) => {
                let body = serde_json::json!({"user": {
                    "id": user.id, "login": user.login, "admin": false,
                    "firstname": user.login, "lastname": "Stand-In",
                    "mail": format!("{}@example.net", user.login),
                    "created_on": "2025-01-01T00:00:00Z", "last_login_on": null,
                }});
                respond(stream, "200 OK", "application/json", &body.to_string()).await
            }
            None => respond(stream, "401 Unauthorized", "application/json", "").await,
        };
    }
    if path == "/issue_statuses.json" {
        let body = r#"{"issue_statuses":[{"id":1,"name":"New","is_closed":false}]}"#;
        return respond(stream, "200 OK", "application/json", body).await;
    }
    if path == "/projects.json" {
        return respond(stream, "200 OK", "application/json", &projects_page()).await;
    }

    let fault = path
        .strip_prefix("/projects/")
        .and_then(|rest| rest.strip_suffix(".json"))
        .and_then(Fault::from_project_id);
    match fault {
        Some(fault) => inject(stream, fault, config).await,
        None => respond(stream, "404 Not Found", "application/json", "").await,
    }
}

async fn inject(stream: &mut TcpStream, fault: Fault, config: &StandIn) -> bool {
    match fault {
        Fault::Slow => {
            tokio::time::sleep(config.slow_for).await;
            respond(stream, "200 OK", "application/json", &project_json("slow", "")).await
        }
        Fault::Reset => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                        content-length: 100000\r\n\r\n";
            let _ = stream.write_all(head.as_bytes()).await;
            let body = project_json("reset", &"x".repeat(5000));
            let _ = stream.write_all(&body.as_bytes()[..4000]).await;
            let _ = stream.flush().await;
            // SO_LINGER 0: closing sends RST instead of FIN.
            let _ = stream.set_zero_linger();
            false
        }
        Fault::Html500 => {
            let page = "<!DOCTYPE html><html><head><title>We're sorry, but something went wrong \
                        (500)</title></head><body><h1>Internal Server Error</h1></body></html>";
            respond(stream, "500 Internal Server Error", "text/html; charset=utf-8", page).await
        }
        Fault::Malformed => {
            let body = r#"{"project": {"id": 1, "name": "malformed", "identifier": "#;
            respond(stream, "200 OK", "application/json", body).await
        }
        Fault::Huge => {
            huge(stream).await;
            false
        }
        Fault::Redirect => {
            let target = config.redirect_to.map_or_else(
                || "http://127.0.0.2:9/projects/9006.json".to_owned(),
                |address| format!("http://{address}/projects/9006.json"),
            );
            let head =
                format!("HTTP/1.1 302 Found\r\nlocation: {target}\r\ncontent-length: 0\r\n\r\n");
            stream.write_all(head.as_bytes()).await.is_ok()
        }
    }
}

/// 20 MB of one JSON project, written in 64 KiB pieces and ended by closing the connection.
async fn huge(stream: &mut TcpStream) {
    const TOTAL: usize = 20 * 1024 * 1024;
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n";
    let opening =
        r#"{"project":{"id":1,"name":"huge","identifier":"huge","status":1,"description":""#;
    let closing = r#""}}"#;
    if stream.write_all(head.as_bytes()).await.is_err()
        || stream.write_all(opening.as_bytes()).await.is_err()
    {
        return;
    }
    let piece = vec![b'a'; 64 * 1024];
    let mut sent = opening.len();
    while sent + closing.len() < TOTAL {
        let take = piece.len().min(TOTAL - closing.len() - sent);
        // The gateway may stop reading at its own cap; that ends the fault early.
        if stream.write_all(&piece[..take]).await.is_err() {
            return;
        }
        sent += take;
    }
    let _ = stream.write_all(closing.as_bytes()).await;
    let _ = stream.shutdown().await;
}

async fn respond(stream: &mut TcpStream, status: &str, content_type: &str, body: &str) -> bool {
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await.is_ok()
}

fn project_json(identifier: &str, description: &str) -> String {
    serde_json::json!({"project": {
        "id": 1, "name": identifier, "identifier": identifier, "status": 1,
        "description": description, "is_public": true,
        "created_on": "2025-01-01T00:00:00Z", "updated_on": "2025-01-01T00:00:00Z",
    }})
    .to_string()
}

/// A page of three projects, as `/projects.json` answers.
fn projects_page() -> String {
    let projects: Vec<serde_json::Value> = (1..=3)
        .map(|id| {
            serde_json::json!({
                "id": id, "name": format!("Project {id}"), "identifier": format!("project-{id}"),
                "description": "", "status": 1, "is_public": true,
                "created_on": "2025-01-01T00:00:00Z", "updated_on": "2025-01-01T00:00:00Z",
            })
        })
        .collect();
    serde_json::json!({"projects": projects, "total_count": 3, "offset": 0, "limit": 25})
        .to_string()
}

//! `deon serve`, started for real on a free loopback port and spoken to
//! over TCP: every endpoint, bad input, the limits, reloading and the token.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

/// A running `deon serve`; killed when dropped.
struct Server {
    child: Child,
    addr: String,
    log: mpsc::Receiver<String>,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        Self::start_in(Path::new("."), args)
    }

    // The child is waited for when the `Server` is dropped.
    #[allow(clippy::zombie_processes)]
    fn start_in(dir: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_deon"))
            .arg("serve")
            .args(args)
            .args(["--addr", "127.0.0.1:0"])
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let stderr = child.stderr.take().unwrap();
        let (tx, log) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let line = log
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("the server says where it listens");
            if let Some(rest) = line.strip_prefix("deon serve: listening on http://") {
                let addr = rest.split_whitespace().next().unwrap().to_string();
                return Server { child, addr, log };
            }
        }
    }

    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Response {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut head = format!("{method} {path} HTTP/1.0\r\nHost: {}\r\n", self.addr);
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        Response::read(stream)
    }

    fn get(&self, path: &str) -> Response {
        self.request("GET", path, &[], b"")
    }

    fn post(&self, path: &str, body: &str) -> Response {
        self.request(
            "POST",
            path,
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
    }

    /// Waits for a line of the server's log containing `text`.
    fn wait_log(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let line = self
                .log
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("no log line with {text:?}"));
            if line.contains(text) {
                return line;
            }
        }
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn read(mut stream: TcpStream) -> Response {
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").expect("a response head");
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap()
            .split_whitespace()
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Response {
            status,
            headers,
            body: body.to_string(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The error code of an error response, checking its shape.
    fn error_code(&self) -> String {
        let json = self.json();
        let error = &json["error"];
        assert!(error["message"].is_string(), "{json}");
        assert!(error.get("help").is_some(), "{json}");
        error["code"].as_str().unwrap().to_string()
    }
}

/// The shipped policies' rules, as the library counts them.
fn rule_count() -> usize {
    deon::Policy::load(["policies"])
        .unwrap()
        .summary()
        .rules
        .len()
}

const LATE: &str = include_str!("../examples/cases/platform_warning_post.json");

fn temp_dir(name: &str) -> PathBuf {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "deon-serve-{name}-{}-{}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn poll(mut done: impl FnMut() -> bool, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn every_endpoint_answers_and_names_the_policy_set() {
    let server = Server::start(&["policies", "--examples", "examples/cases"]);
    let health = server.get("/healthz");
    assert_eq!(health.status, 200);
    let hash = health.json()["policy_set"].as_str().unwrap().to_string();
    assert!(hash.starts_with("sha256:") && hash.len() == 71, "{hash}");
    let rules = rule_count();
    assert_eq!(health.json()["rules"], rules);

    // The report, as `deon eval --format json` gives it.
    let evaluated = server.post("/v1/evaluate", LATE);
    assert_eq!(evaluated.status, 200, "{}", evaluated.body);
    assert_eq!(evaluated.header("deon-policy-set"), Some(hash.as_str()));
    let cli = Command::new(env!("CARGO_BIN_EXE_deon"))
        .args([
            "eval",
            "policies",
            "examples/cases/platform_warning_post.json",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let from_cli: Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(evaluated.json()["report"], from_cli);
    assert_eq!(evaluated.json()["policy_set"], hash.as_str());

    // Filters and the date, from the query; YAML by its media type.
    let yaml = std::fs::read_to_string("examples/cases/provider_late_filing.yaml").unwrap();
    let filtered = server.request(
        "POST",
        "/v1/evaluate?status=violated,pending&as_of=2025-03-12",
        &[("Content-Type", "application/yaml")],
        yaml.as_bytes(),
    );
    assert_eq!(filtered.status, 200, "{}", filtered.body);
    let report = &filtered.json()["report"];
    assert_eq!(report["as_of"], "2025-03-12");
    let statuses: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert!(!statuses.is_empty());
    assert!(
        statuses.iter().all(|s| *s == "violated" || *s == "pending"),
        "{statuses:?}"
    );

    // Verdicts only.
    let decided = server.post("/v1/decide", LATE);
    assert_eq!(decided.status, 200);
    let decided = decided.json();
    assert_eq!(decided["policy_set"], hash.as_str());
    let verdicts = decided["verdicts"].as_array().unwrap();
    assert_eq!(verdicts.len(), rules);
    for (verdict, finding) in verdicts
        .iter()
        .zip(from_cli["findings"].as_array().unwrap())
    {
        assert_eq!(verdict["rule"], finding["rule"]);
        assert_eq!(verdict["status"], finding["status"]);
        assert!(verdict.get("explanation").is_none());
    }
    assert_eq!(decided["totals"], from_cli["totals"]);

    // A batch: one record per case line, blank lines counted and skipped.
    let batch = server.post("/v1/batch", "{\"as_of\": \"2026-03-10\"}\n\nnot json\n{}\n");
    assert_eq!(batch.status, 200);
    assert_eq!(batch.header("content-type"), Some("application/x-ndjson"));
    assert_eq!(batch.header("deon-policy-set"), Some(hash.as_str()));
    let records: Vec<Value> = batch
        .body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 3);
    assert_eq!(
        (
            records[0]["line"].as_u64(),
            records[0]["report"]["as_of"].as_str()
        ),
        (Some(1), Some("2026-03-10"))
    );
    assert_eq!(records[1]["line"], 3);
    assert_eq!(records[1]["error"]["code"], "deon::case::syntax");
    assert_eq!(records[2]["line"], 4);

    // The catalogue: regulations, the fact schema, every rule as written.
    let policies = server.get("/v1/policies").json();
    assert_eq!(policies["policy_set"], hash.as_str());
    assert_eq!(policies["rules"].as_array().unwrap().len(), rules);
    let roles = policies["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "party.roles")
        .unwrap();
    assert_eq!(
        (roles["kind"].as_str(), roles["enumeration"].as_str()),
        (Some("set"), Some("Role"))
    );
    assert!(
        policies["enums"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "Role")
    );
    assert!(
        policies["penalties"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "csl_60")
    );

    let rule = server.get("/v1/rules/provider_file_with_miit");
    assert_eq!(rule.status, 200);
    let rule = rule.json();
    assert!(
        rule["rule"]["text"]
            .as_str()
            .unwrap()
            .contains("within 2 days of vulnerability.aware_on")
    );
    assert_eq!(rule["regulation"]["id"], "miit_vuln_provisions_2021");
    assert_eq!(rule["penalties"][0]["name"], "csl_60");
    let unknown = server.get("/v1/rules/no_such_rule");
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.error_code(), "deon::serve::unknown_rule");

    let examples = server.get("/v1/examples").json();
    let names: Vec<&str> = examples["examples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"provider_late_filing"), "{names:?}");
    assert!(examples["skipped"].as_array().unwrap().is_empty());

    let openapi = server.get("/openapi.json").json();
    for path in [
        "/v1/evaluate",
        "/v1/decide",
        "/v1/batch",
        "/v1/policies",
        "/v1/rules/{id}",
        "/healthz",
        "/metrics",
    ] {
        assert!(
            openapi["paths"].get(path).is_some(),
            "{path} is not documented"
        );
    }

    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("<script src=\"/assets/app.js\""),
        "{}",
        page.body
    );
    assert!(page.header("content-security-policy").is_some());
    assert_eq!(server.get("/assets/app.js").status, 200);
    assert_eq!(server.get("/assets/style.css").status, 200);
    assert_eq!(server.get("/assets/missing.js").status, 404);

    let metrics = server.get("/metrics");
    assert_eq!(metrics.status, 200);
    assert!(
        metrics
            .header("content-type")
            .unwrap()
            .starts_with("text/plain")
    );
    for line in [
        "deon_http_requests_total{route=\"/v1/evaluate\",status=\"2xx\"} 2",
        "deon_http_requests_total{route=\"/v1/rules/{id}\",status=\"4xx\"} 1",
        "deon_http_errors_total{code=\"deon::serve::unknown_rule\",status=\"404\"} 1",
        "deon_http_request_duration_seconds_count{route=\"/v1/decide\"} 1",
        "deon_policy_reloads_total{result=\"failure\"} 0",
    ] {
        assert!(
            metrics.body.contains(line),
            "missing {line} in\n{}",
            metrics.body
        );
    }
    assert!(
        metrics
            .body
            .contains(&format!("deon_policy_set_info{{hash=\"{hash}\"}} 1"))
    );
}

#[test]
fn bad_input_is_a_4xx_with_the_diagnostics_of_the_command_line() {
    let server = Server::start(&["policies"]);
    // A syntax error, located.
    let broken = server.post(
        "/v1/evaluate",
        "{\n  \"party\": {\"roles\": [product_provider]}\n}",
    );
    assert_eq!(broken.status, 400);
    let json = broken.json();
    assert_eq!(json["error"]["code"], "deon::case::syntax");
    assert_eq!(
        (
            json["error"]["line"].as_u64(),
            json["error"]["column"].as_u64()
        ),
        (Some(2), Some(23))
    );
    assert!(json["policy_set"].as_str().unwrap().starts_with("sha256:"));

    // Every problem of the case, the first in `error` and the rest after it.
    let wrong = server.post("/v1/decide", r#"{"party": {"kind": 3, "colour": "red"}}"#);
    assert_eq!(wrong.status, 400);
    let json = wrong.json();
    assert_eq!(json["error"]["code"], "deon::case::wrong_type");
    assert_eq!(json["error"]["column"], 20);
    assert_eq!(json["other_errors"][0]["code"], "deon::case::unknown_key");
    assert!(
        json["other_errors"][0]["help"]
            .as_str()
            .unwrap()
            .contains("no fact")
            || json["other_errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("colour")
    );

    let cases = [
        (
            "POST",
            "/v1/decide?as_of=10-03-2026",
            "application/json",
            "{}".as_bytes(),
            400,
            "deon::serve::bad_query",
        ),
        (
            "POST",
            "/v1/decide?status=late",
            "application/json",
            b"{}",
            400,
            "deon::serve::bad_query",
        ),
        (
            "POST",
            "/v1/decide?strict=maybe",
            "application/json",
            b"{}",
            400,
            "deon::serve::bad_query",
        ),
        (
            "POST",
            "/v1/decide?colour=red",
            "application/json",
            b"{}",
            400,
            "deon::serve::bad_query",
        ),
        (
            "POST",
            "/v1/evaluate?explain=none",
            "application/json",
            b"{}",
            400,
            "deon::serve::bad_query",
        ),
        (
            "POST",
            "/v1/decide?strict=true",
            "application/json",
            b"{}",
            422,
            "deon::serve::unknown_facts",
        ),
        (
            "POST",
            "/v1/decide",
            "image/png",
            b"{}",
            415,
            "deon::serve::media_type",
        ),
        (
            "POST",
            "/v1/batch",
            "application/yaml",
            b"{}",
            415,
            "deon::serve::media_type",
        ),
        (
            "POST",
            "/v1/decide",
            "application/json",
            b"{\"a\": \"\xff\"}",
            400,
            "deon::serve::invalid_utf8",
        ),
        (
            "POST",
            "/v1/decide",
            "application/json",
            b"[1, 2]",
            400,
            "deon::case::not_a_map",
        ),
        (
            "POST",
            "/v1/decide",
            "application/json",
            b"",
            400,
            "deon::case::syntax",
        ),
        (
            "GET",
            "/v1/decide",
            "application/json",
            b"",
            405,
            "deon::serve::method_not_allowed",
        ),
        (
            "DELETE",
            "/v1/policies",
            "application/json",
            b"",
            405,
            "deon::serve::method_not_allowed",
        ),
        (
            "GET",
            "/v2/anything",
            "application/json",
            b"",
            404,
            "deon::serve::not_found",
        ),
    ];
    for (method, path, media, body, status, code) in cases {
        let response = server.request(method, path, &[("Content-Type", media)], body);
        assert_eq!(
            response.status, status,
            "{method} {path}: {}",
            response.body
        );
        assert_eq!(response.error_code(), code, "{method} {path}");
        assert_eq!(response.header("content-type"), Some("application/json"));
    }
    // Deeply nested input is refused, not a crash.
    let deep = format!(
        "{{\"party\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let response = server.post("/v1/decide", &deep);
    assert_eq!(response.status, 400, "{}", response.body);
    // And the server is still there.
    assert_eq!(server.get("/healthz").status, 200);
}

#[test]
fn limits_on_body_batch_time_and_concurrency() {
    let server = Server::start(&[
        "policies",
        "--max-body",
        "2000",
        "--max-batch-lines",
        "2",
        "--max-batch-body",
        "100000",
        "--timeout-ms",
        "1000",
        "--max-concurrent",
        "1",
    ]);
    let big = format!("{{\"as_of\": \"2026-03-10\"{}}}", " ".repeat(3000));
    let response = server.post("/v1/decide", &big);
    assert_eq!(response.status, 413);
    assert_eq!(response.error_code(), "deon::serve::too_large");

    // Lines past the limit are refused with a record saying so.
    let batch = server.post("/v1/batch", "{}\n{}\n{}\n{}\n");
    let records: Vec<Value> = batch
        .body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 3, "{}", batch.body);
    assert!(records[0]["report"].is_object() && records[1]["report"].is_object());
    assert_eq!(records[2]["line"], 3);
    assert_eq!(records[2]["error"]["code"], "deon::serve::batch_too_long");
    // One line longer than a case may be.
    let batch = server.post("/v1/batch", &format!("{big}\n{{}}\n"));
    let records: Vec<Value> = batch
        .body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records[0]["error"]["code"], "deon::serve::line_too_long");
    assert!(records[1]["report"].is_object());
    // A batch body over its limit, declared up front.
    let huge = "{}\n".repeat(40_000);
    let response = server.post("/v1/batch", &huge);
    assert_eq!(response.status, 413);

    // A client that never finishes its body holds its slot until the time
    // limit runs out; a request behind it waits for the slot.
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    slow.write_all(b"POST /v1/decide HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    let queued = server.post("/v1/decide", "{}");
    assert_eq!(queued.status, 200, "{}", queued.body);
    assert!(
        started.elapsed() >= Duration::from_millis(600),
        "{:?}",
        started.elapsed()
    );
    let slow = Response::read(slow);
    assert_eq!(slow.status, 503);
    assert_eq!(slow.error_code(), "deon::serve::timeout");
    let metrics = server.get("/metrics").body;
    assert!(
        metrics.contains("deon_http_errors_total{code=\"deon::serve::timeout\",status=\"503\"} 1"),
        "{metrics}"
    );
}

#[test]
fn the_token_is_required_on_the_api_when_given() {
    let dir = temp_dir("token");
    let token_file = dir.join("token");
    std::fs::write(&token_file, "s3cret-token\n").unwrap();
    let server = Server::start(&["policies", "--token-file", token_file.to_str().unwrap()]);
    let none = server.post("/v1/decide", "{}");
    assert_eq!(none.status, 401);
    assert_eq!(none.error_code(), "deon::serve::unauthorized");
    assert!(none.header("www-authenticate").is_some());
    let wrong = server.request(
        "POST",
        "/v1/decide",
        &[("Authorization", "Bearer s3cret-tokem")],
        b"{}",
    );
    assert_eq!(wrong.status, 401);
    let short = server.request(
        "GET",
        "/v1/policies",
        &[("Authorization", "Bearer s3cret")],
        b"",
    );
    assert_eq!(short.status, 401);
    let right = server.request(
        "POST",
        "/v1/decide",
        &[("Authorization", "Bearer s3cret-token")],
        b"{}",
    );
    assert_eq!(right.status, 200);
    assert_eq!(server.get("/metrics").status, 401);
    // The page, its assets and the health check stay open.
    assert_eq!(server.get("/").status, 200);
    assert_eq!(server.get("/healthz").status, 200);
    assert_eq!(server.get("/openapi.json").status, 200);

    // An empty token file is refused at start.
    std::fs::write(&token_file, "  \n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_deon"))
        .args([
            "serve",
            "policies",
            "--addr",
            "127.0.0.1:0",
            "--token-file",
            token_file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is empty"));
}

#[test]
fn policies_reload_on_change_and_sighup_and_keep_the_last_good_set() {
    let dir = temp_dir("reload");
    copy_dir(Path::new("policies"), &dir.join("policies"));
    let server = Server::start_in(&dir, &["policies"]);
    let hash = |server: &Server| {
        server.get("/healthz").json()["policy_set"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let first = hash(&server);

    // A good change: the set is replaced and the new hash named.
    let file = dir.join("policies/cn/common.deon");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\n// an edit\n")).unwrap();
    server.wait_log("reloaded (files changed)");
    let second = hash(&server);
    assert_ne!(first, second);
    assert_eq!(
        server.post("/v1/decide", "{}").json()["policy_set"],
        second.as_str()
    );

    // A bad change: refused, the last good set still serves, and it says why.
    std::fs::write(&file, format!("{text}\nrule broken {{\n")).unwrap();
    server.wait_log("refused");
    assert_eq!(hash(&server), second);
    let health = server.get("/healthz").json();
    // (An editor's save may come as more than one change, so at least one.)
    assert!(health["reloads"]["failed"].as_u64() >= Some(1), "{health}");
    assert!(
        health["reloads"]["last_errors"][0]["code"]
            .as_str()
            .unwrap()
            .starts_with("deon::")
    );
    assert_eq!(server.post("/v1/decide", LATE).status, 200);
    let metrics = server.get("/metrics").body;
    assert!(
        metrics.contains("deon_policy_reloads_total{result=\"failure\"} "),
        "{metrics}"
    );
    assert!(
        !metrics.contains("deon_policy_reloads_total{result=\"failure\"} 0"),
        "{metrics}"
    );

    // Fixed, then SIGHUP reloads on request.
    std::fs::write(&file, &text).unwrap();
    server.wait_log("reloaded (files changed)");
    assert_eq!(hash(&server), first);
    server.signal("HUP");
    server.wait_log("reloaded (SIGHUP); the policy set is unchanged");
    poll(
        || server.get("/healthz").json()["reloads"]["last_errors"].is_null(),
        "the errors to clear",
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn shutdown_finishes_requests_in_flight() {
    let mut server = Server::start(&["policies"]);
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    let body = LATE.as_bytes();
    write!(
        slow,
        "POST /v1/decide HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    slow.write_all(&body[..10]).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    server.signal("TERM");
    server.wait_log("shutting down");
    // New connections are refused once it stops accepting.
    poll(
        || TcpStream::connect(&server.addr).is_err(),
        "the listener to close",
    );
    slow.write_all(&body[10..]).unwrap();
    let response = Response::read(slow);
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(
        response.json()["verdicts"].as_array().unwrap().len(),
        rule_count()
    );
    let status = server.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn a_broken_policy_set_is_not_served() {
    let dir = temp_dir("broken");
    std::fs::write(dir.join("broken.deon"), "rule {\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_deon"))
        .args(["serve", dir.to_str().unwrap(), "--addr", "127.0.0.1:0"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not serving"));
    let _ = std::fs::remove_dir_all(&dir);
}

//! Property tests (proptest, on the stable toolchain) for the gateway's input handling:
//!
//! - routing: any method and path resolves without panicking, and only paths under `/api/v1`
//!   reach the API's endpoints and tools;
//! - path parameters: whatever a caller puts in a path segment (`../users`, `1;DROP`, `%2F`,
//!   dot segments, unicode), the Redmine stand-in sees only the intended path, with the value
//!   inside its one segment;
//! - bearer parsing: any `Authorization` value gives a token only for `Bearer <one token>`, and
//!   no error message repeats the value;
//! - argument validation: any JSON never panics a tool, and every problem carries a JSON
//!   pointer that resolves in the arguments.
//!
//! Each property runs `PROPTEST_CASES` cases (proptest's default, 256, in the test command);
//! `PROPTEST_CASES=100000 cargo nextest run -p redmine-mcp-tests --test reliability_fuzz`
//! is the longer run documented in docs/reliability.md.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use chatgpt_gateway::Authenticator;
use chatgpt_gateway::routing::{API_PREFIX, Endpoint, Resolution, RouteTable};
use http::{HeaderMap, HeaderValue, Method};
use percent_encoding::{
    AsciiSet, CONTROLS, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode,
};
use proptest::prelude::*;
use redmine_client::{Client, Credentials};
use redmine_mcp_tests::faults::{FaultServer, StandIn, StandInUser, closed_port};
use redmine_mcp_tests::{HarnessEnv, TestGateway};
use redmine_tools::{Registry, RegistryConfig, ToolError};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const TOKEN: &str = "fuzz-token-51e0c2";

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
    })
}

fn registry() -> &'static Arc<Registry> {
    static REGISTRY: OnceLock<Arc<Registry>> = OnceLock::new();
    REGISTRY.get_or_init(|| Arc::new(Registry::new(&RegistryConfig::default()).unwrap()))
}

/// The in-process gateway in front of a stand-in, shared by the path-parameter properties.
struct Rig {
    upstream: FaultServer,
    gateway: TestGateway,
}

fn rig() -> &'static Rig {
    static RIG: OnceLock<Rig> = OnceLock::new();
    RIG.get_or_init(|| {
        runtime().block_on(async {
            let user = StandInUser { secret: TOKEN.to_owned(), id: 3, login: "fuzz".to_owned() };
            let upstream = FaultServer::start(StandIn { users: vec![user], ..StandIn::default() })
                .await
                .unwrap();
            let url = url::Url::parse(&upstream.url()).unwrap();
            let gateway = TestGateway::start(HarnessEnv::redmine61(), |config| {
                config.redmine_url = url;
                config.require_auth = true;
            })
            .await;
            Rig { upstream, gateway }
        })
    })
}

/// Characters a client may leave unencoded in a path segment, as a lenient client would.
const LENIENT: &AsciiSet = &CONTROLS.add(b' ').add(b'/').add(b'?').add(b'#').add(b'%');

/// Values a caller might put in a path segment, hostile ones weighted in.
fn segment_value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "../users", "..", ".", "%2e%2e", "1;DROP TABLE issues", "%2F", "..%2F..%2Fusers",
            "1/../../users", "a?key=x", "a#b", "1%00", "current", "\u{202e}x", "1 OR 1=1",
        ])
        .prop_map(str::to_owned),
        2 => "[0-9]{1,6}",
        4 => "\\PC{1,24}",
    ]
}

/// Sends GET `path` (already encoded) through the gateway on a raw socket, so that no client
/// library normalises it first; returns the status and what the stand-in received meanwhile.
fn through_gateway(path: &str) -> (u16, Vec<String>) {
    let rig = rig();
    runtime().block_on(async {
        rig.upstream.clear();
        let address = format!(
            "{}:{}",
            rig.gateway.url.host_str().unwrap_or("127.0.0.1"),
            rig.gateway.url.port().unwrap_or(80)
        );
        let request = format!(
            "GET {path} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer {TOKEN}\r\n\
             connection: close\r\n\r\n"
        );
        let mut stream = TcpStream::connect(address).await.unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer));
        assert!(read.await.is_ok(), "no answer to {path}");
        let answer = String::from_utf8_lossy(&answer);
        let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, rig.upstream.requests().into_iter().map(|r| r.target).collect())
    })
}

fn decode(segment: &str) -> String {
    percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

proptest! {
    #[test]
    fn any_method_and_path_resolves_without_escaping_the_api(
        method in prop_oneof![
            prop::sample::select(vec!["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
                .prop_map(str::to_owned),
            "[A-Z]{1,10}",
        ],
        segments in prop::collection::vec(
            prop_oneof![
                prop::sample::select(vec![
                    "api", "v1", "tools", "issues", "projects", "wiki", "..", ".", "%2F", "%2e%2e",
                    "health", "mcp", "oauth", "token", "openapi.json", "users", "me", "%ff",
                ]).prop_map(str::to_owned),
                "[^/]{0,8}",
            ],
            0..7,
        ),
        trailing in any::<bool>(),
    ) {
        let table = RouteTable::new(registry());
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let mut path = format!("/{}", segments.join("/"));
        if trailing { path.push('/'); }

        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        match table.resolve(&method, &path) {
            Resolution::Found { endpoint, template, params } => {
                let under_api = parts.len() >= 2 && parts[0] == "api" && parts[1] == "v1";
                prop_assert_eq!(endpoint.is_api(), under_api, "{} -> {:?}", path, endpoint);
                prop_assert_eq!(template.starts_with(API_PREFIX), under_api);
                if let Endpoint::Tool(index) = endpoint {
                    let binding = &registry().tools()[index].spec().binding;
                    prop_assert_eq!(params.len(), binding.path_params().count());
                }
                if !endpoint.is_api() {
                    prop_assert!(params.is_empty());
                    prop_assert_eq!(format!("/{}", parts.join("/")), template);
                }
            }
            Resolution::MethodNotAllowed { allowed, .. } => {
                prop_assert!(!allowed.is_empty());
                prop_assert!(!allowed.contains(&method));
            }
            Resolution::BadPath | Resolution::NotFound => {}
        }
    }

    #[test]
    fn issue_ids_reach_redmine_only_as_numbers(value in segment_value(), lenient in any::<bool>()) {
        let set = if lenient { LENIENT } else { NON_ALPHANUMERIC };
        let segment = utf8_percent_encode(&value, set).to_string();
        let (status, seen) = through_gateway(&format!("/api/v1/issues/{segment}"));
        prop_assert!((200..500).contains(&status) || status == 502, "{value:?}: {status}");
        for target in &seen {
            let path = target.split('?').next().unwrap_or_default();
            let number = path.strip_prefix("/issues/").and_then(|p| p.strip_suffix(".json"));
            let allowed = path == "/users/current.json"
                || number.is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            prop_assert!(allowed, "{value:?} reached {target}");
        }
    }

    #[test]
    fn wiki_titles_stay_inside_their_segment(
        title in segment_value(),
        version in prop::option::of(1_u32..5),
        lenient in any::<bool>(),
    ) {
        let set = if lenient { LENIENT } else { NON_ALPHANUMERIC };
        let segment = utf8_percent_encode(&title, set).to_string();
        let query = version.map(|v| format!("?version={v}")).unwrap_or_default();
        let (status, seen) = through_gateway(&format!("/api/v1/projects/1/wiki/{segment}{query}"));
        prop_assert!((200..500).contains(&status) || status == 502, "{title:?}: {status}");
        // What the gateway decoded from the path is the title it must pass on.
        let sent = decode(&segment);
        for target in &seen {
            let path = target.split('?').next().unwrap_or_default();
            if path == "/users/current.json" || path == "/projects.json" || path == "/projects/1.json" {
                continue;
            }
            let rest = path.strip_prefix("/projects/1/wiki/");
            prop_assert!(rest.is_some(), "{title:?} reached {target}");
            let rest = rest.unwrap_or_default();
            let encoded = match version {
                Some(v) => rest.strip_suffix(&format!("/{v}.json")),
                None => rest.strip_suffix(".json"),
            };
            prop_assert!(encoded.is_some(), "{title:?} reached {target}");
            let encoded = encoded.unwrap_or_default();
            prop_assert!(!encoded.contains('/'), "{title:?} split into segments: {target}");
            let dots = path.split('/').any(|segment| segment == "." || segment == "..");
            prop_assert!(!dots, "{title:?} made a dot segment: {target}");
            prop_assert_eq!(decode(encoded), sent.clone(), "{} reached {}", title, target);
        }
    }

    #[test]
    fn any_authorization_value_parses_safely(value in prop_oneof![
        "[ -~]{0,40}",
        "(?i:bearer) {0,3}[!-~]{0,30} {0,2}",
        "(?i:bearer) [!-~]{1,10} [!-~]{1,10}",
        Just(format!("Bearer {TOKEN}")),
        Just(format!("bEaReR   {TOKEN}  ")),
    ]) {
        let Ok(header) = HeaderValue::from_str(&value) else { return Ok(()) };
        let mut headers = HeaderMap::new();
        headers.insert(http::header::AUTHORIZATION, header);
        let upstream = rig().upstream.url();
        let result = runtime().block_on(async {
            let client = Client::builder(upstream.as_str()).build().unwrap();
            let auth = Authenticator::new(&client, None, true, Duration::from_secs(60));
            auth.authenticate(&headers, false).await
        });

        let trimmed = value.trim();
        let expected = trimmed
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|token| !token.is_empty() && !token.contains(char::is_whitespace));
        match result {
            Ok(Credentials::Bearer(token)) => {
                prop_assert_eq!(Some(token.expose_secret()), expected);
                prop_assert_eq!(token.expose_secret(), TOKEN);
            }
            Ok(other) => prop_assert!(false, "{value:?} gave {other:?}"),
            Err(error) => {
                prop_assert!(expected != Some(TOKEN), "{value:?} refused: {error}");
                let message = error.to_string();
                if let Some(token) = expected.filter(|t| t.len() >= 4) {
                    prop_assert!(!message.contains(token), "{message}");
                }
            }
        }
    }

    #[test]
    fn any_json_arguments_give_problems_with_paths(
        index in 0..registry().tools().len(),
        arguments in arguments(),
    ) {
        let tool = &registry().tools()[index];
        match tool.validate(&arguments) {
            Ok(()) => {}
            Err(ToolError::InvalidArguments(problems)) => {
                prop_assert!(!problems.is_empty());
                for problem in problems {
                    prop_assert!(
                        problem.path.is_empty() || arguments.pointer(&problem.path).is_some(),
                        "{}: {} does not point into {}", tool.name(), problem.path, arguments
                    );
                    prop_assert!(!problem.message.is_empty());
                }
            }
            Err(other) => prop_assert!(false, "{}: validate gave {other:?}", tool.name()),
        }

        // The whole call, against a closed port: never a panic, and bad arguments are named.
        let result = runtime().block_on(async {
            let client = Client::builder(format!("http://127.0.0.1:{}", dead_port())).build().unwrap();
            registry().call(tool.name(), client, arguments.clone()).await
        });
        if let Err(ToolError::InvalidArguments(problems)) = result {
            prop_assert!(problems.iter().all(|p| p.path.is_empty() || arguments.pointer(&p.path).is_some()));
        }
    }
}

fn dead_port() -> u16 {
    static PORT: OnceLock<u16> = OnceLock::new();
    *PORT.get_or_init(closed_port)
}

/// Arbitrary JSON objects whose keys are often the tools' real argument names, so that the
/// values reach the deeper checks.
fn arguments() -> impl Strategy<Value = Value> {
    let mut names: Vec<String> = registry()
        .tools()
        .iter()
        .filter_map(|tool| tool.input_schema().get("properties")?.as_object().cloned())
        .flat_map(|properties| properties.keys().cloned().collect::<Vec<_>>())
        .collect();
    names.sort();
    names.dedup();
    let key = prop_oneof![3 => prop::sample::select(names), 1 => "[a-z_]{1,10}"];

    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1.0e6_f64..1.0e6).prop_map(Value::from),
        "\\PC{0,16}".prop_map(Value::from),
    ];
    let value = leaf.prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..5)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    });
    prop_oneof![
        6 => prop::collection::btree_map(key, value.clone(), 0..6)
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        1 => value,
    ]
}

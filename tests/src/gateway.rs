//! The gateway started in-process on a loopback port, against the harness's Redmine.
//!
//! Each test starts its own gateway with the configuration it needs (ChatGPT mode, required
//! auth, a server key) and stops it when the [`TestGateway`] is dropped.

use std::sync::Arc;

use chatgpt_gateway::{AppState, GatewayConfig, Server};
use redmine_tools::{Registry, RegistryConfig};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use url::Url;

use crate::harness::HarnessEnv;

/// A running gateway.
#[derive(Debug)]
pub struct TestGateway {
    /// Where it answers, such as `http://127.0.0.1:40123/`.
    pub url: Url,
    /// Its shared state, for looking at the registry and configuration it runs with.
    pub state: Arc<AppState>,
    stop: Option<oneshot::Sender<()>>,
}

impl TestGateway {
    /// Starts a gateway for `env`'s Redmine with ChatGPT mode on and auth not required, after
    /// `configure` had its say; its public URL is its own loopback address.
    ///
    /// # Panics
    ///
    /// When the gateway cannot start.
    pub async fn start(env: &HarnessEnv, configure: impl FnOnce(&mut GatewayConfig)) -> Self {
        Self::start_with_registry(env, &RegistryConfig::default(), configure).await
    }

    /// Like [`TestGateway::start`] with a registry configuration of the caller's.
    ///
    /// # Panics
    ///
    /// When the gateway cannot start.
    pub async fn start_with_registry(
        env: &HarnessEnv,
        registry: &RegistryConfig,
        configure: impl FnOnce(&mut GatewayConfig),
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let address = listener.local_addr().expect("a bound address");
        let url = Url::parse(&format!("http://{address}/")).expect("a valid url");

        let mut config = GatewayConfig::default();
        config.redmine_url = env.base_url.clone();
        config.chatgpt_mode = true;
        config.public_url = url.clone();
        config.server.bind = address;
        configure(&mut config);

        let registry = Arc::new(Registry::new(registry).expect("a valid registry configuration"));
        let state = Arc::new(AppState::new(config, registry).expect("a valid gateway state"));
        let server = Server::with_listener(state.clone(), listener).expect("a server");
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(server.run(async {
            let _ = stopped.await;
        }));
        Self { url, state, stop: Some(stop) }
    }

    /// A URL on the gateway, `path` relative to its root (`api/v1/issues`).
    ///
    /// # Panics
    ///
    /// When `path` is not a valid relative reference.
    pub fn url(&self, path: &str) -> Url {
        self.url.join(path.trim_start_matches('/')).expect("a valid path")
    }
}

impl Drop for TestGateway {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

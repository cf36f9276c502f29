//! The listener: accepts connections (optionally over TLS), serves HTTP/1.1 and HTTP/2 with
//! hyper, and shuts down gracefully.
//!
//! A client gets [`ServerConfig::header_read_timeout`](crate::ServerConfig) to send its request
//! head (and to finish a TLS handshake); after a shutdown signal no connection is accepted and
//! open requests get [`ServerConfig::shutdown_timeout`](crate::ServerConfig) to finish. What a
//! request does is the router's business.

use std::convert::Infallible;
use std::fs;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig as RustlsConfig;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::config::TlsFiles;
use crate::deferred_write::DeferredWrite;
use crate::router;
use crate::state::{AppState, GatewayError};

/// A bound, not yet running server.
pub struct Server {
    state: Arc<AppState>,
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    housekeeping: Option<Housekeeping>,
}

/// A task each worker thread runs now and then, on its own thread.
#[derive(Debug, Clone, Copy)]
struct Housekeeping {
    every: Duration,
    task: fn(),
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("address", &self.local_addr())
            .field("tls", &self.tls.is_some())
            .finish_non_exhaustive()
    }
}

impl Server {
    /// Binds the configured address and loads the TLS files, if any, so that a bad address or
    /// certificate fails before anything is served.
    pub async fn bind(state: Arc<AppState>) -> Result<Self, GatewayError> {
        let tls = state.config.server.tls.as_ref().map(tls_acceptor).transpose()?;
        let listener = TcpListener::bind(state.config.server.bind).await?;
        Ok(Self { state, listener, tls, housekeeping: None })
    }

    /// A server on a listener bound beforehand, for callers that need the port (bound to port
    /// 0) before the state is built; the configured bind address is not used.
    pub fn with_listener(
        state: Arc<AppState>,
        listener: TcpListener,
    ) -> Result<Self, GatewayError> {
        let tls = state.config.server.tls.as_ref().map(tls_acceptor).transpose()?;
        Ok(Self { state, listener, tls, housekeeping: None })
    }

    /// Has every worker thread run `task` every `every`, on the worker's own thread: for chores
    /// that only the thread itself can do, such as handing the memory its allocator holds free
    /// back to the system.
    #[must_use]
    pub fn housekeeping(mut self, every: Duration, task: fn()) -> Self {
        self.housekeeping = Some(Housekeeping { every, task });
        self
    }

    /// The address the server listens on (useful after binding port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().unwrap_or(self.state.config.server.bind)
    }

    /// Whether connections are TLS.
    pub fn is_tls(&self) -> bool {
        self.tls.is_some()
    }

    /// Serves until `shutdown` completes, then lets open requests finish within the shutdown
    /// timeout.
    ///
    /// Connections are accepted here and each is handed to the one of
    /// [`ServerConfig::workers`](crate::ServerConfig) threads serving the fewest. A worker runs
    /// its own single-threaded event loop: every request of its connections is read, sent on to
    /// Redmine over the worker's own connections and answered on that thread, so no request
    /// hands work to another thread or waits to be woken by one. Dropping the returned future
    /// stops the workers as a shutdown would.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> Result<(), GatewayError> {
        let Self { state, listener, tls, housekeeping } = self;

        let mut workers = Vec::new();
        for index in 0..state.config.server.workers.get() {
            // The first worker takes the state as given; the others get their own clients.
            let state = if index == 0 { state.clone() } else { Arc::new(state.for_worker()?) };
            workers.push(Worker::spawn(index, state, tls.clone(), housekeeping)?);
        }

        tokio::pin!(shutdown);
        loop {
            let (stream, peer) = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(error) => {
                        // Running out of file descriptors and the like: pause, do not exit.
                        tracing::warn!(error = %error, "accepting a connection failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
                () = &mut shutdown => break,
            };
            let Some(worker) = workers.iter().min_by_key(|worker| worker.load()) else { break };
            match stream.into_std() {
                Ok(stream) => worker.hand(stream, peer),
                Err(error) => tracing::debug!(%peer, error = %error, "connection lost"),
            }
        }

        drop(listener);
        tracing::info!("shutting down");
        for worker in workers {
            worker.stop().await;
        }
        Ok(())
    }
}

/// An accepted connection on its way to a worker.
type Accepted = (std::net::TcpStream, SocketAddr);

/// The acceptor's side of a worker thread.
struct Worker {
    connections: tokio::sync::mpsc::UnboundedSender<Accepted>,
    /// How many connections the worker serves.
    open: Arc<AtomicUsize>,
    /// Completes when the worker has finished (or panicked: the sender is dropped either way).
    finished: tokio::sync::oneshot::Receiver<()>,
}

impl Worker {
    /// Starts worker thread `index`, serving with `state`.
    fn spawn(
        index: usize,
        state: Arc<AppState>,
        tls: Option<TlsAcceptor>,
        housekeeping: Option<Housekeeping>,
    ) -> Result<Self, GatewayError> {
        let (connections, incoming) = tokio::sync::mpsc::unbounded_channel();
        let open = Arc::new(AtomicUsize::new(0));
        let (done, finished) = tokio::sync::oneshot::channel();
        let thread = WorkerThread { state, tls, incoming, open: open.clone(), housekeeping };
        std::thread::Builder::new().name(format!("gateway-worker-{index}")).spawn(move || {
            thread.run();
            let _ = done.send(());
        })?;
        Ok(Self { connections, open, finished })
    }

    fn load(&self) -> usize {
        self.open.load(Ordering::Relaxed)
    }

    /// Gives the worker a connection to serve.
    fn hand(&self, stream: std::net::TcpStream, peer: SocketAddr) {
        self.open.fetch_add(1, Ordering::Relaxed);
        if self.connections.send((stream, peer)).is_err() {
            self.open.fetch_sub(1, Ordering::Relaxed);
            tracing::error!(%peer, "a worker has stopped; connection dropped");
        }
    }

    /// Tells the worker to accept nothing more and waits until its open requests are done.
    async fn stop(self) {
        let Self { connections, finished, .. } = self;
        drop(connections);
        let _ = finished.await;
    }
}

/// A worker thread: its own event loop, its own state, the connections handed to it.
struct WorkerThread {
    state: Arc<AppState>,
    tls: Option<TlsAcceptor>,
    incoming: tokio::sync::mpsc::UnboundedReceiver<Accepted>,
    open: Arc<AtomicUsize>,
    housekeeping: Option<Housekeeping>,
}

/// Counts a connection as open while it lives.
struct OpenConnection(Arc<AtomicUsize>);

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl WorkerThread {
    /// Runs the worker's event loop until the server stops.
    fn run(self) {
        let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
            Ok(runtime) => runtime,
            Err(error) => {
                tracing::error!(error = %error, "a worker cannot start its event loop");
                return;
            }
        };
        runtime.block_on(self.serve());
    }

    /// Serves the connections it is handed until the acceptor stops, then waits for open
    /// requests.
    async fn serve(self) {
        let Self { state, tls, mut incoming, open, housekeeping } = self;
        if let Some(Housekeeping { every, task }) = housekeeping {
            // Ends with the event loop, when the worker stops.
            tokio::spawn(async move {
                let mut ticks = tokio::time::interval(every);
                ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    ticks.tick().await;
                    task();
                }
            });
        }
        let mut builder = auto::Builder::new(TokioExecutor::new());
        builder
            .http1()
            .timer(TokioTimer::new())
            .header_read_timeout(state.config.server.header_read_timeout);
        builder.http2().timer(TokioTimer::new());
        let builder = Arc::new(builder);
        let graceful = GracefulShutdown::new();

        while let Some((stream, peer)) = incoming.recv().await {
            let counted = OpenConnection(open.clone());
            let stream = match TcpStream::from_std(stream) {
                Ok(stream) => stream,
                Err(error) => {
                    tracing::debug!(%peer, error = %error, "connection lost");
                    continue;
                }
            };
            let watcher = graceful.watcher();
            let state = state.clone();
            let builder = builder.clone();
            let tls = tls.clone();
            tokio::spawn(async move {
                let _counted = counted;
                let handshake = state.config.server.header_read_timeout;
                match tls {
                    None => {
                        if crate::request_limits::wait_for_request_start(&stream, handshake).await {
                            serve_connection(&builder, watcher, state, stream).await;
                        }
                    }
                    Some(acceptor) => {
                        match tokio::time::timeout(handshake, acceptor.accept(stream)).await {
                            Ok(Ok(stream)) => {
                                serve_connection(&builder, watcher, state, stream).await;
                            }
                            Ok(Err(error)) => {
                                tracing::debug!(%peer, error = %error, "tls handshake failed");
                            }
                            Err(_) => tracing::debug!(%peer, "tls handshake timed out"),
                        }
                    }
                }
            });
        }

        let deadline = state.config.server.shutdown_timeout;
        tracing::debug!(open_connections = graceful.count(), "worker stopping");
        if tokio::time::timeout(deadline, graceful.shutdown()).await.is_err() {
            tracing::warn!(
                deadline_secs = deadline.as_secs(),
                "open requests did not finish before the shutdown deadline"
            );
        }
    }
}

/// Serves one connection until it closes or the server shuts down.
async fn serve_connection<S>(
    builder: &auto::Builder<TokioExecutor>,
    watcher: hyper_util::server::graceful::Watcher,
    state: Arc<AppState>,
    stream: S,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |request: hyper::Request<Incoming>| {
        let state = state.clone();
        async move {
            let request = request.map(|body| body.map_err(Into::into).boxed());
            Ok::<_, Infallible>(router::handle(state, request).await)
        }
    });
    // Answers are written after the worker's other ready work, so writes to a client cluster.
    let stream = TokioIo::new(DeferredWrite::new(stream));
    let connection = builder.serve_connection_with_upgrades(stream, service);
    if let Err(error) = watcher.watch(connection.into_owned()).await {
        tracing::debug!(error = %error, "connection closed with an error");
    }
}

/// Loads the certificate chain and key into a TLS acceptor (HTTP/2 and HTTP/1.1 by ALPN).
fn tls_acceptor(files: &TlsFiles) -> Result<TlsAcceptor, GatewayError> {
    let read = |path: &std::path::Path| {
        fs::read(path)
            .map_err(|e| GatewayError::Tls(format!("cannot read {}: {e}", path.display())))
    };
    let cert_pem = read(&files.cert)?;
    let key_pem = read(&files.key)?;

    let chain = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| GatewayError::Tls(format!("{}: {e}", files.cert.display())))?;
    if chain.is_empty() {
        return Err(GatewayError::Tls(format!(
            "{} holds no certificate; give a PEM file with the certificate chain",
            files.cert.display()
        )));
    }
    let key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| {
        GatewayError::Tls(format!("{}: no usable private key ({e})", files.key.display()))
    })?;

    // The provider is named rather than taken from the process default, which is ambiguous
    // when more than one rustls provider is compiled in.
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let mut config = RustlsConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| GatewayError::Tls(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| GatewayError::Tls(e.to_string()))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::num::NonZeroUsize;
    use std::path::PathBuf;
    use std::sync::Mutex;

    use redmine_tools::{Registry, RegistryConfig};

    use super::*;
    use crate::GatewayConfig;

    /// The threads [`note_thread`] ran on.
    static HOUSEKEEPERS: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

    fn note_thread() {
        let name = std::thread::current().name().unwrap_or("unnamed").to_owned();
        HOUSEKEEPERS.lock().unwrap().insert(name);
    }

    #[tokio::test]
    async fn every_worker_does_the_housekeeping_on_its_own_thread_until_the_server_stops() {
        let mut config = GatewayConfig {
            redmine_url: "http://127.0.0.1:9".parse().unwrap(),
            ..GatewayConfig::default()
        };
        config.server.workers = NonZeroUsize::new(3).unwrap();
        let registry = Arc::new(Registry::new(&RegistryConfig::default()).unwrap());
        let state = Arc::new(AppState::new(config, registry).unwrap());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = Server::with_listener(state, listener)
            .unwrap()
            .housekeeping(Duration::from_millis(5), note_thread);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = tokio::spawn(server.run(async {
            let _ = stopped.await;
        }));

        let expected: BTreeSet<String> =
            (0..3).map(|index| format!("gateway-worker-{index}")).collect();
        let all_seen = async {
            while *HOUSEKEEPERS.lock().unwrap() != expected {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        };
        let waited = tokio::time::timeout(Duration::from_secs(10), all_seen).await;
        assert!(waited.is_ok(), "ran on {:?}", HOUSEKEEPERS.lock().unwrap());

        stop.send(()).unwrap();
        let stopped = tokio::time::timeout(Duration::from_secs(10), running).await;
        assert!(matches!(stopped, Ok(Ok(Ok(())))), "the server did not stop: {stopped:?}");
    }

    #[test]
    fn missing_tls_files_are_reported_by_path() {
        let files = TlsFiles {
            cert: PathBuf::from("/nonexistent/cert.pem"),
            key: PathBuf::from("/nonexistent/key.pem"),
        };
        let Err(error) = tls_acceptor(&files) else { panic!("missing files must fail") };
        let error = error.to_string();
        assert!(error.contains("/nonexistent/cert.pem"), "{error}");
    }
}

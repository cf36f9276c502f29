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
use std::time::Duration;

use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig as RustlsConfig;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::config::TlsFiles;
use crate::router;
use crate::state::{AppState, GatewayError};

/// A bound, not yet running server.
pub struct Server {
    state: Arc<AppState>,
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
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
        Ok(Self { state, listener, tls })
    }

    /// A server on a listener bound beforehand, for callers that need the port (bound to port
    /// 0) before the state is built; the configured bind address is not used.
    pub fn with_listener(
        state: Arc<AppState>,
        listener: TcpListener,
    ) -> Result<Self, GatewayError> {
        let tls = state.config.server.tls.as_ref().map(tls_acceptor).transpose()?;
        Ok(Self { state, listener, tls })
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
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> Result<(), GatewayError> {
        let Self { state, listener, tls } = self;
        let mut builder = auto::Builder::new(TokioExecutor::new());
        builder
            .http1()
            .timer(TokioTimer::new())
            .header_read_timeout(state.config.server.header_read_timeout);
        builder.http2().timer(TokioTimer::new());
        let builder = Arc::new(builder);
        let graceful = GracefulShutdown::new();

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
            let watcher = graceful.watcher();
            let state = state.clone();
            let builder = builder.clone();
            let tls = tls.clone();
            tokio::spawn(async move {
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

        drop(listener);
        let deadline = state.config.server.shutdown_timeout;
        tracing::info!(open_connections = graceful.count(), "shutting down");
        if tokio::time::timeout(deadline, graceful.shutdown()).await.is_err() {
            tracing::warn!(
                deadline_secs = deadline.as_secs(),
                "open requests did not finish before the shutdown deadline"
            );
        }
        Ok(())
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
    let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
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
    use std::path::PathBuf;

    use super::*;

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

//! Serving the router over HTTP/1.1 with limits on slow and idle connections, and a drain on
//! SIGTERM or SIGINT: a service manager's normal stop finishes the requests in flight (up to a
//! limit) instead of dropping them.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

/// How long the server waits for clients and for itself.
#[derive(Debug, Clone, Copy)]
pub struct ServeLimits {
    /// A request's headers must arrive within this, and an idle kept-alive connection is closed
    /// after it: a slow or silent client cannot hold a connection.
    pub header_read_timeout: Duration,
    /// After the stop signal, requests in flight get this long to finish.
    pub drain: Duration,
}

impl Default for ServeLimits {
    fn default() -> Self {
        ServeLimits {
            header_read_timeout: Duration::from_secs(30),
            drain: Duration::from_secs(20),
        }
    }
}

/// Serves until SIGTERM or SIGINT, then stops accepting, cancels `draining` (open event streams
/// end, `/readyz` says 503) and waits for the requests in flight, at most `limits.drain`.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    draining: CancellationToken,
    limits: ServeLimits,
) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let connections = GracefulShutdown::new();
    let stop = stop_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(accepted) => accepted,
                    Err(error) => {
                        // Out of file descriptors and the like: pause rather than spin.
                        tracing::warn!(%error, "could not accept a connection");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let router = router.clone();
                let service = tower::service_fn(move |mut request: axum::http::Request<hyper::body::Incoming>| {
                    request.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                    router.clone().oneshot(request)
                });
                let connection = connections.watch(
                    http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)),
                );
                tokio::spawn(async move {
                    let _ = connection.await;
                });
            }
            () = &mut stop => break,
        }
    }
    drop(listener);
    draining.cancel();
    tracing::info!("stop signal: draining requests in flight");
    tokio::select! {
        () = connections.shutdown() => tracing::info!("every request in flight finished"),
        () = tokio::time::sleep(limits.drain) => {
            tracing::warn!(seconds = limits.drain.as_secs(), "drain limit reached; stopping anyway");
        }
    }
}

/// SIGTERM (service managers, containers) or SIGINT (Ctrl-C).
async fn stop_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
}

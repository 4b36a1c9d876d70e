//! Serving connections: the accept loop and one hyper HTTP/1 connection per task, as
//! `axum::serve` does internally, plus per-connection control. Each request carries a
//! [`ConnCtl`] in its extensions; a handler that asks for the connection to be dropped (the
//! `reset`, `commit_then_reset` and `truncate` faults) cancels it, and the connection task
//! then drops the connection without writing anything more. Shutdown stops accepting, lets
//! in-flight answers finish (for up to a second) and closes idle connections. At most
//! [`MAX_CONNECTIONS`] are served at once, and a head (or an idle gap) that stalls for 10 s
//! ends its connection; bodies have the same limit where they are read (`routes::read_body`).

use std::time::Duration;

use axum::Router;
use axum::response::Response;
use hyper::body::Incoming;
use hyper::service::Service as _;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, UnixListener};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// How long shutdown waits for in-flight answers before dropping their connections.
const DRAIN: Duration = Duration::from_secs(1);
/// Connections served at once; one more is closed as soon as it is accepted, so nobody can
/// run the process out of file descriptors.
pub const MAX_CONNECTIONS: usize = 256;
/// A request head that has not fully arrived after this long, or a connection idle this long
/// between requests, is closed.
const HEAD_STALL: Duration = Duration::from_secs(10);

/// Control over the connection a request arrived on.
#[derive(Clone, Debug, Default)]
pub struct ConnCtl(CancellationToken);

impl ConnCtl {
    /// Asks the connection task to drop the connection as it stands.
    pub fn close(&self) {
        self.0.cancel();
    }

    /// Drops the connection without an answer; never returns (the handler is dropped with the
    /// connection).
    pub async fn drop_connection(&self) -> Response {
        self.0.cancel();
        std::future::pending().await
    }
}

/// Where the emulator listens: a TCP address (`sdx-keys emulator`, the tests), or a Unix
/// socket in a private directory (`--demo`), where a peer of another user is dropped on
/// sight (`SO_PEERCRED`) even if it got past the directory's mode.
pub enum Listener {
    Tcp(TcpListener),
    Unix(UnixListener),
}

/// Accepts and serves until `shutdown` is cancelled.
pub async fn serve(listener: Listener, router: Router, shutdown: CancellationToken) {
    let mut connections = JoinSet::new();
    let me = rustix::process::getuid().as_raw();
    loop {
        let full = connections.len() >= MAX_CONNECTIONS;
        tokio::select! {
            _ = shutdown.cancelled() => break,
            accepted = accept_tcp(&listener) => match accepted {
                Ok(stream) if full => drop(stream),
                Ok(stream) => {
                    let _ = stream.set_nodelay(true);
                    connections.spawn(connection(stream, router.clone(), shutdown.clone()));
                }
                // Out of descriptors and the like: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            accepted = accept_unix(&listener) => match accepted {
                Ok(stream) if full => drop(stream),
                Ok(stream) if stream.peer_cred().is_ok_and(|cred| cred.uid() == me) => {
                    connections.spawn(connection(stream, router.clone(), shutdown.clone()));
                }
                Ok(stream) => drop(stream),
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let drained = tokio::time::timeout(DRAIN, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        connections.shutdown().await;
    }
}

async fn accept_tcp(listener: &Listener) -> std::io::Result<tokio::net::TcpStream> {
    match listener {
        Listener::Tcp(listener) => listener.accept().await.map(|(stream, _)| stream),
        Listener::Unix(_) => std::future::pending().await,
    }
}

async fn accept_unix(listener: &Listener) -> std::io::Result<tokio::net::UnixStream> {
    match listener {
        Listener::Unix(listener) => listener.accept().await.map(|(stream, _)| stream),
        Listener::Tcp(_) => std::future::pending().await,
    }
}

async fn connection<S>(stream: S, router: Router, shutdown: CancellationToken)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let ctl = ConnCtl::default();
    let tower = TowerToHyperService::new(router);
    let request_ctl = ctl.clone();
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(request_ctl.clone());
        tower.call(request)
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_STALL)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = ctl.0.cancelled() => {}
        _ = shutdown.cancelled() => {
            conn.as_mut().graceful_shutdown();
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = ctl.0.cancelled() => {}
            }
        }
    }
}

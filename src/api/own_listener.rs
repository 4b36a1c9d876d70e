//! Plain http only to our own listener. For an `http://` loopback base URL the client's
//! connector gets this layer: every new connection, once made and before a byte is written,
//! is looked up in the kernel's tables ([`super::peer_owner`]); unless the socket at the
//! other end belongs to our own user the connection is dropped and the request fails with a
//! [`ForeignListener`] naming the port, the owner and the fix. [`check_before_start`] runs
//! the same check once on a bare connection that sends nothing, before the terminal is
//! touched.

use std::fmt;
use std::future::Future;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::http::Extensions;
use hyper_util::client::legacy::connect::{Connection, HttpInfo};
use tower::{Layer, Service};

use super::peer_owner::owner_of_peer;

/// The listener at the other end of a loopback connection is not ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignListener {
    pub port: u16,
    /// The owner's uid, or `None` when the kernel did not say.
    pub uid: Option<u32>,
}

impl fmt::Display for ForeignListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let port = self.port;
        match self.uid {
            Some(uid) => write!(
                f,
                "port {port} on this machine is held by another user ({}), so the token was \
                 not sent to it over plain http. Use https, or start your own emulator \
                 (sdx-keys emulator --listen 127.0.0.1:0) and point --base-url at it",
                user_name(uid)
            ),
            None => write!(
                f,
                "the owner of the listener on port {port} could not be found, so the token was \
                 not sent to it over plain http. Use https, or start your own emulator and \
                 point --base-url at it"
            ),
        }
    }
}

impl std::error::Error for ForeignListener {}

/// `name (uid N)` from `/etc/passwd`, or `uid N`.
fn user_name(uid: u32) -> String {
    let name = std::fs::read_to_string("/etc/passwd")
        .ok()
        .and_then(|passwd| {
            passwd.lines().find_map(|line| {
                let mut fields = line.split(':');
                let name = fields.next()?;
                (fields.nth(1)?.parse::<u32>().ok()? == uid).then(|| name.to_owned())
            })
        });
    match name {
        Some(name) => format!("{} (uid {uid})", crate::layout::text::printable(&name)),
        None => format!("uid {uid}"),
    }
}

/// Our user owns the socket at the other end of `local` -> `remote` (loopback only; any
/// other peer is not this check's business).
pub fn check_peer(local: SocketAddr, remote: SocketAddr) -> Result<(), ForeignListener> {
    if !remote.ip().to_canonical().is_loopback() {
        return Ok(());
    }
    let me = rustix::process::getuid().as_raw();
    match owner_of_peer(local, remote) {
        Ok(Some(uid)) if uid == me => Ok(()),
        Ok(uid) => Err(ForeignListener {
            port: remote.port(),
            uid,
        }),
        Err(_) => Err(ForeignListener {
            port: remote.port(),
            uid: None,
        }),
    }
}

/// Before the terminal is touched: connects to `host:port` (every address it resolves to)
/// without sending anything and checks who listens. Nothing listening is not this check's
/// business (the first request will say the API cannot be reached).
pub fn check_before_start(host: &str, port: u16) -> Result<(), ForeignListener> {
    let Ok(addrs) = (host, port).to_socket_addrs() else {
        return Ok(());
    };
    for addr in addrs {
        let Ok(stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(2)) else {
            continue;
        };
        if let (Ok(local), Ok(remote)) = (stream.local_addr(), stream.peer_addr()) {
            check_peer(local, remote)?;
        }
    }
    Ok(())
}

/// The connector layer of a plain-http loopback client.
#[derive(Debug, Clone, Copy, Default)]
pub struct OwnListenerLayer;

impl<S> Layer<S> for OwnListenerLayer {
    type Service = OwnListener<S>;

    fn layer(&self, inner: S) -> OwnListener<S> {
        OwnListener { inner }
    }
}

/// Connects with the inner connector, then refuses a connection to another user's socket.
#[derive(Debug, Clone)]
pub struct OwnListener<S> {
    inner: S,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl<S, R> Service<R> for OwnListener<S>
where
    S: Service<R, Error = BoxError>,
    S::Response: Connection + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> Self::Future {
        let connecting = self.inner.call(request);
        Box::pin(async move {
            let conn = connecting.await?;
            let mut extras = Extensions::new();
            conn.connected().get_extras(&mut extras);
            let Some(info) = extras.get::<HttpInfo>() else {
                // No addresses to check: refuse rather than guess.
                return Err(Box::new(ForeignListener { port: 0, uid: None }) as BoxError);
            };
            check_peer(info.local_addr(), info.remote_addr())?;
            Ok(conn)
        })
    }
}

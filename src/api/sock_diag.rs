//! One socket's owner, asked of the kernel the way `ss` does: a `NETLINK_SOCK_DIAG` request
//! for the TCP socket with exactly these four addresses (no dump), answered with its
//! `inet_diag_msg`, whose `idiag_uid` is the owner. A targeted lookup takes microseconds,
//! where reading `/proc/net/tcp` makes the kernel walk its whole table (about a millisecond
//! each time). `None` when the kernel does not know the socket or cannot be asked; the
//! caller then falls back to the tables.

use std::net::{IpAddr, SocketAddr};

use rustix::net::{AddressFamily, SocketType, netlink, socket};

const SOCK_DIAG_BY_FAMILY: u16 = 20;
const NLM_F_REQUEST: u16 = 1;
const NLMSG_ERROR: u16 = 2;
const AF_INET: u8 = 2;
const AF_INET6: u8 = 10;
const IPPROTO_TCP: u8 = 6;
const HEADER: usize = 16;
/// `inet_diag_req_v2`: family, protocol, extensions, pad, states, then the socket id.
const REQUEST: usize = 56;
/// Offset of `idiag_uid` in `inet_diag_msg` (4 bytes, the 48-byte id, 3 more u32s).
const UID_AT: usize = 4 + 48 + 12;

/// The uid of the TCP socket whose local address is `local` and whose remote is `remote`.
pub fn owner_of(local: SocketAddr, remote: SocketAddr) -> Option<u32> {
    let family = match (local.ip(), remote.ip()) {
        (IpAddr::V4(_), IpAddr::V4(_)) => AF_INET,
        (IpAddr::V6(_), IpAddr::V6(_)) => AF_INET6,
        _ => return None,
    };
    let fd = socket(
        AddressFamily::NETLINK,
        SocketType::DGRAM,
        Some(netlink::SOCK_DIAG),
    )
    .ok()?;
    let mut message = [0u8; HEADER + REQUEST];
    message[0..4].copy_from_slice(&((HEADER + REQUEST) as u32).to_ne_bytes());
    message[4..6].copy_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes());
    message[6..8].copy_from_slice(&NLM_F_REQUEST.to_ne_bytes());
    message[8..12].copy_from_slice(&1u32.to_ne_bytes());
    let request = &mut message[HEADER..];
    request[0] = family;
    request[1] = IPPROTO_TCP;
    request[4..8].copy_from_slice(&u32::MAX.to_ne_bytes()); // every state
    let id = &mut request[8..];
    id[0..2].copy_from_slice(&local.port().to_be_bytes());
    id[2..4].copy_from_slice(&remote.port().to_be_bytes());
    put_address(&mut id[4..20], local.ip());
    put_address(&mut id[20..36], remote.ip());
    // idiag_if stays 0; the cookie says "no cookie".
    id[40..48].copy_from_slice(&[0xff; 8]);
    rustix::io::write(&fd, &message).ok()?;
    let mut answer = [0u8; 512];
    let read = rustix::io::read(&fd, &mut answer).ok()?;
    let answer = &answer[..read];
    let kind = u16::from_ne_bytes(answer.get(4..6)?.try_into().ok()?);
    if kind == NLMSG_ERROR || kind != SOCK_DIAG_BY_FAMILY {
        return None;
    }
    let uid = answer.get(HEADER + UID_AT..HEADER + UID_AT + 4)?;
    Some(u32::from_ne_bytes(uid.try_into().ok()?))
}

/// An address as `idiag_src`/`idiag_dst` hold it: network byte order, IPv4 in the first word.
fn put_address(out: &mut [u8], ip: IpAddr) {
    match ip {
        IpAddr::V4(v4) => out[..4].copy_from_slice(&v4.octets()),
        IpAddr::V6(v6) => out.copy_from_slice(&v6.octets()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kernel_names_the_owner_of_both_ends_of_a_loopback_connection() {
        let me = rustix::process::getuid().as_raw();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let stream = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (ours, theirs) = (stream.local_addr().unwrap(), stream.peer_addr().unwrap());
        // The peer's socket: its local address is our remote one. Not accepted yet, then
        // accepted.
        assert_eq!(owner_of(theirs, ours), Some(me));
        let _accepted = listener.accept().unwrap();
        assert_eq!(owner_of(theirs, ours), Some(me));
        // Our own end, and a socket that does not exist.
        assert_eq!(owner_of(ours, theirs), Some(me));
        let nowhere: SocketAddr = "127.0.0.1:1".parse().unwrap();
        assert_eq!(owner_of(nowhere, ours), None);
    }
}

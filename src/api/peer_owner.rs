//! Who owns the other end of a loopback TCP connection, as the kernel says in `/proc/net/tcp`
//! and `/proc/net/tcp6`: the row whose local address is our peer and whose remote address is
//! us. An accepted connection belongs to the process that accepted it; one not accepted yet
//! is given its listener's owner. IPv4 connections to a dual-stack listener show up in
//! `tcp6` with v4-mapped addresses, so both files are read and addresses compared in
//! canonical form. Plain http may carry the token only to a socket of our own user: another
//! local user can bind a loopback port before we do (issue 8). The kernel is first asked
//! directly for that one socket ([`super::sock_diag`], microseconds); the tables are the
//! fallback (reading them costs about a millisecond, however few sockets they list).

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// The uid owning the socket at `remote` connected to our `local`, if the kernel lists it:
/// asked directly ([`super::sock_diag`]) and, failing that, read from the tables.
pub fn owner_of_peer(local: SocketAddr, remote: SocketAddr) -> io::Result<Option<u32>> {
    // The peer's socket has our remote address as its local one.
    if let Some(uid) = super::sock_diag::owner_of(remote, local) {
        return Ok(Some(uid));
    }
    let mut any = false;
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let text = match std::fs::read_to_string(table) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        any = true;
        if let Some(uid) = find_owner(&text, local, remote) {
            return Ok(Some(uid));
        }
    }
    if !any {
        return Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "/proc/net/tcp is not available, so the listener's owner cannot be known",
        ));
    }
    Ok(None)
}

/// The uid of the row of `table` (the text of `/proc/net/tcp` or `tcp6`) whose local address
/// is `remote` and whose remote address is `local`.
pub fn find_owner(table: &str, local: SocketAddr, remote: SocketAddr) -> Option<u32> {
    let (local, remote) = (canonical(local), canonical(remote));
    table.lines().skip(1).find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (row_local, row_remote, uid) = (fields.get(1)?, fields.get(2)?, fields.get(7)?);
        let row_local = canonical(parse_address(row_local)?);
        let row_remote = canonical(parse_address(row_remote)?);
        (row_local == remote && row_remote == local).then(|| uid.parse().ok())?
    })
}

/// `0100007F:1F90` (IPv4) or 32 hex digits and a port (IPv6), each 32-bit word of the address
/// printed in the host's byte order, the port in hex.
fn parse_address(text: &str) -> Option<SocketAddr> {
    let (ip, port) = text.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let word = |hex: &str| u32::from_str_radix(hex, 16).ok().map(u32::to_ne_bytes);
    let ip = match ip.len() {
        8 => IpAddr::V4(Ipv4Addr::from(word(ip)?)),
        32 => {
            let mut bytes = [0u8; 16];
            for (i, chunk) in bytes.chunks_mut(4).enumerate() {
                chunk.copy_from_slice(&word(ip.get(i * 8..i * 8 + 8)?)?);
            }
            IpAddr::V6(Ipv6Addr::from(bytes))
        }
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

/// v4-mapped IPv6 addresses as the IPv4 address they carry.
fn canonical(addr: SocketAddr) -> SocketAddr {
    SocketAddr::new(addr.ip().to_canonical(), addr.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TCP: &str = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 2 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:9C40 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0000000000000000 20 4 30 10 -1
";

    const TCP6: &str = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0000000000000000FFFF00000100007F:2262 0000000000000000FFFF00000100007F:C350 01 00000000:00000000 00:00000000 00000000 65534        0 4 1 0000000000000000 20 4 30 10 -1
   1: 00000000000000000000000001000000:2263 00000000000000000000000001000000:C351 01 00000000:00000000 00:00000000 00000000  1001        0 5 1 0000000000000000 20 4 30 10 -1
";

    fn addr(text: &str) -> SocketAddr {
        text.parse().unwrap()
    }

    #[cfg(target_endian = "little")]
    #[test]
    fn the_peer_row_gives_the_listeners_owner() {
        // We are 127.0.0.1:40000 (0x9C40), connected to port 8080 (0x1F90) owned by uid 1000.
        let me = addr("127.0.0.1:40000");
        let server = addr("127.0.0.1:8080");
        assert_eq!(find_owner(TCP, me, server), Some(1000));
        // Our own row (owned by uid 0 here) is not the peer's.
        assert_eq!(find_owner(TCP, server, me), Some(0));
        assert_eq!(find_owner(TCP, me, addr("127.0.0.1:8081")), None);
    }

    /// The fixtures are in a little-endian host's byte order.
    #[cfg(target_endian = "little")]
    #[test]
    fn v4_mapped_rows_of_a_dual_stack_listener_and_ipv6_rows_match() {
        let owner = find_owner(TCP6, addr("127.0.0.1:50000"), addr("127.0.0.1:8802"));
        assert_eq!(owner, Some(65534));
        let owner = find_owner(TCP6, addr("[::1]:50001"), addr("[::1]:8803"));
        assert_eq!(owner, Some(1001));
    }

    #[test]
    fn a_real_connection_to_our_own_listener_is_ours() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let stream = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let owner =
            owner_of_peer(stream.local_addr().unwrap(), stream.peer_addr().unwrap()).unwrap();
        assert_eq!(
            owner,
            Some(rustix::process::getuid().as_raw()),
            "not yet accepted"
        );
        let _accepted = listener.accept().unwrap();
        let owner =
            owner_of_peer(stream.local_addr().unwrap(), stream.peer_addr().unwrap()).unwrap();
        assert_eq!(owner, Some(rustix::process::getuid().as_raw()), "accepted");
    }
}

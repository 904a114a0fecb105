//! The client's address: the TCP peer, or, when the peer is one of `MOSAIC_TRUSTED_PROXIES`,
//! the address the proxies forwarded. Rate limits and socket counts key on it, so a client
//! must not be able to choose it: forwarding headers from any other peer are ignored.

use std::net::IpAddr;

use actix_web::HttpRequest;
use actix_web::http::header::{FORWARDED, HeaderName};
use ipnet::IpNet;

use crate::config::ForwardedHeader;

static X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// The address a request comes from, as far as trusted proxies tell.
pub fn client_ip(req: &HttpRequest, trusted: &[IpNet], header: ForwardedHeader) -> Option<IpAddr> {
    let peer = req.peer_addr().map(|a| a.ip())?;
    if !is_trusted(peer, trusted) {
        return Some(peer);
    }
    let chain = forwarded_chain(req, header);
    // Nearest hop first: the first address that is not one of our proxies is the client.
    // Addresses left of it were written by the client itself and are not believed.
    Some(
        chain
            .iter()
            .rev()
            .copied()
            .find(|hop| !is_trusted(*hop, trusted))
            .or_else(|| chain.first().copied())
            .unwrap_or(peer),
    )
}

fn is_trusted(ip: IpAddr, trusted: &[IpNet]) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    trusted.iter().any(|net| net.contains(&ip))
}

/// Addresses in the header the proxies write (`for=` of `Forwarded`, or `X-Forwarded-For`), in
/// the order they added them. The other header is never read: a proxy passes it through as
/// the client wrote it.
fn forwarded_chain(req: &HttpRequest, header: ForwardedHeader) -> Vec<IpAddr> {
    let values = |name: &HeaderName| -> Vec<String> {
        req.headers()
            .get_all(name)
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|v| v.trim().to_owned())
            .collect()
    };
    match header {
        ForwardedHeader::Forwarded => values(&FORWARDED)
            .iter()
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (key, value) = pair.trim().split_once('=')?;
                    key.trim()
                        .eq_ignore_ascii_case("for")
                        .then(|| parse_node(value))
                        .flatten()
                })
            })
            .collect(),
        ForwardedHeader::XForwardedFor => values(&X_FORWARDED_FOR)
            .iter()
            .filter_map(|v| parse_node(v))
            .collect(),
    }
}

/// `192.0.2.1`, `"192.0.2.1:4711"`, `"[2001:db8::1]:4711"` or `2001:db8::1`.
fn parse_node(value: &str) -> Option<IpAddr> {
    let value = value.trim().trim_matches('"');
    if let Ok(ip) = value.parse() {
        return Some(ip);
    }
    if let Some(rest) = value.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    value.rsplit_once(':')?.0.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().filter_map(|n| n.parse().ok()).collect()
    }

    fn peer(ip: &str) -> std::net::SocketAddr {
        format!("{ip}:40000")
            .parse()
            .unwrap_or_else(|_| ([0, 0, 0, 0], 0).into())
    }

    #[test]
    fn an_untrusted_peer_cannot_name_another_address() {
        let req = TestRequest::default()
            .peer_addr(peer("203.0.113.9"))
            .insert_header(("x-forwarded-for", "198.51.100.1"))
            .to_http_request();
        let ip = client_ip(&req, &nets(&["10.0.0.0/8"]), ForwardedHeader::XForwardedFor);
        assert_eq!(ip, "203.0.113.9".parse().ok());
    }

    #[test]
    fn behind_trusted_proxies_the_nearest_untrusted_hop_is_the_client() {
        let req = TestRequest::default()
            .peer_addr(peer("10.0.0.2"))
            .insert_header(("x-forwarded-for", "6.6.6.6, 198.51.100.7, 10.0.0.3"))
            .to_http_request();
        let ip = client_ip(&req, &nets(&["10.0.0.0/8"]), ForwardedHeader::XForwardedFor);
        assert_eq!(ip, "198.51.100.7".parse().ok());
    }

    #[test]
    fn only_the_configured_header_is_read() {
        let req = TestRequest::default()
            .peer_addr(peer("10.0.0.2"))
            .insert_header(("forwarded", "for=6.6.6.6"))
            .insert_header(("x-forwarded-for", "198.51.100.7"))
            .to_http_request();
        let nets = nets(&["10.0.0.0/8"]);
        let xff = client_ip(&req, &nets, ForwardedHeader::XForwardedFor);
        assert_eq!(xff, "198.51.100.7".parse().ok());
        let standard = client_ip(&req, &nets, ForwardedHeader::Forwarded);
        assert_eq!(standard, "6.6.6.6".parse().ok());
    }

    #[test]
    fn forwarded_is_read_with_quotes_ports_and_brackets() {
        let req = TestRequest::default()
            .peer_addr(peer("127.0.0.1"))
            .insert_header(("forwarded", r#"for="[2001:db8::7]:4711";proto=https"#))
            .to_http_request();
        let ip = client_ip(&req, &nets(&["127.0.0.1/32"]), ForwardedHeader::Forwarded);
        assert_eq!(ip, "2001:db8::7".parse().ok());
        assert_eq!(parse_node("192.0.2.4:80"), "192.0.2.4".parse().ok());
    }
}

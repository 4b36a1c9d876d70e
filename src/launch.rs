//! Checking what a run will talk to, before the terminal is touched: the API base URL
//! (https, or http only for loopback hosts) and the client options of resolved settings (the
//! profile's `ca_file` read and parsed). Every refusal is a sentence that says what to do;
//! the binary prints it on stderr and exits with status 2. The token is read by
//! [`crate::credentials`].

use std::net::IpAddr;

use reqwest::Url;

/// A reason not to start, worded for the operator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LaunchError(pub String);

/// Checks a base URL: https anywhere, http only on loopback, no credentials, no query.
///
/// Refusals never repeat the URL as given (it could carry a password or a token in its query
/// string, and stderr may end up in a log); they show scheme, host, port and path only.
pub fn validate_base_url(raw: &str) -> Result<Url, LaunchError> {
    let url = Url::parse(raw.trim()).map_err(|err| {
        LaunchError(format!(
            "The base URL is not a valid URL ({err}). Pass --base-url \
             https://v1.api.altostrat.io or set SDX_KEYS_BASE_URL."
        ))
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(LaunchError(
            "The base URL contains a user name or password. Remove it; the token is read from \
             ALTOSTRAT_TOKEN."
                .into(),
        ));
    }
    let shown = redacted(&url);
    if url.query().is_some() || url.fragment().is_some() {
        return Err(LaunchError(format!(
            "The base URL {shown} has a query or fragment. Give only scheme, host, port and \
             an optional path prefix."
        )));
    }
    let Some(host) = url.host_str() else {
        return Err(LaunchError(format!(
            "The base URL {shown} has no host. Pass --base-url https://HOST."
        )));
    };
    match url.scheme() {
        "https" => {}
        "http" if is_loopback_host(host) => {}
        "http" => {
            return Err(LaunchError(format!(
                "The base URL {shown} uses plain http:// to a non-loopback host, which would \
                 send the token unencrypted. Use https://{host}{}.",
                url.path().trim_end_matches('/')
            )));
        }
        other => {
            return Err(LaunchError(format!(
                "The base URL {shown} uses the scheme {other:?}. Use https:// (or http:// for \
                 a local emulator on 127.0.0.1)."
            )));
        }
    }
    Ok(url)
}

/// `scheme://host[:port]/path`, without user info, query or fragment.
fn redacted(url: &Url) -> String {
    let host = url.host_str().unwrap_or("");
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    format!("{}://{host}{port}{}", url.scheme(), url.path())
}

fn is_loopback_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The client options of resolved settings: the base URL, the timeouts, and the profile's
/// `ca_file` read and parsed (a sentence naming the file when it is unusable).
pub fn client_options(
    settings: &crate::config::Settings,
) -> Result<crate::api::ClientOptions, LaunchError> {
    let mut options = crate::api::ClientOptions {
        base_url: settings.base_url.as_str().to_owned(),
        connect_timeout: settings.connect_timeout,
        request_timeout: settings.request_timeout,
        ..crate::api::ClientOptions::default()
    };
    if let Some(path) = &settings.ca_file {
        let shown = path.display();
        let pem = std::fs::read(path).map_err(|err| {
            LaunchError(format!(
                "The ca_file {shown} of the profile \"{}\" cannot be read: {err}. Fix the path \
                 in the config file.",
                settings.profile
            ))
        })?;
        let roots = reqwest::Certificate::from_pem_bundle(&pem)
            .ok()
            .filter(|roots| !roots.is_empty())
            .ok_or_else(|| {
                LaunchError(format!(
                    "The ca_file {shown} holds no PEM certificate (-----BEGIN CERTIFICATE-----). \
                     Give the CA certificate in PEM form."
                ))
            })?;
        options.extra_roots = roots;
    }
    Ok(options)
}

/// For a plain-http base URL, before anything is sent: a signed JWT is refused outright, and
/// a bare connection (nothing written) must reach a listener of our own user
/// ([`crate::api::own_listener`]). Nothing listening passes: the first request will say so.
pub fn check_plain_http(url: &Url, token: &secrecy::SecretString) -> Result<(), LaunchError> {
    check_signed_jwt(url, token)?;
    if url.scheme() != "http" {
        return Ok(());
    }
    let host = url.host_str().unwrap_or_default();
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let port = url.port_or_known_default().unwrap_or(80);
    crate::api::own_listener::check_before_start(host, port)
        .map_err(|foreign| LaunchError(format!("Refused: {foreign}.")))
}

/// A signed JWT (a real user token) never goes over plain http.
pub fn check_signed_jwt(url: &Url, token: &secrecy::SecretString) -> Result<(), LaunchError> {
    if url.scheme() == "http" && crate::claims::is_signed_jwt(token) {
        return Err(LaunchError(
            "The token is a signed JWT (a real user token), and the base URL is plain http: \
             the token would cross the machine in clear. Use https, or give the emulator's \
             own token."
                .into(),
        ));
    }
    Ok(())
}

/// `host` or `host:port` of a base URL, for the header.
pub fn display_host(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        _ => url.as_str().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        assert!(validate_base_url("https://v1.api.altostrat.io").is_ok());
        assert!(validate_base_url("http://127.0.0.1:8787").is_ok());
        assert!(validate_base_url("http://127.8.9.1:1/").is_ok());
        assert!(validate_base_url("http://localhost:8787").is_ok());
        assert!(validate_base_url("http://[::1]:8787").is_ok());
        let err = validate_base_url("http://v1.api.altostrat.io").unwrap_err();
        assert!(err.0.contains("unencrypted"), "{err}");
        assert!(validate_base_url("http://10.0.0.1").is_err());
        assert!(validate_base_url("ftp://x").is_err());
        assert!(validate_base_url("not a url").is_err());
        assert!(validate_base_url("https://user:pw@host").is_err());
        assert!(validate_base_url("https://host/?x=1").is_err());
    }

    #[test]
    fn host_for_the_header() {
        let url = validate_base_url("http://127.0.0.1:8787").unwrap();
        assert_eq!(display_host(&url), "127.0.0.1:8787");
        let url = validate_base_url("https://v1.api.altostrat.io/").unwrap();
        assert_eq!(display_host(&url), "v1.api.altostrat.io");
    }

    #[test]
    fn refusals_never_repeat_credentials_or_queries() {
        for raw in [
            "http://user:hunter2@example.com",
            "https://example.com/?token=hunter2",
            "http://example.com/#hunter2",
            "ftp://hunter2@example.com",
        ] {
            let err = validate_base_url(raw).unwrap_err();
            assert!(!err.0.contains("hunter2"), "{raw}: {err}");
        }
    }
}

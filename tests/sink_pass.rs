//! A sink command delivering into a real `pass` store: a throwaway GnuPG home and key (no
//! passphrase) and a temporary password store, `pass insert -m sdx/{id}` run as a
//! `SinkCommand`, then `pass show` must print the secret. Skipped when `pass` or `gpg` is
//! missing, except under `CI=true`, where they are required. This file must never touch the
//! operator's own GnuPG home or password store (both are always set explicitly).

mod pass_store;

use pass_store::{Store, pass_and_gpg_are_installed, pass_sink};
use sdx_keys::delivery::sink::{SINK_TIMEOUT, SinkCommand};
use secrecy::SecretString;

#[tokio::test]
async fn a_pass_sink_stores_the_secret() {
    if !pass_and_gpg_are_installed() {
        return;
    }
    let store = Store::create();
    let sink = SinkCommand::parse(&pass_sink(&store)).unwrap();
    let fake = "sdx_fake_pass_0a1b2c3d4e5f";

    let report = sink
        .run(
            &SecretString::from(fake),
            "key_test123",
            "ci key",
            SINK_TIMEOUT,
        )
        .await
        .unwrap();
    assert_eq!(report.program, "env");

    let shown = store.run("pass", &["show", "sdx/key_test123"]);
    assert!(shown.status.success(), "pass show: {shown:?}");
    assert_eq!(String::from_utf8_lossy(&shown.stdout), format!("{fake}\n"));
}

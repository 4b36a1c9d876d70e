//! Identifiers and secrets (contract §6.2 items 6–10): key ids, `alto_sk_` secrets, client ids
//! and made-up bearer tokens, all drawn from one seedable RNG so that `--seed N` makes a run
//! reproducible. Also the SHA-256 hashing of secrets: the emulator stores only the hash.
//! Nothing here logs or prints what it makes.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sha2::{Digest, Sha256};

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Characters after `api_key_` in an id.
pub const ID_SUFFIX_LEN: usize = 27;
/// Characters after `alto_sk_` in a secret.
pub const SECRET_SUFFIX_LEN: usize = 48;
/// Length of `key_prefix`: the first 13 characters of the secret.
pub const KEY_PREFIX_LEN: usize = 13;
pub const CLIENT_ID_LEN: usize = 20;

/// SHA-256 of a secret; the only form in which the emulator keeps it.
pub type SecretHash = [u8; 32];

/// The seedable source of every random value the emulator makes.
#[derive(Clone)]
pub struct Ids {
    rng: StdRng,
}

impl Ids {
    /// Seeded when `seed` is given (reproducible), otherwise from OS entropy.
    pub fn new(seed: Option<u64>) -> Ids {
        let rng = match seed {
            Some(seed) => StdRng::seed_from_u64(seed),
            None => StdRng::from_os_rng(),
        };
        Ids { rng }
    }

    fn push_base62(&mut self, out: &mut String, n: usize) {
        out.extend((0..n).map(|_| BASE62[self.rng.random_range(0..62)] as char));
    }

    /// `api_key_` + 27 base62 characters.
    pub fn key_id(&mut self) -> String {
        let mut id = String::with_capacity(8 + ID_SUFFIX_LEN);
        id.push_str("api_key_");
        self.push_base62(&mut id, ID_SUFFIX_LEN);
        id
    }

    /// `alto_sk_` + 48 base62 characters.
    pub fn secret(&mut self) -> String {
        let mut secret = String::with_capacity(8 + SECRET_SUFFIX_LEN);
        secret.push_str("alto_sk_");
        self.push_base62(&mut secret, SECRET_SUFFIX_LEN);
        secret
    }

    /// 20 base62 characters, fixed for a key's whole life.
    pub fn client_id(&mut self) -> String {
        let mut id = String::with_capacity(CLIENT_ID_LEN);
        self.push_base62(&mut id, CLIENT_ID_LEN);
        id
    }

    /// A made-up bearer token for `sdx-keys emulator` started without `--token`.
    pub fn token(&mut self) -> String {
        let mut token = String::with_capacity(4 + 32);
        token.push_str("emu_");
        self.push_base62(&mut token, 32);
        token
    }
}

/// The visible prefix of a secret (its first 13 characters).
pub fn key_prefix(secret: &str) -> String {
    secret.chars().take(KEY_PREFIX_LEN).collect()
}

pub fn hash_secret(secret: &str) -> SecretHash {
    Sha256::digest(secret.as_bytes()).into()
}

/// Whether `id` matches `^api_key_[0-9A-Za-z]{27}$`.
pub fn is_key_id(id: &str) -> bool {
    id.strip_prefix("api_key_").is_some_and(|rest| {
        rest.len() == ID_SUFFIX_LEN && rest.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_match_the_contract() {
        let mut ids = Ids::new(None);
        for _ in 0..200 {
            let id = ids.key_id();
            assert!(is_key_id(&id), "{id}");
            let secret = ids.secret();
            assert_eq!(secret.len(), 56);
            assert!(secret.starts_with("alto_sk_"));
            assert!(secret[8..].bytes().all(|b| b.is_ascii_alphanumeric()));
            assert_eq!(key_prefix(&secret), secret[..13]);
            let client = ids.client_id();
            assert_eq!(client.len(), 20);
            assert!(client.bytes().all(|b| b.is_ascii_alphanumeric()));
        }
    }

    #[test]
    fn a_seed_makes_values_reproducible() {
        let mut a = Ids::new(Some(7));
        let mut b = Ids::new(Some(7));
        let mut c = Ids::new(Some(8));
        let run = |ids: &mut Ids| (ids.key_id(), ids.secret(), ids.client_id());
        let (ra, rb, rc) = (run(&mut a), run(&mut b), run(&mut c));
        assert_eq!(ra, rb);
        assert_ne!(ra, rc);
    }

    #[test]
    fn id_pattern_rejects_near_misses() {
        assert!(!is_key_id("api_key_2m3h5n7k9j8g7f6e5d4c3b2a"));
        assert!(!is_key_id("api_key_AAAAAAAAAAAAAAAAAAAAAAAAAA-"));
        assert!(!is_key_id("API_KEY_AAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        assert!(is_key_id("api_key_AAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    }
}

//! The emulator's data (contract §6.1–6.7): organisations and their keys, the bearer tokens
//! that act for them, and the SHA-256 hashes of live secrets. It owns every mutation (create,
//! rotate, delete, last-used stamps, reset) and the cached list bodies; it knows nothing of
//! HTTP. Secrets are returned once from `create`/`rotate` and never stored in the clear.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use axum::body::Bytes;
use jiff::Timestamp;
use serde::Serialize;

use super::ids::{self, Ids, SecretHash};

/// The organisation that `--token` tokens and `--generate-keys` keys belong to.
pub const DEFAULT_ORG: &str = "org_default";

/// What a bearer token may do.
#[derive(Debug, Clone)]
pub struct Principal {
    pub org_id: String,
    pub manage_keys: bool,
    /// `None`: every catalogue scope.
    pub grantable: Option<Arc<HashSet<String>>>,
}

impl Principal {
    pub fn may_grant(&self, scope: &str) -> bool {
        match &self.grantable {
            None => crate::catalogue::Catalogue::builtin().contains(scope),
            Some(set) => set.contains(scope),
        }
    }
}

/// Who made an authenticated call.
#[derive(Debug, Clone)]
pub enum Caller {
    Token(Principal),
    /// A live API-key secret (its use has been stamped as `last_used_at`).
    Key {
        org_id: String,
        id: String,
    },
}

/// One key as stored: metadata plus the hash of its current secret.
#[derive(Debug, Clone)]
pub struct StoredKey {
    pub id: String,
    pub name: String,
    pub key_prefix: String,
    pub client_id: String,
    pub created_at: Timestamp,
    pub permissions: Vec<String>,
    pub last_used_at: Option<Timestamp>,
    pub secret_hash: SecretHash,
}

/// The `ApiKey` JSON object of contract §3.1, in the documented field order.
#[derive(Serialize)]
pub struct KeyView<'a> {
    id: &'a str,
    object: &'static str,
    name: &'a str,
    key_prefix: &'a str,
    client_id: &'a str,
    created_at: Timestamp,
    status: &'static str,
    permissions: &'a [String],
    last_used_at: Option<Timestamp>,
}

impl StoredKey {
    pub fn view(&self) -> KeyView<'_> {
        KeyView {
            id: &self.id,
            object: "api_key",
            name: &self.name,
            key_prefix: &self.key_prefix,
            client_id: &self.client_id,
            created_at: self.created_at,
            status: "active",
            permissions: &self.permissions,
            last_used_at: self.last_used_at,
        }
    }
}

/// Keys of one organisation, kept in list order (created_at, then id).
#[derive(Debug, Clone, Default)]
pub struct Org {
    keys: BTreeMap<(Timestamp, String), StoredKey>,
    created: HashMap<String, Timestamp>,
    list_cache: Option<Bytes>,
}

impl Org {
    fn get_mut(&mut self, id: &str) -> Option<&mut StoredKey> {
        let created = *self.created.get(id)?;
        self.list_cache = None;
        self.keys.get_mut(&(created, id.to_owned()))
    }

    pub fn get(&self, id: &str) -> Option<&StoredKey> {
        let created = *self.created.get(id)?;
        self.keys.get(&(created, id.to_owned()))
    }

    fn insert(&mut self, key: StoredKey) {
        self.list_cache = None;
        self.created.insert(key.id.clone(), key.created_at);
        self.keys.insert((key.created_at, key.id.clone()), key);
    }

    fn remove(&mut self, id: &str) -> Option<StoredKey> {
        let created = self.created.remove(id)?;
        self.list_cache = None;
        self.keys.remove(&(created, id.to_owned()))
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The compact JSON array of every key, built once per change.
    fn list_body(&mut self) -> Bytes {
        if let Some(body) = &self.list_cache {
            return body.clone();
        }
        let views: Vec<KeyView<'_>> = self.keys.values().map(StoredKey::view).collect();
        let body = Bytes::from(serde_json::to_vec(&views).unwrap_or_else(|_| b"[]".to_vec()));
        self.list_cache = Some(body.clone());
        body
    }
}

/// The mutable part of the emulator, cloned whole for `reset`.
#[derive(Clone)]
pub struct Data {
    orgs: HashMap<String, Org>,
    /// Hash of every live secret → (org, key id).
    secrets: HashMap<SecretHash, (String, String)>,
    ids: Ids,
}

/// A key that has just been issued a secret (create or rotate). The secret leaves here once.
pub struct Issued {
    pub key: StoredKey,
    pub secret: String,
}

/// All state: fixed tokens, live data, and the snapshot `reset` returns to.
pub struct Store {
    tokens: HashMap<String, Principal>,
    data: Data,
    initial: Data,
}

/// A key to seed the store with (from fixtures or the generator); id and secrets are made here
/// unless given.
pub struct SeedKey {
    pub id: Option<String>,
    pub name: String,
    pub permissions: Vec<String>,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

impl Data {
    pub fn new(ids: Ids) -> Data {
        Data {
            orgs: HashMap::new(),
            secrets: HashMap::new(),
            ids,
        }
    }

    pub fn ensure_org(&mut self, org_id: &str) {
        self.orgs.entry(org_id.to_owned()).or_default();
    }

    /// Adds a key with a fresh (random) secret that nobody sees; only its hash is kept.
    pub fn seed_key(&mut self, org_id: &str, seed: SeedKey) -> String {
        let id = seed.id.unwrap_or_else(|| self.ids.key_id());
        let secret = self.ids.secret();
        let client_id = self.ids.client_id();
        let key = StoredKey {
            id: id.clone(),
            name: seed.name,
            key_prefix: ids::key_prefix(&secret),
            client_id,
            created_at: seed.created_at,
            permissions: seed.permissions,
            last_used_at: seed.last_used_at,
            secret_hash: ids::hash_secret(&secret),
        };
        self.secrets
            .insert(key.secret_hash, (org_id.to_owned(), id.clone()));
        self.orgs.entry(org_id.to_owned()).or_default().insert(key);
        id
    }
}

impl Store {
    pub fn new(tokens: HashMap<String, Principal>, data: Data) -> Store {
        Store {
            tokens,
            initial: data.clone(),
            data,
        }
    }

    /// Restores the data (keys, secrets and the RNG) exactly as at start.
    pub fn reset(&mut self) {
        self.data = self.initial.clone();
    }

    /// Identifies a bearer value: a configured token, or a live key secret. Nothing is
    /// stamped here: a key's use counts only when a call accepts it ([`Store::stamp_use`]),
    /// never when the call is refused.
    pub fn authenticate(&self, bearer: &str) -> Option<Caller> {
        if let Some(principal) = self.tokens.get(bearer) {
            return Some(Caller::Token(principal.clone()));
        }
        if !bearer.starts_with("alto_sk_") {
            return None;
        }
        let (org_id, id) = self.data.secrets.get(&ids::hash_secret(bearer))?.clone();
        self.data.orgs.get(&org_id)?.get(&id)?;
        Some(Caller::Key { org_id, id })
    }

    /// A call authenticated by a key's secret succeeded: its `last_used_at` becomes `now`.
    pub fn stamp_use(&mut self, org_id: &str, id: &str, now: Timestamp) {
        if let Some(key) = self
            .data
            .orgs
            .get_mut(org_id)
            .and_then(|org| org.get_mut(id))
        {
            key.last_used_at = Some(now);
        }
    }

    #[cfg(test)]
    pub fn org(&self, org_id: &str) -> Option<&Org> {
        self.data.orgs.get(org_id)
    }

    pub fn list_body(&mut self, org_id: &str) -> Bytes {
        match self.data.orgs.get_mut(org_id) {
            Some(org) => org.list_body(),
            None => Bytes::from_static(b"[]"),
        }
    }

    pub fn get(&self, org_id: &str, id: &str) -> Option<StoredKey> {
        self.data.orgs.get(org_id)?.get(id).cloned()
    }

    pub fn create(
        &mut self,
        org_id: &str,
        name: String,
        permissions: Vec<String>,
        now: Timestamp,
    ) -> Issued {
        let ids = &mut self.data.ids;
        let mut id = ids.key_id();
        while self.data.orgs.values().any(|o| o.created.contains_key(&id)) {
            id = ids.key_id();
        }
        let secret = ids.secret();
        let key = StoredKey {
            id: id.clone(),
            name,
            key_prefix: ids::key_prefix(&secret),
            client_id: ids.client_id(),
            created_at: now,
            permissions,
            last_used_at: None,
            secret_hash: ids::hash_secret(&secret),
        };
        self.data
            .secrets
            .insert(key.secret_hash, (org_id.to_owned(), id));
        self.data
            .orgs
            .entry(org_id.to_owned())
            .or_default()
            .insert(key.clone());
        Issued { key, secret }
    }

    /// A new secret for the key; the old one stops authenticating at once.
    pub fn rotate(&mut self, org_id: &str, id: &str) -> Option<Issued> {
        let secret = self.data.ids.secret();
        let key = self.data.orgs.get_mut(org_id)?.get_mut(id)?;
        self.data.secrets.remove(&key.secret_hash);
        key.secret_hash = ids::hash_secret(&secret);
        key.key_prefix = ids::key_prefix(&secret);
        self.data
            .secrets
            .insert(key.secret_hash, (org_id.to_owned(), id.to_owned()));
        Some(Issued {
            key: key.clone(),
            secret,
        })
    }

    pub fn delete(&mut self, org_id: &str, id: &str) -> bool {
        let Some(key) = self.data.orgs.get_mut(org_id).and_then(|o| o.remove(id)) else {
            return false;
        };
        self.data.secrets.remove(&key.secret_hash);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Store {
        let mut tokens = HashMap::new();
        tokens.insert(
            "t".to_owned(),
            Principal {
                org_id: DEFAULT_ORG.into(),
                manage_keys: true,
                grantable: None,
            },
        );
        let mut data = Data::new(Ids::new(Some(1)));
        data.ensure_org(DEFAULT_ORG);
        Store::new(tokens, data)
    }

    #[test]
    fn rotate_invalidates_the_old_secret_and_delete_the_new_one() {
        let mut store = store();
        let now = Timestamp::from_second(1_700_000_000).unwrap();
        let issued = store.create(DEFAULT_ORG, "abc".into(), vec!["sites:read".into()], now);
        assert!(store.authenticate(&issued.secret).is_some());
        let rotated = store.rotate(DEFAULT_ORG, &issued.key.id).unwrap();
        assert!(store.authenticate(&issued.secret).is_none());
        assert!(store.authenticate(&rotated.secret).is_some());
        assert_eq!(rotated.key.client_id, issued.key.client_id);
        assert!(store.delete(DEFAULT_ORG, &issued.key.id));
        assert!(store.authenticate(&rotated.secret).is_none());
        assert!(!store.delete(DEFAULT_ORG, &issued.key.id));
    }

    #[test]
    fn reset_restores_data_and_randomness() {
        let mut store = store();
        let now = Timestamp::from_second(1_700_000_000).unwrap();
        let first = store.create(DEFAULT_ORG, "abc".into(), vec!["a".into()], now);
        store.reset();
        assert!(store.org(DEFAULT_ORG).unwrap().is_empty());
        let again = store.create(DEFAULT_ORG, "abc".into(), vec!["a".into()], now);
        assert_eq!(first.key.id, again.key.id);
        assert_eq!(first.secret, again.secret);
    }
}

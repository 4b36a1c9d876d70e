//! The key list's part of the model: fetching it (a refresh coalesced with one already on
//! its way), taking the answer (stale ones dropped, the selection kept on the same key), and
//! keeping the view in step with the sort and the filter.

use crate::api::{ApiError, ApiKey, ApiReply, ApiRequest, ApiResponse, RequestId};

use super::filter::Change;
use super::notice::Severity;
use super::remote::Remote;
use super::{App, Effect, REFRESH_COALESCE};

impl App {
    /// `r`/F5: a new list request, unless one started less than [`REFRESH_COALESCE`] ago is
    /// still in flight (holding `r` must not flood the API; that request brings fresh data
    /// anyway). A request in flight for longer is superseded: its reply will be stale.
    pub(super) fn refresh(&mut self, effects: &mut Vec<Effect>) {
        let recent = self.keys.awaiting().is_some()
            && self.fetch_started.is_some_and(|started| {
                self.now.duration_since(started)
                    < jiff::SignedDuration::try_from(REFRESH_COALESCE).unwrap_or_default()
            });
        if !recent {
            self.fetch(effects);
        }
    }

    pub(super) fn fetch(&mut self, effects: &mut Vec<Effect>) -> RequestId {
        let id = self.new_request_id();
        self.keys.request(id);
        self.fetch_started = Some(self.now);
        effects.push(Effect::Api(id, ApiRequest::ListKeys));
        id
    }

    pub(super) fn on_reply(&mut self, reply: ApiReply, effects: &mut Vec<Effect>) {
        if self.keys.awaiting() != Some(reply.id) {
            return; // stale: an older request, or nothing awaited
        }
        let list_request = reply.id;
        self.fetch_started = None;
        let result = match reply.result {
            Ok(ApiResponse::Keys(list)) => {
                if let Some(sentence) = list.cuts.sentence() {
                    self.raise(Severity::Warning, sentence);
                }
                Ok(list.keys)
            }
            Ok(_) => Err(ApiError::Decode {
                detail: "the answer to the key list request was not a list".into(),
            }),
            Err(error) => Err(error),
        };
        match (result, &mut self.keys) {
            (Ok(keys), _) => {
                self.load(keys);
                self.after_list(list_request, effects);
            }
            (Err(error), Remote::Ready(_, refreshing)) => {
                *refreshing = None;
                self.raise(
                    Severity::Error,
                    format!("Refresh failed: {}", error.user_message()),
                );
                self.list_failed(list_request, &error);
            }
            (Err(error), state) => {
                *state = Remote::Failed(error.clone());
                self.list_failed(list_request, &error);
            }
        }
    }

    /// Takes a new list, keeping the selection on the same key id if it still exists.
    pub(super) fn load(&mut self, keys: Vec<ApiKey>) {
        // A key just created is the one to select; else the one the user chose last.
        let preferred_id = self.select_on_load.take().or_else(|| {
            self.view
                .preferred()
                .and_then(|i| self.keys().get(i))
                .map(|k| k.id.clone())
        });
        let preferred = preferred_id.and_then(|id| keys.iter().position(|k| k.id == id));
        self.keys = Remote::Ready(keys, None);
        self.view.set_preferred(preferred);
        self.resort();
    }

    pub(super) fn resort(&mut self) {
        let keys = self.keys.value().map(Vec::as_slice).unwrap_or(&[]);
        self.sort.order(keys, &mut self.view.order);
        self.filter.sync();
        self.rebuild_visible();
    }

    pub(super) fn rebuild_visible(&mut self) {
        let keys = self.keys.value().map(Vec::as_slice).unwrap_or(&[]);
        let (view, filter) = (&mut self.view, &mut self.filter);
        filter.now = self.now;
        view.visible.clear();
        if filter.is_active() {
            view.visible.extend(
                view.order
                    .iter()
                    .copied()
                    .filter(|&i| filter.matches(&keys[i])),
            );
        } else {
            view.visible.extend_from_slice(&view.order);
        }
        let rows = self.list_rows();
        self.view.reselect(rows);
    }

    /// `u` / `w`: turns a quick filter on or off, keeping the selected key if it stays.
    pub(super) fn toggle_quick(&mut self, unused: bool) {
        if unused {
            self.filter.unused = !self.filter.unused;
        } else {
            self.filter.risky = !self.filter.risky;
        }
        self.view.set_preferred(self.view.selected_key());
        self.rebuild_visible();
    }

    /// Applies the filter text after an edit, narrowing the previous result when possible.
    pub(super) fn refilter(&mut self) {
        match self.filter.sync() {
            Change::Same => {}
            Change::Narrower => {
                let keys = self.keys.value().map(Vec::as_slice).unwrap_or(&[]);
                let filter = &mut self.filter;
                self.view.visible.retain(|&i| filter.matches(&keys[i]));
                let rows = self.list_rows();
                self.view.reselect(rows);
            }
            Change::Different => self.rebuild_visible(),
        }
    }
}

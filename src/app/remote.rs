//! `Remote<T>`: a value fetched from the API, with the id of the request in flight.
//!
//! Owns the rule that a reply is only accepted when its `RequestId` is the awaited one
//! (stale replies are dropped), and the distinction the screen shows: nothing yet, a first
//! load, a value (possibly being refreshed), or a failed first load. It holds no UI state.

use crate::api::{ApiError, RequestId};

/// The state of one fetched value.
pub enum Remote<T> {
    /// Nothing asked yet.
    Idle,
    /// First load (or a retry after a failure): nothing to show but a spinner.
    Loading(RequestId),
    /// A value, and the id of a refresh in flight, if any.
    Ready(T, Option<RequestId>),
    /// The load failed and there is no value to show.
    Failed(ApiError),
}

impl<T> Remote<T> {
    /// The id of the request whose reply is awaited.
    pub fn awaiting(&self) -> Option<RequestId> {
        match self {
            Remote::Loading(id) | Remote::Ready(_, Some(id)) => Some(*id),
            _ => None,
        }
    }

    pub fn value(&self) -> Option<&T> {
        match self {
            Remote::Ready(value, _) => Some(value),
            _ => None,
        }
    }

    pub fn value_mut(&mut self) -> Option<&mut T> {
        match self {
            Remote::Ready(value, _) => Some(value),
            _ => None,
        }
    }

    /// Marks a new request in flight: a refresh when a value is shown, else a (re)load.
    pub fn request(&mut self, id: RequestId) {
        match self {
            Remote::Ready(_, refreshing) => *refreshing = Some(id),
            _ => *self = Remote::Loading(id),
        }
    }

    pub fn is_refreshing(&self) -> bool {
        matches!(self, Remote::Ready(_, Some(_)))
    }
}

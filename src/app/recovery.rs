//! The recovery screen's state: keys whose secret was issued (on create or rotate) but never
//! confirmed saved, found in the creation journal at start-up or after a create whose answer
//! was lost. For each the operator chooses: rotate it now (a new secret, on the reveal screen),
//! delete it, or keep it (recorded as kept). Nothing here sends anything; the app does.

use jiff::Timestamp;

use crate::api::KeyId;
use crate::journal::{Operation, RecordId};

/// Where one item stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemState {
    Open,
    /// A rotate or delete of it is in flight.
    Working,
    Kept,
    Deleted,
    Rotated,
    /// The last action failed; it can be tried again.
    Failed(String),
}

impl ItemState {
    pub fn is_settled(&self) -> bool {
        matches!(
            self,
            ItemState::Kept | ItemState::Deleted | ItemState::Rotated
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub record: RecordId,
    pub op: Operation,
    pub key_id: KeyId,
    pub name: String,
    /// When the create or rotate was asked for.
    pub at: Timestamp,
    /// Found by name after a create whose answer was lost (not by a recorded id).
    pub guessed: bool,
    pub state: ItemState,
}

#[derive(Debug, Clone, Default)]
pub struct Recovery {
    items: Vec<Item>,
    selected: usize,
    /// Found right after a create whose answer was lost (not at start-up).
    pub after_lost_answer: bool,
}

impl Recovery {
    pub fn new(items: Vec<Item>, after_lost_answer: bool) -> Recovery {
        Recovery {
            items,
            selected: 0,
            after_lost_answer,
        }
    }

    pub fn items(&self) -> &[Item] {
        &self.items
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn selected_item(&self) -> Option<&Item> {
        self.items.get(self.selected)
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.items.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// Adds items found later (a rotate whose answer was lost while this screen waited).
    pub fn extend(&mut self, items: Vec<Item>) {
        self.items.extend(items);
    }

    /// Every item is kept, deleted or rotated.
    pub fn is_done(&self) -> bool {
        self.items.iter().all(|i| i.state.is_settled())
    }

    pub fn set_state(&mut self, key_id: &KeyId, state: ItemState) {
        for item in self.items.iter_mut().filter(|i| &i.key_id == key_id) {
            item.state = state.clone();
        }
    }

    /// Other items of the same journal record (several keys found by name) are settled as
    /// the record is: only one of them can be the key that was created.
    pub fn item_for(&self, key_id: &KeyId) -> Option<&Item> {
        self.items.iter().find(|i| &i.key_id == key_id)
    }
}

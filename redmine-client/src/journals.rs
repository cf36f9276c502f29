//! Journals: the entries of an issue's history, each a note, a set of field changes, or both.
//!
//! Journals are read through an issue (`get_issue` with [`IssueInclude::Journals`]); Redmine has
//! no endpoint to list or fetch them alone. This module owns the journal model and the one call
//! that edits a journal's notes (`PUT /journals/{id}.json`).
//!
//! [`IssueInclude::Journals`]: crate::issues::IssueInclude::Journals

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::error::Result;
use crate::ids::{JournalId, UserId};
use crate::models::IdName;
use crate::request::{Body, Route};

/// One entry of an issue's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Journal {
    /// The journal's id.
    pub id: JournalId,
    /// Who made the change.
    pub user: Option<IdName<UserId>>,
    /// The note, empty or absent when the entry only records field changes.
    pub notes: Option<String>,
    /// When the change was made.
    pub created_on: Option<Timestamp>,
    /// When the note was last edited.
    pub updated_on: Option<Timestamp>,
    /// Who last edited the note, if anyone did.
    pub updated_by: Option<IdName<UserId>>,
    /// Whether the note is visible only to users allowed to see private notes.
    #[serde(default)]
    pub private_notes: bool,
    /// The fields this entry changed.
    #[serde(default)]
    pub details: Vec<JournalDetail>,
}

impl Journal {
    /// The note, if this entry has a non-empty one.
    pub fn note(&self) -> Option<&str> {
        self.notes.as_deref().filter(|notes| !notes.is_empty())
    }
}

/// One field change recorded in a journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JournalDetail {
    /// What kind of field changed: `attr` (a built-in attribute), `cf` (a custom field),
    /// `attachment` or `relation`.
    pub property: String,
    /// Which field: an attribute name such as `status_id`, a custom field id, an attachment id
    /// or a relation type.
    pub name: String,
    /// The value before, as text.
    pub old_value: Option<String>,
    /// The value after, as text.
    pub new_value: Option<String>,
}

/// A new text for a journal's note (`PUT /journals/{id}.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct JournalUpdate {
    notes: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    private_notes: Option<bool>,
}

impl JournalUpdate {
    /// Replaces the note with `notes`.
    ///
    /// An empty note on an entry that records no field change removes the entry from the
    /// issue's history: Redmine 5.0 deletes it, later releases keep it (with who emptied it)
    /// but leave it out of `get_issue` until it has a note again.
    pub fn new(notes: impl Into<String>) -> Self {
        Self { notes: notes.into(), private_notes: None }
    }

    setters! {
        /// Makes the note private or public.
        private_notes => private_notes: bool;
    }
}

impl Client {
    /// Edits the note of journal `id`. Needs the "Edit notes" (or "Edit own notes")
    /// permission.
    pub async fn update_journal(&self, id: JournalId, update: &JournalUpdate) -> Result<()> {
        let route = Route::put("/journals/{id}.json").arg(id);
        self.send_no_content(route, Body::wrapped("journal", update)?).await
    }
}

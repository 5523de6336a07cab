//! The open scenario file: its text, what is saved on disk, the engine's latest
//! check of it, and crash-recovery autosave.
//!
//! File access goes through `drill_engine::io` (UTF-8 check, atomic writes).

use crate::check::{Checked, check_source, keep_last_valid};
use crate::recovery::{Autosave, recovery_path, worth_offering};
use bevy::prelude::*;
use drill_engine::io;
use std::path::{Path, PathBuf};

/// Seconds of no typing before the text is checked again.
const CHECK_DEBOUNCE_S: f64 = 0.25;

#[derive(Resource)]
pub struct Document {
    pub path: Option<PathBuf>,
    pub text: String,
    /// The text as last read from or written to `path`.
    pub saved_text: String,
    pub checked: Checked,
    /// Bumped on every edit; `checked` is current when `checked_rev == rev`.
    pub rev: u64,
    checked_rev: u64,
    last_edit_s: f64,
    /// Recovered unsaved text waiting for the user to restore or discard it.
    pub recovered: Option<String>,
    /// A byte offset the text pane should move the cursor to and scroll to.
    pub jump_to: Option<usize>,
    /// The last file operation's outcome, shown in the status bar.
    pub status: Option<String>,
    pub autosave: Autosave,
}

impl Document {
    /// An empty document (a path that does not exist yet opens empty and is created on save).
    pub fn new(path: Option<PathBuf>, autosave_s: f64) -> Self {
        Document {
            checked: check_source("", path.as_deref()),
            path,
            text: String::new(),
            saved_text: String::new(),
            rev: 0,
            checked_rev: 0,
            last_edit_s: 0.0,
            recovered: None,
            jump_to: None,
            status: None,
            autosave: Autosave::new(autosave_s),
        }
    }

    /// Opens `path`: reads it (if it exists) and any recovery file left by a crash.
    pub fn open(path: PathBuf, autosave_s: f64) -> Self {
        let mut doc = Document::new(Some(path.clone()), autosave_s);
        if path.exists() {
            match io::read_text(&path) {
                Ok(text) => {
                    doc.text = text.clone();
                    doc.saved_text = text;
                }
                Err(e) => doc.status = Some(e),
            }
        }
        let recovery = recovery_path(Some(&path));
        let recovered = recovery
            .exists()
            .then(|| io::read_text(&recovery).ok())
            .flatten();
        doc.recovered = worth_offering(&doc.saved_text, recovered);
        doc.checked = check_source(&doc.text, doc.path.as_deref());
        doc
    }

    pub fn dirty(&self) -> bool {
        self.text != self.saved_text
    }

    pub fn display_name(&self, untitled: &str) -> String {
        self.path
            .as_deref()
            .and_then(Path::file_name)
            .map_or_else(|| untitled.to_owned(), |n| n.to_string_lossy().into_owned())
    }

    /// Call after changing `text`.
    pub fn edited(&mut self, now_s: f64) {
        self.rev += 1;
        self.last_edit_s = now_s;
    }

    pub fn save(&mut self) {
        let Some(path) = self.path.clone() else {
            self.status = Some("no file name: open a path first / 请先指定文件路径".into());
            return;
        };
        match io::write_atomic(&path, self.text.as_bytes()) {
            Ok(()) => {
                self.saved_text = self.text.clone();
                self.status = Some(format!("saved {}", path.display()));
                let _ = std::fs::remove_file(recovery_path(Some(&path)));
                self.autosave.reset();
            }
            Err(e) => self.status = Some(e),
        }
    }

    /// Accepts or rejects the offered recovery text.
    pub fn resolve_recovery(&mut self, restore: bool, now_s: f64) {
        if let Some(text) = self.recovered.take() {
            if restore {
                self.text = text;
                self.edited(now_s);
            } else {
                let _ = std::fs::remove_file(recovery_path(self.path.as_deref()));
            }
        }
    }
}

/// Keeps the document checked and autosaved.
pub struct DocumentPlugin {
    pub path: Option<PathBuf>,
    pub autosave_s: f64,
    pub type_text: Option<String>,
}

impl Plugin for DocumentPlugin {
    fn build(&self, app: &mut App) {
        let mut doc = match &self.path {
            Some(p) => Document::open(p.clone(), self.autosave_s),
            None => Document::new(None, self.autosave_s),
        };
        if let Some(typed) = &self.type_text {
            doc.text.push_str(typed);
            doc.edited(0.0);
        }
        app.insert_resource(doc)
            .add_systems(Update, (recheck, autosave));
    }
}

fn recheck(mut doc: ResMut<Document>, time: Res<Time<Real>>) {
    let now = time.elapsed_secs_f64();
    if doc.rev != doc.checked_rev && now - doc.last_edit_s >= CHECK_DEBOUNCE_S {
        let fresh = check_source(&doc.text, doc.path.as_deref());
        let old = std::mem::take(&mut doc.checked);
        doc.checked = keep_last_valid(fresh, old);
        doc.checked_rev = doc.rev;
    }
}

fn autosave(mut doc: ResMut<Document>, time: Res<Time<Real>>) {
    let now = time.elapsed_secs_f64();
    let doc = &mut *doc;
    if doc.recovered.is_some() {
        // Never overwrite a recovery file the user has not looked at yet.
        return;
    }
    if doc.autosave.due(now, &doc.text, &doc.saved_text) {
        let path = recovery_path(doc.path.as_deref());
        if let Err(e) = io::write_atomic(&path, doc.text.as_bytes()) {
            doc.status = Some(e);
        }
    }
}

//! 当前文档 — the open scenario and what is built from it, shared by every mode: the
//! document (text, autosave, crash recovery, one undo history for typing and map edits), the engine's check
//! of it, the map edits written back into its text, and the engine run built from a
//! checked scenario.

pub mod check;
pub mod document;
pub mod drill;
pub mod map_edit;
pub mod recovery;

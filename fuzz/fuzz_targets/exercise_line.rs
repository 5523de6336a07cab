//! A line typed into `drill exercise`, as bytes: decoding and reading it never panic,
//! and an action it is taken for prints to a log line that reads back as the same
//! action (what the log gets is what the drill ran).
#![no_main]

use drill_engine::cli::exercise::{Entry, Input, entry, typed_text};
use drill_engine::lang::print;
use drill_fuzz::scenario;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = scenario();
    let header = print::action_log_header(s);
    let Some(Ok(line)) = typed_text(Input::Line(data.to_vec()), 1) else {
        return;
    };
    if let Entry::Action(action, _) = entry(s, &header, &line, 1) {
        let logged = print::action_line(s, &action);
        match entry(s, &header, &logged, 1) {
            Entry::Action(again, _) => assert_eq!(print::action_line(s, &again), logged),
            other => panic!("{logged:?} read back as {other:?}"),
        }
    }
});

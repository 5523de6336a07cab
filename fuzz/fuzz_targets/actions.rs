//! Action logs against the 竹源村 example scenario: `check_actions` never panics; a
//! log that checks reads back the same from its printed lines (`lang::print`); and
//! `io::ActionLogFile` either refuses the file untouched or adds a line to it that
//! keeps every byte it held and, for a log that checked, one more action.
#![no_main]

use drill_engine::io::ActionLogFile;
use drill_engine::lang::{self, SourceMap, print};
use drill_fuzz::scenario;
use drill_engine::model::ActionLog;
use libfuzzer_sys::fuzz_target;

fn check(text: &str) -> Option<ActionLog> {
    let mut sources = SourceMap::new();
    let file = sources.add("log.actions.drill", text);
    lang::check_actions(scenario(), &sources, file).0
}

fn printed(log: &ActionLog) -> Vec<String> {
    let s = scenario();
    let mut lines: Vec<String> = log.actions.iter().map(|a| print::action_line(s, a)).collect();
    lines.extend(log.inject_commands.iter().map(|c| print::inject_command_line(s, c)));
    lines
}

fn is_subsequence(old: &str, new: &str) -> bool {
    let mut rest = new.chars();
    old.chars().all(|c| rest.any(|n| n == c))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let header = print::action_log_header(scenario());
    let log = check(text);
    if let Some(log) = &log {
        let again = format!("{header}\n  {}\n}}\n", printed(log).join("\n  "));
        let reread = check(&again).expect("printed lines check");
        assert_eq!(printed(&reread), printed(log));
    }
    let dir = std::env::temp_dir().join(format!("drill-fuzz-actions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("log.actions.drill");
    std::fs::write(&path, data).unwrap();
    match ActionLogFile::open(&path, &header) {
        Err(_) => assert_eq!(std::fs::read(&path).unwrap(), data, "a refused log is untouched"),
        Ok((mut file, now)) => {
            file.append("20:52 乡现场指挥官 report_at_post").unwrap();
            let after = std::fs::read_to_string(&path).unwrap();
            assert!(is_subsequence(text, &after), "every byte kept:\n{text:?}\n{after:?}");
            if let Some(before) = check(&now) {
                let grown = check(&after).expect("a log that checked still checks");
                assert_eq!(grown.actions.len(), before.actions.len() + 1);
            }
        }
    }
});

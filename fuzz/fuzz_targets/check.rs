//! The front end on any text: `lang::check` never panics, gives a scenario exactly
//! when it reports no error, and tells a log from a scenario as a full parse does.
#![no_main]

use drill_engine::lang;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (_, result) = lang::check_text("fuzz.drill", text);
    assert_eq!(result.scenario.is_some(), !result.has_errors());
    let _ = lang::action_log_scenario_id(text);
});

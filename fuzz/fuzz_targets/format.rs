//! The format round trip: `drill fmt` is idempotent on every text it accepts, and
//! the formatted text checks with the same diagnostics (by code) as the original.
#![no_main]

use drill_engine::lang;
use libfuzzer_sys::fuzz_target;

fn codes(text: &str) -> Vec<&'static str> {
    let (_, result) = lang::check_text("fuzz.drill", text);
    let mut codes: Vec<_> = result.diagnostics.iter().map(|d| d.code).collect();
    codes.sort_unstable();
    codes
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(formatted) = lang::format(text) else {
        return;
    };
    match lang::format(&formatted) {
        Ok(again) => assert_eq!(again, formatted, "formatting is idempotent"),
        Err(d) => panic!("the formatted text does not parse: {:?}", d[0].code),
    }
    assert_eq!(codes(text), codes(&formatted), "{formatted}");
});

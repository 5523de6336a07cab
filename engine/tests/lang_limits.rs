//! The language's ranges (E0317, issue 19 item 13): each quantity no real drill has is
//! refused where it is written, on the documentation's example scenario; the example
//! itself and the bounds of each range check clean.

use drill_engine::lang;

const EXAMPLE: &str = include_str!("data/doc-example.drill");

/// The example with `from` replaced by `to` (once, where it first stands).
fn with(from: &str, to: &str) -> String {
    assert!(EXAMPLE.contains(from), "{from}");
    EXAMPLE.replacen(from, to, 1)
}

/// The text's errors, each as its code, and for E0317 also `LINE: message`.
fn errors(text: &str) -> Vec<String> {
    let (_, result) = lang::check_text("example.drill", text);
    let mut out = Vec::new();
    for d in result.diagnostics.iter().filter(|d| d.is_error()) {
        out.push(d.code.to_string());
        if d.code == "E0317" {
            let line = text[..d.primary.span.start as usize].matches('\n').count() + 1;
            out.push(format!("{line}: {}", d.message_en));
        }
    }
    out
}

#[test]
fn the_example_is_clean() {
    assert_eq!(errors(EXAMPLE), Vec::<String>::new());
}

/// Issue 19, item 13, and the other quantities with a physical range.
#[test]
fn quantities_out_of_their_range_are_refused_where_written() {
    for (from, to, says) in [
        (
            "within 30min",
            "within -30min",
            "68: `within` must be longer than 0 and at most 30 days",
        ),
        (
            "pass     75",
            "pass     -75",
            "89: the pass score must be from 0 to 100",
        ),
        (
            "members 12",
            "members 0",
            "43: `members` must be from 1 to 10000",
        ),
        (
            "上村 -> 村委会 width 4m",
            "上村 -> 村委会 width 0m",
            "19: `width` must be more than 0 m and at most 500 m",
        ),
        (
            "[0h 12, 2h 140",
            "[0h -12, 2h 140",
            "49: an inflow must be from 0 to 500000 m3/s",
        ),
        (
            "[0h 5, 1h 30",
            "[0h 5, 1h 3000",
            "48: rain must be from 0 to 1000 mm/h",
        ),
        (
            "manning 0.035",
            "manning 35",
            "50: Manning's n must be from 0.001 to 1",
        ),
        (
            "radius 600m",
            "radius 0m",
            "36: `radius` must be more than 0 m and at most 20 km",
        ),
        (
            "cell 10m",
            "cell 0.1m",
            "12: `cell` must be from 1 m to 1000 m",
        ),
        (
            "arrives 25min",
            "arrives 999h",
            "43: `arrives` must be from 0 to 30 days",
        ),
        (
            "width 8m",
            "width -8m",
            "22: a river's `width` must be more than 0 m and at most 50 km",
        ),
        (
            "timeliness 30",
            "timeliness 300",
            "86: timeliness must be from 0 to 100",
        ),
    ] {
        assert_eq!(errors(&with(from, to)), ["E0317", says], "{to}");
    }
}

#[test]
fn the_ends_of_each_range_are_accepted() {
    let ends = "within 30min => within 720h|pass     75 => pass     100|members 12 => members 1|\
                上村 -> 村委会 width 4m => 上村 -> 村委会 width 500m|[0h 12, 2h 140 => [0h 0, 2h 140|\
                manning 0.035 => manning 1|cell 10m => cell 1m|arrives 25min => arrives 0min";
    for case in ends.split('|') {
        let (from, to) = case.split_once(" => ").unwrap();
        assert_eq!(errors(&with(from, to)), Vec::<String>::new(), "{to}");
    }
}

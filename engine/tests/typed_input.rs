//! Issue 20: texts typed with a Chinese input method (full-width punctuation and
//! digits, Chinese units) are read without a panic, and every span the parser gives
//! (nodes and diagnostics) lies in the original text on character boundaries, so
//! line:col always points at what the author typed; the checker does not panic on
//! them either.

use drill_engine::lang::parse::parse;
use drill_engine::lang::syntax::{Node, NodeKind};
use proptest::prelude::*;

const FRAGMENTS: &[&str] = &[
    " ",
    "  ",
    "\n",
    "\t",
    "\u{3000}",
    "4",
    "12",
    "０",
    "１２",
    "-",
    "+",
    ".",
    "。",
    "5.",
    "米",
    "公里",
    "分钟",
    "分",
    "小时",
    "时",
    "人",
    "户",
    "毫米/小时",
    "米/秒",
    "度",
    "个",
    "村",
    "下村",
    "T3",
    "（",
    "）",
    "(",
    ")",
    "，",
    ",",
    "、",
    "：",
    ":",
    "；",
    "｛",
    "｝",
    "{",
    "}",
    "【",
    "】",
    "[",
    "]",
    "\"",
    "“",
    "”",
    "\"他说“快跑”\"",
    "// 注释，（",
    "/* 块：*/",
    "->",
    "20：35",
    "20:35",
    "2026-06-18",
    "\u{FFFD}",
    "mm/h",
    "m",
    "min",
];

fn check_spans(text: &str, nodes: &[Node<'_>]) {
    for n in nodes {
        let (s, e) = (n.span.start as usize, n.span.end as usize);
        assert!(s <= e && e <= text.len(), "{text:?}: {n:?}");
        assert!(
            text.is_char_boundary(s) && text.is_char_boundary(e),
            "{text:?}: {n:?}"
        );
        if let NodeKind::List(items) | NodeKind::Block(items) = &n.kind {
            check_spans(text, items);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn typed_texts_parse_without_panic_and_spans_stay_in_the_text(
        parts in prop::collection::vec(prop::sample::select(FRAGMENTS), 1..24)
    ) {
        let text: String = parts.concat();
        let (tree, diags) = parse(&text, 0);
        if let Some(tree) = &tree {
            check_spans(&text, &tree.nodes);
        }
        for d in &diags {
            for label in std::iter::once(&d.primary).chain(&d.secondary) {
                let (s, e) = (label.span.start as usize, label.span.end as usize);
                prop_assert!(s <= e && e <= text.len(), "{:?}: {:?}", text, d);
                prop_assert!(text.is_char_boundary(s) && text.is_char_boundary(e), "{:?}: {:?}", text, d);
            }
        }
        prop_assert!(diags.iter().filter(|d| d.code == "W0010").count() <= 1);
        // and the checker, reading what the parser recovered, does not panic either
        let (_, checked) = drill_engine::lang::check_text("typed.drill", &format!("map {{\n{text}\n}}\n"));
        let _ = checked.has_errors();
    }
}

/// A quantity's span covers the number and unit as typed.
#[test]
fn a_quantity_spans_what_was_typed() {
    let text = "宽 ４米 时长 13 小时 x";
    let (tree, _) = parse(text, 0);
    let spans: Vec<&str> = tree
        .unwrap()
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Quantity { .. }))
        .map(|n| &text[n.span.start as usize..n.span.end as usize])
        .collect();
    assert_eq!(spans, ["４米", "13 小时"]);
}

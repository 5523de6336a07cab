//! Property tests of the formatter: for generated scenarios written with random
//! spacing, blank lines, comments and a random mix of Chinese and English keywords,
//! `format` is idempotent and never changes the validated `Scenario` (spans aside).
//! Some are typed as with a Chinese input method (issue 20): full-width punctuation
//! and digits, Chinese units; `format` writes them in ASCII.

use drill_engine::lang;
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Gen {
    places: Vec<(u16, u16, u16, u8)>,
    roles: usize,
    zh: Vec<bool>,
    spaces: Vec<u8>,
    comments: Vec<bool>,
    blank: Vec<bool>,
    /// Per unit: written in Chinese (`小时`, `米`, `分钟`).
    chinese_units: Vec<bool>,
    /// Per punctuation mark or digit outside strings and comments: full-width.
    full_width: Vec<bool>,
}

fn scenarios() -> impl Strategy<Value = Gen> {
    (
        prop::collection::vec((0u16..2000, 0u16..2000, 1u16..400, 0u8..100), 1..6),
        1usize..4,
        prop::collection::vec(any::<bool>(), 64),
        prop::collection::vec(0u8..4, 256),
        prop::collection::vec(prop::bool::weighted(0.2), 64),
        prop::collection::vec(prop::bool::weighted(0.2), 64),
        prop::collection::vec(prop::bool::weighted(0.3), 16),
        prop::option::of(prop::collection::vec(prop::bool::weighted(0.2), 97)),
    )
        .prop_map(
            |(places, roles, zh, spaces, comments, blank, chinese_units, full_width)| Gen {
                places,
                roles,
                zh,
                spaces,
                comments,
                blank,
                chinese_units,
                full_width: full_width.unwrap_or_else(|| vec![false]),
            },
        )
}

/// Writes the generated scenario as a trainer might: irregular spacing included.
fn write(g: &Gen) -> String {
    let mut k = 0usize;
    let mut sp = || {
        k += 1;
        match g.spaces[k % g.spaces.len()] {
            0 => " ",
            1 => "  ",
            2 => "\t",
            _ => "   ",
        }
    };
    let mut line_no = 0usize;
    let mut lines: Vec<String> = Vec::new();
    let mut push = |lines: &mut Vec<String>, s: String| {
        line_no += 1;
        let mut s = s;
        if g.comments[line_no % g.comments.len()] && !s.ends_with('{') {
            s.push_str(" // 备注 note");
        }
        lines.push(s);
        if g.blank[line_no % g.blank.len()] {
            lines.push(String::new());
        }
    };
    let zh = |i: usize| g.zh[i % g.zh.len()];
    let kw = |i: usize, en: &'static str, cn: &'static str| if zh(i) { cn } else { en };
    let unit = |i: usize, en: &'static str, cn: &'static str| {
        if g.chinese_units[i % g.chinese_units.len()] {
            cn
        } else {
            en
        }
    };
    push(
        &mut lines,
        format!(
            "{}{}\"生成演练\"{}{{",
            kw(0, "scenario", "场景"),
            sp(),
            sp()
        ),
    );
    push(
        &mut lines,
        format!("{}{}{}gen-x", sp(), kw(1, "id", "编号"), sp()),
    );
    push(
        &mut lines,
        format!(
            "{}{}{}2026-06-18{}20:00",
            sp(),
            kw(2, "start", "开始"),
            sp(),
            sp()
        ),
    );
    push(
        &mut lines,
        format!(
            "{}{}{}12{}{}",
            sp(),
            kw(3, "duration", "时长"),
            sp(),
            sp(),
            unit(0, "h", "小时")
        ),
    );
    push(
        &mut lines,
        format!("{}{}{}42", sp(), kw(4, "seed", "种子"), sp()),
    );
    push(&mut lines, "}".into());
    push(&mut lines, format!("{}{}{{", kw(5, "map", "地图"), sp()));
    // Half the maps are georeferenced (issue 21): an origin, in GCJ-02.
    if g.places.len() % 2 == 0 {
        push(
            &mut lines,
            format!(
                "{}{}{}(119.53,{}30.24)",
                sp(),
                kw(9, "origin", "原点"),
                sp(),
                sp()
            ),
        );
        push(
            &mut lines,
            format!(
                "{}{}{}{}",
                sp(),
                kw(3, "datum", "坐标系"),
                sp(),
                kw(2, "gcj02", "火星坐标")
            ),
        );
    }
    push(
        &mut lines,
        format!(
            "{}{}{}避灾点0{}{}{}({},{}5){}{}{}100000",
            sp(),
            kw(6, "shelter", "避灾点"),
            sp(),
            sp(),
            kw(7, "at", "位于"),
            sp(),
            1,
            sp(),
            sp(),
            kw(8, "capacity", "容量"),
            sp()
        ),
    );
    for (i, (x, y, people, elderly)) in g.places.iter().enumerate() {
        let elderly = u32::from(*people) * u32::from(*elderly) / 100;
        push(
            &mut lines,
            format!(
                "{}{}{}村{i}{}{}{}({x},{}{y}){}{}{}{people}{}{{{}{}{}{elderly}{}}}",
                sp(),
                kw(10 + i, "place", "地点"),
                sp(),
                sp(),
                kw(11 + i, "at", "位于"),
                sp(),
                sp(),
                sp(),
                kw(12 + i, "people", "人数"),
                sp(),
                sp(),
                sp(),
                kw(13 + i, "elderly", "老人"),
                sp(),
                sp()
            ),
        );
        push(
            &mut lines,
            format!(
                "{}{}{}村{i}{}->{}避灾点0{}{}{}{}{}",
                sp(),
                kw(14 + i, "road", "道路"),
                sp(),
                sp(),
                sp(),
                sp(),
                kw(15 + i, "width", "宽"),
                sp(),
                3 + i,
                unit(1 + i, "m", "米")
            ),
        );
    }
    push(&mut lines, "}".into());
    push(&mut lines, format!("{}{}{{", kw(20, "roles", "角色"), sp()));
    for r in 0..g.roles {
        push(
            &mut lines,
            format!(
                "{}角色{r}{}{}{}{}",
                sp(),
                sp(),
                kw(21 + r, "level", "等级"),
                sp(),
                kw(22 + r, "village", "村")
            ),
        );
    }
    push(&mut lines, "}".into());
    push(
        &mut lines,
        format!("{}{}\"卡\"{}{{", kw(30, "plan", "预案"), sp(), sp()),
    );
    for (i, _) in g.places.iter().enumerate() {
        let trigger = if i == 0 {
            format!(
                "{}{}{}{}{}",
                kw(31, "when", "当"),
                sp(),
                kw(32, "warning", "预警"),
                sp(),
                kw(33, "red", "红")
            )
        } else {
            format!("{}{}T{}", kw(34 + i, "after", "之后"), sp(), i - 1)
        };
        let parts = [
            kw(40 + i, "task", "任务").to_string(),
            format!("T{i}"),
            format!("\"转移{i}\""),
            "{".into(),
            trigger,
            kw(41 + i, "who", "谁").into(),
            format!("角色{}", i % g.roles),
            kw(42 + i, "do", "做").into(),
            kw(43 + i, "evacuate", "转移").into(),
            format!("[{}]", kw(44 + i, "elderly", "老人")),
            kw(45 + i, "from", "从").into(),
            format!("村{i}"),
            kw(46 + i, "to", "到").into(),
            "避灾点0".into(),
            kw(47 + i, "within", "时限").into(),
            format!("{}{}", 30 + i, unit(8 + i, "min", "分钟")),
            "}".into(),
        ];
        let mut s = sp().to_string();
        for part in parts {
            s.push_str(&part);
            s.push_str(sp());
        }
        push(&mut lines, s);
    }
    push(&mut lines, "}".into());
    as_typed(&(lines.join("\n") + "\n"), &g.full_width)
}

/// ASCII punctuation and digits that an input method types full-width.
const FULL_WIDTH: [(char, char); 17] = [
    ('(', '（'),
    (')', '）'),
    (',', '，'),
    (':', '：'),
    ('{', '｛'),
    ('}', '｝'),
    ('[', '【'),
    (']', '】'),
    ('0', '０'),
    ('1', '１'),
    ('2', '２'),
    ('3', '３'),
    ('4', '４'),
    ('5', '５'),
    ('7', '７'),
    ('8', '８'),
    ('9', '９'),
];

/// The text with the punctuation and digits outside strings and comments made
/// full-width where `flags` (cycled) says so.
fn as_typed(text: &str, flags: &[bool]) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let (mut in_string, mut in_comment, mut k) = (false, false, 0usize);
    let mut prev = '\n';
    for c in text.chars() {
        match c {
            '\n' => (in_string, in_comment) = (false, false),
            '"' if !in_comment => in_string = !in_string,
            '/' if prev == '/' && !in_string => in_comment = true,
            _ => {}
        }
        prev = c;
        let wide = FULL_WIDTH.iter().find(|(a, _)| *a == c).map(|(_, w)| *w);
        match wide {
            Some(w) if !in_string && !in_comment => {
                k += 1;
                out.push(if flags[k % flags.len()] { w } else { c });
            }
            _ => out.push(c),
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn format_is_idempotent_and_keeps_the_meaning(g in scenarios()) {
        let text = write(&g);
        let (sources, original) = lang::check_text("gen.drill", &text);
        let scenario = original.scenario.unwrap_or_else(|| panic!("generator wrote an invalid scenario:\n{text}\n{}", lang::render(&original.diagnostics, &sources)));
        let once = lang::format(&text).expect("formats");
        let twice = lang::format(&once).expect("formats again");
        prop_assert_eq!(&once, &twice);
        let (_, reparsed) = lang::check_text("gen.drill", &once);
        // Spans move when spacing changes; they are not serialised, so compare the
        // serialised scenarios.
        let meaning = |s: &drill_engine::model::Scenario| serde_json::to_string(s).expect("serialises");
        prop_assert_eq!(meaning(&scenario), meaning(&reparsed.scenario.expect("still valid")));
        // Comments survive formatting.
        prop_assert_eq!(text.matches("// 备注").count(), once.matches("// 备注").count());
        // What an input method typed comes out in ASCII, with canonical units.
        for (_, wide) in FULL_WIDTH {
            prop_assert!(!once.contains(wide), "{}", once);
        }
        for chinese in ["小时", "米", "分钟"] {
            prop_assert!(!once.contains(chinese), "{}", once);
        }
        let warned = original.diagnostics.iter().filter(|d| d.code == "W0010").count();
        let typed = FULL_WIDTH.iter().any(|(_, wide)| text.contains(*wide));
        prop_assert_eq!(warned, usize::from(typed));
    }
}

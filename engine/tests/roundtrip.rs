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
    // Half the maps are georeferenced: an origin, in GCJ-02.
    if g.places.len().is_multiple_of(2) {
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
    // A basemap: by its world file, or by its corners with an opacity.
    if g.places.len().is_multiple_of(3) {
        push(
            &mut lines,
            format!(
                "{}{}{}\"maps/村.png\"",
                sp(),
                kw(16, "basemap", "底图"),
                sp()
            ),
        );
    } else {
        let (x, y, _, o) = g.places[0];
        push(
            &mut lines,
            format!(
                "{}{}{}\"maps/村.png\"{}{}{}({x},{}{y}){}{}{}({},{}{}){}{}{}{o}%",
                sp(),
                kw(17, "basemap", "底图"),
                sp(),
                sp(),
                kw(18, "from", "从"),
                sp(),
                sp(),
                sp(),
                kw(19, "to", "到"),
                sp(),
                u32::from(x) + 1 + u32::from(o),
                sp(),
                u32::from(y) + 500,
                sp(),
                kw(20, "opacity", "不透明度"),
                sp()
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
    // 单位: an institution with overlapping groups, its responsible person a role
    // or a quoted name.
    let (people, _, _, _) = g.places[0];
    let people = u32::from(people) + 4;
    let responsible = if zh(9) {
        "角色0".to_string()
    } else {
        "\"值班 校长\"".to_string()
    };
    let parts = [
        kw(50, "institution", "单位").to_string(),
        "院0".into(),
        kw(51, "at", "位于").into(),
        "(5, 7)".into(),
        kw(52, "kind", "类型").into(),
        if zh(12) {
            kw(53, "nursing_home", "敬老院")
        } else {
            kw(53, "worksite", "作业点")
        }
        .into(),
        kw(54, "people", "人数").into(),
        people.to_string(),
        kw(55, "staff", "职工").into(),
        "4".into(),
        kw(56, "responsible", "负责人").into(),
        responsible,
        "{".into(),
        kw(57, "elderly", "老人").into(),
        people.to_string(),
        kw(58, "disabled", "残疾人").into(),
        (people / 2).to_string(),
        "}".into(),
    ];
    let mut s = sp().to_string();
    for part in parts {
        s.push_str(&part);
        s.push_str(sp());
    }
    push(&mut lines, s);
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
            // `after T` (started) or `after T done` (finished), or task first as
            // Chinese says it: `T 完成后`, `T 开始后`.
            let done = if zh(60 + i) {
                format!("{}{}", sp(), kw(61 + i, "done", "完成"))
            } else {
                String::new()
            };
            if zh(70 + i) && zh(71 + i) {
                let post = if zh(60 + i) { "完成后" } else { "开始后" };
                format!("T{}{}{post}", i - 1, sp())
            } else {
                format!("{}{}T{}{done}", kw(34 + i, "after", "之后"), sp(), i - 1)
            }
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
    // 行为: the behaviour block, its speeds and times in either units, a range, a tail.
    let first = g.places[0];
    push(
        &mut lines,
        format!("{}{}{{", kw(60, "behaviour", "行为"), sp()),
    );
    let items = [
        format!(
            "{}{}{}{}1.{}{}",
            kw(61, "walk", "步行"),
            sp(),
            kw(62, "adults", "成人"),
            sp(),
            10 + first.3 % 40,
            unit(10, "m/s", "米/秒")
        ),
        format!(
            "{}{}{}{}0.{}{}{}{}{}1.{}{}",
            kw(63, "walk", "步行"),
            sp(),
            kw(64, "elderly", "老人"),
            sp(),
            50 + first.3 % 20,
            unit(11, "m/s", "米/秒"),
            sp(),
            kw(65, "to", "到"),
            sp(),
            first.3 % 40,
            unit(12, "m/s", "米/秒")
        ),
        format!(
            "{}{}{}{}{}{}{}{}{}",
            kw(66, "premovement", "反应时间"),
            sp(),
            1 + first.3 % 9,
            unit(13, "min", "分钟"),
            sp(),
            kw(67, "tail", "拖尾"),
            sp(),
            5 + first.3 % 20,
            unit(14, "min", "分钟")
        ),
        format!(
            "{}{}{}{}{}%",
            kw(68, "comply", "服从"),
            sp(),
            kw(69, "loudspeaker", "大喇叭"),
            sp(),
            first.3
        ),
        format!(
            "{}{}{}{}",
            kw(70, "knock_visit", "敲门时长"),
            sp(),
            60 + u16::from(first.3),
            unit(15, "s", "秒")
        ),
        format!(
            "{}{}1.{}",
            kw(71, "door_flow", "通行能力"),
            sp(),
            1 + first.3 % 9
        ),
    ];
    for item in items {
        push(&mut lines, format!("{}{item}", sp()));
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
        for chinese in ["小时", "米", "分钟", "秒"] {
            prop_assert!(!once.contains(chinese), "{}", once);
        }
        let warned = original.diagnostics.iter().filter(|d| d.code == "W0010").count();
        let typed = FULL_WIDTH.iter().any(|(_, wide)| text.contains(*wide));
        prop_assert_eq!(warned, usize::from(typed));
    }
}

/// What real plans say about warnings and what injects do (issue 20): the warning
/// channels (警报器, 手摇报警器, 水库广播, 微信群), equipment with `backup_power`, and the
/// inject effects on power, equipment, channels, phones, teams and the hazard models,
/// each keyword in English or Chinese as `zh` says.
#[derive(Debug, Clone)]
struct Outages {
    zh: Vec<bool>,
    spaces: Vec<u8>,
    /// Per inject: which effect it carries (an index into `outage_effect`).
    effects: Vec<u8>,
    backup: bool,
    radius: u16,
    ramp_min: Option<u16>,
    discharge: u16,
}

fn outage_scenarios() -> impl Strategy<Value = Outages> {
    (
        prop::collection::vec(any::<bool>(), 64),
        prop::collection::vec(0u8..4, 64),
        prop::collection::vec(0u8..12, 1..8),
        any::<bool>(),
        100u16..3000,
        prop::option::of(1u16..180),
        0u16..2000,
    )
        .prop_map(
            |(zh, spaces, effects, backup, radius, ramp_min, discharge)| Outages {
                zh,
                spaces,
                effects,
                backup,
                radius,
                ramp_min,
                discharge,
            },
        )
}

/// One inject effect, the `k`th kind, in the language `zh` picks.
fn outage_effect(o: &Outages, k: u8, i: usize) -> String {
    let kw = |j: usize, en: &'static str, cn: &'static str| {
        if o.zh[(i * 7 + j) % o.zh.len()] {
            cn
        } else {
            en
        }
    };
    let ramp = o
        .ramp_min
        .map(|m| format!(" {} {m}min", kw(9, "over", "历时")))
        .unwrap_or_default();
    match k {
        0 => format!("{} {}", kw(0, "power_cut", "停电"), kw(1, "all", "全部")),
        1 => format!("{} 村委会", kw(0, "power_cut", "停电")),
        2 => format!(
            "{} {} {} 下村低洼区",
            kw(0, "restore", "恢复"),
            kw(1, "power", "供电"),
            kw(2, "zone", "危险区")
        ),
        3 => format!("{} 村广播", kw(0, "out_of_service", "停用")),
        4 => format!(
            "{} {}",
            kw(0, "out_of_service", "故障"),
            kw(1, "wechat", "微信群")
        ),
        5 => format!("{} 村广播", kw(0, "restore", "恢复")),
        6 => kw(0, "phones_down", "通信中断").to_string(),
        7 => format!("{} {}", kw(0, "restore", "恢复"), kw(1, "phones", "通信")),
        8 => format!("{} 民兵分队 25min", kw(0, "delay", "延误")),
        9 => format!(
            "{} 竹源溪 {}m3/s{ramp}",
            kw(0, "inflow", "泄洪"),
            o.discharge
        ),
        10 => format!("{} 下村", kw(0, "ignition", "起火")),
        _ => format!("{} (300, 420)", kw(0, "ignition", "起火点")),
    }
}

fn write_outages(o: &Outages) -> String {
    let mut k = 0usize;
    let mut sp = || {
        k += 1;
        match o.spaces[k % o.spaces.len()] {
            0 => " ",
            1 => "  ",
            2 => "\t",
            _ => "   ",
        }
    };
    let kw =
        |j: usize, en: &'static str, cn: &'static str| if o.zh[j % o.zh.len()] { cn } else { en };
    let backup = if o.backup {
        format!("{}{}", sp(), kw(5, "backup_power", "备用电源"))
    } else {
        String::new()
    };
    let mut text = format!(
        "scenario \"泄洪演练\" {{\n  id x\n  start 2026-07-20 20:00\n  duration 8h\n}}\n\
         map {{\n  place 村委会 at (420, 310) kind office\n  place 下村 at (300, 420) households 20 people 60\n  \
         shelter 小学 at (600, 150) capacity 100\n  road 下村 -> 村委会 width 4m\n  road 村委会 -> 小学 width 4m\n  \
         river 竹源溪 from (0, 500) to (900, 380) width 8m\n  \
         zone 下村低洼区 level red hazard flood polygon (250, 380) (380, 380) (380, 470) (250, 470)\n}}\n\
         roles {{\n  管理员 level village post 村委会\n}}\n\
         resources {{\n  村广播{sp1}{kind1}{sp2}at 村委会{sp3}radius {r}m{backup}\n  \
         警报器1{sp4}{kind2}{sp5}at 村委会\n  报警器{sp6}{kind3} 2 at 下村\n  水库广播1 {kind4} at 下村 radius {r}m\n}}\n\
         teams {{\n  民兵分队 members 8 base 村委会 skills [door_knock evacuation]\n}}\n\
         hazard flood {{\n  inflow 竹源溪 m3/s [0h 10]\n}}\n\
         hazard fire {{\n  ignition (100, 100) at 20:30\n}}\n\
         plan \"卡\" {{\n  task T1 \"预警\" {{ when warning red who 管理员 do warn all how [{c1} {c2} {c3} {c4} sms] with [村广播 警报器1 报警器 水库广播1] }}\n}}\n\
         injects {{\n  1 at 20:10 \"红色预警\" effect warning red\n",
        sp1 = sp(),
        kind1 = kw(1, "loudspeaker", "大喇叭"),
        sp2 = sp(),
        sp3 = sp(),
        r = o.radius,
        sp4 = sp(),
        kind2 = kw(2, "siren", "警报器"),
        sp5 = sp(),
        sp6 = sp(),
        kind3 = kw(3, "hand_alarm", "手摇报警器"),
        kind4 = kw(4, "reservoir_broadcast", "水库广播"),
        c1 = kw(6, "siren", "警报"),
        c2 = kw(7, "hand_alarm", "手摇报警器"),
        c3 = kw(8, "reservoir_broadcast", "水库广播"),
        c4 = kw(9, "wechat", "微信"),
    );
    for (i, &e) in o.effects.iter().enumerate() {
        text.push_str(&format!(
            "  {} at {}:{:02}{}\"注入\"{}{}{}{}\n",
            i + 2,
            20 + i / 2,
            (i % 2) * 30 + 15,
            sp(),
            sp(),
            kw(10 + i, "effect", "效果"),
            sp(),
            outage_effect(o, e, i)
        ));
    }
    text.push_str("}\n");
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The channels, `backup_power` and the inject effects of issue 20 format stably
    /// and keep their meaning through `drill fmt`.
    #[test]
    fn outages_and_hazard_injects_format_and_keep_the_meaning(o in outage_scenarios()) {
        let text = write_outages(&o);
        let (sources, original) = lang::check_text("gen.drill", &text);
        let scenario = original.scenario.unwrap_or_else(|| panic!("generator wrote an invalid scenario:\n{text}\n{}", lang::render(&original.diagnostics, &sources)));
        prop_assert_eq!(scenario.injects.iter().map(|i| i.effects.len()).sum::<usize>(), o.effects.len() + 1);
        let once = lang::format(&text).expect("formats");
        let twice = lang::format(&once).expect("formats again");
        prop_assert_eq!(&once, &twice);
        let (_, reparsed) = lang::check_text("gen.drill", &once);
        let meaning = |s: &drill_engine::model::Scenario| serde_json::to_string(s).expect("serialises");
        prop_assert_eq!(meaning(&scenario), meaning(&reparsed.scenario.expect("still valid")));
    }
}

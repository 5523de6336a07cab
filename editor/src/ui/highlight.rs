//! Syntax colouring for the scenario text pane.
//!
//! A small lexer that only classifies characters for colour (keywords in English and
//! Chinese, strings, numbers with their units, comments); it does not parse and never
//! decides what is valid, which is the engine checker's job. The tokens cover the
//! whole text without gaps, so they map straight onto an egui `LayoutJob`.

use egui::text::{ByteIndex, LayoutJob, LayoutSection};
use egui::{Color32, FontId, Stroke, TextFormat};
use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::LazyLock;

/// What a run of characters is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Keyword,
    Name,
    String,
    /// A number with its unit, a clock time or a date: `600m`, `20:00`, `2026-06-18`.
    Number,
    Comment,
    Punct,
    Space,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub range: Range<usize>,
}

/// Keywords and their Chinese aliases, from docs/LANGUAGE.md (with the trainer's
/// `trainer fire|skip inject N`, 导调 下达|跳过 注入 N, of an `actions` log).
const KEYWORDS: &str = "actions adults after all app arrives assess assessed_before_return at at_post \
barrier_free base beds before blue boat bridge broadcast by capacity cell chemical children close \
commander completeness count county danger dangerous dilapidated disabled do door_knock drone duration \
effect elderly equipment evacuate evacuated evacuation expect fire fire_line fire_tools firefighting \
flood food for from fuel gas_detector generator gong grid group hazard hazmat height herb households how \
id if ignition in include inflow inject injects junction kind knock_doors length level life_detector \
loudspeaker manning map mass medical megaphone members micro_fire_station moisture not office open \
orange other outcomes outdoor_workers over pass path people phone place plan plant polygon post power \
protective_gear pump radio radius rain rate ratings red release report report_at_post require rescue \
resources return river road roadblock roles rural satellite_phone scenario scoring seed settlement \
shelter shelter_closed shelter_in_place skills skip sms source start station step substance task teams \
terrain timeliness title to township trainer trapped urban vehicle vertical via village vulnerable_moved warn \
warned warning water water_rescue weather weights when who width wind with within woody yellow zone \
上报 上门 之前 之后 乡村 乡镇 于 人 人数 从 任务 位于 供水 供电 做 儿童 关闭避灾点 到 到岗 到达 办公 医疗 半径 \
卫星电话 危化 危化处置 危房户 危险 危险区 县 及时性 发电机 可燃物 合格 名额 含水率 地图 地形 地点 场景 垂直 城区 \
大喇叭 如未 完整性 容量 宽 对讲机 封闭 小路 就地避险 居民点 岗位 工厂 广播 床位 开始 开放 引用 当 微型消防站 \
情景注入 成人 截止 户 户外作业 户数 扑火工具 扩音器 技能 持续 指挥官 推送 效果 救援 敲门 方式 无人机 无障碍 时长 \
时限 期望 木本 权重 村 来水 栅格 标题 桥 橙 步长 残疾人 气体检测仪 气象 水上救援 水泵 河流 泄漏 泄漏源 注入 洪水 \
火灾 灭火 灾害 物质 物资 生命探测仪 用 电话 短信 种子 等级 等级线 类型 糙率 红 组 经 结果指标 编号 网格 老人 船 \
范围 草本 蓝 行动记录 被困 装备 要求 角色 设卡 评估 评分 谁 质量 资源 起火点 跨 路口 车辆 转移 返回 返回前评估 \
途经 速率 道路 避灾点 重点人员转移 锣 长 队伍 队员 防护装备 降雨 隔离带 预案 预警 预警覆盖 风 食品 驻地 驻地站 高度 黄 \
导调 下达 跳过 siren hand_alarm reservoir_broadcast wechat backup_power power_cut out_of_service \
phones_down restore phones delay 警报器 警报 手摇报警器 水库广播 微信群 微信 备用电源 停电 停用 故障 通信中断 恢复 \
通信 延误 泄洪 起火 历时";

static KEYWORD_SET: LazyLock<BTreeSet<&'static str>> =
    LazyLock::new(|| KEYWORDS.split_whitespace().collect());

pub fn is_keyword(word: &str) -> bool {
    KEYWORD_SET.contains(word)
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// Splits `text` into coloured runs covering every byte, in order.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let mut end_while = |pred: &dyn Fn(char) -> bool| {
            let mut end = start + c.len_utf8();
            while let Some(&(i, n)) = chars.peek() {
                if !pred(n) {
                    break;
                }
                end = i + n.len_utf8();
                chars.next();
            }
            end
        };
        let kind;
        let end;
        if c == '/' && next == Some('/') {
            kind = TokenKind::Comment;
            end = end_while(&|n| n != '\n');
        } else if c == '/' && next == Some('*') {
            kind = TokenKind::Comment;
            let close = text[start + 2..]
                .find("*/")
                .map_or(text.len(), |i| start + 2 + i + 2);
            while chars.peek().is_some_and(|&(i, _)| i < close) {
                chars.next();
            }
            end = close;
        } else if c == '"' {
            kind = TokenKind::String;
            let mut e = text.len();
            let mut escaped = false;
            for (i, n) in chars.by_ref() {
                if escaped {
                    escaped = false;
                } else if n == '\\' {
                    escaped = true;
                } else if n == '"' {
                    e = i + 1;
                    break;
                } else if n == '\n' {
                    // An unterminated string stops at the line end so one typo does
                    // not recolour the rest of the file.
                    e = i + 1;
                    break;
                }
            }
            end = e;
        } else if c.is_ascii_digit()
            || ((c == '+' || c == '-') && next.is_some_and(|n| n.is_ascii_digit()))
        {
            kind = TokenKind::Number;
            // Digits, decimal point, clock/date separators, then a unit like mm/h, m3/s, %.
            end = end_while(&|n| {
                n.is_ascii_alphanumeric() || matches!(n, '.' | ':' | '-' | '/' | '%')
            });
        } else if c.is_whitespace() {
            kind = TokenKind::Space;
            end = end_while(&|n| n.is_whitespace());
        } else if is_name_char(c) {
            end = end_while(&is_name_char);
            kind = if is_keyword(&text[start..end]) {
                TokenKind::Keyword
            } else {
                TokenKind::Name
            };
        } else {
            kind = TokenKind::Punct;
            end = start + c.len_utf8();
        }
        tokens.push(Token {
            kind,
            range: start..end,
        });
    }
    tokens
}

/// Colours for each token kind.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub keyword: Color32,
    pub name: Color32,
    pub string: Color32,
    pub number: Color32,
    pub comment: Color32,
    pub punct: Color32,
    pub error: Color32,
}

impl Palette {
    pub fn for_dark_mode(dark: bool) -> Self {
        if dark {
            Palette {
                keyword: Color32::from_rgb(0x7a, 0xb8, 0xff),
                name: Color32::from_rgb(0xe0, 0xe0, 0xe0),
                string: Color32::from_rgb(0xe6, 0xb4, 0x73),
                number: Color32::from_rgb(0x9c, 0xdc, 0x8c),
                comment: Color32::from_rgb(0x8a, 0x8a, 0x8a),
                punct: Color32::from_rgb(0xb0, 0xb0, 0xb0),
                error: Color32::from_rgb(0xff, 0x50, 0x50),
            }
        } else {
            Palette {
                keyword: Color32::from_rgb(0x00, 0x3f, 0xb3),
                name: Color32::from_rgb(0x10, 0x10, 0x10),
                string: Color32::from_rgb(0xa3, 0x3a, 0x00),
                number: Color32::from_rgb(0x0a, 0x74, 0x2a),
                comment: Color32::from_rgb(0x6a, 0x6a, 0x6a),
                punct: Color32::from_rgb(0x40, 0x40, 0x40),
                error: Color32::from_rgb(0xd0, 0x00, 0x00),
            }
        }
    }

    pub fn color(&self, kind: TokenKind) -> Color32 {
        match kind {
            TokenKind::Keyword => self.keyword,
            TokenKind::Name | TokenKind::Space => self.name,
            TokenKind::String => self.string,
            TokenKind::Number => self.number,
            TokenKind::Comment => self.comment,
            TokenKind::Punct => self.punct,
        }
    }
}

/// A coloured run with whether a diagnostic underlines it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub kind: TokenKind,
    pub range: Range<usize>,
    pub underlined: bool,
}

/// Token runs split wherever a diagnostic range starts or ends. Empty diagnostic
/// ranges underline the character they point at so they stay visible.
pub fn runs(text: &str, diagnostics: &[Range<usize>]) -> Vec<Run> {
    let marks: Vec<Range<usize>> = diagnostics
        .iter()
        .map(|r| {
            let start = crate::session::check::floor_char_boundary(text, r.start);
            let mut end = crate::session::check::floor_char_boundary(text, r.end.max(start));
            if end == start {
                end = text[start..]
                    .chars()
                    .next()
                    .map_or(start, |c| start + c.len_utf8());
            }
            start..end
        })
        .collect();
    let mut out = Vec::new();
    for token in tokenize(text) {
        let mut cuts: Vec<usize> = marks
            .iter()
            .flat_map(|m| [m.start, m.end])
            .filter(|&b| b > token.range.start && b < token.range.end)
            .collect();
        cuts.push(token.range.start);
        cuts.push(token.range.end);
        cuts.sort_unstable();
        cuts.dedup();
        for w in cuts.windows(2) {
            let (a, b) = (w[0], w[1]);
            let underlined = marks.iter().any(|m| m.start < b && a < m.end);
            out.push(Run {
                kind: token.kind,
                range: a..b,
                underlined,
            });
        }
    }
    out
}

/// The egui layout of the scenario text: monospace, fixed line height (so line `n`
/// sits at `n * line_height`, which the gutter and jump-to-line rely on), no wrapping.
pub fn layout_job(
    text: &str,
    diagnostics: &[Range<usize>],
    font: FontId,
    line_height: f32,
    palette: &Palette,
) -> LayoutJob {
    let mut job = LayoutJob {
        text: text.to_owned(),
        ..Default::default()
    };
    job.wrap.max_width = f32::INFINITY;
    for run in runs(text, diagnostics) {
        let mut format = TextFormat {
            font_id: font.clone(),
            color: palette.color(run.kind),
            line_height: Some(line_height),
            italics: run.kind == TokenKind::Comment,
            ..Default::default()
        };
        if run.underlined {
            format.underline = Stroke::new(2.0, palette.error);
            format.background = palette.error.gamma_multiply(0.15);
        }
        let byte_range = ByteIndex(run.range.start)..ByteIndex(run.range.end);
        job.sections.push(LayoutSection {
            leading_space: 0.0,
            byte_range,
            format,
        });
    }
    job
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        tokenize(text)
            .into_iter()
            .filter(|t| t.kind != TokenKind::Space)
            .map(|t| (t.kind, &text[t.range]))
            .collect()
    }

    #[test]
    fn keywords_in_both_languages_names_units_and_strings() {
        use TokenKind::*;
        assert_eq!(
            kinds(r#"place 下村 at (300, 420) households 61 // 低洼"#),
            vec![
                (Keyword, "place"),
                (Name, "下村"),
                (Keyword, "at"),
                (Punct, "("),
                (Number, "300"),
                (Punct, ","),
                (Number, "420"),
                (Punct, ")"),
                (Keyword, "households"),
                (Number, "61"),
                (Comment, "// 低洼"),
            ]
        );
        assert_eq!(
            kinds(r#"地点 村委会 位于 (1,2) 类型 办公"#)
                .iter()
                .filter(|(k, _)| *k == Keyword)
                .map(|(_, s)| *s)
                .collect::<Vec<_>>(),
            vec!["地点", "位于", "类型", "办公"]
        );
        assert_eq!(
            kinds(r#"rain mm/h [0h 5, 1h 30] inflow 竹源溪 m3/s "桥被\"冲毁\"" 80mm/h 20:00 2026-06-18 -3 +45min"#)
                .into_iter()
                .filter(|(k, _)| matches!(k, Number | String))
                .map(|(_, s)| s)
                .collect::<Vec<_>>(),
            vec!["0h", "5", "1h", "30", r#""桥被\"冲毁\"""#, "80mm/h", "20:00", "2026-06-18", "-3", "+45min"]
        );
    }

    #[test]
    fn the_trainers_inject_commands_are_keywords_in_both_languages() {
        for w in [
            "trainer", "fire", "skip", "inject", "导调", "下达", "跳过", "注入",
        ] {
            assert!(is_keyword(w), "{w}");
        }
    }

    #[test]
    fn a_word_containing_a_keyword_is_a_name() {
        assert_eq!(
            kinds("村应急管理员 镇救援站 zhuyuan-flood-2026"),
            vec![
                (TokenKind::Name, "村应急管理员"),
                (TokenKind::Name, "镇救援站"),
                (TokenKind::Name, "zhuyuan-flood-2026"),
            ]
        );
    }

    #[test]
    fn tokens_cover_the_text_without_gaps() {
        let text = "map {\n /* 多行\n 注释 */ place \"未闭合\n x（全角）\n}";
        let tokens = tokenize(text);
        let mut at = 0;
        for t in &tokens {
            assert_eq!(t.range.start, at, "gap before {t:?}");
            at = t.range.end;
        }
        assert_eq!(at, text.len());
        assert!(
            tokens
                .iter()
                .any(|t| t.kind == TokenKind::Comment && text[t.range.clone()].contains("注释"))
        );
        // The unterminated string stops at its line end.
        let s = tokens.iter().find(|t| t.kind == TokenKind::String).unwrap();
        assert_eq!(&text[s.range.clone()], "\"未闭合\n");
    }

    #[test]
    fn diagnostics_split_runs_and_underline_only_their_range() {
        let text = "place 下村x at";
        let start = text.find("下村").unwrap();
        let r = runs(text, std::slice::from_ref(&(start + 3..start + 7))); // "村x"
        let underlined: String = r
            .iter()
            .filter(|r| r.underlined)
            .map(|r| &text[r.range.clone()])
            .collect();
        assert_eq!(underlined, "村x");
        let all: String = r.iter().map(|r| &text[r.range.clone()]).collect();
        assert_eq!(all, text);
        // An empty range at a character underlines that character.
        let r = runs(text, std::slice::from_ref(&(0..0)));
        assert_eq!(
            r.iter()
                .find(|r| r.underlined)
                .map(|r| &text[r.range.clone()]),
            Some("p")
        );
    }

    #[test]
    fn layout_job_sections_cover_the_text_with_fixed_line_height() {
        let text = "plan \"卡\" {\n  task T1\n}\n";
        let job = layout_job(
            text,
            &[],
            FontId::monospace(14.0),
            20.0,
            &Palette::for_dark_mode(false),
        );
        assert_eq!(job.sections.first().unwrap().byte_range.start.0, 0);
        assert_eq!(job.sections.last().unwrap().byte_range.end.0, text.len());
        assert!(
            job.sections
                .iter()
                .all(|s| s.format.line_height == Some(20.0))
        );
    }
}

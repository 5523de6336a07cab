//! 演练评估报告 — the signed report's structure, once, for every format: a list of
//! sections made of headings, paragraphs, tables and a signature block, which
//! `render` writes as HTML and Markdown and `docx` as a Word document. The order
//! follows AQ/T 9009-2015 §7 and the 2009 《突发事件应急演练指南》: 演练概况, 总体评价,
//! 评估内容 (each task rated P/S/M/U with its reasons), the 四个100%, 存在问题, 改进建议,
//! 纠正行动 (owner and due date), the signatures, and an appendix with what only a
//! technician needs (seed, event-log hash).

use super::meta::{Lang, ReportMeta, date_words};
use super::{Rating, ScoreReport, TaskScore};

/// A table column: its heading and its share of the page width (percent), so that a
/// printed page keeps the task names readable.
#[derive(Debug, Clone, PartialEq)]
pub struct Col {
    pub head: String,
    pub width: u32,
}

/// A table row; `note` is a full-width line under it (a task's reasons), `rating`
/// colours it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    pub cells: Vec<String>,
    pub rating: Option<Rating>,
    /// Outcome rows: met (`Some(true)`) or missed.
    pub met: Option<bool>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub cols: Vec<Col>,
    pub rows: Vec<Row>,
    /// The label of the notes where a format cannot span a row (Markdown's last column).
    pub note_head: String,
}

/// One signature line: the post (评估组长 / 评估人员), the name printed, and blanks for
/// the signature and the date.
#[derive(Debug, Clone, PartialEq)]
pub struct SignLine {
    pub post: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Para(String),
    /// The verdict line, in bold, green when passed and red when not.
    Verdict {
        text: String,
        passed: bool,
    },
    /// Label and value pairs (演练概况).
    Fields(Vec<(String, String)>),
    Table(Table),
    List(Vec<String>),
    /// A numbered list.
    Numbered(Vec<String>),
    /// A smaller heading inside a section.
    Sub(String),
    /// Where the HTML page puts its charts (other formats leave them out).
    Charts,
    /// 签字: labels, then one line per signer.
    Signatures {
        sign: String,
        date: String,
        lines: Vec<SignLine>,
    },
    /// Small print (the rating legend).
    Small(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub heading: String,
    /// Printed on a new page (long tables, the signatures).
    pub new_page: bool,
    pub blocks: Vec<Block>,
}

/// The whole report, ready for any format.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub lang: Lang,
    /// 演练评估报告.
    pub kind: String,
    /// The drill's name.
    pub title: String,
    /// Under the title: date held, organiser.
    pub subtitle: String,
    pub sections: Vec<Section>,
}

/// A blank to fill in by hand, for anything the report does not know.
pub const BLANK: &str = "＿＿＿＿＿＿＿＿";

fn or_blank(s: &str) -> String {
    if s.trim().is_empty() {
        BLANK.to_string()
    } else {
        s.to_string()
    }
}

pub fn clock(r: &ScoreReport, t: Option<f64>) -> String {
    t.map_or_else(|| "—".to_string(), |t| r.start.clock_at(t))
}

pub fn rating_cell(t: &TaskScore) -> String {
    t.rating
        .map_or_else(|| "—".into(), |r| r.letter().to_string())
}

pub fn percent_cell(t: &TaskScore) -> String {
    match (t.required_percent, t.reached_percent) {
        // No spaces: `100%/100%` fits its column on A4 without a break inside a number.
        (Some(q), Some(r)) => format!("{r:.0}%/{q:.0}%"),
        (Some(q), None) => format!("—/{q:.0}%"),
        _ => "—".into(),
    }
}

/// A task's reasons in the report's language, one per line.
pub fn reasons(t: &TaskScore, lang: Lang) -> Vec<String> {
    if t.rating.is_none() {
        return vec![lang.pick("未触发，不评定", "not triggered, not rated")];
    }
    let mut lines: Vec<String> = if t.reasons.is_empty() {
        vec![lang.pick("按处置卡完成", "done as planned")]
    } else {
        t.reasons.iter().map(|r| lang.pick(&r.zh, &r.en)).collect()
    };
    // The rules that capped the rating (the legend names them), then notes that are no
    // fault of the task (a due time moved by a late prerequisite).
    let limited: Vec<&super::rules::RatingCap> = t
        .caps
        .iter()
        .filter(|c| **c != super::rules::RatingCap::Challenge)
        .collect();
    if !limited.is_empty() {
        let codes: Vec<&str> = limited.iter().map(|c| c.code()).collect();
        lines.push(lang.pick(
            &format!("等级上限：规则{}", codes.join("、")),
            &format!("rating capped by rule {}", codes.join(", ")),
        ));
    }
    lines.extend(
        t.notes
            .iter()
            .map(|n| lang.pick(&format!("注：{}", n.zh), &format!("note: {}", n.en))),
    );
    lines
}

/// `T3「转移溪口」` / `T3 '转移溪口'`.
fn task_name(t: &TaskScore, lang: Lang) -> String {
    lang.pick(
        &format!("{}「{}」", t.id, t.title),
        &format!("{} '{}'", t.id, t.title),
    )
}

fn mode_words(r: &ScoreReport) -> (&'static str, &'static str) {
    if r.mode == "actions" {
        (
            "按演练行动记录评估",
            "scored from the recorder's log of the drill",
        )
    } else {
        (
            "按预案推演（未经实际演练）",
            "the plan as written, simulated (no drill)",
        )
    }
}

fn outcomes_title(r: &ScoreReport, lang: Lang) -> String {
    if r.outcomes.title.is_empty() {
        lang.pick("结果指标", "Outcome targets")
    } else {
        lang.pick(&r.outcomes.title, "Outcome targets")
    }
}

/// 总体评价: the verdict, the ratings counted, the outcome targets, the tasks with the
/// most serious problems, and anyone still trapped, in plain sentences.
pub fn overall(r: &ScoreReport, lang: Lang) -> Vec<String> {
    let count = |x: Rating| r.tasks.iter().filter(|t| t.rating == Some(x)).count();
    let rated = r.tasks.iter().filter(|t| t.rating.is_some()).count();
    let unrated = r.tasks.len() - rated;
    let (mz, me) = mode_words(r);
    let plan = &r.plan_title;
    // The verdict itself is the line above this paragraph; the prose explains it.
    let mut zh = format!(
        "本次演练依据《{plan}》，{mz}。共评定任务{rated}项，其中完成良好（P）{}项、基本完成（S）{}项、存在较大问题（M）{}项、未能完成（U）{}项",
        count(Rating::P),
        count(Rating::S),
        count(Rating::M),
        count(Rating::U)
    );
    let mut en = format!(
        "This drill followed the plan '{plan}', {me}. {rated} tasks were rated: {} performed without challenges (P), {} with some challenges (S), {} with major challenges (M) and {} unable to be performed (U)",
        count(Rating::P),
        count(Rating::S),
        count(Rating::M),
        count(Rating::U)
    );
    if unrated > 0 {
        zh.push_str(&format!("；另有{unrated}项未触发，不评定"));
        en.push_str(&format!(
            "; {unrated} never became due and {} not rated",
            if unrated == 1 { "is" } else { "are" }
        ));
    }
    zh.push('。');
    en.push('.');
    let targets: Vec<_> = r
        .outcomes
        .targets
        .iter()
        .filter(|o| o.target_percent.is_some())
        .collect();
    if !targets.is_empty() {
        let title_zh = if r.outcomes.title.is_empty() {
            "结果指标"
        } else {
            &r.outcomes.title
        };
        let missed: Vec<_> = targets.iter().filter(|o| !o.met).collect();
        if missed.is_empty() {
            zh.push_str(&format!(
                "{title_zh}全部达到目标（共{}项）。",
                targets.len()
            ));
            en.push_str(&format!(" All {} outcome targets were met.", targets.len()));
        } else {
            let mz: Vec<String> = missed
                .iter()
                .map(|o| {
                    format!(
                        "{}{:.1}%（目标{:.0}%）",
                        o.name.zh,
                        o.value_percent,
                        o.target_percent.unwrap_or(100.0)
                    )
                })
                .collect();
            let me: Vec<String> = missed
                .iter()
                .map(|o| {
                    format!(
                        "{} {:.1}% (target {:.0}%)",
                        o.name.en,
                        o.value_percent,
                        o.target_percent.unwrap_or(100.0)
                    )
                })
                .collect();
            zh.push_str(&format!(
                "{title_zh}中有{}项未达到目标（共{}项）：{}。",
                missed.len(),
                targets.len(),
                mz.join("；")
            ));
            en.push_str(&format!(
                " {} of {} outcome targets were missed: {}.",
                missed.len(),
                targets.len(),
                me.join("; ")
            ));
        }
    }
    let mut worst: Vec<&TaskScore> = r
        .tasks
        .iter()
        .filter(|t| matches!(t.rating, Some(Rating::M | Rating::U)))
        .collect();
    worst.sort_by(|a, b| b.rating.cmp(&a.rating).then(a.score.total_cmp(&b.score)));
    if !worst.is_empty() {
        let pick = |t: &&TaskScore, zh: bool| {
            let first = t
                .reasons
                .first()
                .map(|x| if zh { x.zh.clone() } else { x.en.clone() })
                .unwrap_or_default();
            let letter = t.rating.map_or("", |x| x.letter());
            if zh {
                format!("{}「{}」（{letter}，{first}）", t.id, t.title)
            } else {
                format!("{} '{}' ({letter}: {first})", t.id, t.title)
            }
        };
        let shown = &worst[..worst.len().min(3)];
        zh.push_str(&format!(
            "问题最突出的是：{}。",
            shown
                .iter()
                .map(|t| pick(t, true))
                .collect::<Vec<_>>()
                .join("；")
        ));
        en.push_str(&format!(
            " The most serious problems: {}.",
            shown
                .iter()
                .map(|t| pick(t, false))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    let still = r.outcomes.still_trapped;
    if still > 0 {
        zh.push_str(&format!(
            "演练结束时仍有{still}人被困未获救，应作为首要整改事项。"
        ));
        en.push_str(&format!(
            " {still} people were still trapped when the drill ended; this comes first among the corrections."
        ));
    }
    lang.paragraphs(zh, en)
}

fn overview(r: &ScoreReport, meta: &ReportMeta, lang: Lang) -> Section {
    let l = |zh: &str, en: &str| lang.pick(zh, en);
    let (mz, me) = mode_words(r);
    let held_on = if meta.held_on.is_empty() {
        BLANK.to_string()
    } else {
        date_words(&meta.held_on, lang)
    };
    let time = format!("{held_on} {:02}:{:02}", r.start.hour, r.start.minute);
    let fields = vec![
        (l("演练名称", "Drill"), or_blank(&meta.title)),
        (l("演练目的", "Purpose"), or_blank(&meta.purpose)),
        (l("组织单位", "Organiser"), or_blank(&meta.organiser)),
        (l("演练时间", "Held on"), time),
        (l("演练地点", "Held at"), or_blank(&meta.held_at)),
        (
            l("演练形式", "Kind of drill"),
            meta.kind.map_or_else(
                || lang.pick("桌面推演 □  实战演练 □", "tabletop □  field □"),
                |k| lang.text(&k.label()),
            ),
        ),
        (l("依据预案", "Plan"), or_blank(&r.plan_title)),
        (l("评估方式", "Evaluated"), lang.pick(mz, me)),
        (
            l("评估组长", "Lead evaluator"),
            or_blank(&meta.lead_evaluator),
        ),
        (
            l("评估人员", "Evaluators"),
            if meta.evaluators.is_empty() {
                BLANK.to_string()
            } else {
                meta.evaluators.join("、")
            },
        ),
    ];
    let mut blocks = vec![Block::Fields(fields)];
    blocks.push(Block::Sub(l(
        "参演单位及职责",
        "Participating units and roles",
    )));
    if meta.units.is_empty() {
        blocks.push(Block::Para(BLANK.to_string()));
    } else {
        blocks.push(Block::Table(Table {
            cols: vec![
                Col {
                    head: lang.head("序号", "No."),
                    width: 8,
                },
                Col {
                    head: lang.head("单位 / 岗位", "Unit or post"),
                    width: 37,
                },
                Col {
                    head: lang.head("类别", "Kind"),
                    width: 12,
                },
                Col {
                    head: lang.head("职责", "Role"),
                    width: 43,
                },
            ],
            rows: meta
                .units
                .iter()
                .enumerate()
                .map(|(i, u)| Row {
                    cells: vec![
                        (i + 1).to_string(),
                        u.name.clone(),
                        lang.text(&u.kind),
                        lang.text(&u.role),
                    ],
                    ..Row::default()
                })
                .collect(),
            note_head: String::new(),
        }));
    }
    Section {
        heading: l("一、演练概况", "1. Overview"),
        new_page: false,
        blocks,
    }
}

/// `评定理由：…；…` / `Reasons: …; …`.
fn note(t: &TaskScore, lang: Lang) -> String {
    format!(
        "{}{}",
        lang.pick("评定理由：", "Reasons: "),
        reasons(t, lang).join(&lang.pick("；", "; "))
    )
}

fn task_section(r: &ScoreReport, lang: Lang) -> Section {
    let l = |zh: &str, en: &str| lang.pick(zh, en);
    let col = |zh: &str, en: &str, width: u32| Col {
        head: lang.head(zh, en),
        width,
    };
    // Widths in percent of the page: the name keeps more than a fifth of it, the
    // numbers what three digits or a clock time need on A4 portrait.
    let cols = vec![
        col("编号", "No.", 5),
        col("任务", "Task", 20),
        col("负责", "Who", 13),
        col("触发", "Due from", 6),
        col("时限", "Due", 6),
        col("开始", "Start", 6),
        col("达到/要求", "Reached", 11),
        col("时效", "Time", 5),
        col("完成", "Done", 5),
        col("资源", "Res.", 5),
        col("职责", "Roles", 5),
        col("得分", "Score", 6),
        col("评定", "Rating", 7),
    ];
    let rows = r
        .tasks
        .iter()
        .map(|t| {
            let c = t.criteria;
            Row {
                cells: vec![
                    t.id.clone(),
                    t.title.clone(),
                    t.who.join("、"),
                    clock(r, t.trigger_s),
                    clock(r, t.deadline_s),
                    clock(r, t.started_s),
                    percent_cell(t),
                    format!("{:.0}", c.timeliness),
                    format!("{:.0}", c.completeness),
                    format!("{:.0}", c.resources),
                    format!("{:.0}", c.roles),
                    format!("{:.1}", t.score),
                    rating_cell(t),
                ],
                rating: t.rating,
                met: None,
                note: Some(match lang {
                    // One line per language: a `/` between two lists of reasons
                    // reads as one list.
                    Lang::Both => format!("{}\n{}", note(t, Lang::Zh), note(t, Lang::En)),
                    one => note(t, one),
                }),
            }
        })
        .collect();
    let mut blocks = vec![
        Block::Table(Table {
            cols,
            rows,
            note_head: l("评定理由", "Reasons"),
        }),
        Block::Small(l(
            "评定：P 完成良好 · S 基本完成 · M 存在较大问题 · U 未能完成。时效、完成、资源、职责各为百分制，得分按情景的评分权重加权；时效按处置效果计（预警到户、人员转移完毕、首批获救人员上岸等），下令时间见理由。",
            "Ratings: P performed without challenges · S with some challenges · M with major challenges · U unable to be performed. Time, completeness, means and roles are each out of 100; the score weighs them as the scenario's scoring block says; time is judged on the effect (households warned, the object cleared, the first rescued landed), the order's time is in the reasons.",
        )),
        Block::Small(rating_rules(r, lang)),
    ];
    blocks.push(Block::Sub(l("做得好的方面", "Strengths")));
    blocks.push(Block::List(if r.strengths.is_empty() {
        vec!["—".into()]
    } else {
        r.strengths.iter().map(|s| lang.text(s)).collect()
    }));
    Section {
        heading: l("三、评估内容", "3. Tasks evaluated"),
        new_page: true,
        blocks,
    }
}

fn outcome_section(r: &ScoreReport, lang: Lang) -> Section {
    let l = |zh: &str, en: &str| lang.pick(zh, en);
    let oc = &r.outcomes;
    let rows = oc
        .targets
        .iter()
        .map(|o| Row {
            cells: vec![
                lang.text(&o.name),
                format!("{:.1}%", o.value_percent),
                o.target_percent.map_or("—".into(), |t| format!("{t:.0}%")),
                match (o.target_percent, o.met) {
                    (None, _) => "—".into(),
                    (_, true) => l("✓ 达标", "✓ met"),
                    (_, false) => l("✗ 未达标", "✗ missed"),
                },
                lang.text(&o.detail),
            ],
            rating: None,
            met: o.target_percent.map(|_| o.met),
            note: None,
        })
        .collect();
    let col = |zh: &str, en: &str, width: u32| Col {
        head: lang.head(zh, en),
        width,
    };
    let mut facts = vec![lang.pick(
        &format!(
            "全部预警完成：{}（{}/{}人）",
            oc.all_warned_s
                .map_or("未全部预警".into(), |t| r.start.clock_at(t)),
            oc.warned_people,
            oc.people_to_warn
        ),
        &format!(
            "everyone warned: {} ({}/{} people)",
            oc.all_warned_s
                .map_or("not everyone".into(), |t| r.start.clock_at(t)),
            oc.warned_people,
            oc.people_to_warn
        ),
    )];
    for c in &oc.clearance {
        facts.push(lang.pick(
            &format!(
                "{}清空：{}（{}人，{}人未转移）",
                c.target,
                c.cleared_s.map_or("未清空".into(), |t| r.start.clock_at(t)),
                c.people,
                c.left
            ),
            &format!(
                "{} cleared: {} ({} people, {} left)",
                c.target,
                c.cleared_s
                    .map_or("not cleared".into(), |t| r.start.clock_at(t)),
                c.people,
                c.left
            ),
        ));
    }
    facts.push(lang.pick(
        &format!(
            "受灾害影响{}人，被困{}人，获救{}人，演练结束时仍被困{}人",
            oc.exposed, oc.trapped, oc.rescued, oc.still_trapped
        ),
        &format!(
            "exposed {}, trapped {}, rescued {}, still trapped at the end {}",
            oc.exposed, oc.trapped, oc.rescued, oc.still_trapped
        ),
    ));
    let mut blocks = vec![
        Block::Table(Table {
            cols: vec![
                col("指标", "Metric", 26),
                col("实际", "Actual", 11),
                col("目标", "Target", 10),
                col("达标", "Met", 13),
                col("说明", "Detail", 40),
            ],
            rows,
            note_head: String::new(),
        }),
        Block::List(facts),
    ];
    if !r.unmatched_actions.is_empty() {
        let n: Vec<String> = r
            .unmatched_actions
            .iter()
            .map(|a| (a + 1).to_string())
            .collect();
        blocks.push(Block::Para(lang.pick(
            &format!("未对应处置卡任务的行动：第{}条", n.join("、")),
            &format!("actions matching no plan task: entries {}", n.join(", ")),
        )));
    }
    Section {
        heading: format!("{}{}", l("四、", "4. "), outcomes_title(r, lang)),
        new_page: false,
        blocks,
    }
}

/// 改进建议: each distinct measure once, with the findings it answers (for both
/// languages, the Chinese sentence then the English one).
fn recommendations(r: &ScoreReport, lang: Lang) -> Vec<String> {
    if lang == Lang::Both {
        return recommendations(r, Lang::Zh)
            .into_iter()
            .zip(recommendations(r, Lang::En))
            .map(|(zh, en)| format!("{zh} / {en}"))
            .collect();
    }
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for a in &r.corrective_actions {
        let measure = lang.text(&a.action);
        let issue = match &a.task {
            Some(id) => r
                .tasks
                .iter()
                .find(|t| &t.id == id)
                .map_or_else(|| id.clone(), |t| task_name(t, lang)),
            None => a.issue.clone(),
        };
        match out.iter_mut().find(|(m, _)| *m == measure) {
            Some((_, issues)) => issues.push(issue),
            None => out.push((measure, vec![issue])),
        }
    }
    out.into_iter()
        .map(|(m, issues)| {
            // An outcome's measure names its outcome already.
            let issues: Vec<String> = issues
                .into_iter()
                .filter(|i| !m.contains(i.as_str()))
                .collect();
            if issues.is_empty() {
                m
            } else {
                lang.pick(
                    &format!("{m}（针对{}）", issues.join("、")),
                    &format!("{m} (for {})", issues.join(", ")),
                )
            }
        })
        .collect()
}

fn actions_table(r: &ScoreReport, lang: Lang) -> Table {
    let col = |zh: &str, en: &str, width: u32| Col {
        head: lang.head(zh, en),
        width,
    };
    Table {
        cols: vec![
            col("编号", "No.", 8),
            col("问题", "Finding", 22),
            col("纠正措施", "Action", 42),
            col("责任人", "Owner", 14),
            col("完成期限", "Due", 14),
        ],
        rows: r
            .corrective_actions
            .iter()
            .map(|a| Row {
                cells: vec![
                    a.id.clone(),
                    match &a.task {
                        Some(id) => r
                            .tasks
                            .iter()
                            .find(|t| &t.id == id)
                            .map_or_else(|| id.clone(), |t| task_name(t, lang)),
                        None => a.issue.clone(),
                    },
                    lang.text(&a.action),
                    a.owner.clone(),
                    a.due.clone(),
                ],
                ..Row::default()
            })
            .collect(),
        note_head: String::new(),
    }
}

/// Builds the report's structure from the scores, the 演练概况 and the language.
pub fn build(r: &ScoreReport, meta: &ReportMeta, lang: Lang) -> Doc {
    let l = |zh: &str, en: &str| lang.pick(zh, en);
    let title = if meta.title.is_empty() {
        r.title.clone()
    } else {
        meta.title.clone()
    };
    let mut subtitle = Vec::new();
    if !meta.organiser.is_empty() {
        subtitle.push(meta.organiser.clone());
    }
    if !meta.held_on.is_empty() {
        subtitle.push(date_words(&meta.held_on, lang));
    }
    let mut sections = vec![overview(r, meta, lang)];
    let mut assessment: Vec<Block> = vec![Block::Verdict {
        text: lang.pick(
            &format!("评估结论：{}", r.conclusion.zh),
            &format!("Conclusion: {}", r.conclusion.en),
        ),
        passed: r.passed,
    }];
    assessment.extend(overall(r, lang).into_iter().map(Block::Para));
    assessment.push(Block::Charts);
    sections.push(Section {
        heading: l("二、总体评价", "2. Overall assessment"),
        new_page: false,
        blocks: assessment,
    });
    let mut tasks = task_section(r, lang);
    tasks.blocks.extend(field_records(r, meta, lang));
    sections.push(tasks);
    sections.push(outcome_section(r, lang));
    sections.push(Section {
        heading: l("五、存在问题", "5. Problems found"),
        new_page: false,
        blocks: vec![Block::Numbered(if r.improvements.is_empty() {
            vec![l("未发现问题", "none found")]
        } else {
            r.improvements.iter().map(|s| lang.text(s)).collect()
        })],
    });
    let recs = recommendations(r, lang);
    sections.push(Section {
        heading: l("六、改进建议", "6. Recommendations"),
        new_page: false,
        blocks: vec![Block::Numbered(if recs.is_empty() {
            vec![l("无", "none")]
        } else {
            recs
        })],
    });
    sections.push(Section {
        heading: l("七、纠正行动", "7. Corrective actions"),
        new_page: false,
        blocks: vec![
            Block::Table(actions_table(r, lang)),
            Block::Small(l(
                "纠正行动由责任人在完成期限前落实，结果在下次演练中检验。",
                "Each owner carries out the action by its due date; the next drill checks it.",
            )),
        ],
    });
    let mut lines = vec![SignLine {
        post: l("评估组长", "Lead evaluator"),
        name: meta.lead_evaluator.clone(),
    }];
    for e in &meta.evaluators {
        lines.push(SignLine {
            post: l("评估人员", "Evaluator"),
            name: e.clone(),
        });
    }
    // Room for evaluators whose names are written in by hand.
    while lines.len() < 4 {
        lines.push(SignLine {
            post: l("评估人员", "Evaluator"),
            name: String::new(),
        });
    }
    sections.push(Section {
        heading: l("评估组签字", "Signatures of the evaluation team"),
        new_page: false,
        blocks: vec![Block::Signatures {
            sign: l("签字", "Signature"),
            date: l("日期", "Date"),
            lines,
        }],
    });
    let (mz, me) = mode_words(r);
    sections.push(Section {
        heading: l("附录：技术信息", "Appendix: technical details"),
        new_page: false,
        blocks: vec![Block::Fields(vec![
            (l("情景编号", "Scenario id"), r.scenario_id.clone()),
            (l("情景名称", "Scenario"), r.title.clone()),
            (
                l("推演开始", "Simulation start"),
                format!(
                    "{:04}-{:02}-{:02} {:02}:{:02}",
                    r.start.year, r.start.month, r.start.day, r.start.hour, r.start.minute
                ),
            ),
            (l("评估方式", "Evaluated"), lang.pick(mz, me)),
            (l("随机种子", "Random seed"), r.seed.to_string()),
            (l("事件日志哈希", "Event-log hash"), r.log_hash.clone()),
            (
                l("复现方法", "To reproduce"),
                l(
                    "用相同情景、行动记录和随机种子重新运行 drill run，事件日志哈希应一致",
                    "run `drill run` again with the same scenario, log and seed: the event-log hash is the same",
                ),
            ),
        ])],
    });
    Doc {
        lang,
        kind: l("演练评估报告", "Drill evaluation report"),
        title,
        subtitle: subtitle.join(" · "),
        sections,
    }
}

/// The evaluators' observations (评估组现场记录) beside the engine's rating of each
/// task, and the participants' self-assessments (参演人员自评), as filed on `drill
/// serve`; nothing when none were filed.
fn field_records(r: &ScoreReport, meta: &ReportMeta, lang: Lang) -> Vec<Block> {
    let l = |zh: &str, en: &str| lang.pick(zh, en);
    let col = |zh: &str, en: &str, width: u32| Col {
        head: lang.head(zh, en),
        width,
    };
    let mut blocks = Vec::new();
    let observed: Vec<_> = meta
        .records
        .iter()
        .filter(|x| x.kind == "observation")
        .collect();
    if !observed.is_empty() {
        blocks.push(Block::Sub(l(
            "评估组现场记录（与引擎评定对照）",
            "Evaluators' observations, beside the engine's rating",
        )));
        let rows = observed
            .iter()
            .map(|x| {
                let task = r.tasks.iter().find(|t| t.id == x.task);
                let name = task.map_or(x.task.clone(), |t| format!("{} {}", t.id, t.title));
                let engine = task.map_or_else(|| "-".to_string(), rating_cell);
                let or_dash = |s: &str| {
                    if s.is_empty() {
                        "-".to_string()
                    } else {
                        s.to_string()
                    }
                };
                Row {
                    cells: vec![
                        name,
                        engine,
                        x.rating.clone().unwrap_or_else(|| "-".into()),
                        x.by.clone(),
                        or_dash(&x.started),
                        or_dash(&x.finished),
                    ],
                    rating: task.and_then(|t| t.rating),
                    met: None,
                    note: (!x.note.is_empty()).then(|| x.note.clone()),
                }
            })
            .collect();
        blocks.push(Block::Table(Table {
            cols: vec![
                col("任务", "Task", 30),
                col("引擎评定", "Engine", 12),
                col("评估组建议", "Evaluator", 12),
                col("评估员", "By", 18),
                col("开始", "Started", 14),
                col("完成", "Finished", 14),
            ],
            rows,
            note_head: l("观察记录", "Notes"),
        }));
    }
    let selves: Vec<_> = meta.records.iter().filter(|x| x.kind == "self").collect();
    if !selves.is_empty() {
        blocks.push(Block::Sub(l(
            "参演人员自评",
            "Participants' self-assessments",
        )));
        let rows = selves
            .iter()
            .map(|x| Row {
                cells: vec![
                    x.by.clone(),
                    x.rating.clone().unwrap_or_else(|| "-".into()),
                    x.well.clone(),
                    x.improve.clone(),
                ],
                ..Row::default()
            })
            .collect();
        blocks.push(Block::Table(Table {
            cols: vec![
                col("参演人员", "Participant", 20),
                col("自评", "Rating", 10),
                col("做得好的", "What went well", 35),
                col("需改进的", "What to improve", 35),
            ],
            rows,
            note_head: String::new(),
        }));
    }
    blocks
}

/// The evaluation rules in force (`rules`): the rating caps and the verdict rules, by
/// code, for the legend under the task table.
fn rating_rules(r: &ScoreReport, lang: Lang) -> String {
    let line = |l: Lang| -> Vec<String> {
        let caps = super::rules::RatingCap::ALL
            .iter()
            .map(|c| format!("{} {}", c.code(), l.text(&c.text())));
        let verdict = super::rules::verdict_rules(r.pass_score)
            .into_iter()
            .map(|(code, t)| format!("{code} {}", l.text(&t)));
        caps.chain(verdict).collect()
    };
    lang.pick(
        &format!("评估规则：{}。", line(Lang::Zh).join("；")),
        &format!("Evaluation rules: {}.", line(Lang::En).join("; ")),
    )
}

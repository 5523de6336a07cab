//! The `scenario` block: id, title, hazards, start date and time, duration, seed and
//! simulation step. Owns E0129 (a missing field), E0145 (a date not on the calendar),
//! E0307/E0315 (a duration of zero or over 30 days), E0316 (a step outside 1 s–10 min),
//! E0305 for the seed and W0001 (no `seed`).

use super::cursor::Cur;
use super::units::Dim;
use super::{Block, V};
use crate::lang::diagnostic::Diagnostic;
use crate::lang::syntax::{NodeKind, lines};
use crate::limits::{MAX_DURATION_S, MAX_STEP_S, MIN_STEP_S};
use crate::model::*;

/// Whether `year-month-day` exists in the proleptic Gregorian calendar.
fn calendar_date_exists(year: i32, month: u8, day: u8) -> bool {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

impl V {
    pub(super) fn scenario(&mut self, (file, body, header): &Block<'_>) {
        let mut header = Cur::new(header.file, header.nodes.clone());
        header.next();
        if let Some(NodeKind::Str { value, .. }) = header.peek().map(|n| &n.kind) {
            self.s.header.title = value.to_string();
            header.next();
        }
        self.finish(&header);
        self.s.header.step_s = 10.0;
        let (mut id, mut start, mut duration, mut seed) = (false, false, false, false);
        for line in lines(body) {
            let mut cur = Cur::new(*file, line);
            let Some(first) = cur.peek() else { continue };
            let opts = ["id", "title", "hazard", "start", "duration", "seed", "step"];
            let Some(kw) = self.choice(
                &mut cur,
                &opts,
                "a scenario field (id, title, hazard, start, duration, seed, step)",
            ) else {
                continue;
            };
            // A field that is present but wrong has its own message already.
            match kw {
                "id" => id = true,
                "start" => start = true,
                "duration" => duration = true,
                "seed" => seed = true,
                _ => {}
            }
            match kw {
                "id" => {
                    if let Some((v, _)) = self.name(&mut cur, "the scenario id") {
                        self.s.header.id = v;
                        id = true;
                    }
                }
                "title" => {
                    if let Some(t) = self.string(&mut cur, "the title") {
                        self.s.header.title = t;
                    }
                }
                "hazard" => {
                    while !cur.done() {
                        if let Some(k) = self.hazard_kind(&mut cur) {
                            self.s.header.hazard_kinds.push(k);
                        }
                    }
                }
                "start" => {
                    let header_span = cur.here();
                    let date = match cur.peek().map(|n| &n.kind) {
                        Some(NodeKind::Date { year, month, day }) => {
                            cur.next();
                            Some((*year, *month, *day))
                        }
                        _ => {
                            self.expected(
                                &cur,
                                "日期和时刻,如 2026-06-18 20:00",
                                "a date and time like 2026-06-18 20:00",
                                "write the start as YYYY-MM-DD HH:MM",
                            );
                            None
                        }
                    };
                    let time = match cur.peek().map(|n| &n.kind) {
                        Some(NodeKind::Time { hour, minute }) => {
                            cur.next();
                            Some((*hour, *minute))
                        }
                        _ if date.is_some() => {
                            self.expected(
                                &cur,
                                "时刻,如 20:00",
                                "a time like 20:00",
                                "write the start time after the date: 2026-06-18 20:00",
                            );
                            None
                        }
                        _ => None,
                    };
                    if let Some((year, month, day)) = date
                        && !calendar_date_exists(year, month, day)
                    {
                        self.err(
                            Diagnostic::error(
                                "E0145",
                                header_span,
                                format!("日期 {year}-{month:02}-{day:02} 不存在"),
                                format!("{year}-{month:02}-{day:02} is not a date on the calendar"),
                            )
                            .help("check the month and day: February has 28 days (29 in leap years); April, June, September and November have 30"),
                        );
                    }
                    if let (Some((year, month, day)), Some((hour, minute))) = (date, time) {
                        self.s.header.start = DateTime {
                            year,
                            month,
                            day,
                            hour,
                            minute,
                        };
                        self.start_of_day_s = self.s.header.start.seconds_of_day();
                        start = true;
                    }
                }
                "duration" | "step" => {
                    let span = cur.here();
                    if let Some(t) = self.quantity(&mut cur, Dim::Time) {
                        if t <= 0.0 {
                            self.err(
                                Diagnostic::error(
                                    "E0307",
                                    span,
                                    "时长必须大于 0",
                                    "must be longer than zero",
                                )
                                .help("write a positive time like 12h"),
                            );
                        } else if kw == "duration" {
                            if t > MAX_DURATION_S {
                                self.err(
                                    Diagnostic::error(
                                        "E0315",
                                        span,
                                        "演练时长超过 30 天",
                                        "a drill of more than 30 days",
                                    )
                                    .help("a drill covers hours to days: write e.g. `duration 12h` or `duration 3d`"),
                                );
                            } else {
                                self.s.header.duration_s = t;
                                duration = true;
                            }
                        } else if !(MIN_STEP_S..=MAX_STEP_S).contains(&t) {
                            self.err(
                                Diagnostic::error(
                                    "E0316",
                                    span,
                                    "步长应在 1 秒到 10 分钟之间",
                                    "the step must be between 1 s and 10 min",
                                )
                                .help("people walk and water rises within a step: the default `step 10s` suits most drills"),
                            );
                        } else {
                            self.s.header.step_s = t;
                        }
                    }
                }
                "seed" => {
                    let span = cur.here();
                    if let Some(n) = self.number(&mut cur, "the seed") {
                        if n < 0.0 || n.fract() != 0.0 {
                            self.err(
                                Diagnostic::error(
                                    "E0305",
                                    span,
                                    "种子应为非负整数",
                                    "the seed must be a whole number, 0 or more",
                                )
                                .help("write a number like 20260618"),
                            );
                        } else {
                            self.s.header.seed = n as u64;
                            seed = true;
                        }
                    }
                }
                _ => {}
            }
            let _ = first;
            self.finish(&cur);
        }
        let at = header.whole();
        for (present, field, example) in [
            (id, "id", "id zhuyuan-flood-2026"),
            (start, "start", "start 2026-06-18 20:00"),
            (duration, "duration", "duration 12h"),
        ] {
            if !present {
                self.err(
                    Diagnostic::error(
                        "E0129",
                        at,
                        format!("scenario 块缺少 `{field}`"),
                        format!("the scenario block has no `{field}`"),
                    )
                    .help(format!("add a line like `{example}`")),
                );
            }
        }
        if !seed {
            self.err(
                Diagnostic::warning("W0001", at, "没有写 seed,使用 0", "no `seed`; using 0")
                    .help("add `seed 20260618` so runs are reproducible on purpose"),
            );
        }
    }
}

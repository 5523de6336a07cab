//! The `hazard` blocks: 洪水 flood, 森林火灾 forest fire (fuel models, moisture, wind,
//! ignitions) and 危化泄漏 chemical release (source, substance, release, weather).
//! Owns E0124 for a second block of one kind, W0002 (a kind the scenario's `hazard`
//! line does not list), E0310/E0312 (bad fuel classes, an unknown fuel model), E0137
//! (a fire without an ignition), E0311/E0313 (a bad stability class, an unknown
//! substance) and E0138 (a release missing an input).

use super::cursor::Cur;
use super::units::Dim;
use super::{Block, UNKNOWN, V};
use crate::hazard::fire::fuel::FuelCatalog;
use crate::hazard::plume::find_substance;
use crate::lang::diagnostic::Diagnostic;
use crate::lang::keywords;
use crate::lang::syntax::{NodeKind, lines};
use crate::limits;
use crate::model::*;
use std::collections::BTreeSet;

impl V {
    pub(super) fn hazard(&mut self, (file, body, header): &Block<'_>) {
        let mut h = Cur::new(header.file, header.nodes.clone());
        h.next();
        let Some(kind) = self.hazard_kind(&mut h) else {
            return;
        };
        self.finish(&h);
        let exists = self.s.hazards.iter().any(|x| {
            matches!(
                (x, kind),
                (Hazard::Flood(_), HazardKind::Flood)
                    | (Hazard::Fire(_), HazardKind::ForestFire)
                    | (Hazard::Chemical(_), HazardKind::Chemical)
            )
        });
        if exists {
            self.err(
                Diagnostic::error(
                    "E0124",
                    h.whole(),
                    "同一灾种只能写一个 hazard 块",
                    "a second hazard block of the same kind",
                )
                .help("merge them into one block"),
            );
            return;
        }
        if !self.s.header.hazard_kinds.is_empty() && !self.s.header.hazard_kinds.contains(&kind) {
            self.err(
                Diagnostic::warning(
                    "W0002",
                    h.whole(),
                    "scenario 的 hazard 没有列出这个灾种",
                    "this hazard kind is not listed in the scenario's `hazard` line",
                )
                .help("add it to `hazard` in the scenario block"),
            );
        }
        let lines = lines(body);
        match kind {
            HazardKind::Flood => {
                let mut spec = FloodSpec {
                    manning_n: 0.035,
                    ..FloodSpec::default()
                };
                for line in lines {
                    let mut cur = Cur::new(*file, line);
                    let Some(kw) = self.choice(
                        &mut cur,
                        &["rain", "inflow", "manning"],
                        "a flood input (rain, inflow, manning)",
                    ) else {
                        continue;
                    };
                    match kw {
                        "rain" => {
                            spec.rain_mm_h =
                                self.timeline(&mut cur, Dim::Rain, "rain", limits::RAIN)
                        }
                        "inflow" => {
                            if let Some((name, span)) = self.name(&mut cur, "a river") {
                                let r = self.resolve(|n| &n.rivers, &name, span, "river", "河流");
                                let t = self.timeline(
                                    &mut cur,
                                    Dim::Discharge,
                                    "an inflow",
                                    limits::INFLOW,
                                );
                                if r != UNKNOWN {
                                    spec.inflows.push(Inflow {
                                        river: RiverIdx(r),
                                        discharge_m3_s: t,
                                        span,
                                    });
                                }
                            }
                        }
                        _ => {
                            spec.manning_n = self
                                .number_in(&mut cur, "Manning's n", limits::MANNING)
                                .unwrap_or(0.035)
                        }
                    }
                    self.finish(&cur);
                }
                self.s.hazards.push(Hazard::Flood(spec));
            }
            HazardKind::ForestFire => {
                let mut spec = FireSpec::default();
                for line in lines {
                    let mut cur = Cur::new(*file, line);
                    let Some(kw) = self.choice(
                        &mut cur,
                        &["ignition", "fuel", "wind", "moisture"],
                        "a fire input (ignition, fuel, wind, moisture)",
                    ) else {
                        continue;
                    };
                    match kw {
                        "ignition" => {
                            let p = self.point(&mut cur);
                            let t = if cur.eat_kw("at") {
                                self.time(&mut cur)
                            } else {
                                Some(0.0)
                            };
                            if let (Some(at), Some(time_s)) = (p, t) {
                                spec.ignitions.push(Ignition { at, time_s });
                            }
                        }
                        "fuel" => {
                            let fuel_span = cur.here();
                            let code = match cur.next().map(|n| &n.kind) {
                                Some(NodeKind::Word(w)) => w.to_string(),
                                Some(NodeKind::Quantity {
                                    text, unit: None, ..
                                }) => text.to_string(),
                                Some(NodeKind::Str { value, .. }) => value.to_string(),
                                _ => {
                                    self.expected(
                                        &cur,
                                        "可燃物模型代码,如 TL3",
                                        "a fuel model code like TL3 or 4",
                                        "write a code such as TL3, GS2 or 1..13",
                                    );
                                    continue;
                                }
                            };
                            let catalog = FuelCatalog::standard();
                            if catalog.index_of(&code).is_none() {
                                let codes: Vec<&str> =
                                    catalog.models().iter().map(|m| m.code.as_str()).collect();
                                let d = Diagnostic::error(
                                    "E0312",
                                    fuel_span,
                                    format!("未知的可燃物模型 `{code}`"),
                                    format!("unknown fuel model `{code}`"),
                                );
                                self.err(match keywords::nearest(&code, codes.iter().copied()) {
                                    Some(s) => d.help(format!("did you mean `{s}`? / 是否应为 `{s}`?")),
                                    None => d.help("use a Scott & Burgan code (GR1..GR9, GS1..GS4, SH1..SH9, TU1..TU5, TL1..TL9, SB1..SB4, NB1..NB9) or an Anderson number 1..13"),
                                });
                            }
                            if cur.eat_kw("in") {
                                if let Some((name, span)) = self.name(&mut cur, "a zone") {
                                    let z =
                                        self.resolve(|n| &n.zones, &name, span, "zone", "危险区");
                                    if z != UNKNOWN {
                                        spec.fuel_zones.push((ZoneIdx(z), code));
                                    }
                                }
                            } else {
                                spec.default_fuel = Some(code);
                            }
                        }
                        "wind" => {
                            spec.wind = self.entries(&mut cur, |v, c| {
                                let speed_m_s =
                                    v.quantity_in(c, Dim::Speed, "a wind speed", limits::WIND)?;
                                let from_deg = v.quantity(c, Dim::Angle)?;
                                Some(Wind {
                                    speed_m_s,
                                    from_deg,
                                })
                            })
                        }
                        _ => {
                            while !cur.done() {
                                let slot = match cur.peek().map(|n| &n.kind) {
                                    Some(NodeKind::Quantity {
                                        unit: Some(u),
                                        value,
                                        ..
                                    }) if u == "h" => {
                                        let v = *value;
                                        cur.next();
                                        match v as u32 {
                                            1 => &mut spec.moisture.dead_1h,
                                            10 => &mut spec.moisture.dead_10h,
                                            100 => &mut spec.moisture.dead_100h,
                                            _ => {
                                                self.err(Diagnostic::error("E0310", cur.here(), "死可燃物时滞只能是 1h, 10h, 100h", "dead fuel classes are 1h, 10h and 100h").help("write `moisture 1h 6% 10h 7% 100h 8% herb 60% woody 90%`"));
                                                break;
                                            }
                                        }
                                    }
                                    _ => match self.choice(
                                        &mut cur,
                                        &["herb", "woody"],
                                        "a moisture class (1h, 10h, 100h, herb, woody)",
                                    ) {
                                        Some("herb") => &mut spec.moisture.live_herb,
                                        Some(_) => &mut spec.moisture.live_woody,
                                        None => break,
                                    },
                                };
                                // `slot` borrows spec; read the value first.
                                let mut tmp = 0.0;
                                if let Some(p) = self.percent(&mut cur) {
                                    tmp = p;
                                }
                                *slot = tmp;
                            }
                        }
                    }
                    self.finish(&cur);
                }
                if spec.ignitions.is_empty() {
                    self.err(
                        Diagnostic::error(
                            "E0137",
                            h.whole(),
                            "火灾缺少起火点",
                            "a fire hazard needs at least one `ignition`",
                        )
                        .help("add `ignition (x, y) at 13:40`"),
                    );
                }
                self.s.hazards.push(Hazard::Fire(spec));
            }
            HazardKind::Chemical => {
                let (
                    mut source,
                    mut substance,
                    mut release,
                    mut start,
                    mut height,
                    mut weather,
                    mut urban,
                ) = (None, None, None, 0.0, 1.0, Vec::new(), false);
                // Inputs written at all, even if unreadable (already reported): only a
                // truly absent one is "missing".
                let mut written = BTreeSet::new();
                for line in lines {
                    let mut cur = Cur::new(*file, line);
                    let Some(kw) = self.choice(&mut cur, &["source", "substance", "release", "start", "height", "weather", "terrain"], "a chemical input (source, substance, release, start, height, weather, terrain)") else { continue };
                    written.insert(kw);
                    match kw {
                        "source" => {
                            source = if matches!(
                                cur.peek().map(|n| &n.kind),
                                Some(NodeKind::Point { .. })
                            ) {
                                self.point(&mut cur)
                            } else {
                                self.place_ref(&mut cur).map(|p| self.s.place(p).pos)
                            };
                        }
                        "substance" => {
                            // Kept even when unknown, so no "missing substance" follows.
                            substance = self.name(&mut cur, "a substance").map(|(name, span)| {
                                if let Err(message) = find_substance(&name) {
                                    self.err(
                                        Diagnostic::error(
                                            "E0313",
                                            span,
                                            format!("未知的危化品 `{name}`"),
                                            format!("unknown substance `{name}`"),
                                        )
                                        .help(message),
                                    );
                                }
                                name
                            })
                        }
                        "release" => {
                            match self.choice(&mut cur, &["rate", "mass"], "`rate` or `mass`") {
                                Some("rate") => {
                                    let kg_s = self.quantity_in(
                                        &mut cur,
                                        Dim::MassRate,
                                        "a release rate",
                                        limits::RELEASE_RATE,
                                    );
                                    let d = if cur.eat_kw("for") {
                                        self.quantity_in(
                                            &mut cur,
                                            Dim::Time,
                                            "a release's `for`",
                                            limits::RELEASE_FOR,
                                        )
                                    } else {
                                        self.expected(
                                            &cur,
                                            "for",
                                            "`for` and a duration",
                                            "write `release rate 2kg/s for 30min`",
                                        );
                                        None
                                    };
                                    if let (Some(kg_s), Some(duration_s)) = (kg_s, d) {
                                        release = Some(Release::Rate { kg_s, duration_s });
                                    }
                                }
                                Some(_) => {
                                    release = self
                                        .quantity_in(
                                            &mut cur,
                                            Dim::Mass,
                                            "a released mass",
                                            limits::RELEASE_MASS,
                                        )
                                        .map(|kg| Release::Mass { kg })
                                }
                                None => {}
                            }
                        }
                        "start" => start = self.time(&mut cur).unwrap_or(0.0),
                        "height" => {
                            height = self
                                .quantity_in(
                                    &mut cur,
                                    Dim::Length,
                                    "`height`",
                                    limits::RELEASE_HEIGHT,
                                )
                                .unwrap_or(1.0)
                        }
                        "weather" => {
                            weather = self.entries(&mut cur, |v, c| {
                                let speed_m_s =
                                    v.quantity_in(c, Dim::Speed, "a wind speed", limits::WIND)?;
                                let from_deg = v.quantity(c, Dim::Angle)?;
                                let n = c.next()?;
                                let stab = match n.word() {
                                    Some("A") => Stability::A,
                                    Some("B") => Stability::B,
                                    Some("C") => Stability::C,
                                    Some("D") => Stability::D,
                                    Some("E") => Stability::E,
                                    Some("F") => Stability::F,
                                    _ => {
                                        let s = c.span_of(n);
                                        v.err(
                                            Diagnostic::error(
                                                "E0311",
                                                s,
                                                "大气稳定度应为 A 到 F",
                                                format!(
                                                    "expected a stability class A..F, found {}",
                                                    n.describe()
                                                ),
                                            )
                                            .help("write a Pasquill class: A B C D E F"),
                                        );
                                        return None;
                                    }
                                };
                                Some(PlumeWeather {
                                    wind: Wind {
                                        speed_m_s,
                                        from_deg,
                                    },
                                    stability: stab,
                                })
                            })
                        }
                        _ => {
                            urban = self.choice(&mut cur, &["urban", "rural"], "`urban` or `rural`")
                                == Some("urban")
                        }
                    }
                    self.finish(&cur);
                }
                let at = h.whole();
                for what in ["source", "substance", "release"] {
                    if !written.contains(what) {
                        self.err(
                            Diagnostic::error(
                                "E0138",
                                at,
                                format!("危化泄漏缺少 `{what}`"),
                                format!("the chemical hazard has no `{what}`"),
                            )
                            .help("see docs/LANGUAGE.md, `hazard chemical`"),
                        );
                    }
                }
                if let (Some(source), Some(substance), Some(release)) = (source, substance, release)
                {
                    self.s.hazards.push(Hazard::Chemical(ChemicalSpec {
                        source,
                        substance,
                        release,
                        start_s: start,
                        height_m: height,
                        weather,
                        urban,
                    }));
                }
            }
        }
    }
}

//! Generated scenarios of any size, for benchmarks and property tests.

use std::fmt::Write;

/// A valid scenario of about `lines` lines (four per village: its place, the road
/// to it, its grid worker and its plan task): many places, roads, roles and plan
/// tasks, with Chinese names, so parsing and validation are exercised at scale.
pub fn large_scenario(lines: usize) -> String {
    let n = (lines / 4).max(2);
    let mut s = String::with_capacity(lines * 60);
    s.push_str("// generated scenario\nscenario \"生成的演练\" {\n  id gen-1\n  hazard flood\n  start 2026-06-18 20:00\n  duration 12h\n  seed 1\n}\n\nmap {\n  cell 10m\n");
    s.push_str("  shelter 避灾点0 at (0, 0) capacity 100000000 { water power }\n");
    for i in 0..n {
        let _ = writeln!(
            s,
            "  place 村{i} at ({}, {}) households {} people {} {{ elderly {} disabled 1 }}",
            i % 1000 * 10,
            i / 1000 * 10,
            10 + i % 7,
            40 + i % 13,
            5 + i % 3
        );
    }
    for i in 1..n {
        let _ = writeln!(s, "  road 村{} -> 村{i} width 4m", i - 1);
    }
    s.push_str("  zone 低洼区 level red hazard flood polygon (0,0) (100,0) (100,100) (0,100)\n}\n\nroles {\n");
    for i in 0..n {
        let _ = writeln!(s, "  网格员{i} level group count 1 post 村{i}");
    }
    s.push_str("}\n\nresources {\n  村广播 loudspeaker at 村0 radius 600m\n  megaphone 6 at 村0\n}\n\nplan \"生成的处置卡\" {\n");
    for i in 0..n {
        let trigger = if i == 0 {
            "when warning red".to_string()
        } else {
            format!("after T{}", i - 1)
        };
        let _ = writeln!(
            s,
            "  task T{i} \"转移村{i}\" {{ {trigger} who 网格员{i} do evacuate [elderly] from 村{i} to 避灾点0 within 90min }}"
        );
    }
    s.push_str("}\n\ninjects {\n  1 at 20:00 from 县气象局 via phone \"发布山洪红色预警\" expect T0 effect warning red\n}\n");
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_scenario_checks_clean() {
        let text = super::large_scenario(500);
        let (sources, result) = super::super::check_text("gen.drill", &text);
        let errors: Vec<_> = result.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(
            errors.is_empty(),
            "{}",
            super::super::render(&result.diagnostics, &sources)
        );
        assert_eq!(result.scenario.unwrap().plan.tasks.len(), 125);
        assert!((500..540).contains(&text.lines().count()));
    }
}

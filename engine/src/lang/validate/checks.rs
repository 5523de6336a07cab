//! The checks that need the whole scenario resolved, run once every block is read:
//! shelter capacity against the people the plan moves there (E0407), cycles among
//! `after`/`before` (E0408) and tasks without a deadline (W0006); and the loudspeaker
//! reach of plan tasks (see `reach`).

use super::V;
use super::reach::{out_of_loudspeaker_reach, places_of};
use crate::lang::diagnostic::Diagnostic;
use crate::model::*;
use std::collections::BTreeMap;

impl V {
    pub(super) fn semantic_checks(&mut self) {
        // Shelter capacity against the people plan tasks move there.
        let mut assigned: BTreeMap<u32, (u64, Vec<Span>)> = BTreeMap::new();
        for task in &self.s.plan.tasks {
            if let Work::Evacuate {
                groups,
                from,
                to: Some(to),
            } = &task.work
            {
                let people = self.people_in(*from, groups);
                let e = assigned.entry(to.0).or_default();
                e.0 += people;
                e.1.push(task.span);
            }
        }
        for (shelter, (people, spans)) in assigned {
            let p = &self.s.map.places[shelter as usize];
            let capacity = p.shelter.as_ref().map_or(0, |s| s.capacity);
            if people > u64::from(capacity) {
                let mut d = Diagnostic::error("E0407", p.span, format!("避灾点 `{}` 容量 {capacity} 人,预案转移到此 {people} 人", p.name), format!("shelter `{}` holds {capacity} people but the plan moves {people} there", p.name))
                    .label("capacity too small")
                    .help("raise `capacity`, or send some people to another shelter / 增加容量或分流到其他避灾点");
                for s in spans {
                    d = d.secondary(s, "moves people here");
                }
                self.err(d);
            }
        }
        self.diags.extend(out_of_loudspeaker_reach(&self.s));
        // Cycles in after/before.
        let n = self.s.plan.tasks.len();
        let mut adj: Vec<Vec<u32>> = vec![Vec::new(); n];
        for &(a, b) in &self.edges {
            if (a as usize) < n && (b as usize) < n {
                adj[a as usize].push(b);
            }
        }
        let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
        for root in 0..n {
            if state[root] != 0 {
                continue;
            }
            // Iterative DFS so a long chain of tasks cannot overflow the stack.
            let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
            state[root] = 1;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                if let Some(&succ) = adj[node].get(*next) {
                    *next += 1;
                    let succ = succ as usize;
                    match state[succ] {
                        0 => {
                            state[succ] = 1;
                            stack.push((succ, 0));
                        }
                        1 => {
                            let pos = stack.iter().position(|&(x, _)| x == succ).unwrap_or(0);
                            let cycle: Vec<usize> = stack[pos..].iter().map(|&(x, _)| x).collect();
                            let names: Vec<String> = cycle
                                .iter()
                                .chain(std::iter::once(&succ))
                                .map(|&i| self.s.plan.tasks[i].id.clone())
                                .collect();
                            let mut d = Diagnostic::error("E0408", self.s.plan.tasks[succ].span, format!("任务先后关系成环: {}", names.join(" -> ")), format!("tasks wait for each other in a cycle: {}", names.join(" -> ")))
                                .help("remove one `after`/`before` so the order has a start / 删除一个 after/before");
                            for &i in &cycle[1..] {
                                d = d.secondary(self.s.plan.tasks[i].span, "part of the cycle");
                            }
                            self.err(d);
                        }
                        _ => {}
                    }
                } else {
                    state[node] = 2;
                    stack.pop();
                }
            }
        }
        // Evacuation tasks to no shelter, places in no zone: warnings only.
        for task in &self.s.plan.tasks {
            if task.deadline.is_none() && matches!(task.work, Work::Warn(_) | Work::Evacuate { .. })
            {
                self.diags.push(
                    Diagnostic::warning(
                        "W0006",
                        task.span,
                        format!("任务 {} 没有时限", task.id),
                        format!(
                            "task {} has no deadline, so its timeliness cannot be scored",
                            task.id
                        ),
                    )
                    .help("add `within 30min` or `by 21:00`"),
                );
            }
        }
    }

    /// People of the given groups (everyone when empty) at a target.
    fn people_in(&self, target: Target, groups: &[Group]) -> u64 {
        places_of(&self.s, target)
            .iter()
            .map(|p| {
                if groups.is_empty() {
                    return u64::from(p.people);
                }
                let g = p.groups;
                let named = u64::from(g.elderly)
                    + u64::from(g.disabled)
                    + u64::from(g.children)
                    + u64::from(g.dilapidated)
                    + u64::from(g.outdoor_workers);
                let sum: u64 = groups
                    .iter()
                    .map(|g2| match g2 {
                        Group::Elderly => u64::from(g.elderly),
                        Group::Disabled => u64::from(g.disabled),
                        Group::Children => u64::from(g.children),
                        Group::Dilapidated => u64::from(g.dilapidated),
                        Group::OutdoorWorkers => u64::from(g.outdoor_workers),
                        Group::Adults => u64::from(p.people).saturating_sub(named),
                    })
                    .sum();
                sum.min(u64::from(p.people))
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{EXAMPLE, errors_of};

    #[test]
    fn shelter_capacity_is_checked_against_planned_evacuations() {
        // T3 moves the elderly and disabled of 下村: 52 + 6 = 58 people.
        let (codes, rendered) = errors_of(&EXAMPLE.replace("capacity 300", "capacity 50"));
        assert_eq!(codes, vec!["E0407"], "{rendered}");
        assert!(rendered.contains("moves 58 there"), "{rendered}");
        assert!(
            errors_of(&EXAMPLE.replace("capacity 300", "capacity 58"))
                .0
                .is_empty()
        );
    }
}

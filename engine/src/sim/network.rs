//! The road network (路网): places as nodes, links as two-way edges, shortest paths with
//! deterministic tie-breaks, and the per-direction queues of the movement model.
//!
//! Movement is a queue model (a point-queue with storage, as in mesoscopic traffic
//! models): a household enters a link direction if its storage has room, walks its
//! length at its own free speed slowed by the crowd walking there with it (Weidmann's
//! speed–density relation, [`crowd_speed_factor`]), then leaves in first-in-first-out
//! order no faster than the link's flow capacity, `specific flow × width` (IMO
//! MSC.1/Circ.1533: 1.3 persons per metre per second). Times inside the model are
//! continuous, so a bottleneck's flow does not depend on the step length; events are
//! stamped with the step.

use crate::model::{LinkIdx, Map, PlaceIdx};
use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

/// One direction of a link: `dir` 0 runs `from → to`, 1 runs `to → from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DirLink {
    pub link: LinkIdx,
    pub reverse: bool,
}

impl DirLink {
    pub fn slot(self) -> usize {
        self.link.index() * 2 + usize::from(self.reverse)
    }
}

/// A household in a link's queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Walker {
    pub household: u32,
    pub people: u32,
    /// When it entered the link.
    pub entered_s: f64,
    /// When it reaches the link's far end at its present pace.
    pub ready_s: f64,
    /// The crowd factor its `ready_s` was worked out with ([`crowd_speed_factor`]).
    pub factor: f64,
    /// Where its present pace began: at `pace_from_s` it had walked `done_at_pace`
    /// of the link (0 to 1). A change of pace keeps its position; the editor draws it
    /// from these.
    pub pace_from_s: f64,
    pub done_at_pace: f64,
    /// Counted among the lane's `walking` (until it is seen at the far end).
    pub walking: bool,
}

impl Walker {
    /// The share of the link walked by `t_s`, 0 to 1.
    pub fn progress(&self, t_s: f64) -> f64 {
        let span = (self.ready_s - self.pace_from_s).max(1e-9);
        (self.done_at_pace + (1.0 - self.done_at_pace) * (t_s - self.pace_from_s) / span)
            .clamp(0.0, 1.0)
    }

    /// Walks on from `t_s` at a new crowd factor: the rest of the way takes
    /// `factor / new` times as long.
    pub fn repace(&mut self, t_s: f64, new: f64) {
        if new == self.factor || self.ready_s <= t_s {
            return;
        }
        let t = t_s.max(self.pace_from_s);
        self.done_at_pace = self.progress(t);
        self.pace_from_s = t;
        self.ready_s = t + (self.ready_s - t) * self.factor / new;
        self.factor = new;
    }
}

/// Weidmann's jam density, persons per m² (Weidmann 1993, p. 56: 5.4 p/m²).
pub const JAM_DENSITY_P_M2: f64 = 5.4;
/// Weidmann's fitted constant γ of the speed–density relation, persons per m²
/// (Weidmann 1993: 1.913).
const WEIDMANN_GAMMA: f64 = 1.913;
/// The slowest a crowd moves, as a share of the free speed: Weidmann's curve reaches
/// standstill at jam density; a jammed link is still let drain (an assumption; reached
/// from 4.9 p/m²).
pub const CROWD_FACTOR_MIN: f64 = 0.05;

/// 人群密度减速 — the share of the free walking speed kept among `density` persons per
/// m² walking around one: Weidmann's speed–density relation (Weidmann 1993, eq. as in
/// RiMEA 4.1.1 test 4), v(ρ) = v₀ (1 − exp(−γ (1/ρ − 1/ρ_max))), γ = 1.913 p/m²,
/// ρ_max = 5.4 p/m², as a factor on each walker's own free speed; 1 with nobody around.
pub fn crowd_speed_factor(density: f64) -> f64 {
    if density <= 0.0 {
        return 1.0;
    }
    let f = 1.0 - (-WEIDMANN_GAMMA * (1.0 / density - 1.0 / JAM_DENSITY_P_M2)).exp();
    f.clamp(CROWD_FACTOR_MIN, 1.0)
}

/// The dynamic state of one link direction.
#[derive(Debug, Clone, Default)]
pub struct Lane {
    pub queue: VecDeque<Walker>,
    /// People on the link now (storage used).
    pub people: u32,
    /// Earliest time the next household may leave (flow capacity). The headway
    /// `people / capacity` is added to it in continuous time, so the part of a second
    /// a step does not use carries over to the next step.
    pub next_exit_s: f64,
    /// People still walking it (not yet at its far end), as of the last count
    /// ([`Network::repace_lane`]), plus those who entered since, less those of them
    /// who left.
    pub walking: u32,
    /// Someone at the entrance found the link full and waits for room.
    pub blocked: bool,
    /// When room last came free for a waiting household (the first exit after it was
    /// refused): it enters then, not at the start of the step.
    pub room_at_s: f64,
}

/// The static network plus link states and lanes.
#[derive(Debug, Clone)]
pub struct Network {
    /// For each place, its incident links as `(neighbour, link)` sorted by link index.
    pub adjacency: Vec<Vec<(PlaceIdx, LinkIdx)>>,
    pub from: Vec<PlaceIdx>,
    pub to: Vec<PlaceIdx>,
    pub length_m: Vec<f64>,
    /// Flow capacity, persons per second (each direction).
    pub capacity_p_s: Vec<f64>,
    /// Storage, persons (each direction).
    pub storage_p: Vec<u32>,
    /// Walking area, m² (length × width): the crowd's density is people over it.
    pub area_m2: Vec<f64>,
    pub foot_only: Vec<bool>,
    pub open: Vec<bool>,
    /// Closed only because the hazard made it dangerous (not by anyone's order):
    /// households keep off it, teams whose work is in the danger may still use it.
    pub hazard_closed: Vec<bool>,
    pub lanes: Vec<Lane>,
    /// Bumped whenever a link closes: routes planned under an older version are checked.
    pub version: u32,
}

impl Network {
    pub fn new(map: &Map, specific_flow: f64, storage_density: f64) -> Network {
        let n = map.places.len();
        let mut adjacency = vec![Vec::new(); n];
        let mut from = Vec::with_capacity(map.links.len());
        let mut to = Vec::with_capacity(map.links.len());
        let mut length_m = Vec::with_capacity(map.links.len());
        let mut capacity_p_s = Vec::with_capacity(map.links.len());
        let mut storage_p = Vec::with_capacity(map.links.len());
        let mut area_m2 = Vec::with_capacity(map.links.len());
        let mut foot_only = Vec::with_capacity(map.links.len());
        for (i, link) in map.links.iter().enumerate() {
            let idx = LinkIdx(i as u32);
            if link.from.index() < n && link.to.index() < n {
                adjacency[link.from.index()].push((link.to, idx));
                adjacency[link.to.index()].push((link.from, idx));
            }
            let width = link.width_m.max(0.1);
            let length = link.length_m.max(0.1);
            from.push(link.from);
            to.push(link.to);
            length_m.push(length);
            capacity_p_s.push(specific_flow * width);
            storage_p.push(((storage_density * width * length).floor() as u32).max(1));
            area_m2.push(width * length);
            foot_only.push(link.kind == crate::model::LinkKind::Path);
        }
        let links = map.links.len();
        Network {
            adjacency,
            from,
            to,
            length_m,
            capacity_p_s,
            storage_p,
            area_m2,
            foot_only,
            open: vec![true; links],
            hazard_closed: vec![false; links],
            lanes: vec![Lane::default(); links * 2],
            version: 0,
        }
    }

    /// The crowd factor for someone entering lane `slot` with `people` of their own:
    /// the density of the others walking there with them.
    pub fn entry_factor(&self, slot: usize, people: u32) -> f64 {
        let others = self.lanes[slot].walking + people.saturating_sub(1);
        crowd_speed_factor(f64::from(others) / self.area_m2[slot / 2])
    }

    /// Counts who still walks lane `slot` at `t_s` and sets their pace from the
    /// crowd's density from then on (each walker among the others: `walking − 1`).
    pub fn repace_lane(&mut self, slot: usize, t_s: f64) {
        let area = self.area_m2[slot / 2];
        let lane = &mut self.lanes[slot];
        let mut walking = 0;
        for w in lane.queue.iter_mut() {
            w.walking = w.ready_s > t_s;
            if w.walking {
                walking += w.people;
            }
        }
        lane.walking = walking;
        if walking == 0 {
            return;
        }
        let factor = crowd_speed_factor(f64::from(walking - 1) / area);
        for w in lane.queue.iter_mut() {
            w.repace(t_s, factor);
        }
    }

    pub fn places(&self) -> usize {
        self.adjacency.len()
    }

    /// The direction of `link` that leaves `at`.
    pub fn dir_from(&self, link: LinkIdx, at: PlaceIdx) -> DirLink {
        DirLink {
            link,
            reverse: self.from[link.index()] != at,
        }
    }

    /// The place a direction leads to.
    pub fn head(&self, d: DirLink) -> PlaceIdx {
        if d.reverse {
            self.from[d.link.index()]
        } else {
            self.to[d.link.index()]
        }
    }

    pub fn tail(&self, d: DirLink) -> PlaceIdx {
        if d.reverse {
            self.to[d.link.index()]
        } else {
            self.from[d.link.index()]
        }
    }

    /// Closes a link; returns false when it was already closed.
    pub fn close(&mut self, link: LinkIdx) -> bool {
        // A deliberate closure holds for everyone, also where the hazard closed it first.
        self.hazard_closed[link.index()] = false;
        let open = &mut self.open[link.index()];
        let was = *open;
        *open = false;
        if was {
            self.version += 1;
        }
        was
    }

    /// Closes a link because the hazard made it dangerous; false when already closed.
    pub fn close_for_hazard(&mut self, link: LinkIdx) -> bool {
        if !self.open[link.index()] {
            return false;
        }
        self.close(link);
        self.hazard_closed[link.index()] = true;
        true
    }

    /// Shortest distances (metres) from every place to `target` over open links, with
    /// each place's next link towards it. Ties are broken by lower place index, then
    /// lower link index, so routes never depend on hash or heap order. With
    /// `vehicles`, foot paths (小路) are left out. Dangerous links are avoided because
    /// hazard sampling closes them.
    pub fn tree_to(&self, target: PlaceIdx, vehicles: bool) -> RouteTree {
        self.tree_through(target, vehicles, false)
    }

    /// As [`Network::tree_to`]; with `through_danger`, links closed only by the hazard
    /// count as open (a team whose work lies in the danger goes in).
    pub fn tree_through(
        &self,
        target: PlaceIdx,
        vehicles: bool,
        through_danger: bool,
    ) -> RouteTree {
        let n = self.places();
        let mut dist = vec![f64::INFINITY; n];
        let mut next: Vec<Option<LinkIdx>> = vec![None; n];
        let mut heap = BinaryHeap::new();
        if target.index() < n {
            dist[target.index()] = 0.0;
            heap.push(Node {
                dist: 0.0,
                place: target.0,
            });
        }
        while let Some(Node { dist: d, place }) = heap.pop() {
            if d > dist[place as usize] {
                continue;
            }
            for &(nb, link) in &self.adjacency[place as usize] {
                let passable =
                    self.open[link.index()] || (through_danger && self.hazard_closed[link.index()]);
                if !passable || (vehicles && self.foot_only[link.index()]) {
                    continue;
                }
                let nd = d + self.length_m[link.index()];
                let slot = &mut dist[nb.index()];
                let better =
                    nd < *slot || (nd == *slot && next[nb.index()].is_some_and(|l| link < l));
                if better {
                    *slot = nd;
                    next[nb.index()] = Some(link);
                    heap.push(Node {
                        dist: nd,
                        place: nb.0,
                    });
                }
            }
        }
        RouteTree { target, dist, next }
    }
}

/// Shortest-path tree towards one target place.
#[derive(Debug, Clone)]
pub struct RouteTree {
    pub target: PlaceIdx,
    pub dist: Vec<f64>,
    pub next: Vec<Option<LinkIdx>>,
}

impl RouteTree {
    /// The link sequence from `from` to the target, or `None` when unreachable.
    pub fn path(&self, net: &Network, from: PlaceIdx) -> Option<Vec<DirLink>> {
        if !self.dist.get(from.index())?.is_finite() {
            return None;
        }
        let mut at = from;
        let mut out = Vec::new();
        while at != self.target {
            let link = self.next[at.index()]?;
            let d = net.dir_from(link, at);
            at = net.head(d);
            out.push(d);
            if out.len() > net.places() {
                return None;
            }
        }
        Some(out)
    }
}

#[derive(PartialEq)]
struct Node {
    dist: f64,
    place: u32,
}

impl Eq for Node {}

impl Ord for Node {
    fn cmp(&self, other: &Self) -> Ordering {
        // Min-heap on distance, then on place index: a total, deterministic order.
        other
            .dist
            .total_cmp(&self.dist)
            .then_with(|| other.place.cmp(&self.place))
    }
}

impl PartialOrd for Node {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::build::ScenarioBuilder;

    #[test]
    fn shortest_path_prefers_the_shorter_way_and_reroutes_when_closed() {
        let mut b = ScenarioBuilder::new();
        let a = b.junction("A", 0.0, 0.0);
        let m = b.junction("M", 100.0, 0.0);
        let z = b.junction("Z", 200.0, 0.0);
        let detour = b.junction("D", 100.0, 300.0);
        let direct = b.road(a, m, 100.0, 5.0);
        b.road(m, z, 100.0, 5.0);
        b.road(a, detour, 320.0, 5.0);
        b.road(detour, z, 320.0, 5.0);
        let scenario = b.build();
        let mut net = Network::new(&scenario.map, 1.3, 3.0);
        let tree = net.tree_to(z, false);
        assert_eq!(tree.dist[a.index()], 200.0);
        assert_eq!(tree.path(&net, a).unwrap().len(), 2);
        net.close(direct);
        let tree = net.tree_to(z, false);
        assert_eq!(tree.dist[a.index()], 640.0);
    }
}

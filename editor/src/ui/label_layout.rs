//! 标注避让 — where the map's labels go: a greedy layout that places labels by
//! priority (shelters and places with people first), each at the first free spot
//! around its marker, abbreviated when the full text does not fit anywhere and dropped
//! when no variant fits. Pure geometry on screen rectangles, so the rule "no two drawn
//! labels overlap" is tested here and checked again on the layout a real frame used
//! (the editor's `--layout-json` test hook).

use egui::{Pos2, Rect, Vec2};

/// Where a label may sit relative to its anchor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Placement {
    /// Around a point marker: right, left, above, below, the four corners, then those
    /// sides slid along. The label keeps `gap` points clear of the anchor (the marker's
    /// radius and a margin).
    Around { gap: f32 },
    /// Centred on the anchor only.
    Centered,
    /// Centred on the anchor if free, else around it (a zone's name at its centre).
    Near { gap: f32 },
    /// Around, then the same eight spots one, two and three lines farther out: a label
    /// that must not be dropped (a shelter's: where people go) looks past its own
    /// occupancy bar and its neighbours' markers before giving up.
    Wide { gap: f32 },
}

/// One label to place.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelRequest {
    pub anchor: Pos2,
    pub placement: Placement,
    /// Sizes of the text variants, fullest first (the full text, then shorter forms).
    pub variants: Vec<Vec2>,
    /// Higher is placed first and so wins a contested spot.
    pub priority: i32,
}

/// A label that found a spot: which variant of its text, and where.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub variant: usize,
    pub rect: Rect,
}

/// Labels must not touch closer than this (points), so neighbours stay readable.
const PAD: f32 = 1.0;

/// The labels placed so far and the rectangles they must avoid. Overlay layers (the
/// live map's team names) place their labels on the same board after the places.
#[derive(Debug, Clone)]
pub struct LabelBoard {
    /// Labels must lie inside this rectangle (the map view).
    pub bounds: Rect,
    /// Markers and bars no label may cover.
    pub obstacles: Vec<Rect>,
    /// The rectangles of the labels placed so far, in placement order.
    pub placed: Vec<Rect>,
}

impl Default for LabelBoard {
    fn default() -> Self {
        LabelBoard::new(Rect::ZERO, Vec::new())
    }
}

impl LabelBoard {
    pub fn new(bounds: Rect, obstacles: Vec<Rect>) -> Self {
        LabelBoard {
            bounds,
            obstacles,
            placed: Vec::new(),
        }
    }

    fn free(&self, r: Rect) -> bool {
        self.bounds.contains_rect(r)
            && !self.obstacles.iter().any(|o| overlap_area(*o, r) > 0.0)
            && !self
                .placed
                .iter()
                .any(|p| overlap_area(p.expand(PAD), r) > 0.0)
    }

    /// Places one label at its first free spot, trying each variant in turn; `None`
    /// when nothing fits (the label is dropped).
    pub fn place(&mut self, req: &LabelRequest) -> Option<Placed> {
        for (variant, &size) in req.variants.iter().enumerate() {
            if !(size.x.is_finite() && size.y.is_finite()) {
                continue;
            }
            for rect in candidates(req.anchor, req.placement, size) {
                if self.free(rect) {
                    self.placed.push(rect);
                    return Some(Placed { variant, rect });
                }
            }
        }
        None
    }
}

/// The area two rectangles share (0 when they only touch).
pub fn overlap_area(a: Rect, b: Rect) -> f32 {
    let i = a.intersect(b);
    if i.width() > 0.0 && i.height() > 0.0 {
        i.width() * i.height()
    } else {
        0.0
    }
}

fn candidates(anchor: Pos2, placement: Placement, size: Vec2) -> Vec<Rect> {
    match placement {
        Placement::Centered => vec![Rect::from_center_size(anchor, size)],
        Placement::Near { gap } => {
            let mut v = vec![Rect::from_center_size(anchor, size)];
            v.extend(candidates(anchor, Placement::Around { gap }, size));
            v
        }
        Placement::Wide { gap } => {
            let mut v = candidates(anchor, Placement::Around { gap }, size);
            for k in 1..=3 {
                let g = gap + k as f32 * size.y;
                v.extend(candidates(anchor, Placement::Around { gap: g }, size).drain(..8));
            }
            v
        }
        Placement::Around { gap } => {
            let (w, h) = (size.x, size.y);
            let a = anchor;
            // Corners sit diagonally off the marker, a little tighter than the sides.
            let d = gap * 0.75;
            [
                Pos2::new(a.x + gap, a.y - h / 2.0),     // right
                Pos2::new(a.x - gap - w, a.y - h / 2.0), // left
                Pos2::new(a.x - w / 2.0, a.y - gap - h), // above
                Pos2::new(a.x - w / 2.0, a.y + gap),     // below
                Pos2::new(a.x + d, a.y - d - h),         // above right
                Pos2::new(a.x + d, a.y + d),             // below right
                Pos2::new(a.x - d - w, a.y - d - h),     // above left
                Pos2::new(a.x - d - w, a.y + d),         // below left
                // Then the same sides slid by a line or half a label, for a crowded spot.
                Pos2::new(a.x + gap, a.y - h * 1.5),
                Pos2::new(a.x + gap, a.y + h * 0.5),
                Pos2::new(a.x - gap - w, a.y - h * 1.5),
                Pos2::new(a.x - gap - w, a.y + h * 0.5),
                Pos2::new(a.x - gap, a.y - gap - h),
                Pos2::new(a.x + gap - w, a.y - gap - h),
                Pos2::new(a.x - gap, a.y + gap),
                Pos2::new(a.x + gap - w, a.y + gap),
            ]
            .into_iter()
            .map(|min| Rect::from_min_size(min, size))
            .collect()
        }
    }
}

/// Lays out `requests` on `board`, highest priority first (ties in request order).
/// Returns one entry per request, `None` for a dropped label.
pub fn layout_labels(board: &mut LabelBoard, requests: &[LabelRequest]) -> Vec<Option<Placed>> {
    let mut order: Vec<usize> = (0..requests.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(requests[i].priority));
    let mut out = vec![None; requests.len()];
    for i in order {
        out[i] = board.place(&requests[i]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn around(x: f32, y: f32, variants: &[(f32, f32)], priority: i32) -> LabelRequest {
        LabelRequest {
            anchor: Pos2::new(x, y),
            placement: Placement::Around { gap: 10.0 },
            variants: variants.iter().map(|&(w, h)| Vec2::new(w, h)).collect(),
            priority,
        }
    }

    fn bounds() -> Rect {
        Rect::from_min_max(Pos2::ZERO, Pos2::new(1000.0, 600.0))
    }

    fn assert_disjoint(rects: &[Rect]) {
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[i + 1..] {
                assert_eq!(overlap_area(*a, *b), 0.0, "{a:?} overlaps {b:?}");
            }
        }
    }

    /// The case from the issue: a shelter's "竹源小学 容纳300" right of its marker ran
    /// over the township office "乡政府" next to it. Both are kept, neither overlaps.
    #[test]
    fn two_close_places_both_get_a_label_without_overlap() {
        let reqs = vec![
            around(500.0, 300.0, &[(150.0, 20.0), (70.0, 20.0)], 100),
            around(560.0, 305.0, &[(60.0, 20.0)], 60),
        ];
        let mut board = LabelBoard::new(bounds(), vec![]);
        let out = layout_labels(&mut board, &reqs);
        let rects: Vec<Rect> = out.iter().map(|p| p.unwrap().rect).collect();
        assert_disjoint(&rects);
        // The shelter (higher priority) keeps its first choice, full text on the right.
        assert_eq!(out[0].unwrap().variant, 0);
        assert_eq!(rects[0].min, Pos2::new(510.0, 290.0));
    }

    #[test]
    fn higher_priority_wins_and_the_loser_is_abbreviated_or_dropped() {
        // Ten labels on the same anchor: only as many fit as there are free spots.
        let reqs: Vec<LabelRequest> = (0..10)
            .map(|i| around(500.0, 300.0, &[(200.0, 20.0), (30.0, 20.0)], i))
            .collect();
        let mut board = LabelBoard::new(bounds(), vec![]);
        let out = layout_labels(&mut board, &reqs);
        let placed: Vec<Rect> = out.iter().flatten().map(|p| p.rect).collect();
        assert_disjoint(&placed);
        assert!(
            out[9].is_some_and(|p| p.variant == 0),
            "top priority: full text"
        );
        assert!(out[0].is_none(), "lowest priority dropped: {out:?}");
        assert!(placed.len() < 10);
        // A full text that fits nowhere falls back to its short form.
        let mut board = LabelBoard::new(bounds(), vec![]);
        let p = board.place(&around(500.0, 300.0, &[(2000.0, 20.0), (30.0, 20.0)], 0));
        assert_eq!(p.map(|p| p.variant), Some(1));
    }

    #[test]
    fn labels_avoid_obstacles_and_stay_inside_the_bounds() {
        // A marker to the right of the anchor: the label goes elsewhere.
        let marker = Rect::from_center_size(Pos2::new(530.0, 300.0), Vec2::splat(20.0));
        let mut board = LabelBoard::new(bounds(), vec![marker]);
        let p = board
            .place(&around(500.0, 300.0, &[(80.0, 20.0)], 0))
            .unwrap();
        assert_eq!(overlap_area(p.rect, marker), 0.0);
        // Near the right edge the label flips to the left.
        let p = board
            .place(&around(990.0, 100.0, &[(80.0, 20.0)], 0))
            .unwrap();
        assert!(bounds().contains_rect(p.rect));
        assert!(p.rect.max.x < 990.0);
        // Bigger than the bounds: dropped, never placed outside.
        assert_eq!(board.place(&around(10.0, 10.0, &[(2000.0, 20.0)], 0)), None);
        // A NaN size (a failed text measurement) is skipped, not placed.
        assert_eq!(
            board.place(&around(300.0, 300.0, &[(f32::NAN, 20.0)], 0)),
            None
        );
    }

    /// The exercise map's crowded shelter: its own occupancy bar above it, a
    /// neighbour's bar to the right, a village's marker below, the map's edge to the
    /// left. `Around` finds nothing; `Wide` finds the spot above the bar.
    #[test]
    fn a_wide_label_looks_farther_out_before_it_is_dropped() {
        let a = Pos2::new(464.9, 177.7);
        let obstacles = vec![
            Rect::from_min_max(Pos2::new(412.1, 129.3), Pos2::new(517.7, 160.1)),
            Rect::from_min_max(Pos2::new(564.3, 159.7), Pos2::new(669.9, 190.6)),
            Rect::from_min_max(Pos2::new(477.2, 200.2), Pos2::new(493.2, 216.2)),
        ];
        let bounds = Rect::from_min_max(Pos2::new(394.3, 104.7), Pos2::new(886.3, 457.8));
        let req = |placement| LabelRequest {
            anchor: a,
            placement,
            variants: vec![Vec2::new(88.0, 20.0)],
            priority: 0,
        };
        let mut board = LabelBoard::new(bounds, obstacles.clone());
        assert_eq!(board.place(&req(Placement::Around { gap: 12.0 })), None);
        let p = board.place(&req(Placement::Wide { gap: 12.0 })).unwrap();
        assert!(bounds.contains_rect(p.rect));
        assert!(obstacles.iter().all(|o| overlap_area(*o, p.rect) == 0.0));
        // Still near its marker: within three lines and a label of it.
        assert!(p.rect.center().distance(a) < 3.0 * 20.0 + 88.0, "{p:?}");
    }

    #[test]
    fn centered_labels_sit_on_their_anchor_or_nowhere() {
        let mut board = LabelBoard::new(bounds(), vec![]);
        let req = LabelRequest {
            anchor: Pos2::new(200.0, 200.0),
            placement: Placement::Centered,
            variants: vec![Vec2::new(100.0, 20.0)],
            priority: 0,
        };
        let p = board.place(&req).unwrap();
        assert_eq!(p.rect.center(), Pos2::new(200.0, 200.0));
        assert_eq!(board.place(&req), None, "the spot is taken");
    }

    /// A dense random scene: whatever is placed never overlaps, and every label that
    /// was dropped had no free spot left.
    #[test]
    fn a_crowded_village_never_overlaps() {
        let mut seed = 12345u64;
        let mut rnd = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as f32) / (u32::MAX >> 1) as f32
        };
        let reqs: Vec<LabelRequest> = (0..300)
            .map(|i| {
                around(
                    rnd() * 1000.0,
                    rnd() * 600.0,
                    &[(40.0 + rnd() * 120.0, 18.0), (30.0, 18.0)],
                    i % 7,
                )
            })
            .collect();
        let markers: Vec<Rect> = reqs
            .iter()
            .map(|r| Rect::from_center_size(r.anchor, Vec2::splat(12.0)))
            .collect();
        let mut board = LabelBoard::new(bounds(), markers.clone());
        let out = layout_labels(&mut board, &reqs);
        let placed: Vec<Rect> = out.iter().flatten().map(|p| p.rect).collect();
        assert_disjoint(&placed);
        for r in &placed {
            assert!(markers.iter().all(|m| overlap_area(*m, *r) == 0.0));
        }
        assert!(placed.len() > 50, "only {} placed", placed.len());
    }
}

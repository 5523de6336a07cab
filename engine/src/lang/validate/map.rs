//! The `map` block, the `terrain` statement aside (see `terrain`): places and
//! shelters with their population groups and facilities, rivers, risk zones, and the
//! roads, paths and bridges between places. Owns E0143/E0144 (a place without a
//! position, a shelter without a capacity), E0401 (a population group above a
//! place's people; groups overlap, so their sum may exceed it), E0132 (a river without ends) and E0133/E0403 (a zone without a
//! level or with fewer than three points) and W0012 (two roads, paths or bridges
//! between the same two places).

use super::cursor::Cur;
use super::units::Dim;
use super::{Block, UNKNOWN, V, link_key};
use crate::geo::{Datum, LocalFrame};
use crate::lang::diagnostic::Diagnostic;
use crate::lang::syntax::{Node, NodeKind, lines};
use crate::limits;
use crate::model::*;

/// The map block's georeference statements, read before anything else in it.
#[derive(Default)]
struct GeorefLines<'a> {
    origin: Option<Cur<'a>>,
    datum: Option<Cur<'a>>,
    coordinates: Option<Cur<'a>>,
}

impl V {
    pub(super) fn map(&mut self, blocks: &[Block<'_>]) {
        for (i, (_, _, cur)) in blocks.iter().enumerate() {
            self.expect_header_end(cur, 1);
            if i > 0 && cur.file == blocks[0].2.file {
                self.duplicate_block(cur, "map");
            }
        }
        let mut link_lines = Vec::new();
        let mut cell = None;
        let mut terrain_lines = Vec::new();
        const OPTS: [&str; 12] = [
            "cell",
            "terrain",
            "basemap",
            "place",
            "shelter",
            "institution",
            "road",
            "path",
            "bridge",
            "river",
            "zone",
            "dangerous",
        ];
        // The georeference first (every point depends on it), then nodes (places,
        // rivers, zones), links once every place is known.
        let mut item_lines = Vec::new();
        let mut georef = GeorefLines::default();
        for (file, body, _) in blocks {
            for line in lines(body) {
                let mut cur = Cur::new(*file, line);
                if cur.eat_kw("origin") {
                    georef.origin = Some(cur);
                } else if cur.eat_kw("datum") {
                    georef.datum = Some(cur);
                } else if cur.eat_kw("coordinates") {
                    georef.coordinates = Some(cur);
                } else {
                    item_lines.push(cur);
                }
            }
        }
        self.georef(georef);
        for mut cur in item_lines {
            let Some(kw) = self.choice(
                &mut cur,
                &OPTS[..11],
                "a map item (cell, terrain, basemap, origin, place, shelter, institution, road, path, bridge, river, zone)",
            ) else {
                continue;
            };
            match kw {
                "cell" => {
                    cell = self.quantity_in(&mut cur, Dim::Length, "`cell`", limits::CELL);
                    self.finish(&cur);
                }
                "terrain" => terrain_lines.push(cur),
                "basemap" => self.basemap(&mut cur),
                "place" | "shelter" => self.place(&mut cur, kw == "shelter"),
                "institution" => self.institution(&mut cur),
                "river" => self.river(&mut cur),
                "zone" => self.zone(&mut cur),
                _ => link_lines.push((kw, cur)),
            }
        }
        self.s.map.cell_m = cell.unwrap_or(10.0);
        for mut cur in terrain_lines {
            self.terrain(&mut cur);
        }
        if let Some(t) = self.s.map.terrain.as_mut() {
            t.georef = self.s.map.georef;
        }
        if let Some(b) = self.s.map.basemap.as_mut() {
            b.georef = self.s.map.georef;
        }
        for (kw, mut cur) in link_lines {
            self.link(&mut cur, kw);
        }
    }

    /// `origin (lon, lat)`, `datum wgs84|cgcs2000|gcj02|bd09` and `coordinates
    /// metres|lonlat`: where the map lies on Earth and how its points are written.
    /// Owns E0146 (an origin that is no longitude/latitude) and E0147 (`coordinates
    /// lonlat` without an origin).
    fn georef(&mut self, lines: GeorefLines<'_>) {
        let mut datum = Datum::Wgs84;
        if let Some(mut cur) = lines.datum {
            if let Some(d) = self.choice(
                &mut cur,
                &["wgs84", "cgcs2000", "gcj02", "bd09"],
                "a datum (wgs84, cgcs2000, gcj02, bd09)",
            ) {
                datum = Datum::parse(d).unwrap_or_default();
            }
            self.finish(&cur);
        }
        if let Some(mut cur) = lines.origin {
            let at = cur.here();
            // Read as written: the origin is always longitude/latitude.
            if let Some(p) = self.point(&mut cur) {
                if crate::geo::plausible_lonlat(p.x, p.y) {
                    let (lon, lat) = datum.to_wgs84(p.x, p.y);
                    self.s.map.georef = Some(Georef { lon, lat });
                } else {
                    self.err(
                        Diagnostic::error(
                            "E0146",
                            at,
                            format!("原点 ({}, {}) 不是经纬度", p.x, p.y),
                            format!("the origin ({}, {}) is not a longitude/latitude", p.x, p.y),
                        )
                        .help("write `origin (longitude, latitude)` in degrees, longitude first, e.g. `origin (119.5312, 30.2451)`"),
                    );
                }
            }
            self.finish(&cur);
        }
        if let Some(mut cur) = lines.coordinates {
            let at = cur.whole();
            let lonlat = self.choice(
                &mut cur,
                &["metres", "lonlat"],
                "how points are written (metres, lonlat)",
            ) == Some("lonlat");
            self.finish(&cur);
            if lonlat {
                match self.s.map.georef {
                    Some(g) => self.lonlat = Some((LocalFrame::new(g), datum)),
                    None => self.err(
                        Diagnostic::error(
                            "E0147",
                            at,
                            "经纬度坐标需要地图原点",
                            "points in longitude/latitude need the map's origin",
                        )
                        .help("add `origin (longitude, latitude)` to the map: the point that is (0, 0), usually the north-west corner of the area"),
                    ),
                }
            }
        }
    }

    fn place(&mut self, cur: &mut Cur<'_>, shelter: bool) {
        let whole = cur.whole();
        let Some((name, span)) = self.name(cur, "the place's name") else {
            return;
        };
        let mut place = Place {
            name: name.clone(),
            span: whole,
            ..Place::default()
        };
        if shelter {
            place.kind = PlaceKind::Shelter;
            place.shelter = Some(ShelterSpec::default());
        }
        let mut has_pos = false;
        let mut has_capacity = false;
        while let Some(n) = cur.peek() {
            if let NodeKind::Block(items) = &n.kind {
                cur.next();
                if shelter {
                    self.facilities(cur.file, items, &mut place);
                } else {
                    self.groups(cur.file, items, &mut place);
                }
                continue;
            }
            let opts: &[&'static str] = if shelter {
                &["at", "capacity", "households", "people", "kind"]
            } else {
                &["at", "kind", "households", "people"]
            };
            let Some(kw) = self.choice(
                cur,
                opts,
                "a place attribute (at, kind, households, people)",
            ) else {
                break; // still declare the place, so its uses elsewhere don't cascade
            };
            match kw {
                "at" => {
                    if let Some(p) = self.point(cur) {
                        place.pos = p;
                        has_pos = true;
                    }
                }
                "kind" => {
                    if let Some(k) = self.choice(
                        cur,
                        &["settlement", "office", "station", "plant", "junction"],
                        "a place kind (settlement, office, station, plant, junction)",
                    ) {
                        place.kind = match k {
                            "office" => PlaceKind::Office,
                            "station" => PlaceKind::Station,
                            "plant" => PlaceKind::Plant,
                            "junction" => PlaceKind::Junction,
                            _ => PlaceKind::Settlement,
                        };
                    }
                }
                "households" => place.households = self.count(cur, "households").unwrap_or(0),
                "people" => place.people = self.count(cur, "people").unwrap_or(0),
                "capacity" => {
                    has_capacity = true;
                    let capacity = self.count(cur, "capacity");
                    if let Some(s) = place.shelter.as_mut() {
                        // An unreadable capacity is already an error; treating it as
                        // unlimited keeps "holds 0 people" from following it.
                        s.capacity = capacity.unwrap_or(u32::MAX);
                    }
                }
                _ => {}
            }
        }
        if !has_pos {
            self.err(
                Diagnostic::error(
                    "E0143",
                    span,
                    format!("地点 `{name}` 缺少位置"),
                    format!("`{name}` has no position"),
                )
                .help(format!(
                    "add `at (x, y)`, e.g. `{} {name} at (120, 80)`",
                    if shelter { "shelter" } else { "place" }
                )),
            );
        }
        if shelter && !has_capacity {
            self.err(
                Diagnostic::error(
                    "E0144",
                    span,
                    format!("避灾点 `{name}` 缺少容量"),
                    format!("shelter `{name}` has no capacity"),
                )
                .help("add `capacity N` (people it can take)"),
            );
        }
        let idx = self.s.map.places.len();
        if self.declare(|n| &mut n.places, &name, span, idx, "place") {
            self.s.map.places.push(place);
        }
    }

    pub(super) fn groups(&mut self, file: u32, items: &[Node], place: &mut Place) {
        let mut cur = Cur::new(file, items.iter().filter(|n| !n.is_trivia()).collect());
        let start = cur.whole();
        while !cur.done() {
            let Some(g) = self.choice(
                &mut cur,
                &[
                    "elderly",
                    "disabled",
                    "children",
                    "dilapidated",
                    "outdoor_workers",
                ],
                "a group (elderly, disabled, children, dilapidated, outdoor_workers)",
            ) else {
                continue;
            };
            let n = self.count(&mut cur, g).unwrap_or(0);
            let slot = match g {
                "elderly" => &mut place.groups.elderly,
                "disabled" => &mut place.groups.disabled,
                "children" => &mut place.groups.children,
                "dilapidated" => &mut place.groups.dilapidated,
                _ => &mut place.groups.outdoor_workers,
            };
            *slot = n;
        }
        // Groups overlap (an elderly person may be disabled, or live in a dilapidated
        // house): each is a part of `people`, their sum may exceed it.
        let g = place.groups;
        for (label, n) in [
            ("elderly", g.elderly),
            ("disabled", g.disabled),
            ("children", g.children),
            ("dilapidated", g.dilapidated),
            ("outdoor_workers", g.outdoor_workers),
        ] {
            self.over_people(place, label, n, start);
        }
    }

    /// E0401: a group (or an institution's staff) larger than the place's people.
    pub(super) fn over_people(&mut self, place: &Place, label: &str, n: u32, span: Span) {
        if n > place.people {
            self.err(
                Diagnostic::error(
                    "E0401",
                    span,
                    format!(
                        "`{}` 的 {label} 人数 {n} 超过总人数 {}",
                        place.name, place.people
                    ),
                    format!(
                        "{n} {label} in `{}` but only {} people live there",
                        place.name, place.people
                    ),
                )
                .help(format!(
                    "{label} are part of `people`; raise `people` or lower {label}"
                )),
            );
        }
    }

    fn facilities(&mut self, file: u32, items: &[Node], place: &mut Place) {
        let mut cur = Cur::new(file, items.iter().filter(|n| !n.is_trivia()).collect());
        while !cur.done() {
            if let Some(f) = self.choice(
                &mut cur,
                &["water", "power", "medical", "barrier_free", "food", "beds"],
                "a facility (water, power, medical, barrier_free, food, beds)",
            ) {
                let f = match f {
                    "water" => Facility::Water,
                    "power" => Facility::Power,
                    "medical" => Facility::Medical,
                    "barrier_free" => Facility::BarrierFree,
                    "food" => Facility::Food,
                    _ => Facility::Beds,
                };
                if let Some(s) = place.shelter.as_mut() {
                    s.facilities.push(f);
                }
            }
        }
    }

    pub(super) fn points_after(&mut self, cur: &mut Cur<'_>) -> Vec<Point> {
        let mut pts = Vec::new();
        while let Some(n) = cur.peek() {
            let NodeKind::Point { x, y, .. } = n.kind else {
                break;
            };
            cur.next();
            pts.push(self.map_point(cur.span_of(n), x, y));
        }
        pts
    }

    fn river(&mut self, cur: &mut Cur<'_>) {
        let whole = cur.whole();
        let Some((name, span)) = self.name(cur, "the river's name") else {
            return;
        };
        let (mut from, mut to, mut via, mut width) = (None, None, Vec::new(), 0.0);
        while !cur.done() {
            let Some(kw) = self.choice(
                cur,
                &["from", "via", "to", "width"],
                "a river attribute (from, via, to, width)",
            ) else {
                return;
            };
            match kw {
                "from" => from = self.point(cur),
                "to" => to = self.point(cur),
                "via" => via = self.points_after(cur),
                _ => {
                    width = self
                        .quantity_in(cur, Dim::Length, "a river's `width`", limits::RIVER_WIDTH)
                        .unwrap_or(0.0)
                }
            }
        }
        let (Some(from), Some(to)) = (from, to) else {
            self.err(
                Diagnostic::error(
                    "E0132",
                    span,
                    format!("河流 `{name}` 缺少起点或终点"),
                    format!("river `{name}` needs `from (x, y)` and `to (x, y)`"),
                )
                .help("e.g. `river 竹源溪 from (0, 500) to (900, 380) width 8m`"),
            );
            return;
        };
        let mut points = vec![from];
        points.extend(via);
        points.push(to);
        let idx = self.s.map.rivers.len();
        if self.declare(|n| &mut n.rivers, &name, span, idx, "river") {
            self.s.map.rivers.push(River {
                name,
                points,
                width_m: width,
                span: whole,
            });
        }
    }

    fn zone(&mut self, cur: &mut Cur<'_>) {
        let whole = cur.whole();
        let Some((name, span)) = self.name(cur, "the zone's name") else {
            return;
        };
        let (mut level, mut hazard, mut polygon, mut from) = (None, None, None, None);
        let mut poly_span = span;
        while !cur.done() {
            let Some(kw) = self.choice(
                cur,
                &["level", "hazard", "polygon", "dangerous"],
                "a zone attribute (level, hazard, polygon, dangerous from)",
            ) else {
                return;
            };
            match kw {
                "level" => level = self.level(cur),
                "hazard" => hazard = self.hazard_kind(cur),
                "polygon" => {
                    poly_span = cur.here();
                    let pts = self.points_after(cur);
                    if let Some(last) = cur.nodes.get(cur.pos.wrapping_sub(1)) {
                        poly_span.end = last.span.end;
                    }
                    polygon = Some(pts);
                }
                _ => {
                    if !cur.eat_kw("from") {
                        self.expected(
                            cur,
                            "from",
                            "`from` (dangerous from 21:30)",
                            "write `dangerous from 21:30`",
                        );
                        return;
                    }
                    from = self.time(cur);
                }
            }
        }
        let polygon = polygon.unwrap_or_default();
        if polygon.len() < 3 {
            self.err(
                Diagnostic::error(
                    "E0403",
                    poly_span,
                    format!("危险区 `{name}` 的范围少于 3 个点"),
                    format!(
                        "zone `{name}` has {} polygon point(s); a polygon needs at least 3",
                        polygon.len()
                    ),
                )
                .help("write `polygon (x,y) (x,y) (x,y) ...` with three or more corners"),
            );
        }
        let Some(level) = level else {
            self.err(
                Diagnostic::error(
                    "E0133",
                    span,
                    format!("危险区 `{name}` 缺少等级"),
                    format!("zone `{name}` has no `level`"),
                )
                .help("add `level red` (red, orange, yellow or blue)"),
            );
            return;
        };
        let hazard = hazard
            .or(self.s.header.hazard_kinds.first().copied())
            .unwrap_or(HazardKind::Flood);
        let idx = self.s.map.zones.len();
        if self.declare(|n| &mut n.zones, &name, span, idx, "zone") {
            self.s.map.zones.push(Zone {
                name,
                level,
                hazard,
                polygon,
                dangerous_from_s: from,
                span: whole,
            });
        }
    }

    /// W0012: a second road, path or bridge between the same two places. Probably a
    /// line written twice; if not, an inject's `close road A -> B` closes only the
    /// first, and the second stays open.
    fn parallel_link(&mut self, kind: LinkKind, a: PlaceIdx, b: PlaceIdx, span: Span, first: Span) {
        let (an, bn) = (self.s.place(a).name.clone(), self.s.place(b).name.clone());
        let (en, zh) = match kind {
            LinkKind::Road => ("road", "道路"),
            LinkKind::Path => ("path", "小路"),
            LinkKind::Bridge => ("bridge", "桥"),
        };
        self.err(
            Diagnostic::warning(
                "W0012",
                span,
                format!("{an} 与 {bn} 之间已有一条{zh},这是第二条"),
                format!("a second {en} between `{an}` and `{bn}`: `close {en} {an} -> {bn}` would close only the first"),
            )
            .label(format!("second {en}"))
            .secondary(first, format!("first {en}"))
            .help("delete the repeated line; for two real routes, put a place where they part so each has its own ends / 删除重复的一行;确有两条路线时,在分岔处加一个地点"),
        );
    }

    fn link(&mut self, cur: &mut Cur<'_>, kw: &str) {
        let whole = cur.whole();
        let kind = match kw {
            "road" => LinkKind::Road,
            "path" => LinkKind::Path,
            _ => LinkKind::Bridge,
        };
        let a = self.place_ref(cur);
        if !matches!(cur.peek().map(|n| &n.kind), Some(NodeKind::Arrow)) {
            self.expected(
                cur,
                "`->`",
                "`->` between the two places",
                &format!("write `{kw} A -> B`"),
            );
            return;
        }
        cur.next();
        let b = self.place_ref(cur);
        let (mut width, mut length, mut via, mut over) = (None, None, Vec::new(), None);
        while !cur.done() {
            let Some(k) = self.choice(
                cur,
                &["width", "length", "via", "over"],
                "a link attribute (width, length, via, over)",
            ) else {
                return;
            };
            match k {
                "width" => {
                    width = self.quantity_in(cur, Dim::Length, "`width`", limits::LINK_WIDTH)
                }
                "length" => {
                    length = self.quantity_in(cur, Dim::Length, "`length`", limits::LINK_LENGTH)
                }
                "via" => via = self.points_after(cur),
                _ => {
                    if let Some((name, span)) = self.name(cur, "a river") {
                        let i = self.resolve(|n| &n.rivers, &name, span, "river", "河流");
                        over = (i != UNKNOWN).then_some(RiverIdx(i));
                    }
                }
            }
        }
        let (Some(a), Some(b)) = (a, b) else { return };
        let pa = self.s.place(a).pos;
        let pb = self.s.place(b).pos;
        let length_m = length.unwrap_or_else(|| {
            let mut pts = vec![pa];
            pts.extend(via.iter().copied());
            pts.push(pb);
            pts.windows(2).map(|w| w[0].distance(w[1])).sum()
        });
        let default_width = if kind == LinkKind::Path { 1.5 } else { 4.0 };
        let idx = self.s.map.links.len() as u32;
        if let Some(&first) = self.names.links.get(&link_key(kind, a, b)) {
            self.parallel_link(kind, a, b, whole, self.s.map.links[first as usize].span);
        }
        self.names.links.entry(link_key(kind, a, b)).or_insert(idx);
        self.s.map.links.push(Link {
            kind,
            from: a,
            to: b,
            width_m: width.unwrap_or(default_width),
            length_m,
            via,
            over,
            span: whole,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::EXAMPLE;
    use crate::lang::check_text;

    fn codes(text: &str) -> Vec<&'static str> {
        check_text("t.drill", text)
            .1
            .diagnostics
            .iter()
            .map(|d| d.code)
            .collect()
    }

    /// Issue 20, item 7: a second road between the same two places (either way
    /// round) is W0012, pointing at both; a road and a bridge between the same two
    /// places are different links.
    #[test]
    fn a_second_link_of_a_kind_between_the_same_places_is_warned_about() {
        let road = "  road    上村 -> 村委会 width 4m\n";
        assert!(EXAMPLE.contains(road));
        assert_eq!(codes(EXAMPLE), Vec::<&str>::new());
        let twice = EXAMPLE.replace(road, &format!("{road}  road 村委会 -> 上村 width 5m\n"));
        let (_, result) = check_text("t.drill", &twice);
        let w: Vec<_> = result
            .diagnostics
            .iter()
            .filter(|d| d.code == "W0012")
            .collect();
        assert_eq!(w.len(), 1, "{:?}", result.diagnostics);
        assert!(result.scenario.is_some(), "a warning, not an error");
        let line_of = |at: u32| twice[..at as usize].lines().count();
        assert_eq!(line_of(w[0].primary.span.start), 20);
        assert_eq!(line_of(w[0].secondary[0].span.start), 19);
        let bridge = EXAMPLE.replace(road, &format!("{road}  bridge 上村 -> 村委会 width 3m\n"));
        assert_eq!(codes(&bridge), Vec::<&str>::new());
    }
}

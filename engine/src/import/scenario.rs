//! The scenario skeleton `drill import` writes: buildings grouped into hamlets
//! (自然村/村民小组) with households and people, shelters (避灾安置点), the road network
//! as places joined by roads, paths and bridges, rivers, and the map's georeference;
//! the blocks the trainer must write (roles, plan, injects) are left as commented
//! templates around one role that lets the file pass `drill check` as it stands.
//!
//! Grouping: a building's `addr:hamlet`, `addr:village` (or a 自然村/村民小组 column)
//! names its hamlet; the others are clustered (two homes closer than `cluster_m`, 150 m
//! by default, are in the same hamlet) and each cluster takes the name of the nearest
//! `place=hamlet|village` point within 1 km, or `居民点N`. Each home building is one
//! household (户) of [`PEOPLE_PER_HOUSEHOLD`] people.
//!
//! Network: road, path and bridge lines are cut where they share a vertex with another
//! line and at their ends; those points become junctions (`kind junction`), the pieces
//! links with their bends as `via` points (simplified to 2 m). Each hamlet and shelter
//! is joined to its nearest junction by an access road. Widths come from `width`, or
//! `lanes` × 3.5 m, or the road class.

use super::{Class, Feature, Geom, LonLat, classify, name, tag};
use crate::geo::LocalFrame;
use crate::model::{Georef, Point};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

/// 户均人口 — people per household: 2.62, the mean size of a family household in
/// China's seventh census (第七次全国人口普查, 2020, 国家统计局公报第二号). A trainer
/// with the village's register (户籍) replaces the counts written.
pub const PEOPLE_PER_HOUSEHOLD: f64 = 2.62;

/// People a shelter takes per square metre of footprint when its capacity is not
/// tagged: one person per 2 m², the indoor planning figure of GB 21734-2008 (地震应急
/// 避难场所) for short stays, to be checked on the ground.
pub const SHELTER_M2_PER_PERSON: f64 = 2.0;

/// Capacity written for a shelter given as a point without `capacity`.
pub const SHELTER_DEFAULT_CAPACITY: u32 = 100;

const NOTHING: &str = "no buildings (building=*) or shelters found: nothing to make a village of; check the files' tags or attributes (docs/IMPORT.md)";

/// What the trainer asks of the import.
#[derive(Debug, Clone)]
pub struct Options {
    /// The map origin; by default the north-west corner of the data, 50 m out.
    pub origin: Option<Georef>,
    pub people_per_household: f64,
    /// Homes closer than this are one hamlet when no tag names it, metres.
    pub cluster_m: f64,
    /// The terrain file to name in the map block (`--dem`), as the scenario will see it.
    pub dem: Option<String>,
    /// The input files, named in the header comment.
    pub sources: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            origin: None,
            people_per_household: PEOPLE_PER_HOUSEHOLD,
            cluster_m: 150.0,
            dem: None,
            sources: Vec::new(),
        }
    }
}

/// What was imported, for the command's summary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub households: usize,
    pub people: u64,
    pub hamlets: usize,
    pub shelters: usize,
    pub links: usize,
    pub junctions: usize,
    pub rivers: usize,
    pub origin: Georef,
}

/// A place to write: hamlet, shelter or junction.
struct Place {
    name: String,
    pos: Point,
    households: usize,
    capacity: Option<u32>,
    junction: bool,
}

/// Unique, writable names: a second `上村` becomes `上村2`.
#[derive(Default)]
struct Names(HashMap<String, usize>);

impl Names {
    fn unique(&mut self, base: &str) -> String {
        let base = base.trim();
        let base = if base.is_empty() { "地点" } else { base };
        let n = self.0.entry(base.to_string()).or_insert(0);
        *n += 1;
        if *n == 1 {
            base.to_string()
        } else {
            format!("{base}{n}")
        }
    }
}

/// A name as the language reads it: bare when it is a plain word that is no keyword,
/// quoted otherwise.
fn ident(name: &str) -> String {
    let mut chars = name.chars();
    let plain = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        && !name.contains("->");
    let keyword = crate::lang::keywords::KEYWORDS
        .iter()
        .any(|(en, zh)| *en == name || zh.contains(&name));
    if plain && !keyword {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

fn pt(p: Point) -> String {
    format!("({:.1}, {:.1})", p.x, p.y)
}

/// Metres from a tag like `4`, `4 m`, `4.5m`, `12 ft`.
fn metres(v: &str) -> Option<f64> {
    let v = v.trim().to_ascii_lowercase();
    let (num, feet) = match v.strip_suffix("ft").or_else(|| v.strip_suffix('\'')) {
        Some(n) => (n, true),
        None => (v.trim_end_matches('m').trim_end_matches("米"), false),
    };
    let x: f64 = num.trim().parse().ok()?;
    let x = if feet { x * 0.3048 } else { x };
    (x.is_finite() && x > 0.0 && x <= 500.0).then_some(x)
}

fn link_width(f: &Feature, class: Class) -> f64 {
    if let Some(w) = tag(&f.tags, &["width", "WIDTH", "宽度", "路宽", "KD"]).and_then(metres) {
        return w;
    }
    if let Some(l) = tag(&f.tags, &["lanes"])
        .and_then(|l| l.parse::<f64>().ok())
        .filter(|l| *l >= 1.0 && *l <= 12.0)
    {
        return l * 3.5;
    }
    match tag(&f.tags, &["highway", "fclass"]).unwrap_or("") {
        "motorway" | "trunk" | "primary" => 10.0,
        "secondary" => 8.0,
        "tertiary" => 6.5,
        "unclassified" | "residential" => 4.5,
        "service" | "living_street" => 3.5,
        "track" => 3.0,
        "steps" => 1.2,
        "path" | "footway" | "bridleway" | "cycleway" | "pedestrian" => 1.5,
        _ if class == Class::Path => 1.5,
        _ if class == Class::Bridge => 4.0,
        _ => 4.0,
    }
}

fn river_width(f: &Feature) -> f64 {
    if let Some(w) = tag(&f.tags, &["width", "WIDTH", "宽度", "河宽"]).and_then(metres) {
        return w;
    }
    match tag(&f.tags, &["waterway"]).unwrap_or("") {
        "river" => 20.0,
        "canal" => 8.0,
        "stream" => 5.0,
        "ditch" | "drain" => 2.0,
        _ => 5.0,
    }
}

/// Douglas–Peucker: the polyline with every vertex within `tol` metres of it kept out.
fn simplify(pts: &[Point], tol: f64) -> Vec<Point> {
    if pts.len() <= 2 {
        return pts.to_vec();
    }
    let mut keep = vec![false; pts.len()];
    keep[0] = true;
    keep[pts.len() - 1] = true;
    let mut stack = vec![(0usize, pts.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        let (pa, pb) = (pts[a], pts[b]);
        let (dx, dy) = (pb.x - pa.x, pb.y - pa.y);
        let len = (dx * dx + dy * dy).sqrt();
        let (mut far, mut best) = (0usize, 0.0f64);
        for (i, p) in pts.iter().enumerate().take(b).skip(a + 1) {
            let d = if len == 0.0 {
                ((p.x - pa.x).powi(2) + (p.y - pa.y).powi(2)).sqrt()
            } else {
                ((p.x - pa.x) * dy - (p.y - pa.y) * dx).abs() / len
            };
            if d > best {
                best = d;
                far = i;
            }
        }
        if best > tol {
            keep[far] = true;
            stack.push((a, far));
            stack.push((far, b));
        }
    }
    pts.iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(p, _)| *p)
        .collect()
}

fn dist(a: Point, b: Point) -> f64 {
    ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt()
}

/// The north-west corner of the data, `margin_m` out, rounded outwards to 1e-5°.
fn default_origin(features: &[Feature], margin_m: f64) -> Option<Georef> {
    let (mut west, mut north, mut south) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY);
    for f in features {
        for &(lon, lat) in f.geom.points() {
            west = west.min(lon);
            north = north.max(lat);
            south = south.min(lat);
        }
    }
    if !west.is_finite() {
        return None;
    }
    let lat_m = 111_320.0;
    let lon_m = lat_m * ((north + south) / 2.0).to_radians().cos().max(0.01);
    let round_out = |v: f64, up: bool| {
        let k = v * 1e5;
        (if up { k.ceil() } else { k.floor() }) / 1e5
    };
    Some(Georef {
        lon: round_out(west - margin_m / lon_m, false),
        lat: round_out(north + margin_m / lat_m, true),
    })
}

/// Union-find over indices, for clustering homes.
fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Groups homes into hamlets: by their hamlet tag, else by distance.
fn hamlets(
    homes: &[(Point, Option<String>)],
    named: &[(String, Point)],
    cluster_m: f64,
    names: &mut Names,
) -> Vec<Place> {
    let mut by_tag: BTreeMap<String, Vec<Point>> = BTreeMap::new();
    let mut loose: Vec<Point> = Vec::new();
    for (p, key) in homes {
        match key {
            Some(k) => by_tag.entry(k.clone()).or_default().push(*p),
            None => loose.push(*p),
        }
    }
    let mut groups: Vec<(Option<String>, Vec<Point>)> =
        by_tag.into_iter().map(|(k, v)| (Some(k), v)).collect();
    // Clustering on a grid of cluster_m cells: neighbours are in the 3×3 cells around.
    let mut parent: Vec<usize> = (0..loose.len()).collect();
    let cell = |p: Point| {
        (
            (p.x / cluster_m).floor() as i64,
            (p.y / cluster_m).floor() as i64,
        )
    };
    let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (i, p) in loose.iter().enumerate() {
        grid.entry(cell(*p)).or_default().push(i);
    }
    for (i, p) in loose.iter().enumerate() {
        let (cx, cy) = cell(*p);
        for gx in cx - 1..=cx + 1 {
            for gy in cy - 1..=cy + 1 {
                for &j in grid.get(&(gx, gy)).map(Vec::as_slice).unwrap_or_default() {
                    if j > i && dist(*p, loose[j]) <= cluster_m {
                        let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                        if a != b {
                            parent[a.max(b)] = a.min(b);
                        }
                    }
                }
            }
        }
    }
    let mut clusters: BTreeMap<usize, Vec<Point>> = BTreeMap::new();
    for (i, p) in loose.iter().enumerate() {
        let root = find(&mut parent, i);
        clusters.entry(root).or_default().push(*p);
    }
    groups.extend(clusters.into_values().map(|v| (None, v)));
    // Larger hamlets first, so that a nearby named place goes to the main cluster.
    groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    let mut used = vec![false; named.len()];
    let mut out = Vec::new();
    let mut unnamed = 0;
    for (key, pts) in groups {
        let n = pts.len() as f64;
        let centre = Point {
            x: pts.iter().map(|p| p.x).sum::<f64>() / n,
            y: pts.iter().map(|p| p.y).sum::<f64>() / n,
        };
        let base = match key {
            Some(k) => k,
            None => {
                let nearest = named
                    .iter()
                    .enumerate()
                    .filter(|(i, (_, p))| !used[*i] && dist(*p, centre) <= 1000.0)
                    .min_by(|a, b| dist(a.1.1, centre).total_cmp(&dist(b.1.1, centre)));
                match nearest {
                    Some((i, (name, _))) => {
                        used[i] = true;
                        name.clone()
                    }
                    None => {
                        unnamed += 1;
                        format!("居民点{unnamed}")
                    }
                }
            }
        };
        out.push(Place {
            name: names.unique(&base),
            pos: centre,
            households: pts.len(),
            capacity: None,
            junction: false,
        });
    }
    out
}

/// A polygon's area in square metres on the map plane.
fn area_m2(ring: &[LonLat], frame: &LocalFrame) -> f64 {
    let pts: Vec<Point> = ring
        .iter()
        .map(|&(lon, lat)| frame.to_map(lon, lat))
        .collect();
    let mut a = 0.0;
    for w in pts.windows(2) {
        a += w[0].x * w[1].y - w[1].x * w[0].y;
    }
    a.abs() / 2.0
}

/// A link piece: kind keyword, width, ends (junction indices), bends.
struct Piece {
    kind: &'static str,
    width: f64,
    a: usize,
    b: usize,
    via: Vec<Point>,
    name: Option<String>,
}

/// Builds the scenario text from the features of every input file.
pub fn build(features: &[Feature], opts: &Options) -> Result<(String, Summary), String> {
    let origin = match opts.origin {
        Some(o) => o,
        None => default_origin(features, 50.0).ok_or(NOTHING)?,
    };
    let frame = LocalFrame::new(origin);
    let to_map = |p: LonLat| frame.to_map(p.0, p.1);
    let mut names = Names::default();
    let mut homes = Vec::new();
    let mut named_places = Vec::new();
    let mut shelters = Vec::new();
    let mut lines: Vec<(Class, &Feature)> = Vec::new();
    let mut rivers = Vec::new();
    for f in features {
        let class = classify(f);
        match class {
            Class::House => {
                if let Some(c) = f.geom.centre() {
                    let key = tag(
                        &f.tags,
                        &[
                            "addr:hamlet",
                            "addr:village",
                            "自然村",
                            "村民小组",
                            "小组",
                            "村组",
                            "HAMLET",
                            "VILLAGE",
                            "hamlet",
                            "village",
                        ],
                    )
                    .map(str::to_string);
                    homes.push((to_map(c), key));
                }
            }
            Class::Hamlet => {
                if let (Some(c), Some(n)) = (f.geom.centre(), name(&f.tags)) {
                    named_places.push((n.to_string(), to_map(c)));
                }
            }
            Class::Shelter => shelters.push(f),
            Class::Road | Class::Path | Class::Bridge => lines.push((class, f)),
            Class::River => rivers.push(f),
            Class::OtherBuilding | Class::Ignored => {}
        }
    }
    if homes.is_empty() && shelters.is_empty() {
        return Err(NOTHING.into());
    }
    let mut places = hamlets(&homes, &named_places, opts.cluster_m, &mut names);
    let hamlet_count = places.len();
    let mut shelter_no = 0;
    for f in &shelters {
        let Some(c) = f.geom.centre() else { continue };
        let base = match name(&f.tags) {
            Some(n) => n.to_string(),
            None => {
                shelter_no += 1;
                format!("避灾点{shelter_no}")
            }
        };
        let capacity = tag(
            &f.tags,
            &["capacity", "CAPACITY", "容量", "可容纳人数", "容纳人数"],
        )
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|c| *c >= 1.0 && *c < 1e7)
        .map(|c| c as u32)
        .unwrap_or_else(|| match &f.geom {
            Geom::Polygon(ring) => ((area_m2(ring, &frame) / SHELTER_M2_PER_PERSON) as u32).max(20),
            _ => SHELTER_DEFAULT_CAPACITY,
        });
        places.push(Place {
            name: names.unique(&base),
            pos: to_map(c),
            households: 0,
            capacity: Some(capacity),
            junction: false,
        });
    }
    let people_places = places.len();

    // The road network: vertices used twice or more, and line ends, are junctions.
    let key = |p: Point| ((p.x * 10.0).round() as i64, (p.y * 10.0).round() as i64);
    let line_pts: Vec<Vec<Point>> = lines
        .iter()
        .map(|(_, f)| match &f.geom {
            Geom::Line(v) => {
                let mut pts: Vec<Point> = v.iter().map(|&p| to_map(p)).collect();
                pts.dedup_by(|a, b| key(*a) == key(*b));
                pts
            }
            _ => Vec::new(),
        })
        .collect();
    let mut uses: HashMap<(i64, i64), u32> = HashMap::new();
    for pts in &line_pts {
        for (i, p) in pts.iter().enumerate() {
            let end = i == 0 || i + 1 == pts.len();
            *uses.entry(key(*p)).or_insert(0) += if end { 2 } else { 1 };
        }
    }
    let mut junction_of: HashMap<(i64, i64), usize> = HashMap::new();
    let mut pieces: Vec<Piece> = Vec::new();
    let mut seen_links: HashMap<(&'static str, usize, usize), ()> = HashMap::new();
    let mut junctions = 0;
    for ((class, f), pts) in lines.iter().zip(&line_pts) {
        if pts.len() < 2 {
            continue;
        }
        let kind = match class {
            Class::Bridge => "bridge",
            Class::Path => "path",
            _ => "road",
        };
        let width = link_width(f, *class);
        let mut start = 0;
        for i in 1..pts.len() {
            if uses[&key(pts[i])] < 2 && i + 1 < pts.len() {
                continue;
            }
            let mut junction = |p: Point| {
                *junction_of.entry(key(p)).or_insert_with(|| {
                    junctions += 1;
                    places.push(Place {
                        name: names.unique(&format!("路口{junctions}")),
                        pos: p,
                        households: 0,
                        capacity: None,
                        junction: true,
                    });
                    places.len() - 1
                })
            };
            let (a, b) = (junction(pts[start]), junction(pts[i]));
            let span = simplify(&pts[start..=i], 2.0);
            start = i;
            let pair = (kind, a.min(b), a.max(b));
            if a == b || seen_links.insert(pair, ()).is_some() {
                continue; // a loop, or a second link of the kind between the same two places (W0012)
            }
            pieces.push(Piece {
                kind,
                width,
                a,
                b,
                via: span[1..span.len() - 1].to_vec(),
                name: name(&f.tags).map(str::to_string),
            });
        }
    }
    // Access roads: each hamlet and shelter to its nearest junction, or, without any
    // road in the data, each hamlet to its nearest shelter.
    let mut access = Vec::new();
    let junction_ids: Vec<usize> = (people_places..places.len()).collect();
    for i in 0..people_places {
        let near = if junction_ids.is_empty() {
            (hamlet_count..people_places)
                .filter(|j| *j != i)
                .min_by(|a, b| {
                    dist(places[*a].pos, places[i].pos)
                        .total_cmp(&dist(places[*b].pos, places[i].pos))
                })
        } else {
            junction_ids.iter().copied().min_by(|a, b| {
                dist(places[*a].pos, places[i].pos).total_cmp(&dist(places[*b].pos, places[i].pos))
            })
        };
        if let Some(j) = near
            && (i < hamlet_count || !junction_ids.is_empty())
            && seen_links
                .insert(("road", i.min(j), i.max(j)), ())
                .is_none()
        {
            access.push((i, j));
        }
    }

    let mut summary = Summary {
        households: homes.len(),
        hamlets: hamlet_count,
        shelters: people_places - hamlet_count,
        links: pieces.len() + access.len(),
        junctions,
        rivers: rivers.len(),
        origin,
        ..Summary::default()
    };
    let people = |h: usize| (h as f64 * opts.people_per_household).round() as u64;
    summary.people = places.iter().map(|p| people(p.households)).sum();

    let mut s = String::new();
    let src = if opts.sources.is_empty() {
        "GIS data".to_string()
    } else {
        opts.sources.join(", ")
    };
    let _ = writeln!(
        s,
        "// 由 `drill import` 从 {src} 生成 / generated by `drill import` from {src}."
    );
    let _ = writeln!(
        s,
        "// 这是情景骨架:地图已就绪,演练内容需要导调人员补充 / a skeleton: the map is ready, the drill is yours to write:"
    );
    let _ = writeln!(
        s,
        "//   1. scenario: 标题、编号、灾种、开始时间 / title, id, hazard, start (below);"
    );
    let _ = writeln!(
        s,
        "//   2. map: 核对户数和人数(按户均 {} 人估算),补充老人、残疾人、儿童等重点人员 /",
        opts.people_per_household
    );
    let _ = writeln!(
        s,
        "//      check households and people (estimated at {} per household) and add elderly, disabled, children;",
        opts.people_per_household
    );
    let _ = writeln!(
        s,
        "//      核对避灾点容量和设施,补充危险区 zone / check shelter capacities and facilities, add risk zones;"
    );
    let _ = writeln!(
        s,
        "//   3. roles、resources、teams: 指挥岗位、物资和队伍 / command posts, resources and teams;"
    );
    let _ = writeln!(
        s,
        "//   4. hazard、plan、injects: 灾情、处置卡和情景注入 / the hazard, the response card, the injects."
    );
    let _ = writeln!(
        s,
        "// See docs/LANGUAGE.md and scenarios/ for complete examples.\n"
    );
    s.push_str("scenario \"待命名演练 (untitled drill)\" {\n");
    s.push_str("  id       imported-village        // 待填 / to fill in\n");
    s.push_str("  hazard   flood                   // flood, fire or chemical\n");
    s.push_str("  start    2026-06-01 08:00        // 演练开始 / drill start\n");
    s.push_str("  duration 12h\n");
    s.push_str("  seed     1\n");
    s.push_str("}\n\nmap {\n");
    let _ = writeln!(
        s,
        "  origin ({:.7}, {:.7})   // 原点 (0, 0): WGS 84 / CGCS2000 经纬度 (lon, lat); x east, y south in metres",
        origin.lon, origin.lat
    );
    s.push_str("  cell 10m\n");
    if let Some(dem) = &opts.dem {
        let _ = writeln!(
            s,
            "  terrain \"{}\"",
            dem.replace('\\', "\\\\").replace('"', "\\\"")
        );
    }
    if hamlet_count > 0 {
        let _ = writeln!(
            s,
            "\n  // 居民点 / hamlets: {} households; 人数为估算 / people estimated",
            homes.len()
        );
    }
    for p in &places[..hamlet_count] {
        let _ = writeln!(
            s,
            "  place {} at {} households {} people {}",
            ident(&p.name),
            pt(p.pos),
            p.households,
            people(p.households)
        );
    }
    if people_places > hamlet_count {
        s.push_str("\n  // 避灾安置点 / shelters: 容量待核实 / capacities to check; facilities { water power medical barrier_free food beds }\n");
    }
    for p in &places[hamlet_count..people_places] {
        let _ = writeln!(
            s,
            "  shelter {} at {} capacity {}",
            ident(&p.name),
            pt(p.pos),
            p.capacity.unwrap_or(SHELTER_DEFAULT_CAPACITY)
        );
    }
    if junctions > 0 {
        s.push_str("\n  // 路口 / junctions of the road network\n");
    }
    for p in places[people_places..].iter().filter(|p| p.junction) {
        let _ = writeln!(
            s,
            "  place {} at {} kind junction",
            ident(&p.name),
            pt(p.pos)
        );
    }
    if !pieces.is_empty() {
        s.push_str("\n  // 道路、小路、桥梁 / roads, paths, bridges\n");
    }
    for piece in &pieces {
        let _ = write!(
            s,
            "  {} {} -> {} width {}m",
            piece.kind,
            ident(&places[piece.a].name),
            ident(&places[piece.b].name),
            piece.width
        );
        if !piece.via.is_empty() {
            s.push_str(" via");
            for p in &piece.via {
                s.push(' ');
                s.push_str(&pt(*p));
            }
        }
        if let Some(n) = &piece.name {
            let _ = write!(s, "   // {}", n.replace(['\n', '\r'], " "));
        }
        s.push('\n');
    }
    if !access.is_empty() {
        s.push_str("\n  // 进出道路(直线连接,待核实)/ access roads, straight to the nearest junction: check them\n");
    }
    for (i, j) in &access {
        let _ = writeln!(
            s,
            "  road {} -> {} width 3m",
            ident(&places[*i].name),
            ident(&places[*j].name)
        );
    }
    let mut river_names = Names::default();
    let mut river_no = 0;
    for f in &rivers {
        let Geom::Line(v) = &f.geom else { continue };
        let pts = simplify(&v.iter().map(|&p| to_map(p)).collect::<Vec<_>>(), 2.0);
        if pts.len() < 2 {
            continue;
        }
        if river_no == 0 {
            s.push_str("\n  // 河流 / rivers\n");
        }
        river_no += 1;
        let base = name(&f.tags).map_or_else(|| format!("河流{river_no}"), str::to_string);
        let rname = river_names.unique(&base);
        let _ = write!(s, "  river {} from {}", ident(&rname), pt(pts[0]));
        if pts.len() > 2 {
            s.push_str(" via");
            for p in &pts[1..pts.len() - 1] {
                s.push(' ');
                s.push_str(&pt(*p));
            }
        }
        let _ = writeln!(
            s,
            " to {} width {}m",
            pt(pts[pts.len() - 1]),
            river_width(f)
        );
    }
    s.push_str("  // zone 危险区 level red hazard flood polygon (x,y) (x,y) (x,y) ...   待补充 / to add\n}\n\n");
    let post = places.first().map(|p| ident(&p.name)).unwrap_or_default();
    s.push_str("roles {\n");
    let _ = writeln!(
        s,
        "  村应急管理员 level village post {post}   // 待补充其他岗位 / add the other posts: 镇现场指挥官, 网格员 ..."
    );
    s.push_str("}\n\n");
    s.push_str("// resources { 村广播 loudspeaker at 村委会 radius 600m }\n");
    s.push_str("// teams { 村民兵小分队 members 8 base 村委会 skills [door_knock evacuation] }\n");
    s.push_str("// hazard flood { rain mm/h [0h 5, 1h 30, 2h 65] }\n");
    s.push_str("// plan \"XX村山洪灾害应急处置卡\" { task T1 \"发布转移预警\" { when warning red who 村应急管理员 do warn zone 危险区 how [loudspeaker] within 30min } }\n");
    s.push_str("// injects { 1 at 08:10 from 县气象局 to 村应急管理员 via phone \"发布山洪红色预警\" effect warning red }\n");
    Ok((s, summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_widths() {
        assert_eq!(ident("上村"), "上村");
        assert_eq!(ident("3号桥"), "\"3号桥\"");
        assert_eq!(ident("map"), "\"map\"");
        assert_eq!(ident("村委会 广场"), "\"村委会 广场\"");
        assert_eq!(metres("4 m"), Some(4.0));
        assert_eq!(metres("10 ft"), Some(3.048));
        assert_eq!(metres("wide"), None);
        let pts = [
            Point { x: 0.0, y: 0.0 },
            Point { x: 5.0, y: 0.5 },
            Point { x: 10.0, y: 0.0 },
            Point { x: 10.0, y: 10.0 },
        ];
        assert_eq!(simplify(&pts, 2.0).len(), 3);
    }
}

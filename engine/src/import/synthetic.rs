//! A synthetic OpenStreetMap extract of a township for the import bench and its
//! scale test: hamlets of 100 homes each (10 × 10, 25 m apart) on a grid 600 m apart
//! near 119.5°E 30.2°N, a road grid whose crossings share nodes, a school every ten
//! hamlets and a river across. Pure text: nothing is read or written.

use std::fmt::Write;

/// The extract's XML, with `buildings` homes (rounded up to whole hamlets).
pub fn township_osm(buildings: usize) -> String {
    let hamlets = buildings.div_ceil(100).max(1);
    let side = (hamlets as f64).sqrt().ceil() as usize;
    let (lon0, lat0) = (119.5, 30.2);
    let (m_lon, m_lat) = (1.0 / 96_400.0, 1.0 / 110_900.0); // degrees per metre at 30°N
    let mut s = String::with_capacity(buildings * 420);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\" generator=\"drill synthetic\">\n");
    let mut ways = String::new();
    let mut id = 0u64;
    let mut node = |s: &mut String, x: f64, y: f64| {
        id += 1;
        let _ = writeln!(
            s,
            " <node id=\"{id}\" lat=\"{:.7}\" lon=\"{:.7}\"/>",
            lat0 - y * m_lat,
            lon0 + x * m_lon
        );
        id
    };
    let mut way_id = 1u64 << 40;
    let mut way = |ways: &mut String, refs: &[u64], tags: &[(&str, &str)]| {
        way_id += 1;
        let _ = write!(ways, " <way id=\"{way_id}\">");
        for r in refs {
            let _ = write!(ways, "<nd ref=\"{r}\"/>");
        }
        for (k, v) in tags {
            let _ = write!(ways, "<tag k=\"{k}\" v=\"{v}\"/>");
        }
        ways.push_str("</way>\n");
    };
    for h in 0..hamlets {
        let (hx, hy) = (
            (h % side) as f64 * 600.0 + 100.0,
            (h / side) as f64 * 600.0 + 100.0,
        );
        let name = format!("第{}村民小组", h + 1);
        for k in 0..100 {
            if h * 100 + k >= buildings {
                break;
            }
            let (x, y) = (hx + (k % 10) as f64 * 25.0, hy + (k / 10) as f64 * 25.0);
            let r: Vec<u64> = [(0.0, 0.0), (8.0, 0.0), (8.0, 8.0), (0.0, 8.0)]
                .iter()
                .map(|(dx, dy)| node(&mut s, x + dx, y + dy))
                .collect();
            way(
                &mut ways,
                &[r[0], r[1], r[2], r[3], r[0]],
                &[("building", "house"), ("addr:hamlet", &name)],
            );
        }
        if h % 10 == 0 {
            let r: Vec<u64> = [(0.0, 0.0), (40.0, 0.0), (40.0, 30.0), (0.0, 30.0)]
                .iter()
                .map(|(dx, dy)| node(&mut s, hx + 300.0 + dx, hy + dy))
                .collect();
            let school = format!("第{}小学", h / 10 + 1);
            way(
                &mut ways,
                &[r[0], r[1], r[2], r[3], r[0]],
                &[
                    ("building", "school"),
                    ("amenity", "school"),
                    ("name", &school),
                ],
            );
        }
    }
    // Roads between the hamlet rows and columns, crossing at shared nodes.
    let grid: Vec<Vec<u64>> = (0..=side)
        .map(|j| {
            (0..=side)
                .map(|i| node(&mut s, i as f64 * 600.0 + 50.0, j as f64 * 600.0 + 50.0))
                .collect()
        })
        .collect();
    for (j, row) in grid.iter().enumerate() {
        way(
            &mut ways,
            row,
            &[("highway", "unclassified"), ("name", "村道")],
        );
        let col: Vec<u64> = grid.iter().map(|r| r[j]).collect();
        way(&mut ways, &col, &[("highway", "track")]);
    }
    let (a, b) = (
        node(&mut s, 0.0, 370.0),
        node(&mut s, side as f64 * 600.0, 390.0),
    );
    way(
        &mut ways,
        &[a, b],
        &[("waterway", "river"), ("name", "大溪")],
    );
    s.push_str(&ways);
    s.push_str("</osm>\n");
    s
}

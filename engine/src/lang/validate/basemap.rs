//! 底图 — the map's `basemap` statement: an image (PNG or JPEG: an aerial or satellite
//! picture, a scanned village map) the editor draws under the scenario, laid on the map
//! by the world file beside it or by the corners the statement gives. The engine keeps
//! the path and the placement only; `io::load_basemap` reads the world file and the
//! image's size, and the editor decodes the pixels. Owns E0201 for a second `basemap`,
//! E0154 (an image or world file that cannot be read, added by `lang::check_basemap`
//! once `io` has tried) and E0155 (corners that are no north-west and south-east).

use super::V;
use super::cursor::Cur;
use crate::lang::diagnostic::Diagnostic;
use crate::lang::syntax::NodeKind;
use crate::model::*;

/// E0154: the basemap's image or world file cannot be read. `message` is what
/// `io::load_basemap` said (it names the file as written); the diagnostic points at
/// the `basemap` statement.
pub fn basemap_unreadable(basemap: &Basemap, message: &str) -> Diagnostic {
    let help = match basemap.placement {
        BasemapPlacement::WorldFile => {
            "the path is relative to this scenario's folder; the image needs its world file beside it (village.pgw for village.png, .jgw for .jpg, or .wld), or give its corners: `basemap \"village.png\" from (x0, y0) to (x1, y1)` / 路径相对于本情景文件所在文件夹;图片旁需有同名坐标文件 (.pgw/.jgw/.wld),或用 from … to … 写出左上角和右下角"
        }
        BasemapPlacement::Corners(_) => {
            "the path is relative to this scenario's folder; save the image as PNG or JPEG / 路径相对于本情景文件所在文件夹;图片应为 PNG 或 JPEG"
        }
    };
    Diagnostic::error(
        "E0154",
        basemap.span,
        format!("无法读取底图:{message}"),
        format!("the basemap cannot be read: {message}"),
    )
    .help(help)
}

impl V {
    /// `basemap "FILE" [from (x0, y0) to (x1, y1)] [opacity P%]`.
    pub(super) fn basemap(&mut self, cur: &mut Cur<'_>) {
        let whole = cur.whole();
        if self.s.map.basemap.is_some() {
            self.err(
                Diagnostic::error(
                    "E0201",
                    whole,
                    "底图只能写一次",
                    "a second `basemap`; there may be only one",
                )
                .help("keep one basemap line"),
            );
            return;
        }
        let Some(path) = self.string(cur, "the basemap's image file, PNG or JPEG") else {
            return;
        };
        let mut placement = BasemapPlacement::WorldFile;
        if cur.eat_kw("from") {
            let from = self.raw_point(cur);
            let to = if cur.eat_kw("to") {
                self.raw_point(cur)
            } else {
                self.expected(
                    cur,
                    "to (x1, y1)",
                    "`to` and the image's south-east corner",
                    "write `from` the image's top-left (north-west) corner `to` its bottom-right (south-east) one: `from (0, 0) to (1200, 900)`",
                );
                None
            };
            let (Some(((x0, y0), at)), Some(((x1, y1), at_to))) = (from, to) else {
                return;
            };
            // The given corners are read as every map point is (E0148 when one is no
            // longitude/latitude under `coordinates lonlat`).
            let nw = self.map_point(at, x0, y0);
            let se = self.map_point(at_to, x1, y1);
            let lonlat = self.lonlat;
            if lonlat.is_some()
                && !(crate::geo::plausible_lonlat(x0, y0) && crate::geo::plausible_lonlat(x1, y1))
            {
                return;
            }
            // The other two: in longitude/latitude the four are no rectangle on the
            // map's plane, so each is converted on its own.
            let other = |x: f64, y: f64| match lonlat {
                Some((frame, datum)) => {
                    let (lon, lat) = datum.to_wgs84(x, y);
                    frame.to_map(lon, lat)
                }
                None => Point { x, y },
            };
            let corners = [nw, other(x1, y0), se, other(x0, y1)];
            if !(nw.x < se.x && nw.y < se.y) {
                self.err(
                    Diagnostic::error(
                        "E0155",
                        at,
                        "底图的 from 应为左上角(西北),to 应为右下角(东南)",
                        "the basemap's `from` must be the image's top-left (north-west) corner and `to` its bottom-right (south-east) one, east and south of it",
                    )
                    .help("in metres y grows southwards: `from (0, 0) to (1200, 900)`; in longitude/latitude the north-west corner has the smaller longitude and the larger latitude"),
                );
                return;
            }
            placement = BasemapPlacement::Corners(corners);
        }
        let mut opacity = 1.0;
        if cur.eat_kw("opacity") {
            opacity = self.percent(cur).map_or(1.0, |p| p / 100.0);
        }
        self.finish(cur);
        self.s.map.basemap = Some(Basemap {
            path,
            placement,
            opacity,
            span: whole,
            georef: None,
        });
    }

    /// A point as written (longitude/latitude are converted corner by corner by the
    /// caller), with its span.
    fn raw_point(&mut self, cur: &mut Cur<'_>) -> Option<((f64, f64), Span)> {
        match cur.peek().map(|n| &n.kind) {
            Some(NodeKind::Point { x, y, .. }) => {
                let node = cur.next()?;
                Some(((*x, *y), cur.span_of(node)))
            }
            _ => {
                self.expected(
                    cur,
                    "坐标点,如 (0, 0)",
                    "a corner like (0, 0)",
                    "write the image's corners as points: `from (0, 0) to (1200, 900)`",
                );
                None
            }
        }
    }
}

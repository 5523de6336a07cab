//! The raster terrain shared by the hazard models (flood, fire, plume receptors):
//! a regular grid of elevations laid over the scenario map.
//!
//! Orientation follows the scenario language: map coordinates are metres from the map
//! origin, `x` grows east and `y` grows *down the trainer's sketch*, i.e. south. Row 0 of
//! the grid is the northernmost row and covers `y ∈ [origin.y, origin.y + cell)`, exactly
//! like the first row of an ESRI ASCII grid and of an inline `terrain grid [...]`.
//! Cells are addressed `(col, row)`; the flat index is `row * cols + col`.
//!
//! Cells without data (an ASCII grid's `NODATA_value`) hold `NaN`; models treat them as
//! outside the domain (closed walls for the flood model).

use crate::model::{Hazard, Point, Scenario, Terrain, TerrainSource};

/// An elevation raster on the scenario map.
#[derive(Debug, Clone, PartialEq)]
pub struct Raster {
    pub cols: usize,
    pub rows: usize,
    /// Cell size, metres (square cells).
    pub cell_m: f64,
    /// Map position of the north-west corner of cell (0, 0).
    pub origin: Point,
    /// Row-major elevations, metres; `NaN` where there is no data.
    pub elevation_m: Vec<f64>,
}

impl Raster {
    /// A raster with every cell at `elevation_m`.
    pub fn flat(cols: usize, rows: usize, cell_m: f64, elevation_m: f64) -> Raster {
        Raster {
            cols,
            rows,
            cell_m,
            origin: Point::default(),
            elevation_m: vec![elevation_m; cols * rows],
        }
    }

    /// A raster from row-major elevations; checks the shape and the cell size.
    pub fn from_grid(
        cols: usize,
        rows: usize,
        cell_m: f64,
        elevation_m: Vec<f64>,
    ) -> Result<Raster, String> {
        if cols == 0 || rows == 0 {
            return Err(format!(
                "terrain grid must have at least one row and one column (got {cols}x{rows})"
            ));
        }
        if !(cell_m.is_finite() && cell_m > 0.0) {
            return Err(format!(
                "terrain cell size must be a positive number of metres (got {cell_m})"
            ));
        }
        if elevation_m.len() != cols * rows {
            return Err(format!(
                "terrain grid is {cols}x{rows} = {} cells but has {} elevations",
                cols * rows,
                elevation_m.len()
            ));
        }
        Ok(Raster {
            cols,
            rows,
            cell_m,
            origin: Point::default(),
            elevation_m,
        })
    }

    /// Builds the raster for a scenario's terrain. An inline grid needs nothing more; a
    /// heightmap file needs its text, read by [`crate::io::read_text`] (the caller
    /// reads it so this stays pure).
    ///
    /// `vertical` (垂直) is the size of one stored unit in metres: elevation = value ×
    /// vertical. The default 1 m reads an ESRI ASCII DEM as it is usually written, in
    /// metres; `vertical 0.1m` reads one stored in decimetres, `vertical 0.3048m` one in
    /// feet. It scales only the elevations, never the cell size (that is the file's
    /// `cellsize`), and no-data cells stay no-data.
    pub fn from_terrain(terrain: &Terrain, file_text: Option<&str>) -> Result<Raster, String> {
        match &terrain.source {
            TerrainSource::Grid {
                cols,
                rows,
                elevation_m,
            } => Raster::from_grid(
                *cols as usize,
                *rows as usize,
                terrain.cell_m,
                elevation_m.clone(),
            ),
            TerrainSource::File { path, vertical_m } => {
                let text = file_text.ok_or_else(|| format!("terrain file {path} was not read"))?;
                if !path.to_ascii_lowercase().ends_with(".asc") {
                    return Err(format!(
                        "terrain file {path}: only ESRI ASCII grids (.asc) and GeoTIFF (.tif) are read; export the DEM as one of them"
                    ));
                }
                let mut raster = parse_esri_ascii(text).map_err(|e| format!("{path}: {e}"))?;
                for z in &mut raster.elevation_m {
                    *z *= vertical_m;
                }
                check_elevations(raster.cols, &raster.elevation_m).map_err(|e| {
                    format!("{path}: {e}; check the file's units (`vertical`) and its NODATA_value")
                })?;
                Ok(raster)
            }
        }
    }

    /// The raster for a scenario without a terrain file: its inline terrain grid, or
    /// (when the map has no terrain) a flat raster of the map's cell size covering
    /// everything the scenario places on the map — places, zones, rivers, fire
    /// ignitions, chemical sources — with a margin of ten cells. A terrain file is read
    /// by [`crate::io::load_terrain`] instead.
    pub fn covering_scenario(scenario: &Scenario) -> Result<Raster, String> {
        if let Some(terrain) = &scenario.map.terrain {
            return match &terrain.source {
                TerrainSource::Grid {
                    cols,
                    rows,
                    elevation_m,
                } => {
                    let (cols, rows) = (*cols as usize, *rows as usize);
                    if cols == 0 || rows == 0 || elevation_m.len() != cols * rows {
                        return Err(format!(
                            "terrain grid is {cols}x{rows} but has {} elevations",
                            elevation_m.len()
                        ));
                    }
                    if !(terrain.cell_m.is_finite() && terrain.cell_m > 0.0) {
                        return Err("terrain cell size must be positive".to_string());
                    }
                    Ok(Raster {
                        cols,
                        rows,
                        cell_m: terrain.cell_m,
                        origin: Point::default(),
                        elevation_m: elevation_m.clone(),
                    })
                }
                TerrainSource::File { path, .. } => Err(format!(
                    "terrain file {path} must be loaded (io::load_terrain) before the hazard models are built"
                )),
            };
        }
        let cell = if scenario.map.cell_m > 0.0 {
            scenario.map.cell_m
        } else {
            10.0
        };
        let mut points: Vec<Point> = scenario.map.places.iter().map(|p| p.pos).collect();
        points.extend(
            scenario
                .map
                .zones
                .iter()
                .flat_map(|z| z.polygon.iter().copied()),
        );
        points.extend(
            scenario
                .map
                .rivers
                .iter()
                .flat_map(|r| r.points.iter().copied()),
        );
        for hazard in &scenario.hazards {
            match hazard {
                Hazard::Fire(spec) => points.extend(spec.ignitions.iter().map(|i| i.at)),
                Hazard::Chemical(spec) => points.push(spec.source),
                Hazard::Flood(_) => {}
            }
        }
        if points.is_empty() {
            return Err("the map has nothing on it to size the hazard raster".to_string());
        }
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for p in &points {
            x0 = x0.min(p.x);
            y0 = y0.min(p.y);
            x1 = x1.max(p.x);
            y1 = y1.max(p.y);
        }
        let margin = 10.0 * cell;
        let origin = Point {
            x: x0.min(0.0) - margin,
            y: y0.min(0.0) - margin,
        };
        let cols = ((x1 + margin - origin.x) / cell).ceil() as usize;
        let rows = ((y1 + margin - origin.y) / cell).ceil() as usize;
        if cols * rows > 25_000_000 {
            return Err(format!(
                "map needs a {cols}x{rows} hazard raster; use a larger map cell"
            ));
        }
        Ok(Raster {
            cols,
            rows,
            cell_m: cell,
            origin,
            elevation_m: vec![0.0; cols * rows],
        })
    }

    pub fn len(&self) -> usize {
        self.cols * self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Flat index of cell `(col, row)`.
    #[inline]
    pub fn index(&self, col: usize, row: usize) -> usize {
        row * self.cols + col
    }

    /// The cell containing map point `p`, or `None` outside the raster.
    pub fn cell_of(&self, p: Point) -> Option<(usize, usize)> {
        let fx = (p.x - self.origin.x) / self.cell_m;
        let fy = (p.y - self.origin.y) / self.cell_m;
        if !(fx >= 0.0 && fy >= 0.0) {
            return None;
        }
        let (col, row) = (fx.floor() as usize, fy.floor() as usize);
        (col < self.cols && row < self.rows).then_some((col, row))
    }

    /// Flat index of the cell containing `p`.
    pub fn index_of(&self, p: Point) -> Option<usize> {
        self.cell_of(p).map(|(c, r)| self.index(c, r))
    }

    /// Map position of the centre of cell `(col, row)`.
    pub fn center(&self, col: usize, row: usize) -> Point {
        Point {
            x: self.origin.x + (col as f64 + 0.5) * self.cell_m,
            y: self.origin.y + (row as f64 + 0.5) * self.cell_m,
        }
    }

    /// Elevation at `(col, row)`, clamped to the raster edge; `NaN` where no data.
    fn z_clamped(&self, col: isize, row: isize) -> f64 {
        let c = col.clamp(0, self.cols as isize - 1) as usize;
        let r = row.clamp(0, self.rows as isize - 1) as usize;
        self.elevation_m[self.index(c, r)]
    }

    /// Surface gradient (dz/dx east, dz/dy south) at a cell by Horn's (1981) 3x3
    /// weighted differences, the method of ArcGIS/GDAL slope; edges repeat the edge
    /// cell. A missing neighbour is replaced by the centre value.
    pub fn gradient(&self, col: usize, row: usize) -> (f64, f64) {
        let (c, r) = (col as isize, row as isize);
        let centre = self.z_clamped(c, r);
        let z = |dc: isize, dr: isize| {
            let v = self.z_clamped(c + dc, r + dr);
            if v.is_nan() { centre } else { v }
        };
        let dzdx = ((z(1, -1) + 2.0 * z(1, 0) + z(1, 1)) - (z(-1, -1) + 2.0 * z(-1, 0) + z(-1, 1)))
            / (8.0 * self.cell_m);
        let dzdy = ((z(-1, 1) + 2.0 * z(0, 1) + z(1, 1)) - (z(-1, -1) + 2.0 * z(0, -1) + z(1, -1)))
            / (8.0 * self.cell_m);
        (dzdx, dzdy)
    }

    /// Slope as rise over run (tan of the slope angle).
    pub fn slope(&self, col: usize, row: usize) -> f64 {
        let (gx, gy) = self.gradient(col, row);
        gx.hypot(gy)
    }

    /// Aspect: the compass direction the slope faces (downhill), degrees clockwise from
    /// north; `None` on flat ground.
    pub fn aspect_deg(&self, col: usize, row: usize) -> Option<f64> {
        let (gx, gy) = self.gradient(col, row);
        if gx.hypot(gy) < 1e-12 {
            return None;
        }
        // Downhill is −gradient; north is −y, so its north component is +gy.
        let (east, north) = (-gx, gy);
        Some(east.atan2(north).to_degrees().rem_euclid(360.0))
    }
}

/// Unit vector (map x, map y) of the direction a wind blows *towards*, given the
/// meteorological direction it blows *from* (degrees clockwise from north). North is
/// −y on the map, so a north wind (0°) blows towards +y.
pub fn downwind_unit(from_deg: f64) -> (f64, f64) {
    let (s, c) = from_deg.to_radians().sin_cos();
    (-s, c)
}

/// Largest elevation magnitude a terrain may hold, metres: Everest is 8,849 m and the
/// Mariana Trench 10,994 m deep, so beyond it a value is a units mistake (a DEM in
/// decimetres or millimetres read as metres) or a NODATA value the header does not
/// declare. (It also keeps the flood model's bed, held to 2⁻¹⁶ m, exact.)
pub const MAX_ELEVATION_M: f64 = 12_000.0;

/// Whether `value` (metres, NaN for no data) can be an elevation: no data, or within
/// ±[`MAX_ELEVATION_M`].
pub fn plausible_elevation(value: f64) -> bool {
    value.is_nan() || value.abs() <= MAX_ELEVATION_M
}

/// The first elevation of a row-major grid of `cols` columns that is not
/// [`plausible_elevation`], as an error naming its cell (columns and rows from 1).
pub fn check_elevations(cols: usize, elevation_m: &[f64]) -> Result<(), String> {
    match elevation_m.iter().position(|&z| !plausible_elevation(z)) {
        None => Ok(()),
        Some(i) => Err(format!(
            "elevation {} m (row {}, column {}) is higher or deeper than anywhere on Earth (limit ±{} km)",
            elevation_m[i],
            i / cols.max(1) + 1,
            i % cols.max(1) + 1,
            MAX_ELEVATION_M / 1000.0
        )),
    }
}

/// Parses an ESRI ASCII grid (`.asc`): header keys `ncols`, `nrows`, `xllcorner` or
/// `xllcenter`, `yllcorner` or `yllcenter`, `cellsize`, optional `NODATA_value`, then
/// `nrows` rows of `ncols` values, north row first. The geographic corner is not used:
/// the grid is placed with its north-west corner at the map origin, as the language
/// says ("first row at y = 0"). No-data cells become `NaN`.
pub fn parse_esri_ascii(text: &str) -> Result<Raster, String> {
    let mut tokens = text.split_whitespace().peekable();
    let (mut ncols, mut nrows, mut cellsize, mut nodata) = (None, None, None, None);
    while let Some(&tok) = tokens.peek() {
        let key = tok.to_ascii_lowercase();
        if !key.starts_with(|c: char| c.is_ascii_alphabetic()) || key == "nan" {
            break;
        }
        tokens.next();
        let value = tokens
            .next()
            .ok_or_else(|| format!("header key {tok} has no value"))?;
        let number: f64 = value
            .parse()
            .map_err(|_| format!("header {tok}: {value} is not a number"))?;
        match key.as_str() {
            "ncols" => ncols = Some(number),
            "nrows" => nrows = Some(number),
            "cellsize" => cellsize = Some(number),
            "nodata_value" => nodata = Some(number),
            "xllcorner" | "yllcorner" | "xllcenter" | "yllcenter" => {}
            _ => return Err(format!("unknown ESRI ASCII grid header key {tok}")),
        }
    }
    let count = |v: Option<f64>, name: &str| -> Result<usize, String> {
        match v {
            Some(n) if n >= 1.0 && n.fract() == 0.0 && n < 1e8 => Ok(n as usize),
            Some(n) => Err(format!("{name} must be a positive whole number (got {n})")),
            None => Err(format!("header is missing {name}")),
        }
    };
    let cols = count(ncols, "ncols")?;
    let rows = count(nrows, "nrows")?;
    let cell = cellsize.ok_or("header is missing cellsize")?;
    let mut elevation = Vec::with_capacity(cols * rows);
    for (i, tok) in tokens.enumerate() {
        let v: f64 = tok.parse().map_err(|_| {
            format!(
                "value {} (row {}, column {}): {tok} is not a number",
                i + 1,
                i / cols + 1,
                i % cols + 1
            )
        })?;
        elevation.push(if Some(v) == nodata { f64::NAN } else { v });
    }
    Raster::from_grid(cols, rows, cell, elevation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_grid_reads_rows_north_first_and_nodata() {
        let text = "ncols 3\nnrows 2\nxllcorner 500000\nyllcorner 3000000\ncellsize 10\nNODATA_value -9999\n\
                    1 2 3\n4 -9999 6\n";
        let r = parse_esri_ascii(text).unwrap();
        assert_eq!((r.cols, r.rows, r.cell_m), (3, 2, 10.0));
        assert_eq!(r.elevation_m[r.index(2, 0)], 3.0);
        assert!(r.elevation_m[r.index(1, 1)].is_nan());
        assert_eq!(r.cell_of(Point { x: 25.0, y: 5.0 }), Some((2, 0)));
        assert_eq!(r.cell_of(Point { x: 30.0, y: 5.0 }), None);
        assert_eq!(r.cell_of(Point { x: -0.1, y: 5.0 }), None);
    }

    #[test]
    fn vertical_is_metres_per_stored_unit() {
        let text = "ncols 2\nnrows 1\ncellsize 30\nNODATA_value -9999\n1234 -9999\n";
        let terrain = Terrain {
            source: TerrainSource::File {
                path: "dem-decimetres.asc".into(),
                vertical_m: 0.1,
            },
            cell_m: 10.0,
            span: crate::model::Span::default(),
            georef: None,
        };
        let r = Raster::from_terrain(&terrain, Some(text)).unwrap();
        assert!((r.elevation_m[0] - 123.4).abs() < 1e-9);
        assert!(r.elevation_m[1].is_nan(), "no-data stays no-data");
        assert_eq!(r.cell_m, 30.0, "the cell size is the file's, unscaled");
    }

    #[test]
    fn ascii_grid_errors_are_specific() {
        assert!(
            parse_esri_ascii("ncols 2\nnrows 2\ncellsize 5\n1 2 3")
                .unwrap_err()
                .contains("4 cells but has 3")
        );
        assert!(
            parse_esri_ascii("ncols 2\nnrows 2\ncellsize 5\n1 x 3 4")
                .unwrap_err()
                .contains("row 1, column 2")
        );
        assert!(
            parse_esri_ascii("nrows 2\ncellsize 5\n1 2")
                .unwrap_err()
                .contains("ncols")
        );
    }

    #[test]
    fn slope_and_aspect_of_a_plane_falling_to_the_east() {
        // z = 100 − 0.1 x: falls 1 m per 10 m cell eastwards.
        let (cols, rows, cell) = (5, 4, 10.0);
        let z = (0..rows)
            .flat_map(|_| (0..cols).map(move |c| 100.0 - 0.1 * cell * c as f64))
            .collect();
        let r = Raster::from_grid(cols, rows, cell, z).unwrap();
        assert!((r.slope(2, 2) - 0.1).abs() < 1e-12);
        assert!((r.aspect_deg(2, 2).unwrap() - 90.0).abs() < 1e-9);
    }

    #[test]
    fn aspect_north_when_rows_rise_southwards() {
        // Elevation grows with row (southwards), so the slope faces north.
        let z = (0..4).flat_map(|r| (0..4).map(move |_| r as f64)).collect();
        let r = Raster::from_grid(4, 4, 1.0, z).unwrap();
        assert!(r.aspect_deg(1, 1).unwrap() < 1e-9 || r.aspect_deg(1, 1).unwrap() > 360.0 - 1e-9);
    }

    #[test]
    fn north_wind_blows_towards_plus_y() {
        let (x, y) = downwind_unit(0.0);
        assert!(x.abs() < 1e-12 && (y - 1.0).abs() < 1e-12);
        let (x, y) = downwind_unit(270.0); // from the west, towards the east
        assert!((x - 1.0).abs() < 1e-12 && y.abs() < 1e-12);
    }
}

//! 底图 — reads what places a scenario's basemap on the map: the image's size in
//! pixels from its PNG or JPEG header (the pixels themselves are the editor's to
//! decode) and, unless the statement gives the corners, the world file beside it
//! (`village.pgw` for `village.png`, `.jgw` for `.jpg`, or `.wld`: six numbers, one
//! a line, as GIS programs write them).
//!
//! A world file is read in one of two frames, told apart by the sign of its pixel
//! grid's determinant (`A·E − B·D`): negative, rows run north to south with y growing
//! north, as every geographic world file is (QGIS, Global Mapper, MOBAC export in
//! EPSG:4326): longitude/latitude in degrees, WGS 84 / CGCS2000, laid on the map
//! through its `origin`; positive, y grows south with the rows: the map's own metres.
//! Projected coordinates (UTM, the CGCS2000 Gauss–Krüger zones) are refused with what
//! to do, since the file does not say which projection they are in.

use crate::geo::{LocalFrame, plausible_lonlat};
use crate::model::{Basemap, BasemapPlacement, Georef, Point};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// A basemap as the editor draws it: its image file and where its four outer
/// corners lie on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedBasemap {
    /// The image, joined to the scenario's folder (for `io::read_bytes`).
    pub file: PathBuf,
    /// The image's size, pixels.
    pub width_px: u32,
    pub height_px: u32,
    /// The image's north-west (top-left), north-east, south-east and south-west outer
    /// corners in map metres.
    pub corners: [Point; 4],
    /// 0 to 1.
    pub opacity: f64,
    /// The image file's length in bytes, which tells a replaced image from the one
    /// already decoded.
    pub byte_len: u64,
}

/// Reads the basemap's image header (and world file, if it needs one) relative to
/// `scenario_dir`. Errors name the files as the scenario writes them.
pub fn load_basemap(basemap: &Basemap, scenario_dir: &Path) -> Result<PlacedBasemap, String> {
    let path = &basemap.path;
    let file = scenario_dir.join(path);
    let (width_px, height_px, byte_len) = image_size(&file).map_err(|e| format!("{path}: {e}"))?;
    let corners = match basemap.placement {
        BasemapPlacement::Corners(corners) => corners,
        BasemapPlacement::WorldFile => {
            let (world_path, written) = find_world_file(path, scenario_dir)?;
            let text = super::read_text(&world_path).map_err(|_| {
                format!("{written}: not a text file; a world file is six numbers, one a line")
            })?;
            let world = WorldFile::parse(&text).map_err(|e| format!("{written}: {e}"))?;
            world
                .corners(width_px, height_px, basemap.georef)
                .map_err(|e| format!("{written}: {e}"))?
        }
    };
    Ok(PlacedBasemap {
        file,
        width_px,
        height_px,
        corners,
        opacity: basemap.opacity,
        byte_len,
    })
}

/// The world file beside the image at `path` (as written, relative to `dir`): the
/// first of `NAME.<first and last letter of the extension>w`, `NAME.<extension>w` and
/// `NAME.wld` that exists (`village.pgw`, `village.pngw`, `village.wld`), each in the
/// case of the image's extension and in the other. Also the path as written.
fn find_world_file(path: &str, dir: &Path) -> Result<(PathBuf, String), String> {
    let (stem, ext) = match path.rsplit_once('.') {
        Some((stem, ext)) if !ext.contains('/') => (stem, ext),
        _ => (path, ""),
    };
    let upper = ext.chars().any(|c| c.is_ascii_uppercase());
    let case = |e: String| {
        if upper {
            e.to_ascii_uppercase()
        } else {
            e.to_ascii_lowercase()
        }
    };
    let mut exts = Vec::new();
    let (first, last) = (ext.chars().next(), ext.chars().last());
    if let (Some(f), Some(l)) = (first, last) {
        exts.push(case(format!("{f}{l}w")));
    }
    if !ext.is_empty() {
        exts.push(case(format!("{ext}w")));
    }
    exts.push(case("wld".to_string()));
    // Each in the image extension's case, then in the other.
    let both: Vec<String> = exts
        .iter()
        .flat_map(|e| {
            let other = if upper {
                e.to_ascii_lowercase()
            } else {
                e.to_ascii_uppercase()
            };
            [e.clone(), other]
        })
        .collect();
    for e in &both {
        let written = format!("{stem}.{e}");
        let full = dir.join(&written);
        if full.is_file() {
            return Ok((full, written));
        }
    }
    let tried: Vec<String> = exts.iter().map(|e| format!("{stem}.{e}")).collect();
    Err(format!(
        "{path}: no world file beside it (looked for {})",
        tried.join(", ")
    ))
}

/// A world file's six numbers: pixel (col, row), counted from the centre of the
/// top-left pixel, lies at `(a·col + b·row + c, d·col + e·row + f)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorldFile {
    pub a: f64,
    pub d: f64,
    pub b: f64,
    pub e: f64,
    pub c: f64,
    pub f: f64,
}

impl WorldFile {
    /// The six lines in the order GIS programs write them: A, D, B, E, C, F.
    pub fn parse(text: &str) -> Result<WorldFile, String> {
        let mut values = Vec::new();
        for (i, line) in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .enumerate()
        {
            let v: f64 = line.parse().map_err(|_| {
                format!(
                    "line {} is `{line}`, not a number; a world file is six numbers, one a line",
                    i + 1
                )
            })?;
            if !v.is_finite() {
                return Err(format!("line {} is not a finite number", i + 1));
            }
            values.push(v);
        }
        let &[a, d, b, e, c, f] = values.as_slice() else {
            return Err(format!(
                "{} numbers where a world file has six (pixel width, two rotations, pixel height, and the top-left pixel's x and y)",
                values.len()
            ));
        };
        let w = WorldFile { a, d, b, e, c, f };
        if w.determinant() == 0.0 {
            return Err("its pixels have no size (the pixel width or height is 0)".into());
        }
        Ok(w)
    }

    fn determinant(&self) -> f64 {
        self.a * self.e - self.b * self.d
    }

    /// Pixel coordinates (0, 0 at the top-left pixel's centre) → world coordinates.
    fn at(&self, col: f64, row: f64) -> (f64, f64) {
        (
            self.a * col + self.b * row + self.c,
            self.d * col + self.e * row + self.f,
        )
    }

    /// The outer corners (north-west, north-east, south-east, south-west as the image
    /// is seen) of a `width` × `height` pixel image, in map metres: through the map's
    /// `origin` when the world file is in longitude/latitude (see the module's note).
    pub fn corners(
        &self,
        width: u32,
        height: u32,
        origin: Option<Georef>,
    ) -> Result<[Point; 4], String> {
        let (w, h) = (f64::from(width) - 0.5, f64::from(height) - 0.5);
        let world = [(-0.5, -0.5), (w, -0.5), (w, h), (-0.5, h)].map(|(c, r)| self.at(c, r));
        if self.determinant() > 0.0 {
            // y grows with the rows: the map's own metres.
            return Ok(world.map(|(x, y)| Point { x, y }));
        }
        if !world.iter().all(|&(lon, lat)| plausible_lonlat(lon, lat)) {
            return Err(format!(
                "its coordinates ({:.0}, {:.0}) are no longitude/latitude: projected coordinates (UTM, Gauss–Krüger) cannot be read here; export the image in EPSG:4326 (WGS 84 longitude/latitude), or give its corners in the scenario with `from (x0, y0) to (x1, y1)`",
                self.c, self.f
            ));
        }
        let Some(origin) = origin else {
            return Err("a world file in longitude/latitude lays the image by its coordinates, so the map needs `origin (longitude, latitude)`".into());
        };
        let frame = LocalFrame::new(origin);
        Ok(world.map(|(lon, lat)| frame.to_map(lon, lat)))
    }
}

/// An image's width and height in pixels from its PNG or JPEG header, and the file's
/// length; the rest of the file is not read.
fn image_size(path: &Path) -> Result<(u32, u32, u64), String> {
    let file = File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "no such file / 文件不存在".to_string(),
        _ => e.to_string(),
    })?;
    let len = file.metadata().map_err(|e| e.to_string())?.len();
    if len > crate::limits::MAX_BASEMAP_BYTES {
        return Err(format!(
            "larger than {} MiB / 文件过大",
            crate::limits::MAX_BASEMAP_BYTES >> 20
        ));
    }
    let mut r = BufReader::new(file);
    let mut head = [0u8; 8];
    r.read_exact(&mut head)
        .map_err(|_| "not a PNG or JPEG image (too short)".to_string())?;
    let (w, h) = if head == *b"\x89PNG\r\n\x1a\n" {
        png_size(&mut r)
    } else if head[..2] == [0xFF, 0xD8] {
        r.seek(SeekFrom::Start(2)).map_err(|e| e.to_string())?;
        jpeg_size(&mut r)
    } else {
        Err("not a PNG or JPEG image; save it as PNG or JPEG".to_string())
    }?;
    if w == 0 || h == 0 {
        return Err("the image has no pixels".into());
    }
    Ok((w, h, len))
}

/// Width and height from the IHDR chunk, which comes first.
fn png_size(r: &mut impl Read) -> Result<(u32, u32), String> {
    let mut ihdr = [0u8; 16];
    r.read_exact(&mut ihdr)
        .map_err(|_| "a PNG cut short in its header".to_string())?;
    if &ihdr[4..8] != b"IHDR" {
        return Err("a PNG without its header chunk (IHDR)".into());
    }
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    Ok((be(&ihdr[8..12]), be(&ihdr[12..16])))
}

/// Width and height from the first start-of-frame segment (SOF0–SOF15 but DHT, JPG
/// and DAC), skipping the segments before it (EXIF, thumbnails, tables).
fn jpeg_size(r: &mut (impl Read + Seek)) -> Result<(u32, u32), String> {
    let cut = || "a JPEG cut short before its frame header".to_string();
    loop {
        let mut marker = [0u8; 2];
        r.read_exact(&mut marker).map_err(|_| cut())?;
        if marker[0] != 0xFF {
            return Err("a JPEG whose segments cannot be read".into());
        }
        let m = marker[1];
        // Fill bytes, and markers without a length.
        if m == 0xFF {
            r.seek(SeekFrom::Current(-1)).map_err(|e| e.to_string())?;
            continue;
        }
        if m == 0x01 || (0xD0..=0xD7).contains(&m) {
            continue;
        }
        let mut len = [0u8; 2];
        r.read_exact(&mut len).map_err(|_| cut())?;
        let len = u16::from_be_bytes(len);
        if len < 2 {
            return Err("a JPEG whose segments cannot be read".into());
        }
        if (0xC0..=0xCF).contains(&m) && !matches!(m, 0xC4 | 0xC8 | 0xCC) {
            let mut sof = [0u8; 5];
            r.read_exact(&mut sof).map_err(|_| cut())?;
            let h = u16::from_be_bytes([sof[1], sof[2]]);
            let w = u16::from_be_bytes([sof[3], sof[4]]);
            return Ok((u32::from(w), u32::from(h)));
        }
        if m == 0xDA || m == 0xD9 {
            return Err(cut());
        }
        r.seek(SeekFrom::Current(i64::from(len) - 2))
            .map_err(|e| e.to_string())?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;
    use std::fs;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("drill-basemap-{name}-{}", std::process::id()));
        fs::create_dir_all(dir.join("maps")).unwrap();
        dir
    }

    /// A PNG header of the given size (the pixels are not read here).
    fn png_header(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend(w.to_be_bytes());
        b.extend(h.to_be_bytes());
        b.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
        b
    }

    fn basemap(path: &str, placement: BasemapPlacement, georef: Option<Georef>) -> Basemap {
        Basemap {
            path: path.into(),
            placement,
            opacity: 0.8,
            span: Span::default(),
            georef,
        }
    }

    /// A world file in the map's metres (y south): 2 m pixels, top-left pixel centred
    /// at (101, 51). A 400 × 300 image covers x 100–900, y 50–650.
    #[test]
    fn a_world_file_in_map_metres_places_the_outer_corners() {
        let dir = temp_dir("metres");
        fs::write(dir.join("maps/v.png"), png_header(400, 300)).unwrap();
        fs::write(dir.join("maps/v.pgw"), "2\n0\n0\n2\n101\n51\n").unwrap();
        let placed = load_basemap(
            &basemap("maps/v.png", BasemapPlacement::WorldFile, None),
            &dir,
        )
        .unwrap();
        assert_eq!((placed.width_px, placed.height_px), (400, 300));
        let p = |x, y| Point { x, y };
        assert_eq!(
            placed.corners,
            [
                p(100.0, 50.0),
                p(900.0, 50.0),
                p(900.0, 650.0),
                p(100.0, 650.0)
            ]
        );
        assert_eq!(placed.opacity, 0.8);
        fs::remove_dir_all(&dir).unwrap();
    }

    /// A geographic world file (y north, degrees), as QGIS writes for EPSG:4326: its
    /// north-west corner at the map's origin lands on (0, 0), and its north-east corner
    /// 0.01° of longitude east, the length of that arc of the parallel on the GRS 80
    /// ellipsoid, a·cos φ / √(1 − e² sin² φ) × 0.01 × π/180 = 962.53 m at 30.24° N.
    #[test]
    fn a_world_file_in_degrees_is_laid_through_the_origin() {
        let origin = Georef {
            lon: 119.53,
            lat: 30.24,
        };
        let w = WorldFile::parse("0.00001\n0\n0\n-0.00001\n119.530005\n30.239995\n").unwrap();
        let [nw, ne, se, sw] = w.corners(1000, 1000, Some(origin)).unwrap();
        assert!(nw.x.abs() < 1e-6 && nw.y.abs() < 1e-6, "{nw:?}");
        let (a, e2, phi) = (6_378_137.0, 0.006_694_380_022_9, 30.24f64.to_radians());
        let east = a * phi.cos() / (1.0 - e2 * phi.sin().powi(2)).sqrt() * 0.01f64.to_radians();
        assert!((ne.x - east).abs() < 0.01, "{ne:?} vs {east}");
        // The parallel curves away from the plane's grid east: 4 cm south at 962 m.
        assert!(ne.y.abs() < 0.1, "{ne:?}");
        // 0.01° of latitude is about 1,109 m at 30°.
        assert!((sw.y - 1109.0).abs() < 3.0, "{sw:?}");
        assert!(se.x > 0.0 && se.y > 0.0);
        // Without an origin it cannot be laid; projected numbers are refused.
        assert!(w.corners(10, 10, None).unwrap_err().contains("origin"));
        let utm = WorldFile::parse("0.5\n0\n0\n-0.5\n500000\n3300000\n").unwrap();
        assert!(
            utm.corners(10, 10, Some(origin))
                .unwrap_err()
                .contains("EPSG:4326")
        );
    }

    #[test]
    fn bad_world_files_say_what_is_wrong() {
        assert!(
            WorldFile::parse("1\n0\n0\n1\n5\n")
                .unwrap_err()
                .contains("5 numbers")
        );
        assert!(
            WorldFile::parse("1\n0\nx\n1\n5\n6\n")
                .unwrap_err()
                .contains("line 3")
        );
        assert!(
            WorldFile::parse("0\n0\n0\n1\n5\n6\n")
                .unwrap_err()
                .contains("no size")
        );
        // Windows line ends and a trailing blank line are fine.
        assert!(WorldFile::parse("1\r\n0\r\n0\r\n1\r\n5\r\n6\r\n\r\n").is_ok());
    }

    #[test]
    fn missing_files_and_other_formats_are_refused_by_name() {
        let dir = temp_dir("missing");
        let corners = BasemapPlacement::Corners([Point::default(); 4]);
        let err = load_basemap(&basemap("maps/none.png", corners.clone(), None), &dir);
        assert_eq!(err.unwrap_err(), "maps/none.png: no such file / 文件不存在");
        fs::write(dir.join("maps/a.gif"), b"GIF89a....").unwrap();
        let err = load_basemap(&basemap("maps/a.gif", corners, None), &dir).unwrap_err();
        assert!(err.contains("not a PNG or JPEG"), "{err}");
        fs::write(dir.join("maps/b.png"), png_header(4, 4)).unwrap();
        let err = load_basemap(
            &basemap("maps/b.png", BasemapPlacement::WorldFile, None),
            &dir,
        )
        .unwrap_err();
        assert_eq!(
            err,
            "maps/b.png: no world file beside it (looked for maps/b.pgw, maps/b.pngw, maps/b.wld)"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    /// A JPEG's size comes from its frame header after an APP segment; its world
    /// file may be `.jgw` or `.wld`, in upper case beside an upper-case name.
    #[test]
    fn a_jpeg_size_is_read_past_its_app_segments() {
        let dir = temp_dir("jpeg");
        let mut jpg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 6, b'J', b'F', b'I', b'F'];
        jpg.extend([0xFF, 0xC0, 0, 11, 8, 0x01, 0x2C, 0x02, 0x58, 3, 0, 0, 0]);
        fs::write(dir.join("maps/P.JPG"), &jpg).unwrap();
        fs::write(dir.join("maps/P.JGW"), "1\n0\n0\n1\n0.5\n0.5\n").unwrap();
        let placed = load_basemap(
            &basemap("maps/P.JPG", BasemapPlacement::WorldFile, None),
            &dir,
        )
        .unwrap();
        assert_eq!((placed.width_px, placed.height_px), (600, 300));
        assert_eq!(placed.corners[2], Point { x: 600.0, y: 300.0 });
        fs::remove_dir_all(&dir).unwrap();
    }
}

//! 底图 — the scenario's basemap image under the map's drawing. The engine's
//! `io::load_basemap` has placed it (its four corners in map metres, from its world file
//! or the `basemap` statement); here its pixels are read through `io`, decoded once with
//! the `image` crate (PNG, JPEG), scaled down to at most
//! [`MAX_BASEMAP_SIDE_PX`](drill_engine::limits::MAX_BASEMAP_SIDE_PX) on the longer side,
//! and kept as an egui texture in egui's memory, keyed by the file and its length, so
//! every mode's map draws the same texture without decoding it again.
//!
//! The image is drawn as a mesh of 16 × 16 quads whose corners are interpolated
//! between the four placed corners and taken through the map's transform, so an image
//! in longitude/latitude, whose corners are no rectangle on the map's plane, still
//! lands where it belongs.

use drill_engine::io::{self, PlacedBasemap};
use drill_engine::limits::{MAX_BASEMAP_BYTES, MAX_BASEMAP_SIDE_PX};
use drill_engine::model::Point;
use egui::{Color32, Pos2, Shape, TextureHandle, TextureOptions};
use std::path::PathBuf;
use std::sync::Arc;

/// A decoded basemap in egui's memory: the texture, or why it could not be decoded.
#[derive(Clone)]
struct Loaded {
    key: (PathBuf, u64),
    texture: Result<TextureHandle, Arc<String>>,
}

const MEMORY_ID: &str = "drill_basemap_texture";

/// Subdivisions per side of the drawn mesh.
const STEPS: usize = 16;

/// The basemap's texture, decoded on first use (and again when the file changes
/// length or name); `Err` with the reason when it cannot be decoded.
pub fn texture(ctx: &egui::Context, placed: &PlacedBasemap) -> Result<TextureHandle, Arc<String>> {
    let id = egui::Id::new(MEMORY_ID);
    let key = (placed.file.clone(), placed.byte_len);
    if let Some(loaded) = ctx.data(|d| d.get_temp::<Loaded>(id))
        && loaded.key == key
    {
        return loaded.texture;
    }
    let texture = decode(&placed.file)
        .map(|image| ctx.load_texture("basemap", image, TextureOptions::LINEAR))
        .map_err(Arc::new);
    if let Err(e) = &texture {
        bevy::log::warn!("basemap not drawn: {e}");
    }
    ctx.data_mut(|d| {
        d.insert_temp(
            id,
            Loaded {
                key,
                texture: texture.clone(),
            },
        )
    });
    texture
}

/// Reads (through the engine's `io`) and decodes an image, scaled down to fit
/// [`MAX_BASEMAP_SIDE_PX`].
fn decode(file: &std::path::Path) -> Result<egui::ColorImage, String> {
    let bytes =
        io::read_bytes(file, MAX_BASEMAP_BYTES).map_err(|e| format!("{}: {e}", file.display()))?;
    let image = image::load_from_memory(&bytes).map_err(|e| format!("{}: {e}", file.display()))?;
    let image = if image.width().max(image.height()) > MAX_BASEMAP_SIDE_PX {
        image.resize(
            MAX_BASEMAP_SIDE_PX,
            MAX_BASEMAP_SIDE_PX,
            image::imageops::FilterType::Triangle,
        )
    } else {
        image
    };
    let rgba = image.to_rgba8();
    let size = [rgba.width() as usize, rgba.height() as usize];
    Ok(egui::ColorImage::from_rgba_unmultiplied(
        size,
        rgba.as_raw(),
    ))
}

/// The map point at `(u, v)` of the image (0 to 1 from its left and top edges),
/// bilinear between the placed corners (north-west, north-east, south-east,
/// south-west).
pub fn point_at(corners: &[Point; 4], u: f64, v: f64) -> Point {
    let [nw, ne, se, sw] = corners;
    let top = (nw.x + (ne.x - nw.x) * u, nw.y + (ne.y - nw.y) * u);
    let bottom = (sw.x + (se.x - sw.x) * u, sw.y + (se.y - sw.y) * u);
    Point {
        x: top.0 + (bottom.0 - top.0) * v,
        y: top.1 + (bottom.1 - top.1) * v,
    }
}

/// The mesh that draws `texture` with its corners at `corners`, each map point taken
/// to the screen by `to`, at `opacity` (0 to 1).
pub fn mesh(
    texture: egui::TextureId,
    corners: &[Point; 4],
    opacity: f64,
    to: impl Fn(Point) -> Pos2,
) -> egui::Mesh {
    let mut mesh = egui::Mesh::with_texture(texture);
    let tint = Color32::WHITE.gamma_multiply(opacity.clamp(0.0, 1.0) as f32);
    for j in 0..=STEPS {
        for i in 0..=STEPS {
            let (u, v) = (i as f64 / STEPS as f64, j as f64 / STEPS as f64);
            mesh.vertices.push(egui::epaint::Vertex {
                pos: to(point_at(corners, u, v)),
                uv: Pos2::new(u as f32, v as f32),
                color: tint,
            });
        }
    }
    let row = (STEPS + 1) as u32;
    for j in 0..STEPS as u32 {
        for i in 0..STEPS as u32 {
            let a = j * row + i;
            mesh.add_triangle(a, a + 1, a + row + 1);
            mesh.add_triangle(a, a + row + 1, a + row);
        }
    }
    mesh
}

/// Draws the basemap (when it can be decoded) with `painter`; returns its screen
/// corners as drawn.
pub fn draw(
    painter: &egui::Painter,
    placed: &PlacedBasemap,
    to: impl Fn(Point) -> Pos2,
) -> Option<[Pos2; 4]> {
    let texture = texture(painter.ctx(), placed).ok()?;
    painter.add(Shape::mesh(mesh(
        texture.id(),
        &placed.corners,
        placed.opacity,
        &to,
    )));
    Some(placed.corners.map(to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mesh_spans_the_corners_with_the_whole_texture() {
        let p = |x, y| Point { x, y };
        // A quad that is no rectangle, as longitude/latitude corners give.
        let corners = [p(0.0, 0.0), p(100.0, 2.0), p(102.0, 80.0), p(1.0, 79.0)];
        let to = |q: Point| Pos2::new(q.x as f32 * 2.0, q.y as f32 * 2.0);
        let m = mesh(egui::TextureId::default(), &corners, 0.5, to);
        assert_eq!(m.vertices.len(), (STEPS + 1) * (STEPS + 1));
        assert_eq!(m.indices.len(), STEPS * STEPS * 6);
        let first = m.vertices[0];
        let last = m.vertices[m.vertices.len() - 1];
        assert_eq!(
            (first.pos, first.uv),
            (Pos2::new(0.0, 0.0), Pos2::new(0.0, 0.0))
        );
        assert_eq!(
            (last.pos, last.uv),
            (Pos2::new(204.0, 160.0), Pos2::new(1.0, 1.0))
        );
        // The north-east corner is the end of the first row.
        assert_eq!(m.vertices[STEPS].pos, Pos2::new(200.0, 4.0));
        // Half opacity: premultiplied white at half alpha.
        assert_eq!(first.color.a(), Color32::WHITE.gamma_multiply(0.5).a());
        // The image's centre is the mean of its corners.
        let c = point_at(&corners, 0.5, 0.5);
        assert!(
            (c.x - 50.75).abs() < 1e-9 && (c.y - 40.25).abs() < 1e-9,
            "{c:?}"
        );
    }
}

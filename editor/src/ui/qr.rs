//! 二维码 — a QR code drawn with egui, for the join address of a served drill
//! (`drill serve` from the exercise mode) on the projector: participants scan it
//! with a phone instead of typing the address.
//!
//! The `qrcode` crate makes the module matrix (error correction M: a projector's
//! glare and a phone held at an angle still read it); the editor paints the dark
//! modules as squares on white, with the four-module quiet zone the standard asks
//! for (ISO/IEC 18004 §6.3.8) so that the scanner finds the code against the window.

use egui::emath::GuiRounding;
use egui::{Color32, Pos2, Rect, Sense, Vec2};

/// Modules of white around the code (ISO/IEC 18004: at least four).
pub const QUIET_ZONE: usize = 4;

/// A QR code's module matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Qr {
    /// The text it holds.
    pub text: String,
    /// Modules on a side (without the quiet zone).
    pub width: usize,
    /// Row by row, `true` for a dark module.
    dark: Vec<bool>,
}

impl Qr {
    /// The code of `text`, or why it cannot be made (too long for any version).
    pub fn new(text: &str) -> Result<Qr, String> {
        let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
            .map_err(|e| format!("QR code: {e}"))?;
        let width = code.width();
        let dark = code
            .to_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect();
        Ok(Qr {
            text: text.to_owned(),
            width,
            dark,
        })
    }

    /// Whether the module at column `x`, row `y` is dark (outside: light).
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }

    /// Modules on a side with the quiet zone.
    pub fn side(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }

    /// The dark squares to paint for the code drawn at `origin` (the quiet zone's
    /// top left corner) with modules of `module` points: one rectangle per run of
    /// dark modules in a row, which keeps the shape count low.
    pub fn dark_rects(&self, origin: Pos2, module: f32) -> Vec<Rect> {
        let mut rects = Vec::new();
        let at = |x: usize, y: usize| {
            origin + Vec2::new((x + QUIET_ZONE) as f32, (y + QUIET_ZONE) as f32) * module
        };
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let from = x;
                while x < self.width && self.is_dark(x, y) {
                    x += 1;
                }
                rects.push(Rect::from_min_max(at(from, y), at(x, y + 1)));
            }
        }
        rects
    }

    /// Paints the code, `side` points square with its quiet zone (modules snapped to
    /// whole pixels so that no seams show between them).
    pub fn show(&self, ui: &mut egui::Ui, side: f32) -> egui::Response {
        let ppp = ui.ctx().pixels_per_point();
        let module_px = (side * ppp / self.side() as f32).floor().max(1.0);
        let module = module_px / ppp;
        let size = Vec2::splat(module * self.side() as f32);
        let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
        let origin = rect.min.round_to_pixels(ppp);
        let painter = ui.painter_at(rect.expand(1.0));
        painter.rect_filled(Rect::from_min_size(origin, size), 0.0, Color32::WHITE);
        for r in self.dark_rects(origin, module) {
            painter.rect_filled(r, 0.0, Color32::BLACK);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paints `qr` in a headless egui frame and rasterises the rectangles it drew
    /// (one pixel per point) into a grey image.
    fn drawn(qr: &Qr, side: f32) -> (usize, Vec<u8>) {
        let ctx = egui::Context::default();
        let out = ctx.run_ui(egui::RawInput::default(), |ui| {
            egui::CentralPanel::default().show(ui, |ui| {
                qr.show(ui, side);
            });
        });
        let mut white: Option<Rect> = None;
        let mut black = Vec::new();
        for clipped in &out.shapes {
            if let egui::Shape::Rect(r) = &clipped.shape {
                if r.fill == Color32::WHITE && white.is_none() {
                    white = Some(r.rect);
                } else if r.fill == Color32::BLACK {
                    black.push(r.rect);
                }
            }
        }
        let white = white.expect("the quiet zone is painted white");
        let n = white.width().round() as usize + 20;
        let mut img = vec![255u8; n * n];
        let off = white.min.to_vec2() - Vec2::splat(10.0);
        for r in black {
            let (x0, y0) = (
                (r.min - off).x.round() as usize,
                (r.min - off).y.round() as usize,
            );
            let (x1, y1) = (
                (r.max - off).x.round() as usize,
                (r.max - off).y.round() as usize,
            );
            for y in y0..y1 {
                img[y * n + x0..y * n + x1].fill(0);
            }
        }
        (n, img)
    }

    /// What egui draws, read back from its pixels module by module (the centre of
    /// each module past the quiet zone), is the `qrcode` crate's matrix for the join
    /// address: the code a phone's scanner decodes to that address.
    #[test]
    fn the_drawn_code_is_the_join_address_code() {
        let url = "http://192.168.1.23:8080/join";
        let qr = Qr::new(url).unwrap();
        let side = 330.0;
        let (n, img) = drawn(&qr, side);
        let module = (side / qr.side() as f32).floor();
        assert!(module >= 8.0, "{module} px a module");
        let reference =
            qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M).unwrap();
        assert_eq!(qr.width, reference.width());
        let read = |mx: usize, my: usize| {
            // The image has 10 px of margin around the white square.
            let c = |m: usize| 10 + ((m + QUIET_ZONE) as f32 * module + module / 2.0) as usize;
            img[c(my) * n + c(mx)] < 128
        };
        for y in 0..qr.width {
            for x in 0..qr.width {
                assert_eq!(
                    read(x, y),
                    reference[(x, y)] == qrcode::Color::Dark,
                    "module ({x}, {y})"
                );
            }
        }
        // The quiet zone is white all round.
        for k in 0..qr.side() {
            let p = |m: usize| 10 + (m as f32 * module + module / 2.0) as usize;
            for (x, y) in [(k, 0), (0, k), (k, qr.side() - 1), (qr.side() - 1, k)] {
                assert_eq!(img[p(y) * n + p(x)], 255, "quiet zone at ({x}, {y})");
            }
        }
        // A different address draws a different code (the test can fail).
        let other = Qr::new("http://192.168.1.23:8081/join").unwrap();
        assert_ne!(other.dark, qr.dark);
    }

    /// Runs of dark modules are merged into one rectangle each, and cover exactly the
    /// dark modules.
    #[test]
    fn dark_rects_cover_exactly_the_dark_modules() {
        let qr = Qr::new("http://127.0.0.1:8080/join").unwrap();
        let rects = qr.dark_rects(Pos2::ZERO, 1.0);
        let covered: usize = rects.iter().map(|r| r.width() as usize).sum();
        let dark = (0..qr.width)
            .flat_map(|y| (0..qr.width).map(move |x| (x, y)))
            .filter(|&(x, y)| qr.is_dark(x, y))
            .count();
        assert_eq!(covered, dark);
        assert!(rects.len() < dark, "runs are merged");
        assert!(rects.iter().all(|r| r.min.x >= QUIET_ZONE as f32));
    }
}

//! Fonts: egui's defaults for Latin text, then a subset of Noto Sans CJK SC so
//! Chinese renders everywhere (UI, scenario text, map labels).
//!
//! The font (SIL OFL 1.1, see `assets/fonts/OFL.txt`) is compiled into the binary so
//! the editor works from any folder; `assets/fonts/subset.py` rebuilds it.

use egui::{FontData, FontDefinitions, FontFamily};
use std::sync::Arc;

pub const CJK_FONT_NAME: &str = "noto-sans-sc-subset";
pub const CJK_FONT: &[u8] = include_bytes!("../../../assets/fonts/NotoSansSC-Subset.otf");

/// egui's default fonts with the CJK font as fallback for both families.
pub fn font_definitions() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        CJK_FONT_NAME.to_owned(),
        Arc::new(FontData::from_static(CJK_FONT)),
    );
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push(CJK_FONT_NAME.to_owned());
    }
    fonts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lays out `text` at 20 points in a headless egui context; returns each glyph's
    /// advance and font face height.
    fn glyphs(text: &str, with_cjk: bool) -> Vec<(char, f32, f32)> {
        let ctx = egui::Context::default();
        if with_cjk {
            ctx.set_fonts(font_definitions());
        }
        ctx.run_ui(egui::RawInput::default(), |_| {})
            .drop_without_applying_deltas();
        let galley = ctx.fonts_mut(|f| {
            f.layout_no_wrap(
                text.to_owned(),
                egui::FontId::proportional(20.0),
                egui::Color32::BLACK,
            )
        });
        galley.rows[0]
            .row
            .glyphs
            .iter()
            .map(|g| (g.chr, g.advance_width, g.font_face_height))
            .collect()
    }

    /// Chinese ideographs in Noto Sans CJK are exactly one em wide; egui's own fonts
    /// have no CJK glyphs and draw a replacement with other metrics.
    #[test]
    fn chinese_text_lays_out_with_the_cjk_font() {
        let text = "竹源村山洪转移演练";
        let with = glyphs(text, true);
        assert_eq!(with.len(), text.chars().count());
        for &(c, advance, _) in &with {
            assert!(
                (advance - 20.0).abs() < 0.5,
                "{c} has advance {advance}, not one em"
            );
        }
        let without = glyphs(text, false);
        assert_ne!(
            (with[0].1, with[0].2),
            (without[0].1, without[0].2),
            "the CJK font changed nothing: the default fonts already cover Chinese?"
        );
    }

    /// The atlas rectangle of `c` laid out alone (at the same sub-pixel offset every
    /// time): a character no font has is drawn with the replacement glyph, so it gets
    /// that glyph's rectangle.
    fn atlas_rect(ctx: &egui::Context, c: char) -> [u16; 4] {
        let galley = ctx.fonts_mut(|f| {
            f.layout_no_wrap(
                c.to_string(),
                egui::FontId::proportional(20.0),
                egui::Color32::BLACK,
            )
        });
        let uv = galley.rows[0].row.glyphs[0].uv_rect;
        [uv.min[0], uv.min[1], uv.max[0], uv.max[1]]
    }

    /// Every icon the playback buttons draw is in the fonts (a missing glyph draws as
    /// the replacement box on the projector).
    #[test]
    fn the_playback_icons_are_in_the_fonts() {
        let ctx = egui::Context::default();
        ctx.set_fonts(font_definitions());
        ctx.run_ui(egui::RawInput::default(), |_| {})
            .drop_without_applying_deltas();
        // Two characters no font has (private use planes) draw alike.
        let replacement = atlas_rect(&ctx, '\u{10FFFD}');
        assert_eq!(
            replacement,
            atlas_rect(&ctx, '\u{FFFFD}'),
            "the replacement glyph"
        );
        // `❚` is in no bundled font: the check tells a missing glyph.
        assert_eq!(atlas_rect(&ctx, '❚'), replacement);
        for c in crate::ui::playback::ICONS.chars() {
            assert_ne!(
                atlas_rect(&ctx, c),
                replacement,
                "{c} (U+{:04X}) is not in the fonts",
                c as u32
            );
        }
    }
}

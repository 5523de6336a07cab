//! Fonts: egui's defaults for Latin text, then a subset of Noto Sans CJK SC so
//! Chinese renders everywhere (UI, scenario text, map labels).
//!
//! The font (SIL OFL 1.1, see `assets/fonts/OFL.txt`) is compiled into the binary so
//! the editor works from any folder; `assets/fonts/subset.py` rebuilds it.

use egui::{FontData, FontDefinitions, FontFamily};
use std::sync::Arc;

pub const CJK_FONT_NAME: &str = "noto-sans-sc-subset";
pub const CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-Subset.otf");

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

    /// Lays out Chinese text in a headless egui context and checks that every glyph
    /// came from a real font glyph (non-zero advance, not the replacement box).
    #[test]
    fn chinese_text_lays_out_with_the_cjk_font() {
        let ctx = egui::Context::default();
        ctx.set_fonts(font_definitions());
        let _ = ctx.run_ui(egui::RawInput::default(), |_| {});
        let text = "竹源村山洪转移演练 下村低洼区";
        let galley = ctx.fonts_mut(|f| {
            f.layout_no_wrap(
                text.to_owned(),
                egui::FontId::proportional(20.0),
                egui::Color32::BLACK,
            )
        });
        let glyphs = &galley.rows[0].row.glyphs;
        assert_eq!(glyphs.len(), text.chars().count());
        for g in glyphs.iter().filter(|g| g.chr != ' ') {
            // CJK ideographs are about one em wide; egui's fallback box is narrower.
            assert!(
                g.advance_width > 15.0,
                "{} has advance {}",
                g.chr,
                g.advance_width
            );
        }
    }

    #[test]
    fn without_the_cjk_font_chinese_falls_back_to_a_replacement() {
        let ctx = egui::Context::default();
        let _ = ctx.run_ui(egui::RawInput::default(), |_| {});
        let galley = ctx.fonts_mut(|f| {
            f.layout_no_wrap(
                "村".to_owned(),
                egui::FontId::proportional(20.0),
                egui::Color32::BLACK,
            )
        });
        let g = &galley.rows[0].row.glyphs[0];
        assert!(
            g.advance_width < 15.0,
            "the default fonts already cover CJK? advance {}",
            g.advance_width
        );
    }
}

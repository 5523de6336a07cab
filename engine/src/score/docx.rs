//! `report.docx` — the 演练评估报告 as a Word document (offices file it as one and print
//! it), written with the `docx-rs` crate from the same structure as the HTML page
//! (`document`): A4 portrait, 宋体 (SimSun, with the East Asian font hint; LibreOffice
//! falls back to Noto Serif CJK SC) for the text and 黑体 for headings, real tables for
//! the tasks and the corrective actions, each task's reasons on a full-width row kept
//! with it, and a signature block with lines to sign on. Pure: returns the bytes;
//! `io` writes them.

use super::ScoreReport;
use super::document::{self, Block, Doc, Table as DocTable};
use super::meta::{Lang, ReportMeta};
use docx_rs::{
    AlignmentType, BorderType, Docx, Footer, LineSpacing, NumPages, PageMargin, PageNum, Paragraph,
    Run, RunFonts, Shading, Style, StyleType, Table, TableBorder, TableBorderPosition,
    TableBorders, TableCell, TableCellMargins, TableLayoutType, TableRow, VAlignType, WidthType,
};

/// A4 in twentieths of a point (twips): 210 × 297 mm.
const PAGE_W: u32 = 11_906;
const PAGE_H: u32 = 16_838;
/// 2 cm margins left and right, 2.5 cm top and bottom.
const MARGIN_X: i32 = 1_134;
const MARGIN_Y: i32 = 1_418;
/// The text width tables are laid out in.
const TEXT_W: usize = PAGE_W as usize - 2 * MARGIN_X as usize;

/// Sizes in half-points: 五号 10.5 pt for the text, 8.5 pt in tables (thirteen columns
/// on A4 portrait), 四号 14 pt for section headings, 小二 18 pt for the title.
const BODY: usize = 21;
const TABLE: usize = 17;
/// Table headings, 8 pt bold: `Rating` fits a numbers column.
const HEAD: usize = 16;
const SMALL: usize = 18;
const HEADING: usize = 28;
const TITLE: usize = 36;

/// 宋体 for Chinese, Times New Roman for Latin text.
fn song() -> RunFonts {
    RunFonts::new()
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
        .east_asia("SimSun")
        .cs("Times New Roman")
        .hint("eastAsia")
}

/// 黑体 for headings.
fn hei() -> RunFonts {
    RunFonts::new()
        .ascii("Arial")
        .hi_ansi("Arial")
        .east_asia("SimHei")
        .cs("Arial")
        .hint("eastAsia")
}

fn run(text: &str) -> Run {
    Run::new().add_text(text).fonts(song())
}

fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(run(text))
}

/// A body paragraph: indented two characters, as Chinese documents are.
fn body(text: &str) -> Paragraph {
    para(text)
        .first_line_chars(200)
        .line_spacing(LineSpacing::new().after(80))
}

fn cell(text: &str, width: usize) -> TableCell {
    let mut c = TableCell::new()
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Top);
    // One paragraph per line: Word shows a line break inside a run, but a new
    // paragraph keeps each reason on its own line everywhere.
    for line in text.split('\n') {
        c = c.add_paragraph(Paragraph::new().add_run(run(line).size(TABLE)));
    }
    c
}

/// A heading cell, one paragraph per line (both languages: Chinese above English).
fn head_cell(text: &str, width: usize) -> TableCell {
    text.split('\n').fold(
        TableCell::new()
            .width(width, WidthType::Dxa)
            .shading(Shading::new().fill("E8E8E8")),
        |c, line| {
            c.add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_run(Run::new().add_text(line).fonts(hei()).size(HEAD).bold()),
            )
        },
    )
}

fn fill(rating: Option<super::Rating>, met: Option<bool>) -> Option<&'static str> {
    match (rating, met) {
        (Some(super::Rating::P), _) | (_, Some(true)) => Some("C8E6C9"),
        (Some(super::Rating::S), _) => Some("F0F4C3"),
        (Some(super::Rating::M), _) => Some("FFE0B2"),
        (Some(super::Rating::U), _) | (_, Some(false)) => Some("FFCDD2"),
        _ => None,
    }
}

/// Column widths in twips from the columns' percentages of the text width.
fn widths(t: &DocTable) -> Vec<usize> {
    let total: u32 = t.cols.iter().map(|c| c.width).sum::<u32>().max(1);
    t.cols
        .iter()
        .map(|c| TEXT_W * c.width as usize / total as usize)
        .collect()
}

/// A table with fixed column widths (so the task names keep their room), a
/// heading row repeated on each page, and each task's reasons on a full-width row.
fn table(t: &DocTable) -> Table {
    let w = widths(t);
    let full: usize = w.iter().sum();
    let mut rows = vec![
        TableRow::new(
            t.cols
                .iter()
                .zip(&w)
                .map(|(c, w)| head_cell(&c.head, *w))
                .collect(),
        )
        .cant_split(),
    ];
    for row in &t.rows {
        let last = row.cells.len().saturating_sub(1);
        let cells = row
            .cells
            .iter()
            .zip(&w)
            .enumerate()
            .map(|(i, (text, w))| {
                let c = cell(text, *w);
                let colour = match (i == last, row.rating.is_some(), i == 3) {
                    (true, true, _) => fill(row.rating, None),
                    (_, false, true) => fill(None, row.met),
                    _ => None,
                };
                match colour {
                    Some(f) => c.shading(Shading::new().fill(f)),
                    None => c,
                }
            })
            .collect();
        rows.push(TableRow::new(cells).cant_split());
        if let Some(note) = &row.note {
            rows.push(TableRow::new(vec![cell(note, full).grid_span(w.len())]).cant_split());
        }
    }
    // Narrow cell margins (1.5 pt a side): Word's default 5.4 pt would wrap a clock
    // time in a numbers column.
    Table::new(rows)
        .set_grid(w)
        .layout(TableLayoutType::Fixed)
        .width(full, WidthType::Dxa)
        .margins(TableCellMargins::new().margin(20, 30, 20, 30))
}

fn fields(items: &[(String, String)]) -> Table {
    let (k, v) = (TEXT_W * 22 / 100, TEXT_W * 78 / 100);
    Table::new(
        items
            .iter()
            .map(|(label, value)| {
                TableRow::new(vec![
                    TableCell::new()
                        .width(k, WidthType::Dxa)
                        .shading(Shading::new().fill("F3F3F3"))
                        .add_paragraph(
                            Paragraph::new()
                                .add_run(Run::new().add_text(label).fonts(hei()).size(BODY)),
                        ),
                    TableCell::new()
                        .width(v, WidthType::Dxa)
                        .add_paragraph(Paragraph::new().add_run(run(value).size(BODY))),
                ])
                .cant_split()
            })
            .collect(),
    )
    .set_grid(vec![k, v])
    .layout(TableLayoutType::Fixed)
    .width(k + v, WidthType::Dxa)
}

/// 评估组长 / 评估人员: name, then a line to sign on and a date to write in.
fn signatures(sign: &str, date: &str, lines: &[document::SignLine], lang: Lang) -> Table {
    // Labels of three characters with their colon fit without wrapping.
    let w = [14, 22, 10, 22, 10, 22].map(|p| TEXT_W * p / 100);
    // Only a line to write on: `set_border` alone would start from a cell's
    // default borders on every side and draw a box.
    let underline = |c: TableCell| {
        c.set_borders(
            docx_rs::TableCellBorders::with_empty().set(
                docx_rs::TableCellBorder::new(docx_rs::TableCellBorderPosition::Bottom)
                    .border_type(BorderType::Single)
                    .size(6),
            ),
        )
    };
    let text_cell = |s: &str, w: usize| {
        TableCell::new()
            .width(w, WidthType::Dxa)
            .vertical_align(VAlignType::Bottom)
            .add_paragraph(
                Paragraph::new()
                    .line_spacing(LineSpacing::new().before(360))
                    .add_run(run(s).size(BODY)),
            )
    };
    let rows = lines
        .iter()
        .map(|l| {
            TableRow::new(vec![
                text_cell(&format!("{}：", l.post), w[0]),
                underline(text_cell(&l.name, w[1])),
                text_cell(&format!("{sign}："), w[2]),
                underline(text_cell("", w[3])),
                text_cell(&format!("{date}："), w[4]),
                underline(text_cell(&lang.pick("　　年　　月　　日", ""), w[5])),
            ])
            .cant_split()
        })
        .collect();
    let none = |p| TableBorder::new(p).border_type(BorderType::None).size(0);
    Table::new(rows)
        .set_grid(w.to_vec())
        .layout(TableLayoutType::Fixed)
        .width(w.iter().sum(), WidthType::Dxa)
        .set_borders(
            TableBorders::with_empty()
                .set(none(TableBorderPosition::Top))
                .set(none(TableBorderPosition::Bottom))
                .set(none(TableBorderPosition::Left))
                .set(none(TableBorderPosition::Right))
                .set(none(TableBorderPosition::InsideH))
                .set(none(TableBorderPosition::InsideV)),
        )
}

fn heading_style(id: &str, name: &str, size: usize, level: usize) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .fonts(hei())
        .size(size)
        .bold()
        .outline_lvl(level)
        .line_spacing(LineSpacing::new().before(240).after(120))
}

fn document(doc: &Doc) -> Docx {
    let mut d = Docx::new()
        .page_size(PAGE_W, PAGE_H)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_Y)
                .bottom(MARGIN_Y)
                .left(MARGIN_X)
                .right(MARGIN_X)
                .header(720)
                .footer(720),
        )
        .default_fonts(song())
        .default_size(BODY)
        .add_style(heading_style("Heading1", "heading 1", HEADING, 0))
        .add_style(heading_style("Heading2", "heading 2", BODY + 3, 1))
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_run(run(&doc.lang.pick("第 ", "Page ")).size(SMALL))
                    .add_page_num(PageNum::new())
                    .add_run(run(&doc.lang.pick(" 页，共 ", " of ")).size(SMALL))
                    .add_num_pages(NumPages::new())
                    .add_run(run(&doc.lang.pick(" 页", "")).size(SMALL)),
            ),
        );
    d = d
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().after(120))
                .add_run(
                    Run::new()
                        .add_text(&doc.kind)
                        .fonts(hei())
                        .size(TITLE)
                        .bold(),
                ),
        )
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(run(&doc.title).size(HEADING).bold()),
        );
    if !doc.subtitle.is_empty() {
        d = d.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().after(240))
                .add_run(run(&doc.subtitle)),
        );
    }
    for section in &doc.sections {
        // `new_page` is for the HTML page, whose charts fill the page before the task
        // table; here the table follows the prose on the same page.
        d = d.add_paragraph(
            Paragraph::new()
                .style("Heading1")
                .keep_next(true)
                .add_run(Run::new().add_text(&section.heading).fonts(hei())),
        );
        for block in &section.blocks {
            d = match block {
                Block::Para(p) => d.add_paragraph(body(p)),
                Block::Small(p) => d.add_paragraph(
                    Paragraph::new()
                        .line_spacing(LineSpacing::new().before(60).after(120))
                        .add_run(run(p).size(SMALL).color("555555")),
                ),
                Block::Verdict { text, passed } => d.add_paragraph(
                    Paragraph::new()
                        .line_spacing(LineSpacing::new().after(120))
                        .add_run(run(text).bold().size(BODY + 3).color(if *passed {
                            "2E7D32"
                        } else {
                            "C62828"
                        })),
                ),
                Block::Sub(h) => d.add_paragraph(
                    Paragraph::new()
                        .style("Heading2")
                        .keep_next(true)
                        .add_run(Run::new().add_text(h).fonts(hei())),
                ),
                Block::Fields(items) => d.add_table(fields(items)),
                Block::Table(t) => d.add_table(table(t)),
                Block::List(items) => items.iter().fold(d, |d, i| {
                    d.add_paragraph(para(&format!("• {i}")).indent(
                        Some(420),
                        Some(docx_rs::SpecialIndentType::Hanging(210)),
                        None,
                        None,
                    ))
                }),
                Block::Numbered(items) => items.iter().enumerate().fold(d, |d, (n, i)| {
                    d.add_paragraph(para(&format!("{}. {i}", n + 1)).indent(
                        Some(420),
                        Some(docx_rs::SpecialIndentType::Hanging(315)),
                        None,
                        None,
                    ))
                }),
                // Charts are drawn in the HTML page only.
                Block::Charts => d,
                Block::Signatures { sign, date, lines } => {
                    d.add_table(signatures(sign, date, lines, doc.lang))
                }
            };
        }
    }
    d
}

/// The report as a Word document (`.docx` bytes), in `lang`, with the given 演练概况.
pub fn docx(r: &ScoreReport, meta: &ReportMeta, lang: Lang) -> Result<Vec<u8>, String> {
    let doc = document::build(r, meta, lang);
    let mut xml = document(&doc).build();
    xml.styles = chinese_by_default(&xml.styles);
    let mut out = std::io::Cursor::new(Vec::new());
    xml.pack(&mut out)
        .map_err(|e| format!("report.docx: {e}"))?;
    Ok(out.into_inner())
}

/// Marks the document's text as Simplified Chinese (`<w:lang w:eastAsia="zh-CN"/>` in
/// the default run properties), which `docx-rs` has no builder for: without it a
/// word processor that lacks SimSun picks its CJK fallback by its own locale (the
/// Japanese Noto glyphs on a Debian machine, for instance).
fn chinese_by_default(styles: &[u8]) -> Vec<u8> {
    let xml = String::from_utf8_lossy(styles);
    let lang = r#"<w:lang w:val="zh-CN" w:eastAsia="zh-CN" w:bidi="ar-SA" />"#;
    // `w:lang` comes late in a run's properties (after the fonts and sizes the
    // defaults hold), so it goes last.
    let patched = if xml.contains("<w:rPrDefault><w:rPr />") {
        xml.replacen(
            "<w:rPrDefault><w:rPr />",
            &format!("<w:rPrDefault><w:rPr>{lang}</w:rPr>"),
            1,
        )
    } else {
        xml.replacen(
            "</w:rPr></w:rPrDefault>",
            &format!("{lang}</w:rPr></w:rPrDefault>"),
            1,
        )
    };
    patched.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_language_is_simplified_chinese() {
        let lang = r#"<w:lang w:val="zh-CN" w:eastAsia="zh-CN" w:bidi="ar-SA" />"#;
        let empty = b"<w:docDefaults><w:rPrDefault><w:rPr /></w:rPrDefault>";
        assert_eq!(
            String::from_utf8(chinese_by_default(empty)).unwrap(),
            format!("<w:docDefaults><w:rPrDefault><w:rPr>{lang}</w:rPr></w:rPrDefault>")
        );
        // As the report sets them: fonts and size in the defaults.
        let xml = Docx::new().default_fonts(song()).default_size(BODY).build();
        let styles = String::from_utf8(chinese_by_default(&xml.styles)).unwrap();
        assert_eq!(styles.matches(lang).count(), 1, "{styles}");
        assert!(styles.find(lang) < styles.find("</w:rPrDefault>"));
    }
}

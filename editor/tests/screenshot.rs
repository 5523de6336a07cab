//! End-to-end checks of the built editor under a virtual X server (Xvfb) with Mesa's
//! software Vulkan driver: screenshots of every example scenario in every mode are
//! checked for content (not blank, risk-zone colours in the map area, Chinese glyphs
//! rendered), and a `kill -9` after autosave leaves the typed text in the recovery file.
//!
//! Skipped (with a message) where `Xvfb` is not installed; CI installs it (`.ci/run`).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const EDITOR: &str = env!("CARGO_BIN_EXE_editor");
const SIZE: (u32, u32) = (1280, 800);

/// A private Xvfb server for one test, killed on drop.
struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    /// Starts a server, or skips the test where none can run. CI sets
    /// `DRILL_REQUIRE_XVFB=1` so a broken setup fails there instead of passing silently.
    fn start() -> Option<Xvfb> {
        let server = Self::try_start();
        if server.is_none() && std::env::var_os("DRILL_REQUIRE_XVFB").is_some() {
            panic!("DRILL_REQUIRE_XVFB is set but Xvfb could not be started");
        }
        server
    }

    fn try_start() -> Option<Xvfb> {
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1920x1080x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| eprintln!("skipping: cannot start Xvfb ({e})"))
            .ok()?;
        let mut line = String::new();
        BufReader::new(child.stdout.take()?)
            .read_line(&mut line)
            .ok()?;
        let number = line.trim();
        if number.is_empty() {
            let _ = child.kill();
            return None;
        }
        Some(Xvfb {
            display: format!(":{number}"),
            child,
        })
    }

    fn editor(&self) -> Command {
        self.editor_sized(SIZE)
    }

    fn editor_sized(&self, size: (u32, u32)) -> Command {
        let mut cmd = Command::new(EDITOR);
        cmd.env("DISPLAY", &self.display)
            .env_remove("WAYLAND_DISPLAY")
            .env("WGPU_BACKEND", "vulkan")
            .env("RUST_LOG", "warn")
            .args(["--size", &format!("{}x{}", size.0, size.1)]);
        cmd
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("drill-editor-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// An RGB screenshot.
struct Shot {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

impl Shot {
    fn take(x: &Xvfb, args: &[&str], name: &str) -> Shot {
        Shot::take_at(x, SIZE, args, name)
    }

    fn take_at(x: &Xvfb, size: (u32, u32), args: &[&str], name: &str) -> Shot {
        let out = scratch(name);
        let status = x
            .editor_sized(size)
            .args(args)
            .args(["--frames", "20", "--screenshot"])
            .arg(&out)
            .status()
            .expect("run the editor");
        assert!(status.success(), "editor {args:?} exited with {status}");
        let decoder =
            png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&out).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        let channels = info.color_type.samples();
        let rgb = buf[..info.buffer_size()]
            .chunks(channels)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        Shot {
            width: info.width,
            height: info.height,
            rgb,
        }
    }

    fn pixel(&self, x: u32, y: u32) -> [u8; 3] {
        let i = ((y * self.width + x) * 3) as usize;
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }

    /// Pixels in the rectangle given as fractions of the image.
    fn region(&self, x0: f32, y0: f32, x1: f32, y1: f32) -> Vec<[u8; 3]> {
        let (w, h) = (self.width as f32, self.height as f32);
        let mut out = Vec::new();
        for y in (y0 * h) as u32..((y1 * h) as u32).min(self.height) {
            for x in (x0 * w) as u32..((x1 * w) as u32).min(self.width) {
                out.push(self.pixel(x, y));
            }
        }
        out
    }
}

fn luma(p: [u8; 3]) -> f64 {
    0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2])
}

fn variance(pixels: &[[u8; 3]]) -> f64 {
    let n = pixels.len() as f64;
    let mean = pixels.iter().map(|&p| luma(p)).sum::<f64>() / n;
    pixels
        .iter()
        .map(|&p| (luma(p) - mean).powi(2))
        .sum::<f64>()
        / n
}

/// Pixels close to a zone fill (the translucent fill over the map's paper colour, or the outline).
fn count_near(pixels: &[[u8; 3]], target: [u8; 3], tolerance: i32) -> usize {
    pixels
        .iter()
        .filter(|p| (0..3).all(|c| (i32::from(p[c]) - i32::from(target[c])).abs() <= tolerance))
        .count()
}

/// Scenario files to screenshot: the examples in `scenarios/` and the test fixture.
fn scenario_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("../scenarios"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "drill"))
        .collect();
    files.sort();
    files.push(root.join("tests/fixtures/mini-flood.drill"));
    files
}

/// The example scenarios proper (not their actions logs) plus the fixture, each with
/// the recorder's log next to it when there is one.
fn scenarios_with_logs() -> Vec<(PathBuf, Option<PathBuf>)> {
    scenario_files()
        .into_iter()
        .filter(|p| !p.to_string_lossy().ends_with(".actions.drill"))
        .map(|p| {
            let log = p.with_extension("actions.drill");
            let log = log.exists().then_some(log);
            (p, log)
        })
        .collect()
}

/// The shelters a scenario file defines (`shelter NAME` / `避灾点 NAME` lines).
fn shelter_names(file: &Path) -> Vec<String> {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            matches!(words.next(), Some("shelter" | "避灾点"))
                .then(|| words.next().map(|w| w.trim_matches('"').to_owned()))
                .flatten()
        })
        .collect()
}

/// Arguments that run `file` with its actions log, or the plan as written without one.
fn run_args(file: &Path, log: Option<&Path>) -> Vec<String> {
    let mut args = vec![file.to_string_lossy().into_owned()];
    match log {
        Some(log) => args.extend(["--actions".into(), log.to_string_lossy().into_owned()]),
        None => args.push("--plan".into()),
    }
    args
}

/// Pixels that differ clearly between two shots of the same size.
fn changed_pixels(a: &[[u8; 3]], b: &[[u8; 3]]) -> usize {
    a.iter()
        .zip(b)
        .filter(|(p, q)| (0..3).any(|c| (i32::from(p[c]) - i32::from(q[c])).abs() > 40))
        .count()
}

/// The exercise's map region (between the inject and scoreboard panels, under the
/// clock, above the decision form) at the laptop preset.
const EXERCISE_MAP: (f32, f32, f32, f32) = (0.24, 0.2, 0.76, 0.62);

/// Exercise mode on every example: the map is drawn (the paper colour and the
/// simulation's people pies), and the map region changes between two drill times, so
/// the simulation moves and the map follows it.
#[test]
fn exercise_map_animates_between_two_drill_times() {
    let Some(x) = Xvfb::start() else { return };
    for (i, (file, log)) in scenarios_with_logs().iter().enumerate() {
        let base = run_args(file, log.as_deref());
        let shot_at = |at: &str, name: &str| {
            let mut args: Vec<&str> = base.iter().map(String::as_str).collect();
            args.extend(["--mode", "exercise", "--at", at]);
            Shot::take(&x, &args, name)
        };
        let early = shot_at("10min", &format!("ex-{i}-early.png"));
        let late = shot_at("4h", &format!("ex-{i}-late.png"));
        let (x0, y0, x1, y1) = EXERCISE_MAP;
        let (a, b) = (early.region(x0, y0, x1, y1), late.region(x0, y0, x1, y1));
        // The map fits the village, whose terrain shading covers most of the pane:
        // bare paper is what is left around it.
        let paper = count_near(&a, [0xf4, 0xf1, 0xea], 6);
        assert!(
            paper > a.len() / 20,
            "{}: map background covers only {paper} of {} pixels",
            file.display(),
            a.len()
        );
        let changed = changed_pixels(&a, &b);
        assert!(
            changed > 400,
            "{}: the map barely changed between 10 min and 4 h ({changed} pixels)",
            file.display()
        );
        // People are drawn as pies in the state colours (at home: dark grey; sheltered:
        // green), with a legend.
        let people =
            count_near(&b, [0x4a, 0x4a, 0x4a], 12) + count_near(&b, [0x1b, 0x8a, 0x2e], 12);
        assert!(
            people > 100,
            "{}: no people drawn ({people})",
            file.display()
        );
    }
}

/// A map pixel in the hazard layer's water blues (or the river's): clearly more blue
/// than red and green.
fn water_blue(p: &[u8; 3]) -> bool {
    let [r, g, b] = p.map(i32::from);
    b > r + 40 && b > g + 15
}

/// The engine's hazard layer on the exercise map: in the flood example the water
/// spreads from the river's banks between 10 min and 4 h, drawn in blue under the
/// roads and people (the river line alone is the same at both times).
#[test]
fn exercise_map_draws_the_flood_water() {
    let Some(x) = Xvfb::start() else { return };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let file = dir.join("zhuyuan-flash-flood.drill");
    let log = dir.join("zhuyuan-flash-flood.actions.drill");
    let base = run_args(&file, Some(&log));
    let blue_at = |at: &str| {
        let mut args: Vec<&str> = base.iter().map(String::as_str).collect();
        args.extend(["--mode", "exercise", "--at", at]);
        let shot = Shot::take(&x, &args, &format!("water-{at}.png"));
        let (x0, y0, x1, y1) = EXERCISE_MAP;
        let region = shot.region(x0, y0, x1, y1);
        (
            region.iter().filter(|p| water_blue(p)).count(),
            region.len(),
        )
    };
    let (early, _) = blue_at("10min");
    let (late, total) = blue_at("4h");
    assert!(
        late > early + total / 100,
        "flood water not drawn: {early} blue pixels at 10 min, {late} at 4 h of {total}"
    );
}

/// Debrief mode on every example: the replay's charts are drawn (egui_plot lines in the
/// series colours) and the map shows the people.
#[test]
fn debrief_draws_charts_and_the_replayed_map() {
    let Some(x) = Xvfb::start() else { return };
    for (i, (file, log)) in scenarios_with_logs().iter().enumerate() {
        let mut args: Vec<String> = run_args(file, log.as_deref());
        args.extend([
            "--mode".into(),
            "debrief".into(),
            "--at".into(),
            "3h".into(),
        ]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let shot = Shot::take(&x, &args, &format!("debrief-{i}.png"));
        let charts = shot.region(0.6, 0.1, 1.0, 0.95);
        // The "warned" series (orange) is on the people chart of every run.
        let warned = count_near(&charts, [0xe6, 0x8a, 0x00], 30);
        assert!(
            warned > 150,
            "{}: no warned line ({warned})",
            file.display()
        );
        let map = shot.region(0.0, 0.15, 0.55, 0.95);
        assert!(
            count_near(&map, [0xf4, 0xf1, 0xea], 6) > map.len() / 10,
            "{}: no map",
            file.display()
        );
        assert!(variance(&charts) > 100.0);
    }
}

/// Chinese text in exercise mode (projector preset: black on white) comes from the
/// bundled font: the inject panel carries far more ink with it than with egui's
/// missing-glyph boxes.
#[test]
fn exercise_injects_render_chinese() {
    let Some(x) = Xvfb::start() else { return };
    let (file, log) = scenarios_with_logs()
        .into_iter()
        .next()
        .expect("a scenario");
    let mut args = run_args(&file, log.as_deref());
    args.extend(["--mode", "exercise", "--at", "3h", "--preset", "projector"].map(String::from));
    let with: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut without = with.clone();
    without.push("--no-cjk-font");
    let ink = |shot: &Shot| {
        shot.region(0.0, 0.15, 0.2, 0.7)
            .iter()
            .filter(|&&p| luma(p) < 90.0)
            .count()
    };
    let a = ink(&Shot::take(&x, &with, "ex-cjk.png"));
    let b = ink(&Shot::take(&x, &without, "ex-nocjk.png"));
    assert!(a > 1500, "too little text in the inject panel: {a}");
    assert!(a as f64 > 1.3 * b as f64, "CJK {a} vs missing glyphs {b}");
}

#[test]
fn every_mode_of_every_scenario_renders_something() {
    let Some(x) = Xvfb::start() else { return };
    for (i, file) in scenario_files().iter().enumerate() {
        for mode in ["author", "exercise", "debrief"] {
            let shot = Shot::take(
                &x,
                &[file.to_str().unwrap(), "--mode", mode],
                &format!("modes-{i}-{mode}.png"),
            );
            assert_eq!((shot.width, shot.height), SIZE, "{mode}: window size");
            let v = variance(&shot.region(0.0, 0.0, 1.0, 1.0));
            assert!(
                v > 100.0,
                "{} in {mode} looks blank (luma variance {v:.1})",
                file.display()
            );
        }
    }
}

/// The map pane of author mode (right of the text, above the timeline) shows the
/// fixture's red, orange, yellow and blue zones.
#[test]
fn author_map_shows_all_four_zone_colours() {
    let Some(x) = Xvfb::start() else { return };
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini-flood.drill");
    let shot = Shot::take(
        &x,
        &[fixture.to_str().unwrap(), "--mode", "author"],
        "zones.png",
    );
    let map = shot.region(0.47, 0.08, 1.0, 0.6);
    // Zone outlines are drawn in the full colour (editor::ui::map_view::zone_color).
    for (name, rgb) in [
        ("red", [0xe5, 0x1c, 0x23]),
        ("orange", [0xff, 0x8c, 0x00]),
        ("yellow", [0xff, 0xd6, 0x00]),
        ("blue", [0x1e, 0x64, 0xdc]),
    ] {
        let n = count_near(&map, rgb, 24);
        assert!(
            n > 50,
            "{name} zone: only {n} pixels of its colour in the map area"
        );
    }
    // The text pane on the left has no zone colours: the count is about the map.
    let text = shot.region(0.0, 0.08, 0.4, 0.6);
    assert!(count_near(&text, [0xe5, 0x1c, 0x23], 10) < 50);
}

/// Chinese glyphs come from the bundled CJK font: the Chinese menu bar carries much
/// more ink than the same UI rendered without the font (egui's missing-glyph boxes).
#[test]
fn chinese_menu_renders_with_the_cjk_font() {
    let Some(x) = Xvfb::start() else { return };
    let ink = |shot: &Shot| {
        // The menu bar's left part: 编写 推演 复盘 打开 保存.
        let bar = shot.region(0.0, 0.0, 0.25, 0.035);
        let background = luma(shot.pixel(shot.width / 2, (shot.height as f32 * 0.015) as u32));
        bar.iter()
            .filter(|&&p| (luma(p) - background).abs() > 60.0)
            .count()
    };
    let with_font = Shot::take(&x, &["--lang", "zh"], "cjk-font.png");
    let without = Shot::take(&x, &["--lang", "zh", "--no-cjk-font"], "cjk-none.png");
    let (a, b) = (ink(&with_font), ink(&without));
    assert!(a > 200, "too little text ink in the menu bar: {a}");
    assert!(
        a as f64 > 1.3 * b as f64,
        "CJK font ink {a} vs missing-glyph ink {b}"
    );
}

/// A rectangle `[x0, y0, x1, y1]` of the map's layout JSON.
fn rect(v: &serde_json::Value) -> [f32; 4] {
    let a = v.as_array().expect("a rectangle");
    [0, 1, 2, 3].map(|i| a[i].as_f64().expect("a number") as f32)
}

fn overlap(a: [f32; 4], b: [f32; 4]) -> f32 {
    let w = a[2].min(b[2]) - a[0].max(b[0]);
    let h = a[3].min(b[3]) - a[1].max(b[1]);
    if w > 0.0 && h > 0.0 { w * h } else { 0.0 }
}

fn inside(inner: [f32; 4], outer: [f32; 4]) -> bool {
    inner[0] >= outer[0] - 0.5
        && inner[1] >= outer[1] - 0.5
        && inner[2] <= outer[2] + 0.5
        && inner[3] <= outer[3] + 0.5
}

/// The projector preset at 1920x1080, in the author map, the exercise and the debrief
/// of every example: the label layout the frame drew (`--layout-json`) has no two labels
/// overlapping and all inside the map; the legends sit in their column beside the map,
/// clear of the village's box; the village fills the map. In the flash-flood example
/// (the case of the issue: "竹源小学 容纳300" ran over "乡政府", and the county base
/// 18 km away shrank the village) both labels are drawn and the county base is an edge
/// marker with its road distance.
#[test]
fn projector_map_labels_never_overlap_and_legends_sit_beside_the_village() {
    let Some(x) = Xvfb::start() else { return };
    for (i, (file, log)) in scenarios_with_logs().iter().enumerate() {
        for mode in ["author", "exercise", "debrief"] {
            let mut args = run_args(file, log.as_deref());
            args.extend(
                [
                    "--mode",
                    mode,
                    "--at",
                    "3h",
                    "--preset",
                    "projector",
                    "--frames",
                    "20",
                ]
                .map(String::from),
            );
            let png = scratch(&format!("proj-{i}-{mode}.png"));
            let json = scratch(&format!("proj-{i}-{mode}.json"));
            let status = x
                .editor_sized((1920, 1080))
                .args(&args)
                .arg("--screenshot")
                .arg(&png)
                .arg("--layout-json")
                .arg(&json)
                .status()
                .expect("run the editor");
            assert!(status.success(), "editor {args:?} exited with {status}");
            let layout: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
            let name = format!("{} ({mode})", file.display());
            let view = rect(&layout["view"]);
            let labels: Vec<(String, [f32; 4])> = layout["labels"]
                .as_array()
                .expect("labels")
                .iter()
                .map(|l| (l["text"].as_str().unwrap().to_owned(), rect(&l["rect"])))
                .collect();
            assert!(labels.len() >= 4, "{name}: only {} labels", labels.len());
            for (k, (ta, a)) in labels.iter().enumerate() {
                assert!(
                    inside(*a, view),
                    "{name}: {ta:?} {a:?} outside the map {view:?}"
                );
                for (tb, b) in &labels[k + 1..] {
                    assert!(
                        overlap(*a, *b) < 0.01,
                        "{name}: {ta:?} {a:?} overlaps {tb:?} {b:?}"
                    );
                }
            }
            let village = rect(&layout["village"]);
            // The author's map has no legend; the exercise and debrief maps do.
            if mode != "author" {
                let legend = rect(&layout["legend"]);
                assert_eq!(overlap(legend, view), 0.0, "{name}: legend over the map");
                assert_eq!(
                    overlap(legend, village),
                    0.0,
                    "{name}: legend over the village"
                );
            }
            assert!(
                inside(village, view),
                "{name}: village {village:?} not in {view:?}"
            );
            let fill = ((village[2] - village[0]) / (view[2] - view[0]))
                .max((village[3] - village[1]) / (view[3] - view[1]));
            assert!(
                fill > 0.5,
                "{name}: the village fills only {fill:.2} of the map"
            );
            // Every shelter is labelled (where people go is what a room reads first):
            // by its name, or its name cut to four characters and "…".
            for shelter in shelter_names(file) {
                let short: String = shelter.chars().take(4).chain(['…']).collect();
                assert!(
                    labels
                        .iter()
                        .any(|(t, _)| t.starts_with(&shelter) || t.starts_with(&short)),
                    "{name}: shelter {shelter} has no label: {labels:?}"
                );
            }
            if file.ends_with("zhuyuan-flash-flood.drill") {
                let texts: Vec<&str> = labels.iter().map(|(t, _)| t.as_str()).collect();
                // Both sides of the overlap the issue saw are drawn (the shelter's
                // capacity may give way: its occupancy bar shows it).
                assert!(
                    texts.iter().any(|t| t.starts_with("竹源小学"))
                        && texts.contains(&"竹源乡政府"),
                    "{name}: {texts:?}"
                );
                // The county base's edge marker (its name may give way on a crowded
                // edge, its distance stays).
                assert!(
                    texts.iter().any(|t| t.ends_with("18 km")),
                    "{name}: no edge marker for the county base: {texts:?}"
                );
                assert!(fill > 0.7, "{name}: village fills {fill:.2}");
            }
        }
    }
}

/// Typed text reaches the recovery file within the autosave interval and survives
/// `kill -9` (the write is atomic: temp file, fsync, rename).
#[test]
fn autosave_survives_kill_9() {
    let Some(x) = Xvfb::start() else { return };
    let file = scratch("killed.drill");
    let recovery = file.parent().unwrap().join(".killed.drill.recovery");
    let _ = std::fs::remove_file(&recovery);
    std::fs::write(&file, "// saved\n").unwrap();
    let typed = "scenario \"断电测试\" {\n  id kill-test\n}\n";
    let mut child = x
        .editor()
        .arg(&file)
        .args(["--autosave-secs", "1", "--type-text", typed])
        .stdout(Stdio::null())
        .spawn()
        .expect("start the editor");
    let deadline = Instant::now() + Duration::from_secs(120);
    let expected = format!("// saved\n{typed}");
    while Instant::now() < deadline
        && std::fs::read_to_string(&recovery).ok().as_deref() != Some(expected.as_str())
    {
        assert!(child.try_wait().unwrap().is_none(), "editor exited early");
        std::thread::sleep(Duration::from_millis(200));
    }
    // Let at least one more autosave interval pass, then kill without warning.
    std::thread::sleep(Duration::from_millis(1500));
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    assert_eq!(std::fs::read_to_string(&recovery).unwrap(), expected);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "// saved\n",
        "the scenario file itself is untouched"
    );
    let leftovers: Vec<_> = std::fs::read_dir(file.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
}

/// Rows of the screenshot as runs of dark and light pixels: `(dark, start, length)`.
fn runs(shot: &Shot, y: u32) -> Vec<(bool, u32, u32)> {
    let mut out: Vec<(bool, u32, u32)> = Vec::new();
    for x in 0..shot.width {
        let dark = luma(shot.pixel(x, y)) < 128.0;
        match out.last_mut() {
            Some(r) if r.0 == dark => r.2 += 1,
            _ => out.push((dark, x, 1)),
        }
    }
    out
}

/// Where a QR finder pattern's middle row (dark, light, dark ×3, light, dark in
/// modules of equal size) starts in `row`, from run index `from`: the x of its first
/// pixel and the module size.
fn finder_in(row: &[(bool, u32, u32)], from: usize) -> Option<(usize, u32, f64)> {
    (from..row.len().saturating_sub(4)).find_map(|i| {
        let r = &row[i..i + 5];
        if !r[0].0 {
            return None;
        }
        let m = f64::from(r.iter().map(|r| r.2).sum::<u32>()) / 7.0;
        let near = |len: u32, k: f64| (f64::from(len) - k * m).abs() <= 1.5;
        (m >= 3.0
            && near(r[0].2, 1.0)
            && near(r[1].2, 1.0)
            && near(r[2].2, 3.0)
            && near(r[3].2, 1.0)
            && near(r[4].2, 1.0))
        .then_some((i, r[0].1, m))
    })
}

/// Finds `qr` in the screenshot: the two top finder patterns fix its origin and module
/// size, then every module's centre is read (dark or light) and compared with the
/// code. Returns the module size in pixels when all of them match.
fn read_qr(shot: &Shot, qr: &editor::ui::qr::Qr) -> Option<f64> {
    let n = qr.width as f64;
    for y in 0..shot.height {
        let row = runs(shot, y);
        let mut from = 0;
        while let Some((i, x0, m)) = finder_in(&row, from) {
            from = i + 1;
            // The top-right finder on the same row gives the exact module size.
            let Some((_, x1, _)) = finder_in(&row, i + 5) else {
                continue;
            };
            let module = f64::from(x1 - x0) / (n - 7.0);
            if (module - m).abs() > 1.5 {
                continue;
            }
            // This row is the finder's third module row (its middle runs start there
            // and go on for three rows); its top is two and a half modules up.
            let top = f64::from(y) - 2.0 * module;
            let ok = (0..qr.width).all(|my| {
                (0..qr.width).all(|mx| {
                    let px = f64::from(x0) + (mx as f64 + 0.5) * module;
                    let py = top + (my as f64 + 0.5) * module;
                    px >= 0.0
                        && py >= 0.0
                        && (px as u32) < shot.width
                        && (py as u32) < shot.height
                        && (luma(shot.pixel(px as u32, py as u32)) < 128.0) == qr.is_dark(mx, my)
                })
            });
            if ok {
                return Some(module);
            }
        }
    }
    None
}

/// The exercise served to phones (`--serve`) on a 1920×1080 projector: the join
/// address is on screen as a QR code, every module of which, read back from the
/// screenshot, is the code of `http://127.0.0.1:PORT/join`, large enough to scan from
/// the back of a room (a third of the screen's height or so).
#[test]
fn exercise_served_shows_the_join_address_as_a_qr_code() {
    let Some(x) = Xvfb::start() else {
        return;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/zhuyuan-flash-flood.drill");
    let log = scratch("served.actions.drill");
    let _ = std::fs::remove_file(&log);
    let serve = format!("--serve=127.0.0.1:{port}");
    let shot = Shot::take_at(
        &x,
        (1920, 1080),
        &[
            file.to_str().unwrap(),
            "--mode",
            "exercise",
            "--preset",
            "projector",
            "--actions",
            log.to_str().unwrap(),
            &serve,
            "--at",
            "20:30",
        ],
        "exercise-served-1920.png",
    );
    let url = format!("http://127.0.0.1:{port}/join");
    let qr = editor::ui::qr::Qr::new(&url).unwrap();
    let module = read_qr(&shot, &qr).expect("the join address's QR code in the screenshot");
    let side = module * qr.side() as f64;
    assert!(
        side >= 0.3 * f64::from(shot.height),
        "the code is {side:.0} px on a {} px screen",
        shot.height
    );
    // Another port's code is not what is drawn (the reading can fail).
    let other = editor::ui::qr::Qr::new(&format!("http://127.0.0.1:{}/join", port + 1)).unwrap();
    assert!(read_qr(&shot, &other).is_none());
    // Serving created the log (and the records beside it) where `--actions` said.
    assert!(log.exists());
}

/// Author mode's timeline tab (`--author-tab timeline`, the screenshot waits for the
/// engine's run) at 1920×1080: its rows are drawn, with the tasks' green kind labels
/// (任务) that the inject tab does not have in that panel.
#[test]
fn author_timeline_tab_lists_the_hazard() {
    let Some(x) = Xvfb::start() else { return };
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/zhuyuan-flash-flood.drill");
    let file = file.to_str().unwrap();
    let tab = |name: &str| {
        let shot = format!("author-{name}.png");
        Shot::take_at(&x, (1920, 1080), &[file, "--author-tab", name], &shot)
    };
    let (timeline, injects) = (tab("timeline"), tab("injects"));
    // The bottom panel, right of the text pane.
    let region = |s: &Shot| s.region(0.47, 0.68, 1.0, 0.98);
    let green = |s: &Shot| count_near(&region(s), [0x1b, 0x8a, 0x2e], 30);
    assert!(
        green(&timeline) > green(&injects) + 100,
        "task rows: {} green pixels, {} with the inject tab",
        green(&timeline),
        green(&injects)
    );
}

/// 底图: a basemap of four coloured quadrants laid `from (0, 0) to (900, 500)` over the
/// mini-flood village is drawn where the map puts those metres, in the author map, the
/// exercise and the debrief: the pixel at a known map point in each quadrant (clear of
/// roads, zones, places and their labels) has that quadrant's colour, so the image is
/// neither shifted, mirrored nor stretched. The point on screen comes from the frame's
/// transform (`--layout-json`), the same one every other map item goes through.
#[test]
fn the_basemap_lies_under_the_map_where_its_corners_say() {
    let Some(x) = Xvfb::start() else { return };
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basemap/quadrants.drill");
    // (map point, quadrant colour)
    let probes = [
        ((330.0, 60.0), [255, 0, 255]),
        ((780.0, 220.0), [0, 255, 255]),
        ((700.0, 480.0), [0, 0, 255]),
        ((100.0, 300.0), [255, 128, 0]),
    ];
    for mode in ["author", "exercise", "debrief"] {
        let png = scratch(&format!("basemap-{mode}.png"));
        let json = scratch(&format!("basemap-{mode}.json"));
        let args = [
            file.to_str().unwrap(),
            "--plan",
            "--mode",
            mode,
            "--at",
            "1min",
        ];
        let status = x
            .editor()
            .args(args)
            .args(["--frames", "20", "--screenshot"])
            .arg(&png)
            .arg("--layout-json")
            .arg(&json)
            .status()
            .expect("run the editor");
        assert!(status.success(), "editor {args:?} exited with {status}");
        let layout: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        assert!(
            layout["basemap"].is_array(),
            "{mode}: no basemap drawn: {layout}"
        );
        let view = rect(&layout["view"]);
        let center = [0, 1].map(|i| layout["center"][i].as_f64().unwrap());
        let scale = layout["scale"].as_f64().unwrap();
        let ppp = layout["pixels_per_point"].as_f64().unwrap();
        let decoder =
            png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        let channels = info.color_type.samples();
        let shot = Shot {
            width: info.width,
            height: info.height,
            rgb: buf[..info.buffer_size()]
                .chunks(channels)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect(),
        };
        let (cx, cy) = (
            f64::from(view[0] + view[2]) / 2.0,
            f64::from(view[1] + view[3]) / 2.0,
        );
        for ((mx, my), colour) in probes {
            let sx = (cx + (mx - center[0]) * scale) * ppp;
            let sy = (cy + (my - center[1]) * scale) * ppp;
            assert!(
                sx >= f64::from(view[0]) * ppp
                    && sx < f64::from(view[2]) * ppp
                    && sy >= f64::from(view[1]) * ppp
                    && sy < f64::from(view[3]) * ppp,
                "{mode}: ({mx}, {my}) is off the map view"
            );
            let p = shot.pixel(sx as u32, sy as u32);
            assert!(
                (0..3).all(|c| (i32::from(p[c]) - colour[c]).abs() <= 12),
                "{mode}: at map ({mx}, {my}), screen pixel ({sx:.0}, {sy:.0}), expected {colour:?}, found {p:?}"
            );
        }
    }
}

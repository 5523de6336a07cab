//! 上限 — the bounds the engine puts on its input, in one place: how long a drill
//! may run, how big a file may be, how many runs a batch may take. Each is far
//! beyond any real drill and there to turn a slip of the keyboard (`99999999h`,
//! `include "/dev/zero"`) into a clear error instead of an endless run or an
//! exhausted memory. `docs/LANGUAGE.md` lists them with the language's own ranges.

/// Longest drill, seconds (30 days): a scenario's `duration`, `drill run --until`.
/// Past it a number is a slip (hours typed as minutes), and a run would take hours
/// of computing with households' state held for every step.
pub const MAX_DURATION_S: f64 = 30.0 * 86_400.0;

/// Shortest and longest simulation step, seconds: under 1 s a 12-hour drill takes
/// tens of thousands of steps more for nothing, over 10 min people and water jump
/// across places.
pub const MIN_STEP_S: f64 = 1.0;
/// See [`MIN_STEP_S`].
pub const MAX_STEP_S: f64 = 600.0;

/// Most runs of one `drill batch`: a distribution settles long before (a few
/// hundred runs), and each run keeps a summary in memory.
pub const MAX_BATCH_RUNS: u32 = 100_000;

/// Largest text file read (a scenario, an included file, an action log, a report):
/// 64 MiB, a thousand times the largest example.
pub const MAX_TEXT_BYTES: u64 = 64 << 20;

/// Largest heightmap file (ESRI ASCII grid): 1 GiB, a 10,000 × 10,000 grid of
/// elevations written with a few decimals.
pub const MAX_HEIGHTMAP_BYTES: u64 = 1 << 30;

/// Largest basemap image (`basemap` in the map block, PNG or JPEG): 256 MiB, an
/// aerial photograph of a township at 10 cm a pixel. The editor shows it at most
/// [`MAX_BASEMAP_SIDE_PX`] pixels on its longer side.
pub const MAX_BASEMAP_BYTES: u64 = 256 << 20;

/// Longest side, in pixels, of a basemap image as the editor holds it (a larger one
/// is scaled down when it is loaded): 4,096, half a metre a pixel over 2 km, within
/// every graphics card's texture limit.
pub const MAX_BASEMAP_SIDE_PX: u32 = 4096;

/// Strongest wind, m/s (at 6.1 m for a fire, at 10 m for a plume): 100 m/s, above
/// the strongest sustained winds ever measured (about 90 m/s in tropical cyclones).
pub const MAX_WIND_M_S: f64 = 100.0;

/// Heaviest rain, mm/h: 1,000, three times the world's one-hour record (305 mm,
/// Holt, Missouri, 1947).
pub const MAX_RAIN_MM_H: f64 = 1_000.0;

/// Largest river discharge, m³/s: 500,000, more than the Amazon's greatest floods.
pub const MAX_DISCHARGE_M3_S: f64 = 500_000.0;

/// Largest continuous release, kg/s: 100 t/s, a rail tank car emptied in a second.
pub const MAX_RELEASE_KG_S: f64 = 100_000.0;

/// Largest instantaneous release, kg: 100,000 t, a full large gas carrier.
pub const MAX_RELEASE_KG: f64 = 1e8;

/// Longest distance or height, m, in a point calculation (`drill calc`): 1,000 km,
/// far past where a Gaussian plume or a surface fire model means anything.
pub const MAX_LENGTH_M: f64 = 1e6;

/// Longest line typed into `drill exercise`, bytes (64 KiB): an action is one line
/// of a few dozen characters; past this the input is a file piped in by mistake.
pub const MAX_INPUT_LINE_BYTES: usize = 64 << 10;

/// The values a quantity of a scenario may take, from `min` (excluded when `above`)
/// to `max`, with the words of the message (E0317) that refuses any other.
#[derive(Debug, Clone, Copy)]
pub struct Range {
    pub min: f64,
    pub above: bool,
    pub max: f64,
    pub en: &'static str,
    pub zh: &'static str,
}

impl Range {
    pub fn contains(&self, v: f64) -> bool {
        (if self.above {
            v > self.min
        } else {
            v >= self.min
        }) && v <= self.max
    }
}

/// A task's `within`: a deadline after its trigger, within the longest drill.
pub const WITHIN: Range = Range {
    min: 0.0,
    above: true,
    max: MAX_DURATION_S,
    en: "longer than 0 and at most 30 days",
    zh: "大于 0 且不超过 30 天",
};

/// A team's `arrives`: when it is ready after the first call-out.
pub const ARRIVES: Range = Range {
    min: 0.0,
    above: false,
    max: MAX_DURATION_S,
    en: "from 0 to 30 days",
    zh: "在 0 到 30 天之间",
};

/// A release's `for`: how long a continuous release lasts.
pub const RELEASE_FOR: Range = WITHIN;

/// A team's `members`: someone has to do the work; 10,000 is a city's whole force.
pub const MEMBERS: Range = Range {
    min: 1.0,
    above: false,
    max: 10_000.0,
    en: "from 1 to 10000",
    zh: "在 1 到 10000 之间",
};

/// A road's, path's or bridge's `width`: people walk over it, so more than 0; the
/// widest roads are about 100 m.
pub const LINK_WIDTH: Range = Range {
    min: 0.0,
    above: true,
    max: 500.0,
    en: "more than 0 m and at most 500 m",
    zh: "大于 0 米且不超过 500 米",
};

/// A walking speed in the `behaviour` block: more than 0, and at most 10 m/s, above
/// a sprinter's pace (people walking out of a village are far below it).
pub const WALK_SPEED: Range = Range {
    min: 0.0,
    above: true,
    max: 10.0,
    en: "more than 0 m/s and at most 10 m/s",
    zh: "大于 0 米/秒且不超过 10 米/秒",
};

/// A premovement time or a door knock's visit in the `behaviour` block: from 0 to one
/// day (a household that waits longer has not decided to leave).
pub const BEHAVIOUR_TIME: Range = Range {
    min: 0.0,
    above: false,
    max: 86_400.0,
    en: "from 0 to 1 day",
    zh: "在 0 到 1 天之间",
};

/// The specific flow through a door (`door_flow`), persons per metre of width per
/// second: more than 0, at most 10 (measured maxima lie near 2, Daamen & Hoogendoorn
/// 2012 report up to 3.3 for children).
pub const DOOR_FLOW: Range = Range {
    min: 0.0,
    above: true,
    max: 10.0,
    en: "more than 0 and at most 10 persons per metre per second",
    zh: "大于 0 且不超过 10 人/(米·秒)",
};

/// A road's `length`: more than 0, and no village or county road runs 1,000 km.
pub const LINK_LENGTH: Range = Range {
    min: 0.0,
    above: true,
    max: 1e6,
    en: "more than 0 m and at most 1000 km",
    zh: "大于 0 米且不超过 1000 千米",
};

/// A river's `width`: more than 0, at most 50 km (wider than any river in flood).
pub const RIVER_WIDTH: Range = Range {
    min: 0.0,
    above: true,
    max: 50_000.0,
    en: "more than 0 m and at most 50 km",
    zh: "大于 0 米且不超过 50 千米",
};

/// A loudspeaker's `radius`: more than 0, at most 20 km (a siren carries a few km).
pub const RADIUS: Range = Range {
    min: 0.0,
    above: true,
    max: 20_000.0,
    en: "more than 0 m and at most 20 km",
    zh: "大于 0 米且不超过 20 千米",
};

/// The map's `cell`, and a terrain grid's: elevation models use 1 to 90 m cells.
pub const CELL: Range = Range {
    min: 1.0,
    above: false,
    max: 1_000.0,
    en: "from 1 m to 1000 m",
    zh: "在 1 米到 1000 米之间",
};

/// A heightmap's `vertical`, metres per stored unit (1 mm to 1 km).
pub const VERTICAL: Range = Range {
    min: 0.001,
    above: false,
    max: 1_000.0,
    en: "from 1 mm to 1000 m",
    zh: "在 1 毫米到 1000 米之间",
};

/// A release's `height` above ground: up to 1 km (a tall stack is 300 m).
pub const RELEASE_HEIGHT: Range = Range {
    min: 0.0,
    above: false,
    max: 1_000.0,
    en: "from 0 m to 1000 m",
    zh: "在 0 米到 1000 米之间",
};

/// Manning's n (`manning`): 0.01 for smooth concrete to about 0.2 for dense
/// floodplain forest.
pub const MANNING: Range = Range {
    min: 0.001,
    above: false,
    max: 1.0,
    en: "from 0.001 to 1",
    zh: "在 0.001 到 1 之间",
};

/// A score out of 100: `pass`, the `ratings` thresholds and the `weights`.
pub const SCORE: Range = Range {
    min: 0.0,
    above: false,
    max: 100.0,
    en: "from 0 to 100",
    zh: "在 0 到 100 之间",
};

/// Cells of a GeoTIFF heightmap resampled to the map (`terrain "dem.tif"`): 16 million,
/// a 40 km square at 10 m, 128 MiB of elevations.
pub const MAX_TERRAIN_CELLS: usize = 16 << 20;

/// Buildings, roads, rivers and shelters `drill import` reads from its files together:
/// a county's OpenStreetMap extract has a few hundred thousand.
pub const MAX_IMPORT_FEATURES: usize = 2_000_000;

/// Wind speeds of a fire's `wind` and a release's `weather`.
pub const WIND: Range = Range {
    min: 0.0,
    above: false,
    max: MAX_WIND_M_S,
    en: "from 0 to 100 m/s",
    zh: "在 0 到 100 米/秒之间",
};

/// A flood's `rain`, mm/h.
pub const RAIN: Range = Range {
    min: 0.0,
    above: false,
    max: MAX_RAIN_MM_H,
    en: "from 0 to 1000 mm/h",
    zh: "在 0 到 1000 毫米/小时之间",
};

/// A flood's `inflow`, m³/s: a river does not flow backwards into the map.
pub const INFLOW: Range = Range {
    min: 0.0,
    above: false,
    max: MAX_DISCHARGE_M3_S,
    en: "from 0 to 500000 m3/s",
    zh: "在 0 到 500000 立方米/秒之间",
};

/// A release's `rate`, kg/s.
pub const RELEASE_RATE: Range = Range {
    min: 0.0,
    above: false,
    max: MAX_RELEASE_KG_S,
    en: "from 0 to 100 t/s",
    zh: "在 0 到 100 吨/秒之间",
};

/// A release's `mass`, kg.
pub const RELEASE_MASS: Range = Range {
    min: 0.0,
    above: false,
    max: MAX_RELEASE_KG,
    en: "from 0 to 100000 t",
    zh: "在 0 到 100000 吨之间",
};

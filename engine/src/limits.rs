//! 上限 — the bounds the engine puts on its input, in one place: how long a drill
//! may run, how big a file may be, how many runs a batch may take. Each is far
//! beyond any real drill and there to turn a slip of the keyboard (`99999999h`,
//! `include "/dev/zero"`) into a clear error instead of an endless run or an
//! exhausted memory. `docs/LANGUAGE.md` lists them with the language's own ranges.

/// Longest drill, seconds (30 days): a scenario's `duration`, `drill run --until`.
/// Past it a number is a slip (hours typed as minutes), and a run would take hours
/// of computing with households' state held for every step.
pub const MAX_DURATION_S: f64 = 30.0 * 86_400.0;

/// Shortest and longest simulation step, seconds: below 1 s the movement model's
/// queues gain nothing, above 10 min warnings and departures lose their order.
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

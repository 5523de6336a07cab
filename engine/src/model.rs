//! The validated scenario: what a trainer's file means once every name is resolved
//! and every quantity is in SI units.
//!
//! This is the contract between the language front end (`lang`), the simulation
//! (`sim`), the hazard models (`hazard`), scoring (`score`) and the editor. Nothing
//! here knows about text, files or rendering. Conventions:
//! - lengths in metres (`_m`), times in seconds from the drill start (`_s`),
//!   speeds in m/s, rates in SI (`kg_s`, `m3_s`), rain in mm/h, percentages 0..=100;
//! - cross references are indices into the owning `Vec` (`PlaceIdx` indexes
//!   `Map::places`, and so on), resolved by validation, so downstream code never
//!   looks a name up;
//! - `Span`s point back into the source for the editor's click-to-jump and for
//!   diagnostics raised after validation (they are not exported to RON).

use serde::{Deserialize, Serialize};

/// A byte range in one source file. `file` indexes the `SourceMap` the scenario was
/// checked with (0 is the main file; `include`d files follow).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Span {
    pub file: u32,
    pub start: u32,
    pub end: u32,
}

macro_rules! index_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u32);
        impl $name {
            pub fn index(self) -> usize { self.0 as usize }
        }
    )*};
}

index_type! {
    /// Index into `Map::places` (villages, offices, stations, junctions and shelters).
    PlaceIdx;
    /// Index into `Map::links` (roads, paths, bridges).
    LinkIdx;
    /// Index into `Map::rivers`.
    RiverIdx;
    /// Index into `Map::zones`.
    ZoneIdx;
    /// Index into `Scenario::roles`.
    RoleIdx;
    /// Index into `Scenario::resources`.
    ResourceIdx;
    /// Index into `Scenario::teams`.
    TeamIdx;
    /// Index into `Plan::tasks`.
    TaskIdx;
}

/// A point on the scenario map, metres east (`x`) and north... of the map origin.
/// The map's y axis follows the trainer's sketch: it grows downwards on screen.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub fn distance(self, other: Point) -> f64 {
        ((self.x - other.x).powi(2) + (self.y - other.y).powi(2)).sqrt()
    }
}

/// The whole drill scenario (场景).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Scenario {
    pub header: Header,
    pub map: Map,
    /// 角色 — the posts of the command structure.
    pub roles: Vec<Role>,
    /// 物资装备 — equipment and supplies.
    pub resources: Vec<Resource>,
    /// 队伍 — rescue teams, militia, volunteers.
    pub teams: Vec<Team>,
    /// 灾种 — hazard model inputs, at most one block per kind.
    pub hazards: Vec<Hazard>,
    /// 预案 / 应急处置卡 — the plan checklist.
    pub plan: Plan,
    /// 情景注入 — the master scenario events list (MSEL).
    pub injects: Vec<Inject>,
    /// 评分 — how the drill is scored.
    pub scoring: Scoring,
    /// 行为 — the scenario's own behavioural parameters (walking speeds, premovement,
    /// compliance, the knock's visit, door flow); what it leaves out keeps the
    /// defaults of `sim::params::SimParams`.
    #[serde(default)]
    pub behaviour: Behaviour,
}

/// The `scenario` block.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Header {
    pub id: String,
    pub title: String,
    pub hazard_kinds: Vec<HazardKind>,
    /// Wall-clock start of the drill (local time).
    pub start: DateTime,
    /// How long the drill runs, seconds.
    pub duration_s: f64,
    pub seed: u64,
    /// Fixed simulation step, seconds (defaults to 10 s).
    pub step_s: f64,
}

/// A local calendar date and time of day, minute resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub struct DateTime {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
}

impl DateTime {
    /// Seconds after midnight of the start day.
    pub fn seconds_of_day(self) -> f64 {
        f64::from(self.hour) * 3600.0 + f64::from(self.minute) * 60.0
    }

    /// Clock time `HH:MM` of a drill offset in seconds (wraps past midnight).
    pub fn clock_at(self, offset_s: f64) -> String {
        let total = (self.seconds_of_day() + offset_s).max(0.0) as u64;
        let day_s = total % 86_400;
        format!("{:02}:{:02}", day_s / 3600, (day_s % 3600) / 60)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum HazardKind {
    /// 洪水 / 山洪
    Flood,
    /// 森林火灾
    ForestFire,
    /// 危险化学品泄漏
    Chemical,
}

/// The `map` block (地图).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Map {
    /// Hazard raster resolution, metres.
    pub cell_m: f64,
    pub terrain: Option<Terrain>,
    /// Villages, offices, stations, junctions and shelters: the nodes of the road network.
    pub places: Vec<Place>,
    /// Roads, paths and bridges: the links of the road network.
    pub links: Vec<Link>,
    pub rivers: Vec<River>,
    pub zones: Vec<Zone>,
    /// 地理参考 — where the map's origin (0, 0) lies on Earth (`origin` in the map
    /// block); `None` for a sketch map in metres only.
    #[serde(default)]
    pub georef: Option<Georef>,
    /// 底图 — an image the editor draws under the map (`basemap` in the map block);
    /// the engine keeps its path and placement, never its pixels.
    #[serde(default)]
    pub basemap: Option<Basemap>,
}

/// 底图 — a georeferenced image (an aerial or satellite picture, a scanned village
/// map, PNG or JPEG) that the editor draws under the scenario's drawing. It changes
/// nothing in the simulation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Basemap {
    /// The image file, relative to the scenario's folder; read by `io::load_basemap`.
    pub path: String,
    pub placement: BasemapPlacement,
    /// 0 (invisible) to 1 (opaque), `opacity` in the statement; 1 by default.
    pub opacity: f64,
    /// The `basemap` statement: where an image or world file that cannot be read is
    /// reported.
    #[serde(skip)]
    pub span: Span,
    /// The map's georeference, which a world file in longitude/latitude needs.
    #[serde(default)]
    pub georef: Option<Georef>,
}

/// Where a [`Basemap`]'s image lies on the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum BasemapPlacement {
    /// By the world file beside the image (`village.pgw`, `.jgw`, `.wld`), read by
    /// `io::load_basemap`.
    WorldFile,
    /// By the corners the statement gives (`from (x0, y0) to (x1, y1)`): the image's
    /// north-west, north-east, south-east and south-west corners in map metres (four,
    /// since corners given in longitude/latitude are no rectangle on the map's plane).
    Corners([Point; 4]),
}

/// 地理参考 — the map origin's longitude and latitude, WGS 84 / CGCS2000 degrees
/// (converted from GCJ-02 or BD-09 when the map says `datum`). Map points are metres
/// east and south of it on the local transverse Mercator plane of [`crate::geo::LocalFrame`].
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Georef {
    pub lon: f64,
    pub lat: f64,
}

/// 地形 — an elevation raster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Terrain {
    pub source: TerrainSource,
    /// Cell size of the raster, metres (the map's `cell` unless the grid says otherwise).
    pub cell_m: f64,
    /// The `terrain` statement: where a heightmap that cannot be read is reported.
    #[serde(skip)]
    pub span: Span,
    /// The map's georeference, which a GeoTIFF heightmap needs to be laid on the map.
    #[serde(default)]
    pub georef: Option<Georef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TerrainSource {
    /// Inline grid: row-major elevations in metres, first row at y = 0.
    Grid {
        cols: u32,
        rows: u32,
        elevation_m: Vec<f64>,
    },
    /// A heightmap file relative to the scenario's folder; loaded by `io`.
    File { path: String, vertical_m: f64 },
}

/// 地点 — a node of the map: a village group, an office, a station, a junction, a shelter.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Place {
    pub name: String,
    pub pos: Point,
    pub kind: PlaceKind,
    /// 户数
    pub households: u32,
    /// 人数 (everyone, including the groups below)
    pub people: u32,
    pub groups: Groups,
    /// Present when the place is a 避灾安置点 (shelter).
    pub shelter: Option<ShelterSpec>,
    /// Present when the place is an institution (单位: a boarding school, a nursing
    /// home, a factory, a construction site): its people move as one group.
    #[serde(default)]
    pub institution: Option<Institution>,
    #[serde(skip)]
    pub span: Span,
}

/// 单位 — an institution whose people (寄宿生, 院民, 职工) live or work together under
/// a responsible person (负责人) and staff. It is warned and moves as one group: the
/// staff muster everyone and leave together, helping those who cannot walk, instead
/// of each family deciding on its own. `Place::people` counts everyone, staff
/// included.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Institution {
    pub kind: InstitutionKind,
    /// 工作人员 — teachers, carers, foremen: part of `people`.
    pub staff: u32,
    /// 负责人 — who answers for the group.
    pub responsible: Responsible,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InstitutionKind {
    /// 寄宿学校 / 学校
    School,
    /// 敬老院 / 养老院
    NursingHome,
    /// 工厂
    Factory,
    /// 工地 — a construction site: its people are outdoor workers (户外作业人员) for
    /// the 四个100%.
    ConstructionSite,
    /// 作业点 — a work site in the open: a tea garden, farm, forest farm or quarry
    /// whose workers are out in the fields (户外作业人员) under a foreman or owner.
    Worksite,
}

impl InstitutionKind {
    /// Whether its people (all but the staff and the groups) work outdoors, as the
    /// 四个100% count them.
    pub fn works_outdoors(self) -> bool {
        matches!(
            self,
            InstitutionKind::ConstructionSite | InstitutionKind::Worksite
        )
    }
}

/// 负责人 — a role of the scenario (who then acts for the institution) or a named
/// person written as a string (who is only reported).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Responsible {
    Role(RoleIdx),
    Named(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum PlaceKind {
    /// 自然村 / 村民小组 — where people live.
    #[default]
    Settlement,
    /// 村委会 / 乡镇政府 — an office.
    Office,
    /// 救援站 — a team base or depot.
    Station,
    /// 化工企业 — a plant or other hazard source.
    Plant,
    /// 路口 — a junction with nobody living there.
    Junction,
    /// 避灾安置点 — a shelter.
    Shelter,
}

/// Vulnerable and special groups among a place's people (each a subset of `people`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Groups {
    /// 老人 (over 60)
    pub elderly: u32,
    /// 残疾人 — need help to move.
    pub disabled: u32,
    /// 儿童
    pub children: u32,
    /// 危房户 — people living in dilapidated houses.
    pub dilapidated: u32,
    /// 户外作业人员 — outdoor workers.
    pub outdoor_workers: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Group {
    Adults,
    Elderly,
    Disabled,
    Children,
    Dilapidated,
    OutdoorWorkers,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ShelterSpec {
    pub capacity: u32,
    pub facilities: Vec<Facility>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Facility {
    /// 饮用水
    Water,
    /// 电力
    Power,
    /// 医疗点
    Medical,
    /// 无障碍
    BarrierFree,
    /// 食品
    Food,
    /// 床铺
    Beds,
}

/// 道路 — a road, path or bridge between two places (both directions).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub kind: LinkKind,
    pub from: PlaceIdx,
    pub to: PlaceIdx,
    pub width_m: f64,
    /// Given by the trainer, or the length of the polyline through `via`.
    pub length_m: f64,
    /// Intermediate points, for drawing and for hazard sampling along the link.
    pub via: Vec<Point>,
    /// The river a bridge crosses.
    pub over: Option<RiverIdx>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LinkKind {
    /// 道路 — vehicles and people.
    Road,
    /// 小路 — people on foot only.
    Path,
    /// 桥 — may be washed away.
    Bridge,
}

/// 河流
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct River {
    pub name: String,
    pub points: Vec<Point>,
    pub width_m: f64,
    /// The `river` statement (W0007 points here when the river misses the terrain).
    #[serde(skip)]
    pub span: Span,
}

/// 危险区 — a danger zone with its 红橙黄蓝 risk level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Zone {
    pub name: String,
    pub level: RiskLevel,
    pub hazard: HazardKind,
    pub polygon: Vec<Point>,
    /// Scripted hazard: the zone becomes dangerous at this time (until a hazard
    /// model says otherwise).
    pub dangerous_from_s: Option<f64>,
    #[serde(skip)]
    pub span: Span,
}

impl Zone {
    /// Even-odd point-in-polygon test.
    pub fn contains(&self, p: Point) -> bool {
        let pts = &self.polygon;
        let mut inside = false;
        let mut j = pts.len().wrapping_sub(1);
        for i in 0..pts.len() {
            let (a, b) = (pts[i], pts[j]);
            if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
                inside = !inside;
            }
            j = i;
        }
        inside
    }
}

/// 红橙黄蓝 — the four-colour risk and warning levels, most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RiskLevel {
    Red,
    Orange,
    Yellow,
    Blue,
}

/// 角色 — a post in the command structure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub name: String,
    pub level: AdminLevel,
    /// 现场指挥官
    pub commander: bool,
    /// How many people hold this post (e.g. six 网格员).
    pub count: u32,
    /// Where the post is held (defaults to nowhere in particular).
    pub post: Option<PlaceIdx>,
    #[serde(skip)]
    pub span: Span,
}

/// 县 / 乡镇 / 村 / 组
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AdminLevel {
    County,
    Township,
    Village,
    Group,
}

/// 物资装备 — a stock of one kind of equipment at a place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    pub name: String,
    pub kind: ResourceKind,
    pub quantity: u32,
    pub at: PlaceIdx,
    /// Persons per unit (boats, vehicles).
    pub capacity: Option<u32>,
    /// Audible or working radius (loudspeakers, sirens, alarms, reservoir broadcast).
    pub radius_m: Option<f64>,
    /// 备用电源 — keeps working through a power cut (`backup_power`: a battery, a
    /// solar panel or its own generator). Only equipment that needs mains power
    /// ([`ResourceKind::needs_power`]) is affected by a power cut either way.
    #[serde(default)]
    pub backup_power: bool,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ResourceKind {
    /// 大喇叭 / 村广播
    Loudspeaker,
    /// 手持扩音器
    Megaphone,
    /// 卫星电话
    SatellitePhone,
    /// 发电机
    Generator,
    /// 排水泵
    Pump,
    /// 微型消防站
    MicroFireStation,
    /// 冲锋舟 / 橡皮艇
    Boat,
    /// 车辆
    Vehicle,
    /// 无人机
    Drone,
    /// 生命探测仪
    LifeDetector,
    /// 风力灭火机, 二号工具 and other forest-fire tools
    FireTools,
    /// 防毒面具 / 防化服
    ProtectiveGear,
    /// 气体检测仪
    GasDetector,
    /// 警报器 — an electric (motor or electronic) siren on a pole or roof.
    Siren,
    /// 手摇报警器 — a hand-cranked siren: no power, someone turns the handle.
    HandAlarm,
    /// 水库广播 — a reservoir's warning broadcast (预警广播) along the valley below
    /// the dam.
    ReservoirBroadcast,
    /// Anything else the trainer names.
    Other(String),
}

impl ResourceKind {
    /// Whether the equipment works from mains power (市电), so that a power cut (停电)
    /// silences it unless it has `backup_power`: the village loudspeakers, electric
    /// sirens and the reservoir broadcast. A hand-cranked alarm, a battery megaphone
    /// and a satellite phone do not.
    pub fn needs_power(&self) -> bool {
        matches!(
            self,
            ResourceKind::Loudspeaker | ResourceKind::Siren | ResourceKind::ReservoirBroadcast
        )
    }

    /// The equipment a warning by `channel` sounds from, for the channels that sound
    /// from fixed equipment (大喇叭, 警报器, 手摇报警器, 水库广播).
    pub fn sounding(channel: Channel) -> Option<ResourceKind> {
        match channel {
            Channel::Loudspeaker => Some(ResourceKind::Loudspeaker),
            Channel::Siren => Some(ResourceKind::Siren),
            Channel::HandAlarm => Some(ResourceKind::HandAlarm),
            Channel::ReservoirBroadcast => Some(ResourceKind::ReservoirBroadcast),
            _ => None,
        }
    }
}

/// 队伍 — a team that travels from its base and performs tasks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Team {
    pub name: String,
    pub members: u32,
    pub base: PlaceIdx,
    /// Time from activation until the team can leave its base, seconds.
    pub arrives_s: f64,
    pub skills: Vec<Skill>,
    /// Equipment the team brings: which resource, how many units.
    pub equipment: Vec<ResourceUse>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Skill {
    WaterRescue,
    Evacuation,
    DoorKnock,
    Firefighting,
    Hazmat,
    Medical,
    Roadblock,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceUse {
    pub resource: ResourceIdx,
    pub quantity: u32,
}

/// A time series of values: `(seconds from start, value)`, sorted by time.
pub type Timeline<T> = Vec<(f64, T)>;

/// Hazard model inputs, one block per kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Hazard {
    Flood(FloodSpec),
    Fire(FireSpec),
    Chemical(ChemicalSpec),
}

/// `hazard flood` — rain on the grid and river inflow hydrographs.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FloodSpec {
    /// Rain intensity, mm/h, piecewise linear.
    pub rain_mm_h: Timeline<f64>,
    pub inflows: Vec<Inflow>,
    /// Manning's roughness (s/m^(1/3)); default 0.035.
    pub manning_n: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inflow {
    pub river: RiverIdx,
    /// Discharge at the river's first point, m3/s.
    pub discharge_m3_s: Timeline<f64>,
    /// The river's name on the `inflow` line (E0409 points here).
    #[serde(skip)]
    pub span: Span,
}

/// `hazard fire` — 森林火灾: ignitions, fuels, weather.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FireSpec {
    pub ignitions: Vec<Ignition>,
    /// Fuel model code everywhere no zone overrides it (e.g. "TL3", "GS2", "4").
    pub default_fuel: Option<String>,
    pub fuel_zones: Vec<(ZoneIdx, String)>,
    pub wind: Timeline<Wind>,
    pub moisture: FuelMoisture,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ignition {
    pub at: Point,
    pub time_s: f64,
}

/// Wind at 6.1 m (20 ft), speed in m/s, blowing *from* `from_deg` (0 = north, clockwise).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Wind {
    pub speed_m_s: f64,
    pub from_deg: f64,
}

/// Fuel moisture contents, percent of dry weight.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct FuelMoisture {
    pub dead_1h: f64,
    pub dead_10h: f64,
    pub dead_100h: f64,
    pub live_herb: f64,
    pub live_woody: f64,
}

/// `hazard chemical` — 危险化学品泄漏.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChemicalSpec {
    pub source: Point,
    /// Substance key into the substances data file (e.g. "chlorine", "ammonia").
    pub substance: String,
    pub release: Release,
    pub start_s: f64,
    /// Release height above ground, metres.
    pub height_m: f64,
    pub weather: Timeline<PlumeWeather>,
    pub urban: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Release {
    /// Continuous release at a rate for a duration.
    Rate { kg_s: f64, duration_s: f64 },
    /// Instantaneous release of a mass (a puff).
    Mass { kg: f64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PlumeWeather {
    pub wind: Wind,
    pub stability: Stability,
}

/// Pasquill-Gifford stability class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Stability {
    A,
    B,
    C,
    D,
    E,
    F,
}

/// `plan` — 应急处置卡: the checklist the drill is scored against.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Plan {
    pub title: String,
    pub tasks: Vec<Task>,
}

/// 任务 — one line of the response card: who does what, how, with which resources, by when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// The trainer's id, e.g. "T1".
    pub id: String,
    pub title: String,
    pub trigger: Trigger,
    /// 谁 — who is responsible.
    pub who: Vec<Actor>,
    /// 做 — what is done, to what.
    pub work: Work,
    /// 怎么做 — channels or methods.
    pub how: Vec<Channel>,
    /// 用 — resources and quantities.
    pub with: Vec<ResourceUse>,
    /// 时限 — the deadline.
    pub deadline: Option<Deadline>,
    /// 要求 — the share that must be reached, e.g. 100 % of households warned.
    pub require: Option<Requirement>,
    #[serde(skip)]
    pub span: Span,
}

/// When a task becomes due.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Trigger {
    /// `when warning red` — when a warning of this level (or more severe) is received.
    Warning(RiskLevel),
    /// `when inject 3` — when an inject fires.
    Inject(u32),
    /// `when danger ZONE` — when a zone becomes dangerous.
    Danger(ZoneIdx),
    /// `at 20:30` — a fixed time, seconds from start.
    At(f64),
    /// `after T1` — once another task has started (how a 应急处置卡 reads: "after the
    /// warning, knock on doors" starts knocking as the warning goes out).
    After(TaskIdx),
    /// `after T1 done` — once another task has finished.
    AfterDone(TaskIdx),
    /// `before T3` — must be done before another task starts.
    Before(TaskIdx),
    /// `before return` — before anyone returns home (the end of the drill).
    BeforeReturn,
}

/// 截止 — `within 30min` of the trigger, or `by 21:00`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Deadline {
    Within(f64),
    By(f64),
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Requirement {
    pub percent: f64,
    pub of: RequireOf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequireOf {
    Households,
    People,
}

/// Who acts: a role or a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Actor {
    Role(RoleIdx),
    Team(TeamIdx),
}

/// 做 — the verb of a task or action and its object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Work {
    /// 发布预警 — warn the people of a zone or place.
    Warn(Target),
    /// 敲门 — door-to-door knocking.
    KnockDoors(Target),
    /// 转移 — move groups (all when empty) from a place to a shelter.
    Evacuate {
        groups: Vec<Group>,
        from: Target,
        to: Option<PlaceIdx>,
    },
    /// 开放避灾点 — open a shelter.
    OpenShelter(PlaceIdx),
    /// 到岗 — responsible people report at their posts.
    ReportAtPost,
    /// 评估 — assess a zone before people return.
    Assess(Target),
    /// 封路 — close a road or bridge.
    CloseLink(LinkIdx),
    /// 设卡 — set up a roadblock at a place.
    Roadblock(PlaceIdx),
    /// 救援 — rescue trapped people (boats, carrying).
    Rescue(Target),
    /// 开设防火隔离带 — build a fire line along points.
    FireLine(Vec<Point>),
    /// 就地避险 — tell people to shelter in place.
    ShelterInPlace(Target),
    /// 上报 — report to a higher level.
    Report,
    /// 返回 — let people return home.
    Return(Target),
}

/// The object of a task: a zone, a place, or everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Target {
    Zone(ZoneIdx),
    Place(PlaceIdx),
    All,
}

/// 渠道 — how a warning or order reaches people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Channel {
    /// 大喇叭
    Loudspeaker,
    /// 短信
    Sms,
    /// 应用推送 / 微信
    App,
    /// 敲门
    DoorKnock,
    /// 手持扩音器
    Megaphone,
    /// 铜锣
    Gong,
    /// 电话
    Phone,
    /// 对讲机
    Radio,
    /// 电视 / 广播电台
    Broadcast,
    /// 警报器 — electric sirens: heard by distance from each siren (`radius`).
    Siren,
    /// 手摇报警器 — hand-cranked alarms: heard by distance, need no power.
    HandAlarm,
    /// 水库广播 — the reservoir's warning broadcast: covers its area (`radius`).
    ReservoirBroadcast,
    /// 微信群 — the village or group WeChat groups: needs a phone and the network.
    WeChat,
}

impl Channel {
    /// Channels carried by the mobile network (短信, 推送, 微信群, 电话): silent while
    /// the phones are down (通信中断).
    pub fn needs_network(self) -> bool {
        matches!(
            self,
            Channel::Sms | Channel::App | Channel::WeChat | Channel::Phone
        )
    }
}

/// 行为参数 — the `behaviour` block: values a scenario gives for the simulation's
/// behavioural parameters. `None` (or a channel left out) keeps the default of
/// `sim::params::SimParams`, where each default's source is given. Speeds in m/s,
/// times in s, shares as fractions 0..=1.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Behaviour {
    /// 成人 free walking speed.
    pub walk_adults_m_s: Option<f64>,
    /// 儿童: a household with children walks at most this fast.
    pub walk_children_m_s: Option<f64>,
    /// 老人: each elderly member's speed is drawn uniformly from this range.
    pub walk_elderly_m_s: Option<(f64, f64)>,
    /// 残疾人 (limited mobility), once helped: drawn uniformly from this range.
    pub walk_disabled_m_s: Option<(f64, f64)>,
    /// 反应时间: time from deciding to leave to setting off.
    pub premovement: Option<Premovement>,
    /// 服从: chance a household leaves on its first contact by this channel.
    pub comply: Vec<(Channel, f64)>,
    /// 到达率: chance one contact by this channel reaches a household.
    pub reach: Vec<(Channel, f64)>,
    /// 敲门时长: time a door knocker spends at one household.
    pub knock_visit_s: Option<f64>,
    /// 通行能力: specific flow through doors and narrow roads, persons per metre of
    /// width per second.
    pub door_flow_p_m_s: Option<f64>,
}

/// A premovement (反应时间) distribution, seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Premovement {
    /// Always this long.
    Fixed(f64),
    /// Uniform between the two bounds.
    Uniform(f64, f64),
    /// `min` plus an exponential tail with mean `mean`.
    Tail { min: f64, mean: f64 },
}

/// 情景注入 — one numbered line of the master scenario events list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inject {
    pub number: u32,
    pub trigger: InjectTrigger,
    /// Sender, often outside the scenario's roles (县气象局).
    pub from: Option<String>,
    pub to: Vec<Actor>,
    pub via: Option<Channel>,
    pub message: String,
    /// Tasks the participants are expected to perform in response.
    pub expects: Vec<TaskIdx>,
    pub effects: Vec<Effect>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum InjectTrigger {
    /// Fires at a time, seconds from start.
    At(f64),
    /// Contingency inject: fires at `by_s` if the task has not been done.
    IfNot { task: TaskIdx, by_s: f64 },
}

/// What an inject does to the simulated world.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Effect {
    /// A warning of this level is issued (triggers `when warning ...` tasks).
    Warning(RiskLevel),
    /// A road, path or bridge closes (washed away, blocked).
    CloseLink(LinkIdx),
    /// A zone becomes dangerous now.
    Danger(ZoneIdx),
    /// People are trapped at a place and need rescue.
    Trapped { place: PlaceIdx, people: u32 },
    /// A shelter can no longer take people.
    ShelterClosed(PlaceIdx),
    /// 停电 — mains power fails at the target's places: equipment there that needs
    /// power and has no `backup_power` falls silent.
    PowerCut(Target),
    /// 恢复供电 — mains power is back at the target's places (or a generator started).
    PowerRestored(Target),
    /// 停用 — a piece of equipment, or a whole channel, is out of service.
    OutOfService(Service),
    /// 恢复 — equipment or a channel is back in service.
    Restored(Service),
    /// 通信中断 — the mobile network is down: SMS, app push, WeChat and phone calls
    /// stop (satellite phones and radios go on).
    PhonesDown,
    /// 恢复通信 — the mobile network is back.
    PhonesRestored,
    /// 延误 — a team is held up (a landslide on its road, a vehicle breakdown) for a
    /// while: whatever it is doing, or its assembly, takes that much longer.
    TeamDelayed { team: TeamIdx, delay_s: f64 },
    /// 来水 / 泄洪 — the inflow at a river's first point (a reservoir release below
    /// the dam) changes to `m3_s`, reached linearly over `ramp_s` (0: at once), and
    /// stays there: the flood model's hydrograph from the inject's time on.
    Inflow {
        river: RiverIdx,
        m3_s: f64,
        ramp_s: f64,
    },
    /// 起火 — the fire model ignites at a point at the inject's time.
    Ignition(Point),
}

/// What an `out_of_service` / `restore` effect names: a piece of equipment or a
/// whole channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Service {
    Resource(ResourceIdx),
    Channel(Channel),
}

/// `scoring` — weights, ratings and outcome targets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scoring {
    pub weights: Weights,
    /// Outcome targets, e.g. the 四个100%.
    pub outcomes: Vec<OutcomeTarget>,
    pub outcomes_title: String,
    /// Thresholds (0..=100) for P, S and M; below M is U.
    pub ratings: RatingThresholds,
    /// Total score needed to pass (合格); default 75.
    pub pass_score: f64,
}

impl Default for Scoring {
    fn default() -> Self {
        Scoring {
            weights: Weights {
                timeliness: 30.0,
                completeness: 40.0,
                resources: 15.0,
                roles: 15.0,
            },
            outcomes: Vec::new(),
            outcomes_title: String::new(),
            ratings: RatingThresholds {
                p: 90.0,
                s: 75.0,
                m: 50.0,
            },
            pass_score: 75.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    pub timeliness: f64,
    pub completeness: f64,
    pub resources: f64,
    pub roles: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RatingThresholds {
    pub p: f64,
    pub s: f64,
    pub m: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OutcomeTarget {
    pub metric: Outcome,
    pub percent: f64,
    /// 否决项 — written `veto`: missing this target keeps the drill from 合格 whatever
    /// its mean score. The 四个100% are veto items whether written so or not
    /// ([`Outcome::is_four_hundred`]).
    #[serde(default)]
    pub veto: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    /// 责任人员到岗
    AtPost,
    /// 危险区人员转移
    Evacuated,
    /// 危房和户外作业人员转移
    VulnerableMoved,
    /// 返回前评估
    AssessedBeforeReturn,
    /// 预警覆盖
    Warned,
}

impl Outcome {
    /// One of the 四个100% of flood response (seed 000): missing it is always a veto.
    pub fn is_four_hundred(self) -> bool {
        !matches!(self, Outcome::Warned)
    }
}

/// One participant decision from a recorder's log or the editor (`actions` block).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    /// Seconds from the drill start.
    pub at_s: f64,
    pub actor: Actor,
    pub work: Work,
    pub how: Vec<Channel>,
    pub with: Vec<ResourceUse>,
    #[serde(skip)]
    pub span: Span,
}

/// 导调 — what the trainer did to an inject by hand (`Simulation::fire_inject` /
/// `skip_inject`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InjectCommandKind {
    /// 下达 — fire it now, ahead of its time (or a contingency inject regardless).
    Fire,
    /// 跳过 — it will not fire.
    Skip,
}

/// A trainer's inject command from a log (`21:30 trainer fire inject 5`). Applied, like
/// an action, in the step that reaches `at_s`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct InjectCommand {
    /// Seconds from the drill start.
    pub at_s: f64,
    /// The inject's number in the `injects` block.
    pub number: u32,
    pub kind: InjectCommandKind,
    #[serde(skip)]
    pub span: Span,
}

/// A recorder's log: the `actions` form.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ActionLog {
    pub scenario_id: String,
    pub actions: Vec<Action>,
    /// The trainer's inject commands, in the log's order.
    #[serde(default)]
    pub inject_commands: Vec<InjectCommand>,
}

impl Scenario {
    pub fn place_named(&self, name: &str) -> Option<PlaceIdx> {
        self.map
            .places
            .iter()
            .position(|p| p.name == name)
            .map(|i| PlaceIdx(i as u32))
    }
    pub fn place(&self, idx: PlaceIdx) -> &Place {
        &self.map.places[idx.index()]
    }
    /// 大喇叭 — the loudspeakers a warning by loudspeaker sounds from: those the task or
    /// action names under `with`, or else every loudspeaker in the scenario. The
    /// simulation and `drill check`'s W0009 both go by this.
    pub fn loudspeakers_for(&self, with: &[ResourceUse]) -> Vec<&Resource> {
        self.sounding_for(&ResourceKind::Loudspeaker, with)
            .into_iter()
            .map(|(_, r)| r)
            .collect()
    }

    /// The equipment of `kind` a warning sounds from (大喇叭, 警报器, 手摇报警器,
    /// 水库广播), with its index: those the task or action names under `with`, or else
    /// every one of that kind in the scenario.
    pub fn sounding_for(
        &self,
        kind: &ResourceKind,
        with: &[ResourceUse],
    ) -> Vec<(ResourceIdx, &Resource)> {
        let named: Vec<(ResourceIdx, &Resource)> = with
            .iter()
            .filter_map(|u| {
                self.resources
                    .get(u.resource.index())
                    .map(|r| (u.resource, r))
            })
            .filter(|(_, r)| r.kind == *kind)
            .collect();
        if !named.is_empty() {
            return named;
        }
        self.resources
            .iter()
            .enumerate()
            .filter(|(_, r)| r.kind == *kind)
            .map(|(i, r)| (ResourceIdx(i as u32), r))
            .collect()
    }
    pub fn link(&self, idx: LinkIdx) -> &Link {
        &self.map.links[idx.index()]
    }
    pub fn zone(&self, idx: ZoneIdx) -> &Zone {
        &self.map.zones[idx.index()]
    }
    pub fn task(&self, idx: TaskIdx) -> &Task {
        &self.plan.tasks[idx.index()]
    }
    pub fn actor_name(&self, actor: Actor) -> &str {
        match actor {
            Actor::Role(r) => &self.roles[r.index()].name,
            Actor::Team(t) => &self.teams[t.index()].name,
        }
    }
    /// Total people living in the scenario's places.
    pub fn population(&self) -> u32 {
        self.map.places.iter().map(|p| p.people).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_contains_points_inside_a_square_only() {
        let zone = Zone {
            name: "z".into(),
            level: RiskLevel::Red,
            hazard: HazardKind::Flood,
            polygon: vec![
                Point { x: 0.0, y: 0.0 },
                Point { x: 10.0, y: 0.0 },
                Point { x: 10.0, y: 10.0 },
                Point { x: 0.0, y: 10.0 },
            ],
            dangerous_from_s: None,
            span: Span::default(),
        };
        assert!(zone.contains(Point { x: 5.0, y: 5.0 }));
        assert!(!zone.contains(Point { x: 15.0, y: 5.0 }));
        assert!(!zone.contains(Point { x: 5.0, y: -1.0 }));
    }

    #[test]
    fn clock_wraps_past_midnight() {
        let start = DateTime {
            year: 2026,
            month: 6,
            day: 18,
            hour: 20,
            minute: 0,
        };
        assert_eq!(start.clock_at(0.0), "20:00");
        assert_eq!(start.clock_at(4.5 * 3600.0), "00:30");
    }
}

//! Every behavioural number of the simulation in one place, with its source or the
//! reason for the chosen default.
//!
//! Where a published value exists it is cited; where none does (warning reach by
//! channel, compliance), the default is a stated assumption meant to be calibrated
//! against drill records, and kept here so a trainer or a scorer can see and change it.
//! A scenario's `behaviour` block (行为) overrides the walking speeds, premovement,
//! compliance and reach by channel, the knock's visit and the door flow for its runs
//! ([`SimParams::for_scenario`]); `docs/LANGUAGE.md` lists those defaults with these
//! sources, and must follow a change here.

use crate::model::{Behaviour, Channel, Premovement, Scenario};
use serde::{Deserialize, Serialize};

/// A delay distribution, seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Delay {
    /// Always exactly this long (RiMEA test 5 checks that given reaction times are kept).
    Fixed(f64),
    /// Uniform between the two bounds.
    Uniform(f64, f64),
    /// `min` plus an exponential tail with the given mean: most households leave soon
    /// after the warning, a few take much longer (the shape reported throughout the
    /// evacuation-timing literature, e.g. Lindell & Perry 2012 ch. 9, "milling").
    ShiftedExponential { min: f64, mean: f64 },
}

impl Delay {
    /// Draws a delay from a uniform variate `u` in [0, 1).
    pub fn sample(self, u: f64) -> f64 {
        match self {
            Delay::Fixed(s) => s,
            Delay::Uniform(a, b) => a + (b - a) * u,
            Delay::ShiftedExponential { min, mean } => min - mean * (1.0 - u).max(1e-12).ln(),
        }
    }
}

/// The simulation's parameters. `SimParams::default()` is what `drill run` uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimParams {
    // --- Walking (RiMEA 4.1 / Weidmann 1993, as quoted in DOMAIN.md) ---------------
    /// Free walking speed of adults on a level road, m/s. Weidmann (1993): 1.34 m/s.
    pub walk_adult_m_s: f64,
    /// Elderly walkers: uniform over this range. RiMEA (over 50): 0.68–1.41 m/s.
    pub walk_elderly_m_s: (f64, f64),
    /// People with limited mobility, once helped: RiMEA 0.46–0.76 m/s.
    pub walk_limited_m_s: (f64, f64),
    /// Children walk with their family; an assumption of 90 % of adult speed
    /// (small children are carried or led by the hand).
    pub walk_child_factor: f64,
    /// Maximum specific flow through doors and narrow roads, persons per metre of
    /// width per second. IMO MSC.1/Circ.1533 Table 3.2 (corridors, doors): 1.3.
    pub specific_flow_p_m_s: f64,
    /// Storage density of a link, persons per m² (its length × width): jam density
    /// lies near 5.4 p/m² (Weidmann 1993); queueing evacuees keep some room, so 3.
    pub storage_density_p_m2: f64,

    // --- Warning reach (probability a household hears a contact) ------------------
    /// Default audible radius of a loudspeaker (大喇叭) without `radius`, metres.
    pub loudspeaker_radius_m: f64,
    /// Chance a household inside the radius hears one broadcast (indoors, by day).
    /// Assumption: village loudspeakers are loud but windows are shut; 0.7.
    pub loudspeaker_reach: f64,
    /// A broadcast is repeated this many times, `loudspeaker_repeat_s` apart: seed 003
    /// asks village broadcasts to repeat the warning (反复播放).
    pub loudspeaker_repeats: u32,
    pub loudspeaker_repeat_s: f64,
    /// Multiplier on audible channels (loudspeaker, megaphone, gong) between 22:00 and
    /// 06:00 — people asleep. Assumption: 0.5.
    pub night_factor: f64,
    /// Multiplier on audible channels in heavy rain (above `heavy_rain_mm_h`, the
    /// Chinese 暴雨 threshold of 16 mm/h hourly). Assumption: 0.6 — rain drowns it.
    pub rain_factor: f64,
    pub heavy_rain_mm_h: f64,
    /// Chance a household has a phone that receives SMS/app pushes when it has at least
    /// one member under 60. Assumption from China's ~99 % mobile-phone ownership among
    /// internet users (CNNIC 2023) and rural coverage gaps: 0.9.
    pub phone_owner_young: f64,
    /// The same for elderly-only households (seed 003: the elderly are reached by
    /// loudspeaker and knocking rather than by phone). Assumption: 0.45.
    pub phone_owner_elderly_only: f64,
    /// Chance a phone owner notices the message soon (by day); the night factor applies.
    pub sms_seen: f64,
    /// SMS delivery delay, uniform 0..this, seconds (bulk SMS queues).
    pub sms_delay_max_s: f64,
    /// Chance a TV/radio broadcast (电视/广播电台) reaches a household. Assumption: 0.3.
    pub broadcast_reach: f64,
    /// Chance a knock reaches someone (somebody answers the door). Assumption: 0.97.
    pub knock_reach: f64,
    /// Time a door knocker spends at one household (talk, check the house), seconds.
    /// Assumption: 2 minutes.
    pub knock_visit_s: f64,
    /// Distance between neighbouring houses within a village group, metres; knockers
    /// walk it at `walk_adult_m_s`. Assumption: 30 m.
    pub house_spacing_m: f64,
    /// Megaphone (手持扩音器) and gong (铜锣) carriers walk the village; time spent per
    /// place, seconds, and the reach per household during that pass.
    pub megaphone_dwell_s: f64,
    pub megaphone_reach: f64,
    pub gong_reach: f64,
    /// Phone calls (电话) by a role: one call per household, this long each.
    pub phone_call_s: f64,
    pub phone_reach: f64,

    // --- Decisions -------------------------------------------------------------------
    /// Chance a household decides to leave on its first contact, by channel. A knock
    /// persuades most (a person in front of you), a broadcast least. Assumptions.
    pub comply_loudspeaker: f64,
    pub comply_sms: f64,
    pub comply_knock: f64,
    pub comply_megaphone: f64,
    pub comply_gong: f64,
    pub comply_phone: f64,
    pub comply_broadcast: f64,
    /// Added to the compliance chance for each further contact ("some refuse until a
    /// second contact"). Each household draws one stubbornness value and leaves at
    /// the first contact whose chance exceeds it, so repeated contacts only help.
    pub comply_per_extra_contact: f64,
    /// Time from deciding to leaving (packing, gathering the family).
    pub leave_delay: Delay,
    /// 单位 — time from an order reaching an institution (a school, a nursing home, a
    /// factory, a construction site) until its people leave together, seconds: the
    /// staff muster everyone. Assumption: 5 minutes (school evacuation drills in
    /// China aim to have a school out and assembled within 3-5 minutes).
    pub institution_muster_s: f64,

    // --- Teams ------------------------------------------------------------------------
    /// Speed of a team with a vehicle on a road (30 km/h on village roads), m/s.
    pub team_vehicle_m_s: f64,
    /// Speed of a rescue boat (冲锋舟) on flood water, m/s (about 11 km/h with load).
    pub boat_m_s: f64,
    /// Time to load or unload a boat or vehicle, seconds.
    pub load_s: f64,
    /// Speed of a team member carrying or wheeling a person with limited mobility, m/s:
    /// the top of RiMEA's limited-mobility range.
    pub assisted_m_s: f64,
    /// Fire line built per team member, metres per second: 30 m/h per person. NWCG's
    /// average ideal hand-crew rate in grass is 900 ft (274 m) of 3-ft line per hour
    /// for a 15-person crew, about 18 m/h per person (NWCG, Fire Math course, "9.8
    /// Production Rates"; rates vary widely with fuel, Haven, Hunter & Storey 1982,
    /// USDA FS GTR PSW-62); Chinese crews clear litter lines with blowers (风力灭火机) as
    /// well as hand tools, so the default sits above the hand-tool figure. An
    /// assumption to calibrate against the county's own drill records.
    pub fireline_m_s_per_member: f64,
    /// Duration of a simple task done on the spot (report, set up a roadblock), seconds.
    pub on_the_spot_s: f64,
    /// Grace before people still at home in a place that turned dangerous are trapped
    /// (受困), seconds. Assumption: a place is declared or sampled dangerous (危险区)
    /// some time before its hazard is life-threatening (water rising over the doorstep,
    /// fire front reaching the houses), so an evacuation ordered right after can still
    /// get them out. 30 min is a judgement, not a published figure; 0 traps at once.
    pub trap_grace_s: f64,

    // --- Sirens, hand-cranked alarms, reservoir broadcast, WeChat groups -----------
    /// Default audible radius of an electric siren (警报器) without `radius`, metres.
    /// Outdoor warning sirens are laid out so that their sound stays at or above
    /// 70 dB(C) (FEMA CPG 1-17, *Outdoor Warning Systems Guide*, 1980); vendors rate
    /// 115–130 dB(C) at 30 m sirens to 0.8–2.4 km at that level. The middle of that
    /// range, 1.5 km, is the default; write `radius` for a siren of known rating.
    pub siren_radius_m: f64,
    /// Chance a household inside the radius hears one sounding. A siren is built for
    /// people outdoors; indoors, windows shut, fewer hear it. Assumption: 0.6.
    pub siren_reach: f64,
    /// Chance a household leaves on a siren alone. A siren says that something is
    /// wrong, not what to do or where to go: people look for confirmation first
    /// (Mileti & Sorensen 1990, *Communication of emergency public warnings*, ORNL-6609,
    /// on warnings without content). Assumption: 0.4, below a spoken broadcast.
    pub comply_siren: f64,
    /// Default audible radius of a hand-cranked alarm (手摇报警器), metres. Sold for
    /// 山洪 warning in villages with stated ranges of about 1 km in the open; an
    /// assumption of 800 m allows for houses and valleys.
    pub hand_alarm_radius_m: f64,
    /// Chance a household inside the radius hears it, and how long it is cranked
    /// (contacts spread over that time). Assumptions: 0.6 and 5 min.
    pub hand_alarm_reach: f64,
    pub hand_alarm_crank_s: f64,
    /// Chance a household leaves on the alarm: in 山洪 villages the hand-cranked alarm
    /// is the agreed signal to go (rehearsed in drills), so it says more than a siren.
    /// Assumption: 0.5.
    pub comply_hand_alarm: f64,
    /// Default radius a reservoir's warning broadcast (水库广播) covers, metres: the
    /// speakers stand along the valley below the dam, over its 危险区. Assumption:
    /// 2 km; write `radius` for the system as built. Reach and compliance are those
    /// of a village loudspeaker (a spoken message, repeated like one).
    pub reservoir_broadcast_radius_m: f64,
    /// Chance a phone owner in the group reads a WeChat group (微信群) message soon
    /// (by day; the night factor applies): group messages are read less promptly than
    /// an SMS among the day's chatter. Assumption: 0.6.
    pub wechat_seen: f64,
    /// When a WeChat group message is read, uniform 0..this after posting, seconds.
    /// Assumption: 30 min.
    pub wechat_delay_max_s: f64,

    // --- Hazard sampling ------------------------------------------------------------
    /// How often links are sampled for danger, seconds (links are many; places are
    /// sampled every step).
    pub link_sample_s: f64,
}

impl Default for SimParams {
    fn default() -> Self {
        SimParams {
            walk_adult_m_s: 1.34,
            walk_elderly_m_s: (0.68, 1.41),
            walk_limited_m_s: (0.46, 0.76),
            walk_child_factor: 0.9,
            specific_flow_p_m_s: 1.3,
            storage_density_p_m2: 3.0,
            loudspeaker_radius_m: 500.0,
            loudspeaker_reach: 0.7,
            loudspeaker_repeats: 3,
            loudspeaker_repeat_s: 600.0,
            night_factor: 0.5,
            rain_factor: 0.6,
            heavy_rain_mm_h: 16.0,
            phone_owner_young: 0.9,
            phone_owner_elderly_only: 0.45,
            sms_seen: 0.8,
            sms_delay_max_s: 120.0,
            broadcast_reach: 0.3,
            knock_reach: 0.97,
            knock_visit_s: 120.0,
            house_spacing_m: 30.0,
            megaphone_dwell_s: 300.0,
            megaphone_reach: 0.75,
            gong_reach: 0.6,
            phone_call_s: 90.0,
            phone_reach: 0.85,
            comply_loudspeaker: 0.55,
            comply_sms: 0.5,
            comply_knock: 0.9,
            comply_megaphone: 0.6,
            comply_gong: 0.5,
            comply_phone: 0.75,
            comply_broadcast: 0.35,
            comply_per_extra_contact: 0.2,
            leave_delay: Delay::ShiftedExponential {
                min: 300.0,
                mean: 900.0,
            },
            institution_muster_s: 300.0,
            team_vehicle_m_s: 8.3,
            boat_m_s: 3.0,
            load_s: 120.0,
            assisted_m_s: 0.76,
            fireline_m_s_per_member: 30.0 / 3600.0,
            on_the_spot_s: 300.0,
            trap_grace_s: 1800.0,
            link_sample_s: 60.0,
            siren_radius_m: 1500.0,
            siren_reach: 0.6,
            comply_siren: 0.4,
            hand_alarm_radius_m: 800.0,
            hand_alarm_reach: 0.6,
            hand_alarm_crank_s: 300.0,
            comply_hand_alarm: 0.5,
            reservoir_broadcast_radius_m: 2000.0,
            wechat_seen: 0.6,
            wechat_delay_max_s: 1800.0,
        }
    }
}

impl SimParams {
    /// The parameters of a run of `scenario`: the defaults with its `behaviour` block
    /// (行为) applied. `drill run`, `drill batch`, `drill exercise` and the editor all
    /// run with these (through `sim::setup::build_run`).
    pub fn for_scenario(scenario: &Scenario) -> SimParams {
        let mut p = SimParams::default();
        p.apply(&scenario.behaviour);
        p
    }

    /// Overrides the parameters a `behaviour` block gives.
    pub fn apply(&mut self, b: &Behaviour) {
        if let Some(v) = b.walk_adults_m_s {
            self.walk_adult_m_s = v;
        }
        if let Some(v) = b.walk_children_m_s {
            // A household walks at its slowest member's pace: children's speed is kept
            // as a share of the adults', which is how the population reads it.
            self.walk_child_factor = v / self.walk_adult_m_s;
        }
        if let Some(r) = b.walk_elderly_m_s {
            self.walk_elderly_m_s = r;
        }
        if let Some(r) = b.walk_disabled_m_s {
            self.walk_limited_m_s = r;
            // Helpers carry or wheel at the top of the limited-mobility range (as the
            // default does with RiMEA's 0.76 m/s).
            self.assisted_m_s = r.1;
        }
        if let Some(p) = b.premovement {
            self.leave_delay = match p {
                Premovement::Fixed(s) => Delay::Fixed(s),
                Premovement::Uniform(a, b) => Delay::Uniform(a, b),
                Premovement::Tail { min, mean } => Delay::ShiftedExponential { min, mean },
            };
        }
        for &(channel, v) in &b.comply {
            *self.comply_mut(channel) = v;
        }
        for &(channel, v) in &b.reach {
            *self.reach_mut(channel) = v;
        }
        if let Some(v) = b.knock_visit_s {
            self.knock_visit_s = v;
        }
        if let Some(v) = b.door_flow_p_m_s {
            self.specific_flow_p_m_s = v;
        }
    }

    /// The compliance chance of a channel (as `systems::warning` reads them: SMS, app
    /// pushes and WeChat share one; loudspeakers and the reservoir broadcast share one;
    /// phone calls and radio messages share one).
    fn comply_mut(&mut self, channel: Channel) -> &mut f64 {
        match channel {
            Channel::Loudspeaker | Channel::ReservoirBroadcast => &mut self.comply_loudspeaker,
            Channel::Sms | Channel::App | Channel::WeChat => &mut self.comply_sms,
            Channel::Siren => &mut self.comply_siren,
            Channel::HandAlarm => &mut self.comply_hand_alarm,
            Channel::DoorKnock => &mut self.comply_knock,
            Channel::Megaphone => &mut self.comply_megaphone,
            Channel::Gong => &mut self.comply_gong,
            Channel::Phone | Channel::Radio => &mut self.comply_phone,
            Channel::Broadcast => &mut self.comply_broadcast,
        }
    }

    /// The reach of one contact by a channel (for SMS and app pushes, the chance the
    /// message is seen; WeChat's own; loudspeakers and the reservoir broadcast share one;
    /// phone calls and radio messages share one).
    fn reach_mut(&mut self, channel: Channel) -> &mut f64 {
        match channel {
            Channel::Loudspeaker | Channel::ReservoirBroadcast => &mut self.loudspeaker_reach,
            Channel::Sms | Channel::App => &mut self.sms_seen,
            Channel::WeChat => &mut self.wechat_seen,
            Channel::Siren => &mut self.siren_reach,
            Channel::HandAlarm => &mut self.hand_alarm_reach,
            Channel::DoorKnock => &mut self.knock_reach,
            Channel::Megaphone => &mut self.megaphone_reach,
            Channel::Gong => &mut self.gong_reach,
            Channel::Phone | Channel::Radio => &mut self.phone_reach,
            Channel::Broadcast => &mut self.broadcast_reach,
        }
    }
}

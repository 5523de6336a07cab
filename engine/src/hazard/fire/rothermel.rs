//! Rothermel (1972) surface fire spread as BehavePlus computes it.
//!
//! The equations follow Rothermel (1972) with Albini's (1976) computer formulation and the
//! BehavePlus conventions documented by Andrews (2018, RMRS-GTR-371): two life categories
//! (dead 1-h, 10-h, 100-h and cured herb; live herb and woody), size-class weighting of net
//! loads, live moisture of extinction (Albini 1976, p. 89), Scott & Burgan (2005) dynamic
//! curing of the live herb load, vector addition of wind and slope (BehavePlus "direction
//! of maximum spread"), the Anderson (1983) length-to-breadth ratio in the form BehavePlus
//! uses, Byram's (1959) fireline intensity and flame length.
//!
//! Internally everything is in Rothermel's units (ft, lb, BTU, minutes) so that the
//! constants stay recognisable; [`SurfaceFire`] reports SI with the unit in each name.

use super::fuel::FuelModel;
use crate::model::FuelMoisture;

/// Metres per foot.
pub const M_PER_FT: f64 = 0.3048;
/// Feet per minute in one metre per second.
pub const FT_MIN_PER_M_S: f64 = 60.0 / M_PER_FT;
/// kW/m in one BTU/ft/s.
const KW_M_PER_BTU_FT_S: f64 = 1.055_055_852_62 / M_PER_FT;
/// kW/m² in one BTU/ft²/min.
const KW_M2_PER_BTU_FT2_MIN: f64 = 1.055_055_852_62 / (M_PER_FT * M_PER_FT) / 60.0;
/// kJ/m² in one BTU/ft².
const KJ_M2_PER_BTU_FT2: f64 = 1.055_055_852_62 / (M_PER_FT * M_PER_FT);

/// Oven-dry particle density, lb/ft³ (Albini 1976, p. 91).
const PARTICLE_DENSITY_LB_FT3: f64 = 32.0;
/// Total and effective mineral (silica) content of standard fuel models.
const TOTAL_SILICA: f64 = 0.0555;
const EFFECTIVE_SILICA: f64 = 0.01;
/// SAV ratios of the 10-h and 100-h dead classes, 1/ft.
const SAV_10H: f64 = 109.0;
const SAV_100H: f64 = 30.0;
/// BehavePlus caps the length-to-breadth ratio at 8.
const MAX_LENGTH_TO_BREADTH: f64 = 8.0;

/// The wind limit: the effective midflame wind above which Rothermel's wind factor is no
/// longer trusted.
///
/// Andrews, Cruz & Rothermel (2013, Int. J. Wildland Fire 22:959) showed the original
/// limit is too low and recommend the revised function (or none); that is the default
/// here. The original is kept for comparing with older BehavePlus runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WindLimit {
    /// No limit.
    None,
    /// Rothermel (1972): U ≤ 0.9 I_R (ft/min, I_R in BTU/ft²/min).
    Rothermel1972,
    /// Andrews, Cruz & Rothermel (2013): U ≤ 96.8 I_R^(1/3).
    #[default]
    AndrewsCruzRothermel2013,
}

/// Properties of a fuel bed at given moistures that do not depend on wind or slope.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fuelbed {
    /// Characteristic surface-area-to-volume ratio σ, 1/ft.
    pub sigma_per_ft: f64,
    /// Packing ratio β and β/β_op.
    pub packing_ratio: f64,
    pub relative_packing_ratio: f64,
    /// Reaction intensity I_R, BTU/ft²/min.
    pub reaction_intensity_btu_ft2_min: f64,
    /// No-wind, no-slope rate of spread R₀, ft/min.
    pub ros0_ft_min: f64,
    /// Wind factor coefficients: φ_w = C U^B (β/β_op)^-E, U in ft/min.
    pub wind_b: f64,
    pub wind_c: f64,
    pub wind_e: f64,
    /// Slope factor coefficient: φ_s = slope_k tan²θ.
    pub slope_k: f64,
    /// Flame residence time τ = 384/σ, minutes (Anderson 1969).
    pub residence_time_min: f64,
    pub depth_ft: f64,
}

impl Fuelbed {
    /// A fuel bed that does not burn (non-burnable model, or too wet).
    pub fn inert(depth_ft: f64) -> Fuelbed {
        Fuelbed {
            sigma_per_ft: 0.0,
            packing_ratio: 0.0,
            relative_packing_ratio: 0.0,
            reaction_intensity_btu_ft2_min: 0.0,
            ros0_ft_min: 0.0,
            wind_b: 0.0,
            wind_c: 0.0,
            wind_e: 0.0,
            slope_k: 0.0,
            residence_time_min: 0.0,
            depth_ft,
        }
    }

    pub fn burns(&self) -> bool {
        self.ros0_ft_min > 0.0
    }

    /// Builds the fuel bed of `model` at `moisture` (percent of dry weight).
    pub fn new(model: &FuelModel, moisture: &FuelMoisture) -> Fuelbed {
        if !model.is_burnable() {
            return Fuelbed::inert(model.depth_ft);
        }
        let m1 = moisture.dead_1h / 100.0;
        let m_herb = moisture.live_herb / 100.0;
        // Dead: 1-h, 10-h, 100-h, cured herb. Live: herb, woody.
        let mut load_dead = [
            model.load_1h_lb_ft2,
            model.load_10h_lb_ft2,
            model.load_100h_lb_ft2,
            0.0,
        ];
        let mut load_live = [model.load_herb_lb_ft2, model.load_woody_lb_ft2];
        let sav_dead = [
            model.sav_1h_per_ft,
            SAV_10H,
            SAV_100H,
            model.sav_herb_per_ft,
        ];
        let sav_live = [model.sav_herb_per_ft, model.sav_woody_per_ft];
        let m_dead = [
            m1,
            moisture.dead_10h / 100.0,
            moisture.dead_100h / 100.0,
            m1,
        ];
        let m_live = [m_herb, moisture.live_woody / 100.0];
        let has_live = load_live.iter().any(|&w| w > 0.0);

        if model.dynamic {
            // Scott & Burgan (2005): fully cured at ≤ 30 %, uncured at ≥ 120 %, linear
            // between. BehavePlus writes the line as 1.333 − 1.11 M; we keep its constants
            // so results agree with it to the last digit.
            let cured = if m_herb < 0.30 {
                1.0
            } else if m_herb <= 1.20 {
                1.333 - 1.11 * m_herb
            } else {
                0.0
            };
            load_dead[3] = load_live[0] * cured;
            load_live[0] -= load_dead[3];
        }

        // Surface areas and their fractions (Rothermel 1972, eqs. 53-57).
        let area = |w: f64, s: f64| w * s / PARTICLE_DENSITY_LB_FT3;
        let area_dead: Vec<f64> = (0..4).map(|i| area(load_dead[i], sav_dead[i])).collect();
        let area_live: Vec<f64> = (0..2).map(|i| area(load_live[i], sav_live[i])).collect();
        let total_dead: f64 = area_dead.iter().sum();
        let total_live: f64 = area_live.iter().sum();
        let frac = |a: &[f64], total: f64| -> Vec<f64> {
            a.iter()
                .map(|&x| if total > 1e-7 { x / total } else { 0.0 })
                .collect()
        };
        let f_dead_ij = frac(&area_dead, total_dead);
        let f_live_ij = frac(&area_live, total_live);
        let f_dead = total_dead / (total_dead + total_live);
        let f_live = 1.0 - f_dead;

        // Size-class weights for net loads (Albini 1976): particles of the same SAV
        // class share the summed area fraction of that class.
        let size_sorted = |sav: &[f64], f: &[f64]| -> Vec<f64> {
            let mut sums = [0.0; 6];
            for (s, x) in sav.iter().zip(f) {
                sums[size_class(*s)] += x;
            }
            sav.iter()
                .map(|s| {
                    if size_class(*s) == 5 {
                        0.0
                    } else {
                        sums[size_class(*s)]
                    }
                })
                .collect()
        };
        let g_dead = size_sorted(&sav_dead, &f_dead_ij);
        let g_live = size_sorted(&sav_live, &f_live_ij);

        let mut net_load = [0.0; 2];
        let mut heat = [0.0; 2];
        let mut silica = [0.0; 2];
        let mut wet = [0.0; 2];
        let mut sav = [0.0; 2];
        let mut total_load = 0.0;
        let mut packing_ratio = 0.0;
        let depth = model.depth_ft;
        for i in 0..4 {
            if sav_dead[i] > 1e-7 {
                net_load[0] += g_dead[i] * load_dead[i] * (1.0 - TOTAL_SILICA);
                heat[0] += f_dead_ij[i] * model.heat_dead_btu_lb;
                silica[0] += f_dead_ij[i] * EFFECTIVE_SILICA;
                wet[0] += f_dead_ij[i] * m_dead[i];
                sav[0] += f_dead_ij[i] * sav_dead[i];
                total_load += load_dead[i];
            }
            packing_ratio += load_dead[i] / (depth * PARTICLE_DENSITY_LB_FT3);
        }
        for i in 0..2 {
            if sav_live[i] > 1e-7 {
                net_load[1] += g_live[i] * load_live[i] * (1.0 - TOTAL_SILICA);
                heat[1] += f_live_ij[i] * model.heat_live_btu_lb;
                silica[1] += f_live_ij[i] * EFFECTIVE_SILICA;
                wet[1] += f_live_ij[i] * m_live[i];
                sav[1] += f_live_ij[i] * sav_live[i];
                total_load += load_live[i];
            }
            packing_ratio += load_live[i] / (depth * PARTICLE_DENSITY_LB_FT3);
        }
        let sigma = f_dead * sav[0] + f_live * sav[1];
        let bulk_density = total_load / depth;
        let beta_op = 3.348 * sigma.powf(-0.8189);
        let beta_ratio = packing_ratio / beta_op;

        // Moistures of extinction: dead from the model, live by Albini (1976, p. 89).
        let mx_dead = model.mx_dead;
        let mx_live = if has_live {
            let mut fine_dead = 0.0;
            let mut fine_dead_wet = 0.0;
            for i in 0..4 {
                if sav_dead[i] > 1e-7 {
                    let w = load_dead[i] * (-138.0 / sav_dead[i]).exp();
                    fine_dead += w;
                    fine_dead_wet += w * m_dead[i];
                }
            }
            let fine_dead_moisture = if fine_dead > 1e-7 {
                fine_dead_wet / fine_dead
            } else {
                0.0
            };
            let fine_live: f64 = (0..2)
                .filter(|&i| sav_live[i] > 1e-7)
                .map(|i| load_live[i] * (-500.0 / sav_live[i]).exp())
                .sum();
            let ratio = if fine_live > 1e-7 {
                fine_dead / fine_live
            } else {
                0.0
            };
            (2.9 * ratio * (1.0 - fine_dead_moisture / mx_dead) - 0.226).max(mx_dead)
        } else {
            0.0
        };

        // Reaction intensity (Rothermel 1972, eq. 27; Albini 1976 for A).
        let a = 133.0 / sigma.powf(0.7913);
        let sigma15 = sigma.powf(1.5);
        let gamma_max = sigma15 / (495.0 + 0.0594 * sigma15);
        let gamma = gamma_max * beta_ratio.powf(a) * (a * (1.0 - beta_ratio)).exp();
        let mut reaction_intensity = 0.0;
        for (life, mx) in [(0, mx_dead), (1, mx_live)] {
            let eta_m = moisture_damping(wet[life], mx);
            let eta_s = if silica[life] > 0.0 {
                (0.174 / silica[life].powf(0.19)).min(1.0)
            } else {
                0.0
            };
            reaction_intensity += gamma * net_load[life] * heat[life] * eta_m * eta_s;
        }

        // Propagating flux ratio and heat sink (eqs. 42, 77).
        let xi = ((0.792 + 0.681 * sigma.sqrt()) * (packing_ratio + 0.1)).exp()
            / (192.0 + 0.2595 * sigma);
        let mut heat_sink = 0.0;
        for i in 0..4 {
            if sav_dead[i] > 1e-7 {
                heat_sink += f_dead
                    * f_dead_ij[i]
                    * (250.0 + 1116.0 * m_dead[i])
                    * (-138.0 / sav_dead[i]).exp();
            }
        }
        for i in 0..2 {
            if sav_live[i] > 1e-7 {
                heat_sink += f_live
                    * f_live_ij[i]
                    * (250.0 + 1116.0 * m_live[i])
                    * (-138.0 / sav_live[i]).exp();
            }
        }
        heat_sink *= bulk_density;
        let ros0 = if heat_sink > 1e-7 {
            reaction_intensity * xi / heat_sink
        } else {
            0.0
        };

        Fuelbed {
            sigma_per_ft: sigma,
            packing_ratio,
            relative_packing_ratio: beta_ratio,
            reaction_intensity_btu_ft2_min: reaction_intensity,
            ros0_ft_min: ros0,
            wind_b: 0.02526 * sigma.powf(0.54),
            wind_c: 7.47 * (-0.133 * sigma.powf(0.55)).exp(),
            wind_e: 0.715 * (-0.000359 * sigma).exp(),
            slope_k: 5.275 * packing_ratio.powf(-0.3),
            residence_time_min: 384.0 / sigma,
            depth_ft: depth,
        }
    }

    /// Rothermel's wind factor φ_w for a midflame wind in ft/min.
    fn phi_wind(&self, wind_ft_min: f64) -> f64 {
        if wind_ft_min < 1e-7 {
            0.0
        } else {
            self.wind_c
                * wind_ft_min.powf(self.wind_b)
                * self.relative_packing_ratio.powf(-self.wind_e)
        }
    }

    /// Fire behaviour in this fuel bed under `conditions`.
    pub fn fire(&self, conditions: &SpreadConditions) -> SurfaceFire {
        let head = self.head(conditions);
        let r = head.ros_ft_min;
        let lb = length_to_breadth(head.effective_wind_ft_min / 88.0);
        let e = eccentricity(lb);
        let back = r * (1.0 - e) / (1.0 + e);
        let flank = (r + back) / 2.0 / lb;
        let ir = self.reaction_intensity_btu_ft2_min;
        let hpa = ir * self.residence_time_min;
        let intensity = r * ir * self.residence_time_min / 60.0;
        let flame_ft = if intensity < 1e-7 {
            0.0
        } else {
            0.45 * intensity.powf(0.46)
        };
        let to_m_s = 1.0 / FT_MIN_PER_M_S;
        SurfaceFire {
            head_ros_m_s: r * to_m_s,
            flank_ros_m_s: flank * to_m_s,
            back_ros_m_s: back * to_m_s,
            no_wind_no_slope_ros_m_s: self.ros0_ft_min * to_m_s,
            max_spread_azimuth_deg: head.azimuth_deg,
            effective_wind_m_s: head.effective_wind_ft_min * to_m_s,
            wind_limit_exceeded: head.limited,
            length_to_breadth: lb,
            eccentricity: e,
            reaction_intensity_kw_m2: ir * KW_M2_PER_BTU_FT2_MIN,
            heat_per_unit_area_kj_m2: hpa * KJ_M2_PER_BTU_FT2,
            fireline_intensity_kw_m: intensity * KW_M_PER_BTU_FT_S,
            flame_length_m: flame_ft * M_PER_FT,
            residence_time_s: self.residence_time_min * 60.0,
        }
    }

    /// Head fire: vector sum of wind and slope effects (BehavePlus), effective wind and
    /// the wind limit.
    pub fn head(&self, c: &SpreadConditions) -> HeadFire {
        if !self.burns() {
            return HeadFire {
                ros_ft_min: 0.0,
                azimuth_deg: 0.0,
                effective_wind_ft_min: 0.0,
                limited: false,
            };
        }
        let r0 = self.ros0_ft_min;
        let phi_s = self.slope_k * c.slope_rise_run * c.slope_rise_run;
        let phi_w = self.phi_wind(c.midflame_wind_m_s * FT_MIN_PER_M_S);
        // Angle from upslope to the direction the wind pushes the fire, clockwise.
        let upslope_deg = c.aspect_deg + 180.0;
        let wind_to_deg = c.wind_from_deg + 180.0;
        let rel = (wind_to_deg - upslope_deg).to_radians();
        let x = r0 * phi_s + r0 * phi_w * rel.cos();
        let y = r0 * phi_w * rel.sin();
        let mut ros = r0 + x.hypot(y);
        let azimuth_deg = if x.hypot(y) > 1e-12 {
            (upslope_deg + y.atan2(x).to_degrees()).rem_euclid(360.0)
        } else {
            wind_to_deg.rem_euclid(360.0)
        };
        let phi_e = ros / r0 - 1.0;
        let mut effective = if phi_e > 0.0 {
            (phi_e * self.relative_packing_ratio.powf(self.wind_e) / self.wind_c)
                .powf(1.0 / self.wind_b)
        } else {
            0.0
        };
        let ir = self.reaction_intensity_btu_ft2_min;
        let limit = match c.wind_limit {
            WindLimit::None => f64::INFINITY,
            WindLimit::Rothermel1972 => 0.9 * ir,
            WindLimit::AndrewsCruzRothermel2013 => 96.8 * ir.cbrt(),
        };
        let limited = effective > limit;
        if limited {
            effective = limit;
            ros = r0 * (1.0 + self.phi_wind(limit));
        }
        HeadFire {
            ros_ft_min: ros,
            azimuth_deg,
            effective_wind_ft_min: effective,
            limited,
        }
    }
}

/// The head fire of a fuel bed under given wind and slope, in Rothermel's units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeadFire {
    pub ros_ft_min: f64,
    /// Direction of maximum spread, degrees clockwise from north (the way the fire moves).
    pub azimuth_deg: f64,
    pub effective_wind_ft_min: f64,
    pub limited: bool,
}

/// Wind and terrain at a fire: what the spread rate depends on besides the fuel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpreadConditions {
    /// Midflame wind speed, m/s.
    pub midflame_wind_m_s: f64,
    /// Direction the wind blows from, degrees clockwise from north.
    pub wind_from_deg: f64,
    /// Slope steepness as rise over run (0.3 = 30 %).
    pub slope_rise_run: f64,
    /// Aspect: the direction the slope faces (downslope), degrees clockwise from north.
    pub aspect_deg: f64,
    pub wind_limit: WindLimit,
}

impl Default for SpreadConditions {
    fn default() -> Self {
        SpreadConditions {
            midflame_wind_m_s: 0.0,
            wind_from_deg: 0.0,
            slope_rise_run: 0.0,
            aspect_deg: 0.0,
            wind_limit: WindLimit::default(),
        }
    }
}

/// Surface fire behaviour, SI.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurfaceFire {
    /// 火头 — head fire rate of spread, m/s.
    pub head_ros_m_s: f64,
    /// 火翼 — flank rate of spread, m/s.
    pub flank_ros_m_s: f64,
    /// 火尾 — backing rate of spread, m/s.
    pub back_ros_m_s: f64,
    pub no_wind_no_slope_ros_m_s: f64,
    /// Direction of maximum spread, degrees clockwise from north.
    pub max_spread_azimuth_deg: f64,
    /// The wind that alone would give the head fire rate (wind and slope combined), m/s.
    pub effective_wind_m_s: f64,
    pub wind_limit_exceeded: bool,
    /// Anderson (1983) length-to-breadth ratio of the fire ellipse.
    pub length_to_breadth: f64,
    pub eccentricity: f64,
    pub reaction_intensity_kw_m2: f64,
    pub heat_per_unit_area_kj_m2: f64,
    /// Byram's fireline intensity of the head fire, kW/m.
    pub fireline_intensity_kw_m: f64,
    /// Byram's flame length of the head fire, m.
    pub flame_length_m: f64,
    pub residence_time_s: f64,
}

impl SurfaceFire {
    /// Rate of spread from the ignition point toward `azimuth_deg` (the point on the
    /// ellipse reached along that ray): R(θ) = R_head (1 − e) / (1 − e cos θ), θ measured
    /// from the direction of maximum spread (BehavePlus "from ignition point").
    pub fn ros_toward_m_s(&self, azimuth_deg: f64) -> f64 {
        let theta = (azimuth_deg - self.max_spread_azimuth_deg).to_radians();
        self.head_ros_m_s * (1.0 - self.eccentricity) / (1.0 - self.eccentricity * theta.cos())
    }
}

/// Anderson (1983) length-to-breadth ratio as BehavePlus evaluates it, with the effective
/// midflame wind in mi/h: 0.936 e^(0.1147 U) + 0.461 e^(−0.0692 U) − 0.397, at most 8.
/// (The coefficients are Anderson's 0.2566 and 0.1548 for U in m/s, divided by 2.237.)
pub fn length_to_breadth(effective_wind_mph: f64) -> f64 {
    if effective_wind_mph <= 1e-7 {
        return 1.0;
    }
    (0.936 * (0.1147 * effective_wind_mph).exp() + 0.461 * (-0.0692 * effective_wind_mph).exp()
        - 0.397)
        .min(MAX_LENGTH_TO_BREADTH)
}

/// Eccentricity of an ellipse with length-to-breadth ratio `lb`.
pub fn eccentricity(lb: f64) -> f64 {
    let x = lb * lb - 1.0;
    if x > 0.0 { x.sqrt() / lb } else { 0.0 }
}

/// Albini & Baughman (1979) wind adjustment factor from 6.1 m (20 ft) to midflame, as
/// BehavePlus computes it: unsheltered (fuel bed depth) unless a canopy fills at least 5 %
/// of the space under it. `canopy_cover` and `crown_ratio` are fractions.
pub fn wind_adjustment_factor(
    fuel_depth_ft: f64,
    canopy_cover: f64,
    canopy_height_ft: f64,
    crown_ratio: f64,
) -> f64 {
    let cover = canopy_cover.clamp(0.0, 1.0);
    let crown_fill = crown_ratio.clamp(0.0, 1.0) * cover / 3.0;
    let waf = if cover < 1e-7 || crown_fill < 0.05 || canopy_height_ft < 6.0 {
        if fuel_depth_ft > 1e-7 {
            1.83 / ((20.0 + 0.36 * fuel_depth_ft) / (0.13 * fuel_depth_ft)).ln()
        } else {
            1.0
        }
    } else {
        let h = canopy_height_ft;
        0.555 / ((crown_fill * h).sqrt() * ((20.0 + 0.36 * h) / (0.13 * h)).ln())
    };
    waf.clamp(0.0, 1.0)
}

/// Rothermel's moisture damping coefficient η_M (eq. 29).
fn moisture_damping(moisture: f64, extinction: f64) -> f64 {
    if extinction <= 0.0 || moisture >= extinction {
        return 0.0;
    }
    let r = moisture / extinction;
    1.0 - 2.59 * r + 5.11 * r * r - 3.52 * r * r * r
}

/// SAV size classes used to weight net loads (Albini 1976): ≥1200, ≥192, ≥96, ≥48, ≥16
/// 1/ft, and 5 for particles too coarse to count.
fn size_class(sav: f64) -> usize {
    if sav >= 1200.0 {
        0
    } else if sav >= 192.0 {
        1
    } else if sav >= 96.0 {
        2
    } else if sav >= 48.0 {
        3
    } else if sav >= 16.0 {
        4
    } else {
        5
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazard::fire::fuel::FuelCatalog;

    fn dry() -> FuelMoisture {
        FuelMoisture {
            dead_1h: 6.0,
            dead_10h: 7.0,
            dead_100h: 8.0,
            live_herb: 60.0,
            live_woody: 90.0,
        }
    }

    #[test]
    fn non_burnable_model_does_not_spread() {
        let catalog = FuelCatalog::standard();
        let bed = Fuelbed::new(catalog.get("NB1").unwrap(), &dry());
        let fire = bed.fire(&SpreadConditions {
            midflame_wind_m_s: 5.0,
            ..Default::default()
        });
        assert_eq!(fire.head_ros_m_s, 0.0);
        assert_eq!(fire.flame_length_m, 0.0);
    }

    #[test]
    fn fuel_wetter_than_extinction_does_not_spread() {
        let catalog = FuelCatalog::standard();
        let wet = FuelMoisture {
            dead_1h: 13.0,
            dead_10h: 13.0,
            dead_100h: 13.0,
            ..dry()
        };
        // FM1 has a dead moisture of extinction of 12 %.
        let bed = Fuelbed::new(catalog.get("FM1").unwrap(), &wet);
        assert!(!bed.burns());
    }

    #[test]
    fn wind_and_slope_increase_spread_and_backing_is_slowest() {
        let catalog = FuelCatalog::standard();
        let bed = Fuelbed::new(catalog.get("GR2").unwrap(), &dry());
        let calm = bed.fire(&SpreadConditions::default());
        let windy = bed.fire(&SpreadConditions {
            midflame_wind_m_s: 3.0,
            ..Default::default()
        });
        let steep = bed.fire(&SpreadConditions {
            slope_rise_run: 0.6,
            ..Default::default()
        });
        assert!(windy.head_ros_m_s > calm.head_ros_m_s && steep.head_ros_m_s > calm.head_ros_m_s);
        assert!(
            windy.back_ros_m_s < windy.flank_ros_m_s && windy.flank_ros_m_s < windy.head_ros_m_s
        );
        assert!((calm.length_to_breadth - 1.0).abs() < 1e-12);
    }

    #[test]
    fn north_wind_drives_fire_south() {
        let catalog = FuelCatalog::standard();
        let bed = Fuelbed::new(catalog.get("GR2").unwrap(), &dry());
        let fire = bed.fire(&SpreadConditions {
            midflame_wind_m_s: 3.0,
            wind_from_deg: 0.0,
            ..Default::default()
        });
        assert!((fire.max_spread_azimuth_deg - 180.0).abs() < 1e-9);
        assert!((fire.ros_toward_m_s(180.0) - fire.head_ros_m_s).abs() < 1e-12);
        assert!((fire.ros_toward_m_s(0.0) - fire.back_ros_m_s).abs() < 1e-9);
    }
}

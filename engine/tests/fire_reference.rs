//! Reference tests of the Rothermel surface fire model against published BehavePlus
//! outputs. Every expected number below is copied from the cited source with its inputs;
//! none is produced by this code.
//!
//! Sources:
//! - [B] firelab/behave (the BehavePlus 6 calculation library, USFS Missoula Fire Sciences
//!   Lab), `src/testBehave/testBehave.cpp` (commit 00e9820ad6b2), functions `testSurfaceSingleFuelModel`,
//!   `testLengthToWidthRatio`, `testEllipticalDimensions`, `testFirelineIntensity` and
//!   `testTwoFuelModels`; expected values to 6 decimals. Common inputs
//!   (`setSurfaceInputsForGS4LowMoistureScenario`): moisture 1-h 6 %, 10-h 7 %, 100-h 8 %,
//!   live herb 60 %, live woody 90 %; 20-ft wind 5 mi/h; wind adjustment from canopy cover
//!   50 %, canopy height 30 ft, crown ratio 0.5; the Rothermel (1972) wind limit, which the
//!   library applies.
//! - [G] pyregence/gridfire, `test/gridfire/behaveplus_results.clj` (commit 04604def5680), table
//!   `behaveplus5-surface-fire-values-mid-with-wind-and-slope`: BehavePlus 5 outputs for the
//!   40 Scott & Burgan models at moisture 1-h 4 %, 10-h 4 %, 100-h 6 %, live herb 75 %,
//!   live woody 70 %, midflame wind 10 mi/h upslope, slope 20 %; BehavePlus 5 applied the
//!   Rothermel (1972) wind limit. Published to 0.1 ch/h, 1 BTU/ft/s and 0.1 ft, so the
//!   tolerance is 1 % or half the last printed digit, whichever is larger.

use drill_engine::hazard::fire::rothermel::{length_to_breadth, wind_adjustment_factor};
use drill_engine::hazard::fire::{FuelCatalog, Fuelbed, SpreadConditions, SurfaceFire, WindLimit};
use drill_engine::model::FuelMoisture;

const M_S_PER_MPH: f64 = 0.44704;
/// One chain per hour in m/s (66 ft per hour).
const M_S_PER_CH_H: f64 = 66.0 * 0.3048 / 3600.0;
const KW_M_PER_BTU_FT_S: f64 = 3.461_469_3;
const M_PER_FT: f64 = 0.3048;

fn moisture(d1: f64, d10: f64, d100: f64, herb: f64, woody: f64) -> FuelMoisture {
    FuelMoisture {
        dead_1h: d1,
        dead_10h: d10,
        dead_100h: d100,
        live_herb: herb,
        live_woody: woody,
    }
}

/// [B]'s GS4 low-moisture scenario, for any model, 20-ft wind, slope, aspect and cover.
fn behave_run(
    code: &str,
    wind_from_deg: f64,
    aspect_deg: f64,
    slope_rise_run: f64,
    canopy_cover: f64,
) -> SurfaceFire {
    let catalog = FuelCatalog::standard();
    let model = catalog.get(code).unwrap();
    let bed = Fuelbed::new(model, &moisture(6.0, 7.0, 8.0, 60.0, 90.0));
    let waf = wind_adjustment_factor(model.depth_ft, canopy_cover, 30.0, 0.5);
    bed.fire(&SpreadConditions {
        midflame_wind_m_s: 5.0 * M_S_PER_MPH * waf,
        wind_from_deg,
        slope_rise_run,
        aspect_deg,
        wind_limit: WindLimit::Rothermel1972,
    })
}

fn ch_h(m_s: f64) -> f64 {
    m_s / M_S_PER_CH_H
}

#[track_caller]
fn assert_rel(observed: f64, expected: f64, rel: f64, what: &str) {
    let err = (observed - expected).abs() / expected.abs().max(1e-12);
    assert!(
        err <= rel,
        "{what}: observed {observed}, expected {expected} (relative error {err:.2e} > {rel:.0e})"
    );
}

// ---- [B] behave testBehave.cpp ---------------------------------------------------------

/// 1 % is the bar; the library's six-decimal values let us hold a much tighter one, which
/// checks the formulation (size classes, curing constants), not just the ballpark.
const TIGHT: f64 = 1e-4;

#[test]
fn gs4_upslope_wind_30_percent_slope_head_flank_back() {
    // [B] testSurfaceSingleFuelModel: "Test upslope oriented mode, 5 mph 20 foot upslope
    // wind" (slope 30 %): 8.876216 ch/h; backing 2.91614659; flanking 5.08766627 ch/h.
    // Upslope wind on a north-facing slope: the wind blows from the north, up the slope.
    let fire = behave_run("GS4", 0.0, 0.0, 0.30, 0.5);
    assert_rel(ch_h(fire.head_ros_m_s), 8.876216, TIGHT, "head");
    assert_rel(ch_h(fire.back_ros_m_s), 2.91614659, TIGHT, "backing");
    assert_rel(ch_h(fire.flank_ros_m_s), 5.08766627, TIGHT, "flanking");
    // [B] testFirelineIntensity: 598.339039 BTU/ft/s = 2072.730450 kW/m.
    assert_rel(
        fire.fireline_intensity_kw_m / KW_M_PER_BTU_FT_S,
        598.339039,
        TIGHT,
        "fireline intensity BTU/ft/s",
    );
    // behave converts with the mean BTU (1.05587 kJ); we use the International Table BTU
    // (1.05505585 kJ), so the kW/m figure differs by 0.08 %: inside the 1 % bar, and the
    // BTU/ft/s value above shows the model itself agrees to 1e-4.
    assert_rel(
        fire.fireline_intensity_kw_m,
        2072.730450,
        1e-2,
        "fireline intensity kW/m",
    );
}

#[test]
fn gs4_cross_slope_wind() {
    // [B] "Test upslope oriented mode, 5 mph 20 foot wind cross-slope left to right (90
    // degrees)": 7.091665 ch/h. Upslope is south (aspect 0); the wind blows toward west.
    let fire = behave_run("GS4", 90.0, 0.0, 0.30, 0.5);
    assert_rel(ch_h(fire.head_ros_m_s), 7.091665, TIGHT, "head");
}

#[test]
fn gs4_north_oriented_wind_and_aspect_combinations() {
    // [B] "20 foot north-east wind (45 degree), 215 degree aspect": 4.113265 ch/h (30 %).
    assert_rel(
        ch_h(behave_run("GS4", 45.0, 215.0, 0.30, 0.5).head_ros_m_s),
        4.113265,
        TIGHT,
        "aspect 215",
    );
    // [B] "20 foot 45 degree wind, 95 degree aspect" (aspect set to 5): 8.503960 ch/h.
    assert_rel(
        ch_h(behave_run("GS4", 45.0, 5.0, 0.30, 0.5).head_ros_m_s),
        8.503960,
        TIGHT,
        "aspect 5",
    );
}

#[test]
fn gs4_30_degree_slope_45_degree_wind_95_degree_aspect() {
    // [B] "Test north oriented mode, 45 degree wind, 5 mph 20 foot wind, 30 degree slope"
    // (aspect 95): 19.677584 ch/h; testLengthToWidthRatio, same inputs: 1.375624.
    let tan30 = 30f64.to_radians().tan();
    let fire = behave_run("GS4", 45.0, 95.0, tan30, 0.5);
    assert_rel(ch_h(fire.head_ros_m_s), 19.677584, TIGHT, "head");
    assert_rel(fire.length_to_breadth, 1.375624, TIGHT, "length-to-breadth");
}

#[test]
fn gs4_length_to_breadth_with_15_mph_wind() {
    // [B] testLengthToWidthRatio: 15 mph 20-ft wind from 45°, aspect 95, 30° slope: 1.519936.
    let catalog = FuelCatalog::standard();
    let model = catalog.get("GS4").unwrap();
    let bed = Fuelbed::new(model, &moisture(6.0, 7.0, 8.0, 60.0, 90.0));
    let waf = wind_adjustment_factor(model.depth_ft, 0.5, 30.0, 0.5);
    let fire = bed.fire(&SpreadConditions {
        midflame_wind_m_s: 15.0 * M_S_PER_MPH * waf,
        wind_from_deg: 45.0,
        slope_rise_run: 30f64.to_radians().tan(),
        aspect_deg: 95.0,
        wind_limit: WindLimit::Rothermel1972,
    });
    assert_rel(fire.length_to_breadth, 1.519936, TIGHT, "length-to-breadth");
}

#[test]
fn anderson_1983_length_to_breadth_and_ellipse_at_5_mph_midflame() {
    // [B] testLengthToWidthRatio: 5 mph direct midflame wind, flat: 1.590064;
    // [B] testEllipticalDimensions: heading-to-backing ratio 7.988029 (GS4, same inputs).
    let catalog = FuelCatalog::standard();
    let bed = Fuelbed::new(
        catalog.get("GS4").unwrap(),
        &moisture(6.0, 7.0, 8.0, 60.0, 90.0),
    );
    let fire = bed.fire(&SpreadConditions {
        midflame_wind_m_s: 5.0 * M_S_PER_MPH,
        wind_limit: WindLimit::Rothermel1972,
        ..Default::default()
    });
    assert_rel(fire.length_to_breadth, 1.590064, TIGHT, "length-to-breadth");
    assert_rel(
        fire.head_ros_m_s / fire.back_ros_m_s,
        7.988029,
        TIGHT,
        "heading to backing",
    );
    // Calm: [B] "0 mph 20 foot wind, 0 degree slope": 1.0.
    assert_eq!(length_to_breadth(0.0), 1.0);
}

#[test]
fn fm4_cross_wind_30_degree_slope_40_percent_cover() {
    // [B] "Test Fuel Model 4, north oriented mode, 20 foot 90 degree wind, 0 degree
    // aspect, 40 percent canopy cover" (30° slope): 46.631688 ch/h.
    let fire = behave_run("FM4", 90.0, 0.0, 30f64.to_radians().tan(), 0.4);
    assert_rel(ch_h(fire.head_ros_m_s), 46.631688, TIGHT, "head");
}

#[test]
fn fm1_upslope_wind_30_percent_slope() {
    // [B] testTwoFuelModels, "First fuel model coverage 100" (fuel model 1 alone, GS4
    // scenario, upslope 5 mph 20-ft wind, 30 %): 21.971217 ch/h.
    let fire = behave_run("FM1", 0.0, 0.0, 0.30, 0.5);
    assert_rel(ch_h(fire.head_ros_m_s), 21.971217, TIGHT, "head");
}

#[test]
fn non_burnable_fuel_does_not_spread() {
    // [B] "Test Non-Burnable Fuel" (model 91 = NB1): 0.0.
    assert_eq!(behave_run("NB1", 0.0, 0.0, 0.30, 0.5).head_ros_m_s, 0.0);
}

// ---- [G] BehavePlus 5, Scott & Burgan 40 --------------------------------------------------

/// [G] `behaveplus5-surface-fire-values-mid-with-wind-and-slope`: model, ROS (ch/h),
/// fireline intensity (BTU/ft/s), flame length (ft), reaction intensity (BTU/ft²/min).
const BEHAVEPLUS5_MID_WIND_10_SLOPE_20: &[(&str, f64, f64, f64, f64)] = &[
    ("GR1", 11.9, 18.0, 1.7, 448.0),
    ("GR2", 72.0, 318.0, 6.4, 1140.0),
    ("GR3", 84.1, 659.0, 8.9, 1435.0),
    ("GR4", 148.3, 1277.0, 12.1, 2233.0),
    ("GR5", 113.8, 1965.0, 14.7, 3998.0),
    ("GR6", 148.8, 3055.0, 18.0, 5852.0),
    ("GR7", 223.7, 6814.0, 26.1, 7937.0),
    ("GR8", 182.0, 9107.0, 29.8, 9254.0),
    ("GR9", 326.3, 19924.0, 42.7, 13981.0),
    ("GS1", 47.1, 243.0, 5.6, 1345.0),
    ("GS2", 70.8, 625.0, 8.7, 2291.0),
    ("GS3", 85.2, 1275.0, 12.1, 3429.0),
    ("GS4", 85.1, 5874.0, 24.4, 16001.0),
    ("SH1", 2.1, 3.0, 0.8, 369.0),
    ("SH2", 24.6, 629.0, 8.7, 6083.0),
    ("SH3", 12.6, 128.0, 4.2, 1981.0),
    ("SH4", 108.3, 1636.0, 13.5, 3610.0),
    ("SH5", 174.2, 5603.0, 23.9, 5720.0),
    ("SH6", 68.2, 2254.0, 15.7, 5375.0),
    ("SH7", 113.6, 4972.0, 22.6, 7668.0),
    ("SH8", 69.6, 2991.0, 17.9, 8462.0),
    ("SH9", 123.9, 8914.0, 29.5, 14085.0),
    ("TU1", 9.6, 76.0, 3.3, 1816.0),
    ("TU2", 40.5, 333.0, 6.5, 2059.0),
    ("TU3", 77.5, 1297.0, 12.2, 3828.0),
    ("TU4", 46.4, 1013.0, 10.9, 6882.0),
    ("TU5", 26.0, 1360.0, 12.4, 9075.0),
    ("TL1", 1.2, 3.0, 0.7, 527.0),
    ("TL2", 3.1, 9.0, 1.2, 769.0),
    ("TL3", 4.3, 18.0, 1.7, 881.0),
    ("TL4", 7.4, 37.0, 2.4, 1101.0),
    ("TL5", 14.0, 101.0, 3.8, 1751.0),
    ("TL6", 19.7, 179.0, 4.9, 2500.0),
    ("TL7", 7.6, 77.0, 3.3, 1779.0),
    ("TL8", 18.7, 270.0, 5.9, 3617.0),
    ("TL9", 27.8, 591.0, 8.5, 5243.0),
    ("SB1", 19.3, 226.0, 5.5, 2753.0),
    ("SB2", 50.1, 1038.0, 11.0, 5547.0),
    ("SB3", 92.1, 2558.0, 16.6, 7633.0),
    ("SB4", 177.7, 5281.0, 23.2, 8049.0),
];

#[track_caller]
fn assert_printed(observed: f64, printed: f64, half_digit: f64, what: &str) {
    let tol = (0.01 * printed.abs()).max(half_digit * 1.0001);
    assert!(
        (observed - printed).abs() <= tol,
        "{what}: observed {observed:.4}, BehavePlus 5 printed {printed} (tolerance {tol:.4})"
    );
}

#[test]
fn scott_burgan_40_match_behaveplus5_at_10_mph_upslope_wind_and_20_percent_slope() {
    let catalog = FuelCatalog::standard();
    let m = moisture(4.0, 4.0, 6.0, 75.0, 70.0);
    for &(code, ros_ch_h, fli_btu_ft_s, flame_ft, ir_btu_ft2_min) in
        BEHAVEPLUS5_MID_WIND_10_SLOPE_20
    {
        let bed = Fuelbed::new(catalog.get(code).unwrap(), &m);
        let fire = bed.fire(&SpreadConditions {
            midflame_wind_m_s: 10.0 * M_S_PER_MPH,
            wind_from_deg: 0.0,
            slope_rise_run: 0.20,
            aspect_deg: 0.0,
            wind_limit: WindLimit::Rothermel1972,
        });
        assert_printed(
            ch_h(fire.head_ros_m_s),
            ros_ch_h,
            0.05,
            &format!("{code} rate of spread ch/h"),
        );
        assert_printed(
            fire.fireline_intensity_kw_m / KW_M_PER_BTU_FT_S,
            fli_btu_ft_s,
            0.5,
            &format!("{code} fireline intensity"),
        );
        assert_printed(
            fire.flame_length_m / M_PER_FT,
            flame_ft,
            0.05,
            &format!("{code} flame length"),
        );
        let ir = fire.reaction_intensity_kw_m2 / (1.055_055_852_62 / (M_PER_FT * M_PER_FT) / 60.0);
        assert_printed(
            ir,
            ir_btu_ft2_min,
            0.5,
            &format!("{code} reaction intensity"),
        );
    }
}

/// [G] `behaveplus5-surface-fire-values-mid-with-cross-wind-and-slope-90-180` (same
/// moistures, 10 mi/h midflame wind from 90°, slope 20 % facing 180°): model, ROS (ch/h),
/// direction of maximum spread (degrees from north), effective wind (mi/h). A subset of
/// the table, including two models where the wind limit binds (GR1, TL1).
const BEHAVEPLUS5_CROSS_WIND_90_ASPECT_180: &[(&str, f64, f64, f64)] = &[
    ("GR1", 11.9, 271.0, 4.6),
    ("GR2", 70.5, 271.0, 10.0),
    ("GS2", 69.3, 271.0, 10.0),
    ("SH5", 170.3, 271.0, 10.0),
    ("TU1", 9.3, 272.0, 10.0),
    ("TL1", 1.2, 272.0, 5.4),
    ("TL3", 4.3, 272.0, 9.0),
    ("SB4", 173.6, 271.0, 10.0),
];

#[test]
fn cross_slope_wind_direction_and_effective_wind_match_behaveplus5() {
    let catalog = FuelCatalog::standard();
    let m = moisture(4.0, 4.0, 6.0, 75.0, 70.0);
    for &(code, ros_ch_h, direction_deg, effective_mph) in BEHAVEPLUS5_CROSS_WIND_90_ASPECT_180 {
        let bed = Fuelbed::new(catalog.get(code).unwrap(), &m);
        let fire = bed.fire(&SpreadConditions {
            midflame_wind_m_s: 10.0 * M_S_PER_MPH,
            wind_from_deg: 90.0,
            slope_rise_run: 0.20,
            aspect_deg: 180.0,
            wind_limit: WindLimit::Rothermel1972,
        });
        assert_printed(
            ch_h(fire.head_ros_m_s),
            ros_ch_h,
            0.05,
            &format!("{code} rate of spread ch/h"),
        );
        assert_printed(
            fire.max_spread_azimuth_deg,
            direction_deg,
            0.5,
            &format!("{code} direction"),
        );
        assert_printed(
            fire.effective_wind_m_s / M_S_PER_MPH,
            effective_mph,
            0.05,
            &format!("{code} effective wind"),
        );
    }
}

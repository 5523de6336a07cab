//! 可燃物模型 — the standard fire behaviour fuel models: the 13 of Anderson (1982) and
//! the 40 of Scott & Burgan (2005), plus the non-burnable NB models.
//!
//! The table lives in `assets/data/fuel_models.csv` (sources cited in its header). The
//! CLI reads the file through [`crate::io`]; tests and pure callers use the copy embedded
//! with `include_str!` ([`FuelCatalog::standard`]). Parsing is pure.
//!
//! Fields keep the units of the published tables and of Rothermel's equations (feet,
//! pounds, BTU), and say so in their names; everything the fire model hands out is SI.

/// The fuel table as shipped, embedded for tests and pure use.
pub const STANDARD_FUEL_MODELS_CSV: &str = include_str!("../../../../assets/data/fuel_models.csv");

/// Tons per acre to pounds per square foot (2000 lb / 43 560 ft²).
const TONS_PER_ACRE_TO_LB_PER_FT2: f64 = 2000.0 / 43560.0;

/// One standard fuel model (燃料模型), in the units of the published tables.
#[derive(Debug, Clone, PartialEq)]
pub struct FuelModel {
    /// "FM4", "GS2", "TL3", "NB1" ...
    pub code: String,
    /// The standard number: 1-13 (Anderson), 91-99 (NB), 101-204 (Scott & Burgan).
    pub number: u16,
    pub name: String,
    pub depth_ft: f64,
    /// Dead fuel moisture of extinction, fraction of dry weight.
    pub mx_dead: f64,
    pub heat_dead_btu_lb: f64,
    pub heat_live_btu_lb: f64,
    pub load_1h_lb_ft2: f64,
    pub load_10h_lb_ft2: f64,
    pub load_100h_lb_ft2: f64,
    pub load_herb_lb_ft2: f64,
    pub load_woody_lb_ft2: f64,
    pub sav_1h_per_ft: f64,
    pub sav_herb_per_ft: f64,
    pub sav_woody_per_ft: f64,
    /// Scott & Burgan dynamic model: live herbaceous load cures to dead with moisture.
    pub dynamic: bool,
}

impl FuelModel {
    /// Non-burnable models (NB) and any model without fine fuel never carry fire.
    pub fn is_burnable(&self) -> bool {
        self.depth_ft > 0.0
            && self.load_1h_lb_ft2
                + self.load_10h_lb_ft2
                + self.load_100h_lb_ft2
                + self.load_herb_lb_ft2
                + self.load_woody_lb_ft2
                > 0.0
    }
}

/// The set of fuel models a scenario may name.
#[derive(Debug, Clone, PartialEq)]
pub struct FuelCatalog {
    models: Vec<FuelModel>,
}

impl FuelCatalog {
    /// The standard table embedded in the binary.
    pub fn standard() -> FuelCatalog {
        // The embedded table is checked by the tests below; a failure here is a build defect.
        FuelCatalog::parse(STANDARD_FUEL_MODELS_CSV).expect("embedded fuel_models.csv is valid")
    }

    /// Parses the CSV table (see the file's header for the columns). Errors name the line.
    pub fn parse(text: &str) -> Result<FuelCatalog, String> {
        let mut models = Vec::new();
        let mut header_seen = false;
        for (index, raw) in text.lines().enumerate() {
            let line_no = index + 1;
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if !header_seen {
                header_seen = true;
                if !line.starts_with("code,") {
                    return Err(format!(
                        "fuel table line {line_no}: expected the header row starting with 'code,'"
                    ));
                }
                continue;
            }
            models.push(parse_row(line).map_err(|e| format!("fuel table line {line_no}: {e}"))?);
        }
        if models.is_empty() {
            return Err("fuel table has no fuel models".to_string());
        }
        for (i, m) in models.iter().enumerate() {
            if models[..i]
                .iter()
                .any(|o| o.code == m.code || o.number == m.number)
            {
                return Err(format!(
                    "fuel table: model {} ({}) is listed twice",
                    m.code, m.number
                ));
            }
        }
        Ok(FuelCatalog { models })
    }

    pub fn models(&self) -> &[FuelModel] {
        &self.models
    }

    /// Index of a model by code ("GS2", "gs2", "FM4"), Anderson number ("4") or standard
    /// number ("122").
    pub fn index_of(&self, name: &str) -> Option<usize> {
        let name = name.trim();
        if let Ok(number) = name.parse::<u16>() {
            return self.models.iter().position(|m| m.number == number);
        }
        self.models
            .iter()
            .position(|m| m.code.eq_ignore_ascii_case(name))
    }

    pub fn get(&self, name: &str) -> Result<&FuelModel, String> {
        self.index_of(name).map(|i| &self.models[i]).ok_or_else(|| {
            let codes: Vec<&str> = self.models.iter().map(|m| m.code.as_str()).collect();
            format!(
                "unknown fuel model '{name}'; known: {} (or Anderson numbers 1-13)",
                codes.join(" ")
            )
        })
    }

    pub fn by_index(&self, index: usize) -> &FuelModel {
        &self.models[index]
    }
}

fn parse_row(line: &str) -> Result<FuelModel, String> {
    let cols: Vec<&str> = line.split(',').map(str::trim).collect();
    if cols.len() != 17 {
        return Err(format!("expected 17 columns, found {}", cols.len()));
    }
    let num = |i: usize, what: &str| -> Result<f64, String> {
        let v: f64 = cols[i]
            .parse()
            .map_err(|_| format!("{what} '{}' is not a number", cols[i]))?;
        if v.is_finite() && v >= 0.0 {
            Ok(v)
        } else {
            Err(format!("{what} must be a non-negative number"))
        }
    };
    let load_factor = match cols[2] {
        "lb/ft2" => 1.0,
        "t/ac" => TONS_PER_ACRE_TO_LB_PER_FT2,
        other => return Err(format!("load unit '{other}' is not lb/ft2 or t/ac")),
    };
    let number: u16 = cols[1]
        .parse()
        .map_err(|_| format!("model number '{}' is not an integer", cols[1]))?;
    let dynamic = match cols[15] {
        "0" => false,
        "1" => true,
        other => return Err(format!("dynamic flag '{other}' is not 0 or 1")),
    };
    Ok(FuelModel {
        code: cols[0].to_string(),
        number,
        name: cols[16].to_string(),
        depth_ft: num(3, "depth")?,
        mx_dead: num(4, "moisture of extinction")? / 100.0,
        heat_dead_btu_lb: num(5, "dead heat content")?,
        heat_live_btu_lb: num(6, "live heat content")?,
        load_1h_lb_ft2: num(7, "1-h load")? * load_factor,
        load_10h_lb_ft2: num(8, "10-h load")? * load_factor,
        load_100h_lb_ft2: num(9, "100-h load")? * load_factor,
        load_herb_lb_ft2: num(10, "live herb load")? * load_factor,
        load_woody_lb_ft2: num(11, "live woody load")? * load_factor,
        sav_1h_per_ft: num(12, "1-h SAV")?,
        sav_herb_per_ft: num(13, "herb SAV")?,
        sav_woody_per_ft: num(14, "woody SAV")?,
        dynamic,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_table_has_all_53_models_and_5_non_burnable() {
        let catalog = FuelCatalog::standard();
        assert_eq!(catalog.models().len(), 13 + 40 + 5);
        assert_eq!(
            catalog.models().iter().filter(|m| !m.is_burnable()).count(),
            5
        );
    }

    #[test]
    fn lookup_by_code_number_and_case() {
        let catalog = FuelCatalog::standard();
        assert_eq!(catalog.get("4").unwrap().code, "FM4");
        assert_eq!(catalog.get("gs2").unwrap().number, 122);
        assert_eq!(catalog.get("183").unwrap().code, "TL3");
        let err = catalog.get("XX9").unwrap_err();
        assert!(err.contains("unknown fuel model 'XX9'"), "{err}");
    }

    #[test]
    fn scott_burgan_loads_are_converted_from_tons_per_acre() {
        // S&B 2005 Table 7: GS2 1-h load 0.5 t/ac = 0.5 * 2000 / 43560 lb/ft².
        let gs2 = FuelCatalog::standard().get("GS2").unwrap().clone();
        assert!((gs2.load_1h_lb_ft2 - 0.5 * 2000.0 / 43560.0).abs() < 1e-12);
        assert!(gs2.dynamic);
    }

    #[test]
    fn bad_rows_are_reported_with_line_numbers() {
        let text = "code,number\nFM1,1,lb/ft2,1.0,12,8000,8000,abc,0,0,0,0,3500,1500,1500,0,x\n";
        let err = FuelCatalog::parse(text).unwrap_err();
        assert!(err.contains("line 2") && err.contains("1-h load"), "{err}");
    }
}

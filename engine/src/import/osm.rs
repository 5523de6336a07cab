//! OpenStreetMap extracts: `.osm` XML (read with `quick-xml`, as JOSM, the Overpass
//! API or `osmium cat` write it) and `.osm.pbf` (read with `osmpbf`). Nodes with tags
//! become points, ways become lines, closed ways that are areas (a building, an
//! `area=yes`, a landuse) become polygons; relations are skipped (multipolygon
//! buildings are rare in villages). Coordinates are WGS 84 already.

use super::{Feature, Geom, LonLat};
use std::collections::{BTreeMap, HashMap};

/// Nodes' positions and the tagged nodes and ways, as both formats give them.
#[derive(Default)]
struct Osm {
    nodes: HashMap<i64, LonLat>,
    tagged_nodes: Vec<(i64, BTreeMap<String, String>)>,
    ways: Vec<(Vec<i64>, BTreeMap<String, String>)>,
}

impl Osm {
    fn into_features(self) -> Result<Vec<Feature>, String> {
        let mut out = Vec::with_capacity(self.tagged_nodes.len() + self.ways.len());
        for (id, tags) in self.tagged_nodes {
            if let Some(p) = self.nodes.get(&id) {
                out.push(Feature {
                    geom: Geom::Point(*p),
                    tags,
                });
            }
        }
        for (refs, tags) in self.ways {
            if tags.is_empty() {
                continue;
            }
            // A way whose nodes lie outside the extract is cut where they are missing.
            let pts: Vec<LonLat> = refs
                .iter()
                .filter_map(|r| self.nodes.get(r).copied())
                .collect();
            if pts.len() < 2 {
                continue;
            }
            let closed = refs.len() > 3 && refs.first() == refs.last();
            let area = closed
                && (tags.contains_key("building")
                    || tags.get("area").is_some_and(|a| a == "yes")
                    || tags.contains_key("landuse")
                    || tags.contains_key("amenity")
                    || tags.contains_key("emergency"));
            out.push(Feature {
                geom: if area {
                    Geom::Polygon(pts)
                } else {
                    Geom::Line(pts)
                },
                tags,
            });
            if out.len() > crate::limits::MAX_IMPORT_FEATURES {
                return Err(format!(
                    "more than {} features",
                    crate::limits::MAX_IMPORT_FEATURES
                ));
            }
        }
        Ok(out)
    }
}

/// Reads an OpenStreetMap XML document.
pub fn read_xml(bytes: &[u8]) -> Result<Vec<Feature>, String> {
    use quick_xml::events::{BytesStart, Event};
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format!("not UTF-8 XML (invalid byte at offset {})", e.valid_up_to()))?;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut osm = Osm::default();
    let attrs = |e: &BytesStart<'_>| -> Result<BTreeMap<String, String>, String> {
        let mut m = BTreeMap::new();
        for a in e.attributes() {
            let a = a.map_err(|err| format!("bad XML attribute: {err}"))?;
            let v = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|err| format!("bad XML attribute: {err}"))?;
            m.insert(
                String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                v.into_owned(),
            );
        }
        Ok(m)
    };
    // The element being read: a node (id) or a way (its refs), and its tags.
    enum Open {
        None,
        Node(i64),
        Way(Vec<i64>),
    }
    let mut open = Open::None;
    let mut tags = BTreeMap::new();
    let mut seen_osm = false;
    loop {
        let ev = reader.read_event().map_err(|e| {
            format!(
                "not well-formed XML at byte {}: {e}",
                reader.buffer_position()
            )
        })?;
        let (e, empty) = match &ev {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                match e.name().as_ref() {
                    b"node" => {
                        if let Open::Node(id) = open
                            && !tags.is_empty()
                        {
                            osm.tagged_nodes.push((id, std::mem::take(&mut tags)));
                        }
                        open = Open::None;
                    }
                    b"way" => {
                        if let Open::Way(refs) = std::mem::replace(&mut open, Open::None) {
                            osm.ways.push((refs, std::mem::take(&mut tags)));
                        }
                    }
                    _ => {}
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        match e.name().as_ref() {
            b"osm" => seen_osm = true,
            b"node" => {
                let a = attrs(e)?;
                let num = |k: &str| a.get(k).and_then(|v| v.parse::<f64>().ok());
                let (Some(id), Some(lat), Some(lon)) = (
                    a.get("id").and_then(|v| v.parse::<i64>().ok()),
                    num("lat"),
                    num("lon"),
                ) else {
                    return Err("a <node> without id, lat or lon".into());
                };
                osm.nodes.insert(id, (lon, lat));
                tags.clear();
                open = if empty { Open::None } else { Open::Node(id) };
            }
            b"way" => {
                tags.clear();
                open = if empty {
                    Open::None
                } else {
                    Open::Way(Vec::new())
                };
            }
            b"nd" => {
                if let Open::Way(refs) = &mut open
                    && let Some(r) = attrs(e)?.get("ref").and_then(|v| v.parse().ok())
                {
                    refs.push(r);
                }
            }
            b"tag" if !matches!(open, Open::None) => {
                let a = attrs(e)?;
                if let (Some(k), Some(v)) = (a.get("k"), a.get("v")) {
                    tags.insert(k.clone(), v.clone());
                }
            }
            b"relation" => open = Open::None,
            _ => {}
        }
    }
    if !seen_osm {
        return Err("no <osm> element: not an OpenStreetMap XML file".into());
    }
    osm.into_features()
}

/// Reads an OpenStreetMap PBF extract.
pub fn read_pbf(bytes: &[u8]) -> Result<Vec<Feature>, String> {
    use osmpbf::{Element, ElementReader};
    let reader = ElementReader::new(std::io::Cursor::new(bytes));
    let mut osm = Osm::default();
    let tags_of = |it: &mut dyn Iterator<Item = (&str, &str)>| -> BTreeMap<String, String> {
        it.map(|(k, v)| (k.to_string(), v.to_string())).collect()
    };
    reader
        .for_each(|el| match el {
            Element::Node(n) => {
                osm.nodes.insert(n.id(), (n.lon(), n.lat()));
                let t = tags_of(&mut n.tags());
                if !t.is_empty() {
                    osm.tagged_nodes.push((n.id(), t));
                }
            }
            Element::DenseNode(n) => {
                osm.nodes.insert(n.id(), (n.lon(), n.lat()));
                let t = tags_of(&mut n.tags());
                if !t.is_empty() {
                    osm.tagged_nodes.push((n.id(), t));
                }
            }
            Element::Way(w) => {
                let t = tags_of(&mut w.tags());
                if !t.is_empty() {
                    osm.ways.push((w.refs().collect(), t));
                }
            }
            Element::Relation(_) => {}
        })
        .map_err(|e| format!("not a readable OSM PBF file ({e})"))?;
    osm.into_features()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_nodes_ways_and_areas() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
 <node id="1" lat="30.0" lon="119.0"/>
 <node id="2" lat="30.0" lon="119.001"/>
 <node id="3" lat="30.001" lon="119.001"/>
 <node id="4" lat="30.0" lon="119.002"><tag k="emergency" v="assembly_point"/><tag k="name" v="村委会广场 &amp; 操场"/></node>
 <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="1"/><tag k="building" v="house"/></way>
 <way id="11"><nd ref="1"/><nd ref="4"/><tag k="highway" v="track"/></way>
</osm>"#;
        let f = read_xml(xml.as_bytes()).unwrap();
        assert_eq!(f.len(), 3);
        assert_eq!(f[0].tags["name"], "村委会广场 & 操场");
        assert!(matches!(f[1].geom, Geom::Polygon(ref p) if p.len() == 4));
        assert!(matches!(f[2].geom, Geom::Line(ref p) if p.len() == 2));
        assert!(read_xml(b"<html></html>").is_err());
        assert!(
            read_xml(b"<osm><node id='1'").is_err()
                || read_xml(b"<osm><node id='1'").unwrap().is_empty()
        );
    }
}

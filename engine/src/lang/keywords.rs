//! Keywords and their Chinese aliases (the table at the end of `docs/LANGUAGE.md`).
//!
//! A keyword is identified by its English spelling; [`is`] accepts either form.
//! Where one Chinese word serves two keywords (转移 is the verb `evacuate` and the
//! skill `evacuation`), the position in the statement decides, so both entries list it.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// `(keyword, Chinese aliases)`.
pub const KEYWORDS: &[(&str, &[&str])] = &[
    ("scenario", &["场景"]),
    ("map", &["地图"]),
    ("roles", &["角色"]),
    ("resources", &["资源", "物资"]),
    ("teams", &["队伍"]),
    ("hazard", &["灾害"]),
    ("plan", &["预案"]),
    ("injects", &["注入", "情景注入"]),
    ("scoring", &["评分"]),
    ("include", &["引用"]),
    ("actions", &["行动记录"]),
    ("trainer", &["导调"]),
    ("id", &["编号"]),
    ("title", &["标题"]),
    ("start", &["开始"]),
    ("duration", &["时长"]),
    ("seed", &["种子"]),
    ("step", &["步长"]),
    ("cell", &["网格"]),
    ("terrain", &["地形"]),
    ("grid", &["栅格"]),
    ("vertical", &["垂直"]),
    ("basemap", &["底图"]),
    ("opacity", &["不透明度"]),
    ("origin", &["原点"]),
    ("datum", &["坐标系"]),
    ("coordinates", &["坐标"]),
    ("metres", &["平面"]),
    ("lonlat", &["经纬度"]),
    ("wgs84", &["地球坐标"]),
    ("cgcs2000", &["国家大地坐标"]),
    ("gcj02", &["火星坐标"]),
    ("bd09", &["百度坐标"]),
    ("place", &["地点"]),
    ("shelter", &["避灾点"]),
    ("institution", &["单位"]),
    ("school", &["学校", "寄宿学校"]),
    ("nursing_home", &["敬老院", "养老院"]),
    ("factory", &["工厂"]),
    ("construction_site", &["工地"]),
    ("worksite", &["作业点", "农场", "茶场", "林场"]),
    ("staff", &["职工", "工作人员"]),
    ("responsible", &["负责人"]),
    ("road", &["道路"]),
    ("path", &["小路"]),
    ("bridge", &["桥"]),
    ("river", &["河流"]),
    ("zone", &["危险区"]),
    ("at", &["位于"]),
    ("kind", &["类型"]),
    ("households", &["户数", "户"]),
    ("people", &["人数", "人"]),
    ("capacity", &["容量"]),
    ("width", &["宽"]),
    ("length", &["长"]),
    ("via", &["途经", "经"]),
    ("over", &["跨", "历时"]),
    ("from", &["从"]),
    ("to", &["到"]),
    ("level", &["等级"]),
    ("polygon", &["范围"]),
    ("dangerous", &["危险"]),
    ("elderly", &["老人"]),
    ("disabled", &["残疾人"]),
    ("children", &["儿童"]),
    ("dilapidated", &["危房户"]),
    ("outdoor_workers", &["户外作业"]),
    ("adults", &["成人"]),
    ("water", &["供水"]),
    ("power", &["供电"]),
    ("medical", &["医疗"]),
    ("barrier_free", &["无障碍"]),
    ("food", &["食品"]),
    ("beds", &["床位"]),
    ("red", &["红"]),
    ("orange", &["橙"]),
    ("yellow", &["黄"]),
    ("blue", &["蓝"]),
    ("county", &["县"]),
    ("township", &["乡镇"]),
    ("village", &["村"]),
    ("group", &["组"]),
    ("commander", &["指挥官"]),
    ("count", &["名额"]),
    ("post", &["岗位"]),
    ("settlement", &["居民点"]),
    ("office", &["办公"]),
    ("station", &["驻地站"]),
    ("plant", &["工厂"]),
    ("junction", &["路口"]),
    ("radius", &["半径"]),
    ("members", &["队员"]),
    ("base", &["驻地"]),
    ("arrives", &["到达"]),
    ("skills", &["技能"]),
    ("equipment", &["装备"]),
    ("flood", &["洪水"]),
    ("fire", &["火灾"]),
    ("chemical", &["危化"]),
    ("rain", &["降雨"]),
    ("inflow", &["来水", "泄洪"]),
    ("manning", &["糙率"]),
    ("ignition", &["起火点", "起火"]),
    ("fuel", &["可燃物"]),
    ("in", &["于"]),
    ("wind", &["风"]),
    ("moisture", &["含水率"]),
    ("herb", &["草本"]),
    ("woody", &["木本"]),
    ("source", &["泄漏源"]),
    ("substance", &["物质"]),
    ("release", &["泄漏"]),
    ("rate", &["速率"]),
    ("mass", &["质量"]),
    ("for", &["持续"]),
    ("height", &["高度"]),
    ("weather", &["气象"]),
    ("urban", &["城区"]),
    ("rural", &["乡村"]),
    ("task", &["任务"]),
    ("when", &["当"]),
    ("after", &["之后"]),
    ("done", &["完成"]),
    ("before", &["之前"]),
    ("return", &["返回"]),
    ("who", &["谁"]),
    ("do", &["做"]),
    ("how", &["方式"]),
    ("with", &["用"]),
    ("within", &["时限"]),
    ("by", &["截止"]),
    ("require", &["要求"]),
    ("warning", &["预警"]),
    ("inject", &["注入"]),
    ("danger", &["危险"]),
    ("all", &["全部"]),
    ("warn", &["预警"]),
    ("knock_doors", &["敲门"]),
    ("evacuate", &["转移"]),
    ("open", &["开放"]),
    ("report_at_post", &["到岗"]),
    ("assess", &["评估"]),
    ("close", &["封闭"]),
    ("roadblock", &["设卡"]),
    ("rescue", &["救援"]),
    ("fire_line", &["隔离带"]),
    ("shelter_in_place", &["就地避险"]),
    ("report", &["上报"]),
    ("loudspeaker", &["大喇叭"]),
    ("sms", &["短信"]),
    ("app", &["推送"]),
    ("door_knock", &["上门", "敲门"]),
    ("megaphone", &["扩音器"]),
    ("gong", &["锣"]),
    ("phone", &["电话"]),
    ("radio", &["对讲机"]),
    ("broadcast", &["广播"]),
    ("siren", &["警报器", "警报"]),
    ("hand_alarm", &["手摇报警器"]),
    ("reservoir_broadcast", &["水库广播"]),
    ("wechat", &["微信群", "微信"]),
    ("satellite_phone", &["卫星电话"]),
    ("generator", &["发电机"]),
    ("pump", &["水泵"]),
    ("micro_fire_station", &["微型消防站"]),
    ("boat", &["船"]),
    ("vehicle", &["车辆"]),
    ("drone", &["无人机"]),
    ("life_detector", &["生命探测仪"]),
    ("fire_tools", &["扑火工具"]),
    ("protective_gear", &["防护装备"]),
    ("gas_detector", &["气体检测仪"]),
    ("backup_power", &["备用电源"]),
    ("other", &["其他"]),
    ("water_rescue", &["水上救援"]),
    ("evacuation", &["转移"]),
    ("firefighting", &["灭火"]),
    ("hazmat", &["危化处置"]),
    ("expect", &["期望"]),
    ("effect", &["效果"]),
    ("if", &["如未"]),
    ("not", &[]),
    ("trapped", &["被困"]),
    ("shelter_closed", &["关闭避灾点"]),
    ("power_cut", &["停电"]),
    ("out_of_service", &["停用", "故障"]),
    ("phones_down", &["通信中断"]),
    ("delay", &["延误"]),
    ("restore", &["恢复"]),
    ("phones", &["通信"]),
    ("weights", &["权重"]),
    ("outcomes", &["结果指标"]),
    ("ratings", &["等级线"]),
    ("pass", &["合格"]),
    ("timeliness", &["及时性"]),
    ("completeness", &["完整性"]),
    ("at_post", &["到岗"]),
    ("evacuated", &["转移"]),
    ("vulnerable_moved", &["重点人员转移"]),
    ("assessed_before_return", &["返回前评估"]),
    ("warned", &["预警覆盖"]),
    ("veto", &["否决"]),
    ("behaviour", &["行为"]),
    ("walk", &["步行"]),
    ("premovement", &["反应时间"]),
    ("tail", &["拖尾"]),
    ("comply", &["服从"]),
    ("reach", &["触达"]),
    ("knock_visit", &["敲门时长"]),
    ("door_flow", &["通行能力"]),
];

/// The trainer's verbs in an `actions` log (`21:30 trainer fire inject 5`), with their
/// Chinese spellings. Kept out of [`KEYWORDS`], where `fire` is the hazard (火灾): 下达
/// must not name a hazard, nor 火灾 fire an inject.
pub const TRAINER_VERBS: &[(&str, &str)] = &[("fire", "下达"), ("skip", "跳过")];

/// The trainer verb (`fire` or `skip`) that `word` spells, in English or Chinese.
pub fn trainer_verb(word: &str) -> Option<&'static str> {
    TRAINER_VERBS
        .iter()
        .find(|(en, zh)| word == *en || word == *zh)
        .map(|(en, _)| *en)
}

/// Whether `word` spells keyword `kw` (in English or one of its Chinese aliases).
///
/// Called for nearly every word of a scenario, so it must not scan [`KEYWORDS`]: the
/// aliases are written in Chinese characters only (a test checks it), so a word with
/// any ASCII in it (`place`, `村12`) only matches its own spelling, and a Chinese word
/// is looked up once in an index from each alias to the keywords it spells.
pub fn is(word: &str, kw: &str) -> bool {
    word == kw || (!word.bytes().any(|b| b.is_ascii()) && spelled_by(word).contains(&kw))
}

/// The keywords that Chinese alias `word` spells (empty when it is none).
fn spelled_by(word: &str) -> &'static [&'static str] {
    type Index = HashMap<&'static str, Vec<&'static str>, BuildHasherDefault<Fnv>>;
    static INDEX: OnceLock<Index> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut seen = HashSet::new();
        let mut index = Index::with_capacity_and_hasher(KEYWORDS.len(), Default::default());
        for (k, aliases) in KEYWORDS {
            // A keyword listed twice keeps its first entry's aliases.
            if !seen.insert(*k) {
                continue;
            }
            for alias in *aliases {
                index.entry(*alias).or_default().push(*k);
            }
        }
        index
    });
    index.get(word).map_or(&[], Vec::as_slice)
}

/// FNV-1a: the keys are short fixed keywords, so a cheap hash beats SipHash's
/// resistance to chosen keys, which a compile-time table does not need. Validation's
/// name tables use it too (short names, looked up once per reference).
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// The first of `candidates` that `word` spells.
pub fn which<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    // One alias lookup for the word, not one per candidate.
    let spelled = if word.bytes().any(|b| b.is_ascii()) {
        &[][..]
    } else {
        spelled_by(word)
    };
    candidates
        .iter()
        .copied()
        .find(|kw| *kw == word || spelled.contains(kw))
}

/// Whether `word` is written in Chinese (used to answer in the author's language).
pub fn is_chinese(word: &str) -> bool {
    word.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// All spellings (English and Chinese) of the given keywords, for "did you mean".
pub fn spellings<'a>(candidates: &[&'a str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    for kw in candidates {
        out.push(*kw);
        if let Some((_, aliases)) = KEYWORDS.iter().find(|(k, _)| k == kw) {
            out.extend(aliases.iter().copied());
        }
    }
    out
}

/// The nearest spelling among `options` to `word`, if close enough to be a typo.
pub fn nearest<'a>(word: &str, options: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(&str, f64)> = None;
    for opt in options {
        let score = strsim::jaro_winkler(word, opt);
        let close = if is_chinese(word) || is_chinese(opt) {
            strsim::levenshtein(word, opt) <= 1.max(word.chars().count() / 3)
                && opt.chars().count() > 1
        } else {
            score > 0.8 || strsim::damerau_levenshtein(word, opt) <= 1.max(word.len() / 4)
        };
        if close && best.is_none_or(|(_, s)| score > s) {
            best = Some((opt, score));
        }
    }
    best.map(|(o, _)| o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_typos() {
        assert!(is("地点", "place"));
        assert!(is("place", "place"));
        assert!(!is("地点", "shelter"));
        assert_eq!(which("避灾点", &["place", "shelter"]), Some("shelter"));
        assert_eq!(
            nearest("shleter", spellings(&["place", "shelter", "road"])),
            Some("shelter")
        );
        assert_eq!(nearest("xyz", spellings(&["place", "shelter"])), None);
        assert_eq!(nearest("下材", ["下村", "上村"]), Some("下村"));
    }

    #[test]
    fn every_alias_is_chinese() {
        // `is` answers words with any ASCII in them without looking at the aliases.
        for (kw, aliases) in KEYWORDS {
            for alias in *aliases {
                assert!(
                    !alias.bytes().any(|b| b.is_ascii()),
                    "alias {alias} of {kw}"
                );
            }
        }
        assert!(is("村", "village") && !is("村1", "village") && is("village", "village"));
        for (en, zh) in TRAINER_VERBS {
            assert!(!zh.bytes().any(|b| b.is_ascii()), "trainer verb {en}");
        }
    }

    #[test]
    fn trainer_verbs_are_not_the_hazard() {
        assert_eq!(trainer_verb("下达"), Some("fire"));
        assert_eq!(trainer_verb("跳过"), Some("skip"));
        assert_eq!(trainer_verb("skip"), Some("skip"));
        assert_eq!(
            trainer_verb("火灾"),
            None,
            "火灾 is the hazard, not the verb"
        );
        assert!(!is("下达", "fire"), "下达 is not a hazard");
        assert!(is("导调", "trainer"));
    }
}

//! The editor's two UI languages: a small string table, Chinese first.

/// UI language; Chinese is the default for the users this is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

macro_rules! strings {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// A UI string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Key { $($key,)* }

        impl Key {
            pub const ALL: &'static [Key] = &[$(Key::$key,)*];
        }

        /// The string for `key` in `lang`.
        pub fn tr(lang: Lang, key: Key) -> &'static str {
            match (lang, key) {
                $((Lang::Zh, Key::$key) => $zh, (Lang::En, Key::$key) => $en,)*
            }
        }
    };
}

strings! {
    AppTitle => "应急演练推演编辑器", "Drill scenario editor";
    Author => "编写", "Author";
    Exercise => "推演", "Exercise";
    Debrief => "复盘", "Debrief";
    Open => "打开", "Open";
    Save => "保存", "Save";
    Projector => "投影", "Projector";
    Laptop => "笔记本", "Laptop";
    Language => "English", "中文";
    Untitled => "未命名", "untitled";
    Unsaved => "未保存", "unsaved";
    Saved => "已保存", "saved";
    Map => "地图", "Map";
    Diagnostics => "检查结果", "Diagnostics";
    NoProblems => "没有发现问题", "No problems found";
    CheckerMissing => "引擎检查器尚未接入本版本:无法解析场景,地图为空", "The engine checker is not in this build yet: the scenario cannot be parsed, the map is empty";
    Injects => "情景注入", "Injects";
    Plan => "应急处置卡", "Response card";
    AuthorTimeline => "时间线", "Timeline";
    Id => "编号", "ID";
    Task => "任务", "Task";
    When => "触发", "When";
    Who => "谁", "Who";
    What => "做什么", "What";
    How => "怎么做", "How";
    Resources => "用什么", "Resources";
    Deadline => "时限", "Deadline";
    NoScenario => "没有可显示的场景", "No scenario to show";
    Play => "开始", "Play";
    Pause => "暂停", "Pause";
    Step => "单步", "Step";
    Speed => "倍速", "Speed";
    Scoreboard => "评分", "Scoreboard";
    NoRun => "尚无推演记录可复盘", "No recorded run to replay yet";
    Timeline => "时间轴", "Timeline";
    RecoveredTitle => "发现未保存的恢复文本", "Unsaved text was recovered";
    RecoveredBody => "上次编辑异常退出。是否恢复自动保存的内容?", "The editor stopped without saving. Restore the autosaved text?";
    Restore => "恢复", "Restore";
    Discard => "丢弃", "Discard";
    OpenPath => "文件路径", "File path";
    Cancel => "取消", "Cancel";
    Population => "人口", "People";
    Shelters => "避灾点", "Shelters";
    Teams => "队伍", "Teams";
    StaleMap => "文本有错误:地图显示上次有效版本", "The text has errors: the map shows the last valid version";
    PlanAsWritten => "按预案自动推演", "plan as written";
    ParticipantsRun => "按参演人员决策推演", "participants' decisions";
    JumpTo => "跳转", "Jump";
    BadTime => "无法识别的时间", "not a time";
    ScenarioChanged => "场景文本已修改:重新开始推演才会生效", "The scenario text changed: restart the run to apply it";
    Restart => "重新开始", "Restart";
    Decision => "参演人员决策", "Participants' decision";
    Shortcuts => "快捷键", "Keyboard shortcuts";
    Close => "关闭", "Close";
    Target => "对象", "Target";
    ToShelter => "安置到", "To shelter";
    Nearest => "最近的避灾点", "nearest shelter";
    Groups => "人群", "Groups";
    Submit => "提交 (Enter)", "Submit (Enter)";
    Recording => "正在重算整场推演", "Re-running the whole drill";
    Export => "导出报告", "Export report";
    Charts => "图表", "Charts";
    InDangerChart => "危险区人数", "People in danger";
    OccupancyChart => "避灾点人数", "Shelter occupancy";
    TaskTimeline => "任务时间线", "Task timeline";
    ToolMove => "移动", "Move";
    ToolAddPlace => "加地点", "Add place";
    ToolAddShelter => "加避灾点", "Add shelter";
    ToolAddRoad => "加道路", "Add road";
    ToolDelete => "删除", "Delete";
    Undo => "撤销", "Undo";
    Redo => "重做", "Redo";
    FitMap => "双击地图:适应窗口;滚轮:缩放;拖动:平移", "Double-click: fit; wheel: zoom; drag: pan";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_exists_in_both_languages_and_differs() {
        for &key in Key::ALL {
            let (zh, en) = (tr(Lang::Zh, key), tr(Lang::En, key));
            assert!(!zh.is_empty() && !en.is_empty(), "{key:?}");
            assert_ne!(zh, en, "{key:?} is untranslated");
            assert!(
                !en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) || key == Key::Language,
                "{key:?}"
            );
        }
    }
}

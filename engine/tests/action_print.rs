//! Property test of the action printer (`lang::print`): any valid action on the three
//! example scenarios, printed as one log line, is read back by `lang::check_actions`
//! as the very same action (spans aside). `drill exercise` relies on this: it logs
//! what the sim was given in printed form, and a replay of the log must give the
//! same run. The same holds for the trainer's inject commands.

use drill_engine::lang::{self, SourceMap, print};
use drill_engine::model::*;
use proptest::prelude::*;
use std::sync::OnceLock;

const SCENARIOS: [&str; 3] = [
    "../scenarios/zhuyuan-flash-flood.drill",
    "../scenarios/haiyan-chemical-release.drill",
    "../scenarios/forest-edge-fire.drill",
];

fn scenarios() -> &'static Vec<Scenario> {
    static S: OnceLock<Vec<Scenario>> = OnceLock::new();
    S.get_or_init(|| {
        SCENARIOS
            .iter()
            .map(|path| {
                let text = drill_engine::io::read_text(std::path::Path::new(path)).unwrap();
                let mut sources = SourceMap::new();
                let main = sources.add(*path, text);
                let result = lang::check(&mut sources, main, &drill_engine::io::include_loader);
                result.scenario.expect("example scenarios check")
            })
            .collect()
    })
}

/// Raw random numbers; `build` turns them into a valid action for a scenario.
#[derive(Debug, Clone)]
struct Recipe {
    scenario: usize,
    time: Result<u32, u32>,
    actor: u32,
    verb: u8,
    a: u32,
    b: u32,
    to: Option<u32>,
    groups: Vec<u8>,
    how: Vec<u8>,
    with: Vec<(u32, u32)>,
    points: Vec<(i32, i32)>,
}

fn recipes() -> impl Strategy<Value = Recipe> {
    (
        0usize..3,
        prop_oneof![(0u32..1440).prop_map(Ok), (0u32..2_000_000).prop_map(Err)],
        any::<u32>(),
        0u8..13,
        (any::<u32>(), any::<u32>(), prop::option::of(any::<u32>())),
        prop::collection::vec(0u8..6, 0..4),
        prop::collection::vec(0u8..13, 0..4),
        prop::collection::vec((any::<u32>(), any::<u32>()), 0..3),
        prop::collection::vec((-40_000i32..40_000, -40_000i32..40_000), 2..5),
    )
        .prop_map(
            |(scenario, time, actor, verb, (a, b, to), groups, how, with, points)| Recipe {
                scenario,
                time,
                actor,
                verb,
                a,
                b,
                to,
                groups,
                how,
                with,
                points,
            },
        )
}

fn target(s: &Scenario, a: u32, allow_all: bool) -> Target {
    let zones = s.map.zones.len() as u32;
    let places = s.map.places.len() as u32;
    let n = zones + places + u32::from(allow_all);
    let k = a % n;
    if k < zones {
        Target::Zone(ZoneIdx(k))
    } else if k < zones + places {
        Target::Place(PlaceIdx(k - zones))
    } else {
        Target::All
    }
}

fn shelter(s: &Scenario, a: u32) -> PlaceIdx {
    let shelters: Vec<u32> = (0..s.map.places.len() as u32)
        .filter(|&p| s.map.places[p as usize].shelter.is_some())
        .collect();
    PlaceIdx(shelters[a as usize % shelters.len()])
}

/// Links that `close KIND A -> B` names unambiguously.
fn nameable_link(s: &Scenario, a: u32) -> LinkIdx {
    let key = |l: &Link| (l.kind as u8, l.from.0.min(l.to.0), l.from.0.max(l.to.0));
    let unique: Vec<u32> = (0..s.map.links.len() as u32)
        .filter(|&i| {
            let k = key(&s.map.links[i as usize]);
            s.map.links.iter().filter(|l| key(l) == k).count() == 1
        })
        .collect();
    LinkIdx(unique[a as usize % unique.len()])
}

fn dedup<T: PartialEq>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut out = Vec::new();
    for x in items {
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

fn build(r: &Recipe) -> (usize, Action) {
    let s = &scenarios()[r.scenario];
    let roles = s.roles.len() as u32;
    let k = r.actor % (roles + s.teams.len() as u32);
    let actor = if k < roles {
        Actor::Role(RoleIdx(k))
    } else {
        Actor::Team(TeamIdx(k - roles))
    };
    const GROUPS: [Group; 6] = [
        Group::Adults,
        Group::Elderly,
        Group::Disabled,
        Group::Children,
        Group::Dilapidated,
        Group::OutdoorWorkers,
    ];
    const CHANNELS: [Channel; 13] = [
        Channel::Loudspeaker,
        Channel::Sms,
        Channel::App,
        Channel::DoorKnock,
        Channel::Megaphone,
        Channel::Gong,
        Channel::Phone,
        Channel::Radio,
        Channel::Broadcast,
        Channel::Siren,
        Channel::HandAlarm,
        Channel::ReservoirBroadcast,
        Channel::WeChat,
    ];
    let work = match r.verb {
        0 => Work::Warn(target(s, r.a, true)),
        1 => Work::KnockDoors(target(s, r.a, false)),
        2 => Work::Assess(target(s, r.a, true)),
        3 => Work::Rescue(target(s, r.a, false)),
        4 => Work::ShelterInPlace(target(s, r.a, true)),
        5 => Work::Return(target(s, r.a, true)),
        6 => Work::ReportAtPost,
        7 => Work::Report,
        8 => Work::OpenShelter(shelter(s, r.a)),
        9 => Work::Roadblock(PlaceIdx(r.a % s.map.places.len() as u32)),
        10 => Work::FireLine(
            r.points
                .iter()
                .map(|&(x, y)| Point {
                    x: f64::from(x) / 4.0,
                    y: f64::from(y) / 4.0,
                })
                .collect(),
        ),
        11 => Work::CloseLink(nameable_link(s, r.a)),
        _ => Work::Evacuate {
            groups: dedup(r.groups.iter().map(|&g| GROUPS[g as usize])),
            from: target(s, r.b, false),
            to: r.to.map(|t| shelter(s, t)),
        },
    };
    let with = dedup(
        r.with
            .iter()
            .map(|&(res, _)| res % s.resources.len() as u32)
            .filter(|&res| s.resources[res as usize].quantity > 0),
    )
    .into_iter()
    .map(|res| {
        let q = r
            .with
            .iter()
            .find(|(x, _)| x % s.resources.len() as u32 == res)
            .map_or(1, |(_, q)| *q);
        ResourceUse {
            resource: ResourceIdx(res),
            quantity: 1 + q % s.resources[res as usize].quantity,
        }
    })
    .collect();
    let at_s = match r.time {
        Ok(minute) => f64::from(minute) * 60.0,
        Err(tenths) => f64::from(tenths) / 10.0,
    };
    let action = Action {
        at_s,
        actor,
        work,
        how: dedup(r.how.iter().map(|&c| CHANNELS[c as usize])),
        with,
        span: Span::default(),
    };
    (r.scenario, action)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn printed_actions_read_back_unchanged(r in recipes()) {
        let (si, action) = build(&r);
        let s = &scenarios()[si];
        let line = print::action_line(s, &action);
        let text = format!("{}\n  {line}\n}}\n", print::action_log_header(s));
        let mut sources = SourceMap::new();
        let file = sources.add("printed.actions.drill", text.clone());
        let (log, diags) = lang::check_actions(s, &sources, file);
        let errors: Vec<String> = diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{} {}", d.code, d.message_en))
            .collect();
        prop_assert!(log.is_some(), "{text}\n{errors:?}");
        let mut back = log.unwrap().actions;
        prop_assert_eq!(back.len(), 1);
        back[0].span = Span::default();
        prop_assert_eq!(&back[0], &action, "{}", text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The trainer's `TIME trainer fire|skip inject N` reads back as the same command.
    #[test]
    fn printed_inject_commands_read_back_unchanged(
        si in 0usize..3,
        inject in any::<u32>(),
        fire in any::<bool>(),
        time in prop_oneof![(0u32..1440).prop_map(Ok), (0u32..2_000_000).prop_map(Err)],
    ) {
        let s = &scenarios()[si];
        let command = InjectCommand {
            at_s: match time {
                Ok(minute) => f64::from(minute) * 60.0,
                Err(tenths) => f64::from(tenths) / 10.0,
            },
            number: s.injects[inject as usize % s.injects.len()].number,
            kind: if fire { InjectCommandKind::Fire } else { InjectCommandKind::Skip },
            span: Span::default(),
        };
        let line = print::inject_command_line(s, &command);
        let text = format!("{}\n  {line}\n}}\n", print::action_log_header(s));
        let mut sources = SourceMap::new();
        let file = sources.add("printed.actions.drill", text.clone());
        let (log, diags) = lang::check_actions(s, &sources, file);
        prop_assert!(log.is_some(), "{text}\n{diags:?}");
        let log = log.unwrap();
        prop_assert!(log.actions.is_empty());
        let mut back = log.inject_commands;
        prop_assert_eq!(back.len(), 1);
        back[0].span = Span::default();
        prop_assert_eq!(&back[0], &command, "{}", text);
    }
}

/// The example log's lines print back to themselves (modulo the explicit `1` that
/// the printer always writes for a single unit).
#[test]
fn example_log_lines_print_back_as_written() {
    let s = &scenarios()[0];
    let path = "../scenarios/zhuyuan-flash-flood.actions.drill";
    let text = drill_engine::io::read_text(std::path::Path::new(path)).unwrap();
    let mut sources = SourceMap::new();
    let file = sources.add(path, text.clone());
    let (log, _) = lang::check_actions(s, &sources, file);
    let log = log.unwrap();
    let written: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .collect();
    assert_eq!(written.len(), log.actions.len());
    for (line, action) in written.iter().zip(&log.actions) {
        let printed = print::action_line(s, action);
        assert_eq!(printed, line.replace("[村广播]", "[村广播 1]"));
    }
}

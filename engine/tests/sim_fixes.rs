//! Simulation fixes the example scenarios' perfect action logs rely on: a team closing
//! a link (封闭) goes to its near end, not across the hazard to its `from` end; teams
//! whose work is in the danger (危化处置, 灭火, 转移) route into it, others keep out.

use drill_engine::model::*;
use drill_engine::sim::build::ScenarioBuilder;
use drill_engine::sim::events::{LinkCloseCause, SimEvent, TimedEvent};
use drill_engine::sim::params::SimParams;
use drill_engine::sim::{Mode, Simulation};

mod common;
use common::obedient;

fn action(at_s: f64, actor: Actor, work: Work) -> Action {
    Action {
        at_s,
        actor,
        work,
        how: Vec::new(),
        with: Vec::new(),
        span: Span::default(),
    }
}

fn arrivals(ev: &[TimedEvent], team: TeamIdx) -> Vec<PlaceIdx> {
    ev.iter()
        .filter_map(|e| match &e.event {
            SimEvent::TeamArrived { team: t, at } if *t == team => Some(*at),
            _ => None,
        })
        .collect()
}

/// The bridge is written 溪口 → 下村 (`from` is the far bank); the team stands by the
/// school on the 下村 side and must close it from there.
#[test]
fn a_team_closing_a_bridge_goes_to_its_near_end() {
    let mut b = ScenarioBuilder::new();
    let home = b.settlement("下村", 0.0, 0.0, 10, 30);
    let school = b.shelter("小学", 600.0, 0.0, 100);
    let far = b.settlement("溪口", 0.0, 500.0, 5, 15);
    b.straight_road(home, school, 4.0);
    let bridge = b.straight_road(far, home, 4.0);
    let team = b.team("民兵", 8, school, 0.0, &[]);
    let scenario = b.build();
    assert_eq!(scenario.link(bridge).from, far);
    let mut sim = Simulation::with(&scenario, 5, Vec::new(), obedient(), Mode::Actions).unwrap();
    sim.submit(action(0.0, Actor::Team(team), Work::CloseLink(bridge)));
    sim.run_until(1800.0);
    assert_eq!(arrivals(sim.events(), team), vec![home]);
    assert!(sim.events().iter().any(|e| matches!(
        e.event,
        SimEvent::LinkClosed { link, .. } if link == bridge
    )));
}

/// The road into the village runs through the declared gas zone: the hazmat team goes
/// in to assess, the police (设卡 only) find no route.
#[test]
fn hazmat_teams_route_into_a_dangerous_zone_and_others_do_not() {
    let mut b = ScenarioBuilder::new();
    b.scenario.header.hazard_kinds = vec![HazardKind::Chemical];
    let village = b.settlement("东塘", 0.0, 0.0, 10, 30);
    let station = b.station("消防站", 1000.0, 0.0);
    b.straight_road(station, village, 6.0);
    let zone = b.zone(
        "下风向疏散区",
        &[
            (-100.0, -100.0),
            (700.0, -100.0),
            (700.0, 100.0),
            (-100.0, 100.0),
        ],
        None,
    );
    let hazmat = b.team("特勤中队", 8, station, 0.0, &[Skill::Hazmat]);
    let police = b.team("派出所", 8, station, 0.0, &[Skill::Roadblock]);
    b.inject(1, InjectTrigger::At(0.0), vec![Effect::Danger(zone)]);
    let scenario = b.build();
    let mut sim = Simulation::with(&scenario, 5, Vec::new(), obedient(), Mode::Actions).unwrap();
    let assess = Work::Assess(Target::Zone(zone));
    sim.submit(action(120.0, Actor::Team(hazmat), assess.clone()));
    sim.submit(action(120.0, Actor::Team(police), assess));
    sim.run_until(3600.0);
    assert!(sim.events().iter().any(|e| matches!(
        e.event,
        SimEvent::LinkClosed {
            cause: LinkCloseCause::Hazard,
            ..
        }
    )));
    assert_eq!(arrivals(sim.events(), hazmat), vec![village]);
    assert_eq!(arrivals(sim.events(), police), Vec::<PlaceIdx>::new());
}

fn trapped_people(ev: &[TimedEvent]) -> u32 {
    ev.iter()
        .filter_map(|e| match &e.event {
            SimEvent::Trapped { people, .. } => Some(*people),
            _ => None,
        })
        .sum()
}

/// 下村 is declared dangerous at once; the village head orders the evacuation 5 min
/// later. With the grace (受困 only after `trap_grace_s`) the people get out; with no
/// grace they are all trapped in the step the danger was declared.
#[test]
fn an_evacuation_ordered_right_after_the_danger_still_gets_people_out() {
    let mut b = ScenarioBuilder::new();
    let home = b.settlement("下村", 0.0, 0.0, 10, 30);
    let school = b.shelter("小学", 600.0, 0.0, 100);
    b.straight_road(home, school, 4.0);
    let zone = b.zone(
        "低洼区",
        &[(-50.0, -50.0), (50.0, -50.0), (50.0, 50.0), (-50.0, 50.0)],
        None,
    );
    let head = b.role("村支书", AdminLevel::Village, 1, Some(home));
    b.inject(1, InjectTrigger::At(0.0), vec![Effect::Danger(zone)]);
    let scenario = b.build();
    let run = |params: SimParams| {
        let mut sim = Simulation::with(&scenario, 5, Vec::new(), params, Mode::Actions).unwrap();
        let mut evacuate = action(
            300.0,
            Actor::Role(head),
            Work::Evacuate {
                from: Target::Zone(zone),
                to: Some(school),
                groups: Vec::new(),
            },
        );
        evacuate.how = vec![Channel::Broadcast];
        sim.submit(evacuate);
        sim.run_until(3600.0);
        trapped_people(sim.events())
    };
    assert!(obedient().trap_grace_s >= 600.0);
    assert_eq!(run(obedient()), 0);
    let no_grace = SimParams {
        trap_grace_s: 0.0,
        ..obedient()
    };
    assert_eq!(run(no_grace), 30);
}

/// A team called out once (到达 20 min) takes its second job at once, from the field.
#[test]
fn a_team_in_the_field_does_not_assemble_again() {
    let mut b = ScenarioBuilder::new();
    let home = b.settlement("下村", 0.0, 0.0, 10, 30);
    let school = b.shelter("小学", 600.0, 0.0, 100);
    let far = b.settlement("溪口", 0.0, 500.0, 5, 15);
    b.straight_road(home, school, 4.0);
    let bridge = b.straight_road(home, far, 4.0);
    let road = b.straight_road(school, far, 4.0);
    let team = b.team("民兵", 8, school, 1200.0, &[]);
    let scenario = b.build();
    let mut sim = Simulation::with(&scenario, 5, Vec::new(), obedient(), Mode::Actions).unwrap();
    sim.submit(action(0.0, Actor::Team(team), Work::CloseLink(bridge)));
    sim.submit(action(3600.0, Actor::Team(team), Work::CloseLink(road)));
    sim.run_until(7200.0);
    let departures: Vec<f64> = sim
        .events()
        .iter()
        .filter(|e| matches!(e.event, SimEvent::TeamDeparted { team: t, .. } if t == team))
        .map(|e| e.t_s)
        .collect();
    assert_eq!(departures.len(), 2, "{departures:?}");
    assert!(departures[0] >= 1200.0);
    assert!(departures[1] < 3600.0 + 60.0, "{departures:?}");
}

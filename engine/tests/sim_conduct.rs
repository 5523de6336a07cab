//! Exercise conduct (演练导调): injects fired, skipped and listed; participants'
//! actions validated (busy posts, whose equipment, how many left) and matched to plan
//! tasks; and the sim fixes that conduct relies on (就地避险 keeps people in, `before`
//! tasks precede, shelters take people only once opened, the rescued are counted when
//! they land).

use drill_engine::model::*;
use drill_engine::sim::build::ScenarioBuilder;
use drill_engine::sim::events::{InjectSkip, RejectReason, SimEvent, TimedEvent, WorkRef};
use drill_engine::sim::params::SimParams;
use drill_engine::sim::snapshot::InjectStatus;
use drill_engine::sim::{InjectError, Mode, Simulation};

mod common;
use common::{action, obedient};

fn first_time(ev: &[TimedEvent], f: impl Fn(&SimEvent) -> bool) -> Option<f64> {
    ev.iter().find(|e| f(&e.event)).map(|e| e.t_s)
}

fn rejection(ev: &[TimedEvent], id: u32) -> Option<RejectReason> {
    ev.iter().find_map(|e| match &e.event {
        SimEvent::ActionRejected { action, reason, .. } if action.0 == id => Some(reason.clone()),
        _ => None,
    })
}

/// A village on a road to a shelter, a bridge to a hamlet, a role and two teams.
struct Village {
    scenario: Scenario,
    home: PlaceIdx,
    shelter: PlaceIdx,
    bridge: LinkIdx,
    zone: ZoneIdx,
    role: RoleIdx,
    team: TeamIdx,
}

fn village() -> Village {
    let mut b = ScenarioBuilder::new();
    let home = b.settlement("下村", 0.0, 0.0, 10, 30);
    let shelter = b.shelter("小学", 600.0, 0.0, 100);
    let hamlet = b.settlement("溪口", 0.0, 500.0, 5, 15);
    b.straight_road(home, shelter, 4.0);
    let bridge = b.straight_road(home, hamlet, 4.0);
    let zone = b.zone(
        "低洼区",
        &[(-50.0, -50.0), (50.0, -50.0), (50.0, 50.0), (-50.0, 50.0)],
        None,
    );
    let role = b.role("村支书", AdminLevel::Village, 1, Some(home));
    let team = b.team("民兵", 8, shelter, 300.0, &[]);
    let scenario = b.build();
    Village {
        scenario,
        home,
        shelter,
        bridge,
        zone,
        role,
        team,
    }
}

/// Injects fire at their time with their effects; the trainer can fire one early and
/// skip another; a contingency inject whose task was done is logged as skipped; the
/// console's list shows each status; bad requests get a reason.
#[test]
fn injects_fire_skip_and_list_with_status() {
    let mut v = village();
    let warn = TaskIdx(v.scenario.plan.tasks.len() as u32);
    v.scenario.plan.tasks.push(Task {
        id: "T1".into(),
        title: "预警".into(),
        trigger: Trigger::At(0.0),
        who: vec![Actor::Role(v.role)],
        work: Work::Warn(Target::Zone(v.zone)),
        how: vec![Channel::Broadcast],
        with: Vec::new(),
        deadline: None,
        require: None,
        span: Span::default(),
    });
    let mut b = ScenarioBuilder::new();
    b.scenario = v.scenario.clone();
    b.inject(
        1,
        InjectTrigger::At(600.0),
        vec![Effect::Warning(RiskLevel::Red)],
    );
    b.inject(
        2,
        InjectTrigger::At(3600.0),
        vec![Effect::CloseLink(v.bridge)],
    );
    b.inject(
        3,
        InjectTrigger::IfNot {
            task: warn,
            by_s: 1200.0,
        },
        vec![],
    );
    b.inject(
        4,
        InjectTrigger::At(1800.0),
        vec![Effect::Trapped {
            place: v.home,
            people: 4,
        }],
    );
    let scenario = b.build();
    let mut sim = Simulation::with(&scenario, 3, Vec::new(), obedient(), Mode::Actions).unwrap();
    let upcoming: Vec<u32> = sim.upcoming_injects().iter().map(|i| i.number).collect();
    assert_eq!(upcoming, vec![1, 3, 4, 2], "listed by due time");
    // The warning, given as an action on a place inside the task's zone, counts as T1.
    sim.submit(action(
        300.0,
        Actor::Role(v.role),
        Work::Warn(Target::Place(v.home)),
        &[Channel::Broadcast],
    ));
    sim.run_until(900.0);
    assert!(matches!(
        sim.injects()[0].status,
        InjectStatus::Fired {
            t_s: 600.0,
            contingency: false,
            by_trainer: false
        }
    ));
    // Fire 2 (the bridge) now, ahead of its 1 h; skip 4 (the trapped people).
    sim.fire_inject(2).unwrap();
    sim.skip_inject(4).unwrap();
    assert_eq!(sim.fire_inject(2), Err(InjectError::AlreadyRequested(2)));
    assert_eq!(sim.fire_inject(1), Err(InjectError::AlreadyFired(1)));
    assert_eq!(sim.skip_inject(99), Err(InjectError::Unknown(99)));
    sim.run_until(4000.0);
    let ev = sim.events();
    assert!(
        ev.iter()
            .any(|e| matches!(e.event, SimEvent::ActionMatched { task, .. } if task == warn))
    );
    assert_eq!(
        first_time(ev, |e| matches!(
            e,
            SimEvent::InjectTriggeredByTrainer { number: 2 }
        )),
        Some(910.0)
    );
    assert_eq!(
        first_time(
            ev,
            |e| matches!(e, SimEvent::LinkClosed { link, .. } if *link == v.bridge)
        ),
        Some(910.0)
    );
    assert_eq!(
        ev.iter()
            .filter(|e| matches!(e.event, SimEvent::InjectFired { number: 2, .. }))
            .count(),
        1,
        "fired once, not again at its own time"
    );
    assert_eq!(
        first_time(ev, |e| matches!(
            e,
            SimEvent::InjectSkipped {
                number: 4,
                why: InjectSkip::Trainer
            }
        )),
        Some(910.0)
    );
    assert!(
        !ev.iter()
            .any(|e| matches!(e.event, SimEvent::Trapped { .. }))
    );
    assert_eq!(
        first_time(ev, |e| matches!(
            e,
            SimEvent::InjectSkipped {
                number: 3,
                why: InjectSkip::TaskDone(_)
            }
        )),
        Some(1200.0),
        "the watched task was done: the contingency inject is dropped at its time"
    );
    assert!(sim.upcoming_injects().is_empty());
    assert_eq!(sim.skip_inject(3), Err(InjectError::AlreadySkipped(3)));
}

/// 就地避险: an order to shelter in place keeps people at home (no one departs), while
/// an evacuation order later still moves them.
#[test]
fn shelter_in_place_keeps_people_indoors_until_told_to_leave() {
    let v = village();
    let mut sim = Simulation::with(&v.scenario, 5, Vec::new(), obedient(), Mode::Actions).unwrap();
    sim.submit(action(
        60.0,
        Actor::Role(v.role),
        Work::ShelterInPlace(Target::Place(v.home)),
        &[Channel::Broadcast],
    ));
    sim.run_until(1800.0);
    let ev = sim.events();
    let indoors = ev
        .iter()
        .filter(|e| matches!(e.event, SimEvent::ShelteredInPlace { .. }))
        .count();
    assert_eq!(indoors, 10, "all ten households of 下村 stay in");
    assert!(
        !ev.iter().any(|e| matches!(
            e.event,
            SimEvent::Decided { .. } | SimEvent::Departed { .. }
        )),
        "nobody leaves on a shelter-in-place order"
    );
    sim.submit(action(
        1800.0,
        Actor::Role(v.role),
        Work::Warn(Target::Place(v.home)),
        &[Channel::Broadcast],
    ));
    sim.run_until(3600.0);
    let departed = sim
        .events()
        .iter()
        .filter(|e| matches!(e.event, SimEvent::Departed { .. }))
        .count();
    assert_eq!(departed, 10, "an evacuation order moves them after all");
}

/// A post held by one person is busy while it knocks on doors: a second piece of
/// field work is refused (RoleBusy), a report is not, and once the knocking is done
/// the post is free again.
#[test]
fn a_one_person_post_is_busy_while_it_knocks_on_doors() {
    let v = village();
    let mut sim = Simulation::with(&v.scenario, 5, Vec::new(), obedient(), Mode::Actions).unwrap();
    let role = Actor::Role(v.role);
    sim.submit(action(
        0.0,
        role,
        Work::KnockDoors(Target::Place(v.home)),
        &[Channel::DoorKnock],
    ));
    sim.submit(action(60.0, role, Work::Assess(Target::Place(v.home)), &[])); // 1
    sim.submit(action(60.0, role, Work::Report, &[Channel::Phone])); // 2
    sim.run_until(120.0);
    let ev = sim.events();
    assert_eq!(
        rejection(ev, 1),
        Some(RejectReason::RoleBusy {
            role: v.role,
            with: WorkRef::Action(drill_engine::sim::events::ActionId(0))
        })
    );
    assert_eq!(rejection(ev, 2), None, "reporting needs no free hands");
    sim.run_until(3.0 * 3600.0);
    let knocked = first_time(
        sim.events(),
        |e| matches!(e, SimEvent::TaskFinished { work: WorkRef::Action(a), .. } if a.0 == 0),
    )
    .expect("ten doors are knocked within hours");
    assert!(knocked < sim.time_s());
    let t = sim.time_s();
    sim.submit(action(t, role, Work::Assess(Target::Place(v.home)), &[]));
    sim.run_until(t + 60.0);
    assert_eq!(rejection(sim.events(), 3), None);
}

/// 资源归属: a team's boats are its own; another team asking for them is told whose
/// they are; more units than are left is refused with the count; the common stock is
/// shared and returned when the work ends.
#[test]
fn resources_are_checked_for_ownership_and_quantity() {
    let mut v = village();
    let base = v.shelter;
    let boat = {
        let mut b = ScenarioBuilder::new();
        b.scenario = v.scenario.clone();
        let boat = b.resource("冲锋舟", ResourceKind::Boat, 2, base);
        let megaphone = b.resource("扩音器", ResourceKind::Megaphone, 3, base);
        let rescue = b.team("救援队", 10, base, 600.0, &[Skill::WaterRescue]);
        b.scenario.teams[rescue.index()].equipment = vec![ResourceUse {
            resource: boat,
            quantity: 2,
        }];
        v.scenario = b.build();
        assert_eq!((rescue.0, megaphone.0), (1, 1));
        boat
    };
    let megaphone = ResourceIdx(1);
    let rescue = TeamIdx(1);
    let mut sim = Simulation::with(&v.scenario, 5, Vec::new(), obedient(), Mode::Actions).unwrap();
    let with = |resource, quantity| vec![ResourceUse { resource, quantity }];
    let mut a = action(
        0.0,
        Actor::Team(v.team),
        Work::Rescue(Target::Place(v.home)),
        &[],
    );
    a.with = with(boat, 1);
    sim.submit(a); // 0: the militia asks for the rescue team's boat
    let mut a = action(
        0.0,
        Actor::Team(rescue),
        Work::Rescue(Target::Place(v.home)),
        &[],
    );
    a.with = with(boat, 2);
    sim.submit(a); // 1: its own: fine
    let mut a = action(
        0.0,
        Actor::Role(v.role),
        Work::Warn(Target::Place(v.home)),
        &[Channel::Megaphone],
    );
    a.with = with(megaphone, 4);
    sim.submit(a); // 2: four of three megaphones
    let mut a = action(
        0.0,
        Actor::Role(v.role),
        Work::Warn(Target::Place(v.home)),
        &[Channel::Megaphone],
    );
    a.with = with(megaphone, 3);
    sim.submit(a); // 3: all three: fine
    let mut a = action(
        60.0,
        Actor::Team(v.team),
        Work::Warn(Target::Place(v.home)),
        &[Channel::Megaphone],
    );
    a.with = with(megaphone, 1);
    sim.submit(a); // 4: none left while 3 is running
    sim.run_until(120.0);
    let ev = sim.events();
    assert_eq!(
        rejection(ev, 0),
        Some(RejectReason::ResourceHeldBy {
            resource: boat.0,
            team: rescue
        })
    );
    let held = rejection(ev, 0).unwrap().describe(&v.scenario);
    assert!(held.contains("冲锋舟是救援队的装备"), "{held}");
    assert_eq!(rejection(ev, 1), None);
    assert_eq!(
        rejection(ev, 2),
        Some(RejectReason::ResourceNotHeld {
            resource: megaphone.0,
            wanted: 4,
            available: 3
        })
    );
    assert_eq!(rejection(ev, 3), None);
    assert_eq!(
        rejection(ev, 4),
        Some(RejectReason::ResourceNotHeld {
            resource: megaphone.0,
            wanted: 1,
            available: 0
        })
    );
    // Once the megaphone round is over, the megaphones are back in the stock.
    sim.run_until(2.0 * 3600.0);
    let t = sim.time_s();
    let mut a = action(
        t,
        Actor::Team(v.team),
        Work::Warn(Target::Place(v.home)),
        &[Channel::Megaphone],
    );
    a.with = with(megaphone, 3);
    sim.submit(a); // 5
    sim.run_until(t + 60.0);
    assert_eq!(rejection(sim.events(), 5), None);
}

/// `before T2`: as written, the shelter is opened (T1) before the evacuation into it
/// (T2) starts, even though both become due together; nobody is taken in before the
/// shelter opens.
#[test]
fn a_before_task_is_done_first_and_shelters_open_before_taking_people() {
    let v = village();
    let mut b = ScenarioBuilder::new();
    b.scenario = v.scenario.clone();
    let open_team = b.team("开门队", 2, v.home, 1200.0, &[]);
    let evacuate = TaskIdx(1);
    b.task(
        "T1",
        Trigger::Before(evacuate),
        &[Actor::Team(open_team)],
        Work::OpenShelter(v.shelter),
        &[],
    );
    b.task(
        "T2",
        Trigger::At(60.0),
        &[Actor::Role(v.role)],
        Work::Warn(Target::Place(v.home)),
        &[Channel::Broadcast],
    );
    let scenario = b.build();
    let mut sim =
        Simulation::with(&scenario, 5, Vec::new(), obedient(), Mode::PlanAsWritten).unwrap();
    sim.run_until(3600.0);
    let ev = sim.events();
    let opened = first_time(ev, |e| matches!(e, SimEvent::ShelterOpened { .. })).unwrap();
    let t2 = first_time(
        ev,
        |e| matches!(e, SimEvent::TaskStarted { work: WorkRef::Task(t), .. } if *t == evacuate),
    )
    .unwrap();
    assert!(
        opened >= 1200.0,
        "the team needs 20 min to turn out: {opened}"
    );
    assert!(
        t2 >= opened,
        "T2 started at {t2}, before the shelter opened at {opened}"
    );
    let first_in = first_time(ev, |e| matches!(e, SimEvent::Arrived { .. })).unwrap();
    assert!(first_in >= opened);
}

/// `before return` + `after`: the assessment (T1) is due when an inject that expects it
/// fires, and the return (T2, `after T1`) follows it; before the fix neither ever ran
/// (each waited for the other).
#[test]
fn an_assessment_before_return_is_prompted_by_its_inject_and_the_return_follows() {
    let v = village();
    let mut b = ScenarioBuilder::new();
    b.scenario = v.scenario.clone();
    let assess = b.task(
        "T1",
        Trigger::BeforeReturn,
        &[Actor::Role(v.role)],
        Work::Assess(Target::Zone(v.zone)),
        &[],
    );
    let back = b.task(
        "T2",
        Trigger::After(assess),
        &[Actor::Role(v.role)],
        Work::Return(Target::Zone(v.zone)),
        &[],
    );
    b.inject(1, InjectTrigger::At(7200.0), vec![]);
    b.scenario.injects[0].expects = vec![assess];
    let scenario = b.build();
    let mut sim =
        Simulation::with(&scenario, 5, Vec::new(), obedient(), Mode::PlanAsWritten).unwrap();
    sim.run_until(4.0 * 3600.0);
    let ev = sim.events();
    let started = |t: TaskIdx| {
        first_time(
            ev,
            |e| matches!(e, SimEvent::TaskStarted { work: WorkRef::Task(x), .. } if *x == t),
        )
    };
    assert_eq!(started(assess), Some(7200.0));
    let assessed = first_time(
        ev,
        |e| matches!(e, SimEvent::TaskFinished { work: WorkRef::Task(x), .. } if *x == assess),
    )
    .unwrap();
    assert!(started(back).is_some_and(|t| t > assessed));
}

/// 救援 needs the skill the hazard calls for: boats in a flood, hazmat in a chemical
/// zone; a water-rescue team is refused in the chemical zone, a hazmat team is not.
#[test]
fn rescue_needs_the_skill_of_the_zones_hazard() {
    let v = village();
    let mut b = ScenarioBuilder::new();
    b.scenario = v.scenario.clone();
    b.scenario.map.zones[v.zone.index()].hazard = HazardKind::Chemical;
    let boats = b.team("水上救援队", 6, v.shelter, 0.0, &[Skill::WaterRescue]);
    let hazmat = b.team("特勤中队", 6, v.shelter, 0.0, &[Skill::Hazmat]);
    let scenario = b.build();
    let mut sim = Simulation::with(&scenario, 5, Vec::new(), obedient(), Mode::Actions).unwrap();
    sim.submit(action(
        0.0,
        Actor::Team(boats),
        Work::Rescue(Target::Zone(v.zone)),
        &[],
    ));
    sim.submit(action(
        0.0,
        Actor::Team(hazmat),
        Work::Rescue(Target::Zone(v.zone)),
        &[],
    ));
    sim.run_until(60.0);
    assert_eq!(
        rejection(sim.events(), 0),
        Some(RejectReason::MissingSkill {
            team: boats,
            skill: Skill::Hazmat
        })
    );
    assert_eq!(rejection(sim.events(), 1), None);
}

/// Households that reach an unopened shelter wait at its gate and go in when it opens.
#[test]
fn households_wait_at_an_unopened_shelter_until_it_opens() {
    let v = village();
    let mut b = ScenarioBuilder::new();
    b.scenario = v.scenario.clone();
    // The plan opens the shelter, so it starts closed to arrivals.
    b.task(
        "T1",
        Trigger::At(1e9),
        &[Actor::Role(v.role)],
        Work::OpenShelter(v.shelter),
        &[],
    );
    let scenario = b.build();
    let mut sim = Simulation::with(&scenario, 5, Vec::new(), obedient(), Mode::Actions).unwrap();
    let role = Actor::Role(v.role);
    sim.submit(action(
        0.0,
        role,
        Work::Warn(Target::Place(v.home)),
        &[Channel::Broadcast],
    ));
    sim.submit(action(3600.0, role, Work::OpenShelter(v.shelter), &[]));
    sim.run_until(3000.0);
    let waiting = sim
        .events()
        .iter()
        .filter(|e| matches!(e.event, SimEvent::WaitingAtShelter { .. }))
        .count();
    assert_eq!(waiting, 10);
    assert_eq!(sim.totals().evacuated, 0);
    sim.run_until(3700.0);
    let ev = sim.events();
    assert_eq!(
        first_time(ev, |e| matches!(e, SimEvent::Arrived { .. })),
        Some(3600.0)
    );
    assert_eq!(sim.totals().evacuated, 30);
}

/// The rescued are counted when the boat lands them, not when it reaches them: the
/// `Rescued` event comes a crossing and two loading times after the team arrives.
#[test]
fn rescued_is_stamped_when_the_load_reaches_safety() {
    let v = village();
    let mut b = ScenarioBuilder::new();
    b.scenario = v.scenario.clone();
    let boat = b.resource("冲锋舟", ResourceKind::Boat, 1, v.shelter);
    b.scenario.resources[boat.index()].capacity = Some(40);
    let rescue = b.team("救援队", 6, v.shelter, 0.0, &[Skill::WaterRescue]);
    b.scenario.teams[rescue.index()].equipment = vec![ResourceUse {
        resource: boat,
        quantity: 1,
    }];
    b.inject(
        1,
        InjectTrigger::At(10.0),
        vec![Effect::Trapped {
            place: v.home,
            people: 5,
        }],
    );
    let scenario = b.build();
    let params = SimParams::default();
    let (boat_m_s, load_s) = (params.boat_m_s, params.load_s);
    let mut sim = Simulation::with(&scenario, 5, Vec::new(), params, Mode::Actions).unwrap();
    sim.submit(action(
        20.0,
        Actor::Team(rescue),
        Work::Rescue(Target::Place(v.home)),
        &[],
    ));
    sim.run_until(3600.0);
    let ev = sim.events();
    let reached = first_time(
        ev,
        |e| matches!(e, SimEvent::TeamArrived { at, .. } if *at == v.home),
    )
    .unwrap();
    let landed = first_time(ev, |e| matches!(e, SimEvent::Rescued { .. })).unwrap();
    let crossing = 600.0 / boat_m_s + 2.0 * load_s;
    assert!(
        (landed - reached - crossing).abs() <= 10.0,
        "reached {reached}, landed {landed}, crossing {crossing}"
    );
    assert_eq!(sim.totals().rescued, 5);
}

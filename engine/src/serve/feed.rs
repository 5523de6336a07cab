//! 推送 — what `drill serve` tells the phones as it happens, by server-sent events.
//! Every lasting item (an inject fired, a decision and its verdict, a trainer's
//! command, an evaluator's record) gets the next index and is kept, so a phone that
//! slept reconnects with the last index it saw (`Last-Event-ID`, which browsers send
//! by themselves, or `?last=N`) and receives what it missed first. The clock and the
//! map (`tick`) are not kept: the latest one is sent on connecting.
//!
//! Each item names its audience; a participant receives only what its role would
//! know (injects addressed to it or to everyone, its own decisions), an evaluator all
//! but the trainer's scoreboard, the trainer everything.

use super::auth::Grant;
use crate::model::Actor;
use std::sync::{Arc, RwLock};
use tokio::sync::broadcast;

/// Who may receive an item.
#[derive(Debug, Clone, PartialEq)]
pub enum Audience {
    /// Every phone.
    All,
    /// These roles or teams, the evaluators and the trainer.
    Actors(Vec<Actor>),
    /// The evaluators and the trainer.
    Staff,
    /// The trainer only.
    Trainer,
}

impl Audience {
    pub fn admits(&self, grant: &Grant) -> bool {
        match (self, grant) {
            (_, Grant::Trainer) | (Audience::All, _) => true,
            (Audience::Trainer, _) => false,
            (_, Grant::Evaluator { .. }) => true,
            (Audience::Actors(actors), Grant::Participant { actor, .. }) => actors.contains(actor),
            (Audience::Staff, Grant::Participant { .. }) => false,
        }
    }
}

/// One server-sent event: `event` its name, `data` one line of JSON.
#[derive(Debug, Clone)]
pub struct Item {
    /// The index of a kept item (1, 2, ...); `None` for a tick.
    pub id: Option<u64>,
    pub audience: Audience,
    pub event: &'static str,
    pub data: String,
}

/// The latest tick for participants and evaluators, and the trainer's.
type LatestTicks = (Option<Arc<Item>>, Option<Arc<Item>>);

/// The kept items and the live broadcast.
pub struct Hub {
    kept: RwLock<Vec<Arc<Item>>>,
    /// The latest tick for participants and evaluators, and the trainer's.
    ticks: RwLock<LatestTicks>,
    live: broadcast::Sender<Arc<Item>>,
}

impl Hub {
    pub fn new() -> Hub {
        Hub {
            kept: RwLock::new(Vec::new()),
            ticks: RwLock::new((None, None)),
            live: broadcast::channel(4096).0,
        }
    }

    /// Keeps an item under the next index and sends it out.
    pub fn push(&self, audience: Audience, event: &'static str, data: String) {
        let Ok(mut kept) = self.kept.write() else {
            return;
        };
        let item = Arc::new(Item {
            id: Some(kept.len() as u64 + 1),
            audience,
            event,
            data,
        });
        kept.push(item.clone());
        // Sent under the lock, so that live items arrive in index order.
        let _ = self.live.send(item);
    }

    /// Sends the clock and map: `public` to everyone, `trainer` (with the
    /// scoreboard) to the trainer.
    pub fn tick(&self, public: String, trainer: String) {
        let public = Arc::new(Item {
            id: None,
            audience: Audience::All,
            event: "tick",
            data: public,
        });
        let trainer = Arc::new(Item {
            id: None,
            audience: Audience::Trainer,
            event: "tick",
            data: trainer,
        });
        if let Ok(mut t) = self.ticks.write() {
            *t = (Some(public.clone()), Some(trainer.clone()));
        }
        let _ = self.live.send(public);
        let _ = self.live.send(trainer);
    }

    /// A subscription for `grant` after index `last`: the kept items it missed, the
    /// latest tick, and the live receiver (whose items up to the last one returned
    /// must be skipped by index).
    pub fn subscribe(
        &self,
        grant: &Grant,
        last: u64,
    ) -> (Vec<Arc<Item>>, u64, broadcast::Receiver<Arc<Item>>) {
        let rx = self.live.subscribe();
        let kept = self.kept.read().map(|k| k.clone()).unwrap_or_default();
        let upto = kept.len() as u64;
        let mut missed: Vec<Arc<Item>> = kept
            .into_iter()
            .skip(last.min(upto) as usize)
            .filter(|i| i.audience.admits(grant))
            .collect();
        if let Ok(t) = self.ticks.read() {
            let tick = if *grant == Grant::Trainer { &t.1 } else { &t.0 };
            missed.extend(tick.iter().cloned());
        }
        (missed, upto, rx)
    }

    /// Whether a live item goes to `grant`: the trainer gets the trainer's tick, the
    /// others the public one.
    pub fn for_grant(item: &Item, grant: &Grant) -> bool {
        if item.id.is_none() {
            return (*grant == Grant::Trainer) == (item.audience == Audience::Trainer);
        }
        item.audience.admits(grant)
    }
}

impl Default for Hub {
    fn default() -> Self {
        Hub::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RoleIdx;

    #[test]
    fn a_participant_gets_its_own_and_everyones_items_only() {
        let me = Grant::Participant {
            actor: Actor::Role(RoleIdx(0)),
            name: "a".into(),
        };
        let hub = Hub::new();
        hub.push(Audience::All, "inject", "1".into());
        hub.push(
            Audience::Actors(vec![Actor::Role(RoleIdx(1))]),
            "inject",
            "2".into(),
        );
        hub.push(
            Audience::Actors(vec![Actor::Role(RoleIdx(0))]),
            "inject",
            "3".into(),
        );
        hub.push(Audience::Staff, "record", "4".into());
        let (missed, upto, _) = hub.subscribe(&me, 0);
        assert_eq!(upto, 4);
        let got: Vec<&str> = missed.iter().map(|i| i.data.as_str()).collect();
        assert_eq!(got, ["1", "3"]);
        let (missed, _, _) = hub.subscribe(&me, 2);
        assert_eq!(missed.len(), 1);
        let (missed, _, _) = hub.subscribe(&Grant::Evaluator { name: "e".into() }, 0);
        assert_eq!(missed.len(), 4);
    }
}

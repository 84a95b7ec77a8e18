//! The topology diagram without a browser: which boxes a scenario has, where
//! they sit, which edges join them, what each box's counters say at a moment
//! (from a snapshot), and which messages are moving along which edge (from
//! the trace). The component only draws these numbers.

pub use super::topology_flow::Flow;
use crate::scenario::Scenario;
use crate::sim::{ActorId, Endpoint, TraceEvent, TraceKind, WorldSnapshot};

/// Box size and spacing, in SVG units.
pub const NODE_WIDTH: f64 = 160.0;
/// Box height.
pub const NODE_HEIGHT: f64 = 58.0;
const COLUMN_GAP: f64 = 60.0;
const ROW_GAP: f64 = 22.0;
const MARGIN: f64 = 12.0;
/// How long a message is shown travelling along an edge.
pub const TRAVEL_MS: u64 = 250;

/// What a box stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeKind {
    /// A workload's client.
    Client,
    /// An API endpoint.
    Endpoint,
    /// A topic.
    Topic,
    /// A queue.
    Queue,
    /// A dead-letter queue.
    DeadLetterQueue,
    /// A function.
    Function,
    /// A built-in consumer.
    Consumer,
    /// A workflow (Step Functions-like).
    Workflow,
    /// The store.
    Store,
}

impl NodeKind {
    fn column(self) -> usize {
        match self {
            NodeKind::Client => 0,
            NodeKind::Endpoint | NodeKind::Topic => 1,
            NodeKind::Queue | NodeKind::DeadLetterQueue => 2,
            NodeKind::Function | NodeKind::Consumer => 3,
            // Under the store: both are what functions talk to, and a
            // column of its own would put the workflow across the
            // function -> store edges.
            NodeKind::Store | NodeKind::Workflow => 4,
        }
    }

    /// The word shown above the name.
    pub fn label(self) -> &'static str {
        match self {
            NodeKind::Client => "client",
            NodeKind::Endpoint => "API endpoint",
            NodeKind::Topic => "topic",
            NodeKind::Queue => "queue",
            NodeKind::DeadLetterQueue => "dead-letter queue",
            NodeKind::Function => "function",
            NodeKind::Consumer => "consumer",
            NodeKind::Workflow => "workflow",
            NodeKind::Store => "store",
        }
    }
}

/// One box.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Kind.
    pub kind: NodeKind,
    /// Component name.
    pub name: String,
    /// Top-left corner.
    pub x: f64,
    /// Top-left corner.
    pub y: f64,
}

impl Node {
    /// Where edges attach on the right.
    pub fn right(&self) -> (f64, f64) {
        (self.x + NODE_WIDTH, self.y + NODE_HEIGHT / 2.0)
    }

    /// Where edges attach on the left.
    pub fn left(&self) -> (f64, f64) {
        (self.x, self.y + NODE_HEIGHT / 2.0)
    }
}

/// One edge, from the left box to the right one.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// Index of the source box.
    pub from: usize,
    /// Index of the target box.
    pub to: usize,
}

/// The whole diagram.
#[derive(Clone, Debug, PartialEq)]
pub struct Topology {
    /// Boxes.
    pub nodes: Vec<Node>,
    /// Edges.
    pub edges: Vec<Edge>,
    /// Canvas width.
    pub width: f64,
    /// Canvas height.
    pub height: f64,
    /// Which way it reads (see `topology_flow`).
    pub flow: Flow,
}

/// A message on its way along an edge.
#[derive(Clone, Debug, PartialEq)]
pub struct Dot {
    /// Which edge.
    pub edge: usize,
    /// 0 at the source, 1 at the target.
    pub progress: f64,
    /// Drawn in the danger colour (a throttle, a failure, a dead letter).
    pub alarm: bool,
}

impl Topology {
    /// The diagram of a scenario, laid out in columns: clients, endpoints
    /// and topics, queues, functions and consumers, the store.
    pub fn of(scenario: &Scenario) -> Topology {
        let mut topology = Topology::laid_out(boxes_of(scenario));
        topology.connect_config(scenario);
        topology.connect_workflows(scenario);
        topology
    }

    /// The boxes in columns, in the order given within each column;
    /// columns without boxes (no endpoint or topic, say) take no room.
    fn laid_out(mut found: Vec<(NodeKind, String)>) -> Topology {
        // Stable: kinds in column order, then file order.
        found.sort_by_key(|(kind, _)| (kind.column(), *kind == NodeKind::DeadLetterQueue));
        let mut used: Vec<usize> = found.iter().map(|(kind, _)| kind.column()).collect();
        used.dedup();
        let mut rows = [0usize; 5];
        let nodes: Vec<Node> = found
            .into_iter()
            .map(|(kind, name)| {
                let column = used.iter().position(|c| *c == kind.column()).unwrap_or(0);
                let row = rows[column];
                rows[column] += 1;
                Node {
                    kind,
                    name,
                    x: MARGIN + column as f64 * (NODE_WIDTH + COLUMN_GAP),
                    y: MARGIN + row as f64 * (NODE_HEIGHT + ROW_GAP),
                }
            })
            .collect();
        Topology {
            width: 2.0 * MARGIN + used.len().max(1) as f64 * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP,
            height: 2.0 * MARGIN
                + rows.iter().max().copied().unwrap_or(1).max(1) as f64 * (NODE_HEIGHT + ROW_GAP)
                - ROW_GAP,
            nodes,
            edges: Vec::new(),
            flow: Flow::Across,
        }
    }

    /// The edges the configuration names: clients to their targets,
    /// subscriptions, redrive policies, mappings, consumers, the store.
    fn connect_config(&mut self, scenario: &Scenario) {
        let config = &scenario.config;
        for c in &config.clients {
            let (kind, name) = match &c.target {
                crate::scenario::Target::Topic(t) => (NodeKind::Topic, t),
                crate::scenario::Target::Queue(q) => (NodeKind::Queue, q),
                crate::scenario::Target::Endpoint(e) => (NodeKind::Endpoint, e),
            };
            self.connect((NodeKind::Client, &c.name), (kind, name));
        }
        for e in &config.endpoints {
            self.connect(
                (NodeKind::Endpoint, &e.name),
                (NodeKind::Function, &e.function),
            );
        }
        for t in &config.topics {
            for s in &t.subscriptions {
                let to = match &s.endpoint {
                    Endpoint::Queue(q) => (NodeKind::Queue, q.as_str()),
                    Endpoint::Function(f) => (NodeKind::Function, f.as_str()),
                };
                self.connect((NodeKind::Topic, &t.name), to);
                if let Some(dlq) = &s.dead_letter_queue {
                    self.connect((NodeKind::Topic, &t.name), (NodeKind::Queue, dlq));
                }
            }
        }
        for q in &config.queues {
            if let Some(p) = &q.redrive_policy {
                self.connect(
                    (NodeKind::Queue, &q.name),
                    (NodeKind::Queue, &p.dead_letter_queue),
                );
            }
        }
        for m in &config.mappings {
            self.connect(
                (NodeKind::Queue, &m.queue),
                (NodeKind::Function, &m.function),
            );
        }
        for c in &config.consumers {
            self.connect((NodeKind::Queue, &c.queue), (NodeKind::Consumer, &c.name));
        }
        for f in &scenario.functions {
            self.connect((NodeKind::Function, &f.name), (NodeKind::Store, "store"));
        }
    }

    /// A workflow is joined to the functions that start it (read from
    /// their code: who calls `workflows.start("name", ...)` is not
    /// configuration) and to the functions its task steps invoke.
    fn connect_workflows(&mut self, scenario: &Scenario) {
        for w in &scenario.config.workflows {
            let quoted = format!("\"{}\"", w.name);
            for f in &scenario.functions {
                if f.code.contains("workflows.start") && f.code.contains(&quoted) {
                    self.connect((NodeKind::Function, &f.name), (NodeKind::Workflow, &w.name));
                }
            }
            for function in w.steps.iter().filter_map(|s| s.function.as_deref()) {
                self.connect(
                    (NodeKind::Function, function),
                    (NodeKind::Workflow, &w.name),
                );
            }
        }
    }

    /// The same diagram flowing down, for a narrow box.
    pub fn down(&self) -> Topology {
        self.flowing_down(MARGIN, NODE_WIDTH + COLUMN_GAP, NODE_HEIGHT + ROW_GAP)
    }

    /// The index of a box; dead-letter queues answer to `Queue` too.
    pub fn find(&self, kind: NodeKind, name: &str) -> Option<usize> {
        self.nodes.iter().position(|n| {
            n.name == name
                && (n.kind == kind
                    || (kind == NodeKind::Queue && n.kind == NodeKind::DeadLetterQueue))
        })
    }

    fn connect(&mut self, from: (NodeKind, &str), to: (NodeKind, &str)) {
        let (Some(from), Some(to)) = (self.find(from.0, from.1), self.find(to.0, to.1)) else {
            return;
        };
        if !self.edges.iter().any(|e| e.from == from && e.to == to) {
            self.edges.push(Edge { from, to });
        }
    }

    fn edge(&self, from: Option<usize>, to: Option<usize>) -> Option<usize> {
        let (from, to) = (from?, to?);
        self.edges.iter().position(|e| e.from == from && e.to == to)
    }

    /// The messages travelling at `now_ms`: every event of the last
    /// [`TRAVEL_MS`] that moves something along an edge.
    pub fn dots(&self, trace: &[TraceEvent], scenario: &Scenario, now_ms: u64) -> Vec<Dot> {
        let since = now_ms.saturating_sub(TRAVEL_MS);
        let start = trace.partition_point(|e| e.time_ms < since);
        trace[start..]
            .iter()
            .take_while(|e| e.time_ms <= now_ms)
            .filter_map(|e| {
                let (edge, reverse, alarm) = self.edge_of(e, scenario)?;
                let elapsed = (now_ms - e.time_ms) as f64 / TRAVEL_MS as f64;
                let progress = if reverse { 1.0 - elapsed } else { elapsed };
                Some(Dot {
                    edge,
                    progress: progress.clamp(0.0, 1.0),
                    alarm,
                })
            })
            .collect()
    }

    /// The edge from box `from` to box `to`, if both are drawn and joined.
    fn link(&self, from: (NodeKind, &str), to: (NodeKind, &str)) -> Option<usize> {
        self.edge(self.find(from.0, from.1), self.find(to.0, to.1))
    }

    /// The edge an event moves a message along, whether it goes backwards
    /// (an answer), and whether it is bad news.
    fn edge_of(&self, e: &TraceEvent, scenario: &Scenario) -> Option<(usize, bool, bool)> {
        let d = &e.details;
        let forward = |edge: Option<usize>, alarm: bool| edge.map(|i| (i, false, alarm));
        match (&e.kind, &e.actor) {
            (TraceKind::Sent, ActorId::Client(c)) => forward(
                self.link((NodeKind::Client, c), (NodeKind::Queue, named(d.queue())?)),
                false,
            ),
            (TraceKind::Published, ActorId::Client(c)) => forward(
                self.link((NodeKind::Client, c), (NodeKind::Topic, named(d.topic())?)),
                false,
            ),
            (TraceKind::Sent, ActorId::Topic(t)) => forward(
                self.link((NodeKind::Topic, t), (NodeKind::Queue, named(d.queue())?)),
                false,
            ),
            (TraceKind::ClientRequested, ActorId::Client(c)) => forward(
                self.link(
                    (NodeKind::Client, c),
                    (NodeKind::Endpoint, named(d.destination())?),
                ),
                false,
            ),
            (TraceKind::ClientResponded, ActorId::Client(c)) => self
                .link(
                    (NodeKind::Client, c),
                    (NodeKind::Endpoint, named(d.destination())?),
                )
                .map(|i| (i, true, d.status_code() != Some(200))),
            (TraceKind::EndpointAccepted, ActorId::Endpoint(n)) => forward(
                self.link(
                    (NodeKind::Endpoint, n),
                    (NodeKind::Function, named(d.function())?),
                ),
                false,
            ),
            (TraceKind::MovedToDlq, ActorId::Queue(q)) => forward(
                self.link(
                    (NodeKind::Queue, q),
                    (NodeKind::Queue, named(d.destination())?),
                ),
                true,
            ),
            _ => self.work_edge_of(e, scenario),
        }
    }

    /// [`Self::edge_of`] for the work a message causes: an invocation from
    /// a queue, a store write, a workflow's start and its task steps.
    fn work_edge_of(&self, e: &TraceEvent, scenario: &Scenario) -> Option<(usize, bool, bool)> {
        let d = &e.details;
        let function = d.function().map(|n| n.as_str());
        match (&e.kind, &e.actor) {
            (TraceKind::InvocationStarted, _) => {
                let mapping = d.mapping().map(|n| n.as_str())?;
                let mappings = &scenario.config.mappings;
                let queue = &mappings.iter().find(|m| m.name == mapping)?.queue;
                let edge = self.link((NodeKind::Queue, queue), (NodeKind::Function, function?));
                edge.map(|i| (i, false, false))
            }
            (TraceKind::StoreWrite, actor) => {
                let edge = self.link(
                    (NodeKind::Function, &name_of(actor)?),
                    (NodeKind::Store, "store"),
                );
                edge.map(|i| (i, false, false))
            }
            (TraceKind::ExecutionStarted, ActorId::Workflow(w)) => {
                let edge = self.link((NodeKind::Function, function?), (NodeKind::Workflow, w));
                edge.map(|i| (i, false, false))
            }
            // A task step sends the state to its function: right to left.
            (TraceKind::StepStarted, ActorId::Workflow(w)) => self
                .link((NodeKind::Function, function?), (NodeKind::Workflow, w))
                .map(|i| (i, true, d.attempt().unwrap_or(1) > 1)),
            _ => None,
        }
    }
}

/// A name from an event's details, as text.
fn named(name: Option<&crate::sim::Name>) -> Option<&str> {
    name.map(|n| n.as_str())
}

/// The name of an actor drawn as a box (none: the outside world).
fn name_of(actor: &ActorId) -> Option<String> {
    match actor {
        ActorId::Client(n)
        | ActorId::Topic(n)
        | ActorId::Queue(n)
        | ActorId::Consumer(n)
        | ActorId::Mapping(n)
        | ActorId::Function(n)
        | ActorId::Endpoint(n)
        | ActorId::Workflow(n) => Some(n.to_string()),
        ActorId::External => None,
    }
}

/// Every box a scenario has, by kind, in file order.
fn boxes_of(scenario: &Scenario) -> Vec<(NodeKind, String)> {
    let config = &scenario.config;
    let dlqs: Vec<&str> = config
        .queues
        .iter()
        .filter_map(|q| {
            q.redrive_policy
                .as_ref()
                .map(|p| p.dead_letter_queue.as_str())
        })
        .chain(
            config
                .topics
                .iter()
                .flat_map(|t| &t.subscriptions)
                .filter_map(|s| s.dead_letter_queue.as_deref()),
        )
        .collect();
    let mut found: Vec<(NodeKind, String)> = Vec::new();
    found.extend(
        config
            .clients
            .iter()
            .map(|c| (NodeKind::Client, c.name.clone())),
    );
    found.extend(
        config
            .endpoints
            .iter()
            .map(|e| (NodeKind::Endpoint, e.name.clone())),
    );
    found.extend(
        config
            .topics
            .iter()
            .map(|t| (NodeKind::Topic, t.name.clone())),
    );
    found.extend(config.queues.iter().map(|q| {
        let kind = if dlqs.contains(&q.name.as_str()) {
            NodeKind::DeadLetterQueue
        } else {
            NodeKind::Queue
        };
        (kind, q.name.clone())
    }));
    found.extend(
        scenario
            .functions
            .iter()
            .map(|f| (NodeKind::Function, f.name.clone())),
    );
    found.extend(
        config
            .consumers
            .iter()
            .map(|c| (NodeKind::Consumer, c.name.clone())),
    );
    if !scenario.functions.is_empty() {
        found.push((NodeKind::Store, "store".to_string()));
    }
    found.extend(
        config
            .workflows
            .iter()
            .map(|w| (NodeKind::Workflow, w.name.clone())),
    );
    found
}

/// The counters under a box's name at the moment of `snapshot`.
pub fn counters(node: &Node, snapshot: &WorldSnapshot) -> String {
    let name = node.name.as_str();
    match node.kind {
        NodeKind::Client => snapshot
            .clients
            .iter()
            .find(|c| c.name.as_str() == name)
            .map(client_counters)
            .unwrap_or_default(),
        NodeKind::Endpoint => snapshot
            .endpoints
            .iter()
            .find(|e| e.config.name == name)
            .map(|e| format!("{} tokens · {} × 429", e.tokens, e.throttled))
            .unwrap_or_default(),
        NodeKind::Topic => snapshot
            .topics
            .iter()
            .find(|t| t.name.as_str() == name)
            .map(|t| format!("{} published", t.published))
            .unwrap_or_default(),
        NodeKind::Queue | NodeKind::DeadLetterQueue => snapshot
            .queues
            .iter()
            .find(|q| q.name.as_str() == name)
            .map(|q| {
                let waiting = q.counts.waiting + q.counts.delayed;
                format!("{waiting} waiting · {} in flight", q.counts.in_flight)
            })
            .unwrap_or_default(),
        NodeKind::Function => snapshot
            .functions
            .iter()
            .find(|f| f.name.as_str() == name)
            .map(function_counters)
            .unwrap_or_default(),
        NodeKind::Consumer => snapshot
            .consumers
            .iter()
            .find(|c| c.name.as_str() == name)
            .map(|c| format!("{} workers", c.workers.len()))
            .unwrap_or_default(),
        NodeKind::Workflow => snapshot
            .workflows
            .iter()
            .find(|w| w.name == name)
            .map(|w| workflow_counters(&w.stats))
            .unwrap_or_default(),
        NodeKind::Store => format!(
            "{} items · {} stale",
            snapshot.store.items.len(),
            snapshot.store.stale_overwrites.len()
        ),
    }
}

/// A client's calls done of all, and its retries.
fn client_counters(c: &crate::sim::ClientSnapshot) -> String {
    let mut text = format!("{}/{} calls done", c.succeeded + c.failed, c.calls);
    if c.retries > 0 {
        text.push_str(&format!(" · {} retries", c.retries));
    }
    text
}

/// A function's running and warm environments, and its throttles.
fn function_counters(f: &crate::sim::FunctionSnapshot) -> String {
    let warm = f.environments.iter().filter(|e| e.warm).count();
    let mut text = format!("{} running · {warm} warm", f.concurrency);
    if f.stats.throttled > 0 {
        text.push_str(&format!(" · {} throttled", f.stats.throttled));
    }
    text
}

/// A workflow's executions running and done, failures and retries.
fn workflow_counters(s: &crate::sim::WorkflowStats) -> String {
    let running = s.started - s.succeeded - s.failed;
    let mut text = if running > 0 {
        format!("{running} running · {} done", s.succeeded)
    } else {
        format!("{} done", s.succeeded)
    };
    if s.failed > 0 {
        text.push_str(&format!(" · {} failed", s.failed));
    }
    if s.retries > 0 {
        text.push_str(&format!(" · {} retries", s.retries));
    }
    text
}

//! Building the function engine from its configs: each function compiled
//! and seeded, the concurrency reservations checked against the account's
//! limit, and the provisioned environments initialized at time 0 (the
//! model is described in `mod.rs`).

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::{
    config, detail, Env, Function, FunctionConfig, FunctionEvent, FunctionStats, Functions,
};
use crate::sim::error::SimError;
use crate::sim::kernel::{derive_seed, Kernel, SimRng};
use crate::sim::name::Name;
use crate::sim::sandbox::{Environment, HandlerProgram, SandboxLimits};
use crate::sim::store::{Store, StoreConfig, StoreLimits};
use crate::sim::trace::{ActorId, TraceKind};
use crate::sim::version_store::VersionStore;

impl Functions {
    /// `largest_batch(name)`: the most records one event of function `name`
    /// may carry (its event source mappings' batch sizes).
    pub fn new<E: From<FunctionEvent>>(
        configs: &[FunctionConfig],
        account_limit: u32,
        (seed, store): (u64, &StoreConfig),
        largest_batch: &dyn Fn(&str) -> u32,
        k: &mut Kernel<E>,
    ) -> Result<Self, SimError> {
        crate::sim::error::check_range(
            "world",
            "account_concurrency_limit",
            u64::from(account_limit),
            1,
            u64::from(config::ACCOUNT_CONCURRENCY_MAX),
        )?;
        let mut functions = Functions::empty(account_limit, store);
        let mut reserved_total: u64 = 0;
        for (i, config) in configs.iter().enumerate() {
            config.validate(account_limit)?;
            reserved_total += u64::from(config.reserved_concurrency.unwrap_or(0));
            let function = Function::build(config, seed, largest_batch)?;
            if functions.index.insert(function.name.clone(), i).is_some() {
                return Err(SimError::DuplicateName {
                    kind: "function",
                    name: config.name.clone(),
                });
            }
            functions.list.push(function);
        }
        functions.unreserved_pool = unreserved_pool(account_limit, reserved_total)?;
        for i in 0..functions.list.len() {
            functions.provision(k, i);
        }
        // The provisioned environments' cold-start code (the programs are
        // new, so this is all they ran).
        functions.ops_used = functions
            .list
            .iter()
            .map(|f| f.program.run_ops_used())
            .sum();
        Ok(functions)
    }

    /// No functions yet, the whole account limit unreserved.
    fn empty(account_limit: u32, store: &StoreConfig) -> Self {
        Functions {
            list: Vec::new(),
            index: BTreeMap::new(),
            execs: BTreeMap::new(),
            next_invocation: 0,
            next_env: 0,
            next_request: 0,
            account_limit,
            unreserved_pool: account_limit,
            unreserved_busy: 0,
            store: Store::with_config(store.clone(), StoreLimits::default()),
            drafts: VersionStore::new(),
            sync: BTreeMap::new(),
            pending_async: 0,
            workflow_outbox: Vec::new(),
            ops_used: 0,
        }
    }

    /// Creates and initializes function `function`'s provisioned
    /// environments at time 0, so that its first invocations start warm.
    fn provision<E>(&mut self, k: &mut Kernel<E>, function: usize) {
        for _ in 0..self.list[function].config.provisioned_concurrency {
            self.next_env += 1;
            let id = self.next_env;
            let f = &mut self.list[function];
            let mut sandbox = Environment::new();
            let writer = format!("init-e{id}");
            // A failing init leaves the environment cold: the first
            // invocation runs it again and reports the error.
            let _ =
                f.program
                    .initialize(&mut sandbox, &writer, 0, &mut self.store, &mut self.drafts);
            f.envs.insert(
                id,
                Env {
                    sandbox,
                    busy: false,
                    provisioned: true,
                    idle_since_ms: 0,
                },
            );
            let mut d = detail(&f.name);
            d.environment = Some(id);
            d.reason = Some(Cow::Borrowed(
                "provisioned concurrency: initialized before any invocation",
            ));
            k.record(f.actor.clone(), TraceKind::EnvironmentStarted, None, d);
        }
    }
}

impl Function {
    /// A function with its compiled program and its own seeded generators;
    /// a compile error names the function and the line.
    fn build(
        config: &FunctionConfig,
        seed: u64,
        largest_batch: &dyn Fn(&str) -> u32,
    ) -> Result<Function, SimError> {
        let limits = SandboxLimits::for_batch(largest_batch(&config.name));
        let program = HandlerProgram::compile(&config.code, limits).map_err(|e| {
            SimError::HandlerCompile {
                function: config.name.clone(),
                line: e.line,
                column: e.column,
                message: e.message.clone(),
            }
        })?;
        let name = Name::from(&config.name);
        Ok(Function {
            actor: ActorId::Function(name.clone()),
            rng: SimRng::for_subsystem(seed, &format!("function:{}", config.name)),
            latency_root: derive_seed(seed, &format!("store-latency:{}", config.name)),
            name,
            config: config.clone(),
            program: std::rc::Rc::new(program),
            retiring: Default::default(),
            envs: BTreeMap::new(),
            busy: 0,
            stats: FunctionStats::default(),
        })
    }
}

/// The account's concurrency left to functions without a reservation; an
/// error when the reservations alone exceed the account's limit.
fn unreserved_pool(account_limit: u32, reserved_total: u64) -> Result<u32, SimError> {
    if reserved_total > u64::from(account_limit) {
        return Err(SimError::InvalidConfig {
            component: "functions".into(),
            field: "reserved_concurrency",
            reason: format!(
                "the reservations add up to {reserved_total}, more than the account concurrency limit of {account_limit}"
            ),
        });
    }
    Ok(account_limit - reserved_total as u32)
}

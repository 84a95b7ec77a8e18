//! The row under the editor: the seed, Random seed, Run, Check over N
//! seeds, and Reset code.

use leptos::prelude::*;

use super::use_playground::PlaygroundState;

/// The controls of `state`; Reset code sets `asking_reset` (it asks first).
#[component]
pub fn RunControls(state: PlaygroundState, asking_reset: RwSignal<bool>) -> impl IntoView {
    let seed = state.work.seed;
    let check_seeds = state.edit.check_seeds;
    view! {
        <div class="controls">
            <label>
                "Seed "
                <input
                    type="number"
                    min="0"
                    prop:value=move || seed.get().to_string()
                    on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).trim().parse::<u64>() {
                            seed.set(v);
                        }
                    }
                />
            </label>
            <button type="button" on:click=move |_| seed.set(random_seed())>"Random seed"</button>
            <button type="button" class="primary" on:click=move |_| state.run()>"Run"</button>
            <button type="button" on:click=move |_| state.check()>{move || format!("Check over {} seeds", check_seeds.get())}</button>
            <button type="button" on:click=move |_| asking_reset.set(true)>"Reset code"</button>
        </div>
    }
}

/// A new seed. Not the engine's RNG: any new seed will do, and the run
/// stays reproducible because the seed is shown.
fn random_seed() -> u64 {
    // `Math.random` through wasm-bindgen without pulling js-sys in.
    #[wasm_bindgen::prelude::wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = Math)]
        fn random() -> f64;
    }
    (random() * 1_000_000.0) as u64
}

//! A signal that follows `location.hash`.

use leptos::prelude::*;

use super::browser::location_hash;
use super::route::Route;

/// The current route, updated on every `hashchange` (links, back/forward).
pub fn use_hash_route() -> ReadSignal<Route> {
    let (route, set_route) = signal(Route::from_hash(&location_hash()));
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        set_route.set(Route::from_hash(&location_hash()));
    });
    on_cleanup(move || handle.remove());
    route
}

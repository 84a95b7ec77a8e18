//! Registers the service worker (`sw.js`, next to `index.html`) that makes
//! the app work offline after the first visit. Relative URL and scope, so it
//! works under any sub-path. Where service workers are unavailable (an
//! insecure origin, a browser setting, a private mode) nothing happens and
//! the app works online as before.

use wasm_bindgen::JsValue;
use web_sys::{js_sys, RegistrationOptions};

/// Starts the registration; never fails loudly.
pub fn register() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    // `navigator.serviceWorker` is missing outside secure contexts.
    let available = js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker"))
        .unwrap_or(false)
        && js_sys::Reflect::get(&navigator, &JsValue::from_str("serviceWorker"))
            .is_ok_and(|v| !v.is_undefined() && !v.is_null());
    if !available {
        return;
    }
    let options = RegistrationOptions::new();
    options.set_scope("./");
    let promise = navigator
        .service_worker()
        .register_with_options("./sw.js", &options);
    wasm_bindgen_futures::spawn_local(async move {
        // A refused registration (e.g. no sw.js on a dev server) only means
        // no offline copy; the page works as it is.
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    });
}

//! `use_element_width`: an element's width in CSS pixels, kept current by a
//! `ResizeObserver`, so a view can choose its layout from the room it has
//! (the window, the split handle and "Full width" all change it).

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The width of `target`'s element in CSS pixels: 0 until it is mounted,
/// then updated whenever it changes size. The observer is disconnected
/// when the calling component goes away.
pub fn use_element_width(target: NodeRef<leptos::html::Figure>) -> ReadSignal<f64> {
    let (width_px, set_width_px) = signal(0.0f64);
    // Local: the observer and its callback are JavaScript objects.
    let observer = StoredValue::new_local(None::<(web_sys::ResizeObserver, Closure<dyn FnMut()>)>);
    Effect::new(move |_| {
        let Some(el) = target.get() else { return };
        let measured = el.clone();
        let on_resize = Closure::<dyn FnMut()>::new(move || {
            // `try_set`: a last callback may come after the view is gone.
            let _ = set_width_px.try_set(f64::from(measured.client_width()));
        });
        let Ok(watch) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) else {
            // No ResizeObserver: measure once.
            set_width_px.set(f64::from(el.client_width()));
            return;
        };
        watch.observe(&el);
        set_width_px.set(f64::from(el.client_width()));
        observer.set_value(Some((watch, on_resize)));
    });
    on_cleanup(move || {
        let _ = observer.try_update_value(|o| {
            if let Some((watch, _)) = o.take() {
                watch.disconnect();
            }
        });
    });
    width_px
}

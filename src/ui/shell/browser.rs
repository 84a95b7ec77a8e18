//! The few browser calls the UI makes, each failing soft: a missing window,
//! a blocked localStorage (private mode, quota) or a failed DOM call must
//! never panic the page.

use web_sys::window;

/// The current `location.hash`, or empty when unavailable.
pub fn location_hash() -> String {
    window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Reads a localStorage value; `None` when missing or storage is blocked.
pub fn storage_get(key: &str) -> Option<String> {
    window()?.local_storage().ok()??.get_item(key).ok()?
}

/// Writes a localStorage value; returns whether it was stored.
pub fn storage_set(key: &str, value: &str) -> bool {
    window()
        .and_then(|w| w.local_storage().ok().flatten())
        .map(|s| s.set_item(key, value).is_ok())
        .unwrap_or(false)
}

/// Sets or removes an attribute on `<html>`.
pub fn set_root_attribute(name: &str, value: Option<&str>) {
    let Some(root) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = match value {
        Some(v) => root.set_attribute(name, v),
        None => root.remove_attribute(name),
    };
}

/// Sets the document title (what the tab and screen readers announce).
pub fn set_title(title: &str) {
    if let Some(doc) = window().and_then(|w| w.document()) {
        doc.set_title(title);
    }
}

/// Sets `location.hash` (a route change; no reload).
pub fn set_location_hash(hash: &str) {
    if let Some(w) = window() {
        let _ = w.location().set_hash(hash);
    }
}

/// The page's address without its `#` part, or empty when unavailable.
pub fn page_address() -> String {
    let href = window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    match href.split_once('#') {
        Some((base, _)) => base.to_string(),
        None => href,
    }
}

/// Selects the text of a text area and asks the browser to copy it;
/// returns whether the copy command ran.
pub fn copy_text_area(area: &web_sys::HtmlTextAreaElement) -> bool {
    use wasm_bindgen::JsCast;
    area.select();
    window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        .and_then(|d| d.exec_command("copy").ok())
        .unwrap_or(false)
}

/// Every localStorage `(key, value)` pair; empty when storage is blocked.
pub fn storage_entries() -> Vec<(String, String)> {
    let Some(storage) = window().and_then(|w| w.local_storage().ok().flatten()) else {
        return Vec::new();
    };
    let count = storage.length().unwrap_or(0);
    (0..count)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter_map(|key| {
            let value = storage.get_item(&key).ok().flatten()?;
            Some((key, value))
        })
        .collect()
}

/// Removes a localStorage value; returns whether storage answered.
pub fn storage_remove(key: &str) -> bool {
    window()
        .and_then(|w| w.local_storage().ok().flatten())
        .map(|s| s.remove_item(key).is_ok())
        .unwrap_or(false)
}

/// Offers `text` as a file download named `file_name`; returns whether the
/// browser accepted it.
pub fn download_text(file_name: &str, mime: &str, text: &str) -> bool {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return false;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return false;
    };
    let clicked = window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .map(|a| {
            a.set_href(&url);
            a.set_download(file_name);
            a.click();
        })
        .is_some();
    // Freed a little later: some browsers read the URL after the click.
    gloo_timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    clicked
}

/// Reloads the page (after the saved work was replaced wholesale).
pub fn reload_page() {
    if let Some(w) = window() {
        let _ = w.location().reload();
    }
}

/// Reads a sessionStorage value (this tab only; it survives a reload);
/// `None` when missing or storage is blocked.
pub fn session_get(key: &str) -> Option<String> {
    window()?.session_storage().ok()??.get_item(key).ok()?
}

/// Writes a sessionStorage value; returns whether it was stored.
pub fn session_set(key: &str, value: &str) -> bool {
    window()
        .and_then(|w| w.session_storage().ok().flatten())
        .map(|s| s.set_item(key, value).is_ok())
        .unwrap_or(false)
}

/// Removes a sessionStorage value; returns whether storage answered.
pub fn session_remove(key: &str) -> bool {
    window()
        .and_then(|w| w.session_storage().ok().flatten())
        .map(|s| s.remove_item(key).is_ok())
        .unwrap_or(false)
}

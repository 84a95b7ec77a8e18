//! Reading an instructor's lesson: a file the learner chose or dropped, or
//! a path on this site (any other origin is refused).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, RequestCredentials, RequestInit, RequestMode, Response, Url};

/// The text of a file the learner chose or dropped.
pub async fn read_file(file: &File) -> Result<String, String> {
    let name = file.name();
    JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|v| v.as_string())
        .ok_or_else(|| format!("{name}: the file could not be read as text"))
}

/// Fetches a lesson from a path on this site; any other origin is refused.
pub async fn fetch_same_origin(path: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let here = window.location().href().map_err(|_| "no location")?;
    let origin = window.location().origin().map_err(|_| "no location")?;
    let url = Url::new_with_base(path, &here).map_err(|_| format!("{path} is not a valid path"))?;
    if url.origin() != origin {
        return Err(format!(
            "Refused to load {path:?}: it is on {}, not on this site ({origin}).",
            url.origin()
        ));
    }
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_mode(RequestMode::SameOrigin);
    init.set_credentials(RequestCredentials::SameOrigin);
    let unreachable =
        || format!("{path}: the file could not be fetched (offline, or not on this site)");
    let response = JsFuture::from(window.fetch_with_str_and_init(&url.href(), &init))
        .await
        .map_err(|_| unreachable())?
        .dyn_into::<Response>()
        .map_err(|_| unreachable())?;
    if !response.ok() {
        return Err(format!(
            "{path}: the server answered {} {} (is the path right?)",
            response.status(),
            response.status_text()
        ));
    }
    let text = response.text().map_err(|_| unreachable())?;
    JsFuture::from(text)
        .await
        .ok()
        .and_then(|v| v.as_string())
        .ok_or_else(|| format!("{path}: the file is not text"))
}

//! Hash routes: `#/lesson/<id>`. A static host serves one `index.html` for
//! every link, so the route must live after the `#`, which the server never
//! sees: deep links and reloads work without rewrite rules.

/// Where the app is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// No route in the link: show the first lesson.
    Home,
    /// A lesson by id (which may not exist: the view says so).
    Lesson(String),
    /// The page where an instructor loads a lesson file (`#/load`).
    LoadLesson,
    /// The learner's saved work: export, import, reset (`#/work`).
    Work,
    /// An instructor's lesson fetched from a path on this site
    /// (`#/lesson-url/<path>`, the path relative to the app).
    LessonUrl(String),
    /// A share link (`#/share/v<n>/<data>`), kept whole for the decoder
    /// (see `share_link`), which explains any damage.
    Share(String),
    /// Something the app does not understand, kept to explain it.
    Unknown(String),
}

const LESSON_PREFIX: &str = "#/lesson/";
const LOAD_HASH: &str = "#/load";
const WORK_HASH: &str = "#/work";
const LESSON_URL_PREFIX: &str = "#/lesson-url/";

impl Route {
    /// Reads `location.hash` (with its leading `#`, or empty).
    pub fn from_hash(hash: &str) -> Route {
        let hash = hash.trim();
        if hash.is_empty() || hash == "#" || hash == "#/" {
            return Route::Home;
        }
        if hash == LOAD_HASH {
            return Route::LoadLesson;
        }
        if hash == WORK_HASH {
            return Route::Work;
        }
        if let Some(path) = hash.strip_prefix(LESSON_URL_PREFIX) {
            return Route::LessonUrl(path.to_string());
        }
        if hash.starts_with(super::share_link::SHARE_PREFIX) {
            return Route::Share(hash.to_string());
        }
        match hash.strip_prefix(LESSON_PREFIX) {
            Some(id) => {
                let id = id.trim_end_matches('/');
                if id.is_empty() {
                    Route::Home
                } else {
                    Route::Lesson(id.to_string())
                }
            }
            None => Route::Unknown(hash.to_string()),
        }
    }

    /// The link for this route, relative to the page, so it works under any
    /// sub-path of any host.
    pub fn href(&self) -> String {
        match self {
            Route::Home => "#/".to_string(),
            Route::Lesson(id) => lesson_href(id),
            Route::LoadLesson => LOAD_HASH.to_string(),
            Route::Work => WORK_HASH.to_string(),
            Route::LessonUrl(path) => format!("{LESSON_URL_PREFIX}{path}"),
            Route::Share(hash) | Route::Unknown(hash) => hash.clone(),
        }
    }
}

/// The link to a lesson.
pub fn lesson_href(id: &str) -> String {
    format!("{LESSON_PREFIX}{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_hash_is_home() {
        assert_eq!(Route::from_hash(""), Route::Home);
        assert_eq!(Route::from_hash("#"), Route::Home);
        assert_eq!(Route::from_hash("#/"), Route::Home);
    }

    #[test]
    fn lesson_hash_round_trips() {
        let route = Route::from_hash("#/lesson/out-of-order");
        assert_eq!(route, Route::Lesson("out-of-order".into()));
        assert_eq!(Route::from_hash(&route.href()), route);
    }

    #[test]
    fn trailing_slash_is_tolerated() {
        assert_eq!(
            Route::from_hash("#/lesson/welcome/"),
            Route::Lesson("welcome".into())
        );
    }

    #[test]
    fn instructor_routes_round_trip() {
        for route in [
            Route::LoadLesson,
            Route::Work,
            Route::LessonUrl("lessons/x.md".into()),
        ] {
            assert_eq!(Route::from_hash(&route.href()), route);
        }
    }

    #[test]
    fn share_hash_is_kept_whole() {
        let hash = "#/share/v1/abc";
        assert_eq!(Route::from_hash(hash), Route::Share(hash.into()));
        assert_eq!(Route::from_hash(hash).href(), hash);
    }

    #[test]
    fn unknown_hash_is_kept_for_the_message() {
        assert_eq!(Route::from_hash("#/nope"), Route::Unknown("#/nope".into()));
    }
}

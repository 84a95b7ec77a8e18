//! Entry point of the web app: mount and nothing else.

fn main() {
    event_playground::ui::start();
}

//! Rendering: draws a frame from `&App`. Never changes the model.

use ratatui::Frame;

use crate::app::App;

pub fn render(_frame: &mut Frame, _app: &App) {
    todo!()
}

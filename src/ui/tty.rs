//! Terminal rendering: a spinner line per container with its state and duration, a byte bar
//! per layer while pulling.

use super::event::{seconds, Event};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use std::collections::HashMap;
use std::time::Duration;

pub(super) struct Bars {
    multi: MultiProgress,
    bars: HashMap<String, ProgressBar>,
}

impl Bars {
    pub(super) fn new(multi: MultiProgress) -> Bars {
        Bars {
            multi,
            bars: HashMap::new(),
        }
    }

    pub(super) fn show(&mut self, event: &Event) {
        match event {
            Event::Pulling { image } => {
                let bar = self.bar(&format!("image {image}"), spinner_style());
                bar.set_prefix(image.clone());
                bar.set_message("pulling");
            }
            Event::Layer {
                image,
                layer,
                status,
                current,
                total,
            } => {
                let bar = self.bar(&format!("layer {image} {layer}"), layer_style());
                bar.set_prefix(format!("  {layer}"));
                bar.set_length(*total);
                bar.set_position(*current);
                bar.set_message(status.clone());
            }
            Event::ImageReady {
                image,
                pulled: true,
                elapsed,
            } => {
                let bar = self.bar(&format!("image {image}"), spinner_style());
                bar.finish_with_message(format!("pulled ({})", seconds(*elapsed)));
                let prefix = format!("layer {image} ");
                for (key, layer) in &self.bars {
                    if key.starts_with(&prefix) {
                        layer.finish_and_clear();
                    }
                }
            }
            Event::ImageReady { pulled: false, .. } => {}
            Event::Container {
                container,
                state,
                elapsed,
                detail,
                ..
            } => {
                let bar = self.bar(&format!("container {container}"), spinner_style());
                bar.set_prefix(container.clone());
                let mut msg = state.word().to_string();
                if !elapsed.is_zero() {
                    msg.push_str(&format!(" ({})", seconds(*elapsed)));
                }
                if let Some(detail) = detail {
                    msg.push_str(&format!(", {detail}"));
                }
                if state.is_final() {
                    bar.finish_with_message(msg);
                } else {
                    bar.set_message(msg);
                }
            }
            Event::Pod { message, .. } => self.println(message),
            Event::Warning { message } => self.println(&format!("warning: {message}")),
        }
    }

    pub(super) fn println(&self, text: &str) {
        // println on a MultiProgress with no bars is a no-op when hidden; fall back to stdout.
        if self.multi.println(text).is_err() {
            println!("{text}");
        }
    }

    pub(super) fn suspend(&self, f: impl FnOnce()) {
        self.multi.suspend(f)
    }

    pub(super) fn clear(&mut self) {
        for bar in self.bars.values() {
            if !bar.is_finished() {
                bar.finish();
            }
        }
        self.bars.clear();
    }

    fn bar(&mut self, key: &str, style: ProgressStyle) -> ProgressBar {
        self.bars
            .entry(key.to_string())
            .or_insert_with(|| {
                let bar = self.multi.add(ProgressBar::new_spinner().with_style(style));
                bar.enable_steady_tick(Duration::from_millis(120));
                bar
            })
            .clone()
    }
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner:.cyan} {prefix:.bold:<24} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
        .tick_strings(&["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏", "✔"])
}

fn layer_style() -> ProgressStyle {
    ProgressStyle::with_template("  {prefix:<22} [{bar:30.cyan/blue}] {bytes}/{total_bytes} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

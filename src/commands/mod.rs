//! One file per command: each wires the pipeline steps together for one user action.

mod check;
mod down;
mod exec;
mod foreground;
mod logs;
mod ps;
pub(crate) mod signals;
mod supervise;
mod up;
mod wait;

pub use check::check;
pub use down::down;
pub use exec::exec;
pub use logs::logs;
pub use ps::ps;
pub use supervise::supervise;
pub use up::up;

use crate::docker::inventory::{self, ContainerView, PodView};
use crate::error::{Error, Result};
use crate::ui::Ui;
use bollard::Docker;
use std::path::Path;

/// `podc pause-binary PATH`.
pub fn pause_binary(path: &Path, ui: &Ui) -> Result<i32> {
    crate::pause_binary::write_to(path).map_err(|e| {
        Error::Runtime(format!(
            "cannot write the pause binary to {}: {e}",
            path.display()
        ))
    })?;
    ui.line(&format!(
        "wrote {} ({} bytes)",
        path.display(),
        crate::pause_binary::PAUSE_BINARY.len()
    ));
    Ok(0)
}

/// The pod called `name`, or an error that says how to find pods.
async fn find_pod(docker: &Docker, name: &str) -> Result<PodView> {
    inventory::list(docker, Some(name))
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| {
            Error::Runtime(format!(
                "pod {name} does not exist\n  hint: `podc ps` lists the pods podc runs"
            ))
        })
}

/// A member of `pod` by its manifest name, or the first member when `name` is None.
fn find_member<'a>(pod: &'a PodView, name: Option<&str>) -> Result<&'a ContainerView> {
    let names = || {
        pod.containers
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match name {
        Some(name) => pod
            .containers
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| {
                Error::Input(format!(
                    "pod {} has no container {name}; its containers: {}",
                    pod.name,
                    names()
                ))
            }),
        None => pod
            .containers
            .first()
            .ok_or_else(|| Error::Runtime(format!("pod {} has no containers left", pod.name))),
    }
}

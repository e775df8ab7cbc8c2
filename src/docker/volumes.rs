//! The pod's volumes in Docker: hostPath checks on podc's host, Docker volumes created (labelled
//! with the pod) before any container, filled (configMap, secret files; emptyDir's mode; subPath
//! directories) by a container that is created from the pause image and never started, and
//! removed after the pod's containers by `down` (claims only with `--volumes`).

use crate::error::{Error, Result};
use crate::labels;
use crate::plan::{join, DockerVolume, HostPathType, MemberSpec, MountSource, Plan, VolumeSource};
use crate::ui::{Event, Ui};
use bollard::models::{ContainerCreateBody, HostConfig, Mount, MountType, MountVolumeOptions};
use bollard::query_parameters::{
    ContainerArchiveInfoOptionsBuilder, CreateContainerOptionsBuilder, ListVolumesOptionsBuilder,
    RemoveContainerOptionsBuilder, RemoveVolumeOptionsBuilder, UploadToContainerOptionsBuilder,
};
use bollard::Docker;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Where the filling container mounts each volume: `/v/<docker volume name>`.
const FILL_ROOT: &str = "v";
/// Mode of the directories podc makes inside a volume when the volume's root has none.
const DIR_MODE: u32 = 0o755;

// ---------------------------------------------------------------------------------------------
// hostPath: checked (and created when asked) on the host podc runs on

/// Checks every hostPath volume's `type` on this host, creating what `DirectoryOrCreate`,
/// `FileOrCreate` (and an unchecked missing path, as the runtimes do) ask for, and the
/// directories of hostPath `subPath`s. Every problem is reported at once. This assumes the
/// Docker daemon runs on this host, which is what hostPath means on a node.
pub fn check_host_paths(plan: &Plan) -> Result<()> {
    let mut problems = Vec::new();
    // Everything is checked before anything is created: a failure leaves the host as it was.
    for create in [false, true] {
        for v in &plan.volumes {
            if let VolumeSource::HostPath { path, check } = &v.source {
                if let Err(why) = check_host_path(Path::new(path), *check, create) {
                    problems.push(format!("hostPath volume {}: {why}", v.name));
                }
            }
        }
        if !problems.is_empty() {
            break;
        }
    }
    if problems.is_empty() {
        for m in plan.init.iter().chain(&plan.members) {
            for mount in &m.mounts {
                if let MountSource::Host {
                    path,
                    sub_path: Some(sub),
                } = &mount.source
                {
                    let full = join(path, sub);
                    if let Err(why) = ensure_dir(Path::new(&full)) {
                        problems.push(format!(
                            "container {}: subPath {sub} of {path}: {why}",
                            m.name
                        ));
                    }
                }
            }
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::Runtime(format!(
        "pod {} cannot start: {}\n  hint: hostPath paths are checked on the host podc runs on, which must be the Docker daemon's",
        plan.pod,
        problems.join("; ")
    )))
}

/// One hostPath's check, the kubelet's way; with `create`, what a missing path's type asks for
/// is created (without, a path that may be created passes).
pub fn check_host_path(
    path: &Path,
    check: HostPathType,
    create: bool,
) -> std::result::Result<(), String> {
    let shown = path.display();
    let meta = fs::metadata(path);
    let kind_word = |t: HostPathType| format!("{t:?}");
    match (check, &meta) {
        (HostPathType::Unchecked | HostPathType::DirectoryOrCreate, Err(_)) if !create => Ok(()),
        (HostPathType::Unchecked | HostPathType::DirectoryOrCreate, Err(_)) => ensure_dir(path),
        (HostPathType::Unchecked, Ok(_)) => Ok(()),
        (HostPathType::FileOrCreate, Err(_)) => {
            let parent_ok = path.parent().is_none_or(|p| p.is_dir());
            if !parent_ok {
                return Err(format!(
                    "{shown} does not exist and its directory does not either (type FileOrCreate creates the file, not its directory)"
                ));
            }
            if !create {
                return Ok(());
            }
            fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o644)
                .open(path)
                .map(|_| ())
                .or_else(|e| match path.is_file() {
                    true => Ok(()),
                    false => Err(format!("cannot create {shown}: {e}")),
                })?;
            fs::set_permissions(path, fs::Permissions::from_mode(0o644))
                .map_err(|e| format!("cannot set the mode of {shown}: {e}"))
        }
        (_, Err(e)) if e.kind() == std::io::ErrorKind::NotFound => Err(format!(
            "{shown} does not exist (type {})",
            kind_word(check)
        )),
        (_, Err(e)) => Err(format!("cannot check {shown}: {e}")),
        (_, Ok(meta)) => {
            let t = meta.file_type();
            let (ok, what) = match check {
                HostPathType::DirectoryOrCreate | HostPathType::Directory => {
                    (t.is_dir(), "a directory")
                }
                HostPathType::FileOrCreate | HostPathType::File => (t.is_file(), "a file"),
                HostPathType::Socket => (t.is_socket(), "a socket"),
                HostPathType::CharDevice => (t.is_char_device(), "a character device"),
                HostPathType::BlockDevice => (t.is_block_device(), "a block device"),
                HostPathType::Unchecked => (true, ""),
            };
            match ok {
                true => Ok(()),
                false => Err(format!("{shown} is not {what} (type {})", kind_word(check))),
            }
        }
    }
}

/// A directory at `path` (0755, with its parents), or the reason there cannot be one.
fn ensure_dir(path: &Path) -> std::result::Result<(), String> {
    if path.is_dir() {
        return Ok(());
    }
    if path.exists() {
        return Err(format!("{} exists and is not a directory", path.display()));
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(DIR_MODE)
        .create(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))
}

// ---------------------------------------------------------------------------------------------
// Docker volumes

/// The plan's Docker volumes, each once (two pod volumes may name one claim).
pub fn docker_volumes(plan: &Plan) -> Vec<&DockerVolume> {
    let mut seen = BTreeSet::new();
    plan.volumes
        .iter()
        .filter_map(|v| match &v.source {
            VolumeSource::Docker(d) => Some(d),
            VolumeSource::HostPath { .. } => None,
        })
        .filter(|d| seen.insert(d.docker_name.clone()))
        .collect()
}

/// Creates every Docker volume of the pod that does not exist yet and returns the names of
/// those it created. A volume that exists must carry the labels podc would have given it.
/// On failure, what this call created is removed again.
pub async fn ensure(docker: &Docker, plan: &Plan) -> Result<Vec<String>> {
    let mut created = Vec::new();
    for volume in docker_volumes(plan) {
        match ensure_one(docker, volume).await {
            Ok(true) => created.push(volume.docker_name.clone()),
            Ok(false) => {}
            Err(e) => {
                let _ = remove_created(docker, &created).await;
                return Err(e);
            }
        }
    }
    Ok(created)
}

async fn ensure_one(docker: &Docker, volume: &DockerVolume) -> Result<bool> {
    let name = &volume.docker_name;
    match docker.inspect_volume(name).await {
        Ok(found) => {
            let missing: Vec<String> = volume
                .labels
                .iter()
                .filter(|(k, _)| k.as_str() != labels::POD || volume.claim.is_none())
                .filter(|(k, v)| found.labels.get(k.as_str()) != Some(v))
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            if missing.is_empty() {
                return Ok(false);
            }
            Err(Error::Runtime(format!(
                "volume {name} exists but does not carry the label {}, so podc did not create it for this pod\n  hint: remove it with `docker volume rm {name}` if it is not needed, or rename the volume in the manifest",
                missing.join(", ")
            )))
        }
        Err(e) if super::is_not_found(&e) => {
            let request = bollard::models::VolumeCreateRequest {
                name: Some(name.clone()),
                driver: Some("local".into()),
                driver_opts: (!volume.driver_opts.is_empty())
                    .then(|| volume.driver_opts.clone().into_iter().collect()),
                labels: Some(volume.labels.clone().into_iter().collect()),
                ..Default::default()
            };
            docker
                .create_volume(request)
                .await
                .map_err(|e| Error::docker("create volume", name, e))?;
            Ok(true)
        }
        Err(e) => Err(Error::docker("inspect volume", name, e)),
    }
}

/// Removes volumes this `up` created (rollback): what went, and what could not.
pub async fn remove_created(docker: &Docker, names: &[String]) -> (Vec<String>, Vec<Error>) {
    let mut removed = Vec::new();
    let mut failed = Vec::new();
    for name in names {
        match docker
            .remove_volume(name, None::<bollard::query_parameters::RemoveVolumeOptions>)
            .await
        {
            Ok(()) => removed.push(format!("volume {name}")),
            Err(e) if super::is_not_found(&e) => removed.push(format!("volume {name}")),
            Err(e) => failed.push(Error::docker("remove volume", name, e)),
        }
    }
    (removed, failed)
}

/// Removes the volumes labelled with `pod` (every pod's when None), after its containers are
/// gone: emptyDir, configMap and secret volumes always, claims only when `claims` is set.
/// Best effort: every volume is tried, every failure is returned.
pub async fn remove_pod_volumes(
    docker: &Docker,
    pod: Option<&str>,
    claims: bool,
    ui: &Ui,
) -> Vec<Error> {
    match list_pod_volumes(docker, pod, claims).await {
        Ok(found) => remove_listed(docker, found, ui).await,
        Err(e) => vec![e],
    }
}

/// The volumes `remove_pod_volumes` would remove, as (name, pod), listed now: `down` lists them
/// while the members stop and removes them once the containers are gone.
pub async fn list_pod_volumes(
    docker: &Docker,
    pod: Option<&str>,
    claims: bool,
) -> Result<Vec<(String, String)>> {
    let filters = labels::pod_filter(pod);
    let options = ListVolumesOptionsBuilder::default()
        .filters(&filters)
        .build();
    let found = docker
        .list_volumes(Some(options))
        .await
        .map_err(|e| Error::docker("list volumes of", pod.unwrap_or("every pod"), e))?
        .volumes
        .unwrap_or_default();
    Ok(found
        .into_iter()
        .filter_map(|v| {
            // The filter asked for the label; check it anyway, as for containers.
            let owner = v.labels.get(labels::POD)?.clone();
            let wanted =
                pod.is_none_or(|p| p == owner) && (claims || !v.labels.contains_key(labels::PVC));
            wanted.then_some((v.name, owner))
        })
        .collect())
}

/// Removes listed volumes (name, pod); every failure is returned.
pub async fn remove_listed(docker: &Docker, volumes: Vec<(String, String)>, ui: &Ui) -> Vec<Error> {
    let mut errors = Vec::new();
    for (name, owner) in volumes {
        let options = RemoveVolumeOptionsBuilder::default().force(false).build();
        match docker.remove_volume(&name, Some(options)).await {
            Ok(()) => ui.event(Event::Pod {
                pod: owner,
                message: format!("volume {name} removed"),
            }),
            Err(e) if super::is_not_found(&e) => {}
            Err(e) => errors.push(Error::docker("remove volume", &name, e)),
        }
    }
    errors
}

// ---------------------------------------------------------------------------------------------
// Filling: files, modes, subPath directories

/// Writes what the pod's volumes must hold: the root mode of emptyDirs (and of claims podc just
/// created, `fresh`), configMap and secret files, and the directories of `subPath` mounts that
/// do not exist yet. Memory-backed volumes must already be held by the running pause. Secret
/// contents travel only in the archive sent to the daemon; nothing here prints them.
pub async fn prepare(docker: &Docker, plan: &Plan, fresh: &[String]) -> Result<()> {
    let volumes = docker_volumes(plan);
    let sub_paths = volume_sub_paths(plan.init.iter().chain(&plan.members));
    let needs_work = volumes
        .iter()
        .any(|v| v.root_mode.is_some() || !v.files.is_empty())
        || !sub_paths.is_empty();
    if !needs_work {
        return Ok(());
    }
    let helper = labels::volumes_helper_name(&plan.pod);
    let id = create_helper(docker, plan, &helper, &volumes).await?;
    let result = fill(docker, &id, &helper, &volumes, &sub_paths, fresh).await;
    let options = RemoveContainerOptionsBuilder::default()
        .force(true)
        .v(false)
        .build();
    let removed = docker.remove_container(&id, Some(options)).await;
    result?;
    match removed {
        Ok(()) => Ok(()),
        Err(e) if super::is_not_found(&e) => Ok(()),
        Err(e) => Err(Error::docker("remove container", &helper, e)),
    }
}

/// `(docker volume, subPath)` of every mount that takes a directory of a Docker volume.
fn volume_sub_paths<'a>(
    members: impl Iterator<Item = &'a MemberSpec>,
) -> BTreeSet<(String, String)> {
    members
        .flat_map(|m| &m.mounts)
        .filter_map(|mount| match &mount.source {
            MountSource::Volume {
                docker_name,
                sub_path: Some(sub),
            } => Some((docker_name.clone(), sub.clone())),
            _ => None,
        })
        .collect()
}

async fn create_helper(
    docker: &Docker,
    plan: &Plan,
    name: &str,
    volumes: &[&DockerVolume],
) -> Result<String> {
    let mounts = volumes
        .iter()
        .map(|v| Mount {
            target: Some(format!("/{FILL_ROOT}/{}", v.docker_name)),
            source: Some(v.docker_name.clone()),
            typ: Some(MountType::VOLUME),
            read_only: Some(false),
            volume_options: Some(MountVolumeOptions {
                no_copy: Some(true),
                ..Default::default()
            }),
            ..Default::default()
        })
        .collect();
    let body = ContainerCreateBody {
        image: Some(plan.pause.image.clone()),
        labels: Some(HashMap::from([
            (labels::POD.to_string(), plan.pod.clone()),
            (labels::ROLE.to_string(), labels::ROLE_VOLUMES.to_string()),
        ])),
        network_disabled: Some(true),
        host_config: Some(HostConfig {
            mounts: Some(mounts),
            network_mode: Some("none".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let options = CreateContainerOptionsBuilder::default().name(name).build();
    let first = docker
        .create_container(Some(options.clone()), body.clone())
        .await;
    let response = match first {
        Err(e) if super::is_conflict(&e) => {
            // Left over by an interrupted podc: remove it if it is this pod's, then again.
            remove_stale_helper(docker, &plan.pod, name).await?;
            docker.create_container(Some(options), body).await
        }
        other => other,
    }
    .map_err(|e| Error::docker("create container", name, e))?;
    Ok(response.id)
}

async fn remove_stale_helper(docker: &Docker, pod: &str, name: &str) -> Result<()> {
    let found = docker
        .inspect_container(name, None)
        .await
        .map_err(|e| Error::docker("inspect container", name, e))?;
    let found_labels = found.config.and_then(|c| c.labels).unwrap_or_default();
    if found_labels.get(labels::POD).map(String::as_str) != Some(pod) {
        return Err(Error::Runtime(format!(
            "refusing to touch container {name}: it does not carry the label {}={pod}, so podc did not create it",
            labels::POD
        )));
    }
    let options = RemoveContainerOptionsBuilder::default().force(true).build();
    docker
        .remove_container(name, Some(options))
        .await
        .map_err(|e| Error::docker("remove container", name, e))
}

async fn fill(
    docker: &Docker,
    id: &str,
    helper: &str,
    volumes: &[&DockerVolume],
    sub_paths: &BTreeSet<(String, String)>,
    fresh: &[String],
) -> Result<()> {
    let mut entries = Entries::default();
    for v in volumes {
        let root = format!("{FILL_ROOT}/{}", v.docker_name);
        let root_mode = v
            .root_mode_written()
            .filter(|_| v.claim.is_none() || fresh.contains(&v.docker_name));
        if let Some(mode) = root_mode {
            entries.dir(&root, mode, v.group);
        }
        for file in &v.files {
            let path = format!("{root}/{}", file.path);
            entries.parents(&root, &file.path, DIR_MODE, v.group);
            entries.file(
                &path,
                v.file_mode_written(file.mode),
                v.group,
                &file.content,
            );
        }
    }
    for (volume, sub) in sub_paths {
        let Some(v) = volumes.iter().find(|v| &v.docker_name == volume) else {
            continue;
        };
        let root = format!("{FILL_ROOT}/{volume}");
        // A file the volume will hold (configMap key) or that exists already is taken as is.
        if v.files
            .iter()
            .any(|f| &f.path == sub || f.path.starts_with(&format!("{sub}/")))
        {
            continue;
        }
        let mode = v.root_mode_written().unwrap_or(DIR_MODE);
        let mut prefix = String::new();
        for part in sub.split('/').filter(|p| !p.is_empty()) {
            prefix = match prefix.is_empty() {
                true => part.to_string(),
                false => format!("{prefix}/{part}"),
            };
            let path = format!("{root}/{prefix}");
            if entries.has(&path) || exists(docker, id, &format!("/{path}")).await? {
                continue;
            }
            entries.dir(&path, mode, v.group);
        }
    }
    if entries.is_empty() {
        return Ok(());
    }
    let tar = entries
        .into_tar()
        .map_err(|e| Error::Runtime(format!("cannot pack the volumes' files: {e}")))?;
    let options = UploadToContainerOptionsBuilder::default().path("/").build();
    docker
        .upload_to_container(id, Some(options), bollard::body_full(tar.into()))
        .await
        .map_err(|e| Error::docker("write the volumes' files through container", helper, e))
}

/// Whether `path` exists in the (never started) container `id`.
async fn exists(docker: &Docker, id: &str, path: &str) -> Result<bool> {
    let options = ContainerArchiveInfoOptionsBuilder::default()
        .path(path)
        .build();
    match docker.get_container_archive_info(id, Some(options)).await {
        Ok(_) => Ok(true),
        Err(e) if super::is_not_found(&e) => Ok(false),
        Err(e) => Err(Error::docker(
            "look into the volumes through container",
            id,
            e,
        )),
    }
}

/// The archive's entries, by path (directories first by order of insertion).
#[derive(Default)]
struct Entries {
    order: Vec<String>,
    items: BTreeMap<String, Entry>,
}

/// One entry: its mode, its group (root's without one), a file's content (None: a directory).
struct Entry {
    mode: u32,
    group: Option<u32>,
    content: Option<Vec<u8>>,
}

impl Entries {
    fn has(&self, path: &str) -> bool {
        self.items.contains_key(path)
    }

    fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn dir(&mut self, path: &str, mode: u32, group: Option<u32>) {
        if !self.has(path) {
            self.order.push(path.to_string());
        }
        let entry = Entry {
            mode,
            group,
            content: None,
        };
        self.items.insert(path.to_string(), entry);
    }

    /// The directories between `root` and the file at `root/rel`.
    fn parents(&mut self, root: &str, rel: &str, mode: u32, group: Option<u32>) {
        let parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
        let mut path = root.to_string();
        for part in parts.iter().take(parts.len().saturating_sub(1)) {
            path = format!("{path}/{part}");
            if !self.has(&path) {
                self.dir(&path, mode, group);
            }
        }
    }

    fn file(&mut self, path: &str, mode: u32, group: Option<u32>, content: &[u8]) {
        if !self.has(path) {
            self.order.push(path.to_string());
        }
        let entry = Entry {
            mode,
            group,
            content: Some(content.to_vec()),
        };
        self.items.insert(path.to_string(), entry);
    }

    fn into_tar(self) -> std::io::Result<Vec<u8>> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let mut builder = tar::Builder::new(Vec::new());
        for path in &self.order {
            let Entry {
                mode,
                group,
                content,
            } = &self.items[path];
            let mut header = tar::Header::new_gnu();
            header.set_mode(*mode);
            header.set_uid(0);
            header.set_gid(u64::from(group.unwrap_or(0)));
            header.set_mtime(now);
            match content {
                None => {
                    header.set_entry_type(tar::EntryType::Directory);
                    header.set_size(0);
                    builder.append_data(&mut header, format!("{path}/"), std::io::empty())?;
                }
                Some(bytes) => {
                    header.set_entry_type(tar::EntryType::Regular);
                    header.set_size(bytes.len() as u64);
                    builder.append_data(&mut header, path, &bytes[..])?;
                }
            }
        }
        builder.into_inner()
    }
}

/// The mountpoint (on the daemon's host) of each named volume, for subPath binds.
pub async fn mountpoints(
    docker: &Docker,
    names: impl IntoIterator<Item = String>,
) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for name in names {
        let found = docker
            .inspect_volume(&name)
            .await
            .map_err(|e| Error::docker("inspect volume", &name, e))?;
        if found.mountpoint.is_empty() {
            return Err(Error::Runtime(format!(
                "volume {name} has no mountpoint, so a subPath of it cannot be mounted (Docker API 1.41 has no volume subpath)"
            )));
        }
        out.insert(name, found.mountpoint);
    }
    Ok(out)
}

/// The Docker mount for a member's `MountSpec` (a subPath of a volume must have been resolved
/// to its mountpoint first: see `apply::resolve`).
pub fn docker_mount(m: &crate::plan::MountSpec) -> Mount {
    match &m.source {
        MountSource::Volume {
            docker_name,
            sub_path: None,
        } => Mount {
            target: Some(m.target.clone()),
            source: Some(docker_name.clone()),
            typ: Some(MountType::VOLUME),
            read_only: Some(m.read_only),
            // Kubernetes never copies the image's files into a volume.
            volume_options: Some(MountVolumeOptions {
                no_copy: Some(true),
                ..Default::default()
            }),
            ..Default::default()
        },
        MountSource::Volume {
            docker_name,
            sub_path: Some(sub),
        } => bind(&join(docker_name, sub), m),
        MountSource::Host { path, sub_path } => {
            let source = match sub_path {
                Some(sub) => join(path, sub),
                None => path.clone(),
            };
            bind(&source, m)
        }
    }
}

fn bind(source: &str, m: &crate::plan::MountSpec) -> Mount {
    Mount {
        target: Some(m.target.clone()),
        source: Some(source.to_string()),
        typ: Some(MountType::BIND),
        read_only: Some(m.read_only),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_path_types_are_checked_and_created() {
        let dir = tempfile::tempdir().unwrap();
        let path = |p: &str| dir.path().join(p);
        let missing = path("missing");
        let err = check_host_path(&missing, HostPathType::Directory, true).unwrap_err();
        assert!(err.contains("does not exist (type Directory)"), "{err}");
        assert!(!missing.exists());
        check_host_path(&path("made/deep"), HostPathType::DirectoryOrCreate, true).unwrap();
        let made = fs::metadata(path("made/deep")).unwrap();
        assert!(made.is_dir());
        assert_eq!(made.permissions().mode() & 0o777, 0o755);
        check_host_path(&path("made/deep"), HostPathType::Directory, true).unwrap();

        check_host_path(&path("f.txt"), HostPathType::FileOrCreate, true).unwrap();
        let file = fs::metadata(path("f.txt")).unwrap();
        assert!(file.is_file() && file.len() == 0);
        assert_eq!(file.permissions().mode() & 0o777, 0o644);
        check_host_path(&path("f.txt"), HostPathType::File, true).unwrap();
        let err = check_host_path(&path("f.txt"), HostPathType::Directory, true).unwrap_err();
        assert!(err.contains("is not a directory"), "{err}");
        let err = check_host_path(&path("made"), HostPathType::File, true).unwrap_err();
        assert!(err.contains("is not a file"), "{err}");
        let err = check_host_path(&path("none/f"), HostPathType::FileOrCreate, true).unwrap_err();
        assert!(err.contains("its directory does not either"), "{err}");
        let err = check_host_path(&path("f.txt"), HostPathType::Socket, true).unwrap_err();
        assert!(err.contains("is not a socket"), "{err}");
        check_host_path(Path::new("/dev/null"), HostPathType::CharDevice, true).unwrap();
        check_host_path(&path("dry"), HostPathType::DirectoryOrCreate, false).unwrap();
        check_host_path(&path("dry.txt"), HostPathType::FileOrCreate, false).unwrap();
        assert!(
            !path("dry").exists() && !path("dry.txt").exists(),
            "a check creates nothing"
        );
        check_host_path(&path("unchecked"), HostPathType::Unchecked, true).unwrap();
        assert!(path("unchecked").is_dir());
    }

    #[test]
    fn the_archive_holds_directories_before_files_with_their_modes_and_groups() {
        let mut entries = Entries::default();
        entries.dir("v/a", 0o777, None);
        entries.parents("v/b", "x/y/file", 0o755, Some(2000));
        entries.file("v/b/x/y/file", 0o640, Some(2000), b"secret");
        let tar = entries.into_tar().unwrap();
        let mut archive = tar::Archive::new(&tar[..]);
        let found: Vec<(String, u32, u64, bool)> = archive
            .entries()
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let path = e.path().unwrap().display().to_string();
                let header = e.header();
                let (mode, gid) = (header.mode().unwrap(), header.gid().unwrap());
                (path, mode, gid, header.entry_type().is_dir())
            })
            .collect();
        assert_eq!(
            found,
            [
                ("v/a/".to_string(), 0o777, 0, true),
                ("v/b/x/".to_string(), 0o755, 2000, true),
                ("v/b/x/y/".to_string(), 0o755, 2000, true),
                ("v/b/x/y/file".to_string(), 0o640, 2000, false),
            ]
        );
    }
}

//! The tar archive that carries a pod's volume contents to the filling container: directories
//! and files with their modes and groups, directories first.

use std::collections::BTreeMap;

/// The archive's entries, by path (directories first by order of insertion).
#[derive(Default)]
pub(super) struct Entries {
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
    pub(super) fn has(&self, path: &str) -> bool {
        self.items.contains_key(path)
    }

    pub(super) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub(super) fn dir(&mut self, path: &str, mode: u32, group: Option<u32>) {
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
    pub(super) fn parents(&mut self, root: &str, rel: &str, mode: u32, group: Option<u32>) {
        let parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
        let mut path = root.to_string();
        for part in parts.iter().take(parts.len().saturating_sub(1)) {
            path = format!("{path}/{part}");
            if !self.has(&path) {
                self.dir(&path, mode, group);
            }
        }
    }

    pub(super) fn file(&mut self, path: &str, mode: u32, group: Option<u32>, content: &[u8]) {
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

    pub(super) fn into_tar(self) -> std::io::Result<Vec<u8>> {
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

#[cfg(test)]
mod tests;

use super::*;

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

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

//! With `-o json` the error a command ends with is one JSON object on stderr (stdout keeps only
//! the command's own output), with the exit code it ends with.

use crate::run::*;

#[test]
fn an_error_is_one_json_object_on_stderr_with_its_exit_code() {
    let dir = temp_dir();
    let bad = write_manifest(
        dir.path(),
        "bad.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: Bad_Name}\nspec:\n  containers: [{name: web, image: nginx}]\n",
    );
    let good = write_manifest(
        dir.path(),
        "good.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: fine}\nspec:\n  containers: [{name: web, image: nginx}]\n",
    );
    for (args, code, phrase) in [
        (vec!["-o", "json", "up", "-d", arg(&bad)], 2, "Bad_Name"),
        (vec!["-o", "json", "up", "-d", arg(&good)], 1, "DOCKER_HOST"),
    ] {
        let run = podc(&args);
        run.expect_code(code);
        let line = run.stderr.trim();
        let error: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("stderr is not one JSON object ({e})\n{run}"));
        assert_eq!(error["exitCode"], code, "{run}");
        let message = error["error"].as_str().unwrap_or_default();
        assert!(
            message.contains(phrase),
            "no {phrase:?} in the error\n{run}"
        );
        assert!(
            !run.stdout.contains(phrase),
            "the error went to stdout too\n{run}"
        );
    }
}

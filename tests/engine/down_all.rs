//! `podc down --all` removes every pod podc created and nothing else, even a container whose
//! name looks like one of podc's. It runs alone (`setup_alone`): it would tear down other tests'
//! pods.

use crate::support::*;

#[test]
fn down_all_removes_pods_and_spares_foreign_containers() {
    let _daemon = setup_alone();
    let pod = "it-all-real";
    // Plain containers without podc's labels: one ordinary, one named like the pause of a pod
    // "it-all" (no test uses that pod name).
    let foreign = ["podc-it-foreign", "it-all_POD"];
    let _foreign_guards: Vec<ContainerGuard> = foreign
        .iter()
        .map(|name| ContainerGuard(name.to_string()))
        .collect();
    for name in foreign {
        docker(&["rm", "-f", name]);
        docker_ok(&[
            "run",
            "-d",
            "--name",
            name,
            "podc/busybox:latest",
            "sleep",
            "300",
        ]);
    }

    let dir = temp_dir();
    let file = write_manifest(
        dir.path(),
        "all.yaml",
        &format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\nspec:\n  terminationGracePeriodSeconds: 2\n  containers:\n    - name: idle\n      image: podc/busybox:latest\n      command: [\"sleep\", \"3600\"]\n"
        ),
    );
    let _guard = PodGuard::new(pod);
    podc(&["up", "-d", arg(&file)]).expect_ok();
    assert_pod_has(pod, &["idle"]);

    let down = podc(&["down", "--all"]);
    down.expect_ok()
        .expect_stdout_contains(&format!("pod {pod} removed"));
    assert_nothing_left(pod, &down);
    for name in foreign {
        assert_eq!(
            container_state(name).as_deref(),
            Some("running"),
            "podc down --all touched {name}, which podc did not create\n{down}"
        );
    }
    assert!(
        !down.stdout.contains("it-all_POD") && !down.stdout.contains("podc-it-foreign"),
        "podc down --all mentions a foreign container\n{down}"
    );

    // With no pods left, --all says so and still succeeds.
    podc(&["down", "--all"])
        .expect_ok()
        .expect_stdout_contains("no pods");
}

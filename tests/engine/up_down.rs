//! `podc up -d`, `podc ps` and `podc down` on the real daemon: the classic stack serves its
//! page, a second `up`/`down` changes nothing, and the built-in pause image is what it claims.

use crate::support::*;
use std::time::Duration;

/// nginx proxying to the blog, nginx published on 127.0.0.1:`port`.
fn classic_stack(pod: &str, port: u16) -> String {
    format!(
        r#"apiVersion: v1
kind: Pod
metadata:
  name: {pod}
spec:
  terminationGracePeriodSeconds: 10
  containers:
    - name: web
      image: podc/nginx:latest
      command: ["nginx", "-c", "/etc/nginx/proxy-blog.conf"]
      ports:
        - containerPort: 80
          hostPort: {port}
          hostIP: 127.0.0.1
    - name: blog
      image: podc/blog:latest
      ports:
        - containerPort: 2368
"#
    )
}

/// The member `name` of a `podc ps -o json` pod.
#[track_caller]
fn member<'a>(pod: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    pod["containers"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["name"] == name))
        .unwrap_or_else(|| panic!("podc ps -o json shows no container {name}:\n{pod:#}"))
}

/// Every container ID of the pod, pause included, as `podc ps -o json` shows them.
#[track_caller]
fn ids(pod: &str) -> Vec<(String, String)> {
    let view = ps_json(pod).unwrap_or_else(|| panic!("podc ps does not list pod {pod}"));
    let mut ids: Vec<(String, String)> = view["containers"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(std::iter::once(&view["pause"]))
        .map(|c| {
            (
                c["name"].as_str().unwrap_or_default().to_string(),
                c["id"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    ids.sort();
    ids
}

#[test]
fn classic_stack_serves_the_blog_through_the_published_port() {
    let _daemon = setup();
    let pod = "it-classic";
    let dir = temp_dir();
    let mut port = Port::reserve();
    let file = write_manifest(dir.path(), "classic.yaml", &classic_stack(pod, port.port));
    let _guard = PodGuard::new(pod);
    let port = port.release();

    let up = podc(&["up", "-d", arg(&file)]);
    up.expect_ok();

    let mut last = None;
    let served = wait_until(Duration::from_secs(10), || {
        last = http_get(port, "/");
        last.as_deref()
            .is_some_and(|r| r.contains("Hello from the podc blog"))
    });
    assert!(
        served,
        "GET http://127.0.0.1:{port}/ never returned the blog page; last answer: {last:?}\n{up}"
    );

    let view = ps_json(pod).unwrap_or_else(|| panic!("podc ps does not list pod {pod}"));
    assert_eq!(view["phase"], "Running", "{view:#}");
    let published = format!("127.0.0.1:{port}->80/tcp");
    let web = member(&view, "web");
    assert_eq!(web["state"], "running", "{view:#}");
    assert_eq!(web["ready"], true, "{view:#}");
    assert_eq!(web["ports"], serde_json::json!([published]), "{view:#}");
    let blog = member(&view, "blog");
    assert_eq!(blog["state"], "running", "{view:#}");
    assert_eq!(blog["ready"], true, "{view:#}");
    assert_eq!(blog["ports"], serde_json::json!(["2368/tcp"]), "{view:#}");
    assert_eq!(view["pause"]["state"], "running", "{view:#}");
    assert_eq!(
        view["pause"]["ports"],
        serde_json::json!([published]),
        "{view:#}"
    );
    assert_pod_has(pod, &["web", "blog"]);

    let down = podc(&["down", pod]);
    down.expect_ok();
    assert_nothing_left(pod, &down);
    assert!(
        http_get(port, "/").is_none(),
        "port {port} still answers after podc down\n{down}"
    );
}

#[test]
fn up_twice_keeps_the_containers_and_down_twice_is_harmless() {
    let _daemon = setup();
    let pod = "it-twice";
    let dir = temp_dir();
    let mut port = Port::reserve();
    let file = write_manifest(dir.path(), "twice.yaml", &classic_stack(pod, port.port));
    let _guard = PodGuard::new(pod);
    port.release();

    podc(&["up", "-d", arg(&file)]).expect_ok();
    let first = ids(pod);
    for name in ["web", "blog", "POD"] {
        assert!(
            first.iter().any(|(n, id)| n == name && !id.is_empty()),
            "podc ps shows no ID for {name}: {first:?}"
        );
    }

    let again = podc(&["up", "-d", arg(&file)]);
    again
        .expect_ok()
        .expect_stdout_contains(&format!("pod {pod} is already running and unchanged"));
    assert!(
        !again.stdout.contains("creating"),
        "the second up created containers\n{again}"
    );
    assert_eq!(
        ids(pod),
        first,
        "the second up replaced containers\n{again}"
    );

    let down = podc(&["down", pod]);
    down.expect_ok();
    assert_nothing_left(pod, &down);
    let down_again = podc(&["down", pod]);
    down_again
        .expect_ok()
        .expect_stdout_contains(&format!("pod {pod} does not exist"));
}

#[test]
fn builtin_pause_image_is_tiny_and_says_what_it_is() {
    let _daemon = setup();
    let pod = "it-pause-image";
    let dir = temp_dir();
    let file = write_manifest(
        dir.path(),
        "pause-image.yaml",
        &format!(
            r#"apiVersion: v1
kind: Pod
metadata:
  name: {pod}
spec:
  terminationGracePeriodSeconds: 2
  containers:
    - name: idle
      image: podc/busybox:latest
      command: ["sleep", "3600"]
"#
        ),
    );
    let _guard = PodGuard::new(pod);
    podc(&["up", "-d", arg(&file)]).expect_ok();

    let view = ps_json(pod).unwrap_or_else(|| panic!("podc ps does not list pod {pod}"));
    let image = view["pause"]["image"]
        .as_str()
        .unwrap_or_else(|| panic!("the pod has no pause image:\n{view:#}"))
        .to_string();
    let from_docker = docker_ok(&[
        "inspect",
        "--format",
        "{{.Config.Image}}",
        &format!("{pod}_POD"),
    ]);
    assert_eq!(
        from_docker.trim(),
        image,
        "ps and docker disagree on the pause image"
    );

    let size: u64 = docker_ok(&["image", "inspect", "--format", "{{.Size}}", &image])
        .trim()
        .parse()
        .expect("docker prints the image size in bytes");
    assert!(
        size < 100_000,
        "pause image {image} is {size} bytes, not under 100 KB"
    );

    // --rm and a name: should -v not end it, the guard removes it.
    let probe = format!("{pod}-version");
    let _probe = ContainerGuard(probe.clone());
    let mut run = std::process::Command::new("docker");
    run.args(["run", "--rm", "--name", &probe, &image, "-v"]);
    let ran = run_command(run, Duration::from_secs(30)).unwrap_or_else(|e| panic!("{e}"));
    assert!(ran.success(), "{ran}");
    assert!(
        ran.stdout.contains("pause.podc"),
        "`{image} -v` does not say pause.podc\n{ran}"
    );
}

//! The floor for `bench/run.sh`: the bare Docker API calls that do the work of `podc up -d` and
//! `podc down`, and nothing else (no manifest, no image checks, no supervisor, no inventory).
//!
//!   up:   per pod: create + start the pause (IpcMode shareable, its port bindings, hostname),
//!         then create + start every member in parallel, joined by `container:<pause id>`
//!         (network, IPC, PID). Pods in parallel.
//!   down: per pod: stop the members in parallel (same grace), stop the pause, remove all.
//!         Pods in parallel. Containers are addressed by name: no list call.
//!
//! cargo run --release --example floor -- up|down --prefix NAME --pause-image IMAGE
//!     [--shape classic|busybox:N] [--pods K] [--port PORT] [--grace SECS]
//!
//! Pod i (of K > 1) is `NAME<i>`, else `NAME`; its containers `<pod>_POD`, `<pod>_<member>`.
//! `classic` is pause + podc/nginx (`nginx -c /etc/nginx/proxy-blog.conf`, 127.0.0.1:PORT->80,
//! pod i gets PORT+i) + podc/blog; `busybox:N` is pause + N podc/busybox `sleep 3600` members
//! (not PID 1 in the shared PID namespace, so SIGTERM ends them at once). Every container is
//! labelled `podc-bench.floor=NAME`, so `docker rm -f $(docker ps -aq --filter
//! label=podc-bench.floor=NAME)` cleans up after a crash. Prints the elapsed milliseconds.

use bollard::models::{ContainerCreateBody, HostConfig, PortBinding};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, RemoveContainerOptionsBuilder, StopContainerOptionsBuilder,
};
use bollard::Docker;
use futures_util::future::try_join_all;
use std::collections::HashMap;
use std::time::Instant;

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

struct Member {
    name: String,
    image: &'static str,
    entrypoint: Option<Vec<String>>,
}

struct Opts {
    up: bool,
    prefix: String,
    pause_image: String,
    shape: String,
    pods: usize,
    port: u16,
    grace: i32,
}

fn parse() -> Res<Opts> {
    let mut args = std::env::args().skip(1);
    let up = match args.next().as_deref() {
        Some("up") => true,
        Some("down") => false,
        _ => return Err("usage: floor up|down --prefix NAME --pause-image IMAGE [--shape classic|busybox:N] [--pods K] [--port PORT] [--grace SECS]".into()),
    };
    let mut o = Opts {
        up,
        prefix: "floor".into(),
        pause_image: String::new(),
        shape: "classic".into(),
        pods: 1,
        port: 18080,
        grace: 10,
    };
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--prefix" => o.prefix = value,
            "--pause-image" => o.pause_image = value,
            "--shape" => o.shape = value,
            "--pods" => o.pods = value.parse()?,
            "--port" => o.port = value.parse()?,
            "--grace" => o.grace = value.parse()?,
            _ => return Err(format!("unknown flag {flag}").into()),
        }
    }
    if o.up && o.pause_image.is_empty() {
        return Err("--pause-image is required for up".into());
    }
    Ok(o)
}

fn members(shape: &str) -> Res<Vec<Member>> {
    let argv = |v: &[&str]| Some(v.iter().map(|s| s.to_string()).collect());
    if shape == "classic" {
        return Ok(vec![
            Member {
                name: "web".into(),
                image: "podc/nginx:latest",
                entrypoint: argv(&["nginx", "-c", "/etc/nginx/proxy-blog.conf"]),
            },
            Member {
                name: "blog".into(),
                image: "podc/blog:latest",
                entrypoint: None,
            },
        ]);
    }
    let n: usize = shape
        .strip_prefix("busybox:")
        .ok_or_else(|| format!("unknown shape {shape}"))?
        .parse()?;
    Ok((0..n)
        .map(|i| Member {
            name: format!("m{i}"),
            image: "podc/busybox:latest",
            entrypoint: argv(&["sleep", "3600"]),
        })
        .collect())
}

fn pod_name(o: &Opts, i: usize) -> String {
    match o.pods {
        1 => o.prefix.clone(),
        _ => format!("{}{i}", o.prefix),
    }
}

async fn create_start(docker: &Docker, name: &str, body: ContainerCreateBody) -> Res<String> {
    let options = CreateContainerOptionsBuilder::default().name(name).build();
    let id = docker.create_container(Some(options), body).await?.id;
    docker.start_container(&id, None).await?;
    Ok(id)
}

async fn up_pod(docker: &Docker, o: &Opts, pod: &str, port: Option<u16>, ms: &[Member]) -> Res<()> {
    let labels = Some(HashMap::from([(
        "podc-bench.floor".to_string(),
        o.prefix.clone(),
    )]));
    let bindings = port.map(|p| {
        HashMap::from([(
            "80/tcp".to_string(),
            Some(vec![PortBinding {
                host_ip: Some("127.0.0.1".into()),
                host_port: Some(p.to_string()),
            }]),
        )])
    });
    let pause = ContainerCreateBody {
        image: Some(o.pause_image.clone()),
        hostname: Some(pod.to_string()),
        labels: labels.clone(),
        exposed_ports: port.map(|_| vec!["80/tcp".to_string()]),
        host_config: Some(HostConfig {
            ipc_mode: Some("shareable".into()),
            port_bindings: bindings,
            ..Default::default()
        }),
        ..Default::default()
    };
    let pause_id = create_start(docker, &format!("{pod}_POD"), pause).await?;
    let join = format!("container:{pause_id}");
    try_join_all(ms.iter().map(|m| {
        let body = ContainerCreateBody {
            image: Some(m.image.to_string()),
            entrypoint: m.entrypoint.clone(),
            labels: labels.clone(),
            host_config: Some(HostConfig {
                network_mode: Some(join.clone()),
                ipc_mode: Some(join.clone()),
                pid_mode: Some(join.clone()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let name = format!("{pod}_{}", m.name);
        async move { create_start(docker, &name, body).await }
    }))
    .await?;
    Ok(())
}

async fn down_pod(docker: &Docker, o: &Opts, pod: &str, ms: &[Member]) -> Res<()> {
    let stop = StopContainerOptionsBuilder::default().t(o.grace).build();
    try_join_all(ms.iter().map(|m| {
        let name = format!("{pod}_{}", m.name);
        let stop = stop.clone();
        async move { docker.stop_container(&name, Some(stop)).await }
    }))
    .await?;
    docker
        .stop_container(&format!("{pod}_POD"), Some(stop))
        .await?;
    let rm = RemoveContainerOptionsBuilder::default().force(true).build();
    let names = std::iter::once("POD".to_string()).chain(ms.iter().map(|m| m.name.clone()));
    try_join_all(names.map(|n| {
        let name = format!("{pod}_{n}");
        let rm = rm.clone();
        async move { docker.remove_container(&name, Some(rm)).await }
    }))
    .await?;
    Ok(())
}

#[tokio::main]
async fn main() -> Res<()> {
    let started = Instant::now();
    let o = parse()?;
    let ms = members(&o.shape)?;
    // The same handshake as podc (one /_ping), so the comparison is of the work alone.
    let docker = podc::connect().await?;
    let classic = o.shape == "classic";
    try_join_all((0..o.pods).map(|i| {
        let pod = pod_name(&o, i);
        let port = classic.then(|| o.port + i as u16);
        let (o, ms, docker) = (&o, &ms, &docker);
        async move {
            match o.up {
                true => up_pod(docker, o, &pod, port, ms).await,
                false => down_pod(docker, o, &pod, ms).await,
            }
        }
    }))
    .await?;
    println!(
        "floor {} {} pod(s) of {}: {} ms",
        if o.up { "up" } else { "down" },
        o.pods,
        o.shape,
        started.elapsed().as_millis()
    );
    Ok(())
}

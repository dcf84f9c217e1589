//! Tests that keep `docker-compose.yml`, `deploy/k8s/` and
//! `deploy/Dockerfile` in step with the binary: every newsflow command line
//! they run parses with this very command line, and every `NEWSFLOW_*`
//! variable they set is one newsflow reads. (No container engine runs where
//! the tests run, so this is what can be checked here.)

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    use clap::Parser;
    use yaml_rust2::{Yaml, YamlLoader};

    use crate::Cli;

    fn repo() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    fn load(path: &Path) -> Vec<Yaml> {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        YamlLoader::load_from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()))
    }

    fn known_variables() -> BTreeSet<String> {
        crate::config_file::known_variables(None)
    }

    fn strings(node: &Yaml) -> Vec<String> {
        node.as_vec()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Parses `args` as newsflow would; `$(VAR)` (Kubernetes' expansion)
    /// stands for some value.
    fn assert_parses(args: &[String], origin: &str) {
        let argv = std::iter::once("newsflow".to_string()).chain(args.iter().map(|a| {
            match (a.find("$("), a.rfind(')')) {
                (Some(start), Some(end)) if end > start => {
                    format!("{}value{}", &a[..start], &a[end + 1..])
                }
                _ => a.clone(),
            }
        }));
        if let Err(e) = Cli::try_parse_from(argv) {
            panic!(
                "{origin}: `newsflow {}` does not parse:\n{e}",
                args.join(" ")
            );
        }
    }

    fn assert_known(variable: &str, known: &BTreeSet<String>, origin: &str) {
        if variable.starts_with("NEWSFLOW_") {
            assert!(
                known.contains(variable),
                "{origin}: {variable} is not a variable newsflow reads"
            );
        }
    }

    /// Keys of a mapping, following YAML merge keys (`<<: *anchor`).
    fn keys(node: &Yaml) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(hash) = node.as_hash() {
            for (key, value) in hash {
                match key.as_str() {
                    Some("<<") => out.extend(keys(value)),
                    Some(key) => out.push(key.to_string()),
                    None => {}
                }
            }
        }
        out
    }

    /// `node[key]`, or else the same key in what `node` merges in.
    fn field<'a>(node: &'a Yaml, key: &str) -> &'a Yaml {
        let direct = &node[key];
        if !direct.is_badvalue() {
            return direct;
        }
        &node["<<"][key]
    }

    #[test]
    fn compose_runs_only_commands_and_variables_newsflow_has() {
        let path = repo().join("docker-compose.yml");
        let docs = load(&path);
        let known = known_variables();
        let services = docs[0]["services"].as_hash().expect("services");
        let mut checked = Vec::new();
        for (name, service) in services {
            let name = name.as_str().unwrap_or("?");
            let image = field(service, "image").as_str().unwrap_or_default();
            if !image.starts_with("newsflow") {
                continue;
            }
            let origin = format!("docker-compose.yml service {name}");
            assert_parses(&strings(&service["command"]), &origin);
            for variable in keys(field(service, "environment")) {
                assert_known(&variable, &known, &origin);
            }
            checked.push(name.to_string());
        }
        checked.sort();
        assert_eq!(checked, ["enrich", "ingest", "samples", "sink"]);
    }

    fn yaml_files(dir: &Path, into: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("deploy/k8s") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                yaml_files(&path, into);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                into.push(path);
            }
        }
    }

    #[test]
    fn kubernetes_manifests_run_only_commands_and_variables_newsflow_has() {
        let mut files = Vec::new();
        yaml_files(&repo().join("deploy/k8s"), &mut files);
        files.sort();
        let known = known_variables();
        // Arguments that overlay patches put in front of every container's.
        let mut patched_args: Vec<(String, Vec<String>)> = Vec::new();
        let mut containers: Vec<(String, Vec<String>)> = Vec::new();
        for path in &files {
            let origin = path
                .strip_prefix(repo())
                .unwrap_or(path)
                .display()
                .to_string();
            for doc in load(path) {
                if let Some(ops) = doc.as_vec() {
                    let args: Vec<String> = ops
                        .iter()
                        .filter(|op| op["path"].as_str().is_some_and(|p| p.contains("/args/")))
                        .filter_map(|op| op["value"].as_str().map(str::to_string))
                        .collect();
                    for op in ops {
                        if let Some(variable) = op["value"]["name"].as_str() {
                            assert_known(variable, &known, &origin);
                        }
                    }
                    patched_args.push((origin.clone(), args));
                    continue;
                }
                match doc["kind"].as_str() {
                    Some("ConfigMap") => {
                        for variable in keys(&doc["data"]) {
                            assert_known(&variable, &known, &origin);
                        }
                    }
                    Some("Deployment") => {
                        let spec = &doc["spec"]["template"]["spec"]["containers"];
                        for container in spec.as_vec().expect("containers") {
                            let image = container["image"].as_str().unwrap_or_default();
                            if !image.starts_with("newsflow") {
                                continue;
                            }
                            for env in container["env"].as_vec().into_iter().flatten() {
                                if let Some(variable) = env["name"].as_str() {
                                    assert_known(variable, &known, &origin);
                                }
                            }
                            containers.push((origin.clone(), strings(&container["args"])));
                        }
                    }
                    Some("Kustomization") => {
                        for generator in doc["configMapGenerator"].as_vec().into_iter().flatten() {
                            for literal in strings(&generator["literals"]) {
                                let variable = literal.split('=').next().unwrap_or_default();
                                assert_known(variable, &known, &origin);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        assert_eq!(containers.len(), 2, "the enrich and sink Deployments");
        for (origin, args) in &containers {
            assert_parses(args, origin);
            for (patch, extra) in &patched_args {
                let patched: Vec<String> = extra.iter().chain(args).cloned().collect();
                assert_parses(&patched, &format!("{origin} patched by {patch}"));
            }
        }
    }

    /// The host of a `redis://HOST:PORT/DB` URL.
    fn redis_host(url: &str) -> &str {
        let rest = url
            .strip_prefix("redis://")
            .unwrap_or_else(|| panic!("{url} is not redis://"));
        let authority = rest.split('/').next().unwrap_or_default();
        let host_port = authority.rsplit('@').next().unwrap_or_default();
        host_port.split(':').next().unwrap_or_default()
    }

    #[test]
    fn the_enrich_replicas_share_a_story_store_that_is_deployed_with_them() {
        // Compose: the enrich service's store is a service of the file,
        // which the enricher waits for.
        let docs = load(&repo().join("docker-compose.yml"));
        let services = &docs[0]["services"];
        let enrich = &services["enrich"];
        let url = field(enrich, "environment")["NEWSFLOW_STORY_STORE"]
            .as_str()
            .expect("enrich sets NEWSFLOW_STORY_STORE");
        let host = redis_host(url);
        assert!(
            !services[host].is_badvalue(),
            "docker-compose.yml: the story store {url} is no service"
        );
        assert!(
            !enrich["depends_on"][host].is_badvalue(),
            "docker-compose.yml: enrich does not wait for {host}"
        );

        // Kubernetes: the ConfigMap's store is a Service of the base.
        let mut files = Vec::new();
        yaml_files(&repo().join("deploy/k8s/base"), &mut files);
        let (mut urls, mut service_names) = (Vec::new(), Vec::new());
        for doc in files.iter().flat_map(|path| load(path)) {
            match doc["kind"].as_str() {
                Some("ConfigMap") => urls.extend(
                    doc["data"]["NEWSFLOW_STORY_STORE"]
                        .as_str()
                        .map(str::to_string),
                ),
                Some("Service") => {
                    service_names.extend(doc["metadata"]["name"].as_str().map(str::to_string))
                }
                _ => {}
            }
        }
        assert_eq!(
            urls.len(),
            1,
            "one NEWSFLOW_STORY_STORE in the base ConfigMap"
        );
        let host = redis_host(&urls[0]).to_string();
        assert!(
            service_names.contains(&host),
            "deploy/k8s/base: the story store {} is none of the Services {service_names:?}",
            urls[0]
        );
        let kustomization =
            std::fs::read_to_string(repo().join("deploy/k8s/base/kustomization.yaml"))
                .expect("kustomization.yaml");
        for path in &files {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if name != "kustomization.yaml" {
                assert!(
                    kustomization.contains(&format!("- {name}")),
                    "deploy/k8s/base/kustomization.yaml lacks {name}"
                );
            }
        }
    }

    /// Docker's own reading of the compose file, where its client has the
    /// compose plugin (not on the machine these were written on).
    #[test]
    fn docker_compose_config_accepts_the_file() {
        let has_compose = std::process::Command::new("docker")
            .args(["compose", "version"])
            .output()
            .is_ok_and(|o| o.status.success());
        if !has_compose {
            eprintln!("skipped: no `docker compose` here");
            return;
        }
        let output = std::process::Command::new("docker")
            .args(["compose", "-f"])
            .arg(repo().join("docker-compose.yml"))
            .args(["config", "--quiet"])
            .output()
            .expect("docker compose config");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    #[test]
    fn the_dockerfile_copies_every_workspace_member() {
        let manifest = std::fs::read_to_string(repo().join("Cargo.toml")).expect("Cargo.toml");
        let dockerfile =
            std::fs::read_to_string(repo().join("deploy/Dockerfile")).expect("Dockerfile");
        let members: Vec<&str> = manifest
            .lines()
            .skip_while(|l| !l.starts_with("members"))
            .skip(1)
            .take_while(|l| !l.starts_with(']'))
            .map(|l| l.trim().trim_matches(|c| c == '"' || c == ','))
            .collect();
        assert!(members.len() >= 8, "{members:?}");
        for member in members {
            let copy = format!("COPY {member}/Cargo.toml");
            assert!(
                dockerfile.contains(&copy),
                "deploy/Dockerfile lacks `{copy}`"
            );
        }
    }
}

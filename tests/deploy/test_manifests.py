"""The Kustomize overlays render, validate against the Kubernetes schemas, and say what we mean."""

from __future__ import annotations

import importlib

import kubernetes_validate
import pytest

from shared.bus import STREAM
from shared.settings import ServiceSettings
from tests.deploy.natsconf import values
from tests.deploy.render import K8S, OVERLAYS, by_kind, render

SERVICES = ("ingest", "draft", "validate", "compare")
KUBERNETES_VERSION = "1.30"
CUSTOM_KINDS = {"ScaledObject"}


@pytest.fixture(scope="module", params=OVERLAYS)
def overlay(request) -> tuple[str, list[dict]]:
    return request.param, render(K8S / "overlays" / request.param)


@pytest.fixture(scope="module")
def prod() -> list[dict]:
    return render(K8S / "overlays" / "prod")


@pytest.fixture(scope="module")
def dev() -> list[dict]:
    return render(K8S / "overlays" / "dev")


def redline_deployments(objects: list[dict]) -> dict[str, dict]:
    deployments = by_kind(objects, "Deployment")
    return {name: deployments[f"redline-{name}"] for name in SERVICES}


def container(deployment: dict) -> dict:
    (only,) = deployment["spec"]["template"]["spec"]["containers"]
    return only


def test_every_builtin_object_validates_strictly(overlay):
    _, objects = overlay
    for obj in objects:
        if obj["kind"] in CUSTOM_KINDS:
            continue
        kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)


def test_every_object_lands_in_the_overlay_namespace(overlay):
    name, objects = overlay
    expected = {"dev": "redline-dev", "prod": "redline"}[name]
    namespaced = [obj for obj in objects if obj["kind"] != "Namespace"]
    assert {obj["metadata"].get("namespace") for obj in namespaced} == {expected}


def test_each_service_runs_its_own_module(overlay):
    _, objects = overlay
    for name, deployment in redline_deployments(objects).items():
        assert container(deployment)["args"] == [f"services.{name}"]


def test_probes_hit_livez_and_readyz_on_8080(overlay):
    _, objects = overlay
    for deployment in redline_deployments(objects).values():
        spec = container(deployment)
        assert spec["ports"] == [{"name": "http", "containerPort": 8080}]
        assert spec["livenessProbe"]["httpGet"] == {"path": "/livez", "port": "http"}
        assert spec["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}


def test_pods_are_locked_down(overlay):
    _, objects = overlay
    for deployment in by_kind(objects, "Deployment").values():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        for spec in pod["containers"]:
            security = spec["securityContext"]
            assert security["readOnlyRootFilesystem"] is True
            assert security["allowPrivilegeEscalation"] is False
            assert security["capabilities"]["drop"] == ["ALL"]
            assert spec["resources"]["requests"]
            assert spec["resources"]["limits"]


def test_services_get_a_writable_tmp(overlay):
    _, objects = overlay
    for deployment in redline_deployments(objects).values():
        volumes = {v["name"]: v for v in deployment["spec"]["template"]["spec"]["volumes"]}
        mounts = {m["mountPath"]: m["name"] for m in container(deployment)["volumeMounts"]}
        assert "emptyDir" in volumes[mounts["/tmp"]]


def test_grace_period_outlasts_the_drain(overlay):
    _, objects = overlay
    drain = ServiceSettings().drain_timeout
    for deployment in redline_deployments(objects).values():
        assert deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] > drain + 10


def test_every_service_has_a_disruption_budget(overlay):
    _, objects = overlay
    budgets = by_kind(objects, "PodDisruptionBudget")
    for name, deployment in redline_deployments(objects).items():
        selector = budgets[f"redline-{name}"]["spec"]["selector"]["matchLabels"]
        assert selector.items() <= deployment["spec"]["template"]["metadata"]["labels"].items()


def test_settings_come_from_the_configmap_and_the_model_key_from_a_secret(overlay):
    _, objects = overlay
    config = by_kind(objects, "ConfigMap")["redline-config"]["data"]
    assert config["NATS_URL"].startswith("nats://")
    assert config["REDLINE_HEALTH_PORT"] == "8080"
    for deployment in redline_deployments(objects).values():
        sources = container(deployment)["envFrom"]
        assert {"configMapRef": {"name": "redline-config"}} in sources
        assert {"secretRef": {"name": "redline-model", "optional": True}} in sources


def test_the_stream_and_buckets_are_replicated_on_every_nats_node(overlay):
    _, objects = overlay
    config = by_kind(objects, "ConfigMap")["redline-config"]["data"]
    assert int(config["NATS_REPLICAS"]) == values()["config"]["cluster"]["replicas"]


def test_each_service_connects_as_its_own_nats_user(overlay):
    _, objects = overlay
    for name, deployment in redline_deployments(objects).items():
        env = {item["name"]: item for item in container(deployment)["env"]}
        assert env["NATS_USER"]["value"] == name
        assert env["NATS_PASSWORD"]["valueFrom"]["secretKeyRef"] == {"name": "redline-nats", "key": name}


def test_traces_go_to_the_collector_which_exports_to_jaeger(overlay):
    _, objects = overlay
    config = by_kind(objects, "ConfigMap")
    assert config["redline-config"]["data"]["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://otel-collector:4318"
    assert "endpoint: jaeger:4317" in config["otel-collector"]["data"]["config.yaml"]
    services = by_kind(objects, "Service")
    assert {p["port"] for p in services["otel-collector"]["spec"]["ports"]} == {4317, 4318}
    assert 16686 in {p["port"] for p in services["jaeger"]["spec"]["ports"]}


def test_metrics_service_selects_the_service_pods(overlay):
    _, objects = overlay
    service = by_kind(objects, "Service")["redline-metrics"]
    for deployment in redline_deployments(objects).values():
        assert service["spec"]["selector"].items() <= deployment["spec"]["template"]["metadata"]["labels"].items()


def test_dev_ships_placeholder_secrets_and_prod_none(dev, prod):
    assert set(by_kind(dev, "Secret")) == {"redline-model", "redline-nats"}
    assert by_kind(prod, "Secret") == {}


def test_prod_scales_every_service_with_keda_and_no_fixed_replicas(prod):
    scaled = by_kind(prod, "ScaledObject")
    assert set(scaled) == {f"redline-{name}" for name in SERVICES}
    for name, deployment in redline_deployments(prod).items():
        assert "replicas" not in deployment["spec"]
        assert scaled[f"redline-{name}"]["spec"]["scaleTargetRef"] == {"name": f"redline-{name}"}


def test_prod_keeps_more_validators_and_gives_more_room(prod, dev):
    validate = by_kind(prod, "ScaledObject")["redline-validate"]["spec"]
    others = [by_kind(prod, "ScaledObject")[f"redline-{n}"]["spec"] for n in SERVICES if n != "validate"]
    assert validate["minReplicaCount"] >= 2
    assert all(validate["maxReplicaCount"] > other["maxReplicaCount"] for other in others)
    prod_memory = container(redline_deployments(prod)["validate"])["resources"]["limits"]["memory"]
    dev_memory = container(redline_deployments(dev)["validate"])["resources"]["limits"]["memory"]
    assert (prod_memory, dev_memory) == ("2Gi", "1Gi")


def test_scaled_objects_are_well_formed(prod):
    for scaled in by_kind(prod, "ScaledObject").values():
        assert scaled["apiVersion"] == "keda.sh/v1alpha1"
        spec = scaled["spec"]
        assert 1 <= spec["minReplicaCount"] <= spec["maxReplicaCount"]
        (trigger,) = spec["triggers"]
        assert trigger["type"] == "nats-jetstream"
        metadata = trigger["metadata"]
        assert set(metadata) == {
            "natsServerMonitoringEndpoint", "account", "stream", "consumer", "lagThreshold", "activationLagThreshold"
        }
        assert all(isinstance(value, str) for value in metadata.values())
        assert int(metadata["lagThreshold"]) > 0
        assert metadata["natsServerMonitoringEndpoint"].endswith(":8222")


def test_scaled_objects_name_the_exact_stream_and_durables(prod):
    """A consumer name KEDA cannot find scales to the maximum: names must match the code's."""
    for name in SERVICES:
        app = importlib.import_module(f"services.{name}.app")
        metadata = by_kind(prod, "ScaledObject")[f"redline-{name}"]["spec"]["triggers"][0]["metadata"]
        assert metadata["stream"] == STREAM == "REDLINE"
        assert metadata["consumer"] == app.DURABLE == name


def test_scaled_objects_use_the_account_of_the_nats_values(prod):
    from tests.deploy.natsconf import values

    (account,) = values()["config"]["merge"]["accounts"]
    for scaled in by_kind(prod, "ScaledObject").values():
        assert scaled["spec"]["triggers"][0]["metadata"]["account"] == account


def test_only_the_bootstrap_job_connects_as_the_nats_admin(overlay):
    _, objects = overlay
    job = by_kind(objects, "Job")["redline-bootstrap"]
    spec = container(job)
    env = {item["name"]: item.get("value") or item["valueFrom"]["secretKeyRef"] for item in spec["env"]}
    assert spec["args"] == ["redline.cli", "bootstrap"]
    assert env == {"NATS_USER": "admin", "NATS_PASSWORD": {"name": "redline-nats", "key": "admin"}}
    for deployment in redline_deployments(objects).values():
        assert "admin" not in str(container(deployment)["env"])

"""The production stack as written (docker-compose.yml, the Dockerfile, deploy/): docker cannot run here, so
the files are read and checked against the settings they serve: health checks everywhere, the migrations
run once before the rest, web free to scale, one worker per queue between them covering every routed task,
one beat, and nginx letting through the largest upload the portal accepts."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from deploy.healthcheck import main as probe_web
from deploy.healthcheck import probe_host
from foreign_affairs.celery import app as celery_app
from foreign_affairs.celery import queues
from overseas_safety.forms.incidents import MAX_FILES as INCIDENT_FILES

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
NGINX_CONF = (ROOT / "deploy" / "nginx" / "portal.conf").read_text()
IMAGE = "henan-fao-portal:latest"
# Values for the variables the compose file requires (${NAME:?...}), as an .env file gives them.
SECRETS = {
    "SECRET_KEY": "s" * 60,
    "AUDIT_HMAC_KEY": "a" * 48,
    "PERSONAL_DATA_KEYS": "a2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2s=",
    "PERSONAL_DATA_INDEX_KEY": "i" * 48,
}


def interpolate(value: str, environment: dict[str, str]) -> str:
    """Compose's interpolation: ${NAME}, ${NAME:-default}, ${NAME:?error} and $$."""

    def replace(match):
        name, operator, argument = match.group(1), match.group(2), match.group(3)
        given = environment.get(name, "")
        if operator == ":?" and not given:
            raise KeyError(f"{name} is required: {argument}")
        return given or (argument if operator == ":-" else "")

    return re.sub(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}", replace, value.replace("$$", "\0")).replace("\0", "$")


def portal_services() -> dict[str, dict]:
    """The services that run the portal's image (migrate, web, the workers, beat)."""
    return {name: service for name, service in SERVICES.items() if service.get("image") == IMAGE}


def command(name: str) -> list[str]:
    return [interpolate(part, SECRETS) for part in SERVICES[name]["command"]]


def consumed_queues(argv: list[str]) -> set[str]:
    for index, part in enumerate(argv):
        if part.startswith("--queues="):
            return set(part.removeprefix("--queues=").split(","))
        if part in {"-Q", "--queues"}:
            return set(argv[index + 1].split(","))
    return {celery_app.conf.task_default_queue}  # no -Q: the default queue only


def workers() -> dict[str, set[str]]:
    return {
        name: consumed_queues(command(name))
        for name in portal_services()
        if command(name)[:4] == ["celery", "-A", "foreign_affairs", "worker"]
    }


def test_every_service_has_a_health_check():
    for name, service in SERVICES.items():
        check = service.get("healthcheck")
        assert check and not check.get("disable") and check["test"][0] in {"CMD", "CMD-SHELL"}, name


def test_the_migrations_run_once_before_every_other_portal_service():
    migrate = SERVICES["migrate"]
    assert command("migrate") == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no"
    others = {name: service for name, service in portal_services().items() if name != "migrate"}
    assert set(others) >= {"web", "worker", "worker-pdf", "worker-exports", "beat"}
    for name, service in others.items():
        assert service["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}, name
        assert "migrate" not in command(name), name
    # Straight to PostgreSQL, even when the others go through pgbouncer.
    assert "@postgres:5432/" in migrate["environment"]["DATABASE_URL"]


def test_web_can_be_scaled_behind_nginx():
    web, nginx = SERVICES["web"], SERVICES["nginx"]
    assert "ports" not in web and "container_name" not in web
    assert not any("container_name" in service for service in SERVICES.values())
    assert [interpolate(port, {}) for port in nginx["ports"]] == ["80:80"]
    assert re.search(r"upstream portal_web \{[^}]*server web:8000 resolve;", NGINX_CONF)
    assert re.search(r"resolver 127\.0\.0\.11\b", NGINX_CONF)
    assert "./deploy/nginx/portal.conf:/etc/nginx/conf.d/default.conf:ro" in nginx["volumes"]
    for header in ("X-Forwarded-For $proxy_add_x_forwarded_for", "X-Forwarded-Proto $forwarded_proto"):
        assert f"proxy_set_header {header};" in NGINX_CONF
    # The web replicas believe X-Forwarded-For from the stack's network only.
    environment = web["environment"]
    assert interpolate(environment["TRUSTED_PROXIES"], {}) == interpolate(
        COMPOSE["networks"]["portal"]["ipam"]["config"][0]["subnet"], {}
    )
    assert environment["USE_X_FORWARDED_PROTO"] == "true"


def test_nginx_lets_through_the_largest_upload_the_portal_accepts():
    size = re.search(r"client_max_body_size (\d+)m;", NGINX_CONF)
    assert size, "client_max_body_size in megabytes"
    # An incident report: up to MAX_FILES files of DOCUMENT_MAX_UPLOAD_BYTES each, and the form around them.
    largest = INCIDENT_FILES * settings.DOCUMENT_MAX_UPLOAD_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 4
    assert int(size.group(1)) * 1024 * 1024 >= largest
    # nginx waits longer than gunicorn, so that a slow page ends as the portal's error rather than a 504.
    timeout = int(re.search(r"--timeout=(\d+)", " ".join(command("web"))).group(1))
    assert int(re.search(r"proxy_read_timeout (\d+)s;", NGINX_CONF).group(1)) > timeout


def test_workers_consume_disjoint_queues_covering_every_routed_queue():
    consumed = workers()
    assert "worker-pdf" in consumed
    assert consumed["worker-pdf"] == {"pdf"}
    seen: set[str] = set()
    for name, names in consumed.items():
        assert not names & seen, f"{name} shares a queue with another worker service"
        seen |= names
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert routed >= {"notifications", "pdf", "exports"}
    assert seen == set(queues()) == routed | {settings.CELERY_TASK_DEFAULT_QUEUE}


def test_every_registered_task_goes_to_a_queue_a_worker_consumes():
    celery_app.loader.import_default_modules()
    consumed = set().union(*workers().values())
    ours = sorted(name for name in celery_app.tasks if not name.startswith("celery."))
    assert len(ours) > 20
    where = {name: celery_app.amqp.router.route({}, name)["queue"].name for name in ours}
    assert {name: queue for name, queue in where.items() if queue not in consumed} == {}
    assert where["approvals.issue_permit"] == where["apec_cards.render_letter"] == "pdf"
    assert where["training.render_certificate"] == "pdf"
    assert where["notifications.deliver"] == where["accounts.send_password_reset"] == "notifications"
    assert where["reports.run_job"] == "exports"
    assert where["audit.verify_chain"] == settings.CELERY_TASK_DEFAULT_QUEUE


def test_exactly_one_beat_and_no_worker_runs_one():
    beats = [
        name for name in portal_services() if command(name)[:4] == ["celery", "-A", "foreign_affairs", "beat"]
    ]
    assert beats == ["beat"]
    for name in workers():
        assert not {"-B", "--beat"} & set(command(name)), name
    assert SERVICES["beat"].get("deploy", {}).get("replicas", 1) == 1
    # It answers the health check's ping (Celery's beat remote control) while it ticks.
    assert SERVICES["beat"]["environment"]["CELERY_BEAT_ENABLE_REMOTE_CONTROL"] == "true"
    assert "celerybeat@$HOSTNAME" in interpolate(SERVICES["beat"]["healthcheck"]["test"][1], {})


def test_pgbouncer_is_optional():
    assert SERVICES["pgbouncer"]["profiles"] == ["pgbouncer"]
    assert SERVICES["pgbouncer"]["environment"]["POOL_MODE"] == "transaction"
    for name, service in portal_services().items():
        if name != "migrate":
            assert service["depends_on"]["pgbouncer"]["required"] is False, name


def compose_environment(name: str) -> dict[str, str]:
    """The service's environment as the container gets it with only the secrets set (no value: unset)."""
    values = {
        key: interpolate(str(value), SECRETS)
        for key, value in SERVICES[name]["environment"].items()
        if value is not None
    }
    return {"PATH": os.environ["PATH"], **values}


def test_the_stacks_environment_gives_a_configuration_that_passes_the_deploy_checks():
    environment = compose_environment("beat")
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from foreign_affairs.celery import app; "
        "print(app.conf.beat_scheduler, app.conf.beat_enable_remote_control, settings.STORAGES['private']['BACKEND'], "
        "settings.DATABASES['default']['CONN_MAX_AGE'], settings.DATABASES['default']['CONN_HEALTH_CHECKS'], "
        "settings.SECURE_PROXY_SSL_HEADER[0], sorted(settings.DATABASES))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "foreign_affairs.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "foreign_affairs.beat.LockedScheduler",
        "True",
        "foreign_affairs.privacy.storage.EncryptedFileSystemStorage",
        "60",
        "True",
        "HTTP_X_FORWARDED_PROTO",
        "['default']",
    ]
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _commands():
    for name in portal_services():
        yield name, command(name)
    cmd = re.search(r"^CMD (\[.*\])$", (ROOT / "Dockerfile").read_text(), re.M)
    yield "Dockerfile", json.loads(cmd.group(1))


@pytest.mark.parametrize(
    ("service", "argv"), list(_commands()), ids=lambda v: v if isinstance(v, str) else v[0]
)
def test_compose_and_dockerfile_commands_exist_and_load(service, argv):
    program = argv[0]
    assert shutil.which(program, path=str(BIN)) or program == "python", (
        f"{service}: {program} is not installed"
    )
    env = {**os.environ, "DEBUG": "true", "SECRET_KEY": "x" * 60}
    if program == "gunicorn":
        arguments = [str(BIN / "gunicorn"), "--check-config", *argv[1:]]
    elif program == "celery":
        # The subcommand's own options as written (queues, concurrency...) are parsed, then --help.
        arguments = [str(BIN / "celery"), *argv[1:], "--help"]
    else:  # python manage.py <command>
        assert argv[1] == "manage.py"
        arguments = [sys.executable, "manage.py", argv[2], "--help"]
    result = subprocess.run(arguments, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_installs_the_same_system_packages_as_the_makefile():
    makefile = (ROOT / "Makefile").read_text()
    run_packages = set(re.search(r"^RUN_PACKAGES := (.*)$", makefile, re.M).group(1).split())
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert run_packages <= set(dockerfile.split())


def _nginx_version() -> tuple[int, ...] | None:
    if not shutil.which("nginx"):
        return None
    output = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr
    found = re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", output)
    return tuple(int(part) for part in found.groups()) if found else None


@pytest.mark.skipif(
    (_nginx_version() or (0,)) < (1, 27, 3),
    reason="needs nginx 1.27.3 or newer (upstream servers that `resolve`), as in the nginx:1.28 image; "
    "this machine has none, or an older one",
)
def test_nginx_accepts_the_configuration(tmp_path):
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid; error_log stderr; events {{}}\n"
        f"http {{ proxy_temp_path {tmp_path}; client_body_temp_path {tmp_path};\n"
        + NGINX_CONF.replace("/var/cache/nginx/static", str(tmp_path / "static"))
        + "\n}\n"
    )
    result = subprocess.run(["nginx", "-t", "-c", str(main)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr


# The web container's health check (deploy/healthcheck.py) ------------------------------------------------


def test_the_health_probe_names_a_host_the_portal_accepts():
    assert probe_host("portal.example.gov.cn,localhost") == "portal.example.gov.cn"
    assert probe_host(" .example.gov.cn") == "example.gov.cn"
    assert probe_host("") == probe_host("*") == "localhost"


@pytest.mark.django_db(transaction=True)
def test_the_health_probe_passes_on_a_healthy_portal_and_fails_on_a_host_it_refuses(
    live_server, settings, monkeypatch
):
    port = int(live_server.url.rsplit(":", 1)[1])
    settings.ALLOWED_HOSTS = ["portal.example.gov.cn"]
    monkeypatch.setenv("ALLOWED_HOSTS", "portal.example.gov.cn,localhost")
    assert probe_web(port) == 0
    monkeypatch.setenv("ALLOWED_HOSTS", "elsewhere.example.com")
    assert probe_web(port) == 1


def test_make_worker_consumes_every_queue():
    """The development worker (`make worker`) is one process for all the queues the production stack splits."""
    recipe = re.search(r"^worker:.*\n\t(.*)$", (ROOT / "Makefile").read_text(), re.M).group(1)
    assert consumed_queues(recipe.split()) == set(queues())

"""The command line as editors use it: build, check, new."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import yaml


def test_build_reports_what_it_built(atlas, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("build", atlas(), "-o", tmp_path / "out")
    assert result.exit_code == 0
    files = sum(1 for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert result.stdout.startswith(f"Built 2 offers, 2 actors, 3 regions: {files} files in {tmp_path / 'out'} (")
    assert result.stderr == ""


def test_build_defaults_to_build_folder_in_the_project(atlas, cli) -> None:  # type: ignore[no-untyped-def]
    project = atlas()
    assert cli("build", project).exit_code == 0
    assert (project / "build/angebote/sprachcafe/index.html").is_file()


def test_check_writes_nothing(atlas, cli) -> None:  # type: ignore[no-untyped-def]
    project = atlas()
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    result = cli("check", project)
    assert result.exit_code == 0
    assert result.stdout == "Checked 3 regions, 2 actors, 2 published offers: no errors.\n"
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_new_offer_lists_what_is_left_to_fill_in(atlas, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    project = atlas()
    monkeypatch.chdir(project)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")  # the record is reviewed today, by the real clock
    result = cli("new", "offer", "elterncafe-maintal")
    assert result.exit_code == 0, result.stderr
    path = project / "content/offers/elterncafe-maintal.md"
    text = path.read_text(encoding="utf-8")
    fields = yaml.safe_load(text.split("---")[1])
    assert fields["reviewed"] == date.today() and fields["title"] == "Elterncafe Maintal"
    assert "# Topic slugs, one or more of: sprachfoerderung, beratung" in text  # comments explain each field
    check = cli("check", ".")
    assert check.exit_code == 1
    assert check.stderr.splitlines() == [
        "content/offers/elterncafe-maintal.md:5: summary: is required but empty",
        "content/offers/elterncafe-maintal.md:7: actor: is required but empty",
        "content/offers/elterncafe-maintal.md:11: regions: is required but empty",
        "content/offers/elterncafe-maintal.md:13: topics: is required but empty",
    ]
    filled = (text.replace("summary:\n", "summary: Eltern treffen sich.\n").replace("actor:\n", "actor: caritas\n")
              .replace("regions: []", "regions: [maintal]").replace("topics: []", "topics: [beratung]"))
    path.write_text(filled, encoding="utf-8")
    assert cli("check", ".").exit_code == 0
    again = cli("new", "offer", "elterncafe-maintal")
    assert again.exit_code == 1 and "exists already" in again.stderr


def test_new_actor_and_region_name_their_missing_fields(atlas, cli) -> None:  # type: ignore[no-untyped-def]
    project = atlas()
    assert cli("new", "actor", "tuerkischer-kulturverein", "-p", project).exit_code == 0
    assert cli("new", "region", "bruchkoebel", "-p", project).exit_code == 0
    result = cli("check", project)
    assert result.exit_code == 1
    assert result.stderr == "content/actors/tuerkischer-kulturverein.md:7: regions: is required but empty\n"


def test_new_refuses_a_bad_slug(atlas, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("new", "offer", "Sprach Café", "-p", atlas())
    assert result.exit_code == 1
    assert '"Sprach Café" is not a valid slug' in result.stderr


def test_python_dash_m_atlas_runs_the_cli(atlas) -> None:  # type: ignore[no-untyped-def]
    done = subprocess.run([sys.executable, "-m", "atlas", "check", str(atlas())], capture_output=True, text=True)
    assert done.returncode == 0 and "no errors" in done.stdout


def test_the_command_leaves_with_its_output_and_status(atlas, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # the command ends its process without the interpreter's teardown (cli.entry_point): what it printed into a
    # pipe (block-buffered) still arrives, and a failure keeps its status
    project = atlas({"content/offers/kaputt.md": "---\ntitle: [\n---\n"})
    done = subprocess.run([sys.executable, "-m", "atlas", "build", str(project), "-o", str(tmp_path / "out")],
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert "content/offers/kaputt.md:3: YAML syntax error" in done.stderr and "nothing was written" in done.stdout
    (project / "content/offers/kaputt.md").unlink()
    done = subprocess.run([sys.executable, "-m", "atlas", "build", str(project), "-o", str(tmp_path / "out")],
                          capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("Built 2 offers")
    done = subprocess.run([sys.executable, "-m", "atlas", "build", "--no-such-option"], capture_output=True, text=True)
    assert done.returncode == 2 and "No such option '--no-such-option'" in done.stderr
    # a stream closed before the command began (`2>&-`): no stream to flush, the status as the command's
    done = subprocess.run([sys.executable, "-m", "atlas", "check", str(project)], stdout=subprocess.PIPE, text=True,
                          preexec_fn=lambda: os.close(2))  # noqa: PLW1509 (a closed stderr is what is tested)
    assert done.returncode == 0 and "no errors" in done.stdout


def test_a_message_as_exit_status_is_shown_and_counts_as_failure(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from atlas import cli

    ended: list[int] = []
    monkeypatch.setattr(cli, "main", lambda: sys.exit("a message"))
    monkeypatch.setattr(cli.os, "_exit", ended.append)
    cli.entry_point()
    assert ended == [1] and capsys.readouterr().err == "a message\n"


def test_serve_refuses_a_port_out_of_range(atlas, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("serve", atlas(), "--port", "70000")
    assert result.exit_code == 2 and "70000 is not in the range 1<=x<=65535" in result.stderr

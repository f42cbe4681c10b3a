"""The pages a public body must publish, made from atlas.yaml, and check naming what is missing."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import CONFIG

WITHOUT_LEGAL = CONFIG[: CONFIG.index("legal:")] + CONFIG[CONFIG.index("suggest:"):]


def test_legal_pages_are_built_and_linked_from_every_page(atlas, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    assert cli("build", atlas(), "-o", out).exit_code == 0
    imprint = (out / "impressum/index.html").read_text(encoding="utf-8")
    assert "Magistrat der Stadt Hanau<br>Am Markt 14<br>63450 Hanau" in imprint
    assert "§ 5 Digitale-Dienste-Gesetz" in imprint and "Vertreten durch den Oberbürgermeister." in imprint
    privacy = (out / "datenschutz/index.html").read_text(encoding="utf-8")
    for text in ["keine Cookies", "IP-Adresse", "nach 14 Tagen gelöscht", "Art. 6 Abs. 1 Buchst. e",
                 "Der Server steht im Rechenzentrum der Stadt.", "Aufsichtsbehörde",
                 "Der Hessische Beauftragte für Datenschutz und Informationsfreiheit"]:
        assert text in privacy, text
    access = (out / "barrierefreiheit/index.html").read_text(encoding="utf-8")
    for text in ["BITV 2.0 teilweise vereinbar", "Die Suche braucht JavaScript.", "01.06.2026",
                 "barrierefrei@example.org", "Schlichtungsverfahren", "Schlichtungsstelle des Landes"]:
        assert text in access, text
    assert "Leichte Sprache" in (out / "leichte-sprache/index.html").read_text(encoding="utf-8")
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for target in ["impressum/", "datenschutz/", "barrierefreiheit/", "leichte-sprache/"]:
            assert f'{target}">' in html, f"{page.relative_to(out)} does not link {target}"


def test_check_warns_when_the_legal_data_is_missing(atlas, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = atlas(config=WITHOUT_LEGAL)
    result = cli("check", project)
    assert (result.exit_code, result.stderr) == (0, (
        "atlas.yaml:1: warning: legal: missing: without it there is no Impressum, Datenschutzerklärung and "
        "Erklärung zur Barrierefreiheit, which a public body must publish\n"))
    assert cli("check", "--strict", project).exit_code == 1
    out = tmp_path / "out"
    assert cli("build", project, "-o", out).exit_code == 0
    assert not (out / "impressum").exists() and (out / "leichte-sprache/index.html").exists()


def test_check_names_each_missing_legal_field(atlas, cli) -> None:  # type: ignore[no-untyped-def]
    config = CONFIG.replace("  represented_by: den Oberbürgermeister\n", "").replace(
        "    log_days: 14\n", "    log_days: viele\n").replace("    status: teilweise\n", "    status: fast\n")
    result = cli("check", atlas(config=config))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "atlas.yaml:14: warning: legal.represented_by: is required",  # a missing key: its group's line
        "atlas.yaml:20: warning: legal.privacy.log_days: must be a number",
        "atlas.yaml:23: warning: legal.accessibility.status: \"fast\" is not one of: vollständig, teilweise, nicht",
    ]

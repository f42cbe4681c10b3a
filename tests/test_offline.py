"""What the build writes for offline use and for print: sw.js with its version and precache list,
the web app manifests, the printed list's data and the QR code of a printed offer."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import zxingcpp

from atlas.build import build
from atlas.offline import page_digest
from atlas.printing import qr_svg

BUILD = re.compile(r"\Avar BUILD = (\{.*?\});\n", re.DOTALL)


def worker_data(out: Path) -> dict:  # type: ignore[type-arg]
    found = BUILD.match((out / "sw.js").read_text(encoding="utf-8"))
    assert found, "sw.js does not start with the build's data"
    return json.loads(found.group(1))


def test_precache_list_is_the_files_the_build_wrote_beside_each_search_page(atlas, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "site"
    build(atlas(), out)
    data = worker_data(out)
    assert set(data["languages"]) == {"de", "en"}
    for lang, folder in [("de", ""), ("en", "en/")]:
        beside = sorted(str(p.relative_to(out)) for p in (out / folder / "suche").iterdir()
                        if p.name != "index.html" and p.suffix not in (".gz", ".br"))
        assert len(beside) >= 3  # the search data (whatever its layout) and the print list
        assert data["languages"][lang] == [folder or "./", folder + "suche/", folder + "manifest.json", *beside]
    assert not [p for p in data["languages"]["de"] if p.startswith("en/")]
    shared = data["shared"]
    assert any(p.startswith("css/atlas.") for p in shared) and any(p.startswith("js/search-worker.") for p in shared)
    assert "img/logo.svg" in shared
    for path in shared + data["languages"]["de"] + data["languages"]["en"]:
        assert (out / path).exists(), f"sw.js stores {path}, which the build did not write"
    assert data["folders"] == ["en"] and data["default"] == "de"


def test_the_version_is_the_content_of_the_build_and_changes_with_an_offer(atlas, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = atlas()
    build(project, tmp_path / "a")
    build(project, tmp_path / "b")
    assert (tmp_path / "a/sw.js").read_bytes() == (tmp_path / "b/sw.js").read_bytes()  # deterministic
    before = worker_data(tmp_path / "a")["version"]
    offer = project / "content/offers/migrationsberatung.md"
    offer.write_text(offer.read_text(encoding="utf-8").replace("Beratung zu allen Fragen.", "Beratung zu allem."),
                     encoding="utf-8")  # only the body: a page changes
    build(project, tmp_path / "c")
    assert worker_data(tmp_path / "c")["version"] != before


def test_page_digest_does_not_depend_on_how_the_pages_are_sliced() -> None:
    pages = [(f"p{i}/index.html", f"<p>{i}</p>".encode()) for i in range(10)]
    assert page_digest(pages) == page_digest(pages[5:]) ^ page_digest(pages[:5]) == page_digest(reversed(pages))
    assert page_digest(pages) != page_digest(pages[:9] + [("p9/index.html", b"<p>x</p>")])


def test_manifests_are_relative_and_name_the_atlas(atlas, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "site"
    build(atlas(), out)
    german = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    english = json.loads((out / "en/manifest.json").read_text(encoding="utf-8"))
    assert german["name"] == english["name"] == "Testatlas"
    assert (german["start_url"], german["scope"], german["lang"]) == ("./", "./", "de")
    assert (english["start_url"], english["scope"], english["lang"]) == ("./", "../", "en")
    for manifest, folder in [(german, out), (english, out / "en")]:
        assert manifest["icons"] and all((folder / icon["src"]).resolve().is_file() for icon in manifest["icons"])
        assert not any("//" in value for value in (manifest["start_url"], manifest["scope"]))
    page = (out / "en/angebote/sprachcafe/index.html").read_text(encoding="utf-8")
    assert '<link rel="manifest" href="../../../en/manifest.json">' in page
    assert 'data-sw="../../../sw.js"' in page


def test_the_print_list_has_traeger_address_hours_and_phone(atlas, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "site"
    build(atlas(), out)
    german = json.loads((out / "suche/liste.json").read_text(encoding="utf-8"))
    assert german["sprachcafe"] == {"actor": "Volkshochschule Hanau", "address": "Beispielweg 1, 63450 Hanau",
                                    "hours": "Di., Do. 15:00–17:00", "phone": "069 90009 101"}
    assert german["migrationsberatung"] == {"actor": "Caritasverband Testkreis e. V.", "phone": "069 90009 100"}
    english = json.loads((out / "en/suche/liste.json").read_text(encoding="utf-8"))
    assert english["sprachcafe"]["hours"] == "Tue, Thu 15:00–17:00"


def drawn(svg: str) -> set[tuple[int, int]]:
    """The dark modules a qr_svg path draws: from each row's start (M x y.5), h draws over as many modules as
    it says, m moves over them."""
    cells = set()
    for x, y, row in re.findall(r"M(\d+) (\d+)\.5((?:h\d+|m\d+ 0)*)", svg):
        at = int(x)
        for command, count in re.findall(r"([hm])(\d+)", row):
            if command == "h":
                cells.update((at + i, int(y)) for i in range(int(count)))
            at += int(count)
    return cells


def read_back(svg: str) -> zxingcpp.Barcode | None:
    """What zxing-cpp's reader, which shares no code with the encoder (zint), reads from the drawn
    modules painted 3 pixels each (0 dark, 255 light)."""
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))  # type: ignore[union-attr]
    dark, scale = drawn(svg), 3
    pixels = bytes(0 if (x // scale, y // scale) in dark else 255
                   for y in range(size * scale) for x in range(size * scale))
    return zxingcpp.read_barcode(memoryview(pixels).cast("B", (size * scale, size * scale)))


def test_the_qr_code_draws_exactly_the_code_of_the_address() -> None:
    address = "https://atlas.example.org/hanau/ar/angebote/sprachcafe/"
    svg = str(qr_svg(address, "QR"))
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))  # type: ignore[union-attr]
    assert 'role="img"' in svg
    path = re.search(r' d="([^"]*)"', svg).group(1)  # type: ignore[union-attr]
    assert re.fullmatch(r"(M\d+ \d+\.5(h\d+|m\d+ 0)*)+", path)  # nothing that drawn() would not see
    found = read_back(svg)  # the address comes back, at level M
    assert found is not None and found.text == address and found.ec_level == "M"
    assert all(4 <= x < size - 4 and 4 <= y < size - 4 for x, y in drawn(svg))  # a quiet zone of 4 modules


@pytest.mark.parametrize("length", [20, 60, 100, 140, 200, 300])
def test_qr_codes_of_every_size_an_address_needs_read_back(length: int) -> None:
    """The mask is fixed (printing.QR_MASK), not searched per code: codes from version 2 to 13 still read."""
    address = ("https://atlas.example.org/angebote/" + "sprachcafe-bad-soden-salmuenster-" * 10)[:length] + "/"
    found = read_back(str(qr_svg(address, "QR")))
    assert found is not None and found.text == address


def test_an_offer_page_carries_the_qr_code_of_its_online_address(atlas, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "site"
    build(atlas(), out)
    html = (out / "en/angebote/sprachcafe/index.html").read_text(encoding="utf-8")
    address = "https://atlas.example.org/hanau/en/angebote/sprachcafe/"
    assert f'aria-label="QR code: {address}"' in html
    svg = re.search(r'<svg class="qr".*?</svg>', html, re.DOTALL).group(0)  # type: ignore[union-attr]
    assert drawn(svg) == drawn(str(qr_svg(address, "x")))

from atlas import urls


def test_relative_links_between_pages() -> None:
    assert urls.relative("", "angebote/x/") == "angebote/x/"
    assert urls.relative("", "") == "./"
    assert urls.relative("angebote/x/", "") == "../../"
    assert urls.relative("angebote/x/", "themen/y/") == "../../themen/y/"
    assert urls.relative("angebote/", "css/atlas.css") == "../css/atlas.css"
    assert urls.relative("en/angebote/x/", "en/") == "../../../en/"


def test_output_files_and_languages() -> None:
    assert urls.output_file("") == "index.html"
    assert urls.output_file("angebote/x/") == "angebote/x/index.html"
    assert urls.output_file("404.html") == "404.html"
    assert urls.term("topic", "beratung") == "themen/beratung/"
    assert urls.term("audience", "frauen") == "zielgruppen/frauen/"

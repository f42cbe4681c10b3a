from atlas.cli import entry_point

entry_point()

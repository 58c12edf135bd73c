"""Settings modules and small helper modules that tests point a project at."""

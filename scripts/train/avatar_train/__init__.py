"""Training code for tera's model packages: teacher data in, three networks out (docs/training.md)."""
